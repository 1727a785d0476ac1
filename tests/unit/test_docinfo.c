/*
** test_docinfo.c — document facts: dates as numbers that sort as the strings do, and facts that
** follow every change the writer makes, across transactions, rollbacks and connections.
*/
#include "test_util.h"

/* ---- newsidx_when ------------------------------------------------------------------------- */

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* For stored dates, string order and number order are the same order. */
static void when_sorts_as_the_strings_do(void **state) {
  enum { N = 4000 };
  static char dates[N][NEWSIDX_DATE_MAX];
  const char *sorted[N];
  srand(6);
  for (int i = 0; i < N; i++) {
    /* years near the epoch, far before it and at the ends of the range, and many collisions
    ** of the same day with and without a time */
    static const int years[] = {1, 1600, 1899, 1969, 1970, 1987, 2000, 2026, 9999};
    int y = years[rand() % 9], m = 1 + rand() % 12, d = 1 + rand() % 28;
    if (rand() % 2)
      snprintf(dates[i], sizeof dates[i], "%04d-%02d-%02d", y, m, d);
    else
      snprintf(dates[i], sizeof dates[i], "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rand() % 24,
               rand() % 60, rand() % 60);
    sorted[i] = dates[i];
  }
  qsort(sorted, N, sizeof sorted[0], compare_strings);
  for (int i = 0; i < N; i++) { /* and the number gives the string back */
    char back[NEWSIDX_DATE_MAX];
    assert_int_equal(newsidx_when_text(newsidx_when(dates[i]), back), 0);
    assert_string_equal(back, dates[i]);
  }
  for (int i = 1; i < N; i++) {
    int64_t a = newsidx_when(sorted[i - 1]), b = newsidx_when(sorted[i]);
    if (strcmp(sorted[i - 1], sorted[i]) == 0)
      assert_true(a == b);
    else if (!(a < b))
      fail_msg("%s sorts before %s, but %lld >= %lld", sorted[i - 1], sorted[i], (long long)a,
               (long long)b);
  }
  assert_true(newsidx_when("1970-01-01") == -1);
  assert_true(newsidx_when("1970-01-01T00:00:00Z") == 0);
  assert_true(newsidx_when("1970-01-02T00:00:01Z") == 2 * 86401);
  assert_true(newsidx_when_seconds(newsidx_when("1987-03-05")) == 541900800.0);
  assert_true(newsidx_when_seconds(newsidx_when("1969-12-31T23:59:59Z")) == -1.0);
  assert_true(newsidx_when_seconds(newsidx_when("1969-12-31")) == -86400.0);
}

