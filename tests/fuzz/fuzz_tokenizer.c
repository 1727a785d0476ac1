/*
** fuzz_tokenizer.c — the snowball tokenizer on any bytes, invalid UTF-8 included.
**
** Invariants: newsidx_tokenize() succeeds; every token has a non-empty stem of at most
** NEWSIDX_TOKEN_MAX bytes and a surface range [start, end) inside the text, after the
** previous token's. Round trip through FTS5: the text, stored as a document of a small
** fts5 table with tokenize='snowball english', is found by a phrase query for the surface
** form of one of its tokens.
*/
#include "fuzz.h"
#include "tokenizer.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static newsidx_db *db;
static sqlite3_stmt *insert_doc, *count_matches, *clear_docs;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  db = fuzz_open_index();
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  int rc =
      sqlite3_exec(sqlite, "CREATE VIRTUAL TABLE fz USING fts5(x, tokenize='snowball english')",
                   NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(sqlite, "INSERT INTO fz(x) VALUES(?1)", -1, &insert_doc, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(sqlite, "SELECT count(*) FROM fz WHERE fz MATCH ?1", -1, &count_matches,
                            NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(sqlite, "DELETE FROM fz", -1, &clear_docs, NULL);
  FUZZ_CHECK(rc == SQLITE_OK, "%s", sqlite3_errmsg(sqlite));
  return 0;
}

typedef struct token_walk {
  const char *text;
  int n_text;
  int n_tokens;
  int previous_end;
  int probe_start, probe_end; /* the surface form to search for; probe_end 0: none yet */
} token_walk;

static int on_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  token_walk *w = ctx;
  FUZZ_CHECK(n_stem > 0 && n_stem <= NEWSIDX_TOKEN_MAX, "stem of %d bytes", n_stem);
  FUZZ_CHECK(start >= w->previous_end && start < end && end <= w->n_text,
             "token %d at [%d, %d) after %d in %d bytes", w->n_tokens, start, end, w->previous_end,
             w->n_text);
  w->previous_end = end;
  w->n_tokens++;
  /* The first token whose surface form is valid UTF-8 (the query tokenizer sees it alone). */
  if (!w->probe_end && newsidx_utf8_valid(w->text + start, (size_t)(end - start))) {
    w->probe_start = start;
    w->probe_end = end;
  }
  return 0;
}

/* Runs `stmt` to its first row; returns its first column (or -1 without a row) and resets. */
static long long step_once(sqlite3_stmt *stmt) {
  int rc = sqlite3_step(stmt);
  long long value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  FUZZ_CHECK(rc == SQLITE_ROW || rc == SQLITE_DONE, "%s", sqlite3_errmsg(newsidx_db_sqlite(db)));
  sqlite3_reset(stmt);
  return value;
}

/* Stores the text in fz and checks that a phrase query for the probe token finds it. */
static void round_trip(const token_walk *w) {
  sqlite3_bind_text(insert_doc, 1, w->text, w->n_text, SQLITE_STATIC);
  step_once(insert_doc);
  /* An FTS5 string: the surface form in double quotes, inner quotes doubled. */
  char *phrase = malloc(2 * (size_t)(w->probe_end - w->probe_start) + 3);
  FUZZ_CHECK(phrase, "out of memory");
  size_t n = 0;
  phrase[n++] = '"';
  for (int i = w->probe_start; i < w->probe_end; i++) {
    if (w->text[i] == '"') phrase[n++] = '"';
    phrase[n++] = w->text[i];
  }
  phrase[n++] = '"';
  sqlite3_bind_text(count_matches, 1, phrase, (int)n, SQLITE_STATIC);
  long long found = step_once(count_matches);
  FUZZ_CHECK(found == 1, "%.*s found %lld times", (int)n, phrase, found);
  free(phrase);
  step_once(clear_docs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > INT_MAX / 2) return 0;
  token_walk w = {(const char *)data, (int)size, 0, 0, 0, 0};
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_tokenize(db, w.text, w.n_text, on_token, &w, &err);
  FUZZ_CHECK(status == NEWSIDX_OK, "%s", err.message);
  if (w.probe_end) round_trip(&w);
  return 0;
}
