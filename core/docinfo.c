/*
** docinfo.c — document facts: the writer keeps them per chunk of ids, readers load them whole.
** See docinfo.h for the layout and the writer's contract, newsidx.h for the readers'.
*/
#include "docinfo.h"
#include "db_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES (DOCINFO_CHUNK_IDS * (8 + 4))

/* One chunk being changed by the current transaction. */
typedef struct pending_chunk {
  int64_t chunk;
  int64_t when[DOCINFO_CHUNK_IDS];
  uint32_t n_tokens[DOCINFO_CHUNK_IDS];
} pending_chunk;

/* The allocation behind a newsidx_docinfo: the public view first. */
typedef struct loaded_docinfo {
  newsidx_docinfo view;
  int64_t *when;
  uint32_t *n_tokens;
  int64_t *newest_upto;
  int64_t *oldest_from;
} loaded_docinfo;

struct newsidx_docinfo_state {
  pending_chunk **pending; /* few: a batch of articles touches a few chunks */
  int n_pending, cap_pending;
  loaded_docinfo *cache; /* the readers' copy, or NULL */
  int64_t cache_version; /* PRAGMA data_version when it was loaded */
  int wrote;             /* this handle changed the table since: the copy is stale */
};

/* ---- the chunk format -------------------------------------------------------------------- */

static void encode_chunk(const pending_chunk *c, unsigned char *out) {
  for (int i = 0; i < DOCINFO_CHUNK_IDS; i++) {
    uint64_t w = (uint64_t)c->when[i];
    for (int k = 0; k < 8; k++)
      out[i * 8 + k] = (unsigned char)(w >> (8 * k));
    uint32_t n = c->n_tokens[i];
    for (int k = 0; k < 4; k++)
      out[DOCINFO_CHUNK_IDS * 8 + i * 4 + k] = (unsigned char)(n >> (8 * k));
  }
}

/* Decodes a chunk's blob into when[] and n_tokens[] (DOCINFO_CHUNK_IDS each). */
static void decode_chunk(const unsigned char *data, int64_t *when, uint32_t *n_tokens) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(when, data, DOCINFO_CHUNK_IDS * 8);
  memcpy(n_tokens, data + DOCINFO_CHUNK_IDS * 8, DOCINFO_CHUNK_IDS * 4);
#else
  for (int i = 0; i < DOCINFO_CHUNK_IDS; i++) {
    uint64_t w = 0;
    uint32_t n = 0;
    for (int k = 7; k >= 0; k--)
      w = (w << 8) | data[i * 8 + k];
    for (int k = 3; k >= 0; k--)
      n = (n << 8) | data[DOCINFO_CHUNK_IDS * 8 + i * 4 + k];
    when[i] = (int64_t)w;
    n_tokens[i] = n;
  }
#endif
}

static void fill_absent(int64_t *when, uint32_t *n_tokens, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    when[i] = NEWSIDX_WHEN_ABSENT;
    n_tokens[i] = 0;
  }
}

/* ---- the writer -------------------------------------------------------------------------- */

/* docinfo's part in the transactions (db_internal.h, NOTES ON TRANSACTIONS): the chunks changed
** go in just before COMMIT, and are forgotten on ROLLBACK. */
static newsidx_status_t docinfo_flush(newsidx_db *db, newsidx_error *err);
static void docinfo_forget(newsidx_db *db);
static void docinfo_close(newsidx_db *db);
static const newsidx_participant docinfo_participant = {"docinfo", docinfo_flush, docinfo_forget,
                                                        NULL,      NULL,          docinfo_close};

/* The handle's state, made (and joined to the transactions) on first use; NULL when out of
** memory. */
static struct newsidx_docinfo_state *state_of(newsidx_db *db) {
  if (db->docinfo) return db->docinfo;
  struct newsidx_docinfo_state *st = calloc(1, sizeof *st);
  if (st && newsidx_join(db, &docinfo_participant) != 0) {
    free(st);
    st = NULL;
  }
  return db->docinfo = st;
}

