/*
** test_tokenizer.c — the snowball tokenizer: stemming, splitting, folding, robustness, and
** that FTS5 queries and documents go through the same chain.
*/
#include "test_util.h"

typedef struct joined {
  char text[4096];
  size_t n;
  int count;
  int max_len;
} joined;

static int join_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  joined *j = ctx;
  j->count++;
  if (n_stem > j->max_len) j->max_len = n_stem;
  if (j->n + (size_t)n_stem + 2 < sizeof j->text) {
    if (j->n) j->text[j->n++] = ' ';
    memcpy(j->text + j->n, stem, (size_t)n_stem);
    j->n += (size_t)n_stem;
    j->text[j->n] = '\0';
  }
  return 0;
}

/* The stems of `text`, joined by spaces. */
static const char *stems(newsidx_db *db, const char *text, joined *j) {
  memset(j, 0, sizeof *j);
  newsidx_error err;
  assert_int_equal(newsidx_tokenize(db, text, (int)strlen(text), join_token, j, &err), NEWSIDX_OK);
  return j->text;
}

static int setup(void **state) {
  *state = test_open_memory("english");
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

static void inflections_share_a_stem(void **state) {
  joined j;
  assert_string_equal(stems(*state, "run runs running", &j), "run run run");
  assert_string_equal(stems(*state, "terrorist terrorists", &j), "terrorist terrorist");
  assert_string_equal(stems(*state, "elected election elections", &j), "elect elect elect");
}

static void hyphenated_words_split_into_parts(void **state) {
  joined j;
  assert_string_equal(stems(*state, "narco-terrorism", &j), "narco terror");
  assert_string_equal(stems(*state, "cross-border long-term", &j), "cross border long term");
}

static void diacritics_fold(void **state) {
  joined j;
  assert_string_equal(stems(*state, "Quito São Paulo Zürich", &j), "quito sao paulo zurich");
  assert_string_equal(stems(*state, "QUITO Sao Paulo ZURICH", &j), "quito sao paulo zurich");
  /* Ł is a letter of its own, not L with a diacritic: unicode61 keeps it, as it should */
  assert_string_equal(stems(*state, "Nicolás Łódź", &j), "nicola łodz");
}

/* A number is one token with its decimal point; thousands groups are joined without their
** separator; anything else with a '.' or ',' splits as before. */
static void numbers_are_one_token(void **state) {
  joined j;
  assert_string_equal(stems(*state, "1987 76% $11.1bn 155,221", &j), "1987 76 11.1bn 155221");
  assert_string_equal(stems(*state, "3.15 1.4 10,000 1,234,567.89", &j),
                      "3.15 1.4 10000 1234567.89");
  assert_string_equal(stems(*state, "9-1/4 pct", &j), "9 1 4 pct");
  /* not thousands groups: two digits after the comma, four before it, a space */
  assert_string_equal(stems(*state, "1,5 1987,123 10, 000", &j), "1 5 1987 123 10 000");
  /* a full stop after a number ends it */
  assert_string_equal(stems(*state, "rose 3. Then 4.x", &j), "rose 3 then 4 x");
}

/* Single letters joined by dots are one word, whatever their case. */
static void initials_are_one_word(void **state) {
  joined j;
  assert_string_equal(stems(*state, "U.S. u.s. US us U.S", &j), "us us us us us");
  assert_string_equal(stems(*state, "U.N. N.Y. U.K. U.S.A.", &j), "un ny uk usa");
  assert_string_equal(stems(*state, "J.C. Penney", &j), "jc penney");
  assert_string_equal(stems(*state, "U.S.-Japan talks", &j), "us japan talk");
  /* a letter before a word, or with a space after its dot, stays itself */
  assert_string_equal(stems(*state, "A. Smith F.Kennedy", &j), "a smith f kennedi");
}

/* The index holds one token per word: its stem, with numbers and initials joined. A prefix is
** passed through unstemmed, so "prices" * finds no stem; the query compiler adds the stems'
** prefix ("price" *) for it. */
static void numbers_initials_and_prefixes_in_an_index(void **state) {
  sqlite3 *sqlite = newsidx_db_sqlite(*state);
  assert_int_equal(sqlite3_exec(sqlite,
                                "CREATE VIRTUAL TABLE s USING fts5(x, tokenize='snowball english "
                                "unicode61 remove_diacritics 2');"
                                "INSERT INTO s(rowid, x) VALUES(1, 'Prices rose, the pricesetter "
                                "said'), (2, 'the price of apples'), (3, 'Apple and U.S. "
                                "Economy, 3.15 dlrs'), (4, 'up 9-1/4 pct, 3 and 15 and 10,000');",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  const struct {
    const char *match;
    const char *rowids;
  } cases[] = {
      {"prices*", "1"},  {"\"prices\" * OR \"price\" *", "1 2"},
      {"price*", "1 2"}, {"price", "1 2"},
      {"apple", "2 3"},  {"\"u.s.\"", "3"},
      {"us", "3"},       {"\"u.s. economy\"", "3"},
      {"economy*", ""},  {"economi*", "3"},
      {"\"3.15\"", "3"}, {"3", "4"},
      {"\"1.4\"", ""},   {"\"9 1 4\"", "4"},
      {"10000", "4"},    {"\"10,000\"", "4"},
      {"\"3.1\"*", "3"}, {"\"1 4\"", "4"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(group_concat(rowid, ' '), '') FROM (SELECT rowid FROM s WHERE s "
             "MATCH '%s' ORDER BY rowid)",
             cases[i].match);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(sqlite, sql, -1, &stmt, NULL), SQLITE_OK);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) fail_msg("%s: %s", cases[i].match, sqlite3_errmsg(sqlite));
    const char *got = (const char *)sqlite3_column_text(stmt, 0);
    if (strcmp(got, cases[i].rowids) != 0)
      fail_msg("MATCH %s: rows '%s', not '%s'", cases[i].match, got, cases[i].rowids);
    sqlite3_finalize(stmt);
  }
}

static void very_long_token_is_cut_not_fatal(void **state) {
  size_t n = 200000;
  char *text = malloc(n + 1);
  assert_non_null(text);
  memset(text, 'a', n);
  text[n] = '\0';
  joined j;
  stems(*state, text, &j);
  assert_int_equal(j.count, 1);
  assert_true(j.max_len <= 128);
  /* a long run of multi-byte letters is cut at a character boundary */
  for (size_t i = 0; i + 2 <= n; i += 2)
    memcpy(text + i, "\xc3\xa9", 2); /* é */
  stems(*state, text, &j);
  assert_int_equal(j.count, 1);
  assert_true(newsidx_utf8_valid(j.text, j.n));
  free(text);
}

static void invalid_utf8_does_not_crash(void **state) {
  static const char *const cases[] = {
      "\xff\xfe\xfd",
      "abc\xc3",
      "\xc0\xaf"
      "path",
      "\xed\xa0\x80"
      "surrogate",
      "\xf4\x90\x80\x80"
      "big",
      "ok \x80\x80\x80 ok",
      "\xe2\x82",
      "caf\xe9"
      " au lait",
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    joined j;
    stems(*state, cases[i], &j);
  }
  /* every byte value, in every position */
  char all[512];
  for (int i = 0; i < 511; i++)
    all[i] = (char)(i % 255 + 1);
  all[511] = '\0';
  joined j;
  stems(*state, all, &j);
}

/* Documents are stemmed by FTS5 at insert time and queries at MATCH time: a query in any
** inflection finds a document in any other. */
static void query_and_index_agree(void **state) {
  sqlite3 *sqlite = newsidx_db_sqlite(*state);
  assert_int_equal(sqlite3_exec(sqlite,
                                "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='snowball english "
                                "unicode61 remove_diacritics 2');"
                                "INSERT INTO t(rowid, x) VALUES(1, 'The runners kept running in "
                                "São Paulo'), (2, 'Terrorists attacked; narco-terrorism grows');",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(test_query_int(sqlite, "SELECT rowid FROM t WHERE t MATCH 'runs'"), 1);
  assert_int_equal(test_query_int(sqlite, "SELECT rowid FROM t WHERE t MATCH 'sao paulo'"), 1);
  assert_int_equal(test_query_int(sqlite, "SELECT rowid FROM t WHERE t MATCH '\"SÃO PAULO\"'"), 1);
  assert_int_equal(test_query_int(sqlite, "SELECT rowid FROM t WHERE t MATCH 'terrorist'"), 2);
  assert_int_equal(
      test_query_int(sqlite, "SELECT rowid FROM t WHERE t MATCH '\"narco terrorism\"'"), 2);
  assert_int_equal(test_query_int(sqlite, "SELECT count(*) FROM t WHERE t MATCH 'terror*'"), 1);
  assert_int_equal(test_query_int(sqlite, "SELECT count(*) FROM t WHERE t MATCH 'attack'"), 1);
  assert_int_equal(test_query_int(sqlite, "SELECT count(*) FROM t WHERE t MATCH 'missing'"), 0);
}

static void every_listed_language_loads(void **state) {
  sqlite3 *sqlite = newsidx_db_sqlite(*state);
  int n = 0;
  for (const char **l = newsidx_languages(); *l; l++, n++) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "DROP TABLE IF EXISTS lang; CREATE VIRTUAL TABLE lang USING fts5(x, tokenize="
             "'snowball %s'); INSERT INTO lang VALUES('newsidx %s 2026');",
             *l, *l);
    char *msg = NULL;
    if (sqlite3_exec(sqlite, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", *l, msg);
    assert_int_equal(test_query_int(sqlite, "SELECT count(*) FROM lang WHERE lang MATCH '2026'"),
                     1);
  }
  assert_true(n >= 20);
}

static void unknown_language_lists_the_known_ones(void **state) {
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, "klingon", 0};
  newsidx_db *db = NULL;
  newsidx_error err = {0};
  assert_int_equal(newsidx_db_open(":memory:", &options, &db, &err), NEWSIDX_BAD_LANGUAGE);
  assert_null(db);
  assert_non_null(strstr(err.message, "klingon"));
  assert_non_null(strstr(err.message, "english"));
  assert_non_null(strstr(err.message, "portuguese"));
  /* and FTS5 refuses the table rather than indexing unstemmed */
  sqlite3 *sqlite = newsidx_db_sqlite(*state);
  assert_int_not_equal(
      sqlite3_exec(sqlite, "CREATE VIRTUAL TABLE k USING fts5(x, tokenize='snowball klingon')",
                   NULL, NULL, NULL),
      SQLITE_OK);
}

static void other_languages_stem_their_own_way(void **state) {
  newsidx_db *fr = test_open_memory("french");
  joined j;
  assert_string_equal(stems(fr, "élections électoral", &j), "elect electoral");
  newsidx_db_close(fr);
  newsidx_db *de = test_open_memory("german");
  assert_string_equal(stems(de, "Häuser Haus", &j), "haus haus");
  newsidx_db_close(de);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(inflections_share_a_stem, setup, teardown),
      cmocka_unit_test_setup_teardown(hyphenated_words_split_into_parts, setup, teardown),
      cmocka_unit_test_setup_teardown(diacritics_fold, setup, teardown),
      cmocka_unit_test_setup_teardown(numbers_are_one_token, setup, teardown),
      cmocka_unit_test_setup_teardown(initials_are_one_word, setup, teardown),
      cmocka_unit_test_setup_teardown(numbers_initials_and_prefixes_in_an_index, setup, teardown),
      cmocka_unit_test_setup_teardown(very_long_token_is_cut_not_fatal, setup, teardown),
      cmocka_unit_test_setup_teardown(invalid_utf8_does_not_crash, setup, teardown),
      cmocka_unit_test_setup_teardown(query_and_index_agree, setup, teardown),
      cmocka_unit_test_setup_teardown(every_listed_language_loads, setup, teardown),
      cmocka_unit_test_setup_teardown(unknown_language_lists_the_known_ones, setup, teardown),
      cmocka_unit_test(other_languages_stem_their_own_way),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
