/*
** timeline.c — articles per period. See timeline.h.
*/
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DAY_SECONDS 86400

/* Days since 1970-01-01 of "YYYY-MM-DD…", or 0 with *ok cleared when unreadable. */
static int day_of(const char *date, int *ok) {
  int y, m, d;
  *ok = date && sscanf(date, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
        d <= 31;
  if (!*ok) return 0;
  struct tm tm = {0};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return (int)(timegm(&tm) / DAY_SECONDS);
}

static void civil(int day, int *y, int *m, int *d) {
  time_t t = (time_t)day * DAY_SECONDS;
  struct tm tm;
  gmtime_r(&t, &tm);
  *y = tm.tm_year + 1900;
  *m = tm.tm_mon + 1;
  *d = tm.tm_mday;
}

static int day_from_civil(int y, int m, int d) {
  struct tm tm = {0};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return (int)(timegm(&tm) / DAY_SECONDS);
}

static void format_day(int day, char out[16]) {
  int y, m, d;
  civil(day, &y, &m, &d);
  snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void timeline_add(timeline *t, const char *date) {
  int ok;
  int day = day_of(date, &ok);
  if (!ok) {
    t->undated++;
    return;
  }
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 1024;
    int *grown = realloc(t->days, cap * sizeof *grown);
    if (!grown) {
      t->failed = 1;
      return;
    }
    t->days = grown;
    t->cap = cap;
  }
  t->days[t->n++] = day;
  t->sorted = 0;
}

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static void sort(timeline *t) {
  if (!t->sorted) qsort(t->days, t->n, sizeof *t->days, compare_ints);
  t->sorted = 1;
}

/* The first day of the period of `unit` holding `day`. */
static int period_start(timeline_unit unit, int day) {
  int y, m, d;
  switch (unit) {
  case TIMELINE_WEEK: return day - ((day % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
  case TIMELINE_MONTH: civil(day, &y, &m, &d); return day_from_civil(y, m, 1);
  case TIMELINE_YEAR: civil(day, &y, &m, &d); return day_from_civil(y, 1, 1);
  default: return day;
  }
}

/* The first day of the period after the one starting at `start`. */
static int period_next(timeline_unit unit, int start) {
  int y, m, d;
  switch (unit) {
  case TIMELINE_WEEK: return start + 7;
  case TIMELINE_MONTH:
    civil(start, &y, &m, &d);
    return day_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
  case TIMELINE_YEAR: civil(start, &y, &m, &d); return day_from_civil(y + 1, 1, 1);
  default: return start + 1;
  }
}

timeline_unit timeline_choose(timeline *t) {
  if (t->n == 0) return TIMELINE_DAY;
  sort(t);
  static const timeline_unit units[] = {TIMELINE_DAY, TIMELINE_WEEK, TIMELINE_MONTH};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    int periods = 0;
    for (int s = period_start(units[i], t->days[0]);
         s <= t->days[t->n - 1] && periods <= TIMELINE_MAX_PERIODS; s = period_next(units[i], s))
      periods++;
    if (periods <= TIMELINE_MAX_PERIODS) return units[i];
  }
  return TIMELINE_YEAR;
}

int timeline_periods(timeline *t, timeline_unit unit, timeline_period_fn fn, void *ctx) {
  if (unit == TIMELINE_AUTO) unit = timeline_choose(t);
  if (t->n == 0) return 0;
  sort(t);
  size_t i = 0;
  for (int start = period_start(unit, t->days[0]); i < t->n;) {
    int next = period_next(unit, start);
    long count = 0;
    while (i < t->n && t->days[i] < next) {
      count++;
      i++;
    }
    char from[16], to[16], label[16];
    format_day(start, from);
    format_day(next, to);
    snprintf(label, sizeof label, "%.*s",
             unit == TIMELINE_YEAR    ? 4
             : unit == TIMELINE_MONTH ? 7
                                      : 10,
             from);
    int rc = fn(ctx, label, from, to, count);
    if (rc) return rc;
    start = next;
  }
  return 0;
}

void timeline_free(timeline *t) {
  free(t->days);
  *t = (timeline){0};
}
