/*
** fuzz_query.c — the query compiler on any text, against a tiny in-memory index.
**
** Invariants: a query compiles or fails with NEWSIDX_QUERY and a one-line message "query
** error at column N: why", N within the query (1 to its length in characters + 1); a
** compiled FTS5 expression is accepted by FTS5.
**
** The compiler is called through one function, compile(), so that the target follows the
** query parser when its entry point changes.
*/
#include "fuzz.h"
#include "query_fts.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static newsidx_db *db;
static sqlite3_stmt *count_matches;

#define ERROR_PREFIX "query error at column "

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  static const newsidx_article articles[] = {
      {.key = "a",
       .date = "2026-03-05",
       .title = "Strike on narco-terrorists",
       .body = "The U.S. military said the strike, near the coast, hit a boat.",
       .source = "x",
       .tags = "y",
       .file_size = -1,
       .file_mtime = -1},
      {.key = "b",
       .title = "Rates",
       .body = "Lt. Gen. O'Brien: rates rose 76% to $11.1bn.",
       .file_size = -1,
       .file_mtime = -1},
  };
  db = fuzz_open_index();
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_begin(db, &err);
  for (size_t i = 0; i < sizeof articles / sizeof articles[0] && status == NEWSIDX_OK; i++) {
    newsidx_store_outcome outcome;
    status = newsidx_store_article(db, &articles[i], &outcome, NULL, &err);
  }
  if (status == NEWSIDX_OK) status = newsidx_commit(db, &err);
  FUZZ_CHECK(status == NEWSIDX_OK, "%s", err.message);
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  int rc =
      sqlite3_prepare_v2(sqlite, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
                         -1, &count_matches, NULL);
  FUZZ_CHECK(rc == SQLITE_OK, "%s", sqlite3_errmsg(sqlite));
  return 0;
}

/* The parser's entry point: the FTS5 expression of `query` in *match (free() it; NULL when
** there is nothing to search), or a status and message. */
static newsidx_status_t compile(const char *query, char **match, newsidx_error *err) {
  query_plan plan;
  newsidx_status_t status = query_compile(db, query, 1772668800 /* 2026-03-05 */, &plan, err);
  *match = NULL;
  if (status == NEWSIDX_OK && plan.match) *match = strdup(plan.match);
  query_plan_free(&plan);
  return status;
}

/* Length of s in characters (UTF-8 lead bytes and stray bytes), as error columns count. */
static long n_chars(const char *s) {
  long n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *query = fuzz_cstring(data, size), *match;
  newsidx_error err = {0};
  newsidx_status_t status = compile(query, &match, &err);
  if (status == NEWSIDX_OK && match) {
    sqlite3_bind_text(count_matches, 1, match, -1, SQLITE_STATIC);
    int rc = sqlite3_step(count_matches);
    FUZZ_CHECK(rc == SQLITE_ROW, "FTS5 refuses %s: %s", match,
               sqlite3_errmsg(newsidx_db_sqlite(db)));
    sqlite3_reset(count_matches);
  } else if (status != NEWSIDX_OK) {
    FUZZ_CHECK(status == NEWSIDX_QUERY, "status %d: %s", (int)status, err.message);
    fuzz_check_message(&err);
    FUZZ_CHECK(strncmp(err.message, ERROR_PREFIX, strlen(ERROR_PREFIX)) == 0, "message \"%s\"",
               err.message);
    long column = strtol(err.message + strlen(ERROR_PREFIX), NULL, 10);
    FUZZ_CHECK(column >= 1 && column <= n_chars(query) + 1, "column %ld in a query of %ld", column,
               n_chars(query));
  }
  free(match);
  free(query);
  return 0;
}
