/*
** date.c — turning the dates news sources write into ISO 8601 UTC.
**
** Accepted (see newsidx.h): YYYY-MM-DD; ISO 8601 date-times with 'T' or ' ', optional
** seconds and fraction, and a zone of Z, +HH, +HH:MM or +HHMM (none means UTC); RFC 2822 as
** in mail and RSS ("Thu, 05 Mar 2026 14:03:00 +0100", with obsolete zone names such as GMT
** or EST). Surrounding white space is ignored; anything else after the date is an error.
** Stored dates also become numbers that sort as the strings do (newsidx_when), for searches
** that filter and order by date in memory.
*/
#include "newsidx.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

typedef struct civil_time {
  int year, month, day, hour, minute, second;
  int offset_minutes; /* east of UTC */
  int has_time;
} civil_time;

static int valid(const civil_time *t) {
  return t->year >= 1 && t->year <= 9999 && t->month >= 1 && t->month <= 12 && t->day >= 1 &&
         t->day <= days_in_month(t->year, t->month) && t->hour >= 0 && t->hour <= 23 &&
         t->minute >= 0 && t->minute <= 59 && t->second >= 0 && t->second <= 60 &&
         t->offset_minutes > -24 * 60 && t->offset_minutes < 24 * 60;
}

/* Parses n digits at *p into *value and advances *p. Returns 0 unless exactly n digits. */
static int digits(const char **p, int n, int *value) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i])) return 0;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *value = v;
  return 1;
}

/* Parses "Z", "+HH", "+HH:MM" or "+HHMM" (or '-') at *p. */
static int parse_numeric_zone(const char **p, int *offset) {
  if (**p == 'Z' || **p == 'z') {
    (*p)++;
    *offset = 0;
    return 1;
  }
  if (**p != '+' && **p != '-') return 0;
  int sign = **p == '-' ? -1 : 1, hh, mm = 0;
  (*p)++;
  if (!digits(p, 2, &hh)) return 0;
  if (**p == ':') (*p)++;
  if (isdigit((unsigned char)**p) && !digits(p, 2, &mm)) return 0;
  *offset = sign * (hh * 60 + mm);
  return 1;
}

static int parse_iso(const char *p, civil_time *t) {
  if (!digits(&p, 4, &t->year) || *p++ != '-' || !digits(&p, 2, &t->month) || *p++ != '-' ||
      !digits(&p, 2, &t->day))
    return 0;
  if (*p == '\0') return 1;
  if (*p != 'T' && *p != 't' && *p != ' ') return 0;
  p++;
  t->has_time = 1;
  if (!digits(&p, 2, &t->hour) || *p++ != ':' || !digits(&p, 2, &t->minute)) return 0;
  if (*p == ':') {
    p++;
    if (!digits(&p, 2, &t->second)) return 0;
    if (*p == '.' || *p == ',') {
      p++;
      if (!isdigit((unsigned char)*p)) return 0;
      while (isdigit((unsigned char)*p))
        p++; /* fractions of a second are dropped */
    }
  }
  if (*p == ' ') p++;
  if (*p && !parse_numeric_zone(&p, &t->offset_minutes)) return 0;
  return *p == '\0';
}

static int month_number(const char *name) {
  static const char *const months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; i++)
    if (strncasecmp(name, months[i], 3) == 0) return i + 1;
  return 0;
}

