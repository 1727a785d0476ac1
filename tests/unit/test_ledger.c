/*
** test_ledger.c — the new-term ledger: new stems and names are recorded once, with the
** article, date and spelling that introduced them; titles give no names; a rolled-back batch
** leaves no terms.
*/
#include "test_util.h"

#include "ledger.h" /* ledger_terms_json() */

static int setup(void **state) {
  *state = test_open_memory("english");
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

static int64_t add(newsidx_db *db, const char *key, const char *date, const char *title,
                   const char *body) {
  newsidx_article a = {0};
  a.key = key;
  a.date = date;
  a.title = title;
  a.body = body;
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  int64_t id = 0;
  newsidx_error err = {0};
  if (newsidx_store_article(db, &a, &outcome, &id, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  return id;
}

static void batch(newsidx_db *db, int commit) {
  newsidx_error err = {0};
  if (commit) {
    if (newsidx_commit(db, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  } else {
    assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  }
}

static long long count(newsidx_db *db, const char *where) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM terms WHERE %s", where);
  return test_query_int(newsidx_db_sqlite(db), sql);
}

static const char *text_of(newsidx_db *db, const char *sql, char *buf, size_t size) {
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(newsidx_db_sqlite(db), sql, -1, &stmt, NULL), SQLITE_OK);
  if (sqlite3_step(stmt) != SQLITE_ROW) fail_msg("no row: %s", sql);
  snprintf(buf, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return buf;
}

static void new_words_are_recorded_once(void **state) {
  newsidx_db *db = *state;
  char buf[128];
  batch(db, 0);
  int64_t first = add(db, "/1", "2026-03-01", NULL, "Terrorism and terrorism again; terror.");
  batch(db, 1);
  assert_int_equal(count(db, "term = 'terror' AND kind = 0"), 1);
  /* the most common spelling of the stem in its batch */
  assert_string_equal(
      text_of(db, "SELECT surface FROM terms WHERE term = 'terror'", buf, sizeof buf), "terrorism");
  char sql[128];
  snprintf(
      sql, sizeof sql,
      "term = 'terror' AND first_article = %lld AND first_when = 2 * unixepoch('2026-03-01') - 1",
      (long long)first);
  assert_int_equal(count(db, sql), 1);

  batch(db, 0);
  int64_t second = add(db, "/2", "2026-03-02", NULL, "Terror returns with narcoterrorism.");
  batch(db, 1);
  snprintf(sql, sizeof sql, "first_article = %lld", (long long)second);
  /* only the stems /2 brought: "return", "narcoterror" ("with" is new too) */
  assert_int_equal(count(db, "term = 'terror'"), 1);
  assert_int_equal(
      count(db, "term = 'narcoterror' AND first_when = 2 * unixepoch('2026-03-02') - 1"), 1);
  assert_int_equal(count(db, "term = 'return'"), 1);
  snprintf(sql, sizeof sql, "first_article = %lld AND term IN ('terror', 'and', 'again')",
           (long long)second);
  assert_int_equal(count(db, sql), 0);
}

/* Each term records when it was first indexed: the time of the batch that brought it (its
** row in `batches`, which its articles share), and a later batch that uses it again leaves that
** alone. */
static void first_indexed_is_when_the_term_came(void **state) {
  newsidx_db *db = *state;
  sqlite3 *s = newsidx_db_sqlite(db);
  char before[NEWSIDX_DATE_MAX], after[NEWSIDX_DATE_MAX], buf[64];
  newsidx_now_iso(before);
  batch(db, 0);
  add(db, "/1", "1999-01-01", NULL, "Sandpipers gather.");
  add(db, "/1b", "1999-01-01", NULL, "Plovers too.");
  batch(db, 1);
  newsidx_now_iso(after);
  const char *when =
      text_of(db,
              "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', first_indexed, 'unixepoch') FROM terms"
              " WHERE term = 'sandpip'",
              buf, sizeof buf);
  assert_true(strcmp(before, when) <= 0 && strcmp(when, after) <= 0);
  /* one batch, one row, whatever its articles and terms */
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM batches"), 1);
  assert_int_equal(
      sqlite3_exec(s, "UPDATE batches SET at = 946684800" /* 2000-01-01 */, NULL, NULL, NULL),
      SQLITE_OK);
  batch(db, 0);
  add(db, "/2", "1999-01-02", NULL, "More sandpipers.");
  batch(db, 1);
  assert_string_equal(
      text_of(db, "SELECT first_indexed FROM terms WHERE term = 'sandpip'", buf, sizeof buf),
      "946684800");
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles WHERE " NEWSIDX_SQL_INDEXED_AT
                                     " = 946684800"),
                   2);
  /* the second batch came later: its article and its new term ("more") read its own time */
  assert_true(test_query_int(s, "SELECT first_indexed FROM terms WHERE term = 'more'") >=
              test_query_int(s, "SELECT unixepoch('2026-01-01')"));
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM batches"), 2);
}

static void n_docs_counts_articles_of_the_batch(void **state) {
  newsidx_db *db = *state;
  batch(db, 0);
  add(db, "/a", "2026-01-01", NULL, "Cocoa cocoa cocoa.");
  add(db, "/b", "2026-01-02", NULL, "Cocoa prices.");
  add(db, "/c", "2026-01-03", NULL, "Coffee prices.");
  batch(db, 1);
  assert_int_equal(count(db, "term = 'cocoa' AND n_docs = 2"), 1);
  assert_int_equal(count(db, "term = 'price' AND n_docs = 2"), 1);
  assert_int_equal(count(db, "term = 'coffe' AND n_docs = 1"), 1);
}

static void capitalized_names_are_terms(void **state) {
  newsidx_db *db = *state;
  char buf[128];
  batch(db, 0);
  add(db, "/n", "2026-02-02", "Coast Guard Detains Three",
      "On Feb. 2, the Coast Guard detained three suspects during Operation Pacific Viper, an "
      "ongoing campaign. The Trump administration classified Los Choneros and Los Lobos as "
      "terrorist organizations. In March 2025, President Daniel Noboa called for help. The "
      "Bank of England and Marine Corps Lt. Gen. Francis L. Donovan were not involved.");
  batch(db, 1);
  assert_string_equal(
      text_of(db, "SELECT surface FROM terms WHERE kind = 1 AND term = 'oper pacif viper'", buf,
              sizeof buf),
      "Operation Pacific Viper");
  assert_int_equal(count(db, "kind = 1 AND term = 'los lobo' AND surface = 'Los Lobos'"), 1);
  assert_int_equal(count(db, "kind = 1 AND term = 'los chonero'"), 1);
  assert_int_equal(count(db, "kind = 1 AND surface = 'Daniel Noboa'"), 1); /* "President" dropped */
  assert_int_equal(count(db, "kind = 1 AND surface = 'Bank of England'"), 1); /* particle inside */
  assert_int_equal(count(db, "kind = 1 AND surface = 'Marine Corps'"), 1);    /* "Lt." dropped */
  assert_int_equal(count(db, "kind = 1 AND surface = 'Coast Guard'"), 1);     /* from the body */
  assert_int_equal(count(db, "kind = 1 AND surface LIKE '%Detains%'"), 0);    /* not from titles */
  assert_int_equal(count(db, "kind = 1 AND surface LIKE 'In %'"), 0);
  assert_int_equal(count(db, "kind = 1 AND surface LIKE '%March%'"), 0);
  assert_int_equal(count(db, "kind = 1 AND surface LIKE 'The %'"), 0);
}

static void rolled_back_batches_leave_no_terms(void **state) {
  newsidx_db *db = *state;
  batch(db, 0);
  add(db, "/r1", "2026-01-01", NULL, "Zeppelins over Zürich.");
  newsidx_rollback(db);
  assert_int_equal(count(db, "term = 'zeppelin'"), 0);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM term_origins"), 0);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM batches"), 0);
  /* and the term is still new for the next batch */
  batch(db, 0);
  add(db, "/r2", "2026-01-05", NULL, "Zeppelins return.");
  batch(db, 1);
  assert_int_equal(count(db, "term = 'zeppelin' AND first_when = 2 * unixepoch('2026-01-05') - 1"),
                   1);
}

