/*
** cmd_rule.c — `newsq rule add|list|show|rm|test`: the alert rules that `newsq alerts` runs.
**
**   rule add NAME QUERY... [--source S] [--tag T] [--lang L] [--since D] [--until D]
**   rule add NAME --new-terms [--query Q] [--min-docs N] [--wait DAYS] [--words-only |
**            --names-only] [--all]
**   rule list, rule show NAME        with the number of alerts pending
**   rule rm NAME...                  the rules and what they reported
**   rule test NAME                   the rule over the whole index, changing nothing
**
** A new rule reports what is indexed after it was added; --backfill makes its first run report
** everything already indexed too.
*/
#include "newsidx_query.h"
#include "newsq.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEST_EXAMPLES 25 /* new terms of `rule test` that get an example passage */

enum {
  OPT_NEW_TERMS = NEWSQ_OPT_COMMAND,
  OPT_QUERY,
  OPT_MIN_DOCS,
  OPT_WAIT,
  OPT_WORDS_ONLY,
  OPT_NAMES_ONLY,
  OPT_ALL,
  OPT_BACKFILL,
  OPT_LIMIT,
  OPT_IDS,
  OPT_PATHS,
  OPT_COUNT,
  OPT_NAMES
};

static const cli_option add_options[] = {
    NEWSQ_DB_OPTION,
    {"source", 0, NEWSQ_OPT_SOURCE, "NAME", "only articles from NAME (repeat for more)"},
    {"tag", 0, NEWSQ_OPT_TAG, "TAG", "only articles tagged TAG (repeat for more)"},
    {"lang", 0, NEWSQ_OPT_LANG, "CODE", "only articles in language CODE"},
    {"since", 0, NEWSQ_OPT_SINCE, "DATE", "only articles dated from DATE on (7d: a week back)"},
    {"until", 0, NEWSQ_OPT_UNTIL, "DATE", "only articles dated up to the end of DATE"},
    {"backfill", 0, OPT_BACKFILL, NULL, "the first run also reports what is already indexed"},
    {"new-terms", 0, OPT_NEW_TERMS, NULL, "report new terms instead of articles"},
    {"query", 'q', OPT_QUERY, "Q", "new terms: count only articles matching Q"},
    {"min-docs", 0, OPT_MIN_DOCS, "N", "new terms: once N articles use them (default 1)"},
    {"wait", 0, OPT_WAIT, "DAYS", "new terms: how long they may take to reach N (default 7)"},
    {"words-only", 0, OPT_WORDS_ONLY, NULL, "new terms: words, not names"},
    {"names-only", 0, OPT_NAMES_ONLY, NULL, "new terms: capitalized names, not words"},
    {"all", 0, OPT_ALL, NULL, "new terms: also numbers, single letters and codes"},
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option show_options[] = {
    NEWSQ_DB_OPTION,
    {"json", 'j', NEWSQ_OPT_JSON, NULL, "JSON Lines: one object per rule"},
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

/* `rule list --names`: the names alone, one a line, for scripts and the shell completions. */
static const cli_option list_options[] = {
    NEWSQ_DB_OPTION,
    {"json", 'j', NEWSQ_OPT_JSON, NULL, "JSON Lines: one object per rule"},
    {"names", 0, OPT_NAMES, NULL, "list: only the rules' names, one a line"},
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option rm_options[] = {
    NEWSQ_DB_OPTION,
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static const cli_option test_options[] = {
    NEWSQ_DB_OPTION,
    {"json", 'j', NEWSQ_OPT_JSON, NULL, "JSON Lines: one object per line"},
    {"csv", 0, NEWSQ_OPT_CSV, NULL, "CSV (RFC 4180) with a header row"},
    {"ids", 0, OPT_IDS, NULL, "article ids, one a line (all matches unless --limit)"},
    {"paths", 'l', OPT_PATHS, NULL, "files with matches, once each (all unless --limit)"},
    {"count", 'c', OPT_COUNT, NULL, "only the number of matches"},
    {"limit", 'n', OPT_LIMIT, "N", "show N results (default 10 articles, 20 terms)"},
    NEWSQ_COLOR_OPTION,
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

/* Whether `table` has an option named `name`. */
static int has_option(const cli_option *table, const char *name) {
  for (const cli_option *o = table; o->long_name; o++)
    if (strcmp(o->long_name, name) == 0) return 1;
  return 0;
}

/* Prints the options of `table` (at most 31) that neither `shown` nor `also_shown` has: the
** usage lists add's options, then what test and list take besides, so that the options they
** share (--db, --timeout, --help…) are listed once. */
static void print_options_besides(FILE *out, const cli_option *table, const cli_option *shown,
                                  const cli_option *also_shown) {
  cli_option only[32];
  size_t n = 0;
  for (const cli_option *o = table; o->long_name && n + 1 < sizeof only / sizeof only[0]; o++)
    if (!has_option(shown, o->long_name) && !has_option(also_shown, o->long_name)) only[n++] = *o;
  only[n] = (cli_option){NULL, 0, 0, NULL, NULL};
  cli_print_options(out, only);
}

static void usage(FILE *out) {
  fprintf(out,
          "Usage: newsq rule add NAME QUERY... [--source S] [--tag T] [--lang L] [--since D]\n"
          "                      [--until D] [--backfill]\n"
          "       newsq rule add NAME --new-terms [--query Q] [--min-docs N] [--wait DAYS]\n"
          "                      [--words-only | --names-only] [--all] [--backfill]\n"
          "       newsq rule list [--json | --names]\n"
          "       newsq rule show NAME [--json]\n"
          "       newsq rule rm NAME...\n"
          "       newsq rule test NAME [--limit N] [--json | --csv | --ids | --paths | --count]\n\n"
          "Alert rules are saved queries that `newsq alerts` runs: each reports the new articles\n"
          "that match it (or, with --new-terms, the terms first seen), once. NAME is letters,\n"
          "digits, '-', '_' and '.'. A new rule reports what is indexed after it was added;\n"
          "--backfill makes its first run report what is already there too.\n\nOptions:\n");
  cli_print_options(out, add_options);
  print_options_besides(out, test_options, add_options, add_options);
  print_options_besides(out, list_options, add_options, test_options);
  fprintf(out, "\nExit status: 0 done (test: something matched), 1 nothing matched or a rule to\n"
               "remove was not there, 2 error.\n");
}

/* Everything the subcommands' options set. */
typedef struct rule_args {
  newsq_common common;
  rule r; /* add: the rule being made */
  const char *since, *until, *query;
  int n_filters; /* add: filter options given */
  int n_term_options;
  int backfill, words_only, names_only, all_tokens;
  int names; /* list: names only */
  long limit;
} rule_args;

static int on_option(void *ctx, int id, const char *arg) {
  rule_args *a = ctx;
  if (id == NEWSQ_OPT_SINCE || id == NEWSQ_OPT_UNTIL) {
    char bound[NEWSIDX_DATE_MAX];
    newsidx_error err = {0};
    int since = id == NEWSQ_OPT_SINCE;
    if ((since ? query_date_since(arg, a->common.now, bound, &err)
               : query_date_until(arg, a->common.now, bound, &err)) != NEWSIDX_OK)
      return cli_error("newsq", "--%s: %s", since ? "since" : "until", err.message);
    *(since ? &a->since : &a->until) = arg; /* kept as typed: 7d stays relative */
    a->n_filters++;
    return 0;
  }
  int rc = newsq_common_option(&a->common, id, arg, usage);
  if (rc != NEWSQ_NOT_COMMON) {
    a->n_filters += id == NEWSQ_OPT_SOURCE || id == NEWSQ_OPT_TAG || id == NEWSQ_OPT_LANG;
    return rc;
  }
  long n = 0;
  a->n_term_options += id >= OPT_QUERY && id <= OPT_ALL;
  switch (id) {
  case OPT_NEW_TERMS: a->r.kind = RULE_NEW_TERMS; return 0;
  case OPT_QUERY: a->query = arg; return 0;
  case OPT_MIN_DOCS:
    rc = cli_parse_int("newsq", "min-docs", arg, 1, 1000000000, &n);
    a->r.min_docs = n;
    return rc;
  case OPT_WAIT:
    rc = cli_parse_int("newsq", "wait", arg, 0, 3650, &n);
    a->r.wait_days = (int)n;
    return rc;
  case OPT_WORDS_ONLY: a->words_only = 1; return 0;
  case OPT_NAMES_ONLY: a->names_only = 1; return 0;
  case OPT_ALL: a->all_tokens = 1; return 0;
  case OPT_BACKFILL: a->backfill = 1; return 0;
  case OPT_LIMIT: rc = cli_parse_int("newsq", "limit", arg, 1, 100000000, &a->limit); return rc;
  case OPT_IDS: a->common.format = NEWSQ_IDS; return 0;
  case OPT_PATHS: a->common.format = NEWSQ_PATHS; return 0;
  case OPT_COUNT: a->common.format = NEWSQ_COUNT; return 0;
  case OPT_NAMES: a->names = 1; return 0;
  default: return 0;
  }
}

/* Joins words[first..n) with spaces (free() it); NULL when out of memory. */
static char *join(char **words, int first, int n) {
  strbuf b = {0};
  strbuf_puts(&b, "");
  for (int i = first; i < n; i++) {
    if (i > first) strbuf_putc(&b, ' ');
    strbuf_puts(&b, words[i]);
  }
  char *joined = strbuf_take(&b);
  strbuf_free(&b);
  return joined;
}

/* ---- describing a rule -------------------------------------------------------------------- */

/* Appends " --option value" for each value. */
static void describe_list(strbuf *b, const char *option, char *const *values, int n) {
  for (int i = 0; i < n; i++)
    strbuf_printf(b, strchr(values[i], ' ') ? " --%s \"%s\"" : " --%s %s", option, values[i]);
}

/* The rule as the options that would make it: "cocoa --source Reuters --since 7d", for text
** output. */
static char *definition(const rule *r) {
  strbuf b = {0};
  if (r->kind == RULE_NEW_TERMS) {
    strbuf_puts(&b, "--new-terms");
    if (r->query && *r->query) strbuf_printf(&b, " --query '%s'", r->query);
    strbuf_printf(&b, " --min-docs %lld --wait %d", r->min_docs, r->wait_days);
    if (!(r->term_flags & TERMS_NAMES)) strbuf_puts(&b, " --words-only");
    if (!(r->term_flags & TERMS_WORDS)) strbuf_puts(&b, " --names-only");
    if (r->term_flags & TERMS_ALL_TOKENS) strbuf_puts(&b, " --all");
  } else {
    strbuf_puts(&b, r->query);
    describe_list(&b, "source", r->sources, r->n_sources);
    describe_list(&b, "tag", r->tags, r->n_tags);
    describe_list(&b, "lang", r->langs, r->n_langs);
    if (r->since) strbuf_printf(&b, " --since %s", r->since);
    if (r->until) strbuf_printf(&b, " --until %s", r->until);
  }
  char *text = strbuf_take(&b);
  strbuf_free(&b);
  /* For a terminal: a query kept as typed may hold anything (output_write_safe()). */
  char *safe = text ? newsidx_text_escaped(text, strlen(text), NEWSIDX_ESCAPE_PROSE) : NULL;
  free(text);
  return safe;
}

/* Pending alerts per rule, counted by a peeking run. */
typedef struct pending {
  rule **rules;
  int n;
  long *counts;
} pending;

static void count_for(pending *p, const rule *r) {
  for (int i = 0; i < p->n; i++)
    if (p->rules[i]->id == r->id) p->counts[i]++;
}

static int count_hit(void *ctx, const rule *r, const search_hit *hit) {
  count_for(ctx, r);
  return 0;
}

static int count_term(void *ctx, const rule *r, const term_row *row, const char *snippet) {
  count_for(ctx, r);
  return 0;
}

static int count_finish(void *ctx) { return 0; }

/* Fills p->counts with what `newsq alerts` would report now for each of p->rules. */
static newsidx_status_t count_pending(newsidx_db *db, time_t now, pending *p, newsidx_error *err) {
  if (!(p->counts = calloc((size_t)p->n + 1, sizeof *p->counts)))
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  const char **names = calloc((size_t)p->n + 1, sizeof *names);
  if (!names) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  for (int i = 0; i < p->n; i++)
    names[i] = p->rules[i]->name;
  alert_sink sink = {1 << RULE_QUERY | 1 << RULE_NEW_TERMS,
                     0,
                     0,
                     count_hit,
                     count_term,
                     count_finish,
                     p,
                     newsq_interrupt_flag()};
  long n = 0;
  newsidx_status_t status =
      p->n ? alerts_run(db, names, p->n, now, ALERTS_PEEK, &sink, &n, err) : NEWSIDX_OK;
  free(names);
  return status;
}

static json_t *json_list(char *const *values, int n) {
  json_t *list = json_array();
  for (int i = 0; list && i < n; i++)
    json_array_append_new(list, json_string(values[i]));
  return list;
}

/* One rule as a JSON object, with its state. */
static json_t *rule_json(const rule *r, int64_t newest, int64_t reported, int64_t kept,
                         long pending_alerts) {
  int terms = r->kind == RULE_NEW_TERMS;
  return json_pack(
      "{s:s, s:s, s:s, s:s?, s:s?, s:o, s:o, s:o, s:o?, s:o?, s:o?, s:o?, s:o?, s:I, s:I, s:s,"
      " s:s?, s:I, s:I, s:I}",
      "name", r->name, "kind", terms ? "new-terms" : "articles", "query", r->query, "since",
      r->since, "until", r->until, "sources", json_list(r->sources, r->n_sources), "tags",
      json_list(r->tags, r->n_tags), "langs", json_list(r->langs, r->n_langs), "min_docs",
      terms ? json_integer(r->min_docs) : NULL, "words",
      terms ? json_boolean(r->term_flags & TERMS_WORDS) : NULL, "names",
      terms ? json_boolean(r->term_flags & TERMS_NAMES) : NULL, "all_tokens",
      terms ? json_boolean(r->term_flags & TERMS_ALL_TOKENS) : NULL, "wait_days",
      terms ? json_integer(r->wait_days) : NULL, "cursor", (json_int_t)r->cursor, "newest_seq",
      (json_int_t)newest, "created_at", r->created_at, "last_run_at", r->last_run_at, "reported",
      (json_int_t)reported, "kept_terms", (json_int_t)kept, "pending", (json_int_t)pending_alerts);
}

/* Prints rules (all of them, or the one named) with their state. */
static int show_rules(newsidx_db *db, rule_args *a, rule **rules, int n, int detailed) {
  pending p = {rules, n, NULL};
  FILE *out = a->common.out;
  newsidx_error err = {0};
  int64_t newest = 0;
  newsidx_status_t status = rules_max_seq(db, &newest, &err);
  if (status == NEWSIDX_OK) status = count_pending(db, a->common.now, &p, &err);
  if (status == NEWSIDX_OK && !detailed && a->common.format != NEWSQ_JSON)
    fprintf(out, "%-20s %-9s %7s  %-20s  %s\n", "NAME", "REPORTS", "PENDING", "LAST RUN",
            "DEFINITION");
  for (int i = 0; status == NEWSIDX_OK && i < n; i++) {
    const rule *r = rules[i];
    int64_t reported = 0, kept = 0;
    status = rules_reported(db, r, &reported, &kept, &err);
    char *text = status == NEWSIDX_OK ? definition(r) : NULL;
    if (status == NEWSIDX_OK && !text) status = newsidx_error_set(&err, NEWSIDX_NOMEM, "no memory");
    if (status != NEWSIDX_OK) break;
    const char *kind = r->kind == RULE_NEW_TERMS ? "new terms" : "articles";
    const char *last = r->last_run_at ? r->last_run_at : "never";
    if (a->common.format == NEWSQ_JSON) {
      json_t *o = rule_json(r, newest, reported, kept, p.counts[i]);
      if (o) json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
      putc('\n', out);
      json_decref(o);
    } else if (!detailed) {
      fprintf(out, "%-20s %-9s %7ld  %-20s  %s\n", r->name, kind, p.counts[i], last, text);
    } else {
      fprintf(out,
              "rule       %s\nreports    %s\ndefinition %s\ncreated    %s\nlast run   %s\n"
              "mark       seq %lld (the index is at %lld)\n",
              r->name, kind, text, r->created_at, last, (long long)r->cursor, (long long)newest);
      if (r->kind == RULE_NEW_TERMS)
        fprintf(out, "reported   %lld terms kept above the mark\n", (long long)kept);
      else
        fprintf(out, "reported   %lld articles\n", (long long)reported);
      fprintf(out, "pending    %ld (what `newsq alerts %s` would report now)\n", p.counts[i],
              r->name);
    }
    free(text);
  }
  free(p.counts);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  fflush(out);
  return ferror(out) ? newsq_output_failed(errno, CLI_EXIT_OK) : CLI_EXIT_OK;
}

/* ---- subcommands -------------------------------------------------------------------------- */

static int rule_add(newsidx_db *db, rule_args *a, char **words, int n_words) {
  rule *r = &a->r;
  if (n_words < 1) return cli_error("newsq", "rule add: give the rule a NAME (see --help)");
  r->name = words[0];
  if (!rule_name_valid(r->name))
    return cli_error("newsq", "bad rule name '%s': use up to %d letters, digits, '-', '_' and '.'",
                     r->name, RULE_NAME_MAX);
  if (r->kind == RULE_QUERY && a->n_term_options)
    return cli_error("newsq", "--query, --min-docs, --wait, --words-only, --names-only and --all "
                              "are for --new-terms rules");
  if (r->kind == RULE_NEW_TERMS && a->n_filters)
    return cli_error("newsq", "a --new-terms rule takes --query Q, not --source, --tag, --lang, "
                              "--since or --until");
  if (a->words_only && a->names_only)
    return cli_error("newsq", "--words-only and --names-only exclude each other");
  if (a->query && n_words > 1)
    return cli_error("newsq", "give the query either as words or with --query, not both");
  r->term_flags = (a->names_only ? 0 : TERMS_WORDS) | (a->words_only ? 0 : TERMS_NAMES) |
                  (a->all_tokens ? TERMS_ALL_TOKENS : 0);
  if (!r->min_docs) r->min_docs = 1;
  r->since = (char *)a->since;
  r->until = (char *)a->until;
  r->sources = (char **)a->common.sources;
  r->n_sources = a->common.n_sources;
  r->tags = (char **)a->common.tags;
  r->n_tags = a->common.n_tags;
  r->langs = (char **)a->common.langs;
  r->n_langs = a->common.n_langs;
  char *query = a->query ? strdup(a->query) : join(words, 1, n_words);
  if (!query) return cli_error("newsq", "out of memory");
  r->query = query;
  newsidx_error err = {0};
  newsidx_status_t status = alerts_check_rule(db, r, a->common.now, NULL, &err);
  if (status == NEWSIDX_OK) status = rules_add(db, r, a->backfill, &err);
  free(query);
  free(r->created_at);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  printf("added rule '%s': %s %s\n", r->name,
         r->kind == RULE_NEW_TERMS ? "reports new terms" : "reports new articles",
         a->backfill ? "already indexed and to come" : "indexed from now on");
  return CLI_EXIT_OK;
}

static int rule_list(newsidx_db *db, rule_args *a, char **words, int n_words) {
  if (n_words) return cli_error("newsq", "rule list takes no names (see rule show NAME)");
  rule **rules = NULL;
  int n = 0;
  newsidx_error err = {0};
  if (rules_list(db, &rules, &n, &err) != NEWSIDX_OK) return newsq_fail(&err);
  int rc = CLI_EXIT_OK;
  if (a->names) /* names are letters, digits, '-', '_' and '.': safe one a line */
    for (int i = 0; i < n; i++)
      printf("%s\n", rules[i]->name);
  else
    rc = show_rules(db, a, rules, n, 0);
  rules_free_all(rules, n);
  return rc;
}

static int rule_show(newsidx_db *db, rule_args *a, char **words, int n_words) {
  if (n_words != 1) return cli_error("newsq", "rule show takes one NAME");
  rule *r = NULL;
  newsidx_error err = {0};
  if (rules_get(db, words[0], &r, &err) != NEWSIDX_OK) return newsq_fail(&err);
  int rc = show_rules(db, a, &r, 1, 1);
  rule_free(r);
  return rc;
}

static int rule_rm(newsidx_db *db, rule_args *a, char **words, int n_words) {
  if (n_words < 1) return cli_error("newsq", "rule rm: name the rules to remove");
  int rc = CLI_EXIT_OK;
  for (int i = 0; i < n_words; i++) {
    newsidx_error err = {0};
    newsidx_status_t status = rules_remove(db, words[i], &err);
    if (status == NEWSIDX_NOT_FOUND) {
      cli_message("newsq", "", err.message);
      if (rc == CLI_EXIT_OK) rc = CLI_EXIT_NONE;
    } else if (status != NEWSIDX_OK) {
      return newsq_fail(&err);
    } else {
      printf("removed rule '%s'\n", words[i]);
    }
  }
  return rc;
}

static int on_test_hit(void *ctx, const search_hit *hit) {
  printer *p = ctx;
  return p->hit(p, hit);
}

/* A query rule over the whole index, as `newsq` would search it (newest first). */
static int test_query_rule(newsidx_db *db, rule_args *a, const rule *r) {
  alert_date_bounds bounds;
  search_options o;
  newsidx_error err = {0};
  printer *p = newsq_printer(&a->common, a->common.out);
  if (!p) return cli_error("newsq", "out of memory");
  newsidx_status_t status = alerts_search_options(r, a->common.now, &bounds, &o, &err);
  int lists = a->common.format == NEWSQ_IDS || a->common.format == NEWSQ_PATHS;
  o.limit = a->limit ? a->limit : lists ? -1 : 10;
  o.want = p->want;
  o.interrupted = newsq_interrupt_flag();
  search *s = NULL;
  long n_hits = 0, total = -1;
  if (status == NEWSIDX_OK) status = search_open(db, &o, &s, &err);
  if (status == NEWSIDX_OK && p->needs_hits) status = search_hits(s, on_test_hit, p, &n_hits, &err);
  if (status == NEWSIDX_OK && p->needs_total) status = search_count(s, &total, &err);
  int matched = p->needs_total ? total > 0 : n_hits > 0;
  if (status == NEWSIDX_OK && p->finish(p, n_hits, total) != 0)
    status = newsidx_error_set(&err, NEWSIDX_IO, "writing the results failed");
  search_close(s);
  int error = p->error;
  p->destroy(p);
  if (status == NEWSIDX_IO && error) return newsq_output_failed(error, CLI_EXIT_OK);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  return matched ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

typedef struct test_terms {
  newsidx_db *db;
  term_printer *p;
  const char *match;
  long n;
} test_terms;

static int on_test_term(void *ctx, const term_row *row) {
  test_terms *t = ctx;
  char *snippet = NULL;
  newsidx_error err = {0};
  if (t->n++ < TEST_EXAMPLES) terms_example(t->db, row, t->match, 24, &snippet, &err);
  int rc = t->p->row(t->p, row, snippet);
  free(snippet);
  return rc;
}

/* A new-terms rule over the whole ledger: every term it would have reported so far. */
static int test_terms_rule(newsidx_db *db, rule_args *a, const rule *r) {
  newsidx_error err = {0};
  char *match = NULL;
  newsidx_status_t status = alerts_check_rule(db, r, a->common.now, &match, &err);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  test_terms t = {db, newsq_term_printer(&a->common, TERM_COLUMNS_NEW, a->common.out), match, 0};
  if (!t.p) {
    free(match);
    return cli_error("newsq", "out of memory");
  }
  terms_new_options o = {NULL, NULL, 0, r->min_docs, match, r->term_flags, (int)a->limit};
  if (!o.limit) o.limit = 20;
  long n = 0;
  status = terms_new(db, &o, on_test_term, &t, &n, &err);
  if (status == NEWSIDX_OK && t.p->finish(t.p) != 0)
    status = newsidx_error_set(&err, NEWSIDX_IO, "writing the results failed");
  int error = t.p->error;
  t.p->destroy(t.p);
  free(match);
  if (status == NEWSIDX_IO && error) return newsq_output_failed(error, CLI_EXIT_OK);
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  return n > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

static int rule_test(newsidx_db *db, rule_args *a, char **words, int n_words) {
  if (n_words != 1) return cli_error("newsq", "rule test takes one NAME");
  rule *r = NULL;
  newsidx_error err = {0};
  if (rules_get(db, words[0], &r, &err) != NEWSIDX_OK) return newsq_fail(&err);
  int rc;
  if (r->kind == RULE_NEW_TERMS && a->common.format != NEWSQ_TEXT &&
      a->common.format != NEWSQ_JSON && a->common.format != NEWSQ_CSV)
    rc = cli_error("newsq", "rule '%s' reports terms: use text, --json or --csv", r->name);
  else
    rc = r->kind == RULE_NEW_TERMS ? test_terms_rule(db, a, r) : test_query_rule(db, a, r);
  rule_free(r);
  return rc;
}

typedef int (*rule_fn)(newsidx_db *db, rule_args *a, char **words, int n_words);

static const struct {
  const char *name;
  rule_fn run;
  const cli_option *options;
  int writes; /* opens the index read-write, in the index's turn (newsq_take_turn()) */
} subcommands[] = {
    {"add", rule_add, add_options, 1},    {"list", rule_list, list_options, 0},
    {"show", rule_show, show_options, 0}, {"rm", rule_rm, rm_options, 1},
    {"test", rule_test, test_options, 0},
};

int cmd_rule(int argc, char **argv) {
  if (cli_wants_commands(argc, argv)) {
    for (size_t k = 0; k < sizeof subcommands / sizeof subcommands[0]; k++)
      printf("%s\n", subcommands[k].name);
    return CLI_EXIT_OK;
  }
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
  }
  size_t k = 0;
  while (k < sizeof subcommands / sizeof subcommands[0] && strcmp(subcommands[k].name, argv[1]))
    k++;
  if (k == sizeof subcommands / sizeof subcommands[0])
    return cli_error("newsq", "unknown rule command '%s' (add, list, show, rm, test)", argv[1]);
  rule_args a;
  memset(&a, 0, sizeof a);
  a.r.wait_days = 7;
  char **words = NULL;
  int n_words = 0;
  newsidx_db *db = NULL;
  char program[32];
  snprintf(program, sizeof program, "newsq rule %s", subcommands[k].name);
  int rc = newsq_common_init(&a.common);
  if (rc == 0)
    rc = newsq_parse_words(program, argc - 1, argv + 1, subcommands[k].options, on_option, &a,
                           &words, &n_words);
  /* Adding or removing a rule waits for a running `newsq alerts`, which then acknowledges the
  ** rules it read, not the ones that replace them. */
  int turn = -1;
  if (rc == 0 && subcommands[k].writes) rc = newsq_take_turn(&a.common, &turn);
  if (rc == 0) rc = newsq_open(&a.common, subcommands[k].writes, &db);
  if (rc == 0) rc = subcommands[k].run(db, &a, words, n_words);
  newsq_close(db);
  if (turn >= 0) close(turn);
  free(words);
  newsq_common_free(&a.common);
  return rc < 0 ? CLI_EXIT_OK : rc;
}
