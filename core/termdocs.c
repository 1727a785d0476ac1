/*
** termdocs.c — the stored counts of articles per word. See termdocs.h.
*/
#include "termdocs.h"
#include "db_internal.h"
#include "ledger.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY_MAX 18 /* bytes of one entry at most: the key, a varint of up to 10 bytes */

static const char sql_generation[] =
    "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_generation'), 0)";
static const char sql_stored_generation[] =
    "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta"
    " WHERE key = 'term_docs_generation'), -1)";

/* ---- entries ------------------------------------------------------------------------------ */

static size_t put_entry(unsigned char *out, uint64_t hash, uint64_t n_docs) {
  for (int i = 0; i < 8; i++)
    out[i] = (unsigned char)(hash >> (8 * i));
  size_t n = 8;
  do {
    out[n++] = (unsigned char)((n_docs & 0x7f) | (n_docs > 0x7f ? 0x80 : 0));
    n_docs >>= 7;
  } while (n_docs);
  return n;
}

/* Calls fn for each entry of a bucket's blob. Returns -1 when the blob is malformed, else what
** fn returned last (nonzero stops the walk). */
static int walk_bucket(const unsigned char *p, size_t n, termdocs_fn fn, void *ctx) {
  if (!p) return 0; /* an empty blob reads as NULL */
  const unsigned char *end = p + n;
  while (p < end) {
    if (end - p < 9) return -1;
    uint64_t hash = 0, n_docs = 0;
    for (int i = 0; i < 8; i++)
      hash |= (uint64_t)p[i] << (8 * i);
    p += 8;
    for (int shift = 0;; shift += 7) {
      if (p == end || shift > 63) return -1;
      n_docs |= (uint64_t)(*p & 0x7f) << shift;
      if (!(*p++ & 0x80)) break;
    }
    int rc = fn(ctx, hash, (int64_t)n_docs);
    if (rc) return rc;
  }
  return 0;
}

/* ---- generations --------------------------------------------------------------------------- */

newsidx_status_t termdocs_generation(newsidx_db *db, int64_t *out, newsidx_error *err) {
  return newsidx_query_int64(db, sql_generation, out, err);
}

static newsidx_status_t set_meta(newsidx_db *db, const char *key, int64_t value,
                                 newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status =
      newsidx_statement(db,
                        "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 2, value);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return rc == SQLITE_DONE ? NEWSIDX_OK : newsidx_error_sqlite(err, db->sqlite, rc, key);
}

newsidx_status_t termdocs_set_generation(newsidx_db *db, int64_t generation, newsidx_error *err) {
  return set_meta(db, "fts_generation", generation, err);
}

/* ---- loading ------------------------------------------------------------------------------- */

static newsidx_status_t load_table(newsidx_db *db, termdocs_fn fn, void *ctx, newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status =
      newsidx_prepare(db, "SELECT data FROM term_docs", &stmt, "reading the term counts", err);
  if (status != NEWSIDX_OK) return status;
  int rc = SQLITE_OK;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int walked =
        walk_bucket(sqlite3_column_blob(stmt, 0), (size_t)sqlite3_column_bytes(stmt, 0), fn, ctx);
    if (walked < 0) status = newsidx_error_set(err, NEWSIDX_CORRUPT, "a damaged term_docs row");
    if (walked > 0) status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "reading the term counts");
  sqlite3_finalize(stmt);
  return status;
}

newsidx_status_t termdocs_each_indexed(newsidx_db *db, termdocs_indexed_fn fn, void *ctx,
                                       newsidx_error *err) {
  const char *context = "counting the articles of each term";
  newsidx_status_t status = newsidx_exec(db,
                                         "CREATE VIRTUAL TABLE IF NOT EXISTS temp.newsidx_vocab"
                                         " USING fts5vocab(main, articles_fts, row)",
                                         context, err);
  sqlite3_stmt *stmt = NULL;
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(db, "SELECT term, doc FROM temp.newsidx_vocab", &stmt, context, err);
  if (status != NEWSIDX_OK) return status;
  int rc = SQLITE_OK;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(stmt, 0);
    status = fn(ctx, term ? term : "", sqlite3_column_bytes(stmt, 0), sqlite3_column_int64(stmt, 1),
                err);
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, context);
  sqlite3_finalize(stmt);
  return status;
}

/* termdocs_each_indexed() handing each word's hash and count to a termdocs_fn. */
typedef struct by_hash {
  termdocs_fn fn;
  void *ctx;
} by_hash;

static newsidx_status_t hash_term(void *ctx, const char *term, int n_term, int64_t n_docs,
                                  newsidx_error *err) {
  by_hash *h = ctx;
  if (h->fn(h->ctx, ledger_term_hash(term, (size_t)n_term, LEDGER_WORD), n_docs))
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  return NEWSIDX_OK;
}

static newsidx_status_t count_index(newsidx_db *db, termdocs_fn fn, void *ctx, newsidx_error *err) {
  by_hash h = {fn, ctx};
  return termdocs_each_indexed(db, hash_term, &h, err);
}

newsidx_status_t termdocs_load(newsidx_db *db, int64_t generation, termdocs_fn fn, void *ctx,
                               int *from_index, newsidx_error *err) {
  int64_t stored;
  newsidx_status_t status = newsidx_query_int64(db, sql_stored_generation, &stored, err);
  if (status != NEWSIDX_OK) return status;
  *from_index = stored != generation;
  return *from_index ? count_index(db, fn, ctx, err) : load_table(db, fn, ctx, err);
}