static void duplicates_and_deletes_add_nothing(void **state) {
  newsidx_db *db = *state;
  batch(db, 0);
  add(db, "/d1", "2026-01-01", NULL, "Quokkas spotted.");
  batch(db, 1);
  long long before = test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM terms");
  batch(db, 0);
  add(db, "/d2", "2026-01-09", NULL, "Quokkas spotted.");
  batch(db, 1);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM terms"), before);
  assert_int_equal(count(db, "term = 'quokka' AND first_when = 2 * unixepoch('2026-01-01') - 1"),
                   1);
}

/* A term's seq is that of the article that brought it, in the articles' sequence; a changed
** article keeps its id but brings its new terms under its new, higher seq. */
static void terms_carry_the_seq_of_their_article(void **state) {
  newsidx_db *db = *state;
  sqlite3 *s = newsidx_db_sqlite(db);
  batch(db, 0);
  add(db, "/q1", "2026-01-01", NULL, "Narwhals surface.");
  add(db, "/q2", "2026-01-02", NULL, "Walruses rest.");
  batch(db, 1);
  assert_int_equal(
      test_query_int(s, "SELECT seq FROM terms WHERE term = 'walrus'"),
      test_query_int(
          s,
          "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/q2')"));
  long long before = test_query_int(s, "SELECT max(seq) FROM terms");
  batch(db, 0);
  add(db, "/q1", "2026-01-01", NULL, "Narwhals surface near Svalbard.");
  batch(db, 1);
  assert_int_equal(
      test_query_int(s, "SELECT seq FROM terms WHERE term = 'svalbard'"),
      test_query_int(
          s,
          "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/q1')"));
  assert_true(test_query_int(s, "SELECT seq FROM terms WHERE term = 'svalbard'") > before);
  assert_int_equal(test_query_int(s, "SELECT first_article FROM terms WHERE term = 'svalbard'"),
                   test_query_int(s, "SELECT id FROM article_keys WHERE key = '/q1'"));
  /* an origin per article version that brought terms: /q1 twice, /q2 once */
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM term_origins"), 3);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM terms WHERE first_article IS NULL"), 0);
}

