/*
** termdocs.h — how many articles hold each word: the stored counts (internal to core/; readers
** use newsidx_term_docs() in newsidx.h).
**
** BM25 weighs a query word by the number of indexed articles that contain it. FTS5 stores no
** such count: bm25() counts the rows of every phrase with xQueryPhrase at every query, 29% of a
** two-word query at 200,000 articles. The table `term_docs` keeps the count of every stem (the
** token FTS5 indexes), so that a ranking reads it instead.
**
** Who counts: the ledger (ledger.c). It already looks every word of every indexed article up
** in its set of known terms; that set now holds each word's count, which the same probe
** raises (inserts) or lowers (FTS5 deletes, which the ledger hears through the tokenizer).
**
** Layout: term_docs(bucket INTEGER PRIMARY KEY, data BLOB NOT NULL). A stem's key is
** termset_hash(stem, TERM_WORD), 64 bits (told apart by it alone, as the ledger tells
** terms apart); it lives in bucket key mod TERMDOCS_BUCKETS, whose blob is a run of entries:
** the key (8 bytes, little-endian), then the count (a varint, 7 bits a byte, low first).
** Stems held by no article are left out.
**
** Validity: meta 'fts_generation' counts the commits that changed the full-text index through
** newsidx; meta 'term_docs_generation' is the generation the table describes. Readers use the
** counts only when the two are equal, and count with FTS5 otherwise (exact, slower). A writer
** advances the generation at every commit that changed the index and writes the table at a
** commit when a second has passed since it last did, at the end of each indexing run
** (newsidx_settle()), and when its connection closes.
*/
#ifndef NEWSIDX_TERMDOCS_H
#define NEWSIDX_TERMDOCS_H

#include "newsidx.h"
#include "termset.h"

#include <stddef.h>
#include <stdint.h>

#define TERMDOCS_BUCKETS 256

/* Called with each stored or counted term: its hash and its number of articles. Returns 0, or
** nonzero to stop (out of memory). */
typedef int (*termdocs_fn)(void *ctx, uint64_t hash, int64_t n_docs);

/* Writes the index's generation ('fts_generation', 0 when absent) to *out. */
newsidx_status_t termdocs_generation(newsidx_db *db, int64_t *out, newsidx_error *err);

/* Sets 'fts_generation' (inside the caller's transaction). */
newsidx_status_t termdocs_set_generation(newsidx_db *db, int64_t generation, newsidx_error *err);

/* Calls fn for every term with its count, inside the caller's transaction: from the table when
** it describes `generation` (*from_index 0), else counted from the full-text index through
** fts5vocab (*from_index 1; 0.6 s at 200,000 articles). */
newsidx_status_t termdocs_load(newsidx_db *db, int64_t generation, termdocs_fn fn, void *ctx,
                               int *from_index, newsidx_error *err);

/* Writes the table from the words of `known` (those with a positive count) and marks it as
** describing `generation`, inside the caller's transaction. */
newsidx_status_t termdocs_write(newsidx_db *db, const termset *known, int64_t generation,
                                newsidx_error *err);

/* Called with each term FTS5 indexes (n_term bytes) and its number of articles, as fts5vocab
** counts them; returns NEWSIDX_OK, or an error (set in err) that stops the walk. */
typedef newsidx_status_t (*termdocs_indexed_fn)(void *ctx, const char *term, int n_term,
                                                int64_t n_docs, newsidx_error *err);

/* Calls fn for every term of the full-text index, inside the caller's transaction: the one
** place that asks FTS5 for its own counts (loading a stale table, rebuilding, newsidx_check()).
** Fails with what fn returned, or SQLite's errors (NEWSIDX_CORRUPT for a damaged index). */
newsidx_status_t termdocs_each_indexed(newsidx_db *db, termdocs_indexed_fn fn, void *ctx,
                                       newsidx_error *err);

/* Writes to *n the number of words the table holds a count for, or -1 when it is behind the
** index (for newsidx_check()). */
newsidx_status_t termdocs_n_stored(newsidx_db *db, int64_t *n, newsidx_error *err);

/* Writes to *n_docs the stored count of the word whose hash is `hash` (0 when the table has
** none), or -1 when the table is behind the index. newsidx_term_docs() (ledger.c, which knows
** whether this connection's transaction changed the index) reads through it. */
newsidx_status_t termdocs_stored_count(newsidx_db *db, uint64_t hash, int64_t *n_docs,
                                       newsidx_error *err);

/* Counts every word again from the full-text index and writes the table for the current
** generation, inside the caller's transaction: the schema migration and newsidx_optimize().
** A writer's ledger loaded before must be forgotten (ledger_forget()). */
newsidx_status_t termdocs_rebuild(newsidx_db *db, newsidx_error *err);

#endif
