/*
** topk.h — the best K of a stream of (key, id) pairs, in a heap (internal to the query library).
**
** Searches keep the page they need (offset + limit hits) while they walk every match, instead
** of having SQLite sort or materialize all of them. A larger key is better; equal keys are
** ordered by id, the lower first (relevance: FTS5's own order for equal scores) or the higher
** first (dates: newest first, then the highest id), as `ties` says. A capacity below 0 keeps
** everything (a listing of all hits), sorted at the end.
**
**   topk top;
**   topk_init(&top, 10, TOPK_TIES_LOW_ID_FIRST);
**   while (…) if (topk_add(&top, score, id) != 0) …out of memory…;
**   topk_sort(&top);                 // top.items[0 .. top.n) best first
**   topk_free(&top);
*/
#ifndef NEWSIDX_TOPK_H
#define NEWSIDX_TOPK_H

#include <stdint.h>

typedef enum topk_ties { TOPK_TIES_LOW_ID_FIRST = 0, TOPK_TIES_HIGH_ID_FIRST = 1 } topk_ties;

typedef struct topk_item {
  double key;
  int64_t id;
} topk_item;

typedef struct topk {
  topk_item *items; /* a heap, worst at items[0], until topk_sort() or topk_pop_best() */
  long n, cap;      /* cap: allocated */
  long k;           /* capacity: how many are kept; < 0 for all */
  topk_ties ties;
  int popping; /* items is a heap with the best at items[0] (topk_pop_best()) */
} topk;

void topk_init(topk *t, long k, topk_ties ties);

/* Offers one pair; returns 0, or -1 when out of memory (the heap is unchanged). */
int topk_add(topk *t, double key, int64_t id);

/* Would topk_add() keep this pair? */
int topk_would_take(const topk *t, double key, int64_t id);

/* Is the heap full (so that only pairs better than topk_worst() enter)? */
int topk_full(const topk *t);

/* The worst pair kept (NULL when empty); before topk_sort() only. */
const topk_item *topk_worst(const topk *t);

/* Orders the pairs kept, best first. The heap is done: add nothing after. */
void topk_sort(topk *t);

/* Takes the best pair left into *out; returns 0 when none is left. For reading a kept-all
** heap in order without sorting all of it (the first call orders it as a heap, O(n); each
** call then costs O(log n)). The heap is done: add nothing after. */
int topk_pop_best(topk *t, topk_item *out);

void topk_free(topk *t);

#endif
