/*
** date.c — turning the dates news sources write into ISO 8601 UTC.
**
** Accepted (see newsidx.h): YYYY-MM-DD; ISO 8601 date-times with 'T' or ' ', optional
** seconds and fraction, and a zone of Z, +HH, +HH:MM or +HHMM (none means UTC); RFC 2822 as
** in mail and RSS ("Thu, 05 Mar 2026 14:03:00 +0100"), and as feeds get it wrong: obsolete and
** common zone names (EST, PDT, CEST, the military letters), "GMT+0100" and "+01:00", no
** seconds, a one-digit hour, two-digit years, day and month names in full or abbreviated, a
** wrong day name or none, no comma, the month before the day ("Jan 1, 2004"), and a date
** without a time. Surrounding white space is ignored; anything else after the date is an
** error.
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

/* The month a word names: its first three letters ("Jan", "jan."), its full name, or "Sept";
** 0 for none. `n` letters at `w`. */
static int month_number(const char *w, size_t n) {
  static const char *const months[12] = {"january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december"};
  for (int i = 0; i < 12; i++)
    if ((n == 3 || n == strlen(months[i]) || (i == 8 && n == 4)) &&
        strncasecmp(w, months[i], n) == 0)
      return i + 1;
  return 0;
}

/* Hours east of UTC of the zone names feeds write: RFC 822's (UT, GMT, the North American
** ones, the military letters), the short North American names without S/D feedparser knows
** (ET, CT...), and the European and Pacific ones common in news feeds. Names that stand for
** several zones (IST, BST is kept as British) are left out: they are errors, not guesses. */
static const struct zone_name {
  const char *name;
  int hours;
} zone_names[] = {
    {"UT", 0},    {"UTC", 0},   {"GMT", 0},   {"Z", 0},    {"EST", -5}, {"EDT", -4},  {"CST", -6},
    {"CDT", -5},  {"MST", -7},  {"MDT", -6},  {"PST", -8}, {"PDT", -7}, {"ET", -5},   {"CT", -6},
    {"MT", -7},   {"PT", -8},   {"AST", -4},  {"ADT", -3}, {"AT", -4},  {"AKST", -9}, {"AKDT", -8},
    {"HST", -10}, {"WET", 0},   {"WEST", 1},  {"BST", 1},  {"CET", 1},  {"CEST", 2},  {"MET", 1},
    {"MEST", 2},  {"EET", 2},   {"EEST", 3},  {"MSK", 3},  {"JST", 9},  {"KST", 9},   {"AEST", 10},
    {"AEDT", 11}, {"NZST", 12}, {"NZDT", 13},
};

/* The offset (minutes east) of a zone name of n letters; 0 when there is no such zone. RFC
** 822's military letters count as it defines them (A is -1 hour, N +1, Z UTC; J is none), as
** feedparser reads them, though RFC 2822 says their signs were a mistake. */
static int zone_name_offset(const char *name, size_t n, int *offset) {
  if (n == 1 && isalpha((unsigned char)*name) && toupper((unsigned char)*name) != 'J') {
    int c = toupper((unsigned char)*name);
    *offset = 60 * (c == 'Z' ? 0 : c < 'J' ? -(c - 'A' + 1) : c <= 'M' ? -(c - 'A') : c - 'N' + 1);
    return 1;
  }
  for (size_t i = 0; i < sizeof zone_names / sizeof zone_names[0]; i++)
    if (strlen(zone_names[i].name) == n && strncasecmp(name, zone_names[i].name, n) == 0) {
      *offset = zone_names[i].hours * 60;
      return 1;
    }
  return 0;
}

static void skip_blanks(const char **p) {
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

/* The length of the word of letters at *p (advanced past it; a '.' after it is skipped). */
static size_t word(const char **p) {
  const char *start = *p;
  while (isalpha((unsigned char)**p))
    (*p)++;
  size_t n = (size_t)(*p - start);
  if (n && **p == '.') (*p)++; /* "Jan." */
  return n;
}

/* Parses 1 to `max` digits at *p into *value; *n gets how many. Returns 0 when none. */
static int some_digits(const char **p, int max, int *value, int *n) {
  *value = 0;
  for (*n = 0; *n < max && isdigit((unsigned char)**p); (*n)++, (*p)++)
    *value = *value * 10 + (**p - '0');
  return *n > 0 && !isdigit((unsigned char)**p);
}

/* "DD Mon YYYY" or "Mon DD[,] YYYY" at *p, the day name already skipped (`month` > 0 when it
** was the month). Two- and three-digit years are RFC 5322's (4.3): 00-49 are 2000-2049,
** 50-999 1900 + the year. */
static int parse_day_month_year(const char **p, int month, civil_time *t) {
  int n;
  const char *w;
  if (!month) {
    if (!some_digits(p, 2, &t->day, &n)) return 0;
    skip_blanks(p);
    if (**p == '-') (*p)++; /* "01-Jan-2004" */
    w = *p;
    if (!(month = month_number(w, word(p)))) return 0;
  } else {
    skip_blanks(p);
    if (!some_digits(p, 2, &t->day, &n)) return 0;
    if (**p == ',') (*p)++;
  }
  t->month = month;
  skip_blanks(p);
  if (**p == '-') (*p)++;
  if (!some_digits(p, 4, &t->year, &n) || n < 2) return 0;
  if (n == 2 || n == 3) t->year += n == 2 && t->year < 50 ? 2000 : 1900;
  return 1;
}

/* "HH:MM[:SS]" at *p, the hour of one or two digits. */
static int parse_clock(const char **p, civil_time *t) {
  int n;
  if (!some_digits(p, 2, &t->hour, &n) || *(*p)++ != ':' || !digits(p, 2, &t->minute)) return 0;
  if (**p == ':') {
    (*p)++;
    if (!digits(p, 2, &t->second)) return 0;
  }
  t->has_time = 1;
  return 1;
}

/* A zone after an RFC 2822 time: "+HHMM", "+HH:MM", a name, or a name and an offset
** ("GMT+0100"). */
static int parse_rfc2822_zone(const char **p, int *offset) {
  *offset = 0;
  if (isalpha((unsigned char)**p)) {
    const char *w = *p;
    size_t n = word(p);
    if (n > 4 || !zone_name_offset(w, n, offset)) return 0;
    if (**p != '+' && **p != '-') return 1;
  }
  int extra;
  if (!parse_numeric_zone(p, &extra)) return 0;
  *offset += extra;
  return 1;
}

static int parse_rfc2822(const char *p, civil_time *t) {
  int month = 0;
  if (isalpha(
          (unsigned char)*p)) { /* a day name (never checked: feeds get it wrong), or the month */
    const char *w = p;
    size_t n = word(&p);
    month = month_number(w, n);
    if (!month) {
      if (*p == ',') p++;
      skip_blanks(&p);
      if (isalpha((unsigned char)*p)) {
        w = p;
        if (!(month = month_number(w, word(&p)))) return 0;
      }
    }
  }
  if (!parse_day_month_year(&p, month, t)) return 0;
  skip_blanks(&p);
  if (*p == '\0') return 1; /* a date alone */
  if (!parse_clock(&p, t)) return 0;
  skip_blanks(&p);
  if (*p && *p != '(' && !parse_rfc2822_zone(&p, &t->offset_minutes)) return 0;
  skip_blanks(&p);
  if (*p == '(') p += strcspn(p, ")") + (strchr(p, ')') ? 1 : 0); /* "(UTC)" comments */
  skip_blanks(&p);
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