static const char sql_read_chunk[] = "SELECT data FROM docinfo WHERE chunk = ?1";
static const char sql_write_chunk[] = "INSERT OR REPLACE INTO docinfo(chunk, data) VALUES(?1, ?2)";
static const char sql_docsize[] = "SELECT sz FROM articles_fts_docsize WHERE id = ?1";

/* Writes to *out the pending chunk that holds `id`, reading it from the table the first
** time the transaction touches it. */
static newsidx_status_t chunk_of(newsidx_db *db, int64_t id, pending_chunk **out,
                                 newsidx_error *err) {
  struct newsidx_docinfo_state *st = state_of(db);
  if (!st) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  int64_t chunk = id / DOCINFO_CHUNK_IDS;
  for (int i = st->n_pending - 1; i >= 0; i--)
    if (st->pending[i]->chunk == chunk) {
      *out = st->pending[i];
      return NEWSIDX_OK;
    }
  if (st->n_pending == st->cap_pending) {
    int cap = st->cap_pending ? st->cap_pending * 2 : 8;
    pending_chunk **grown = realloc(st->pending, (size_t)cap * sizeof *grown);
    if (!grown) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    st->pending = grown;
    st->cap_pending = cap;
  }
  pending_chunk *c = malloc(sizeof *c);
  if (!c) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  c->chunk = chunk;
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_read_chunk, &stmt, err);
  if (status != NEWSIDX_OK) {
    free(c);
    return status;
  }
  sqlite3_bind_int64(stmt, 1, chunk);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == CHUNK_BYTES)
    decode_chunk(sqlite3_column_blob(stmt, 0), c->when, c->n_tokens);
  else
    fill_absent(c->when, c->n_tokens, DOCINFO_CHUNK_IDS);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    free(c);
    return newsidx_error_sqlite(err, db->sqlite, rc, "reading the document facts");
  }
  st->pending[st->n_pending++] = c;
  *out = c;
  return NEWSIDX_OK;
}

/* Decodes the SQLite varint at p (n bytes available) into *v; returns its length, 0 when the
** bytes end first. FTS5's %_docsize rows are one varint per column. */
static int get_varint(const unsigned char *p, int n, uint64_t *v) {
  uint64_t x = 0;
  for (int i = 0; i < n && i < 9; i++) {
    if (i == 8) {
      *v = (x << 8) | p[i];
      return 9;
    }
    x = (x << 7) | (p[i] & 0x7f);
    if (!(p[i] & 0x80)) {
      *v = x;
      return i + 1;
    }
  }
  return 0;
}

int64_t docinfo_docsize_total(const void *blob, int n) {
  const unsigned char *sz = blob;
  int64_t total = 0;
  while (n > 0) {
    uint64_t v;
    int used = get_varint(sz, n, &v);
    if (!used || v > UINT32_MAX) return -1;
    total += (int64_t)v;
    sz += used;
    n -= used;
  }
  return total > UINT32_MAX ? -1 : total;
}

/* The length in tokens FTS5 recorded for article `id`, or -1 when it has none. */
static newsidx_status_t read_docsize(newsidx_db *db, int64_t id, int64_t *total,
                                     newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_docsize, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  *total = rc == SQLITE_ROW
               ? docinfo_docsize_total(sqlite3_column_blob(stmt, 0), sqlite3_column_bytes(stmt, 0))
               : -1;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return newsidx_error_sqlite(err, db->sqlite, rc, "reading a document's length");
  return NEWSIDX_OK;
}

newsidx_status_t docinfo_note_indexed(newsidx_db *db, int64_t id, const char *date,
                                      int64_t n_tokens, newsidx_error *err) {
  if (id < 0 || id >= DOCINFO_MAX_ID) return NEWSIDX_OK; /* readers see the totals differ */
  int64_t total = n_tokens;
  newsidx_status_t status = total < 0 ? read_docsize(db, id, &total, err) : NEWSIDX_OK;
  if (status != NEWSIDX_OK) return status;
  if (total < 0)
    return newsidx_error_set(err, NEWSIDX_CORRUPT,
                             "article %lld: the full-text index has no length for it",
                             (long long)id);
  pending_chunk *c;
  status = chunk_of(db, id, &c, err);
  if (status != NEWSIDX_OK) return status;
  c->when[id % DOCINFO_CHUNK_IDS] = newsidx_when(date);
  c->n_tokens[id % DOCINFO_CHUNK_IDS] = (uint32_t)total;
  return NEWSIDX_OK;
}

