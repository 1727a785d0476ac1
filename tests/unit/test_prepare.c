/*
** test_prepare.c — articles prepared ahead (newsidx_prepare_article(), on another thread) make
** exactly the index that newsidx_store_article() makes: the same full-text index (its data
** and document sizes), the same term ledger, the same outcomes; and the prepared tokens are
** really replayed, except for strings that are not the ones prepared.
*/
#include "test_util.h"

#include "db_internal.h" /* db->snowball->n_replayed */

#include <pthread.h>

/* Titles and bodies with what the tokenizer and the ledger treat specially: names and
** particles, titles (no names), diacritics, long tokens, repeated spellings, a duplicate, an
** empty title, a body equal to its title, updates of the same key. */
typedef struct sample {
  const char *key, *date, *title, *body;
} sample;

static char long_body[6000];

static const sample samples[] = {
    {"/a", "2026-01-01", "Coast Guard Detains Three",
     "On Feb. 2, the Coast Guard detained three suspects during Operation Pacific Viper. The "
     "Trump administration classified Los Choneros and Los Lobos as terrorist organizations."},
    {"/b", "2026-01-02", NULL, "Terrorism and TERRORISM again; terror, Terrorists, terrorist's."},
    {"/c", "2026-01-03", "Zürich São Paulo",
     "Quito São Paulo Zürich, naïve café, Bank of England."},
    {"/d", "2026-01-04", "Same", "Same"},
    {"/e", "2026-01-05", NULL, long_body},
    {"/f", "2026-01-06", "Coast Guard Detains Three",
     "On Feb. 2, the Coast Guard detained three suspects during Operation Pacific Viper. The "
     "Trump administration classified Los Choneros and Los Lobos as terrorist organizations."},
    {"/b", "2026-01-07", NULL, "Terror returns: President Daniel Noboa met Marine Corps Lt. Gen."},
    {"/g", NULL, "Oper Operating Operations OPERATIONS",
     "operate operates operating operation "
     "operations operator Operating Operator"},
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static newsidx_article article_of(const sample *s) {
  newsidx_article a = {0};
  a.key = s->key;
  a.path = s->key;
  a.date = s->date;
  a.title = s->title;
  a.body = s->body;
  a.file_size = a.file_mtime = -1;
  return a;
}

/* Everything the two indexes must agree on, as one string per table. */
static char *dump(newsidx_db *db, const char *sql) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(newsidx_db_sqlite(db), sql, -1, &stmt, NULL) != SQLITE_OK)
    fail_msg("%s: %s", sql, sqlite3_errmsg(newsidx_db_sqlite(db)));
  size_t n = 0, cap = 1024;
  char *out = malloc(cap);
  assert_non_null(out);
  out[0] = '\0';
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const char *row = (const char *)sqlite3_column_text(stmt, 0);
    size_t m = strlen(row ? row : "");
    if (n + m + 2 > cap) {
      cap = 2 * (n + m + 2);
      out = realloc(out, cap);
      assert_non_null(out);
    }
    memcpy(out + n, row ? row : "", m);
    n += m;
    out[n++] = '\n';
    out[n] = '\0';
  }
  sqlite3_finalize(stmt);
  return out;
}

static const char *const comparisons[] = {
    "SELECT id || ' ' || hex(block) FROM articles_fts_data ORDER BY id",
    "SELECT id || ' ' || hex(sz) FROM articles_fts_docsize ORDER BY id",
    "SELECT term || '|' || kind || '|' || surface || '|' || first_article || '|' ||"
    " ifnull(first_when, '') || '|' || n_docs FROM terms ORDER BY term, kind",
    "SELECT id || '|' || key || '|' || content_hash || '|' || ifnull(dup_of, '') || '|' || seq"
    " FROM articles ORDER BY id",
};

static void assert_same_index(newsidx_db *a, newsidx_db *b) {
  for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++) {
    char *x = dump(a, comparisons[i]), *y = dump(b, comparisons[i]);
    assert_true(strlen(x) > 0);
    assert_string_equal(x, y);
    free(x);
    free(y);
  }
  assert_int_equal(
      test_query_int(newsidx_db_sqlite(b), "SELECT count(*) FROM terms WHERE kind = 1"),
      test_query_int(newsidx_db_sqlite(a), "SELECT count(*) FROM terms WHERE kind = 1"));
}

