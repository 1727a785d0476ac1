/*
** test_terms.c — new terms from the ledger, and trending terms scored by log-likelihood on a
** constructed corpus with a known answer.
*/
#include "test_util.h"

#include "terms.h"

#include <math.h>

static void add(newsidx_db *db, const char *key, const char *date, const char *body) {
  newsidx_article a = {0};
  a.key = key;
  a.date = date;
  a.body = body;
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  newsidx_error err = {0};
  if (newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK)
    fail_msg("%s", err.message);
}

typedef struct collected {
  char terms[64][64];
  long long docs[64], baseline[64];
  double score[64];
  int n;
} collected;

static int collect(void *ctx, const term_row *row) {
  collected *c = ctx;
  if (c->n < 64) {
    snprintf(c->terms[c->n], 64, "%s", row->surface);
    c->docs[c->n] = row->n_docs;
    c->baseline[c->n] = row->n_baseline;
    c->score[c->n] = row->score;
    c->n++;
  }
  return 0;
}

/* G² the textbook way, 2 Σ O ln(O / E), independent of terms.c's entropy form. */
static double g2_reference(double k1, double n1, double k2, double n2) {
  double o[4] = {k1, n1 - k1, k2, n2 - k2};
  double rows[2] = {n1, n2}, cols[2] = {k1 + k2, n1 + n2 - k1 - k2}, total = n1 + n2, sum = 0;
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 2; c++) {
      double obs = o[r * 2 + c], expected = rows[r] * cols[c] / total;
      if (obs > 0) sum += obs * log(obs / expected);
    }
  return 2 * sum;
}

static void log_likelihood_matches_the_textbook(void **state) {
  static const long long tables[][4] = {
      {10, 20, 10, 100}, {1, 1000, 50, 100000}, {0, 10, 5, 10}, {7, 7, 0, 50}, {3, 40, 3, 40}};
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    const long long *t = tables[i];
    double got = terms_log_likelihood(t[0], t[1], t[2], t[3]);
    double want = g2_reference((double)t[0], (double)t[1], (double)t[2], (double)t[3]);
    if (fabs(got - want) > 1e-9 * (1 + want)) fail_msg("table %zu: %f != %f", i, got, want);
  }
  assert_true(terms_log_likelihood(3, 40, 3, 40) < 1e-9); /* no difference, no score */
}

static void noise_terms(void **state) {
  assert_true(terms_is_noise("1987"));
  assert_true(terms_is_noise("x"));
  assert_true(terms_is_noise("4q87"));
  assert_true(terms_is_noise("x25"));
  assert_false(terms_is_noise("cocoa"));
  assert_false(terms_is_noise("ab"));
}

/* Baseline (January): 100 articles, 10 about wheat. Window (March): 20 articles, 10 about a
** locust swarm and 2 about wheat (the same 10% share as before). Only the locusts surge. */
static void trending_finds_the_surge(void **state) {
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  char key[32], date[16];
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  for (int i = 0; i < 100; i++) {
    snprintf(key, sizeof key, "b%d", i);
    snprintf(date, sizeof date, "2026-01-%02d", 1 + i % 28);
    char body[128];
    snprintf(body, sizeof body, "Market report number %d.%s", i,
             i < 10 ? " Wheat harvest news." : "");
    add(db, key, date, body);
  }
  for (int i = 0; i < 20; i++) {
    snprintf(key, sizeof key, "w%d", i);
    snprintf(date, sizeof date, "2026-03-%02d", 1 + i);
    char body[128];
    snprintf(body, sizeof body, "Market report number %d.%s%s", 1000 + i,
             i < 10 ? " Locusts swarm over farms." : "", i >= 18 ? " Wheat harvest news." : "");
    add(db, key, date, body);
  }
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);

  collected c = {0};
  long n = 0;
  terms_trending_options o = {
      "2026-03-01", "2026-04-01", "2026-01-01", "2026-02-01", 3, NULL, 0, 10};
  assert_int_equal(terms_trending(db, &o, collect, &c, &n, &err), NEWSIDX_OK);
  assert_true(n >= 1);
  /* locust, swarm, farm: each 10 of 20 window articles, 0 of 100 baseline ones */
  int found_locust = 0;
  for (int i = 0; i < c.n; i++) {
    assert_int_not_equal(strcmp(c.terms[i], "wheat"), 0);  /* same share: not trending */
    assert_int_not_equal(strcmp(c.terms[i], "market"), 0); /* everywhere */
    if (strcmp(c.terms[i], "Locusts") == 0 || strcmp(c.terms[i], "locust") == 0) {
      found_locust = 1;
      assert_int_equal(c.docs[i], 10);
      assert_int_equal(c.baseline[i], 0);
      assert_true(fabs(c.score[i] - g2_reference(10, 20, 0, 100)) < 1e-9);
    }
  }
  assert_true(found_locust);
  assert_true(fabs(c.score[0] - g2_reference(10, 20, 0, 100)) < 1e-9); /* the top score */

  /* restricted to articles matching "report", the same answer; to "wheat", nothing surges */
  collected w = {0};
  terms_trending_options only_wheat = o;
  only_wheat.match = "\"wheat\"";
  assert_int_equal(terms_trending(db, &only_wheat, collect, &w, &n, &err), NEWSIDX_OK);
  for (int i = 0; i < w.n; i++)
    assert_int_not_equal(strcmp(w.terms[i], "Locusts"), 0);
  newsidx_db_close(db);
}