newsidx_status_t docinfo_note_absent(newsidx_db *db, int64_t id, newsidx_error *err) {
  if (id < 0 || id >= DOCINFO_MAX_ID) return NEWSIDX_OK;
  pending_chunk *c;
  newsidx_status_t status = chunk_of(db, id, &c, err);
  if (status != NEWSIDX_OK) return status;
  c->when[id % DOCINFO_CHUNK_IDS] = NEWSIDX_WHEN_ABSENT;
  c->n_tokens[id % DOCINFO_CHUNK_IDS] = 0;
  return NEWSIDX_OK;
}

newsidx_status_t docinfo_note_date(newsidx_db *db, int64_t id, const char *date,
                                   newsidx_error *err) {
  if (id < 0 || id >= DOCINFO_MAX_ID) return NEWSIDX_OK;
  pending_chunk *c;
  newsidx_status_t status = chunk_of(db, id, &c, err);
  if (status != NEWSIDX_OK) return status;
  if (c->when[id % DOCINFO_CHUNK_IDS] != NEWSIDX_WHEN_ABSENT)
    c->when[id % DOCINFO_CHUNK_IDS] = newsidx_when(date);
  return NEWSIDX_OK;
}

static void free_pending(struct newsidx_docinfo_state *st) {
  for (int i = 0; i < st->n_pending; i++)
    free(st->pending[i]);
  st->n_pending = 0;
}

/* Writes one chunk's blob. */
static newsidx_status_t write_chunk(newsidx_db *db, const pending_chunk *c, newsidx_error *err) {
  unsigned char data[CHUNK_BYTES];
  encode_chunk(c, data);
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_write_chunk, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, c->chunk);
  sqlite3_bind_blob(stmt, 2, data, CHUNK_BYTES, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return newsidx_error_sqlite(err, db->sqlite, rc, "writing the document facts");
  return NEWSIDX_OK;
}

static newsidx_status_t docinfo_flush(newsidx_db *db, newsidx_error *err) {
  struct newsidx_docinfo_state *st = db->docinfo;
  if (!st || st->n_pending == 0) return NEWSIDX_OK;
  assert(!sqlite3_get_autocommit(db->sqlite)); /* inside the caller's transaction */
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; i < st->n_pending && status == NEWSIDX_OK; i++)
    status = write_chunk(db, st->pending[i], err);
  free_pending(st);
  st->wrote = 1;
  return status;
}

static void docinfo_forget(newsidx_db *db) {
  struct newsidx_docinfo_state *st = db->docinfo;
  if (!st) return;
  free_pending(st);
  st->wrote = 1; /* a copy loaded inside the transaction saw what is now rolled back */
}

