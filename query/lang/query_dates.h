/*
** query_dates.h — the dates people type into newsq: absolute periods, relative dates and
** ranges (internal to the query library; the monitoring commands reuse it).
**
** A date names a period, [lo, hi) as ISO 8601 strings that compare correctly with the stored
** dates ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", see newsidx.h):
**
**   2026            the year            [2026-01-01, 2027-01-01)
**   2026-03         the month           [2026-03-01, 2026-04-01)
**   2026-03-05      the day             [2026-03-05, 2026-03-06)
**   2026.03, 2026.03.05   the same month and day (Xapian's form)
**   2026-03-05T14:03:00+01:00 (any form newsidx_date_normalize() takes): that second, in UTC
**   today           today (UTC)
**   yesterday       the day before
**   7d 2w 3m 1y     the day 7 days, 2 weeks, 3 calendar months, 1 calendar year before today
**                   (a month back from 31 March is the last day of February)
**
** Relative dates count from `now`, a time_t the caller passes, so tests and scripts can fix
** it (newsq reads $NEWSQ_NOW). Calendar days are UTC days.
*/
#ifndef NEWSIDX_QUERY_DATES_H
#define NEWSIDX_QUERY_DATES_H

#include "newsidx.h"

#include <time.h>

typedef struct query_date_range {
  char lo[NEWSIDX_DATE_MAX]; /* first instant inside, "" when open */
  char hi[NEWSIDX_DATE_MAX]; /* first instant after, "" when open */
} query_date_range;

/* The period `text` (n bytes) names, in *out. *relative is set (when not NULL) for 7d-style
** durations. Fails with NEWSIDX_INPUT and a message "bad date 'TEXT' (use …)". */
newsidx_status_t query_date_period(const char *text, int n, time_t now, query_date_range *out,
                                   int *relative, newsidx_error *err);

/* A range as in `date:`: "A..B" (from the start of A to the end of B, both included; B may be
** written date:B, as Xapian reads date:A..date:B),
** "A.." (from A on), "..B" (up to the end of B), or one date "A" (its period; a relative
** duration alone means "since": date:7d is the last seven days). Fails with NEWSIDX_INPUT:
** a bad date, or a range that ends before it starts. */
newsidx_status_t query_date_range_parse(const char *text, int n, time_t now, query_date_range *out,
                                        newsidx_error *err);

/* --since TEXT: writes the start of TEXT's period to lo. --until TEXT: writes the end of
** TEXT's period (the first instant after it) to hi. Fail like query_date_period(). */
newsidx_status_t query_date_since(const char *text, time_t now, char lo[NEWSIDX_DATE_MAX],
                                  newsidx_error *err);
newsidx_status_t query_date_until(const char *text, time_t now, char hi[NEWSIDX_DATE_MAX],
                                  newsidx_error *err);

/* Parses an instant for "now" ($NEWSQ_NOW): a date (its midnight, UTC) or a date-time.
** Fails with NEWSIDX_INPUT. */
newsidx_status_t query_date_instant(const char *text, time_t *out, newsidx_error *err);

/* Writes the UTC day of `t` as "YYYY-MM-DD" to out (NEWSIDX_DATE_MAX bytes). */
void query_date_day(time_t t, char out[NEWSIDX_DATE_MAX]);

#endif
