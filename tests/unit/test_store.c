/*
** test_store.c — the writer keeps articles and articles_fts in sync: add, unchanged,
** update in place, duplicates, deletion and promotion of a duplicate.
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

static newsidx_store_outcome store(newsidx_db *db, const char *key, const char *title,
                                   const char *body, int64_t *id) {
  newsidx_article a = {0};
  a.key = key;
  a.path = key;
  a.title = title;
  a.body = body;
  a.date = "2026-03-05";
  a.file_size = -1;
  a.file_mtime = -1;
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  if (newsidx_store_article(db, &a, &outcome, id, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  return outcome;
}

static long long matches(newsidx_db *db, const char *query) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '%s'",
           query);
  return test_query_int(newsidx_db_sqlite(db), sql);
}

static void assert_consistent(newsidx_db *db) {
  sqlite3 *s = newsidx_db_sqlite(db);
  assert_int_equal(
      sqlite3_exec(s, "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
                   NULL, NULL, NULL),
      SQLITE_OK);
  /* one original per text */
  assert_int_equal(
      test_query_int(s, "SELECT count(*) FROM (SELECT content_hash FROM articles WHERE dup_of IS "
                        "NULL GROUP BY content_hash HAVING count(*) > 1)"),
      0);
  /* every duplicate points at an original */
  assert_int_equal(
      test_query_int(s, "SELECT count(*) FROM articles d LEFT JOIN articles o ON o.id = d.dup_of "
                        "WHERE d.dup_of IS NOT NULL AND (o.id IS NULL OR o.dup_of IS NOT NULL)"),
      0);
}

static void add_then_unchanged_then_update_in_place(void **state) {
  newsidx_db *db = *state;
  int64_t id1, id2, id3;
  assert_int_equal(store(db, "/a.txt", "Cocoa rains", "Showers continued in Bahia.", &id1),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(matches(db, "bahia"), 1);
  assert_int_equal(store(db, "/a.txt", "Cocoa rains", "Showers continued in Bahia.", &id2),
                   NEWSIDX_STORED_UNCHANGED);
  assert_int_equal(id1, id2);
  /* white space alone does not make a new text */
  assert_int_equal(store(db, "/a.txt", "Cocoa rains", "Showers  continued\nin Bahia.", &id2),
                   NEWSIDX_STORED_UNCHANGED);
  assert_int_equal(store(db, "/a.txt", "Cocoa rains", "Drought returned to Ilheus.", &id3),
                   NEWSIDX_STORED_UPDATED);
  assert_int_equal(id1, id3);
  assert_int_equal(matches(db, "bahia"), 0);
  assert_int_equal(matches(db, "ilheus"), 1);
  assert_int_equal(matches(db, "title:cocoa"), 1);
  assert_consistent(db);
}

static void duplicates_are_recorded_and_left_out_of_the_index(void **state) {
  newsidx_db *db = *state;
  int64_t first, dup;
  assert_int_equal(store(db, "/one.txt", NULL, "Copper rose on Chilean supply fears.", &first),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(store(db, "/two.txt", NULL, "Copper rose on Chilean  supply fears.", &dup),
                   NEWSIDX_STORED_DUPLICATE);
  assert_int_not_equal(first, dup);
  assert_int_equal(matches(db, "copper"), 1);
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT dup_of FROM articles WHERE id = %lld", (long long)dup);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), sql), first);
  /* a different title is a different text */
  assert_int_equal(store(db, "/three.txt", "Metals", "Copper rose on Chilean supply fears.", NULL),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(matches(db, "copper"), 2);
  assert_consistent(db);
}

static void deleting_an_original_promotes_its_duplicate(void **state) {
  newsidx_db *db = *state;
  int64_t first, dup;
  store(db, "/one.txt", NULL, "Zürich tram strike ends.", &first);
  store(db, "/two.txt", NULL, "Zürich tram strike ends.", &dup);
  newsidx_error err;
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_delete_article(db, first, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(matches(db, "zurich"), 1);
  assert_int_equal(
      test_query_int(newsidx_db_sqlite(db),
                     "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'zurich'"),
      dup);
  assert_consistent(db);
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_delete_article(db, first, &err), NEWSIDX_NOT_FOUND);
  newsidx_rollback(db);
}

static void changing_an_original_promotes_its_duplicate(void **state) {
  newsidx_db *db = *state;
  int64_t first, dup, again;
  store(db, "/one.txt", NULL, "Malmö harbour reopens.", &first);
  store(db, "/two.txt", NULL, "Malmö harbour reopens.", &dup);
  assert_int_equal(store(db, "/one.txt", NULL, "Malmö harbour stays shut.", &again),
                   NEWSIDX_STORED_UPDATED);
  assert_int_equal(again, first);
  assert_int_equal(matches(db, "reopen"), 1);
  assert_int_equal(matches(db, "shut"), 1);
  assert_consistent(db);
}

static void metadata_change_is_an_update(void **state) {
  newsidx_db *db = *state;
  newsidx_article a = {0};
  a.key = "feed-1";
  a.body = "Kraków opens a new line.";
  a.source = "Gazeta";
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  newsidx_error err;
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(outcome, NEWSIDX_STORED_ADDED);
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(outcome, NEWSIDX_STORED_UNCHANGED);
  long long seq_before = test_query_int(newsidx_db_sqlite(db), "SELECT seq FROM articles");
  a.source = "Wyborcza";
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(outcome, NEWSIDX_STORED_UPDATED);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  /* a consumer of seq (alert rules) looks at it again: its source may now match a filter */
  assert_true(test_query_int(newsidx_db_sqlite(db), "SELECT seq FROM articles") > seq_before);
}

static void bad_records_are_refused(void **state) {
  newsidx_db *db = *state;
  newsidx_article a = {0};
  newsidx_store_outcome outcome;
  newsidx_error err;
  a.key = "k";
  a.body = "";
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "k"));
  a.key = NULL;
  a.body = "text";
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_INPUT);
}