newsidx_status_t docinfo_rebuild(newsidx_db *db, newsidx_error *err) {
  struct newsidx_docinfo_state *st = state_of(db);
  if (!st) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  free_pending(st);
  st->wrote = 1;
  newsidx_status_t status = newsidx_exec(db, "DELETE FROM docinfo", "clearing the facts", err);
  sqlite3_stmt *stmt = NULL;
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(db,
                             "SELECT d.id, a.date, d.sz FROM articles_fts_docsize d"
                             " LEFT JOIN articles a ON a.id = d.id ORDER BY d.id",
                             &stmt, "reading the document lengths", err);
  pending_chunk *c = status == NEWSIDX_OK ? malloc(sizeof *c) : NULL;
  if (status == NEWSIDX_OK && !c) status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (c) {
    c->chunk = -1;
    fill_absent(c->when, c->n_tokens, DOCINFO_CHUNK_IDS);
  }
  int rc = SQLITE_DONE;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(stmt, 0);
    if (id < 0 || id >= DOCINFO_MAX_ID) continue;
    int64_t total =
        docinfo_docsize_total(sqlite3_column_blob(stmt, 2), sqlite3_column_bytes(stmt, 2));
    if (total < 0) {
      status = newsidx_error_set(err, NEWSIDX_CORRUPT,
                                 "article %lld: the full-text index has a damaged length",
                                 (long long)id);
      break;
    }
    if (id / DOCINFO_CHUNK_IDS != c->chunk) {
      if (c->chunk >= 0) status = write_chunk(db, c, err);
      c->chunk = id / DOCINFO_CHUNK_IDS;
      fill_absent(c->when, c->n_tokens, DOCINFO_CHUNK_IDS);
    }
    c->when[id % DOCINFO_CHUNK_IDS] = newsidx_when((const char *)sqlite3_column_text(stmt, 1));
    c->n_tokens[id % DOCINFO_CHUNK_IDS] = (uint32_t)total;
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "reading the document lengths");
  if (status == NEWSIDX_OK && c->chunk >= 0) status = write_chunk(db, c, err);
  free(c);
  sqlite3_finalize(stmt);
  return status;
}

/* ---- readers ----------------------------------------------------------------------------- */

void docinfo_free(newsidx_docinfo *info) {
  loaded_docinfo *d = (loaded_docinfo *)info;
  if (!d) return;
  free(d->when);
  free(d->n_tokens);
  free(d->newest_upto);
  free(d->oldest_from);
  free(d);
}

newsidx_status_t docinfo_load(newsidx_db *db, newsidx_docinfo **out, newsidx_error *err) {
  *out = NULL;
  int64_t max_chunk = -1;
  sqlite3_stmt *stmt = NULL;
  newsidx_status_t status = newsidx_prepare(db, "SELECT coalesce(max(chunk), -1) FROM docinfo",
                                            &stmt, "reading the document facts", err);
  int rc = status == NEWSIDX_OK ? sqlite3_step(stmt) : SQLITE_OK;
  if (rc == SQLITE_ROW) max_chunk = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  stmt = NULL;
  if (status != NEWSIDX_OK) return status;
  if (rc != SQLITE_ROW)
    return newsidx_error_sqlite(err, db->sqlite, rc, "reading the document facts");
  if (max_chunk > (DOCINFO_MAX_ID - 1) / DOCINFO_CHUNK_IDS) /* the chunk of the last id kept */
    return newsidx_error_set(err, NEWSIDX_CORRUPT,
                             "%s: the document facts are damaged (chunk %lld)", db->path,
                             (long long)max_chunk);

  loaded_docinfo *d = calloc(1, sizeof *d);
  int64_t n = (max_chunk + 1) * DOCINFO_CHUNK_IDS;
  if (d) {
    d->when = malloc((size_t)(n > 0 ? n : 1) * sizeof *d->when);
    d->n_tokens = malloc((size_t)(n > 0 ? n : 1) * sizeof *d->n_tokens);
  }
  if (!d || !d->when || !d->n_tokens) {
    docinfo_free((newsidx_docinfo *)d);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  status = newsidx_prepare(db, "SELECT chunk, data FROM docinfo ORDER BY chunk", &stmt,
                           "reading the document facts", err);
  int64_t next = 0; /* the first chunk not filled yet */
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int64_t chunk = sqlite3_column_int64(stmt, 0);
    const unsigned char *data = sqlite3_column_blob(stmt, 1);
    if (chunk < next || chunk > max_chunk || sqlite3_column_bytes(stmt, 1) != CHUNK_BYTES) {
      status =
          newsidx_error_set(err, NEWSIDX_CORRUPT, "%s: the document facts are damaged (chunk %lld)",
                            db->path, (long long)chunk);
      break;
    }
    fill_absent(d->when + next * DOCINFO_CHUNK_IDS, d->n_tokens + next * DOCINFO_CHUNK_IDS,
                (chunk - next) * DOCINFO_CHUNK_IDS);
    decode_chunk(data, d->when + chunk * DOCINFO_CHUNK_IDS,
                 d->n_tokens + chunk * DOCINFO_CHUNK_IDS);
    next = chunk + 1;
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "reading the document facts");
  sqlite3_finalize(stmt);
  if (status != NEWSIDX_OK) {
    docinfo_free((newsidx_docinfo *)d);
    return status;
  }
  fill_absent(d->when + next * DOCINFO_CHUNK_IDS, d->n_tokens + next * DOCINFO_CHUNK_IDS,
              n - next * DOCINFO_CHUNK_IDS);
  /* Two plain loops, which compilers vectorize: this runs in every newsq process. */
  int64_t n_indexed = 0, total = 0;
  for (int64_t i = 0; i < n; i++)
    n_indexed += d->when[i] != NEWSIDX_WHEN_ABSENT;
  for (int64_t i = 0; i < n; i++)
    total += d->n_tokens[i];
  d->view = (newsidx_docinfo){n, d->when, d->n_tokens, n_indexed, total, NULL, NULL};
  *out = &d->view;
  return NEWSIDX_OK;
}

