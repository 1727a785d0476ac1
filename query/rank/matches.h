/*
** matches.h — where the query matched in the rows a search keeps (internal to the query library).
**
** Snippets need FTS5's match positions (xInst: phrase, column, token offset) in each hit of
** the page. Asking FTS5 for them later means one more MATCH per hit, which costs a seek in
** every segment of the index (and, for a prefix query, merging every doclist of the prefix
** again). So the ranking records them while its cursor is on the row, for the rows that can
** still make the page, and the page's snippets are then made from the article's text
** (snippet_from_text()).
**
**   match_store_begin()   once per statement, on its first row (phrase sizes)
**   match_store_capture() for a row that enters the heap
**   match_store_keep()    drops the rows no longer in the heap (call when it grows)
**   match_store_find()    the instances of one id, once the ranking is done
*/
#ifndef NEWSIDX_MATCHES_H
#define NEWSIDX_MATCHES_H

#include "topk.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct match_instance {
  int phrase, column, offset; /* as xInst() gives them: offset in tokens from the column start */
} match_instance;

typedef struct match_record {
  int64_t id;
  long first; /* in the arena */
  int n;
} match_record;

typedef struct match_store {
  int n_phrases;
  int *phrase_size; /* tokens of each phrase */
  match_record *records;
  long n_records;
  size_t cap_records;
  match_instance *arena;
  long n_arena;
  size_t cap_arena;
  int sorted; /* records sorted by id (after match_store_keep()) */
} match_store;

/* Records the phrase sizes of the statement. Returns an SQLite code. */
int match_store_begin(match_store *m, const Fts5ExtensionApi *api, Fts5Context *fts);

/* Records the instances of the current row (id `id`). Returns an SQLite code. */
int match_store_capture(match_store *m, const Fts5ExtensionApi *api, Fts5Context *fts, int64_t id);

/* Keeps only the records of the ids in `keep` (the first `n` of its items, any order), and
** sorts them by id. Returns 0, or -1 when out of memory (the store is unchanged). */
int match_store_keep(match_store *m, const topk_item *keep, long n);

/* The instances of `id` (sorted store only), or NULL when they were not recorded. */
const match_instance *match_store_find(const match_store *m, int64_t id, int *n);

void match_store_free(match_store *m);

#endif
