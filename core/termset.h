/*
** termset.h — a set of known terms by their 64-bit hash, each with a count of articles
** (internal to core/).
**
** The ledger (ledger.c) fills it: every term it has written, every word with the number of
** indexed articles that hold it. The stored counts (termdocs.c) read and write it. Neither
** knows the other's workings: this header is what they share, so that they include neither
** each other's header.
**
** Invariants: `cap` is 0 or a power of two; a slot with hash 0 is empty; at most half the
** slots are used (termset_add() doubles first), so a probe always meets an empty slot.
*/
#ifndef NEWSIDX_TERMSET_H
#define NEWSIDX_TERMSET_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <xxhash.h>

enum { TERM_WORD = 0, TERM_NAME = 1 };

/* A term in the set: its hash (0 marks an empty slot), the number of indexed articles that hold
** it (words only; 0 for names), and the stamp of the document that changed that number last,
** so that a document counts once however often it uses the word. */
typedef struct termset_slot {
  uint64_t hash;
  int32_t n_docs;
  uint32_t stamp;
} termset_slot;

/* Open addressing over `cap` slots, `n` of them used. All zero: empty. */
typedef struct termset {
  termset_slot *slots;
  size_t cap, n;
} termset;

/* The hash that identifies a term of `kind` by its key (n bytes); never 0. Inline: the
** collector hashes every token. */
static inline uint64_t termset_hash(const char *key, size_t n, int kind) {
  uint64_t h = XXH3_64bits_withSeed(key, n, (uint64_t)kind + 1);
  return h ? h : 1; /* 0 marks empty slots */
}

/* The slot of hash h, or NULL. Inline: the ledger probes once per term of every article. */
static inline termset_slot *termset_find(const termset *s, uint64_t h) {
  if (!s->cap) return NULL;
  assert((s->cap & (s->cap - 1)) == 0 && s->n * 2 <= s->cap);
  for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (s->slots[i].hash == h) return &s->slots[i];
    if (s->slots[i].hash == 0) return NULL;
  }
}

/* The slot of h (not 0), added with no articles when absent; NULL when out of memory (the set
** is then left as it was). */
termset_slot *termset_add(termset *s, uint64_t h);

/* A termdocs_fn (termdocs.h) over the termset `set`: adds `hash` with n_docs articles. Returns
** 0, or 1 when out of memory. */
int termset_set_count(void *set, uint64_t hash, int64_t n_docs);

/* Sets every slot's stamp to 0 (when the stamps wrap around). */
void termset_clear_stamps(termset *s);

/* Frees the slots and empties the set. */
void termset_free(termset *s);

#endif