static void new_terms_by_period(void **state) {
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  add(db, "a", "2026-01-05", "Copper rallies in Santiago.");
  add(db, "b", "2026-01-06", "Copper falls again.");
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  add(db, "c", "2026-02-10", "Lithium joins copper. Operation Pacific Viper ends. Lithium 2026.");
  add(db, "d", "2026-02-11", "Lithium prices.");
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);

  collected c = {0};
  long n = 0;
  terms_new_options o = {"2026-02-01", NULL, 0, 1, NULL, 0, 0};
  assert_int_equal(terms_new(db, &o, collect, &c, &n, &err), NEWSIDX_OK);
  /* lithium first (2 articles), then the others of 2026-02-10/11, never copper or 2026 */
  assert_true(n >= 3);
  assert_string_equal(c.terms[0], "Lithium");
  assert_int_equal(c.docs[0], 2);
  int name = 0;
  for (int i = 0; i < c.n; i++) {
    assert_int_not_equal(strcmp(c.terms[i], "copper"), 0);
    assert_int_not_equal(strcmp(c.terms[i], "2026"), 0);
    if (strcmp(c.terms[i], "Operation Pacific Viper") == 0) name = 1;
  }
  assert_true(name);

  collected at_least_two = {0};
  o.min_docs = 2;
  assert_int_equal(terms_new(db, &o, collect, &at_least_two, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 1);

  collected numbers = {0};
  o.min_docs = 1;
  o.flags = TERMS_WORDS | TERMS_ALL_TOKENS;
  assert_int_equal(terms_new(db, &o, collect, &numbers, &n, &err), NEWSIDX_OK);
  int has_number = 0;
  for (int i = 0; i < numbers.n; i++)
    has_number |= strcmp(numbers.terms[i], "2026") == 0;
  assert_true(has_number);
  newsidx_db_close(db);
}

static int collect_all(void *ctx, const term_row *row) {
  collected *c = ctx;
  assert_true(c->n < 64);
  return collect(ctx, row);
}

/* Has c the surface form s? Its index, or -1. */
static int find(const collected *c, const char *s) {
  for (int i = 0; i < c->n; i++)
    if (strcmp(c->terms[i], s) == 0) return i;
  return -1;
}

/* after_seq gives the terms that came since a mark: those of new articles, and those a changed
** article brought in under its old id. The scan also gives terms short of min_docs. */
static void new_terms_after_a_mark(void **state) {
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  add(db, "a", "2026-01-05", "Copper rallies in Santiago.");
  add(db, "b", "2026-01-06", "Copper falls again.");
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  int64_t mark = test_query_int(newsidx_db_sqlite(db), "SELECT max(seq) FROM articles");
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  add(db, "a", "2026-01-05", "Copper rallies in Santiago and Valparaíso.");
  add(db, "c", "2026-01-07", "Cobalt joins copper.");
  add(db, "d", "2026-01-08", "Cobalt again.");
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);

  collected c = {0};
  long n = 0;
  terms_new_options o = {NULL, NULL, mark, 1, NULL, 0, 0};
  assert_int_equal(terms_new(db, &o, collect, &c, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 4); /* cobalt (2 articles), valparaíso, "and", "joins" */
  assert_string_equal(c.terms[0], "Cobalt");
  assert_int_equal(c.docs[0], 2);
  assert_true(find(&c, "Valparaíso") >= 0);
  assert_true(find(&c, "and") >= 0);
  assert_int_equal(find(&c, "Copper"), -1);

  collected scanned = {0};
  o.min_docs = 5; /* ignored by the scan */
  assert_int_equal(terms_scan_new(db, &o, collect_all, &scanned, &err), NEWSIDX_OK);
  assert_int_equal(scanned.n, 4);
  collected none = {0};
  assert_int_equal(terms_new(db, &o, collect, &none, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 0);

  /* restricted to articles matching an expression */
  collected matching = {0};
  terms_new_options only = {NULL, NULL, mark, 1, "\"again\"", 0, 0};
  assert_int_equal(terms_new(db, &only, collect, &matching, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 1);
  assert_string_equal(matching.terms[0], "Cobalt");
  assert_int_equal(matching.docs[0], 1);
  newsidx_db_close(db);
}

/* The example comes from the article that introduced the term, highlighted, or from the next
** one when that article no longer has it. */
static void examples_show_the_term(void **state) {
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  add(db, "a", "2026-01-05", "Nothing much. Then the narwhals arrived in the fjord.");
  add(db, "b", "2026-01-06", "A narwhal was seen again.");
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  term_row row = {0};
  row.term = "narwhal";
  row.surface = "narwhals";
  row.first_article = 1;
  char *snippet = NULL;
  assert_int_equal(terms_example(db, &row, NULL, 10, &snippet, &err), NEWSIDX_OK);
  assert_non_null(snippet);
  assert_non_null(strstr(snippet, "\x01narwhals\x02 arrived"));
  free(snippet);
  assert_int_equal(terms_example(db, &row, "\"fjord\"", 10, &snippet, &err), NEWSIDX_OK);
  assert_non_null(strstr(snippet, "fjord"));
  free(snippet);
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  add(db, "a", "2026-01-05", "Nothing much.");
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(terms_example(db, &row, NULL, 10, &snippet, &err), NEWSIDX_OK);
  assert_non_null(snippet);
  assert_non_null(strstr(snippet, "\x01narwhal\x02 was seen"));
  free(snippet);
  assert_int_equal(terms_example(db, &row, "\"fjord\"", 10, &snippet, &err), NEWSIDX_OK);
  assert_null(snippet);
  newsidx_db_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(log_likelihood_matches_the_textbook),
      cmocka_unit_test(noise_terms),
      cmocka_unit_test(trending_finds_the_surge),
      cmocka_unit_test(new_terms_by_period),
      cmocka_unit_test(new_terms_after_a_mark),
      cmocka_unit_test(examples_show_the_term),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
