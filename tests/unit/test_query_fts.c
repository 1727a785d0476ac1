/*
** test_query_fts.c — the data-driven cases of tests/golden/query_fts.test: each query with the
** plan it must compile to (FTS5 expression, exclusions, filters) or the error it must give.
** Adding a case needs no C: see the top of the .test file for the format.
*/
#include "golden.h"

#include "query_fts.h"

#include <time.h>

static const char *golden_path;

/* Relative dates in the cases count from this instant: Tuesday 2026-03-10, 12:00 UTC. */
#define GOLDEN_NOW "2026-03-10T12:00:00Z"

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

typedef struct compile_context {
  newsidx_db *db;
  time_t now;
} compile_context;

static char *compile_case(void *ctx, const char *query) {
  compile_context *cc = ctx;
  return compile_to_text(cc->db, query, cc->now);
}

static void golden_cases(void **state) {
  compile_context cc = {test_open_memory("english"), 0};
  assert_int_equal(query_date_instant(GOLDEN_NOW, &cc.now, NULL), NEWSIDX_OK);
  golden_run_cases(golden_path, compile_case, &cc, 50);
  newsidx_db_close(cc.db);
}

/* Does FTS5 accept `expr`? */
static int fts5_accepts(newsidx_db *db, const char *expr) {
  sqlite3_stmt *stmt = NULL;
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  assert_int_equal(
      sqlite3_prepare_v2(sqlite, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", -1,
                         &stmt, NULL),
      SQLITE_OK);
  sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_STATIC);
  int ok = sqlite3_step(stmt) == SQLITE_ROW;
  sqlite3_finalize(stmt);
  return ok;
}

/* A tree whose leaves vanish only when compiled (parsed without the index, so ':' stays a
** word): a group left with one field in it is still put in parentheses after another field,
** "title : (body : x)", which FTS5 accepts, and not "title : body : x", which it refuses. */
static void field_left_alone_in_a_group_stays_in_parentheses(void **state) {
  static const char *const cases[][2] = {
      {"title:(: body:oil)", "title : (body : \"oil\")"},
      {"title:(: body:(— title:oil))", "title : (body : (title : \"oil\"))"},
      {"body:($ title:oil OR —)", "body : (title : \"oil\")"},
  };
  newsidx_db *db = test_open_memory("english");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    query_ast *ast = NULL;
    query_plan plan;
    newsidx_error err = {0};
    assert_int_equal(query_parse(cases[i][0], 0, NULL, &ast, &err), NEWSIDX_OK);
    assert_int_equal(query_compile_ast(db, ast, &plan, &err), NEWSIDX_OK);
    assert_non_null(plan.match);
    if (strcmp(plan.match, cases[i][1]) != 0)
      fail_msg("%s: expected %s, got %s", cases[i][0], cases[i][1], plan.match);
    assert_true(fts5_accepts(db, plan.match));
    query_plan_free(&plan);
    query_ast_free(ast);
  }
  newsidx_db_close(db);
}

/* Queries glued from random pieces (a fixed seed, so every run is the same): each one either
** compiles to expressions FTS5 accepts, or fails with a query error that names a column. */
static void random_queries_compile_or_fail_cleanly(void **state) {
  static const char *const pieces[] = {"cocoa",
                                       "U.S.",
                                       "narco-terrorism",
                                       "$11.1bn",
                                       "O'Brien",
                                       "O’Brien",
                                       "'",
                                       "\"",
                                       "“",
                                       "”",
                                       "«",
                                       "»",
                                       "(",
                                       ")",
                                       "(",
                                       ")",
                                       "AND",
                                       "OR",
                                       "NOT",
                                       "NEAR",
                                       "NEAR/3",
                                       "NEAR(",
                                       ",",
                                       "-",
                                       "*",
                                       "-x",
                                       "y*",
                                       "title:",
                                       "body:",
                                       "date:2026-03",
                                       "source:ap",
                                       "tag:a,b",
                                       "lang:en",
                                       "date:7d..",
                                       "http://x.org",
                                       "10:30",
                                       "—",
                                       "$",
                                       "and",
                                       "or",
                                       ":",
                                       "\"a b\"",
                                       "+",
                                       "|",
                                       "é",
                                       "\xff"};
  newsidx_db *db = test_open_memory("english");
  uint32_t seed = 12345;
  int n_ok = 0, n_errors = 0;
  for (int round = 0; round < 20000; round++) {
    char query[400] = "";
    size_t used = 0;
    int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
    for (int k = 0; k < n; k++) {
      seed = seed * 1103515245u + 12345u;
      const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
      int space = (seed >> 8) & 1;
      used += (size_t)snprintf(query + used, sizeof query - used, "%s%s", piece, space ? " " : "");
    }
    query_plan plan;
    newsidx_error err = {0};
    newsidx_status_t status = query_compile(db, query, 1773144000, &plan, &err);
    if (status == NEWSIDX_OK) {
      n_ok++;
      if ((plan.match && !fts5_accepts(db, plan.match)) ||
          (plan.exclude && !fts5_accepts(db, plan.exclude)))
        fail_msg("%s: FTS5 rejects %s / %s", query, plan.match ? plan.match : "-",
                 plan.exclude ? plan.exclude : "-");
    } else {
      n_errors++;
      int column = 0;
      if (status != NEWSIDX_QUERY ||
          sscanf(err.message, "query error at column %d: ", &column) != 1 || column < 1 ||
          column > (int)strlen(query) + 1)
        fail_msg("%s: status %d, %s", query, status, err.message);
    }
    query_plan_free(&plan);
  }
  newsidx_db_close(db);
  print_message("%d compiled, %d errors\n", n_ok, n_errors);
  assert_true(n_ok > 10000); /* the language is forgiving: most random text is a query */
}

int main(int argc, char **argv) {
  golden_path = getenv("NEWSIDX_GOLDEN");
  if (argc > 1) golden_path = argv[1];
  if (!golden_path) golden_path = "query_fts.test";
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(golden_cases),
      cmocka_unit_test(field_left_alone_in_a_group_stays_in_parentheses),
      cmocka_unit_test(random_queries_compile_or_fail_cleanly)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
