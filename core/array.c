/*
** array.c — growing the arrays that every part keeps (lists of paths, ids, terms, tokens), and
** zeroed tables. See newsidx_reserve() and newsidx_zeroed() in newsidx.h.
*/
#include "newsidx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

void *newsidx_zeroed(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  void *block = malloc(bytes > 0 ? bytes : 1);
  if (block) memset(block, 0, bytes); /* writing maps each page as the process's own */
  return block;
}
