/*
** test_check.c — newsidx_check() finds nothing in a sound index and names each kind of damage.
*/
#include "test_util.h"

/* The problems reported by one check, one line each. */
typedef struct found {
  char text[8192];
  int n_lines;
} found;

static void collect(void *ctx, const char *problem) {
  found *f = ctx;
  size_t used = strlen(f->text);
  snprintf(f->text + used, sizeof f->text - used, "%s\n", problem);
  f->n_lines++;
}

static int64_t check(newsidx_db *db, found *f) {
  memset(f, 0, sizeof *f);
  int64_t n = -1;
  newsidx_error err = {0};
  if (newsidx_check(db, 0, collect, f, &n, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  return n;
}

/* Articles 1 and 2 are originals, 3 and 4 duplicates of 1. */
static int setup(void **state) {
  newsidx_db *db = test_open_memory("english");
  test_store(db, "/a", NULL, NULL, NULL, "Copper rose on Chilean supply fears.");
  test_store(db, "/b", NULL, NULL, NULL, "Cocoa fell after rains in Bahia.");
  test_store(db, "/c", NULL, NULL, NULL, "Copper rose on Chilean supply fears.");
  test_store(db, "/d", NULL, NULL, NULL, "Copper  rose on Chilean supply fears.");
  *state = db;
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

static void damage(newsidx_db *db, const char *sql) {
  char *message = NULL;
  if (sqlite3_exec(newsidx_db_sqlite(db), sql, NULL, NULL, &message) != SQLITE_OK)
    fail_msg("%s: %s", sql, message);
}

static void a_sound_index_has_no_problems(void **state) {
  found f;
  assert_int_equal(check(*state, &f), 0);
  assert_int_equal(f.n_lines, 0);
  /* the quick variant too */
  int64_t n = -1;
  newsidx_error err;
  assert_int_equal(newsidx_check(*state, NEWSIDX_CHECK_QUICK, collect, &f, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 0);
}

static void duplicate_of_a_missing_article(void **state) {
  damage(*state, "UPDATE articles SET dup_of = 99 WHERE id = 3");
  found f;
  assert_int_equal(check(*state, &f), 1);
  assert_non_null(strstr(f.text, "article 3 is a duplicate of article 99, which does not exist"));
}

static void duplicate_of_a_duplicate(void **state) {
  damage(*state, "UPDATE articles SET dup_of = 3 WHERE id = 4");
  found f;
  assert_int_equal(check(*state, &f), 1);
  assert_non_null(strstr(f.text, "article 4 is a duplicate of article 3, which is itself"));
}

static void duplicate_of_another_text(void **state) {
  damage(*state, "UPDATE articles SET dup_of = 2 WHERE id = 3");
  found f;
  assert_int_equal(check(*state, &f), 1);
  assert_non_null(strstr(f.text, "article 3 is recorded as a duplicate of article 2, but"));
}

static void two_originals_of_one_text(void **state) {
  /* made an original behind FTS5's back: the index also lacks it */
  damage(*state, "UPDATE articles SET dup_of = NULL WHERE id = 3");
  found f;
  assert_int_equal(check(*state, &f), 2);
  assert_non_null(strstr(f.text, "articles 1 and 3 (2 in all) have the same text"));
  assert_non_null(strstr(f.text, "full-text index does not match"));
}

static void article_missing_from_the_index(void **state) {
  damage(*state, "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                 " SELECT 'delete', id, title, body FROM articles WHERE id = 2");
  found f;
  assert_int_equal(check(*state, &f), 2);
  assert_non_null(strstr(f.text, "full-text index does not match"));
  assert_non_null(strstr(f.text, "document facts list article 2, which is not in the full-text"));
  /* the message's remedy works */
  damage(*state, "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')");
  assert_int_equal(check(*state, &f), 0);
}

static void article_without_text_and_no_language(void **state) {
  damage(*state,
         "INSERT INTO articles(key, content_hash, body, seq)"
         " VALUES('/e', 1, '', 9);"
         "INSERT INTO articles_fts(rowid, title, body) VALUES(last_insert_rowid(), NULL, '');"
         "DELETE FROM meta WHERE key = 'language'");
  found f;
  assert_int_equal(check(*state, &f), 3);
  assert_non_null(strstr(f.text, "article 5 has neither title nor text"));
  assert_non_null(strstr(f.text, "document facts miss article 5"));
  assert_non_null(strstr(f.text, "records no language"));
}

static void many_problems_are_summed_up(void **state) {
  newsidx_db *db = *state;
  for (int i = 0; i < 25; i++) {
    char key[16];
    snprintf(key, sizeof key, "/x%d", i);
    test_store(db, key, NULL, NULL, NULL, "Copper rose on Chilean supply fears.");
  }
  damage(db, "UPDATE articles SET dup_of = 1000 WHERE dup_of IS NOT NULL");
  found f;
  assert_int_equal(check(db, &f), 27);
  assert_int_equal(f.n_lines, 21);
  assert_non_null(strstr(f.text, "7 more like the above"));
}

/* The document facts are copies of the full-text lengths and the dates; optimize rebuilds them. */
static void document_facts_that_drifted(void **state) {
  newsidx_db *db = *state;
  damage(db, "UPDATE articles SET date = '2026-03-05' WHERE id = 2");
  found f;
  assert_int_equal(check(db, &f), 1);
  assert_non_null(strstr(f.text, "document facts give article 2 another date than its own"));
  damage(db, "UPDATE docinfo SET data = zeroblob(length(data))");
  assert_int_equal(check(db, &f), 1344); /* ids 0 to 1343, the first chunk */
  assert_non_null(strstr(f.text, "document facts give article 1 0 tokens, the full-text index 6"));
  assert_non_null(strstr(f.text, "document facts list article 0, which is not in the full-text"));
  assert_non_null(strstr(f.text, "more like the above (document facts)"));
  newsidx_error err = {0};
  assert_int_equal(newsidx_optimize(db, 0, &err), NEWSIDX_OK);
  assert_int_equal(check(db, &f), 0);
  /* a date in neither stored form is named, and searched as undated */
  damage(db, "UPDATE articles SET date = 'March 2026' WHERE id = 1");
  assert_int_equal(newsidx_optimize(db, 0, &err), NEWSIDX_OK);
  assert_int_equal(check(db, &f), 1);
  assert_non_null(strstr(f.text, "article 1 has the date 'March 2026', in neither stored form"));
}

/* A text file's article is its folder and its name (schema 13): the folder must be there, and
** no record may have its path as its key. */
static void keys_and_folders_that_went_wrong(void **state) {
  newsidx_db *db = *state;
  damage(db, "INSERT INTO articles(key, path, content_hash, body, seq)"
             " VALUES('/a', NULL, 7, 'Zinc held.', 9);"
             "INSERT INTO articles_fts(rowid, title, body) VALUES(last_insert_rowid(), NULL,"
             " 'Zinc held.');"
             "UPDATE articles SET folder_id = 1000 WHERE id = 2");
  found f;
  assert_int_equal(check(db, &f), 3);
  assert_non_null(
      strstr(f.text, "articles 1 (a file) and 5 (stored under its key) have the same key '/a'"));
  assert_non_null(strstr(f.text, "article 2 names folder 1000, which `files` does not hold"));
}

/* The ledger keeps each term once, as a JSON array per article that brought terms. */
static void ledger_rows_that_went_wrong(void **state) {
  newsidx_db *db = *state;
  damage(db, "INSERT INTO term_origins(seq, article, first_when, terms)"
             " VALUES(100, 2, NULL, '[\"copper\", [\"cocoa\", \"Cocoa\", 2]]')");
  found f;
  assert_int_equal(check(db, &f), 2);
  assert_non_null(strstr(f.text, "the ledger has the term 'copper' 2 times (brought by seqs"));
  assert_non_null(strstr(f.text, "the ledger has the term 'cocoa' 2 times"));
  damage(db, "UPDATE term_origins SET terms = '[\"copper\"' WHERE seq = 100");
  assert_int_equal(check(db, &f), 1);
  assert_non_null(strstr(f.text, "the ledger's row for seq 100 is not a JSON array of terms"));
  damage(db, "UPDATE term_origins SET terms = '[\"copper\", 5, [\"cocoa\"]]' WHERE seq = 100");
  assert_int_equal(check(db, &f), 1); /* elements that are neither a term nor [term, spelling, n] */
  assert_non_null(strstr(f.text, "the ledger's row for seq 100 is not a JSON array of terms"));
  damage(db, "DELETE FROM term_origins WHERE seq = 100");
  assert_int_equal(check(db, &f), 0);
}

/* What meta records that newsidx reads back: the language, the tokenizer it gives, and the
** counters that readers take as numbers. Each damage is undone before the next. */
static void meta_rows_that_went_wrong(void **state) {
  static const struct {
    const char *damage;
    int64_t n_problems;
    const char *says, *also;
  } cases[] = {
      {"UPDATE meta SET value = 'klingon' WHERE key = 'language'", 1,
       "the index's language 'klingon' has no Snowball stemmer (meta)", NULL},
      {"DELETE FROM meta WHERE key = 'language'", 1, "the index records no language", NULL},
      {"UPDATE meta SET value = 'french' WHERE key = 'language'", 2,
       "meta 'tokenizer' is 'snowball english unicode61 remove_diacritics 2', not 'snowball "
       "french unicode61 remove_diacritics 2' (the one of the language 'french')",
       "the full-text index was not made with tokenize='snowball french unicode61"},
      {"UPDATE meta SET value = 'snowball english porter' WHERE key = 'tokenizer'", 1,
       "meta 'tokenizer' is 'snowball english porter', not 'snowball english", NULL},
      {"DELETE FROM meta WHERE key = 'tokenizer'", 1, "meta 'tokenizer' is '(none)'", NULL},
      {"INSERT OR REPLACE INTO meta VALUES('fts_generation', 'many')", 1,
       "meta 'fts_generation' is 'many', not a whole number of 0 or more", NULL},
      {"INSERT OR REPLACE INTO meta VALUES('term_docs_generation', '3.5')", 1,
       "meta 'term_docs_generation' is '3.5', not a whole number", NULL},
      {"INSERT OR REPLACE INTO meta VALUES('seq_floor', '12abc')", 1,
       "meta 'seq_floor' is '12abc', not a whole number", NULL},
      {"INSERT OR REPLACE INTO meta VALUES('seq_floor', '-4')", 1,
       "meta 'seq_floor' is '-4', not a whole number of 0 or more", NULL},
      {"INSERT OR REPLACE INTO meta VALUES('seq_floor', '40')", 0, "", NULL}, /* a sound one */
  };
  newsidx_db *db = *state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    damage(db, "SAVEPOINT meta_damage");
    damage(db, cases[i].damage);
    found f;
    int64_t n = check(db, &f);
    damage(db, "ROLLBACK TO meta_damage; RELEASE meta_damage");
    if (n != cases[i].n_problems || !strstr(f.text, cases[i].says) ||
        (cases[i].also && !strstr(f.text, cases[i].also)))
      fail_msg("%s: %lld problems, wanted %lld saying '%s':\n%s", cases[i].damage, (long long)n,
               (long long)cases[i].n_problems, cases[i].says, f.text);
  }
  found f;
  assert_int_equal(check(db, &f), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_sound_index_has_no_problems, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicate_of_a_missing_article, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicate_of_a_duplicate, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicate_of_another_text, setup, teardown),
      cmocka_unit_test_setup_teardown(two_originals_of_one_text, setup, teardown),
      cmocka_unit_test_setup_teardown(article_missing_from_the_index, setup, teardown),
      cmocka_unit_test_setup_teardown(article_without_text_and_no_language, setup, teardown),
      cmocka_unit_test_setup_teardown(many_problems_are_summed_up, setup, teardown),
      cmocka_unit_test_setup_teardown(document_facts_that_drifted, setup, teardown),
      cmocka_unit_test_setup_teardown(keys_and_folders_that_went_wrong, setup, teardown),
      cmocka_unit_test_setup_teardown(ledger_rows_that_went_wrong, setup, teardown),
      cmocka_unit_test_setup_teardown(meta_rows_that_went_wrong, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
