/*
** test_query_dates.c — periods, relative dates and ranges as newsq reads them.
*/
#include "test_util.h"

#include "query_dates.h"

static time_t at(const char *iso) {
  time_t t;
  assert_int_equal(query_date_instant(iso, &t, NULL), NEWSIDX_OK);
  return t;
}

/* The period of `text` at `now` must be [lo, hi). */
static void assert_period(const char *now, const char *text, const char *lo, const char *hi) {
  query_date_range r;
  newsidx_error err = {0};
  if (query_date_period(text, (int)strlen(text), at(now), &r, NULL, &err) != NEWSIDX_OK)
    fail_msg("%s: %s", text, err.message);
  if (strcmp(r.lo, lo) != 0 || strcmp(r.hi, hi) != 0)
    fail_msg("%s at %s: [%s, %s), wanted [%s, %s)", text, now, r.lo, r.hi, lo, hi);
}

static void assert_range(const char *text, const char *lo, const char *hi) {
  query_date_range r;
  newsidx_error err = {0};
  if (query_date_range_parse(text, (int)strlen(text), at("2026-03-10T12:00:00Z"), &r, &err) !=
      NEWSIDX_OK)
    fail_msg("%s: %s", text, err.message);
  if (strcmp(r.lo, lo) != 0 || strcmp(r.hi, hi) != 0)
    fail_msg("%s: [%s, %s), wanted [%s, %s)", text, r.lo, r.hi, lo, hi);
}

static void absolute_periods(void **state) {
  const char *now = "2026-03-10T12:00:00Z";
  assert_period(now, "2026", "2026-01-01", "2027-01-01");
  assert_period(now, "2026-03", "2026-03-01", "2026-04-01");
  assert_period(now, "2026-12", "2026-12-01", "2027-01-01");
  assert_period(now, "2026-03-05", "2026-03-05", "2026-03-06");
  assert_period(now, "2026-12-31", "2026-12-31", "2027-01-01");
  assert_period(now, "2024-02-29", "2024-02-29", "2024-03-01");
  assert_period(now, "1987-02-26", "1987-02-26", "1987-02-27");
  assert_period(now, "2026-03-05T14:03:00+01:00", "2026-03-05T13:03:00Z", "2026-03-05T13:03:01Z");
  assert_period(now, "9999", "9999-01-01", ""); /* the end of time is open */
}

static void relative_dates(void **state) {
  const char *now = "2026-03-10T12:00:00Z";
  assert_period(now, "today", "2026-03-10", "2026-03-11");
  assert_period(now, "Today", "2026-03-10", "2026-03-11");
  assert_period(now, "yesterday", "2026-03-09", "2026-03-10");
  assert_period(now, "0d", "2026-03-10", "2026-03-11");
  assert_period(now, "7d", "2026-03-03", "2026-03-04");
  assert_period(now, "7D", "2026-03-03", "2026-03-04");
  assert_period(now, "2w", "2026-02-24", "2026-02-25");
  assert_period(now, "3m", "2025-12-10", "2025-12-11");
  assert_period(now, "1y", "2025-03-10", "2025-03-11");
  assert_period(now, "10d", "2026-02-28", "2026-03-01"); /* across a month end */
  /* a month back from the 31st is the last day of the shorter month */
  assert_period("2026-03-31T08:00:00Z", "1m", "2026-02-28", "2026-03-01");
  assert_period("2024-03-31T08:00:00Z", "1m", "2024-02-29", "2024-03-01");
  assert_period("2024-02-29T08:00:00Z", "1y", "2023-02-28", "2023-03-01");
  assert_period("2026-01-15T00:00:00Z", "2m", "2025-11-15", "2025-11-16");
  /* days are UTC days: just before midnight is still that day */
  assert_period("2026-03-10T23:59:59Z", "today", "2026-03-10", "2026-03-11");
}

