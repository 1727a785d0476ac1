/*
** test_query_filter.c — metadata filters: which articles each one keeps, how alternatives and
** negations combine, and that values only ever reach SQLite as bound parameters.
*/
#include "query_fixture.h"

#include "query_filter.h"

static int setup(void **state) {
  *state = fixture_open();
  assert_int_equal(query_filters_register(newsidx_db_sqlite(*state)), SQLITE_OK);
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

/* The keys of the originals the filters keep, in id order, joined with spaces. */
static char *kept(newsidx_db *db, const query_filters *f) {
  sql_builder b = {0};
  sql_text(&b, "SELECT coalesce(group_concat(key, ' '), '') FROM (SELECT key FROM articles a"
               " WHERE a.dup_of IS NULL");
  query_filters_sql(f, "a", &b);
  sql_text(&b, " ORDER BY a.id)");
  sqlite3_stmt *stmt = NULL;
  newsidx_error err = {0};
  if (sql_prepare(&b, newsidx_db_sqlite(db), "test", &stmt, &err) != NEWSIDX_OK)
    fail_msg("%s\n%s", err.message, b.sql.data);
  assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
  char *keys = strdup((const char *)sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  return keys;
}

static void add(query_filters *f, query_field field, int negated, int origin, const char *value) {
  assert_int_equal(
      query_filters_add_text(f, field, negated, origin, value, (int)strlen(value), NULL),
      NEWSIDX_OK);
}

static void add_range(query_filters *f, int negated, int origin, const char *lo, const char *hi) {
  query_date_range r = {{0}, {0}};
  snprintf(r.lo, sizeof r.lo, "%s", lo);
  snprintf(r.hi, sizeof r.hi, "%s", hi);
  assert_int_equal(query_filters_add_range(f, negated, origin, &r, NULL), NEWSIDX_OK);
}

static void assert_kept(newsidx_db *db, query_filters *f, const char *want) {
  char *got = kept(db, f);
  if (strcmp(got, want) != 0) {
    strbuf d = {0};
    query_filters_describe(f, &d);
    fail_msg("%s  kept '%s', wanted '%s'", d.data, got, want);
  }
  free(got);
  query_filters_free(f);
}

static void no_filter_keeps_every_original(void **state) {
  query_filters f = {0};
  assert_kept(*state, &f, "a1 a2 a3 a4 a6");
}

static void dates(void **state) {
  query_filters f = {0};
  add_range(&f, 0, QUERY_FROM_QUERY, "2026-03-01", "2026-04-01");
  assert_kept(*state, &f, "a1 a2"); /* a date-time inside the month counts */
  add_range(&f, 0, QUERY_FROM_QUERY, "", "2026-03-01");
  assert_kept(*state, &f, "a3 a6"); /* undated a4 is in no range */
  add_range(&f, 0, QUERY_FROM_QUERY, "2026-03-05", "2026-03-06");
  assert_kept(*state, &f, "a2");
  /* two ranges from the query are alternatives */
  add_range(&f, 0, QUERY_FROM_QUERY, "2025-12-01", "2026-01-01");
  add_range(&f, 0, QUERY_FROM_QUERY, "2026-02-01", "2026-03-01");
  assert_kept(*state, &f, "a3 a6");
  /* one from the query and one from the options must both hold */
  add_range(&f, 0, QUERY_FROM_QUERY, "2026-01-01", "2026-04-01");
  add_range(&f, 0, QUERY_FROM_OPTIONS, "2026-03-01", "");
  assert_kept(*state, &f, "a1 a2");
  /* a negated range keeps the undated */
  add_range(&f, 1, QUERY_FROM_QUERY, "2026-03-01", "2026-04-01");
  assert_kept(*state, &f, "a3 a4 a6");
}

static void sources_whole_and_caseless(void **state) {
  query_filters f = {0};
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, "reuters");
  assert_kept(*state, &f, "a1 a3 a6");
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, "Reut");
  assert_kept(*state, &f, "");
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_OPTIONS, "AP");
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_OPTIONS, "reuters");
  assert_kept(*state, &f, "a1 a2 a3 a6");
  add(&f, QFIELD_SOURCE, 1, QUERY_FROM_QUERY, "REUTERS");
  assert_kept(*state, &f, "a2 a4"); /* no source is not Reuters */
}

static void tags_match_whole_elements(void **state) {
  query_filters f = {0};
  add(&f, QFIELD_TAG, 0, QUERY_FROM_QUERY, "coffee");
  assert_kept(*state, &f, "a2");
  add(&f, QFIELD_TAG, 0, QUERY_FROM_QUERY, "brazil");
  assert_kept(*state, &f, "a2"); /* "Coffee, Brazil": spaces around elements do not matter */
  add(&f, QFIELD_TAG, 0, QUERY_FROM_QUERY, "commod");
  assert_kept(*state, &f, "");
  add(&f, QFIELD_TAG, 0, QUERY_FROM_QUERY, "cocoa");
  add(&f, QFIELD_TAG, 0, QUERY_FROM_QUERY, "sugar");
  assert_kept(*state, &f, "a1 a6");
  add(&f, QFIELD_TAG, 1, QUERY_FROM_QUERY, "cocoa");
  assert_kept(*state, &f, "a2 a3 a4 a6");
}

