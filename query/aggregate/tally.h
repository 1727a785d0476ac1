/*
** tally.h — counting how often each string occurs (internal to the query library): the facets of a
** result (sources, tags, years).
*/
#ifndef NEWSIDX_TALLY_H
#define NEWSIDX_TALLY_H

#include <stddef.h>

typedef struct tally_entry {
  char *value;
  long count;
} tally_entry;

typedef struct tally {
  char **values; /* every value added, in no order until tally_sort() */
  size_t n, cap;
  tally_entry *entries; /* after tally_sort(): distinct values with their counts */
  size_t n_entries;
  int failed; /* out of memory */
} tally;

/* Counts one occurrence of the n bytes at value (white space around it trimmed; an empty value
** is not counted). */
void tally_add(tally *t, const char *value, size_t n);

/* Counts each element of a comma-separated list ("cocoa, coffee"). */
void tally_add_list(tally *t, const char *list);

enum { TALLY_BY_COUNT = 0, TALLY_BY_VALUE = 1 };

/* Groups the values into entries ordered by count (highest first, then by value) or by value.
** Returns 0, or -1 when out of memory. */
int tally_sort(tally *t, int order);

void tally_free(tally *t);

#endif
