/*
** test_rank.c — the orders computed in memory (newsidx_rank(), the document facts, the page
** heap, newest first) against what SQLite and FTS5 compute on their own, query by query:
** bm25() to within 1e-9 relative and the same order (equal scores by id, the lowest first);
** hybrid scores against newsq_hybrid(bm25()); newest first against ORDER BY date DESC, id DESC;
** and the snippets made from the text against newsidx_snippet() on FTS5's cursor.
**
**   test_rank            on an index of the project's corpus/ ($NEWSIDX_CORPUS), built here,
**                        and on generated indexes whose ids do and do not follow their dates
**   test_rank INDEX      on an existing index (tests/e2e/rank_reuters.sh: Reuters-21578)
*/
#include "test_util.h"

#include "ingest.h"
#include "query_fts.h"
#include "search.h"
#include "snippet.h"

#include <math.h>

static const char *index_path; /* argv[1], or NULL */

/* Queries of every kind, over words of corpus/ and of Reuters. */
static const char *const queries[] = {
    "cocoa",
    "rates",
    "prices",
    "strike",
    "the",
    "a",
    "of",
    "dollar",
    "bundesbank",
    "opec",
    "cocoa prices",
    "oil prices",
    "trade deficit japan",
    "interest rates central",
    "cocoa OR coffee",
    "wheat OR corn",
    "(sugar OR cocoa) prices",
    "copper OR zinc OR nickel",
    "\"interest rates\"",
    "\"central bank\"",
    "\"trade deficit\"",
    "\"net loss\"",
    "\"european community\" farm",
    "NEAR(cocoa prices, 5)",
    "NEAR(opec output, 10)",
    "oil NEAR/5 embargo",
    "NEAR(tin council, 10)",
    "tram*",
    "bank*",
    "export*",
    "petro* prices",
    "privati*",
    "\"narco terror\"*",
    "title:cocoa",
    "title:strike",
    "title:coffee",
    "title:\"money market\"",
    "body:rates",
    "title:(strike OR eruption)",
    "title:merger bank",
    "prices -cocoa",
    "oil -opec",
    "gold NOT mining",
    "(coffee OR cocoa) -brazil",
    "rates NOT fed",
    "rates date:2025-12",
    "prices date:..2026-01",
    "the -date:2026",
    "dollar date:1987-03..1987-04",
    "opec date:1987-06..1987-08",
    "\"interest rates\" date:1987-01..1987-02",
    "wheat date:1987-04",
    "takeover date:1988..1990",
    "prices date:2026-01-09..2026-01-09",
    "tag:crude opec",
    "cocoa source:reuters",
    "the lang:en",
    "the -source:reuters",
};

#define N_QUERIES ((int)(sizeof queries / sizeof queries[0]))

/* ---- what search_hits() returns --------------------------------------------------------- */

typedef struct hits {
  int64_t *ids;
  double *scores;
  long n, cap;
  newsidx_db *db;
  const char *match; /* the FTS5 expression, to check snippets against newsidx_snippet() */
  long n_snippets;   /* snippets compared */
} hits;