static int zone_name_offset(const char *name, int *offset) {
  static const struct {
    const char *name;
    int hours;
  } zones[] = {{"UT", 0},   {"UTC", 0},  {"GMT", 0},  {"Z", 0},    {"EST", -5}, {"EDT", -4},
               {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
  for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
    if (strcasecmp(name, zones[i].name) == 0) {
      *offset = zones[i].hours * 60;
      return 1;
    }
  return 0;
}

static int parse_rfc2822(const char *p, civil_time *t) {
  char month[4] = "", zone[8] = "";
  int used = 0, year_start = 0, year_end = 0;
  /* An optional day name and comma. */
  if (isalpha((unsigned char)*p)) {
    while (isalpha((unsigned char)*p))
      p++;
    if (*p++ != ',') return 0;
    while (*p == ' ')
      p++;
  }
  if (sscanf(p, "%2d %3[A-Za-z] %n%4d%n %2d:%2d%n", &t->day, month, &year_start, &t->year,
             &year_end, &t->hour, &t->minute, &used) != 5)
    return 0;
  /* Old mail and RSS write two-digit years: 00-49 are 2000-2049, 50-99 and three digits
  ** 1900 + the year (RFC 5322, 4.3). */
  int n_year = year_end - year_start;
  if (isdigit((unsigned char)p[year_start]) && (n_year == 2 || n_year == 3))
    t->year += n_year == 2 && t->year < 50 ? 2000 : 1900;
  if (strlen(month) != 3 || !(t->month = month_number(month))) return 0;
  p += used;
  t->has_time = 1;
  if (*p == ':') {
    p++;
    if (!digits(&p, 2, &t->second)) return 0;
  }
  while (*p == ' ')
    p++;
  if (*p == '\0') return 1;
  if (*p == '+' || *p == '-') {
    int sign = *p == '-' ? -1 : 1, hhmm;
    p++;
    if (!digits(&p, 4, &hhmm)) return 0;
    t->offset_minutes = sign * ((hhmm / 100) * 60 + hhmm % 100);
  } else {
    used = 0;
    if (sscanf(p, "%7[A-Za-z]%n", zone, &used) != 1 || !zone_name_offset(zone, &t->offset_minutes))
      return 0;
    p += used;
  }
  while (*p == ' ')
    p++;
  if (*p == '(') p += strcspn(p, ")") + (strchr(p, ')') ? 1 : 0); /* "(UTC)" comments */
  while (*p == ' ')
    p++;
  return *p == '\0';
}

/* Writes a valid UTC time in its stored form: "YYYY-MM-DD" without a time, else
** "YYYY-MM-DDTHH:MM:SSZ" (NEWSIDX_DATE_MAX bytes). */
static void write_stored(char *out, const civil_time *t) {
  /* The modulos are no-ops on checked values; they let the compiler see the field widths. */
  if (!t->has_time)
    snprintf(out, NEWSIDX_DATE_MAX, "%04u-%02u-%02u", (unsigned)t->year % 10000u,
             (unsigned)t->month % 100u, (unsigned)t->day % 100u);
  else
    snprintf(out, NEWSIDX_DATE_MAX, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)t->year % 10000u,
             (unsigned)t->month % 100u, (unsigned)t->day % 100u, (unsigned)t->hour % 100u,
             (unsigned)t->minute % 100u, (unsigned)t->second % 100u);
}

newsidx_status_t newsidx_date_normalize(const char *text, char *out, newsidx_error *err) {
  char buf[80];
  if (!text) return newsidx_error_set(err, NEWSIDX_INPUT, "no date");
  while (isspace((unsigned char)*text))
    text++;
  size_t n = strlen(text);
  while (n > 0 && isspace((unsigned char)text[n - 1]))
    n--;
  if (n == 0 || n >= sizeof buf)
    return newsidx_error_set(err, NEWSIDX_INPUT, "not a date: \"%.40s\"", text);
  memcpy(buf, text, n);
  buf[n] = '\0';

  civil_time t = {0};
  int ok = isdigit((unsigned char)buf[0]) && strchr(buf, '-') == buf + 4 ? parse_iso(buf, &t)
                                                                         : parse_rfc2822(buf, &t);
  if (!ok || !valid(&t)) return newsidx_error_set(err, NEWSIDX_INPUT, "not a date: \"%s\"", buf);
  if (!t.has_time) {
    write_stored(out, &t);
    return NEWSIDX_OK;
  }
  struct tm tm = {0};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.month - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.minute;
  tm.tm_sec = t.second > 59 ? 59 : t.second; /* a leap second is kept inside its minute */
  time_t seconds = timegm(&tm) - (time_t)t.offset_minutes * 60;
  struct tm utc;
  if (!gmtime_r(&seconds, &utc) || utc.tm_year + 1900 < 1 || utc.tm_year + 1900 > 9999)
    return newsidx_error_set(err, NEWSIDX_INPUT, "date out of range: \"%s\"", buf);
  civil_time u = {.year = utc.tm_year + 1900,
                  .month = utc.tm_mon + 1,
                  .day = utc.tm_mday,
                  .hour = utc.tm_hour,
                  .minute = utc.tm_min,
                  .second = utc.tm_sec,
                  .has_time = 1};
  write_stored(out, &u);
  return NEWSIDX_OK;
}

void newsidx_now_iso(char *out) {
  time_t now = time(NULL);
  struct tm utc;
  gmtime_r(&now, &utc);
  strftime(out, NEWSIDX_DATE_MAX, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

/* ---- dates as numbers (newsidx_when) ----------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (valid dates only). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t year_of_era = y - era * 400;
  int64_t day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int64_t newsidx_when(const char *date) {
  if (!date) return NEWSIDX_WHEN_UNDATED;
  /* Only the two stored forms: the numbers keep the order of the strings only for valid dates
  ** written in fixed widths. */
  size_t n = strlen(date);
  if (n != 10 && n != 20) return NEWSIDX_WHEN_UNDATED;
  const char *p = date;
  civil_time t = {0};
  if (!digits(&p, 4, &t.year) || *p++ != '-' || !digits(&p, 2, &t.month) || *p++ != '-' ||
      !digits(&p, 2, &t.day))
    return NEWSIDX_WHEN_UNDATED;
  if (n == 20 &&
      (*p++ != 'T' || !digits(&p, 2, &t.hour) || *p++ != ':' || !digits(&p, 2, &t.minute) ||
       *p++ != ':' || !digits(&p, 2, &t.second) || *p != 'Z' || t.second > 59))
    return NEWSIDX_WHEN_UNDATED;
  if (!valid(&t)) return NEWSIDX_WHEN_UNDATED;
  int64_t seconds =
      days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
  return n == 10 ? 2 * seconds - 1 : 2 * seconds;
}

/* The date y-m-d that is `days` after 1970-01-01 (the inverse of days_from_civil). */
static void civil_from_days(int64_t days, int *y, int *m, int *d) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t day_of_era = days - era * 146097;
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t mp = (5 * day_of_year + 2) / 153;
  *d = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(year_of_era + era * 400 + (*m <= 2));
}

int newsidx_when_text(int64_t when, char *out) {
  out[0] = '\0';
  /* Years 1..9999, as newsidx_when() makes them. */
  const int64_t lowest = 2 * (-719162 * (int64_t)86400) - 1, highest = 2 * 253402300799;
  if (when < lowest || when > highest) return -1;
  int bare = (when & 1) != 0;
  int64_t seconds = bare ? (when + 1) / 2 : when / 2;
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t in_day = seconds - days * 86400;
  civil_time t = {.hour = (int)(in_day / 3600),
                  .minute = (int)(in_day / 60 % 60),
                  .second = (int)(in_day % 60),
                  .has_time = !bare};
  civil_from_days(days, &t.year, &t.month, &t.day);
  write_stored(out, &t);
  return 0;
}

double newsidx_when_seconds(int64_t when) {
  return (double)((when & 1) ? (when + 1) / 2 : when / 2);
}
