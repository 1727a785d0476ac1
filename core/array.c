/*
** array.c — growing the arrays that every part keeps (lists of paths, ids, terms, tokens).
** See newsidx_reserve() in newsidx.h.
*/
#include "newsidx.h"

#include <stdint.h>
#include <stdlib.h>

#define FIRST_CAPACITY 64

int newsidx_reserve(void **items, size_t *cap, size_t n, size_t more, size_t item_size) {
  if (n + more <= *cap) return 0;
  size_t new_cap = *cap ? *cap : FIRST_CAPACITY;
  while (new_cap < n + more) {
    if (new_cap > SIZE_MAX / 2) return -1;
    new_cap *= 2;
  }
  if (item_size && new_cap > SIZE_MAX / item_size) return -1;
  void *grown = realloc(*items, new_cap * item_size);
  if (!grown) return -1;
  *items = grown;
  *cap = new_cap;
  return 0;
}
