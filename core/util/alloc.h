/*
** util/alloc.h — growing the arrays that every library keeps (lists of paths, ids, terms,
** tokens), and zeroed tables. Header-only and not part of the public API (newsidx.h): core,
** ingest/ and query/ include it as "util/alloc.h", the one header outside its own folder that
** ingest/ and query/ may include besides newsidx.h (scripts/checksrc.sh).
*/
#ifndef NEWSIDX_UTIL_ALLOC_H
#define NEWSIDX_UTIL_ALLOC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `more` items after the n in use in the array *items of *cap items of
** item_size bytes, doubling its capacity (64 items at first) as often as needed. Returns 0,
** or -1 when out of memory (the array is then left as it was). */
static inline int newsidx_reserve(void **items, size_t *cap, size_t n, size_t more,
                                  size_t item_size) {
  if (n + more <= *cap) return 0;
  size_t new_cap = *cap ? *cap : 64;
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

/* Like calloc(n, size), but every page of the block is written before it returns. A large
** calloc() block is mapped lazily: a hash table that is probed (read) before it is filled gets
** the kernel's shared zero page, and each page written later costs a copy-on-write fault and a
** TLB flush sent to every core the process runs on, which interrupts the other thread too
** (6% of the indexer's writer on Reuters-21578, for its sets of terms). NULL when out of
** memory or when n * size overflows. */
static inline void *newsidx_zeroed(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  size_t bytes = n * size;
  void *block = malloc(bytes > 0 ? bytes : 1);
  if (block) memset(block, 0, bytes); /* writing maps each page as the process's own */
  return block;
}

#endif
