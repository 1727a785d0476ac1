/*
** topk.c — the best K pairs in a binary heap whose root is the worst kept. See topk.h.
*/
#include "topk.h"

#include <stdlib.h>

/* Is a better than b? */
static int better(const topk *t, const topk_item *a, const topk_item *b) {
  if (a->key != b->key) return a->key > b->key;
  return t->ties == TOPK_TIES_HIGH_ID_FIRST ? a->id > b->id : a->id < b->id;
}

void topk_init(topk *t, long k, topk_ties ties) { *t = (topk){NULL, 0, 0, k, ties, 0}; }

int topk_full(const topk *t) { return t->k >= 0 && t->n >= t->k; }

const topk_item *topk_worst(const topk *t) { return t->n ? &t->items[0] : NULL; }

/* Should a be above b in the heap? The worst on top while collecting, the best when popping. */
static int above(const topk *t, const topk_item *a, const topk_item *b) {
  return t->popping ? better(t, a, b) : better(t, b, a);
}

static void sift_down(topk *t, long i) {
  for (;;) {
    long top = i, l = 2 * i + 1, r = l + 1;
    if (l < t->n && above(t, &t->items[l], &t->items[top])) top = l;
    if (r < t->n && above(t, &t->items[r], &t->items[top])) top = r;
    if (top == i) return;
    topk_item swap = t->items[i];
    t->items[i] = t->items[top];
    t->items[top] = swap;
    i = top;
  }
}

int topk_would_take(const topk *t, double key, int64_t id) {
  topk_item item = {key, id};
  return t->k != 0 && (!topk_full(t) || better(t, &item, &t->items[0]));
}

int topk_add(topk *t, double key, int64_t id) {
  topk_item item = {key, id};
  if (t->k == 0) return 0;
  if (topk_full(t)) {
    if (!better(t, &item, &t->items[0])) return 0;
    t->items[0] = item;
    sift_down(t, 0);
    return 0;
  }
  if (t->n == t->cap) {
    long cap = t->cap ? t->cap * 2 : 64;
    if (t->k >= 0 && cap > t->k) cap = t->k;
    topk_item *grown = realloc(t->items, (size_t)cap * sizeof *grown);
    if (!grown) return -1;
    t->items = grown;
    t->cap = cap;
  }
  if (t->k < 0) { /* keeping everything: no heap, topk_sort() orders them */
    t->items[t->n++] = item;
    return 0;
  }
  long i = t->n++;
  while (i > 0 && better(t, &t->items[(i - 1) / 2], &item)) {
    t->items[i] = t->items[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  t->items[i] = item;
  return 0;
}

static int compare_best_first(const void *a, const void *b, void *t) {
  return better(t, a, b) ? -1 : better(t, b, a) ? 1 : 0;
}

void topk_sort(topk *t) {
  if (t->n < 2) return;
  qsort_r(t->items, (size_t)t->n, sizeof *t->items, compare_best_first, t);
}

int topk_pop_best(topk *t, topk_item *out) {
  if (!t->popping) {
    t->popping = 1;
    for (long i = t->n / 2 - 1; i >= 0; i--)
      sift_down(t, i);
  }
  if (t->n == 0) return 0;
  *out = t->items[0];
  t->items[0] = t->items[--t->n];
  sift_down(t, 0);
  return 1;
}

void topk_free(topk *t) {
  free(t->items);
  *t = (topk){NULL, 0, 0, 0, t->ties, 0};
}