static void other_forms_are_undated(void **state) {
  const char *bad[] = {NULL,
                       "",
                       "1987",
                       "1987-03",
                       "1987-02-29",
                       "1987-13-01",
                       "87-03-05",
                       "1987-03-05T10:00Z",
                       "1987-03-05 10:00:00Z",
                       "1987-03-05T24:00:00Z",
                       "1987-03-05T10:00:00",
                       "1987-03-05T10:00:00Z ",
                       "March 1987"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (newsidx_when(bad[i]) != NEWSIDX_WHEN_UNDATED) fail_msg("'%s' is dated", bad[i]);
  assert_true(newsidx_when("1988-02-29") != NEWSIDX_WHEN_UNDATED);
  char text[NEWSIDX_DATE_MAX] = "x";
  assert_int_equal(newsidx_when_text(NEWSIDX_WHEN_UNDATED, text), -1);
  assert_string_equal(text, "");
  assert_int_equal(newsidx_when_text(NEWSIDX_WHEN_ABSENT, text), -1);
  assert_int_equal(newsidx_when_text(newsidx_when("9999-12-31T23:59:59Z") + 2, text), -1);
  assert_int_equal(newsidx_when_text(newsidx_when("0001-01-01") - 1, text), -1);
  assert_int_equal(newsidx_when_text(newsidx_when("0001-01-01"), text), 0);
  assert_string_equal(text, "0001-01-01");
  assert_true(NEWSIDX_WHEN_ABSENT < NEWSIDX_WHEN_UNDATED);
  assert_true(NEWSIDX_WHEN_UNDATED < newsidx_when("0001-01-01"));
}

/* ---- the facts the writer keeps ------------------------------------------------------------ */

static void store(newsidx_db *db, const char *key, const char *date, const char *title,
                  const char *body) {
  newsidx_article a = {0};
  a.key = a.path = key;
  a.date = date;
  a.title = title;
  a.body = body;
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  if (newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK)
    fail_msg("storing %s: %s", key, err.message);
}

static const newsidx_docinfo *facts(newsidx_db *db, int flags) {
  const newsidx_docinfo *info = NULL;
  newsidx_error err = {0};
  if (newsidx_docinfo_get(db, flags, &info, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  return info;
}

/* The facts agree with FTS5's own lengths and with the dates, id by id. */
static void assert_facts_match(newsidx_db *db) {
  const newsidx_docinfo *info = facts(db, 0);
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  int64_t n_indexed = 0, total = 0;
  for (int64_t id = 0; id < info->n_ids; id++) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM articles_fts_docsize WHERE id = %lld)",
             (long long)id);
    int indexed = (int)test_query_int(sqlite, sql);
    if (!indexed) {
      if (info->when[id] != NEWSIDX_WHEN_ABSENT) fail_msg("id %lld is not indexed", (long long)id);
      continue;
    }
    n_indexed++;
    total += info->n_tokens[id];
    /* FTS5's own length: the number of tokens, found by its tokenizer through fts5vocab */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM articles_fts_v WHERE doc = %lld",
             (long long)id);
    if (info->n_tokens[id] != (uint32_t)test_query_int(sqlite, sql))
      fail_msg("id %lld: %u tokens", (long long)id, info->n_tokens[id]);
    snprintf(sql, sizeof sql, "SELECT date FROM articles WHERE id = %lld", (long long)id);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(sqlite, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_true(info->when[id] == newsidx_when((const char *)sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
  }
  assert_true(info->n_indexed == n_indexed);
  assert_true(info->total_tokens == total);
}

static int setup(void **state) {
  newsidx_db *db = test_open_memory("english");
  assert_int_equal(sqlite3_exec(newsidx_db_sqlite(db),
                                "CREATE VIRTUAL TABLE temp.articles_fts_v USING"
                                " fts5vocab(main, articles_fts, instance)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  *state = db;
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

static void follows_inserts_updates_and_deletes(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  store(db, "a", "1987-03-05", "Cocoa prices", "Cocoa rose in London.");
  store(db, "b", "1987-03-04T10:00:00Z", NULL, "Gold fell; the dollar rose.");
  store(db, "c", "1987-03-06", NULL, "Cocoa rose in London.");    /* another title: not a dup */
  store(db, "d", NULL, "Cocoa prices", "Cocoa rose in  London."); /* a duplicate of a */
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  const newsidx_docinfo *info = facts(db, 0);
  assert_true(info->n_indexed == 3);
  assert_int_equal(info->n_tokens[1], 6);
  assert_int_equal(info->n_tokens[2], 5);
  assert_true(info->when[4] == NEWSIDX_WHEN_ABSENT); /* the duplicate */
  assert_true(info->when[1] == newsidx_when("1987-03-05"));
  assert_facts_match(db);

  /* new text, new date, new metadata, then a deleted original whose duplicate takes over */
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  store(db, "b", "1987-03-04T10:00:00Z", NULL, "Gold fell.");
  store(db, "c", "1987-04-01T08:00:00Z", NULL, "Cocoa rose in London.");
  assert_int_equal(newsidx_delete_article(db, 1, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  info = facts(db, 0);
  assert_int_equal(info->n_tokens[2], 2);
  assert_true(info->when[3] == newsidx_when("1987-04-01T08:00:00Z"));
  assert_true(info->when[1] == NEWSIDX_WHEN_ABSENT);
  assert_true(info->when[4] == NEWSIDX_WHEN_UNDATED); /* the heir, with its own (no) date */
  assert_int_equal(info->n_tokens[4], 6);
  assert_facts_match(db);
}

/* Outside a transaction each store commits its facts too; a rollback drops them. */
static void autocommit_and_rollback(void **state) {
  newsidx_db *db = *state;
  store(db, "a", "2026-01-01", NULL, "one two three");
  assert_int_equal(facts(db, 0)->n_tokens[1], 3);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM docinfo"), 1);

  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  store(db, "b", "2026-01-02", NULL, "four five");
  /* inside the transaction the facts include what it wrote so far */
  assert_int_equal(facts(db, 0)->n_tokens[2], 2);
  newsidx_rollback(db);
  assert_true(facts(db, 0)->when[2] == NEWSIDX_WHEN_ABSENT);
  assert_true(facts(db, 0)->n_indexed == 1);
}

static void order_arrays(void **state) {
  newsidx_db *db = *state;
  store(db, "a", "2026-01-05", NULL, "a");
  store(db, "b", NULL, NULL, "b");
  store(db, "c", "2026-01-01", NULL, "c");
  store(db, "d", "2026-01-09", NULL, "d");
  const newsidx_docinfo *info = facts(db, NEWSIDX_DOCINFO_ORDER);
  int64_t d1 = newsidx_when("2026-01-01"), d5 = newsidx_when("2026-01-05"),
          d9 = newsidx_when("2026-01-09");
  assert_true(info->newest_upto[0] == NEWSIDX_WHEN_ABSENT);
  assert_true(info->newest_upto[1] == d5 && info->newest_upto[2] == d5);
  assert_true(info->newest_upto[3] == d5 && info->newest_upto[4] == d9);
  assert_true(info->newest_upto[info->n_ids - 1] == d9);
  assert_true(info->oldest_from[0] == d1); /* b, undated, at id 2, does not count */
  assert_true(info->oldest_from[3] == d1 && info->oldest_from[4] == d9);
  assert_true(info->oldest_from[5] == INT64_MAX);
}

/* A reader's copy is reloaded when another connection commits. */
static void another_connection_sees_new_facts(void **state) {
  char *dir = test_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/news.db", dir);
  newsidx_open_options create = {NEWSIDX_OPEN_CREATE, NULL, 0};
  newsidx_open_options read_only = {NEWSIDX_OPEN_READONLY, NULL, 0};
  newsidx_db *writer, *reader;
  newsidx_error err = {0};
  assert_int_equal(newsidx_db_open(path, &create, &writer, &err), NEWSIDX_OK);
  store(writer, "a", "2026-01-05", NULL, "one two");
  assert_int_equal(newsidx_db_open(path, &read_only, &reader, &err), NEWSIDX_OK);
  assert_true(facts(reader, 0)->n_indexed == 1);
  assert_true(facts(reader, 0) == facts(reader, 0)); /* unchanged: the same copy */
  assert_int_equal(newsidx_begin(writer, &err), NEWSIDX_OK);
  store(writer, "b", "2026-01-06", NULL, "three four five");
  assert_int_equal(newsidx_commit(writer, &err), NEWSIDX_OK);
  const newsidx_docinfo *info = facts(reader, 0);
  assert_true(info->n_indexed == 2);
  assert_int_equal(info->n_tokens[2], 3);
  newsidx_db_close(reader);
  newsidx_db_close(writer);
  test_tmpdir_remove(dir);
}

/* An index of version 5 gains the facts of what it holds. */
static void migration_builds_the_facts(void **state) {
  char *dir = test_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/v5.db", dir);
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, NULL, 0};
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(newsidx_db_open(path, &options, &db, &err), NEWSIDX_OK);
  for (int i = 0; i < 2700; i++) { /* three chunks of 1,344 ids */
    char key[16], body[64];
    snprintf(key, sizeof key, "k%d", i);
    snprintf(body, sizeof body, "article %d of %s", i, i % 2 ? "odd ones" : "even");
    if (i == 0) assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
    store(db, key, i % 3 ? "1990-05-06" : NULL, NULL, body);
  }
  assert_int_equal(newsidx_delete_article(db, 1500, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  int64_t total = facts(db, 0)->total_tokens;
  assert_true(total == 1350 * 4 + 1350 * 5 - 5); /* article 1500 (i 1499, odd) is gone */
  test_schema_downgrade(newsidx_db_sqlite(db), 5);
  newsidx_db_close(db);
  assert_int_equal(newsidx_db_open(path, &options, &db, &err), NEWSIDX_OK);
  assert_true(facts(db, 0)->total_tokens == total);
  assert_true(facts(db, 0)->n_indexed == 2699);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM docinfo"), 3);
  newsidx_db_close(db);
  test_tmpdir_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(when_sorts_as_the_strings_do),
      cmocka_unit_test(other_forms_are_undated),
      cmocka_unit_test_setup_teardown(follows_inserts_updates_and_deletes, setup, teardown),
      cmocka_unit_test_setup_teardown(autocommit_and_rollback, setup, teardown),
      cmocka_unit_test_setup_teardown(order_arrays, setup, teardown),
      cmocka_unit_test(another_connection_sees_new_facts),
      cmocka_unit_test(migration_builds_the_facts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
