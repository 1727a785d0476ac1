/*
** query_bench.c — in-process query latency: runs each query of a list many times after a
** warm-up and prints per-query and overall p50/p95 as one JSON object (bench/README.md).
**
**   query_bench --db NEWS.DB QUERIES.tsv        newsidx: each query through the search API,
**                                               as newsq runs it (top 10, snippets);
**                                               --sort date for newest first
**   query_bench --raw-fts5 RAW.DB QUERIES.tsv   plain SQLite: each "query" is one SQL statement
**                                               (bench/baseline_fts5.py writes them)
**
** QUERIES.tsv has one query per line: an id, a tab, the text. Each repetition is timed from
** the call to the last row read, with the monotonic clock. A query is run --warmup times
** untimed, then timed until it has --min-reps samples and either --max-reps samples or
** --budget-ms of timed work. Overall p50/p95 are taken over the per-query medians, so that
** every query weighs the same whatever its speed. A query that fails is reported with its
** error and left out of the overall figures.
*/
#include "cli.h"
#include "newsidx_query.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DB, OPT_RAW, OPT_SORT, OPT_WARMUP, OPT_MIN_REPS, OPT_MAX_REPS, OPT_BUDGET, OPT_HELP };

static const cli_option options[] = {
    {"db", 0, OPT_DB, "FILE", "a newsidx index: queries are newsq queries"},
    {"raw-fts5", 0, OPT_RAW, "FILE", "a plain SQLite database: queries are SQL statements"},
    {"sort", 0, OPT_SORT, "ORDER", "newsidx: relevance (default), date or hybrid"},
    {"warmup", 0, OPT_WARMUP, "N", "untimed runs of each query first (default 3)"},
    {"min-reps", 0, OPT_MIN_REPS, "N", "timed runs of each query, at least (default 10)"},
    {"max-reps", 0, OPT_MAX_REPS, "N", "timed runs of each query, at most (default 1000)"},
    {"budget-ms", 0, OPT_BUDGET, "MS", "timed work per query once min-reps is met (default 500)"},
    {"help", 'h', OPT_HELP, NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

typedef struct bench_args {
  const char *db_path;
  int raw;
  int sort; /* search_sort */
  long warmup, min_reps, max_reps, budget_ms;
} bench_args;

static int on_option(void *ctx, int id, const char *arg) {
  bench_args *a = ctx;
  switch (id) {
  case OPT_DB: a->db_path = arg; break;
  case OPT_RAW:
    a->db_path = arg;
    a->raw = 1;
    break;
  case OPT_SORT: {
    static const char *const sorts[] = {"relevance", "date", "hybrid", NULL}; /* search_sort */
    return cli_parse_choice("query_bench", "sort", arg, sorts, &a->sort);
  }
  case OPT_WARMUP: return cli_parse_int("query_bench", "warmup", arg, 0, 1000, &a->warmup);
  case OPT_MIN_REPS: return cli_parse_int("query_bench", "min-reps", arg, 1, 100000, &a->min_reps);
  case OPT_MAX_REPS: return cli_parse_int("query_bench", "max-reps", arg, 1, 100000, &a->max_reps);
  case OPT_BUDGET: return cli_parse_int("query_bench", "budget-ms", arg, 0, 600000, &a->budget_ms);
  case OPT_HELP:
    printf("Usage: query_bench (--db FILE | --raw-fts5 FILE) [options] QUERIES.tsv\n\n");
    cli_print_options(stdout, options);
    return -1;
  }
  return 0;
}

/* The engine under test: runs one query to completion and writes the number of hits read. */
typedef struct engine {
  newsidx_db *db; /* --db */
  search_sort sort;
  sqlite3 *raw; /* --raw-fts5 */
  char message[512];
} engine;

static int count_hit(void *ctx, const search_hit *hit) {
  (*(long *)ctx)++;
  return 0;
}

/* Returns 0, or -1 with e->message set. */
static int run_newsidx(engine *e, const char *query, long *n_hits) {
  newsidx_error err = {0};
  long n_delivered = 0;
  *n_hits = 0;
  /* The only use of the search API: the top 10 with snippets, as newsq asks for them. */
  search_options wanted = {.query = query, .limit = 10, .sort = e->sort};
  search *s = NULL;
  newsidx_status_t status = search_open(e->db, &wanted, &s, &err);
  if (status == NEWSIDX_OK) status = search_hits(s, count_hit, n_hits, &n_delivered, &err);
  search_close(s);
  if (status != NEWSIDX_OK) {
    snprintf(e->message, sizeof e->message, "%s", err.message);
    return -1;
  }
  return 0;
}

/* Steps `sql` to the end, reading every column of every row as text, as a client would. */
static int run_raw(engine *e, const char *sql, long *n_hits) {
  sqlite3_stmt *stmt = NULL;
  size_t n_bytes = 0;
  int rc = sqlite3_prepare_v2(e->raw, sql, -1, &stmt, NULL);
  *n_hits = 0;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(stmt); i++) {
      sqlite3_column_text(stmt, i);
      n_bytes += (size_t)sqlite3_column_bytes(stmt, i);
    }
    (*n_hits)++;
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_DONE) snprintf(e->message, sizeof e->message, "%s", sqlite3_errmsg(e->raw));
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? 0 : -1;
}