/* Stores the samples, two per batch, unprepared; writes the outcomes. */
static void store_plain(newsidx_db *db, newsidx_store_outcome *outcomes) {
  newsidx_error err = {0};
  for (size_t i = 0; i < N_SAMPLES; i++) {
    if (i % 2 == 0) assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
    newsidx_article a = article_of(&samples[i]);
    if (newsidx_store_article(db, &a, &outcomes[i], NULL, &err) != NEWSIDX_OK)
      fail_msg("%s", err.message);
    if (i % 2 == 1 || i + 1 == N_SAMPLES)
      if (newsidx_commit(db, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  }
}

typedef struct preparer {
  newsidx_analyzer *analyzer;
  newsidx_article articles[N_SAMPLES];
  newsidx_prepared *prepared[N_SAMPLES];
} preparer;

static void *prepare_all(void *arg) {
  preparer *p = arg;
  for (size_t i = 0; i < N_SAMPLES; i++) {
    newsidx_error err = {0};
    if (newsidx_prepare_article(p->analyzer, &p->articles[i], &p->prepared[i], &err) != NEWSIDX_OK)
      return NULL;
    assert_true(newsidx_prepared_size(p->prepared[i]) > 0);
  }
  return p;
}

static void same_index_with_and_without_preparing(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof long_body - 1; i++) /* long words, cut by the tokenizer */
    long_body[i] = i % 301 == 300 ? ' ' : (char)('a' + i % 26);
  newsidx_db *plain = test_open_memory("english"), *fast = test_open_memory("english");
  newsidx_store_outcome expected[N_SAMPLES], got[N_SAMPLES];
  store_plain(plain, expected);

  /* Prepared on a thread of its own, as the indexer does, then stored in the same batches. */
  preparer p = {0};
  newsidx_error err = {0};
  assert_int_equal(newsidx_analyzer_open(fast, &p.analyzer, &err), NEWSIDX_OK);
  for (size_t i = 0; i < N_SAMPLES; i++)
    p.articles[i] = article_of(&samples[i]);
  pthread_t thread;
  assert_int_equal(pthread_create(&thread, NULL, prepare_all, &p), 0);
  void *done;
  assert_int_equal(pthread_join(thread, &done), 0);
  assert_ptr_equal(done, &p);
  for (size_t i = 0; i < N_SAMPLES; i++) {
    if (i % 2 == 0) assert_int_equal(newsidx_begin(fast, &err), NEWSIDX_OK);
    if (newsidx_store_prepared(fast, &p.articles[i], p.prepared[i], &got[i], NULL, &err) !=
        NEWSIDX_OK)
      fail_msg("%s", err.message);
    if (i % 2 == 1 || i + 1 == N_SAMPLES)
      if (newsidx_commit(fast, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
    assert_int_equal(got[i], expected[i]);
    newsidx_prepared_free(p.prepared[i]);
  }
  newsidx_analyzer_close(p.analyzer);

  /* Every column FTS5 tokenized was replayed: the titles and bodies of the originals stored
  ** (a NULL title is not tokenized at all). */
  long columns = 0;
  for (size_t i = 0; i < N_SAMPLES; i++)
    if (expected[i] == NEWSIDX_STORED_ADDED || expected[i] == NEWSIDX_STORED_UPDATED)
      columns += (samples[i].title != NULL) + 1;
  assert_int_equal(fast->snowball->n_replayed, columns);
  assert_int_equal(plain->snowball->n_replayed, 0);
  assert_same_index(plain, fast);
  newsidx_db_close(plain);
  newsidx_db_close(fast);
}

/* A prepared article whose strings are copies (other pointers) is tokenized again: same
** index, nothing replayed. */
static void other_strings_are_not_replayed(void **state) {
  (void)state;
  newsidx_db *plain = test_open_memory("english"), *fast = test_open_memory("english");
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  newsidx_analyzer *an;
  assert_int_equal(newsidx_analyzer_open(fast, &an, &err), NEWSIDX_OK);
  newsidx_article a = article_of(&samples[0]);
  newsidx_prepared *prepared;
  assert_int_equal(newsidx_prepare_article(an, &a, &prepared, &err), NEWSIDX_OK);
  char *body = strdup(a.body);
  newsidx_article copy = a;
  copy.body = body;
  assert_int_equal(newsidx_begin(fast, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_prepared(fast, &copy, prepared, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(fast, &err), NEWSIDX_OK);
  assert_int_equal(fast->snowball->n_replayed, 0);
  assert_int_equal(newsidx_begin(plain, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_store_article(plain, &a, &outcome, NULL, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(plain, &err), NEWSIDX_OK);
  assert_same_index(plain, fast);
  newsidx_prepared_free(prepared);
  newsidx_analyzer_close(an);
  free(body);
  newsidx_db_close(plain);
  newsidx_db_close(fast);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_index_with_and_without_preparing),
      cmocka_unit_test(other_strings_are_not_replayed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