/* author:, url: and site: read the articles row: words of the author, the start of the URL,
** the URL's host or one under it. */
static void authors_urls_and_sites(void **state) {
  assert_int_equal(sqlite3_exec(newsidx_db_sqlite(*state),
                                "UPDATE articles SET author = 'By John Smith', url ="
                                " 'https://www.Reuters.com/article/x,y?q=1' WHERE key = 'a1';"
                                "UPDATE articles SET author = 'Ann Smithson', url ="
                                " 'http://user@notreuters.com:8080/article' WHERE key = 'a2';",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  query_filters f = {0};
  add(&f, QFIELD_AUTHOR, 0, QUERY_FROM_QUERY, "smith");
  assert_kept(*state, &f, "a1"); /* whole words: not Smithson */
  add(&f, QFIELD_AUTHOR, 0, QUERY_FROM_QUERY, "JOHN SMITH");
  assert_kept(*state, &f, "a1");
  add(&f, QFIELD_SITE, 0, QUERY_FROM_QUERY, "reuters.com");
  assert_kept(*state, &f, "a1"); /* www.Reuters.com is under it, notreuters.com is not */
  add(&f, QFIELD_SITE, 0, QUERY_FROM_QUERY, "notreuters.com");
  assert_kept(*state, &f, "a2"); /* the user and the port are not the host */
  add(&f, QFIELD_URL, 0, QUERY_FROM_QUERY, "www.reuters.com/article/x,y");
  assert_kept(*state, &f, "a1"); /* the scheme may be left out; the host's case aside */
  add(&f, QFIELD_URL, 0, QUERY_FROM_QUERY, "https://www.reuters.com/Article");
  assert_kept(*state, &f, ""); /* the path's case counts */
  add(&f, QFIELD_URL, 0, QUERY_FROM_QUERY, "http://user@notreuters.com:8080/");
  assert_kept(*state, &f, "a2");
  add(&f, QFIELD_SITE, 1, QUERY_FROM_QUERY, "reuters.com");
  assert_kept(*state, &f, "a2 a3 a4 a6"); /* a negation keeps those with no URL (a5: a dup) */
}

static void languages_match_regions(void **state) {
  query_filters f = {0};
  add(&f, QFIELD_LANG, 0, QUERY_FROM_QUERY, "en");
  assert_kept(*state, &f, "a1 a2"); /* en and en-GB */
  add(&f, QFIELD_LANG, 0, QUERY_FROM_QUERY, "EN-gb");
  assert_kept(*state, &f, "a2");
  add(&f, QFIELD_LANG, 0, QUERY_FROM_QUERY, "e");
  assert_kept(*state, &f, "");
}

static void fields_combine(void **state) {
  query_filters f = {0};
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, "reuters");
  add(&f, QFIELD_LANG, 0, QUERY_FROM_QUERY, "es");
  assert_kept(*state, &f, "a3");
}

/* Values are parameters: hostile text is compared, never run. */
static void values_are_bound_not_spliced(void **state) {
  query_filters f = {0};
  const char *hostile = "x' OR 1=1 --";
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, hostile);
  add(&f, QFIELD_TAG, 0, QUERY_FROM_QUERY, hostile);
  sql_builder b = {0};
  query_filters_sql(&f, "a", &b);
  assert_null(strstr(b.sql.data, "OR 1=1"));
  assert_int_equal(b.n_params, 2);
  assert_string_equal(b.params[0].text, hostile);
  sql_builder_free(&b);
  assert_kept(*state, &f, "");
}

static void description(void **state) {
  query_filters f = {0};
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, " Reuters ");
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, "AP");
  add(&f, QFIELD_SOURCE, 0, QUERY_FROM_QUERY, "   "); /* blank: ignored */
  add(&f, QFIELD_TAG, 1, QUERY_FROM_OPTIONS, "sport");
  add_range(&f, 0, QUERY_FROM_QUERY, "2026-03-01", "");
  strbuf out = {0};
  query_filters_describe(&f, &out);
  assert_string_equal(out.data, "filter: source = Reuters | AP\n"
                                "filter: (option) not tag = sport\n"
                                "filter: date in [2026-03-01, -)\n");
  strbuf_free(&out);
  query_filters_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(no_filter_keeps_every_original, setup, teardown),
      cmocka_unit_test_setup_teardown(dates, setup, teardown),
      cmocka_unit_test_setup_teardown(sources_whole_and_caseless, setup, teardown),
      cmocka_unit_test_setup_teardown(tags_match_whole_elements, setup, teardown),
      cmocka_unit_test_setup_teardown(languages_match_regions, setup, teardown),
      cmocka_unit_test_setup_teardown(authors_urls_and_sites, setup, teardown),
      cmocka_unit_test_setup_teardown(fields_combine, setup, teardown),
      cmocka_unit_test_setup_teardown(values_are_bound_not_spliced, setup, teardown),
      cmocka_unit_test(description),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
