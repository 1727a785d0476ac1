/*
** query_dates.c — periods, relative dates and ranges. See query_dates.h.
*/
#include "query_dates.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DAY_SECONDS  86400
#define RELATIVE_MAX 100000 /* largest N in "Nd", "Nw", "Nm", "Ny" */
#define DATE_FORMS   "use YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Writes "YYYY-MM-DD", or "" when the year is outside 1..9999 (an open end). */
static void format_day(int y, int m, int d, char out[NEWSIDX_DATE_MAX]) {
  if (y < 1 || y > 9999) {
    out[0] = '\0';
    return;
  }
  /* The modulos are no-ops on checked values; they tell the compiler the field widths. */
  snprintf(out, NEWSIDX_DATE_MAX, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
           (unsigned)d % 100u);
}

void query_date_day(time_t t, char out[NEWSIDX_DATE_MAX]) {
  struct tm tm;
  if (!gmtime_r(&t, &tm)) {
    out[0] = '\0';
    return;
  }
  format_day(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
}

/* The day after y-m-d. */
static void next_day(int *y, int *m, int *d) {
  if (++*d > days_in_month(*y, *m)) {
    *d = 1;
    if (++*m > 12) {
      *m = 1;
      ++*y;
    }
  }
}

/* Parses exactly n decimal digits at s. Returns -1 when they are not all digits. */
static int number(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static newsidx_status_t bad_date(const char *text, int n, newsidx_error *err) {
  return newsidx_error_set(err, NEWSIDX_INPUT, "bad date '%.*s' (" DATE_FORMS ")", n > 60 ? 60 : n,
                           text);
}

/* "7d", "2w", "3m", "1y": writes the day that many units before today. Returns 1 when text is
** such a duration, 0 when it is not, -1 when it is one but out of range. */
static int relative_day(const char *text, int n, time_t now, char out[NEWSIDX_DATE_MAX]) {
  if (n < 2) return 0;
  char unit = (char)(text[n - 1] | 0x20);
  if (!strchr("dwmy", unit) || n - 1 > 6) return 0;
  int count = number(text, n - 1);
  if (count < 0) return 0;
  if (count > RELATIVE_MAX) return -1;
  struct tm tm;
  if (!gmtime_r(&now, &tm)) return -1;
  int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
  if (unit == 'd' || unit == 'w') {
    long long days = (long long)count * (unit == 'w' ? 7 : 1);
    query_date_day(now - (time_t)(days * DAY_SECONDS), out);
    return out[0] ? 1 : -1;
  }
  long long months = (long long)y * 12 + (m - 1) - (long long)count * (unit == 'y' ? 12 : 1);
  if (months < 12) return -1; /* before year 1 */
  y = (int)(months / 12);
  m = (int)(months % 12) + 1;
  if (d > days_in_month(y, m)) d = days_in_month(y, m);
  format_day(y, m, d, out);
  return 1;
}

/* Xapian's and many logs' dotted dates, 1999.03 and 1999.03.12: writes them with '-' to buf
** (NEWSIDX_DATE_MAX bytes) and returns 1, or 0 when text is not one. */
static int undot_date(const char *text, int n, char *buf) {
  if ((n != 7 && n != 10) || text[4] != '.' || (n == 10 && text[7] != '.')) return 0;
  memcpy(buf, text, (size_t)n);
  buf[4] = '-';
  if (n == 10) buf[7] = '-';
  buf[n] = '\0';
  return 1;
}

newsidx_status_t query_date_period(const char *text, int n, time_t now, query_date_range *out,
                                   int *relative, newsidx_error *err) {
  int y, m = 0, d = 0;
  char undotted[NEWSIDX_DATE_MAX];
  const char *typed = text; /* for the message */
  if (undot_date(text, n, undotted)) text = undotted;
  if (relative) *relative = 0;
  memset(out, 0, sizeof *out);
  if ((n == 5 && strncasecmp(text, "today", 5) == 0) ||
      (n == 9 && strncasecmp(text, "yesterday", 9) == 0)) {
    query_date_day(now - (n == 9 ? DAY_SECONDS : 0), out->lo);
    query_date_day(now + (n == 9 ? 0 : DAY_SECONDS), out->hi);
    return out->lo[0] ? NEWSIDX_OK : bad_date(text, n, err);
  }
  int r = relative_day(text, n, now, out->lo);
  if (r != 0) {
    if (r < 0) return bad_date(text, n, err);
    if (relative) *relative = 1;
    sscanf(out->lo, "%d-%d-%d", &y, &m, &d);
    next_day(&y, &m, &d);
    format_day(y, m, d, out->hi);
    return NEWSIDX_OK;
  }
  if (n == 4 && (y = number(text, 4)) >= 1) {
    format_day(y, 1, 1, out->lo);
    format_day(y + 1, 1, 1, out->hi);
    return NEWSIDX_OK;
  }
  if (n == 7 && text[4] == '-' && (y = number(text, 4)) >= 1 && (m = number(text + 5, 2)) >= 1 &&
      m <= 12) {
    format_day(y, m, 1, out->lo);
    format_day(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, out->hi);
    return NEWSIDX_OK;
  }
  if (n == 10 && text[4] == '-' && text[7] == '-' && (y = number(text, 4)) >= 1 &&
      (m = number(text + 5, 2)) >= 1 && m <= 12 && (d = number(text + 8, 2)) >= 1 &&
      d <= days_in_month(y, m)) {
    format_day(y, m, d, out->lo);
    next_day(&y, &m, &d);
    format_day(y, m, d, out->hi);
    return NEWSIDX_OK;
  }
  /* A date-time: that second. */
  char buf[80];
  if (n > 10 && n < (int)sizeof buf) {
    memcpy(buf, text, (size_t)n);
    buf[n] = '\0';
    time_t t;
    if (query_date_instant(buf, &t, NULL) == NEWSIDX_OK && strpbrk(buf, "T t:")) {
      struct tm tm;
      for (int i = 0; i < 2; i++, t++) {
        gmtime_r(&t, &tm);
        strftime(i ? out->hi : out->lo, NEWSIDX_DATE_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
      }
      return NEWSIDX_OK;
    }
  }
  return bad_date(typed, n, err);
}

newsidx_status_t query_date_range_parse(const char *text, int n, time_t now, query_date_range *out,
                                        newsidx_error *err) {
  memset(out, 0, sizeof *out);
  const char *dots = NULL;
  for (int i = 0; i + 1 < n && !dots; i++)
    if (text[i] == '.' && text[i + 1] == '.') dots = text + i;
  query_date_range a = {{0}, {0}}, b = {{0}, {0}};
  newsidx_status_t status;
  if (!dots) {
    int relative = 0;
    status = query_date_period(text, n, now, out, &relative, err);
    if (status == NEWSIDX_OK && relative) out->hi[0] = '\0'; /* date:7d = since 7 days ago */
    return status;
  }
  int n_a = (int)(dots - text), n_b = n - n_a - 2;
  const char *b_text = dots + 2;
  if (n_b > 5 && strncasecmp(b_text, "date:", 5) == 0) { /* Xapian's date:A..date:B */
    b_text += 5;
    n_b -= 5;
  }
  if (n_a == 0 && n_b == 0) return bad_date(text, n, err);
  if (n_a > 0 && (status = query_date_period(text, n_a, now, &a, NULL, err)) != NEWSIDX_OK)
    return status;
  if (n_b > 0 && (status = query_date_period(b_text, n_b, now, &b, NULL, err)) != NEWSIDX_OK)
    return status;
  memcpy(out->lo, a.lo, sizeof out->lo);
  memcpy(out->hi, b.hi, sizeof out->hi);
  if (out->lo[0] && out->hi[0] && strcmp(out->lo, out->hi) >= 0)
    return newsidx_error_set(err, NEWSIDX_INPUT, "date range '%.*s' ends before it starts",
                             n > 60 ? 60 : n, text);
  return NEWSIDX_OK;
}

/* Writes the start (until = 0) or the end (until = 1) of text's period to out. */
static newsidx_status_t period_bound(const char *text, time_t now, int until,
                                     char out[NEWSIDX_DATE_MAX], newsidx_error *err) {
  query_date_range r;
  newsidx_status_t status = query_date_period(text, (int)strlen(text), now, &r, NULL, err);
  if (status == NEWSIDX_OK) memcpy(out, until ? r.hi : r.lo, NEWSIDX_DATE_MAX);
  return status;
}

newsidx_status_t query_date_since(const char *text, time_t now, char lo[NEWSIDX_DATE_MAX],
                                  newsidx_error *err) {
  return period_bound(text, now, 0, lo, err);
}

newsidx_status_t query_date_until(const char *text, time_t now, char hi[NEWSIDX_DATE_MAX],
                                  newsidx_error *err) {
  return period_bound(text, now, 1, hi, err);
}

newsidx_status_t query_date_instant(const char *text, time_t *out, newsidx_error *err) {
  char iso[NEWSIDX_DATE_MAX];
  if (newsidx_date_normalize(text, iso, NULL) != NEWSIDX_OK)
    return newsidx_error_set(err, NEWSIDX_INPUT, "bad date-time '%.60s'", text);
  struct tm tm = {0};
  int h = 0, mi = 0, s = 0;
  sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &h, &mi, &s);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  *out = timegm(&tm);
  return NEWSIDX_OK;
}