/* The snippets of a hit, as newsidx_snippet() makes them on FTS5's cursor. */
static void check_snippets(hits *h, const search_hit *hit) {
  sqlite3 *sqlite = newsidx_db_sqlite(h->db);
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(sqlite,
                                      "SELECT newsidx_snippet(articles_fts, 0, 0, 0),"
                                      " newsidx_snippet(articles_fts, 1, 2, 24) FROM articles_fts"
                                      " WHERE articles_fts MATCH ?1 AND rowid = ?2",
                                      -1, &stmt, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(stmt, 1, h->match, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 2, hit->id);
  assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
  const char *title = (const char *)sqlite3_column_text(stmt, 0);
  const char *body = (const char *)sqlite3_column_text(stmt, 1);
  if ((title == NULL) != (hit->title_marked == NULL) ||
      (title && strcmp(title, hit->title_marked) != 0))
    fail_msg("%s, id %lld: title\n  %s\nnot\n  %s", h->match, (long long)hit->id,
             hit->title_marked ? hit->title_marked : "(null)", title ? title : "(null)");
  if (!hit->snippet || strcmp(body, hit->snippet) != 0)
    fail_msg("%s, id %lld: snippet\n  %s\nnot\n  %s", h->match, (long long)hit->id,
             hit->snippet ? hit->snippet : "(null)", body);
  sqlite3_finalize(stmt);
  h->n_snippets++;
}

static int collect(void *ctx, const search_hit *hit) {
  hits *h = ctx;
  if (h->n == h->cap) {
    h->cap = h->cap ? 2 * h->cap : 64;
    h->ids = realloc(h->ids, (size_t)h->cap * sizeof *h->ids);
    h->scores = realloc(h->scores, (size_t)h->cap * sizeof *h->scores);
    assert_non_null(h->ids);
    assert_non_null(h->scores);
  }
  h->ids[h->n] = hit->id;
  h->scores[h->n++] = hit->score;
  if (h->match && hit->snippet) check_snippets(h, hit);
  return 0;
}

static void hits_free(hits *h) {
  free(h->ids);
  free(h->scores);
}

/* Runs `query` through the search API with `o` (query set here). */
static void run_search(newsidx_db *db, search_options o, const char *query, const char *match,
                       hits *out) {
  memset(out, 0, sizeof *out);
  out->db = db;
  out->match = match;
  o.query = query;
  search *s = NULL;
  newsidx_error err = {0};
  long n = 0;
  if (search_open(db, &o, &s, &err) != NEWSIDX_OK) fail_msg("%s: %s", query, err.message);
  if (search_hits(s, collect, out, &n, &err) != NEWSIDX_OK) fail_msg("%s: %s", query, err.message);
  search_close(s);
}

/* ---- what SQLite computes on its own ------------------------------------------------------ */

/* Runs `sql` (ids, then scores) with the plan's match as ?1 and its filters bound after. */
static void run_sql(newsidx_db *db, const query_plan *plan, const char *select, const char *order,
                    hits *out) {
  memset(out, 0, sizeof *out);
  sql_builder b = {0};
  sql_text(&b, select);
  sql_text(&b, " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
               " WHERE articles_fts MATCH ");
  sql_bind_text(&b, plan->match);
  query_filters_sql(&plan->filters, "a", &b);
  sql_text(&b, order);
  sqlite3_stmt *stmt = NULL;
  newsidx_error err = {0};
  if (sql_prepare(&b, newsidx_db_sqlite(db), "expected", &stmt, &err) != NEWSIDX_OK)
    fail_msg("%s", err.message);
  search_hit hit = {0};
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    hit.id = sqlite3_column_int64(stmt, 0);
    hit.score = sqlite3_column_double(stmt, 1);
    collect(out, &hit);
  }
  assert_int_equal(rc, SQLITE_DONE);
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
}

typedef struct tally {
  long queries, hits, exact; /* scores bit for bit equal to SQLite's */
  double worst;              /* the largest relative difference */
} tally;

/* The same ids in the same order, and scores within 1e-9 relative. */
static void assert_same(const char *what, const hits *got, const hits *want, tally *t) {
  if (got->n != want->n) fail_msg("%s: %ld hits, SQLite %ld", what, got->n, want->n);
  for (long i = 0; i < got->n; i++) {
    if (got->ids[i] != want->ids[i])
      fail_msg("%s: hit %ld is %lld, SQLite's %lld (scores %.17g, %.17g)", what, i + 1,
               (long long)got->ids[i], (long long)want->ids[i], got->scores[i], want->scores[i]);
    double diff = fabs(got->scores[i] - want->scores[i]);
    double rel = want->scores[i] != 0 ? diff / fabs(want->scores[i]) : diff;
    if (rel > 1e-9)
      fail_msg("%s: id %lld scores %.17g, SQLite %.17g", what, (long long)got->ids[i],
               got->scores[i], want->scores[i]);
    if (rel > t->worst) t->worst = rel;
    t->exact += diff == 0;
  }
  t->hits += got->n;
  t->queries++;
}

