/*
** test_query_fts.c — the data-driven cases of tests/golden/query_fts.test: each query with the
** plan it must compile to (FTS5 expression, exclusions, filters) or the error it must give.
** Adding a case needs no C: see the top of the .test file for the format.
*/
#include "test_util.h"

#include "query_fts.h"

#include <time.h>

static const char *golden_path;

/* Relative dates in the cases count from this instant: Tuesday 2026-03-10, 12:00 UTC. */
#define GOLDEN_NOW "2026-03-10T12:00:00Z"

typedef struct golden_case {
  int line;
  char *query;
  char *expected; /* lines joined with '\n', ending with one */
} golden_case;

static char *compile_to_text(newsidx_db *db, const char *query, time_t now) {
  query_plan plan;
  newsidx_error err = {0};
  char *got;
  if (query_compile(db, query, now, &plan, &err) == NEWSIDX_OK) {
    got = query_plan_describe(&plan);
    /* FTS5 itself must accept every expression the compiler writes. */
    const char *exprs[] = {plan.match, plan.exclude};
    for (int i = 0; i < 2; i++) {
      if (!exprs[i]) continue;
      sqlite3_stmt *stmt = NULL;
      sqlite3 *sqlite = newsidx_db_sqlite(db);
      assert_int_equal(sqlite3_prepare_v2(sqlite,
                                          "SELECT count(*) FROM articles_fts"
                                          " WHERE articles_fts MATCH ?",
                                          -1, &stmt, NULL),
                       SQLITE_OK);
      sqlite3_bind_text(stmt, 1, exprs[i], -1, SQLITE_STATIC);
      if (sqlite3_step(stmt) != SQLITE_ROW)
        fail_msg("FTS5 rejects %s (from %s): %s", exprs[i], query, sqlite3_errmsg(sqlite));
      sqlite3_finalize(stmt);
    }
  } else {
    size_t n = strlen(err.message) + 16;
    got = malloc(n);
    snprintf(got, n, "error: %s\n", err.message);
  }
  query_plan_free(&plan);
  return got;
}

/* Reads the next case from f; returns 0 at the end of the file. */
static int read_case(FILE *f, int *line_no, golden_case *c) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  memset(c, 0, sizeof *c);
  size_t used = 0;
  while ((n = getline(&line, &cap, f)) >= 0) {
    (*line_no)++;
    if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
    if (!c->query) {
      if (n == 0 || line[0] == '#') continue;
      c->query = strdup(line);
      c->line = *line_no;
      continue;
    }
    if (n == 0) break;
    c->expected = realloc(c->expected, used + (size_t)n + 2);
    memcpy(c->expected + used, line, (size_t)n);
    used += (size_t)n;
    c->expected[used++] = '\n';
    c->expected[used] = '\0';
  }
  free(line);
  if (c->query && !c->expected) c->expected = strdup("");
  return c->query != NULL;
}

static void golden_cases(void **state) {
  FILE *f = fopen(golden_path, "r");
  if (!f) fail_msg("cannot open %s", golden_path);
  newsidx_db *db = test_open_memory("english");
  time_t now;
  assert_int_equal(query_date_instant(GOLDEN_NOW, &now, NULL), NEWSIDX_OK);
  int line_no = 0, n_cases = 0, n_failed = 0;
  /* NEWSIDX_GOLDEN_PRINT=1 prints every case with what it compiles to now, in the file's
  ** format: a way to write new cases (review what it prints before you keep it). */
  int print = getenv("NEWSIDX_GOLDEN_PRINT") != NULL;
  golden_case c;
  while (read_case(f, &line_no, &c)) {
    n_cases++;
    char *got = compile_to_text(db, c.query, now);
    if (print) printf("%s\n%s\n", c.query, got);
    if (!print && strcmp(got, c.expected) != 0) {
      n_failed++;
      print_error("%s:%d: %s\n  expected:\n%s  got:\n%s", golden_path, c.line, c.query, c.expected,
                  got);
    }
    free(got);
    free(c.query);
    free(c.expected);
  }
  fclose(f);
  newsidx_db_close(db);
  print_message("%d cases, %d failed\n", n_cases, n_failed);
  assert_true(n_cases >= 50);
  assert_int_equal(n_failed, 0);
}

int main(int argc, char **argv) {
  golden_path = getenv("NEWSIDX_GOLDEN");
  if (argc > 1) golden_path = argv[1];
  if (!golden_path) golden_path = "query_fts.test";
  const struct CMUnitTest tests[] = {cmocka_unit_test(golden_cases)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
