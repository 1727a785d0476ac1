/*
** docinfo.h — document facts, the writer's side (internal to core/; readers use
** newsidx_docinfo_get() in newsidx.h).
**
** For every article id the table `docinfo` keeps what a search needs of it without reading
** its row: its date as a sortable number (`when`, see newsidx.h) and its length in tokens as
** FTS5 counts it (the sum of its %_docsize columns). Ids not in the full-text index (gone,
** duplicates) hold NEWSIDX_WHEN_ABSENT and 0 tokens.
**
** Layout: docinfo(chunk INTEGER PRIMARY KEY, data BLOB NOT NULL). Chunk c holds the ids
** [c * 1344, c * 1344 + 1344): first their 1,344 `when` values (int64, little-endian), then
** their 1,344 token counts (uint32, little-endian), 16,128 bytes in all: as many ids as one
** row of a 16 KiB page holds (schema version 12; chunks of 1,024 left a quarter of each page
** empty).
**
** The writer (store.c) notes each change of the full-text index and of an original's date
** while it happens; the changed chunks are kept in memory and written by newsidx_commit()
** just before COMMIT, so that they commit with the articles (docinfo takes part in the
** transactions, db_internal.h), and forgotten by newsidx_rollback(); newsidx_db_close() frees
** them and the readers' copy.
** Outside a transaction, store.c runs each store or delete in a transaction of its own.
*/
#ifndef NEWSIDX_DOCINFO_H
#define NEWSIDX_DOCINFO_H

#include "newsidx.h"

#define DOCINFO_CHUNK_IDS 1344
#define DOCINFO_MAX_ID    ((int64_t)1 << 31) /* ids at or above are not recorded */

/* Article `id` was just inserted into articles_fts: records its token count, `n_tokens` when
** the caller knows it (the tokens it replayed), else (-1) read from FTS5's %_docsize row, and
** its date (a stored date or NULL). */
newsidx_status_t docinfo_note_indexed(newsidx_db *db, int64_t id, const char *date,
                                      int64_t n_tokens, newsidx_error *err);

/* Article `id` left the full-text index (deleted, or retired for a new text). */
newsidx_status_t docinfo_note_absent(newsidx_db *db, int64_t id, newsidx_error *err);

/* The date of article `id` changed; nothing happens unless it is in the full-text index. */
newsidx_status_t docinfo_note_date(newsidx_db *db, int64_t id, const char *date,
                                   newsidx_error *err);

/* Fills the table from scratch, from articles_fts's %_docsize and articles.date, inside the
** caller's transaction: the schema migration, and newsidx_optimize(). */
newsidx_status_t docinfo_rebuild(newsidx_db *db, newsidx_error *err);

/* Loads the table into a new *out (docinfo_free() it), without the order arrays; for
** newsidx_check(), which compares it with the full-text index. */
newsidx_status_t docinfo_load(newsidx_db *db, newsidx_docinfo **out, newsidx_error *err);
void docinfo_free(newsidx_docinfo *info);

/* The length in tokens of a %_docsize row's blob (the sum of its columns), or -1 when it is
** malformed. */
int64_t docinfo_docsize_total(const void *sz, int n_bytes);

#endif