/* The JSON of an origin's terms is what SQLite's JSON functions read back, whatever bytes a
** term or a spelling holds: the bare term when it is its own spelling and one article used it,
** else [term, spelling, articles]. */
static void origins_json_reads_back(void **state) {
  (void)state;
  ledger_new_term terms[] = {
      {"plain", "plain", 5, 5, 1},
      {"terror", "Terrorism", 6, 9, 3},
      {"quot\"e", "back\\slash", 6, 10, 1},
      {"ctl\x01\x1f", "tab\tnew\nline", 5, 12, 2},
      {"z\xc3\xbcrich", "Z\xc3\xbcrich", 7, 7, 1},
  };
  ledger_json json = {0};
  assert_int_equal(ledger_terms_json(&json, terms, 0), 0);
  assert_string_equal(json.text, "[]");
  assert_int_equal(ledger_terms_json(&json, terms, 5), 0);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "SELECT " LEDGER_SQL_TERM ", " LEDGER_SQL_SPELLING
                                      ", " LEDGER_SQL_N_DOCS " FROM json_each(?1) j",
                                      -1, &stmt, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(stmt, 1, json.text, (int)json.n, SQLITE_STATIC);
  for (size_t i = 0; i < 5; i++) {
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(stmt, 0), (int)terms[i].n_key);
    assert_memory_equal(sqlite3_column_text(stmt, 0), terms[i].key, terms[i].n_key);
    assert_int_equal(sqlite3_column_bytes(stmt, 1), (int)terms[i].n_spelling);
    assert_memory_equal(sqlite3_column_text(stmt, 1), terms[i].spelling, terms[i].n_spelling);
    assert_int_equal(sqlite3_column_int(stmt, 2), terms[i].n_docs);
  }
  assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  assert_non_null(strstr(json.text, "[\"plain\",[\"terror\",\"Terrorism\",3],"));
  /* one article: the count is left out */
  assert_non_null(strstr(json.text, ",[\"quot\\\"e\",\"back\\\\slash\"],"));
  ledger_json_free(&json);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(origins_json_reads_back),
      cmocka_unit_test_setup_teardown(new_words_are_recorded_once, setup, teardown),
      cmocka_unit_test_setup_teardown(first_indexed_is_when_the_term_came, setup, teardown),
      cmocka_unit_test_setup_teardown(n_docs_counts_articles_of_the_batch, setup, teardown),
      cmocka_unit_test_setup_teardown(capitalized_names_are_terms, setup, teardown),
      cmocka_unit_test_setup_teardown(rolled_back_batches_leave_no_terms, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicates_and_deletes_add_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(terms_carry_the_seq_of_their_article, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