static void ranges(void **state) {
  assert_range("2026-03..2026-04", "2026-03-01", "2026-05-01");
  assert_range("2026-03-05..2026-03-05", "2026-03-05", "2026-03-06");
  assert_range("..2026-01", "", "2026-02-01");
  assert_range("2026-03-05..", "2026-03-05", "");
  assert_range("7d..", "2026-03-03", "");
  assert_range("7d", "2026-03-03", ""); /* a duration alone means since */
  assert_range("yesterday", "2026-03-09", "2026-03-10");
  assert_range("yesterday..today", "2026-03-09", "2026-03-11");
  assert_range("1987..1987-06", "1987-01-01", "1987-07-01");
}

static void since_and_until(void **state) {
  time_t now = at("2026-03-10T12:00:00Z");
  char out[NEWSIDX_DATE_MAX];
  assert_int_equal(query_date_since("2026-03", now, out, NULL), NEWSIDX_OK);
  assert_string_equal(out, "2026-03-01");
  assert_int_equal(query_date_until("2026-03", now, out, NULL), NEWSIDX_OK);
  assert_string_equal(out, "2026-04-01"); /* the whole of March is included */
  assert_int_equal(query_date_since("2w", now, out, NULL), NEWSIDX_OK);
  assert_string_equal(out, "2026-02-24");
  assert_int_equal(query_date_until("yesterday", now, out, NULL), NEWSIDX_OK);
  assert_string_equal(out, "2026-03-10");
}

static void instants(void **state) {
  time_t t;
  assert_int_equal(query_date_instant("1970-01-02", &t, NULL), NEWSIDX_OK);
  assert_int_equal(t, 86400);
  assert_int_equal(query_date_instant("2026-03-10T12:00:00Z", &t, NULL), NEWSIDX_OK);
  assert_int_equal(t, 1773144000);
  assert_int_equal(query_date_instant("2026-03-10T13:00:00+01:00", &t, NULL), NEWSIDX_OK);
  assert_int_equal(t, 1773144000);
  newsidx_error err = {0};
  assert_int_equal(query_date_instant("soon", &t, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "bad date-time 'soon'");
}

static void bad_dates(void **state) {
  static const char *const bad[] = {
      "",         "2026-13", "2025-02-29", "2026-3",   "26-03-05",    "7x",     "d",
      "tomorrow", "-7d",     "9999999d",   "1000000y", "2026-03-05T", "2026..", "yesterdays"};
  time_t now = at("2026-03-10T12:00:00Z");
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    query_date_range r;
    newsidx_error err = {0};
    int n = (int)strlen(bad[i]);
    if (strcmp(bad[i], "2026..") == 0) continue; /* a valid open range, checked below */
    if (query_date_period(bad[i], n, now, &r, NULL, &err) != NEWSIDX_INPUT)
      fail_msg("'%s' was accepted as [%s, %s)", bad[i], r.lo, r.hi);
    char want[200];
    snprintf(want, sizeof want,
             "bad date '%s' (use YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)",
             bad[i]);
    assert_string_equal(err.message, want);
  }
  query_date_range r;
  newsidx_error err = {0};
  assert_int_equal(query_date_range_parse("2026..", 6, now, &r, NULL), NEWSIDX_OK);
  assert_int_equal(query_date_range_parse("..", 2, now, &r, &err), NEWSIDX_INPUT);
  assert_int_equal(query_date_range_parse("2026-04..2026-03", 16, now, &r, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "date range '2026-04..2026-03' ends before it starts");
  assert_int_equal(query_date_range_parse("2026-04..x", 10, now, &r, &err), NEWSIDX_INPUT);
  assert_string_equal(
      err.message,
      "bad date 'x' (use YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(absolute_periods), cmocka_unit_test(relative_dates),
      cmocka_unit_test(ranges),           cmocka_unit_test(since_and_until),
      cmocka_unit_test(instants),         cmocka_unit_test(bad_dates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
