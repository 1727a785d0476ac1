/*
** test_util.h — small helpers shared by the cmocka tests.
*/
#ifndef NEWSIDX_TEST_UTIL_H
#define NEWSIDX_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "newsidx.h"
#include "db_internal.h" /* NEWSIDX_SQL_*, for the schema downgrades below */

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh temporary directory for one test; removed (recursively) by test_tmpdir_remove. */
static inline char *test_tmpdir(void) {
  char *dir = strdup("/tmp/newsidx-test-XXXXXX");
  assert_non_null(dir);
  assert_non_null(mkdtemp(dir));
  return dir;
}

static inline void test_tmpdir_remove(char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  free(dir);
}

/* Writes `n` bytes of `data` to dir/name and returns the path (free() it). */
static inline char *test_write_file(const char *dir, const char *name, const char *data, size_t n) {
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  assert_non_null(path);
  snprintf(path, strlen(dir) + strlen(name) + 2, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  fclose(f);
  return path;
}

/* Opens (creating) an index in memory. */
static inline newsidx_db *test_open_memory(const char *language) {
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, language, 0};
  newsidx_db *db = NULL;
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_db_open(":memory:", &options, &db, &err);
  if (status != NEWSIDX_OK) fail_msg("open: %s", err.message);
  return db;
}

/* Stores one article read from `path` (NULL: the key) in a transaction of its own. */
static inline newsidx_store_outcome test_store(newsidx_db *db, const char *key, const char *path,
                                               const char *date, const char *source,
                                               const char *body) {
  newsidx_article a = {0};
  a.key = key;
  a.path = path ? path : key;
  a.date = date;
  a.source = source;
  a.body = body;
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  if (newsidx_begin(db, &err) != NEWSIDX_OK ||
      newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK ||
      newsidx_commit(db, &err) != NEWSIDX_OK)
    fail_msg("storing %s: %s", key, err.message);
  return outcome;
}

/* Stores the article of a text file read whole (key and path `path`, with the file's size and
** mtime) in a transaction of its own; returns its id. */
static inline int64_t test_store_file(newsidx_db *db, const char *path, const char *body,
                                      int64_t size, int64_t mtime) {
  newsidx_article a = {0};
  a.key = a.path = path;
  a.body = body;
  a.file_size = size;
  a.file_mtime = mtime;
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  int64_t id = 0;
  if (newsidx_begin(db, &err) != NEWSIDX_OK ||
      newsidx_store_article(db, &a, &outcome, &id, &err) != NEWSIDX_OK ||
      newsidx_commit(db, &err) != NEWSIDX_OK)
    fail_msg("storing %s: %s", path, err.message);
  return id;
}

/* Stores an article without a file (no path: a feed item's, say) under `key`, in a
** transaction of its own. */
static inline void test_store_without_file(newsidx_db *db, const char *key, const char *body) {
  newsidx_article a = {.key = key, .body = body, .file_size = -1, .file_mtime = -1};
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  if (newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK)
    fail_msg("storing %s: %s", key, err.message);
}

/* The text that `sql` gives in its one row and column (NULL for NULL); free() it. */
static inline char *test_query_text(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  if (sqlite3_step(stmt) != SQLITE_ROW) fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
  const unsigned char *text = sqlite3_column_text(stmt, 0);
  char *copy = text ? strdup((const char *)text) : NULL;
  sqlite3_finalize(stmt);
  return copy;
}

/* Runs a query returning one integer. */
static inline long long test_query_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(db));
  if (sqlite3_step(stmt) != SQLITE_ROW) fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
  long long v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

/* core/db_internal.h: builds `articles` again, from `articles_new` as create_and_fill makes it. */
int newsidx_schema_rebuild_articles(sqlite3 *sqlite, const char *create_and_fill);

