/*
** cmd_terms.c — `newsq terms new|trending|top`: the terms the index first saw in a period, and
** the words whose share of articles surged in a recent window against the period before it.
**
** Periods are article dates. The window ends with the newest article's day (or --until), so
** that the commands say something about archives too; `new` looks back --window (default 7d)
** from there unless --since is given, and `trending` compares that window with the --baseline
** (default 90d) just before it. `top` is another name for `trending`.
*/
#include "newsq.h"
#include "newsidx_query.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXAMPLES 50 /* rows of `terms new` that get an example passage */

enum {
  OPT_QUERY = NEWSQ_OPT_COMMAND,
  OPT_MIN_DOCS,
  OPT_ALL,
  OPT_WORDS_ONLY,
  OPT_NAMES_ONLY,
  OPT_LIMIT,
  OPT_WINDOW,
  OPT_BASELINE
};

static const cli_option options[] = {
    NEWSQ_DB_OPTION,
    {"since", 0, NEWSQ_OPT_SINCE, "DATE", "the window starts with DATE (2026-03, 7d…)"},
    {"until", 0, NEWSQ_OPT_UNTIL, "DATE", "the window ends with DATE (default: the newest day)"},
    {"window", 0, OPT_WINDOW, "SPAN", "the window's length: 7d, 2w, 3m, 1y (default 7d)"},
    {"baseline", 0, OPT_BASELINE, "SPAN", "trending: the period before it (default 90d)"},
    {"query", 'q', OPT_QUERY, "Q", "count only articles that match Q (words, not filters)"},
    {"min-docs", 0, OPT_MIN_DOCS, "N", "terms used by at least N articles (new 1, trending 3)"},
    {"all", 0, OPT_ALL, NULL, "keep numbers, single letters and codes"},
    {"words-only", 0, OPT_WORDS_ONLY, NULL, "new: words, not capitalized names"},
    {"names-only", 0, OPT_NAMES_ONLY, NULL, "new: capitalized names, not words"},
    {"limit", 'n', OPT_LIMIT, "N", "show N terms (default 30 new, 20 trending)"},
    {"json", 'j', NEWSQ_OPT_JSON, NULL, "JSON Lines: one object per term"},
    {"csv", 0, NEWSQ_OPT_CSV, NULL, "CSV (RFC 4180) with a header row"},
    NEWSQ_COLOR_OPTION,
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static void usage(FILE *out) {
  fprintf(out,
          "Usage: newsq terms new [options]\n"
          "       newsq terms trending [options]     (or: newsq terms top)\n\n"
          "new: the terms (stemmed words, and capitalized names such as \"Pacific Viper\") the\n"
          "index first saw in articles dated in the window, most used first, each with an\n"
          "example. trending: the words whose share of articles rose most in the window against\n"
          "the baseline just before it, by Dunning's log-likelihood G² = 2 Σ O ln(O/E) over the\n"
          "2×2 table (articles with and without the word, in the window and the baseline).\n"
          "The window ends with the newest article's day unless --until is given.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 terms listed, 1 none, 2 error.\n");
}

typedef struct terms_args {
  newsq_common common;
  const char *query, *window, *baseline;
  long long min_docs;
  long limit;
  int flags;
  int trending;
} terms_args;

static int on_option(void *ctx, int id, const char *arg) {
  terms_args *a = ctx;
  int rc = newsq_common_option(&a->common, id, arg, usage);
  if (rc != NEWSQ_NOT_COMMON) return rc;
  long n = 0;
  switch (id) {
  case OPT_QUERY: a->query = arg; return 0;
  case OPT_MIN_DOCS:
    rc = cli_parse_int("newsq", "min-docs", arg, 1, 1000000000, &n);
    a->min_docs = n;
    return rc;
  case OPT_ALL: a->flags |= TERMS_ALL_TOKENS; return 0;
  case OPT_WORDS_ONLY: a->flags |= TERMS_WORDS; return 0;
  case OPT_NAMES_ONLY: a->flags |= TERMS_NAMES; return 0;
  case OPT_LIMIT: return cli_parse_int("newsq", "limit", arg, 1, 100000000, &a->limit);
  case OPT_WINDOW: a->window = arg; return 0;
  case OPT_BASELINE: a->baseline = arg; return 0;
  default: return 0;
  }
}

/* The start of the period `span` (7d, 2w, 3m, 1y) long that ends at `end` (an ISO date).
** Returns 0, or prints the error and returns 2. */
static int span_before(const char *option, const char *span, const char *end,
                       char start[NEWSIDX_DATE_MAX]) {
  newsidx_error err = {0};
  time_t at = 0;
  query_date_range range;
  int relative = 0;
  if (query_date_instant(end, &at, &err) != NEWSIDX_OK ||
      query_date_period(span, (int)strlen(span), at, &range, &relative, &err) != NEWSIDX_OK ||
      !relative)
    return cli_error("newsq", "--%s takes a length like 7d, 2w, 3m or 1y, not '%s'", option, span);
  /* "0d" is a period, but an empty one: every count in it would be 0 */
  time_t lo = 0;
  if (query_date_instant(range.lo, &lo, &err) != NEWSIDX_OK || lo >= at)
    return cli_error("newsq", "--%s takes a length of at least one day, not '%s'", option, span);
  snprintf(start, NEWSIDX_DATE_MAX, "%s", range.lo);
  return 0;
}

/* The end of the window: --until, else the day after the newest article's. */
static int window_end(newsidx_db *db, const newsq_common *c, char until[NEWSIDX_DATE_MAX]) {
  if (c->until[0]) {
    snprintf(until, NEWSIDX_DATE_MAX, "%s", c->until);
    return 0;
  }
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc =
      sqlite3_prepare_v2(sqlite, "SELECT substr(max(date), 1, 10) FROM articles", -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  const char *newest = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 0) : NULL;
  newsidx_error err = {0};
  if (rc != SQLITE_ROW) {
    newsidx_error_sqlite(&err, sqlite, rc, "reading the newest date");
    rc = newsq_fail(&err);
  } else if (!newest) {
    cli_message("newsq", "", "no article has a date, so there is no window to look at");
    rc = CLI_EXIT_NONE;
  } else if (query_date_until(newest, c->now, until, &err) != NEWSIDX_OK) {
    rc = newsq_fail(&err);
  } else {
    rc = 0;
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* Compiles --query into an FTS5 expression (*match, NULL without --query). */
static int compile_query(newsidx_db *db, const terms_args *a, char **match) {
  *match = NULL;
  if (!a->query) return 0;
  query_plan plan = {0};
  newsidx_error err = {0};
  int rc = 0;
  if (query_compile(db, a->query, a->common.now, &plan, &err) != NEWSIDX_OK)
    rc = newsq_fail(&err);
  else if (plan.filters.n > 0 || !plan.match)
    rc = cli_error("newsq", "--query takes words, phrases and operators (not filters)");
  else if (!(*match = strdup(plan.match)))
    rc = cli_error("newsq", "out of memory");
  query_plan_free(&plan);
  return rc;
}

typedef struct term_output {
  newsidx_db *db;
  term_printer *p;
  const char *match;
  int examples; /* rows that get an example passage */
  long n;
  newsidx_error err;
  int failed; /* an example could not be read */
} term_output;

static int on_row(void *ctx, const term_row *row) {
  term_output *o = ctx;
  char *snippet = NULL;
  if (o->n++ < o->examples &&
      terms_example(o->db, row, o->match, 24, &snippet, &o->err) != NEWSIDX_OK)
    return o->failed = 1;
  int rc = o->p->row(o->p, row, snippet);
  free(snippet);
  return rc;
}

/* "YYYY-MM-DD" of the last day before `until`, for showing a period with both ends in it. */
static void last_day(const char *until, char out[NEWSIDX_DATE_MAX]) {
  time_t at = 0;
  newsidx_error err = {0};
  if (query_date_instant(until, &at, &err) == NEWSIDX_OK)
    query_date_day(at - 1, out);
  else
    snprintf(out, NEWSIDX_DATE_MAX, "%s", until);
}

static int run(newsidx_db *db, terms_args *a) {
  newsq_common *c = &a->common;
  char until[NEWSIDX_DATE_MAX], since[NEWSIDX_DATE_MAX], baseline[NEWSIDX_DATE_MAX] = "";
  char *match = NULL;
  int rc = window_end(db, c, until);
  if (rc == 0 && c->since[0])
    snprintf(since, sizeof since, "%s", c->since);
  else if (rc == 0)
    rc = span_before("window", a->window ? a->window : "7d", until, since);
  if (rc == 0 && a->trending)
    rc = span_before("baseline", a->baseline ? a->baseline : "90d", since, baseline);
  if (rc == 0) rc = compile_query(db, a, &match);
  if (rc) return rc;

  term_output o = {
      db,    newsq_term_printer(c, a->trending ? TERM_COLUMNS_TRENDING : TERM_COLUMNS_NEW, c->out),
      match, a->trending ? 0 : MAX_EXAMPLES,
      0,     {0},
      0};
  if (!o.p) {
    free(match);
    return cli_error("newsq", "out of memory");
  }
  if (c->format == NEWSQ_TEXT) {
    char last[NEWSIDX_DATE_MAX], base_last[NEWSIDX_DATE_MAX];
    last_day(until, last);
    last_day(since, base_last);
    if (a->trending)
      fprintf(c->out, "window %.10s to %.10s, against %.10s to %.10s\n\n", since, last, baseline,
              base_last);
    else
      fprintf(c->out, "terms first seen in articles dated %.10s to %.10s\n\n", since, last);
  }
  long n = 0;
  newsidx_error err = {0};
  newsidx_status_t status;
  if (a->trending) {
    terms_trending_options t = {
        since,        until, baseline, since, a->min_docs, match, a->flags & TERMS_ALL_TOKENS,
        (int)a->limit};
    status = terms_trending(db, &t, on_row, &o, &n, &err);
  } else {
    terms_new_options t = {
        since, until, 0, a->min_docs, match, a->flags, a->limit ? (int)a->limit : 30};
    status = terms_new(db, &t, on_row, &o, &n, &err);
  }
  if (o.failed) status = newsidx_error_set(&err, o.err.status, "%s", o.err.message);
  if (status == NEWSIDX_OK && o.p->finish(o.p) != 0)
    status = newsidx_error_set(&err, NEWSIDX_IO, "writing the results failed");
  int error = o.p->error;
  o.p->destroy(o.p);
  free(match);
  if (status == NEWSIDX_IO && error) return newsq_output_failed(error, CLI_EXIT_OK);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  return n > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

/* The subcommands: their names, and whether each lists trending terms. */
static const struct {
  const char *name;
  int trending;
} kinds[] = {{"new", 0}, {"trending", 1}, {"top", 1}};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

int cmd_terms(int argc, char **argv) {
  if (cli_wants_commands(argc, argv)) {
    for (size_t k = 0; k < N_KINDS; k++)
      printf("%s\n", kinds[k].name);
    return CLI_EXIT_OK;
  }
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
  }
  terms_args a;
  memset(&a, 0, sizeof a);
  size_t k = 0;
  while (k < N_KINDS && strcmp(kinds[k].name, argv[1]) != 0)
    k++;
  if (k == N_KINDS)
    return cli_error("newsq", "unknown terms command '%s' (new, trending, top)", argv[1]);
  a.trending = kinds[k].trending;
  char **words = NULL;
  int n_words = 0;
  newsidx_db *db = NULL;
  int rc = newsq_common_init(&a.common);
  if (rc == 0)
    rc = newsq_parse_words("newsq terms", argc - 1, argv + 1, options, on_option, &a, &words,
                           &n_words);
  if (rc == 0 && n_words)
    rc = cli_error("newsq", "unexpected '%s' (a query goes in --query)", words[0]);
  if (rc == 0 && a.common.format != NEWSQ_TEXT && a.common.format != NEWSQ_JSON &&
      a.common.format != NEWSQ_CSV)
    rc = cli_error("newsq", "terms are printed as text, --json or --csv");
  if (rc == 0 && (a.flags & (TERMS_WORDS | TERMS_NAMES)) == (TERMS_WORDS | TERMS_NAMES))
    rc = cli_error("newsq", "--words-only and --names-only exclude each other");
  if (rc == 0 && a.trending && (a.flags & TERMS_NAMES))
    rc = cli_error("newsq", "trending looks at words only");
  if (rc == 0) rc = newsq_open(&a.common, 0, &db);
  if (rc == 0) rc = run(db, &a);
  newsq_close(db);
  free(words);
  newsq_common_free(&a.common);
  return rc < 0 ? CLI_EXIT_OK : rc;
}
