/*
** cmd_search.c — `newsq [search] [options] QUERY...`: the best matches, in any output format.
*/
#include "newsq.h"

#include <stdlib.h>
#include <string.h>

enum {
  OPT_LIMIT = NEWSQ_OPT_COMMAND,
  OPT_OFFSET,
  OPT_FRAGMENTS,
  OPT_SORT,
  OPT_WEIGHTS,
  OPT_HALF_LIFE,
  OPT_IDS,
  OPT_PATHS,
  OPT_COUNT,
  OPT_EXPLAIN
};

static const cli_option options[] = {
    NEWSQ_COMMON_OPTIONS,
    {"ids", 0, OPT_IDS, NULL, "article ids, one a line (all matches unless --limit)"},
    {"paths", 'l', OPT_PATHS, NULL, "files with matches, once each (all unless --limit)"},
    {"count", 'c', OPT_COUNT, NULL, "only the number of matches"},
    {"limit", 'n', OPT_LIMIT, "N", "show N results (default 10)"},
    {"offset", 0, OPT_OFFSET, "N", "skip the first N results"},
    {"sort", 's', OPT_SORT, "HOW", "relevance (default), date (newest first) or hybrid"},
    {"weights", 0, OPT_WEIGHTS, "T,B", "BM25 weights of title and body (default 10,1)"},
    {"half-life", 0, OPT_HALF_LIFE, "DAYS", "hybrid: relevance halves every DAYS (default 30)"},
    {"fragments", 0, OPT_FRAGMENTS, "N", "snippet passages per result (default 2)"},
    {"explain", 0, OPT_EXPLAIN, NULL, "show the compiled query instead of running it"},
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

typedef struct search_args {
  newsq_common common;
  search_options search;
  int limit_given;
  int explain;
} search_args;

static void usage(FILE *out) {
  fprintf(out,
          "Usage: newsq [search] [options] QUERY...\n"
          "       newsq COMMAND [options] QUERY...\n\n"
          "Searches a news index built by newsidx and prints the best matches with highlighted\n"
          "snippets, ranked by BM25 (title above body).\n\n"
          "Query: words (all must match), \"exact phrases\", prefix*, OR, NOT or -word, (…),\n"
          "NEAR(a b, 10) or a NEAR/10 b, title:word, body:word, and the filters\n"
          "date:2026-03..2026-04, source:NAME, tag:TAG, lang:CODE. Filters alone list articles,\n"
          "newest first. Words may start with '-' (newsq cocoa -brazil): only -X, one letter,\n"
          "is a short option. See newsq-query(7).\n\n");
  newsq_print_commands(out);
  fprintf(out, "\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nDates: YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today, yesterday.\n\n");
  cli_print_exit_codes(out, CLI_NEWSQ);
}

/* "10,1" into two positive weights. */
static int parse_weights(const char *arg, search_options *o) {
  char *end;
  double title = strtod(arg, &end);
  double body = *end == ',' ? strtod(end + 1, &end) : -1;
  if (*end || !(title > 0) || !(body > 0) || title > 1e6 || body > 1e6)
    return cli_error("newsq", "--weights needs two positive numbers like 10,1, not '%s'", arg);
  o->title_weight = title;
  o->body_weight = body;
  return 0;
}

static int on_option(void *ctx, int id, const char *arg) {
  static const char *const sorts[] = {"relevance", "date", "hybrid", NULL};
  search_args *a = ctx;
  int rc = newsq_common_option(&a->common, id, arg, usage);
  if (rc != NEWSQ_NOT_COMMON) return rc;
  long n = 0;
  char *end;
  rc = 0;
  switch (id) {
  case OPT_LIMIT:
    rc = cli_parse_int("newsq", "limit", arg, 1, 100000000, &n);
    a->search.limit = n;
    a->limit_given = 1;
    break;
  case OPT_OFFSET:
    rc = cli_parse_int("newsq", "offset", arg, 0, 1000000000, &n);
    a->search.offset = n;
    break;
  case OPT_FRAGMENTS:
    rc = cli_parse_int("newsq", "fragments", arg, 1, 16, &n);
    a->search.fragments = (int)n;
    break;
  case OPT_SORT: {
    int sort = 0;
    rc = cli_parse_choice("newsq", "sort", arg, sorts, &sort);
    a->search.sort = (search_sort)sort;
    break;
  }
  case OPT_WEIGHTS: rc = parse_weights(arg, &a->search); break;
  case OPT_HALF_LIFE:
    a->search.half_life_days = strtod(arg, &end);
    if (*end || !(a->search.half_life_days > 0) || a->search.half_life_days > 1e6)
      rc = cli_error("newsq", "--half-life needs a positive number of days, not '%s'", arg);
    break;
  case OPT_IDS: a->common.format = NEWSQ_IDS; break;
  case OPT_PATHS: a->common.format = NEWSQ_PATHS; break;
  case OPT_COUNT: a->common.format = NEWSQ_COUNT; break;
  case OPT_EXPLAIN: a->explain = 1; break;
  }
  return rc;
}

static int on_hit(void *ctx, const search_hit *hit) {
  printer *p = ctx;
  return p->hit(p, hit);
}

/* Writes the plan of --explain line by line, each escaped as text output is: the query's words
** and filter values are in it as typed, and may hold ESC or BEL. */
static void write_plan(FILE *out, const char *plan) {
  for (const char *line = plan; *line;) {
    size_t n = strcspn(line, "\n");
    output_write_escaped(out, line, n, NEWSIDX_ESCAPE_NAME);
    if (line[n] == '\n') n++;
    putc('\n', out);
    line += n;
  }
}

/* Runs the search through printer p. Returns the exit code. */
static int run_with(newsidx_db *db, search_args *a, printer *p) {
  search *s = NULL;
  newsidx_error err = {0};
  a->search.want = p->want;
  if (!a->limit_given && (a->common.format == NEWSQ_IDS || a->common.format == NEWSQ_PATHS))
    a->search.limit = -1; /* lists for scripts: everything, like grep -l */
  newsidx_status_t status = search_open(db, &a->search, &s, &err);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  if (search_notice(s) && !a->explain) fprintf(stderr, "newsq: %s\n", search_notice(s));
  if (a->explain) {
    char *plan = NULL;
    status = search_explain(s, &plan, &err);
    if (status == NEWSIDX_OK) write_plan(a->common.out, plan);
    free(plan);
    search_close(s);
    return status == NEWSIDX_OK ? CLI_EXIT_OK : newsq_fail(&err);
  }
  long n_hits = 0, total = -1;
  if (p->needs_hits) status = search_hits(s, on_hit, p, &n_hits, &err);
  if (status == NEWSIDX_OK && p->needs_total) status = search_count(s, &total, &err);
  int matched = p->needs_total ? total > 0 : n_hits > 0;
  if (status == NEWSIDX_OK && p->finish(p, n_hits, total) != 0)
    status = newsidx_error_set(&err, NEWSIDX_IO, "writing the results failed");
  search_close(s);
  if (status == NEWSIDX_IO && p->error) return newsq_output_failed(p->error, CLI_EXIT_OK);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  return matched ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

static int run(newsidx_db *db, void *args, const char *query) {
  search_args *a = args;
  newsq_search_options(&a->common, &a->search);
  a->search.query = query;
  printer *p = newsq_printer(&a->common, a->common.out);
  int rc = p ? run_with(db, a, p) : cli_error("newsq", "out of memory");
  if (p) p->destroy(p);
  return rc;
}

int cmd_search(int argc, char **argv) {
  search_args a;
  memset(&a, 0, sizeof a);
  return newsq_command("newsq", argc, argv, options, on_option, &a, &a.common, run, usage);
}