static void too_big_for_sqlite_is_bad_input(void **state) {
  newsidx_db *db = *state;
  /* SQLite's length limit, lowered from 1 GB so that the test needs no gigabytes. */
  sqlite3_limit(newsidx_db_sqlite(db), SQLITE_LIMIT_LENGTH, 100000);
  char *body = malloc(100001);
  assert_non_null(body);
  for (int i = 0; i < 100000; i++)
    body[i] = i % 5 == 4 ? ' ' : 'a';
  body[100000] = '\0';
  newsidx_article a = {.key = "/big", .body = body, .file_size = -1, .file_mtime = -1};
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "/big: article of 100004 bytes"));
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  free(body);
  store(db, "/small", NULL, "the batch goes on", NULL); /* the refusal broke nothing */
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM articles"), 1);
  assert_int_equal(matches(db, "batch"), 1);
}

/* A text file is stored by its folder, named once, and its name (schema 13); its key and path
** read back whole, files of the same name in other folders are other articles, and a record
** whose id is a file's path and that file's article are one article, whichever comes first. */
static void files_are_named_by_folder_and_name(void **state) {
  newsidx_db *db = *state;
  sqlite3 *s = newsidx_db_sqlite(db);
  assert_int_equal(test_store(db, "/n/a/x.txt", NULL, NULL, NULL, "Copper rose."),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(test_store(db, "/n/b/x.txt", NULL, NULL, NULL, "Tin fell."),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(test_store(db, "/n/a/y.txt", NULL, NULL, NULL, "Zinc held."),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(test_store(db, "/n/b/x.txt", NULL, NULL, NULL, "Tin fell."),
                   NEWSIDX_STORED_UNCHANGED);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM files"), 2);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles a JOIN files f"
                                     " ON f.id = a.folder_id WHERE f.path = '/n/a/'"
                                     " AND a.key IN ('x.txt', 'y.txt')"),
                   2);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM article_keys WHERE key = path"
                                     " AND key IN ('/n/a/x.txt', '/n/b/x.txt', '/n/a/y.txt')"),
                   3);
  int64_t id = 0;
  newsidx_error err = {0};
  assert_int_equal(newsidx_lookup_key(db, "/n/b/x.txt", &id, NULL, NULL, &err), NEWSIDX_OK);
  assert_int_equal(id, test_query_int(s, "SELECT id FROM article_keys WHERE key = '/n/b/x.txt'"));
  assert_int_equal(newsidx_lookup_key(db, "/n/x.txt", &id, NULL, NULL, &err), NEWSIDX_NOT_FOUND);
  /* a record under a file's path takes its article over, and the file takes it back */
  assert_int_equal(test_store(db, "/n/a/y.txt", "/feeds/f.jsonl", NULL, NULL, "Zinc slid."),
                   NEWSIDX_STORED_UPDATED);
  assert_int_equal(test_store(db, "/n/a/y.txt", NULL, NULL, NULL, "Zinc held."),
                   NEWSIDX_STORED_UPDATED);
  assert_int_equal(test_store(db, "/r/z.txt", "/feeds/f.jsonl", NULL, NULL, "Lead rose."),
                   NEWSIDX_STORED_ADDED);
  assert_int_equal(test_store(db, "/r/z.txt", NULL, NULL, NULL, "Lead rose."),
                   NEWSIDX_STORED_UNCHANGED);
  /* the same inside one transaction, where whether keys are paths is read once */
  newsidx_article rec = {.key = "/t/w.txt",
                         .path = "/feeds/g.jsonl",
                         .body = "Tin rose.",
                         .file_size = -1,
                         .file_mtime = -1};
  newsidx_article file = {
      .key = "/t/w.txt", .path = "/t/w.txt", .body = "Tin rose.", .file_size = 9, .file_mtime = 1};
  newsidx_store_outcome outcome;
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &rec, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(outcome, NEWSIDX_STORED_ADDED);
  assert_int_equal(newsidx_store_article(db, &file, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(outcome, NEWSIDX_STORED_UNCHANGED);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles"), 5);
  assert_int_equal(test_query_int(s, "SELECT count(*) - count(DISTINCT key) FROM article_keys"), 0);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles WHERE folder_id IS NULL"), 0);
  /* a record's key is looked for as a file's path too, and its folder ('' here) found absent:
  ** a file of that folder later in the transaction still names it */
  rec.key = "id-9";
  file.key = file.path = "loose.txt";
  file.body = "Copper held.";
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &rec, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(db, &file, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(outcome, NEWSIDX_STORED_ADDED);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(
      test_query_int(s, "SELECT count(*) FROM articles a JOIN files f"
                        " ON f.id = a.folder_id WHERE f.path = '' AND a.key = 'loose.txt'"),
      1);
  assert_consistent(db);
}

static void seq_grows_with_every_change(void **state) {
  newsidx_db *db = *state;
  store(db, "/s1", NULL, "first text", NULL);
  store(db, "/s2", NULL, "second text", NULL);
  long long before = test_query_int(
      newsidx_db_sqlite(db),
      "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/s1')");
  store(db, "/s1", NULL, "first text, revised", NULL);
  long long after = test_query_int(
      newsidx_db_sqlite(db),
      "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/s1')");
  assert_true(after > before);
  assert_int_equal(after, test_query_int(newsidx_db_sqlite(db), "SELECT max(seq) FROM articles"));
}

/* Deleting the article with the highest seq must not let the next article reuse it: a
** consumer whose mark is that seq would never see the new article. */
static void seq_never_goes_back_after_a_delete(void **state) {
  newsidx_db *db = *state;
  sqlite3 *s = newsidx_db_sqlite(db);
  int64_t id = 0;
  store(db, "/k1", NULL, "first text", NULL);
  store(db, "/k2", NULL, "second text", &id);
  long long high = test_query_int(s, "SELECT max(seq) FROM articles");
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_delete_article(db, id, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  store(db, "/k3", NULL, "third text", NULL);
  assert_true(
      test_query_int(
          s,
          "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/k3')") >
      high);
  /* and an older, lower delete does not lower the floor */
  int64_t first = 0;
  assert_int_equal(newsidx_lookup_key(db, "/k1", &first, NULL, NULL, &err), NEWSIDX_OK);
  high = test_query_int(s, "SELECT max(seq) FROM articles");
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_delete_article(db, first, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(test_query_int(s, "SELECT CAST(value AS INTEGER) FROM meta"
                                     " WHERE key = 'seq_floor'"),
                   high - 1);
  store(db, "/k4", NULL, "fourth text", NULL);
  assert_int_equal(
      test_query_int(
          s, "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/k4')"),
      high + 1);
}

/* The public SQL of an article's key and path, put into a statement over `articles` as the
** query library does, reads back each place a row keeps them in: a text file's folder and
** name, a record's file and id, an article without a file; and agrees with article_keys. */
static void public_sql_reads_keys_and_paths_back(void **state) {
  newsidx_db *db = *state;
  sqlite3 *s = newsidx_db_sqlite(db);
  test_store(db, "/n/a/x.txt", NULL, NULL, NULL, "Copper rose.");
  test_store(db, "rec-1", "/feeds/f.jsonl", NULL, NULL, "Tin fell.");
  test_store_without_file(db, "feed#1", "Zinc held.");
  char *sql = sqlite3_mprintf("SELECT group_concat(k || '=' || ifnull(p, 'NULL'), ' ')"
                              " FROM (SELECT %s AS k, %s AS p FROM articles ORDER BY id)",
                              newsidx_sql_article_key(), newsidx_sql_article_path());
  assert_non_null(sql);
  char *got = test_query_text(s, sql);
  assert_string_equal(got, "/n/a/x.txt=/n/a/x.txt rec-1=/feeds/f.jsonl feed#1=NULL");
  free(got);
  sqlite3_free(sql);
  sql = sqlite3_mprintf("SELECT count(*) FROM articles a JOIN (SELECT id, %s AS k, %s AS p"
                        " FROM articles) r USING (id) JOIN article_keys v USING (id)"
                        " WHERE v.key = r.k AND v.path IS r.p",
                        newsidx_sql_article_key(), newsidx_sql_article_path());
  assert_int_equal(test_query_int(s, sql), 3);
  sqlite3_free(sql);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(add_then_unchanged_then_update_in_place, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicates_are_recorded_and_left_out_of_the_index, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(deleting_an_original_promotes_its_duplicate, setup, teardown),
      cmocka_unit_test_setup_teardown(changing_an_original_promotes_its_duplicate, setup, teardown),
      cmocka_unit_test_setup_teardown(metadata_change_is_an_update, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_records_are_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(too_big_for_sqlite_is_bad_input, setup, teardown),
      cmocka_unit_test_setup_teardown(files_are_named_by_folder_and_name, setup, teardown),
      cmocka_unit_test_setup_teardown(seq_grows_with_every_change, setup, teardown),
      cmocka_unit_test_setup_teardown(seq_never_goes_back_after_a_delete, setup, teardown),
      cmocka_unit_test_setup_teardown(public_sql_reads_keys_and_paths_back, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