/* Takes an index of the current schema back to `version`, as an older newsidx left it, so that
** a test can check the migrations from there: what each migration (core/schema.c) added, undone
** newest first (undo[v], then the table articles built again as rebuild[v] says). A new
** migration adds its undoing here. */
static inline void test_schema_downgrade(sqlite3 *db, int version) {
  static const char *const undo[] = {
      [2] = "DROP TABLE input_files;",
      [3] = "DROP TABLE terms;",
      [4] = "DROP TABLE rules; DROP TABLE rule_hits; DROP TABLE rule_terms;"
            " DROP TRIGGER articles_deleted; DROP INDEX terms_seq;"
            " ALTER TABLE terms DROP COLUMN seq;",
      [5] = "DROP INDEX articles_file; ALTER TABLE articles DROP COLUMN file_id;"
            " DROP TABLE files; CREATE INDEX articles_path ON articles(path);",
      [6] = "DROP TABLE docinfo;",
      [7] = "CREATE INDEX terms_first_article ON terms(first_article);",
      [8] = "DROP TABLE term_docs; DELETE FROM meta"
            " WHERE key IN ('fts_generation', 'term_docs_generation');",
      [9] = "CREATE INDEX terms_seq ON terms(seq);",
      [10] = "CREATE TABLE terms_v9(term TEXT NOT NULL, kind INTEGER NOT NULL,"
             " surface TEXT NOT NULL, first_article INTEGER NOT NULL, first_date TEXT,"
             " first_indexed TEXT NOT NULL, n_docs INTEGER NOT NULL,"
             " seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(term, kind)) WITHOUT ROWID;"
             " INSERT INTO terms_v9 SELECT term, kind, surface, first_article,"
             " CASE first_when % 2 WHEN 0"
             " THEN strftime('%Y-%m-%dT%H:%M:%SZ', first_when / 2, 'unixepoch')"
             " ELSE date((first_when + 1) / 2, 'unixepoch') END,"
             " strftime('%Y-%m-%dT%H:%M:%SZ', first_indexed, 'unixepoch'), n_docs, seq"
             " FROM terms; DROP TABLE terms; ALTER TABLE terms_v9 RENAME TO terms;"
             " UPDATE articles SET path = CASE WHEN file_id IS NOT NULL"
             " THEN (SELECT f.path FROM files f WHERE f.id = file_id)"
             " WHEN path = '' THEN key ELSE path END;",
      [11] = "INSERT OR IGNORE INTO input_files SELECT key, file_size, file_mtime, file_size,"
             " 0, 0, 0, indexed_at FROM articles"
             " WHERE path = '' AND file_id IS NULL AND file_size >= 0;",
      [12] = "ALTER TABLE articles ADD COLUMN indexed_at TEXT NOT NULL DEFAULT '';"
             " UPDATE articles SET indexed_at = "
             "strftime('%Y-%m-%dT%H:%M:%SZ', " NEWSIDX_SQL_INDEXED_AT ", 'unixepoch');"
             " CREATE TABLE terms_v11(term TEXT NOT NULL, kind INTEGER NOT NULL,"
             " surface TEXT NOT NULL, first_article INTEGER NOT NULL, first_when INTEGER,"
             " first_indexed INTEGER NOT NULL, n_docs INTEGER NOT NULL,"
             " seq INTEGER NOT NULL, PRIMARY KEY(term, kind)) WITHOUT ROWID;"
             " INSERT INTO terms_v11 SELECT term, kind, surface, first_article, first_when,"
             " first_indexed, n_docs, seq FROM terms; DROP VIEW terms;"
             " DROP TABLE term_origins; DROP TABLE batches;"
             " ALTER TABLE terms_v11 RENAME TO terms;",
      [13] = "DROP VIEW article_keys; DROP INDEX articles_key; DROP INDEX articles_folder;",
      [14] = "PRAGMA legacy_alter_table = ON; CREATE TABLE rules_v13(id INTEGER PRIMARY KEY,"
             " name TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL, query TEXT NOT NULL,"
             " options TEXT NOT NULL, cursor INTEGER NOT NULL DEFAULT 0,"
             " created_at TEXT NOT NULL, last_run_at TEXT);"
             " INSERT INTO rules_v13 SELECT * FROM rules; DROP TABLE rules;"
             " ALTER TABLE rules_v13 RENAME TO rules; DELETE FROM sqlite_sequence;"
             " PRAGMA legacy_alter_table = OFF;",
      [15] = "DROP TABLE fetched;",
  };
  static const char *const rebuild[] = {
      [13] = "CREATE TABLE articles_new(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
             " path TEXT, content_hash INTEGER NOT NULL, dup_of INTEGER, date TEXT, title TEXT,"
             " body TEXT NOT NULL, source TEXT, url TEXT, author TEXT, lang TEXT, tags TEXT,"
             " file_size INTEGER NOT NULL DEFAULT -1, file_mtime INTEGER NOT NULL DEFAULT -1,"
             " seq INTEGER NOT NULL, file_id INTEGER);"
             " INSERT INTO articles_new SELECT id, " NEWSIDX_SQL_ARTICLE_KEY ", path,"
             " content_hash, dup_of, date, title, body, source, url, author, lang, tags,"
             " file_size, file_mtime, seq, file_id FROM articles ORDER BY id;"
             " DELETE FROM files WHERE substr(path, -1) = '/';",
  };
  int current = (int)test_query_int(db, "PRAGMA user_version");
  if (current >= (int)(sizeof undo / sizeof undo[0]))
    fail_msg("test_schema_downgrade() does not know how to undo version %d", current);
  for (int v = current; v > version; v--) {
    if (sqlite3_exec(db, undo[v], NULL, NULL, NULL) != SQLITE_OK)
      fail_msg("undoing version %d: %s", v, sqlite3_errmsg(db));
    if (v < (int)(sizeof rebuild / sizeof rebuild[0]) && rebuild[v] &&
        newsidx_schema_rebuild_articles(db, rebuild[v]) != SQLITE_OK)
      fail_msg("undoing version %d: %s", v, sqlite3_errmsg(db));
  }
  char sql[48];
  snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) fail_msg("%s", sqlite3_errmsg(db));
}

#endif
