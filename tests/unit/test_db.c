/*
** test_db.c — opening, creating and migrating an index; refusing what is not one.
*/
#include "test_util.h"

static char *db_path(const char *dir, const char *name) {
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  assert_non_null(path);
  snprintf(path, strlen(dir) + strlen(name) + 2, "%s/%s", dir, name);
  return path;
}

static newsidx_status_t open_db(const char *path, int flags, const char *language, newsidx_db **db,
                                newsidx_error *err) {
  newsidx_open_options options = {flags, language, 0};
  return newsidx_db_open(path, &options, db, err);
}

static void creates_schema_in_wal_mode(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "news.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  sqlite3 *s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  assert_true(newsidx_schema_version() >= 1);
  assert_int_equal(
      test_query_int(s, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                     "('articles', 'articles_fts', 'meta', 'articles_date')"),
                   4);
  assert_string_equal(newsidx_db_language(db), "english");
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM meta WHERE key = 'tokenizer' AND value "
                                     "= 'snowball english unicode61 remove_diacritics 2'"),
                   1);
  newsidx_db_close(db);

  /* read-only reopen sees the same index */
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_OK);
  assert_string_equal(newsidx_db_language(db), "english");
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

static void missing_file_without_create_is_not_found(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "absent.db");
  newsidx_db *db = (newsidx_db *)1;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_NOT_FOUND);
  assert_null(db);
  assert_non_null(strstr(err.message, "absent.db"));
  assert_int_equal(access(path, F_OK), -1); /* nothing created */
  free(path);
  test_tmpdir_remove(dir);
}

static void language_is_stored_and_checked(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "fr.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, "french", &db, &err), NEWSIDX_OK);
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  assert_string_equal(newsidx_db_language(db), "french");
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, "english", &db, &err),
                   NEWSIDX_LANGUAGE_MISMATCH);
  assert_non_null(strstr(err.message, "french"));
  free(path);
  test_tmpdir_remove(dir);
}

static void refuses_files_that_are_not_indexes(void **state) {
  char *dir = test_tmpdir();
  newsidx_db *db;
  newsidx_error err = {0};

  char *text = test_write_file(dir, "notes.db", "this is not a database, just words\n", 35);
  assert_int_equal(open_db(text, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_CORRUPT);
  assert_non_null(strstr(err.message, "not an SQLite database"));

  char *other = db_path(dir, "other.db");
  sqlite3 *s;
  assert_int_equal(sqlite3_open(other, &s), SQLITE_OK);
  assert_int_equal(sqlite3_exec(s, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(s);
  assert_int_equal(open_db(other, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_CORRUPT);
  assert_non_null(strstr(err.message, "not a newsidx index"));
  /* and it was left alone */
  assert_int_equal(sqlite3_open(other, &s), SQLITE_OK);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema"), 1);
  sqlite3_close(s);

  free(text);
  free(other);
  test_tmpdir_remove(dir);
}

static void refuses_a_newer_schema(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "future.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newsidx_schema_version() + 1);
  assert_int_equal(sqlite3_exec(newsidx_db_sqlite(db), sql, NULL, NULL, NULL), SQLITE_OK);
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  assert_non_null(strstr(err.message, "newer"));
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  free(path);
  test_tmpdir_remove(dir);
}

/* An index of version 3 (before the rules) opened by this newsidx gains the rules tables,
** and its ledger gets each term's seq from the article that introduced it. */
static void migrates_a_version_3_index(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "v3.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  test_store(db, "/m1", NULL, "2026-01-01", NULL, "Auroras dance.");
  test_store(db, "/m2", NULL, "2026-01-02", NULL, "Glaciers calve.");
  sqlite3 *s = newsidx_db_sqlite(db);
  /* back to version 3 as it was */
  assert_int_equal(sqlite3_exec(s,
                                "DROP TABLE rules; DROP TABLE rule_hits; DROP TABLE rule_terms;"
                                "DROP TRIGGER articles_deleted; DROP INDEX terms_seq;"
                                "ALTER TABLE terms DROP COLUMN seq; PRAGMA user_version = 3;",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  assert_non_null(strstr(err.message, "older"));
  assert_int_equal(open_db(path, 0, NULL, &db, &err), NEWSIDX_OK);
  s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM rules"), 0);
  assert_int_equal(test_query_int(s, "SELECT seq FROM terms WHERE term = 'glacier'"),
                   test_query_int(s, "SELECT seq FROM articles WHERE key = '/m2'"));
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM terms WHERE seq = 0"), 0);
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

static void status_names_are_distinct(void **state) {
  for (int a = NEWSIDX_OK; a <= NEWSIDX_MISUSE; a++)
    for (int b = a + 1; b <= NEWSIDX_MISUSE; b++)
      assert_string_not_equal(newsidx_status_to_string((newsidx_status_t)a),
                              newsidx_status_to_string((newsidx_status_t)b));
}

static void default_path_follows_environment(void **state) {
  unsetenv("NEWSIDX_DB");
  assert_string_equal(newsidx_default_db_path(), "news.db");
  setenv("NEWSIDX_DB", "/tmp/elsewhere.db", 1);
  assert_string_equal(newsidx_default_db_path(), "/tmp/elsewhere.db");
  unsetenv("NEWSIDX_DB");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(creates_schema_in_wal_mode),
      cmocka_unit_test(missing_file_without_create_is_not_found),
      cmocka_unit_test(language_is_stored_and_checked),
      cmocka_unit_test(refuses_files_that_are_not_indexes),
      cmocka_unit_test(refuses_a_newer_schema),
      cmocka_unit_test(migrates_a_version_3_index),
      cmocka_unit_test(status_names_are_distinct),
      cmocka_unit_test(default_path_follows_environment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