static int run_query(engine *e, const char *text, long *n_hits) {
  return e->raw ? run_raw(e, text, n_hits) : run_newsidx(e, text, n_hits);
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The p-quantile (0..1) of n sorted values, interpolating linearly between ranks. */
static double quantile(const double *sorted, size_t n, double p) {
  double position = p * (double)(n - 1);
  size_t below = (size_t)position;
  if (below + 1 >= n) return sorted[n - 1];
  return sorted[below] + (position - (double)below) * (sorted[below + 1] - sorted[below]);
}

/* Times one query; returns its JSON record (with "error" on failure) and appends its median
** to medians[*n_medians] when it succeeded. */
static json_t *bench_query(engine *e, const bench_args *a, const char *id, const char *text,
                           double *samples, double *medians, size_t *n_medians) {
  long n_hits = 0;
  for (long i = 0; i < a->warmup; i++)
    if (run_query(e, text, &n_hits) != 0)
      return json_pack("{s:s, s:s}", "id", id, "error", e->message);
  size_t n = 0;
  double timed = 0; /* seconds */
  while (n < (size_t)a->max_reps && (n < (size_t)a->min_reps || timed * 1000 < a->budget_ms)) {
    double started = cli_now();
    if (run_query(e, text, &n_hits) != 0)
      return json_pack("{s:s, s:s}", "id", id, "error", e->message);
    samples[n] = (cli_now() - started) * 1000; /* ms */
    timed += samples[n++] / 1000;
  }
  qsort(samples, n, sizeof *samples, compare_double);
  double p50 = quantile(samples, n, 0.5);
  medians[(*n_medians)++] = p50;
  return json_pack("{s:s, s:i, s:i, s:f, s:f, s:f}", "id", id, "hits", (json_int_t)n_hits, "reps",
                   (json_int_t)n, "p50_ms", p50, "p95_ms", quantile(samples, n, 0.95), "min_ms",
                   samples[0]);
}

/* Reads "id<TAB>text" lines into *lines: one allocation a line, the id and then the text,
** NUL-separated. Returns the number of lines read, or -1 when the file cannot be read. */
static long read_queries(const char *path, char ***lines) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char *line = NULL;
  size_t size = 0;
  long n = 0;
  *lines = NULL;
  while (getline(&line, &size, f) > 0) {
    line[strcspn(line, "\r\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = '\0';
    char **grown = realloc(*lines, (size_t)(n + 1) * sizeof **lines);
    if (!grown) break;
    *lines = grown;
    size_t n_line = (size_t)(tab - line) + 1 + strlen(tab + 1) + 1;
    if (!((*lines)[n] = malloc(n_line))) break;
    memcpy((*lines)[n++], line, n_line);
  }
  free(line);
  fclose(f);
  return n;
}

/* The query text of a line read by read_queries(). */
static const char *query_text(const char *line) { return line + strlen(line) + 1; }

static int open_engine(engine *e, const bench_args *a) {
  if (a->raw) {
    int rc = sqlite3_open_v2(a->db_path, &e->raw, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) return 0;
    return cli_error("query_bench", "%s: %s", a->db_path, sqlite3_errmsg(e->raw));
  }
  newsidx_open_options open_options = {NEWSIDX_OPEN_READONLY, NULL, 0};
  newsidx_error err = {0};
  if (newsidx_db_open(a->db_path, &open_options, &e->db, &err) != NEWSIDX_OK)
    return cli_fail("query_bench", &err);
  return 0;
}

int main(int argc, char **argv) {
  bench_args a = {NULL, 0, SEARCH_SORT_RELEVANCE, 3, 10, 1000, 500};
  int first;
  int rc = cli_parse("query_bench", argc, argv, options, on_option, &a, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  if (!a.db_path || first + 1 != argc)
    return cli_error("query_bench", "usage: query_bench (--db FILE | --raw-fts5 FILE) "
                                    "[options] QUERIES.tsv");
  if (a.max_reps < a.min_reps) a.max_reps = a.min_reps;

  char **lines = NULL;
  long n_queries = read_queries(argv[first], &lines);
  if (n_queries < 0) return cli_error("query_bench", "%s: cannot read the queries", argv[first]);
  engine e = {0};
  e.sort = (search_sort)a.sort;
  json_t *results = json_array();
  double *samples = malloc((size_t)a.max_reps * sizeof *samples);
  double *medians = malloc((size_t)(n_queries + 1) * sizeof *medians);
  size_t n_medians = 0;
  rc = open_engine(&e, &a);
  if (rc == 0 && (!results || !samples || !medians)) rc = cli_error("query_bench", "no memory");
  for (long i = 0; rc == 0 && i < n_queries; i++)
    json_array_append_new(
        results, bench_query(&e, &a, lines[i], query_text(lines[i]), samples, medians, &n_medians));
  if (rc == 0) {
    json_t *report =
        json_pack("{s:s, s:s, s:o, s:i}", "engine", a.raw ? "raw-fts5" : "newsidx", "db", a.db_path,
                  "queries", json_incref(results), "n_timed", (json_int_t)n_medians);
    if (n_medians > 0) {
      qsort(medians, n_medians, sizeof *medians, compare_double);
      json_object_set_new(report, "p50_ms", json_real(quantile(medians, n_medians, 0.5)));
      json_object_set_new(report, "p95_ms", json_real(quantile(medians, n_medians, 0.95)));
    }
    json_dumpf(report, stdout, JSON_COMPACT);
    printf("\n");
    json_decref(report);
  }
  json_decref(results);
  free(samples);
  free(medians);
  for (long i = 0; i < n_queries; i++)
    free(lines[i]);
  free(lines);
  if (e.db) newsidx_db_close(e.db);
  if (e.raw) sqlite3_close(e.raw);
  return rc;
}
