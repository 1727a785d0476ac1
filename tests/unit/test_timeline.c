/*
** test_timeline.c — counting per period (timeline.c) and per value (tally.c): units chosen
** from the span, weeks from Monday, empty periods kept, undated articles apart.
*/
#include "test_util.h"

#include "tally.h"
#include "timeline.h"

typedef struct periods {
  char text[4096];
  size_t n;
} periods;

static int add_period(void *ctx, const char *label, const char *start, const char *end,
                      long count) {
  periods *p = ctx;
  p->n += (size_t)snprintf(p->text + p->n, sizeof p->text - p->n, "%s [%s,%s) %ld\n", label, start,
                           end, count);
  return 0;
}

static const char *walk(timeline *t, timeline_unit unit, periods *p) {
  memset(p, 0, sizeof *p);
  assert_int_equal(timeline_periods(t, unit, add_period, p), 0);
  return p->text;
}

static void periods_of_each_unit(void **state) {
  timeline t = {0};
  timeline_add(&t, "2026-03-05T23:59:59Z"); /* a Thursday */
  timeline_add(&t, "2026-03-02");           /* a Monday */
  timeline_add(&t, "2026-03-08");           /* a Sunday */
  timeline_add(&t, "2026-03-09");
  timeline_add(&t, NULL);
  timeline_add(&t, "soon");
  assert_int_equal(t.n, 4);
  assert_int_equal(t.undated, 2);
  periods p;
  assert_string_equal(walk(&t, TIMELINE_WEEK, &p), "2026-03-02 [2026-03-02,2026-03-09) 3\n"
                                                   "2026-03-09 [2026-03-09,2026-03-16) 1\n");
  assert_string_equal(walk(&t, TIMELINE_DAY, &p), "2026-03-02 [2026-03-02,2026-03-03) 1\n"
                                                  "2026-03-03 [2026-03-03,2026-03-04) 0\n"
                                                  "2026-03-04 [2026-03-04,2026-03-05) 0\n"
                                                  "2026-03-05 [2026-03-05,2026-03-06) 1\n"
                                                  "2026-03-06 [2026-03-06,2026-03-07) 0\n"
                                                  "2026-03-07 [2026-03-07,2026-03-08) 0\n"
                                                  "2026-03-08 [2026-03-08,2026-03-09) 1\n"
                                                  "2026-03-09 [2026-03-09,2026-03-10) 1\n");
  assert_string_equal(walk(&t, TIMELINE_MONTH, &p), "2026-03 [2026-03-01,2026-04-01) 4\n");
  assert_string_equal(walk(&t, TIMELINE_YEAR, &p), "2026 [2026-01-01,2027-01-01) 4\n");
  assert_int_equal(timeline_choose(&t), TIMELINE_DAY);
  timeline_free(&t);
}

static void gaps_are_kept(void **state) {
  timeline t = {0};
  timeline_add(&t, "1987-12-15");
  timeline_add(&t, "1988-03-01");
  periods p;
  assert_string_equal(walk(&t, TIMELINE_MONTH, &p), "1987-12 [1987-12-01,1988-01-01) 1\n"
                                                    "1988-01 [1988-01-01,1988-02-01) 0\n"
                                                    "1988-02 [1988-02-01,1988-03-01) 0\n"
                                                    "1988-03 [1988-03-01,1988-04-01) 1\n");
  /* the week of 1969-12-29 runs across the epoch */
  timeline u = {0};
  timeline_add(&u, "1970-01-01");
  timeline_add(&u, "1969-12-29");
  assert_string_equal(walk(&u, TIMELINE_WEEK, &p), "1969-12-29 [1969-12-29,1970-01-05) 2\n");
  timeline_free(&t);
  timeline_free(&u);
}

static void the_unit_follows_the_span(void **state) {
  static const struct {
    const char *first, *last;
    timeline_unit unit;
  } cases[] = {
      {"2026-03-01", "2026-03-01", TIMELINE_DAY},   {"2026-03-01", "2026-04-29", TIMELINE_DAY},
      {"2026-03-01", "2026-04-30", TIMELINE_WEEK},  {"1987-02-26", "1987-10-20", TIMELINE_WEEK},
      {"2020-01-01", "2021-02-21", TIMELINE_WEEK},  {"2020-01-01", "2021-02-22", TIMELINE_MONTH},
      {"2020-01-01", "2024-12-31", TIMELINE_MONTH}, {"2020-01-01", "2025-01-01", TIMELINE_YEAR},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    timeline t = {0};
    timeline_add(&t, cases[i].last);
    timeline_add(&t, cases[i].first);
    if (timeline_choose(&t) != cases[i].unit)
      fail_msg("%s..%s: unit %d, wanted %d", cases[i].first, cases[i].last, timeline_choose(&t),
               cases[i].unit);
    timeline_free(&t);
  }
  timeline empty = {0};
  periods p;
  assert_int_equal(timeline_choose(&empty), TIMELINE_DAY);
  assert_string_equal(walk(&empty, TIMELINE_AUTO, &p), "");
}

static void tallies(void **state) {
  tally t = {0};
  tally_add_list(&t, "cocoa, coffee");
  tally_add_list(&t, " coffee ,,sugar");
  tally_add_list(&t, "coffee");
  tally_add_list(&t, NULL);
  tally_add(&t, "  ", 2);
  assert_int_equal(tally_sort(&t, TALLY_BY_COUNT), 0);
  assert_int_equal(t.n_entries, 3);
  assert_string_equal(t.entries[0].value, "coffee");
  assert_int_equal(t.entries[0].count, 3);
  assert_string_equal(t.entries[1].value, "cocoa"); /* ties by value */
  assert_string_equal(t.entries[2].value, "sugar");
  assert_int_equal(tally_sort(&t, TALLY_BY_VALUE), 0);
  assert_string_equal(t.entries[0].value, "cocoa");
  assert_string_equal(t.entries[2].value, "sugar");
  tally_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(periods_of_each_unit),
      cmocka_unit_test(gaps_are_kept),
      cmocka_unit_test(the_unit_follows_the_span),
      cmocka_unit_test(tallies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