static newsidx_db *open_index(void) {
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, NULL, 0};
  newsidx_db *db = NULL;
  newsidx_error err = {0};
  if (index_path) {
    options.flags = NEWSIDX_OPEN_READONLY;
    if (newsidx_db_open(index_path, &options, &db, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
    return db;
  }
  db = test_open_memory("english");
  const char *corpus = getenv("NEWSIDX_CORPUS");
  assert_non_null(corpus);
  char articles[1024], feeds[1024];
  snprintf(articles, sizeof articles, "%s/articles", corpus);
  snprintf(feeds, sizeof feeds, "%s/feeds/sample.jsonl", corpus);
  char *paths[] = {articles, feeds};
  ingest_options io = {.forced_kind = -1};
  ingest_counts counts = {0};
  if (ingest_paths(db, paths, 2, &io, &counts, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  assert_true(counts.added >= 20);
  return db;
}

/* ---- the tests ------------------------------------------------------------------------------ */

static void relevance_and_hybrid_equal_sqlite(void **state) {
  newsidx_db *db = open_index();
  if (index_path) { /* built by newsidx, which wrote its counts: the ranking reads them */
    int64_t n_oil = -1;
    newsidx_error err = {0};
    assert_int_equal(newsidx_term_docs(db, "oil", 3, &n_oil, &err), NEWSIDX_OK);
    assert_true(n_oil > 100);
  }
  static const double weights[][2] = {{10, 1}, {1, 1}, {2.5, 7}, {0.3, 1.7}};
  tally relevance = {0}, hybrid = {0};
  for (int q = 0; q < N_QUERIES; q++) {
    query_plan plan = {0};
    newsidx_error err = {0};
    if (query_compile(db, queries[q], 0, &plan, &err) != NEWSIDX_OK)
      fail_msg("%s: %s", queries[q], err.message);
    for (size_t w = 0; w < sizeof weights / sizeof weights[0]; w++) {
      char what[256], select[256];
      snprintf(what, sizeof what, "%s (weights %g, %g)", queries[q], weights[w][0], weights[w][1]);
      search_options o = {.limit = -1,
                          .title_weight = weights[w][0],
                          .body_weight = weights[w][1],
                          .want = SEARCH_WANT_META};
      hits got, want, page;
      run_search(db, o, queries[q], NULL, &got);
      snprintf(select, sizeof select, "SELECT a.id, -bm25(articles_fts, %.17g, %.17g)",
               weights[w][0], weights[w][1]);
      run_sql(db, &plan, select, " ORDER BY 2 DESC, 1", &want);
      assert_same(what, &got, &want, &relevance);
      /* the top 10 with snippets: the same first 10, snippets as FTS5 makes them */
      o.limit = 10;
      o.want = 0;
      run_search(db, o, queries[q], plan.match, &page);
      assert_true(page.n == (want.n < 10 ? want.n : 10));
      for (long i = 0; i < page.n; i++)
        assert_true(page.ids[i] == want.ids[i]);
      hits_free(&got);
      hits_free(&want);
      hits_free(&page);
    }
    /* hybrid: relevance × 2^(−age / half-life), against the SQL function of the fallback */
    search_options o = {
        .limit = -1, .sort = SEARCH_SORT_HYBRID, .half_life_days = 20, .want = SEARCH_WANT_META};
    hits got, want;
    run_search(db, o, queries[q], NULL, &got);
    run_sql(db, &plan,
            "SELECT a.id, newsq_hybrid(bm25(articles_fts, 10.0, 1.0), a.date,"
            " (SELECT max(date) FROM articles), 20.0)",
            " ORDER BY 2 DESC, 1", &want);
    assert_same(queries[q], &got, &want, &hybrid);
    hits_free(&got);
    hits_free(&want);
    query_plan_free(&plan);
  }
  print_message("relevance: %ld rankings, %ld hits, %ld scores bit for bit equal, worst "
                "relative difference %.3g\n",
                relevance.queries, relevance.hits, relevance.exact, relevance.worst);
  print_message("hybrid: %ld rankings, %ld hits, %ld bit for bit, worst %.3g\n", hybrid.queries,
                hybrid.hits, hybrid.exact, hybrid.worst);
  assert_true(relevance.hits > (index_path ? 100000 : 500));
  newsidx_db_close(db);
}

/* Newest first for every query and page size, against ORDER BY date DESC, id DESC. */
static void assert_newest_first(newsidx_db *db, const char *const *list, int n_list) {
  static const long sizes[] = {1, 10, 100, -1};
  tally t = {0};
  for (int q = 0; q < n_list; q++) {
    query_plan plan = {0};
    newsidx_error err = {0};
    if (query_compile(db, list[q], 0, &plan, &err) != NEWSIDX_OK)
      fail_msg("%s: %s", list[q], err.message);
    hits want;
    run_sql(db, &plan, "SELECT a.id, 0.0", " ORDER BY a.date DESC, a.id DESC", &want);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
      search_options o = {.limit = sizes[k], .sort = SEARCH_SORT_DATE};
      hits got;
      run_search(db, o, list[q], plan.match, &got);
      hits page = want;
      if (sizes[k] >= 0 && page.n > sizes[k]) page.n = sizes[k];
      char what[256];
      snprintf(what, sizeof what, "%s, newest %ld", list[q], sizes[k]);
      assert_same(what, &got, &page, &t);
      hits_free(&got);
    }
    /* a later page */
    search_options o = {.limit = 5, .offset = 7, .sort = SEARCH_SORT_DATE};
    hits got;
    run_search(db, o, list[q], NULL, &got);
    assert_true(got.n == (want.n > 7 ? (want.n - 7 < 5 ? want.n - 7 : 5) : 0));
    for (long i = 0; i < got.n; i++)
      assert_true(got.ids[i] == want.ids[7 + i]);
    hits_free(&got);
    hits_free(&want);
    query_plan_free(&plan);
  }
  assert_true(t.hits > 0);
}

static void newest_first_equals_sqlite(void **state) {
  newsidx_db *db = open_index();
  assert_newest_first(db, queries, N_QUERIES);
  newsidx_db_close(db);
}

/* An index of generated articles, dated in id order or shuffled, some undated, some sharing a
** day with and without a time. */
static newsidx_db *generated_index(int in_date_order) {
  static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon",
                                      "zeta",  "eta",  "theta", "iota",  "kappa"};
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  srand(in_date_order ? 11 : 12);
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  for (int i = 0; i < 3000; i++) {
    char key[32], body[256] = "", date[NEWSIDX_DATE_MAX];
    int day = in_date_order ? i / 10 : rand() % 300;
    int words_n = 3 + rand() % 12;
    for (int w = 0; w < words_n; w++) {
      strncat(body, words[rand() % 10], sizeof body - strlen(body) - 1);
      strncat(body, " ", sizeof body - strlen(body) - 1);
    }
    snprintf(key, sizeof key, "g%d", i);
    if (rand() % 3 == 0)
      snprintf(date, sizeof date, "2020-%02d-%02dT%02d:00:00Z", 1 + day / 28, 1 + day % 28,
               in_date_order ? (i % 10) * 2 : rand() % 24);
    else
      snprintf(date, sizeof date, "2020-%02d-%02d", 1 + day / 28, 1 + day % 28);
    newsidx_article a = {
        key, key, rand() % 50 ? date : NULL, NULL, body, NULL, NULL, NULL, NULL, NULL, -1, -1};
    newsidx_store_outcome outcome;
    if (newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK)
      fail_msg("%s", err.message);
  }
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  return db;
}

static const char *const generated_queries[] = {"alpha",
                                                "alpha beta",
                                                "alpha OR kappa",
                                                "\"gamma delta\"",
                                                "eps*",
                                                "iota -alpha",
                                                "theta date:2020-03",
                                                "beta date:2020-02-10..2020-05",
                                                "zeta -date:2020-04",
                                                "NEAR(alpha beta, 2)",
                                                "kappa date:..2020-01-15"};

static void newest_first_in_and_out_of_date_order(void **state) {
  for (int in_order = 1; in_order >= 0; in_order--) {
    newsidx_db *db = generated_index(in_order);
    assert_newest_first(db, generated_queries,
                        (int)(sizeof generated_queries / sizeof generated_queries[0]));
    newsidx_db_close(db);
  }
}

int main(int argc, char **argv) {
  index_path = argc > 1 ? argv[1] : NULL;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(relevance_and_hybrid_equal_sqlite),
      cmocka_unit_test(newest_first_equals_sqlite),
      cmocka_unit_test(newest_first_in_and_out_of_date_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