/* Computes the order arrays of a loaded copy. */
static newsidx_status_t compute_order(loaded_docinfo *d, newsidx_error *err) {
  int64_t n = d->view.n_ids;
  d->newest_upto = malloc((size_t)(n > 0 ? n : 1) * sizeof *d->newest_upto);
  d->oldest_from = malloc((size_t)(n > 0 ? n : 1) * sizeof *d->oldest_from);
  if (!d->newest_upto || !d->oldest_from) {
    free(d->newest_upto);
    free(d->oldest_from);
    d->newest_upto = d->oldest_from = NULL;
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  int64_t newest = NEWSIDX_WHEN_ABSENT;
  for (int64_t i = 0; i < n; i++) {
    if (d->when[i] > newest) newest = d->when[i];
    d->newest_upto[i] = newest;
  }
  int64_t oldest = INT64_MAX;
  for (int64_t i = n - 1; i >= 0; i--) {
    if (d->when[i] > NEWSIDX_WHEN_UNDATED && d->when[i] < oldest) oldest = d->when[i];
    d->oldest_from[i] = oldest;
  }
  d->view.newest_upto = d->newest_upto;
  d->view.oldest_from = d->oldest_from;
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_docinfo_get(newsidx_db *db, int flags, const newsidx_docinfo **out,
                                     newsidx_error *err) {
  *out = NULL;
  struct newsidx_docinfo_state *st = state_of(db);
  if (!st) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  /* Inside this handle's own write transaction, the facts of what it wrote so far go into the
  ** table first, so that the copy matches what its statements see. */
  newsidx_status_t status = NEWSIDX_OK;
  if (st->n_pending && !sqlite3_get_autocommit(db->sqlite)) status = docinfo_flush(db, err);
  sqlite3_stmt *stmt;
  if (status == NEWSIDX_OK) status = newsidx_statement(db, "PRAGMA data_version", &stmt, err);
  if (status != NEWSIDX_OK) return status;
  int rc = sqlite3_step(stmt);
  int64_t version = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW) return newsidx_error_sqlite(err, db->sqlite, rc, "reading data_version");

  if (!st->cache || st->wrote || version != st->cache_version) {
    docinfo_free((newsidx_docinfo *)st->cache);
    st->cache = NULL;
    newsidx_docinfo *loaded;
    status = docinfo_load(db, &loaded, err);
    if (status != NEWSIDX_OK) return status;
    st->cache = (loaded_docinfo *)loaded;
    st->cache_version = version;
    st->wrote = 0;
  }
  if ((flags & NEWSIDX_DOCINFO_ORDER) && !st->cache->newest_upto) {
    status = compute_order(st->cache, err);
    if (status != NEWSIDX_OK) return status;
  }
  *out = &st->cache->view;
  return NEWSIDX_OK;
}

static void docinfo_close(newsidx_db *db) {
  struct newsidx_docinfo_state *st = db->docinfo;
  if (!st) return;
  free_pending(st);
  free(st->pending);
  docinfo_free((newsidx_docinfo *)st->cache);
  free(st);
  db->docinfo = NULL;
}
