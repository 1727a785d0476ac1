/*
** termset.c — a set of known terms by hash. See termset.h.
*/
#include "termset.h"
#include "newsidx.h"
#include "util/alloc.h"

#include <stdlib.h>

#define FIRST_CAP 4096 /* slots of a new set: the terms of a first batch fit without doubling */

/* Doubles the slots of s (FIRST_CAP at first). Returns 0, or -1 when out of memory. */
static int grow(termset *s) {
  size_t cap = s->cap ? s->cap * 2 : FIRST_CAP;
  termset_slot *grown = newsidx_zeroed(cap, sizeof *grown);
  if (!grown) return -1;
  for (size_t i = 0; i < s->cap; i++) {
    if (!s->slots[i].hash) continue;
    size_t j = s->slots[i].hash & (cap - 1);
    while (grown[j].hash)
      j = (j + 1) & (cap - 1);
    grown[j] = s->slots[i];
  }
  free(s->slots);
  s->slots = grown;
  s->cap = cap;
  return 0;
}

termset_slot *termset_add(termset *s, uint64_t h) {
  assert(h != 0);
  if ((s->n + 1) * 2 > s->cap && grow(s) != 0) return NULL;
  size_t j = h & (s->cap - 1);
  while (s->slots[j].hash && s->slots[j].hash != h)
    j = (j + 1) & (s->cap - 1);
  if (!s->slots[j].hash) {
    s->slots[j] = (termset_slot){h, 0, 0};
    s->n++;
  }
  return &s->slots[j];
}

int termset_set_count(void *set, uint64_t hash, int64_t n_docs) {
  termset_slot *slot = termset_add(set, hash);
  if (!slot) return 1;
  slot->n_docs = (int32_t)n_docs;
  return 0;
}

void termset_clear_stamps(termset *s) {
  for (size_t i = 0; i < s->cap; i++)
    s->slots[i].stamp = 0;
}

void termset_free(termset *s) {
  free(s->slots);
  *s = (termset){0};
}
