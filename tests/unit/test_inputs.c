/*
** test_inputs.c — input file state (input_files), removing what came from a file or a folder,
** and the migration that adds input_files to a version 1 index.
*/
#include "test_util.h"

static int setup(void **state) {
  *state = test_open_memory("english");
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

/* Stores an article with key `key` read from `path`, and that file's state. */
static void add(newsidx_db *db, const char *key, const char *path, const char *body) {
  test_store(db, key, path, NULL, NULL, body);
  newsidx_error err = {0};
  newsidx_input_file file = {path, 10, 20, 10, 0, 0, 0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  if (newsidx_input_file_put(db, &file, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
}

static long long count(newsidx_db *db, const char *sql) {
  return test_query_int(newsidx_db_sqlite(db), sql);
}

/* Removes what came from `path` (filter as given) in one transaction; returns the count. */
static int64_t remove_path(newsidx_db *db, const char *path, newsidx_path_filter filter) {
  newsidx_error err = {0};
  int64_t removed = 0;
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  if (newsidx_remove_path(db, path, filter, NULL, &removed, &err) != NEWSIDX_OK)
    fail_msg("%s", err.message);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  return removed;
}

static void state_is_stored_and_replaced(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  newsidx_input_file got;
  assert_int_equal(newsidx_input_file_get(db, "/feeds/a.jsonl", &got, &err), NEWSIDX_NOT_FOUND);
  newsidx_input_file file = {"/feeds/a.jsonl", 1000, 1700000000123456789LL, 990, 12, -42, 3};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_put(db, &file, &err), NEWSIDX_OK);
  file.size = 2000;
  file.offset = 2000;
  assert_int_equal(newsidx_input_file_put(db, &file, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_get(db, "/feeds/a.jsonl", &got, &err), NEWSIDX_OK);
  assert_string_equal(got.path, "/feeds/a.jsonl");
  assert_int_equal(got.size, 2000);
  assert_int_equal(got.mtime_ns, 1700000000123456789LL);
  assert_int_equal(got.offset, 2000);
  assert_int_equal(got.lines, 12);
  assert_int_equal(got.window_hash, -42);
  assert_int_equal(got.n_skipped, 3);
  assert_int_equal(count(db, "SELECT count(*) FROM input_files"), 1);
}

static void state_rolls_back_with_its_batch(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  newsidx_input_file file = {"/x.txt", 1, 2, 1, 0, 0, 0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_put(db, &file, &err), NEWSIDX_OK);
  newsidx_rollback(db);
  newsidx_input_file got;
  assert_int_equal(newsidx_input_file_get(db, "/x.txt", &got, &err), NEWSIDX_NOT_FOUND);
}

static void removes_a_folder_not_its_namesakes(void **state) {
  newsidx_db *db = *state;
  add(db, "/news/a.txt", "/news/a.txt", "Lisbon trams stop.");
  add(db, "/news/sub/b.txt", "/news/sub/b.txt", "Gdansk yard wins.");
  add(db, "feed-1", "/news/f.jsonl", "Feed item one.");
  add(db, "feed-2", "/news/f.jsonl", "Feed item two.");
  add(db, "/newsroom/c.txt", "/newsroom/c.txt", "Not under /news.");
  add(db, "/news0.txt", "/news0.txt", "Not under /news either.");
  int64_t n = 0;
  newsidx_error err = {0};
  assert_int_equal(newsidx_count_from_path(db, "/news/f.jsonl", &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 2);

  assert_int_equal(remove_path(db, "/news/", NULL), 4);
  assert_int_equal(count(db, "SELECT count(*) FROM articles"), 2);
  assert_int_equal(count(db, "SELECT count(*) FROM input_files"), 2);
  assert_int_equal(count(db, "SELECT count(*) FROM articles WHERE path LIKE '/news/%'"), 0);
  assert_int_equal(count(db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'feed'"),
                   0);
  /* a single file, then nothing left to remove */
  assert_int_equal(remove_path(db, "/news0.txt", NULL), 1);
  assert_int_equal(remove_path(db, "/news0.txt", NULL), 0);
  assert_int_equal(count(db, "SELECT count(*) FROM articles"), 1);
}

static int only_b(void *ctx, const char *path) { return strstr(path, "/b.txt") != NULL; }

static void filter_chooses_the_paths(void **state) {
  newsidx_db *db = *state;
  add(db, "/d/a.txt", "/d/a.txt", "Kept text.");
  add(db, "/d/b.txt", "/d/b.txt", "Removed text.");
  assert_int_equal(remove_path(db, "/d", only_b), 1);
  assert_int_equal(count(db, "SELECT count(*) FROM articles WHERE id = (SELECT id FROM "
                             "article_keys WHERE key = '/d/a.txt')"),
                   1);
  assert_int_equal(count(db, "SELECT count(*) FROM input_files WHERE path = '/d/b.txt'"), 0);
  assert_int_equal(count(db, "SELECT count(*) FROM input_files WHERE path = '/d/a.txt'"), 1);
}

static void a_duplicate_outside_takes_over(void **state) {
  newsidx_db *db = *state;
  add(db, "/old/a.txt", "/old/a.txt", "Malmö harbour reopens.");
  add(db, "/old/b.txt", "/old/b.txt", "Malmö harbour reopens.");   /* duplicate, removed too */
  add(db, "/keep/c.txt", "/keep/c.txt", "Malmö harbour reopens."); /* duplicate, kept */
  assert_int_equal(remove_path(db, "/old", NULL), 2);
  assert_int_equal(count(db, "SELECT count(*) FROM articles WHERE dup_of IS NULL"), 1);
  assert_int_equal(count(db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'malmo'"),
                   1);
  assert_int_equal(
      sqlite3_exec(newsidx_db_sqlite(db),
                   "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
                   NULL, NULL, NULL),
      SQLITE_OK);
}

static void standard_input_is_a_path_too(void **state) {
  newsidx_db *db = *state;
  add(db, "s-1", "-", "From a pipe.");
  add(db, "/f.txt", "/f.txt", "From a file.");
  assert_int_equal(remove_path(db, "-", NULL), 1);
  assert_int_equal(count(db, "SELECT count(*) FROM articles"), 1);
}

/* An index of version 1 (as the foundation made it) gains input_files, with its text files, and
** `files` (version 5), with the files of its records. */
/* A text file read into an article is known by that article (schema 11): no row of its own,
** its state read from the article, still known after the article alone is deleted, and
** forgotten with its path. */
static void a_text_file_is_known_by_its_article(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  newsidx_article a = {0};
  a.key = a.path = "/news/a.txt";
  a.body = "Text of a file.";
  a.file_size = 15;
  a.file_mtime = 1700000000123456789LL;
  int64_t id = 0;
  newsidx_store_outcome outcome;
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  newsidx_input_file skipped = {"/news/a.txt", 0, 5, 0, 0, 0, 1}; /* it was empty before */
  assert_int_equal(newsidx_input_file_put(db, &skipped, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &a, &outcome, &id, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_by_article(db, "/news/a.txt", &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(count(db, "SELECT count(*) FROM input_files"), 0);
  newsidx_input_file got;
  assert_int_equal(newsidx_input_file_get(db, "/news/a.txt", &got, &err), NEWSIDX_OK);
  assert_int_equal(got.size, 15);
  assert_int_equal(got.mtime_ns, 1700000000123456789LL);
  assert_int_equal(got.offset, 15);
  assert_int_equal(got.lines + got.window_hash + got.n_skipped, 0);
  /* the article deleted by id: the file stays known as it was read */
  assert_int_equal(newsidx_delete_article(db, id, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_get(db, "/news/a.txt", &got, &err), NEWSIDX_OK);
  assert_int_equal(got.size, 15);
  assert_int_equal(got.offset, 15);
  assert_int_equal(got.n_skipped, 0);
  /* removed by path: forgotten, article and state */
  test_store(db, "/news/b.txt", "/news/b.txt", NULL, NULL, "Another file.");
  assert_int_equal(remove_path(db, "/news", NULL), 1);
  assert_int_equal(newsidx_input_file_get(db, "/news/a.txt", &got, &err), NEWSIDX_NOT_FOUND);
  assert_int_equal(count(db, "SELECT count(*) FROM input_files"), 0);
}

/* A JSON Lines record whose id is a text file's path takes over that file's article: the file
** stays known as it was read, so reading the folder again leaves it alone. */
static void a_record_with_a_files_key_leaves_the_file_known(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  for (int same_text = 0; same_text < 2; same_text++) {
    test_store_file(db, "/news/a.txt", "Text of a file.", 15, 99);
    test_store(db, "/news/a.txt", "/feeds/f.jsonl", NULL, NULL,
               same_text ? "Text of a file." : "The record's text.");
    newsidx_input_file got;
    assert_int_equal(newsidx_input_file_get(db, "/news/a.txt", &got, &err), NEWSIDX_OK);
    assert_int_equal(got.size, 15);
    assert_int_equal(got.mtime_ns, 99);
    assert_int_equal(got.n_skipped, 0);
    assert_int_equal(count(db, "SELECT count(*) FROM input_files"), 1);
    assert_int_equal(remove_path(db, "/news/a.txt", NULL), 0); /* the file alone: forgotten */
  }
}

/* Whether the index knows anything of a folder's files: a first build looks none of them up. */
static int folder_known(newsidx_db *db, const char *folder) {
  int known = -1;
  newsidx_error err = {0};
  if (newsidx_folder_known(db, folder, strlen(folder), &known, &err) != NEWSIDX_OK)
    fail_msg("%s", err.message);
  return known;
}

static void a_folder_is_known_by_its_files(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(folder_known(db, "/news/"), 0);
  test_store_file(db, "/news/a.txt", "Text of a file.", 15, 99);
  assert_int_equal(folder_known(db, "/news/"), 1);
  assert_int_equal(folder_known(db, "/news/sub/"), 0);
  assert_int_equal(folder_known(db, "/new/"), 0);
  assert_int_equal(folder_known(db, "/"), 0);
  /* the state of a file at or under it: a JSON Lines file, a skipped text file */
  newsidx_input_file file = {"/feeds/deep/a.jsonl", 10, 1, 10, 1, 0, 0};
  assert_int_equal(newsidx_input_file_put(db, &file, &err), NEWSIDX_OK);
  assert_int_equal(folder_known(db, "/feeds/deep/"), 1);
  assert_int_equal(folder_known(db, "/feeds/"), 1);
  assert_int_equal(folder_known(db, "/feeds/deep/a.jsonl/"), 0);
  assert_int_equal(folder_known(db, "/feed/"), 0);
  /* not a folder: each file is looked up */
  assert_int_equal(folder_known(db, "/elsewhere"), 1);
  /* its files removed, a folder is new again */
  assert_int_equal(remove_path(db, "/news", NULL), 1);
  assert_int_equal(folder_known(db, "/news/"), 0);
}

static void migration_carries_text_files_over(void **state) {
  char *dir = test_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/v1.db", dir);
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, NULL, 0};
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(newsidx_db_open(path, &options, &db, &err), NEWSIDX_OK);
  newsidx_article a = {0};
  a.key = a.path = "/corpus/a.txt";
  a.body = "Text.";
  a.file_size = 6;
  a.file_mtime = 123456789;
  newsidx_store_outcome outcome;
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_OK);
  a.key = "rec-1"; /* a JSON Lines record: no file of its own */
  a.path = "/corpus/f.jsonl";
  a.body = "Record.";
  a.file_size = a.file_mtime = -1;
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  /* back to version 1 */
  test_schema_downgrade(newsidx_db_sqlite(db), 1);
  newsidx_db_close(db);

  options.flags = NEWSIDX_OPEN_READONLY; /* searching an old index asks for the migration */
  assert_int_equal(newsidx_db_open(path, &options, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  assert_non_null(strstr(err.message, "older"));
  options.flags = NEWSIDX_OPEN_CREATE;
  assert_int_equal(newsidx_db_open(path, &options, &db, &err), NEWSIDX_OK);
  assert_int_equal(count(db, "PRAGMA user_version"), newsidx_schema_version());
  newsidx_input_file got;
  assert_int_equal(newsidx_input_file_get(db, "/corpus/a.txt", &got, &err), NEWSIDX_OK);
  assert_int_equal(got.size, 6);
  assert_int_equal(got.mtime_ns, 123456789);
  assert_int_equal(got.offset, 6);
  assert_int_equal(newsidx_input_file_get(db, "/corpus/f.jsonl", &got, &err), NEWSIDX_NOT_FOUND);
  /* version 11: the text file's state is its article's, and its own row is gone */
  assert_int_equal(count(db, "SELECT count(*) FROM input_files"), 0);
  /* version 5: the record's file is named once, in `files`; the text file has its key */
  assert_int_equal(count(db, "SELECT count(*) FROM files WHERE path = '/corpus/f.jsonl'"), 1);
  assert_int_equal(count(db, "SELECT count(*) FROM articles a JOIN files f ON f.id = a.file_id"
                             " WHERE a.key = 'rec-1' AND f.path = '/corpus/f.jsonl'"),
                   1);
  /* version 10: each path is said once, and reads as it was */
  assert_int_equal(count(db, "SELECT count(*) FROM articles WHERE id = (SELECT id FROM "
                             "article_keys WHERE key = 'rec-1') AND path IS NULL"
                             " AND " NEWSIDX_SQL_ARTICLE_PATH " = '/corpus/f.jsonl'"),
                   1);
  /* version 13: the text file is named by its folder, once in `files`, and its name */
  assert_int_equal(count(db, "SELECT count(*) FROM articles a JOIN files f ON f.id = a.folder_id"
                             " WHERE a.key = 'a.txt' AND f.path = '/corpus/' AND a.path = ''"
                             " AND a.file_id IS NULL"),
                   1);
  assert_int_equal(count(db,
                         "SELECT count(*) FROM articles WHERE " NEWSIDX_SQL_ARTICLE_PATH
                         " = '/corpus/a.txt' AND " NEWSIDX_SQL_ARTICLE_KEY " = '/corpus/a.txt'"),
                   1);
  assert_int_equal(count(db, "SELECT count(*) FROM articles WHERE file_id IS NOT NULL"), 1);
  int64_t n = 0;
  assert_int_equal(newsidx_count_from_path(db, "/corpus/f.jsonl", &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 1);
  assert_int_equal(newsidx_count_from_path(db, "/corpus/a.txt", &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 1);
  assert_int_equal(remove_path(db, "/corpus", NULL), 2);
  assert_int_equal(count(db, "SELECT count(*) FROM files"), 0);
  newsidx_db_close(db);
  test_tmpdir_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(state_is_stored_and_replaced, setup, teardown),
      cmocka_unit_test_setup_teardown(state_rolls_back_with_its_batch, setup, teardown),
      cmocka_unit_test_setup_teardown(removes_a_folder_not_its_namesakes, setup, teardown),
      cmocka_unit_test_setup_teardown(filter_chooses_the_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(a_duplicate_outside_takes_over, setup, teardown),
      cmocka_unit_test_setup_teardown(standard_input_is_a_path_too, setup, teardown),
      cmocka_unit_test_setup_teardown(a_text_file_is_known_by_its_article, setup, teardown),
      cmocka_unit_test_setup_teardown(a_record_with_a_files_key_leaves_the_file_known, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_folder_is_known_by_its_files, setup, teardown),
      cmocka_unit_test(migration_carries_text_files_over),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
