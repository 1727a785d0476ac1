/*
** timeline.h — counting articles per day, week, month or year (internal to the query library).
**
** Dates are added one by one (as search_scan() delivers them); periods() then walks every
** period from the first date's to the last one's, empty ones included, so a chart has no
** holes. Weeks start on Monday and are labelled by that Monday's date; months read
** "1987-03", years "1987", days "1987-03-02". Days are UTC days of the stored dates.
*/
#ifndef NEWSIDX_TIMELINE_H
#define NEWSIDX_TIMELINE_H

#include "newsidx.h"

typedef enum timeline_unit {
  TIMELINE_AUTO = 0,
  TIMELINE_DAY,
  TIMELINE_WEEK,
  TIMELINE_MONTH,
  TIMELINE_YEAR
} timeline_unit;

/* Longest chart timeline_choose() allows before it takes the next larger unit. */
#define TIMELINE_MAX_PERIODS 60

typedef struct timeline {
  int *days; /* days since 1970-01-01 of the dated articles */
  size_t n, cap;
  long undated; /* articles without a (readable) date */
  int sorted;
  int failed; /* out of memory while adding */
} timeline;

/* Counts one article with `date` (ISO, or NULL for none). */
void timeline_add(timeline *t, const char *date);

/* The smallest unit that draws the span of the dates in at most TIMELINE_MAX_PERIODS periods
** (a day for an empty timeline). */
timeline_unit timeline_choose(timeline *t);

/* Receives one period: its label, [start, end) as "YYYY-MM-DD", and its count. A non-zero
** return stops the walk and is returned by timeline_periods(). */
typedef int (*timeline_period_fn)(void *ctx, const char *label, const char *start, const char *end,
                                  long count);

/* Walks the periods of `unit` (AUTO: timeline_choose()) in order. Returns 0 or what fn
** returned. */
int timeline_periods(timeline *t, timeline_unit unit, timeline_period_fn fn, void *ctx);

void timeline_free(timeline *t);

#endif