/* ---- writing ------------------------------------------------------------------------------- */

newsidx_status_t termdocs_write(newsidx_db *db, const termdocs_slot *slots, size_t cap,
                                int64_t generation, newsidx_error *err) {
  /* each bucket's room, then the buckets' blobs one after another in one allocation */
  size_t at[TERMDOCS_BUCKETS + 1] = {0}, used[TERMDOCS_BUCKETS] = {0};
  for (size_t i = 0; i < cap; i++)
    if (slots[i].hash && slots[i].n_docs > 0) at[slots[i].hash % TERMDOCS_BUCKETS + 1] += ENTRY_MAX;
  for (int b = 0; b < TERMDOCS_BUCKETS; b++)
    at[b + 1] += at[b];
  unsigned char *blobs = malloc(at[TERMDOCS_BUCKETS] ? at[TERMDOCS_BUCKETS] : 1);
  if (!blobs) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  for (size_t i = 0; i < cap; i++) {
    const termdocs_slot *s = &slots[i];
    if (!s->hash || s->n_docs <= 0) continue;
    size_t b = s->hash % TERMDOCS_BUCKETS;
    used[b] += put_entry(blobs + at[b] + used[b], s->hash, (uint64_t)s->n_docs);
  }
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(
      db, "INSERT OR REPLACE INTO term_docs(bucket, data) VALUES(?1, ?2)", &stmt, err);
  for (int b = 0; status == NEWSIDX_OK && b < TERMDOCS_BUCKETS; b++) {
    sqlite3_bind_int(stmt, 1, b);
    sqlite3_bind_blob(stmt, 2, blobs + at[b], (int)used[b], SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
      status = newsidx_error_sqlite(err, db->sqlite, rc, "writing the term counts");
  }
  free(blobs);
  if (status == NEWSIDX_OK) status = set_meta(db, "term_docs_generation", generation, err);
  return status;
}

/* ---- rebuilding ---------------------------------------------------------------------------- */

typedef struct slot_list {
  termdocs_slot *slots;
  size_t n, cap;
} slot_list;

static int append_slot(void *ctx, uint64_t hash, int64_t n_docs) {
  slot_list *l = ctx;
  if (newsidx_reserve((void **)&l->slots, &l->cap, l->n, 1, sizeof *l->slots) != 0) return 1;
  l->slots[l->n++] = (termdocs_slot){hash, (int32_t)n_docs, 0};
  return 0;
}

newsidx_status_t termdocs_rebuild(newsidx_db *db, newsidx_error *err) {
  int64_t generation;
  slot_list list = {0};
  newsidx_status_t status = termdocs_generation(db, &generation, err);
  if (status == NEWSIDX_OK) status = count_index(db, append_slot, &list, err);
  if (status == NEWSIDX_OK) status = termdocs_set_generation(db, generation, err);
  if (status == NEWSIDX_OK) status = termdocs_write(db, list.slots, list.n, generation, err);
  free(list.slots);
  return status;
}

static int count_entry(void *ctx, uint64_t hash, int64_t n_docs) {
  ++*(int64_t *)ctx;
  return 0;
}

newsidx_status_t termdocs_n_stored(newsidx_db *db, int64_t *n, newsidx_error *err) {
  int64_t generation, stored;
  *n = -1;
  newsidx_status_t status = termdocs_generation(db, &generation, err);
  if (status == NEWSIDX_OK) status = newsidx_query_int64(db, sql_stored_generation, &stored, err);
  if (status != NEWSIDX_OK || stored != generation) return status;
  *n = 0;
  return load_table(db, count_entry, n, err);
}

/* ---- readers ------------------------------------------------------------------------------- */

typedef struct lookup {
  uint64_t hash;
  int64_t n_docs;
} lookup;

static int find_hash(void *ctx, uint64_t hash, int64_t n_docs) {
  lookup *l = ctx;
  if (hash != l->hash) return 0;
  l->n_docs = n_docs;
  return 1;
}

newsidx_status_t newsidx_term_docs(newsidx_db *db, const char *stem, int n_stem, int64_t *n_docs,
                                   newsidx_error *err) {
  *n_docs = -1;
  if (ledger_changed(db)) return NEWSIDX_OK; /* this connection's uncommitted changes */
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(
      db,
      "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_generation'), 0)"
      " = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'term_docs_generation'),"
      " (SELECT data FROM term_docs WHERE bucket = ?1)",
      &stmt, err);
  if (status != NEWSIDX_OK) return status;
  lookup l = {ledger_term_hash(stem, (size_t)n_stem, LEDGER_WORD), 0};
  sqlite3_bind_int(stmt, 1, (int)(l.hash % TERMDOCS_BUCKETS));
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int(stmt, 0)) {
    if (walk_bucket(sqlite3_column_blob(stmt, 1), (size_t)sqlite3_column_bytes(stmt, 1), find_hash,
                    &l) < 0)
      status = newsidx_error_set(err, NEWSIDX_CORRUPT, "%s: a damaged term_docs row", db->path);
    else
      *n_docs = l.n_docs;
  } else if (rc != SQLITE_ROW) {
    status = newsidx_error_sqlite(err, db->sqlite, rc, "reading a term count");
  }
  sqlite3_reset(stmt);
  return status;
}
