/*
** test_search.c — search over the fixture index: what matches, in which order under each
** ranking, filters from the query and the options, listings, duplicates, counts, scans,
** paging, snippets, interruption, and the plans SQLite picks.
*/
#include "query_fixture.h"

#include "search.h"
#include "snippet.h"

#include <math.h>

static int setup(void **state) {
  *state = fixture_open();
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

#define MAX_HITS 16

typedef struct collected {
  int n;
  char keys[MAX_HITS][8];
  long ranks[MAX_HITS];
  int64_t duplicate_of[MAX_HITS];
  double scores[MAX_HITS];
  char *snippets[MAX_HITS];
  char *titles[MAX_HITS]; /* title_marked */
  int stop_after;         /* return non-zero after this many hits (0: never) */
} collected;

static int collect(void *ctx, const search_hit *hit) {
  collected *c = ctx;
  assert_true(c->n < MAX_HITS);
  snprintf(c->keys[c->n], sizeof c->keys[0], "%s", hit->key ? hit->key : "?");
  c->ranks[c->n] = hit->rank;
  c->duplicate_of[c->n] = hit->duplicate_of;
  c->scores[c->n] = hit->score;
  c->snippets[c->n] = hit->snippet ? strdup(hit->snippet) : NULL;
  c->titles[c->n] = hit->title_marked ? strdup(hit->title_marked) : NULL;
  c->n++;
  return c->stop_after && c->n >= c->stop_after;
}

static void collected_free(collected *c) {
  for (int i = 0; i < c->n; i++) {
    free(c->snippets[i]);
    free(c->titles[i]);
  }
}

/* Runs options and returns the keys of the hits joined with spaces (static buffer). */
static const char *keys_of(newsidx_db *db, search_options *o, collected *c) {
  static char joined[256];
  search *s = NULL;
  newsidx_error err = {0};
  memset(c, 0, sizeof *c);
  if (search_open(db, o, &s, &err) != NEWSIDX_OK) fail_msg("%s: %s", o->query, err.message);
  long n = 0;
  if (search_hits(s, collect, c, &n, &err) != NEWSIDX_OK) fail_msg("%s: %s", o->query, err.message);
  search_close(s);
  joined[0] = '\0';
  for (int i = 0; i < c->n; i++) {
    if (i) strncat(joined, " ", sizeof joined - strlen(joined) - 1);
    strncat(joined, c->keys[i], sizeof joined - strlen(joined) - 1);
  }
  return joined;
}

static const char *keys(newsidx_db *db, const char *query) {
  search_options o = {0};
  o.query = query;
  collected c;
  const char *k = keys_of(db, &o, &c);
  collected_free(&c);
  return k;
}

static long count(newsidx_db *db, search_options *o) {
  search *s = NULL;
  newsidx_error err = {0};
  long total = -1;
  if (search_open(db, o, &s, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  assert_int_equal(search_count(s, &total, &err), NEWSIDX_OK);
  search_close(s);
  return total;
}

/* The keys of the hits of `query` under the weights. */
static const char *order_with(newsidx_db *db, const char *query, double title, double body) {
  search_options o = {0};
  o.query = query;
  o.title_weight = title;
  o.body_weight = body;
  collected c;
  const char *k = keys_of(db, &o, &c);
  collected_free(&c);
  return k;
}

static void relevance_ranks_by_bm25_and_skips_duplicates(void **state) {
  search_options o = {0};
  o.query = "cocoa";
  collected c;
  /* a4 is short, so BM25 puts it first; a6 mentions cocoa once, in its body: last */
  assert_string_equal(keys_of(*state, &o, &c), "a4 a1 a6");
  for (int i = 0; i + 1 < c.n; i++)
    assert_true(c.scores[i] >= c.scores[i + 1]);
  assert_true(c.scores[2] > 0);
  for (int i = 0; i < c.n; i++)
    assert_int_equal(c.ranks[i], i + 1);
  collected_free(&c);
  assert_int_equal(count(*state, &o), 3);
  /* the weights decide between a title match ("convoy", a3) and a body match ("london",
  ** a1) */
  assert_string_equal(order_with(*state, "convoy OR london", 10, 1), "a3 a1");
  assert_string_equal(order_with(*state, "convoy OR london", 1, 10), "a1 a3");
}

/* Without weights, a title match counts ten times a body match: the scores are those of
** explicit weights 10 and 1, and not those of equal weights. */
static void title_weighs_ten_times_the_body_by_default(void **state) {
  search_options o = {0};
  o.query = "convoy OR london OR cocoa";
  collected by_default, ten_one, equal;
  assert_string_equal(keys_of(*state, &o, &by_default), "a3 a1 a4 a6");
  o.title_weight = 10;
  o.body_weight = 1;
  keys_of(*state, &o, &ten_one);
  o.title_weight = o.body_weight = 1;
  keys_of(*state, &o, &equal);
  assert_int_equal(by_default.n, ten_one.n);
  int differs = 0;
  for (int i = 0; i < by_default.n; i++) {
    assert_string_equal(by_default.keys[i], ten_one.keys[i]);
    assert_true(by_default.scores[i] == ten_one.scores[i]);
    differs |= by_default.scores[i] != equal.scores[i];
  }
  assert_true(differs);
  collected_free(&by_default);
  collected_free(&ten_one);
  collected_free(&equal);
}

static void stems_phrases_and_near(void **state) {
  assert_string_equal(keys(*state, "terrorist"), "a3");
  assert_string_equal(keys(*state, "narco-terrorism"), "a3");
  assert_string_equal(keys(*state, "\"U.S. Marines\""), "a3");
  assert_string_equal(keys(*state, "\"marines U.S.\""), "");
  assert_string_equal(keys(*state, "NEAR(coffee crop, 4)"), "a2");
  /* "crop of coffee": two words apart, as Xapian counts NEAR/N (one word between them) */
  assert_string_equal(keys(*state, "NEAR(coffee crop, 2)"), "a2");
  assert_string_equal(keys(*state, "NEAR(coffee crop, 1)"), "");
  assert_string_equal(keys(*state, "sao paulo"), "a2"); /* diacritics fold */
  assert_string_equal(keys(*state, "title:cocoa -undated"), "a1");
  assert_string_equal(keys(*state, "body:sugar OR title:terrorists"), "a3 a6");
  assert_string_equal(keys(*state, "cocoa*"), "a4 a1 a6");
}

static void dates_newest_first_undated_last(void **state) {
  search_options o = {0};
  o.query = "cocoa";
  o.sort = SEARCH_SORT_DATE;
  collected c;
  assert_string_equal(keys_of(*state, &o, &c), "a1 a6 a4");
  collected_free(&c);
}

static void hybrid_decays_with_age(void **state) {
  search_options o = {0};
  o.query = "cocoa";
  collected relevance, hybrid;
  keys_of(*state, &o, &relevance);
  o.sort = SEARCH_SORT_HYBRID;
  o.half_life_days = 10;
  keys_of(*state, &o, &hybrid);
  /* age counts from the newest date in the index, a2's 2026-03-05T10:00:00Z */
  for (int i = 0; i < relevance.n; i++) {
    double age = strcmp(relevance.keys[i], "a1") == 0   ? 4.0 + 10.0 / 24
                 : strcmp(relevance.keys[i], "a6") == 0 ? 63.0 + 10.0 / 24
                                                        : 10 * 10.0; /* undated: 10 half-lives */
    double want = relevance.scores[i] * exp2(-age / 10);
    int found = 0;
    for (int k = 0; k < hybrid.n; k++)
      if (strcmp(hybrid.keys[k], relevance.keys[i]) == 0) {
        assert_true(fabs(hybrid.scores[k] - want) < 1e-9 * (1 + want));
        found = 1;
      }
    assert_true(found);
  }
  for (int i = 0; i + 1 < hybrid.n; i++)
    assert_true(hybrid.scores[i] >= hybrid.scores[i + 1]);
  assert_string_equal(hybrid.keys[0], "a1");
  collected_free(&relevance);
  collected_free(&hybrid);
}

static void filters_from_the_query_and_the_options(void **state) {
  assert_string_equal(keys(*state, "cocoa source:reuters"), "a1 a6");
  assert_string_equal(keys(*state, "cocoa -source:reuters"), "a4");
  assert_string_equal(keys(*state, "cocoa date:2026"), "a1");
  assert_string_equal(keys(*state, "cocoa tag:sugar,commodities"), "a1 a6");
  assert_string_equal(keys(*state, "cocoa lang:fr"), "a6");
  search_options o = {0};
  o.query = "cocoa";
  const char *sources[] = {"Reuters"};
  o.sources = sources;
  o.n_sources = 1;
  o.until = "2026-01-01";
  collected c;
  assert_string_equal(keys_of(*state, &o, &c), "a6");
  collected_free(&c);
  assert_int_equal(count(*state, &o), 1);
}

static void filters_alone_list_newest_first(void **state) {
  search_options o = {0};
  o.query = "source:reuters";
  collected c;
  assert_string_equal(keys_of(*state, &o, &c), "a1 a3 a6");
  for (int i = 0; i < c.n; i++) {
    assert_true(c.scores[i] == 0);
    assert_null(c.titles[i]);
    assert_non_null(c.snippets[i]); /* the opening of the body */
  }
  assert_string_equal(c.snippets[1], fixture_articles[2].body);
  collected_free(&c);
  assert_int_equal(count(*state, &o), 3);
  o.query = "-cocoa source:reuters"; /* minus what the exclusions match */
  assert_string_equal(keys_of(*state, &o, &c), "a3");
  collected_free(&c);
  o.query = "";
  const char *tags[] = {"cocoa"};
  o.tags = tags;
  o.n_tags = 1;
  assert_string_equal(keys_of(*state, &o, &c), "a1");
  collected_free(&c);
}

static void nothing_to_search_for(void **state) {
  static const struct {
    const char *query, *message;
  } cases[] = {
      {"", "query error at column 1: nothing to search for"},
      {"$ — AND", "query error at column 1: nothing to search for"},
      {"Ghana -cocoa -coffee", NULL},
      {"  -cocoa -coffee", "query error at column 3: the query only excludes; add a word to search "
                           "for, or a filter"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    search_options o = {0};
    o.query = cases[i].query;
    search *s = NULL;
    newsidx_error err = {0};
    newsidx_status_t status = search_open(*state, &o, &s, &err);
    if (!cases[i].message) {
      assert_int_equal(status, NEWSIDX_OK);
    } else {
      assert_int_equal(status, NEWSIDX_QUERY);
      assert_null(s);
      assert_string_equal(err.message, cases[i].message);
    }
    search_close(s);
  }
  /* timelines and facets count everything when the query is empty */
  search_options o = {0};
  o.empty_means_all = 1;
  assert_int_equal(count(*state, &o), 5);
}

static void duplicates_follow_their_hit(void **state) {
  search_options o = {0};
  o.query = "cocoa";
  o.all_duplicates = 1;
  collected c;
  assert_string_equal(keys_of(*state, &o, &c), "a4 a1 a5 a6");
  assert_int_equal(c.duplicate_of[2], 1); /* a5 repeats a1, whose id is 1... */
  assert_int_equal(c.ranks[2], 2);        /* ...and shares its rank, score and snippet */
  assert_true(c.scores[2] == c.scores[1]);
  assert_string_equal(c.snippets[2], c.snippets[1]);
  assert_int_equal(c.duplicate_of[1], 0);
  collected_free(&c);
  assert_int_equal(count(*state, &o), 4);
}

static int collect_id(void *ctx, const search_match *m) {
  int64_t *ids = ctx;
  ids[ids[0] + 1] = m->id;
  ids[0]++;
  return 0;
}

static int compare_ids(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static void scans_see_every_match(void **state) {
  for (int dups = 0; dups < 2; dups++) {
    search_options o = {0};
    o.query = "cocoa";
    o.all_duplicates = dups;
    search *s = NULL;
    int64_t ids[16] = {0};
    assert_int_equal(search_open(*state, &o, &s, NULL), NEWSIDX_OK);
    assert_int_equal(search_scan(s, collect_id, ids, NULL), NEWSIDX_OK);
    search_close(s);
    qsort(ids + 1, (size_t)ids[0], sizeof ids[0], compare_ids);
    if (dups) {
      assert_int_equal(ids[0], 4);
      assert_int_equal(ids[3], 5);
    } else {
      assert_int_equal(ids[0], 3);
      assert_int_equal(ids[1], 1);
      assert_int_equal(ids[2], 4);
      assert_int_equal(ids[3], 6);
    }
  }
}

static void paging(void **state) {
  search_options o = {0};
  o.query = "cocoa";
  o.limit = 1;
  o.offset = 1;
  collected c;
  assert_string_equal(keys_of(*state, &o, &c), "a1");
  assert_int_equal(c.ranks[0], 2);
  collected_free(&c);
  assert_int_equal(count(*state, &o), 3); /* the count is of everything, not the page */
  o.offset = 3;
  assert_string_equal(keys_of(*state, &o, &c), "");
  collected_free(&c);
  o.limit = -1;
  o.offset = 0;
  assert_string_equal(keys_of(*state, &o, &c), "a4 a1 a6");
  collected_free(&c);
}

static void snippets_mark_stems_and_derived_forms(void **state) {
  search_options o = {0};
  o.query = "terrorist";
  collected c;
  keys_of(*state, &o, &c);
  assert_int_equal(c.n, 1);
  assert_string_equal(c.titles[0], "\001Terrorists\002 attack a convoy");
  assert_non_null(strstr(c.snippets[0], "narco-\001terrorism\002"));
  assert_non_null(strstr(c.snippets[0], "\001terrorists\002"));
  collected_free(&c);
  /* without snippets asked for, none are made */
  o.want = SEARCH_WANT_META;
  keys_of(*state, &o, &c);
  assert_null(c.snippets[0]);
  assert_null(c.titles[0]);
  collected_free(&c);
}

static void a_failing_callback_stops_the_search(void **state) {
  search_options o = {0};
  o.query = "cocoa";
  search *s = NULL;
  collected c;
  memset(&c, 0, sizeof c);
  c.stop_after = 1;
  long n = 0;
  newsidx_error err = {0};
  assert_int_equal(search_open(*state, &o, &s, NULL), NEWSIDX_OK);
  assert_int_equal(search_hits(s, collect, &c, &n, &err), NEWSIDX_IO);
  assert_string_equal(err.message, "writing the results failed");
  assert_int_equal(c.n, 1);
  search_close(s);
  collected_free(&c);
}

static void the_interrupt_flag_stops_the_search(void **state) {
  volatile sig_atomic_t flag = 1;
  search_options o = {0};
  o.query = "cocoa";
  o.sort = SEARCH_SORT_DATE;
  o.interrupted = &flag;
  search *s = NULL;
  collected c;
  memset(&c, 0, sizeof c);
  long n = 0;
  newsidx_error err = {0};
  assert_int_equal(search_open(*state, &o, &s, NULL), NEWSIDX_OK);
  assert_int_equal(search_hits(s, collect, &c, &n, &err), NEWSIDX_INTERRUPTED);
  search_close(s);
  collected_free(&c);
  /* closing removed the handler: the connection works again */
  flag = 1;
  o.interrupted = NULL;
  assert_string_equal(keys_of(*state, &o, &c), "a1 a6 a4");
  collected_free(&c);
}

/* after_seq keeps the articles added or changed since a mark, and the plan reads them
** through the seq index, whatever the ranking, instead of all matches or all articles. */
static void after_seq_keeps_what_changed(void **state) {
  newsidx_db *db = *state;
  /* the fixture's seqs are 1..6 in key order */
  const char *queries[] = {"cocoa", "source:reuters", "cocoa -sugar", "cocoa date:2026"};
  const char *want[] = {"a4 a6", "a6", "a4", ""}; /* in key order; a5 is a duplicate */
  const long n_want[] = {2, 1, 1, 0};
  const search_sort sorts[] = {SEARCH_SORT_RELEVANCE, SEARCH_SORT_DATE, SEARCH_SORT_HYBRID};
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
    for (size_t k = 0; k < sizeof sorts / sizeof sorts[0]; k++) {
      search_options o = {0};
      o.query = queries[i];
      o.sort = sorts[k];
      o.after_seq = 3;
      collected c;
      const char *got = keys_of(db, &o, &c);
      collected_free(&c);
      if (strcmp(got, want[i]) != 0 && !(n_want[i] == 2 && strcmp(got, "a6 a4") == 0))
        fail_msg("%s after 3: '%s'", queries[i], got);
      search *s = NULL;
      char *plan = NULL;
      long total = -1;
      assert_int_equal(search_open(db, &o, &s, NULL), NEWSIDX_OK);
      assert_int_equal(search_count(s, &total, NULL), NEWSIDX_OK);
      assert_int_equal(total, n_want[i]);
      assert_int_equal(search_explain(s, &plan, NULL), NEWSIDX_OK);
      search_close(s);
      if (!strstr(plan, "articles_seq (seq>?)") || strstr(plan, "articles_date"))
        fail_msg("%s:\n%s", queries[i], plan);
      free(plan);
    }
  /* a changed article comes back with a new seq */
  assert_int_equal(test_store(db, "a1", NULL, "2026-03-01", "Reuters", "Cocoa, revised."),
                   NEWSIDX_STORED_UPDATED);
  search_options o = {0};
  o.query = "cocoa";
  o.after_seq = 6;
  collected c;
  assert_string_equal(keys_of(db, &o, &c), "a1");
  collected_free(&c);
}

/* Relevance pages are ordered by FTS5 itself; SQLite never sorts them. */
static void relevance_plans_do_not_sort(void **state) {
  const char *queries[] = {"cocoa", "cocoa source:reuters date:2026", "title:cocoa OR sugar"};
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
    search_options o = {0};
    o.query = queries[i];
    search *s = NULL;
    char *plan = NULL;
    assert_int_equal(search_open(*state, &o, &s, NULL), NEWSIDX_OK);
    assert_int_equal(search_explain(s, &plan, NULL), NEWSIDX_OK);
    search_close(s);
    if (strstr(plan, "TEMP B-TREE") || !strstr(plan, "VIRTUAL TABLE INDEX"))
      fail_msg("%s:\n%s", queries[i], plan);
    free(plan);
  }
  /* a listing walks the date index backwards instead of sorting */
  search_options o = {0};
  o.query = "source:reuters";
  search *s = NULL;
  char *plan = NULL;
  assert_int_equal(search_open(*state, &o, &s, NULL), NEWSIDX_OK);
  assert_int_equal(search_explain(s, &plan, NULL), NEWSIDX_OK);
  search_close(s);
  assert_null(strstr(plan, "TEMP B-TREE"));
  assert_non_null(strstr(plan, "articles_date"));
  free(plan);
}

static void headlines_from_bodies(void **state) {
  char out[100];
  search_headline_from_body("Dr. Smith arrived. Then he left.", out, sizeof out);
  assert_string_equal(out, "Dr. Smith arrived.");
  search_headline_from_body("one two three four five six seven", out, 20);
  assert_string_equal(out, "one two three…");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(relevance_ranks_by_bm25_and_skips_duplicates, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(title_weighs_ten_times_the_body_by_default, setup, teardown),
      cmocka_unit_test_setup_teardown(stems_phrases_and_near, setup, teardown),
      cmocka_unit_test_setup_teardown(dates_newest_first_undated_last, setup, teardown),
      cmocka_unit_test_setup_teardown(hybrid_decays_with_age, setup, teardown),
      cmocka_unit_test_setup_teardown(filters_from_the_query_and_the_options, setup, teardown),
      cmocka_unit_test_setup_teardown(filters_alone_list_newest_first, setup, teardown),
      cmocka_unit_test_setup_teardown(nothing_to_search_for, setup, teardown),
      cmocka_unit_test_setup_teardown(duplicates_follow_their_hit, setup, teardown),
      cmocka_unit_test_setup_teardown(scans_see_every_match, setup, teardown),
      cmocka_unit_test_setup_teardown(paging, setup, teardown),
      cmocka_unit_test_setup_teardown(snippets_mark_stems_and_derived_forms, setup, teardown),
      cmocka_unit_test_setup_teardown(a_failing_callback_stops_the_search, setup, teardown),
      cmocka_unit_test_setup_teardown(the_interrupt_flag_stops_the_search, setup, teardown),
      cmocka_unit_test_setup_teardown(relevance_plans_do_not_sort, setup, teardown),
      cmocka_unit_test_setup_teardown(after_seq_keeps_what_changed, setup, teardown),
      cmocka_unit_test(headlines_from_bodies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
