/*
** rebuild.c — making the full-text index again from the stored text, with the tokenizer of
** this newsidx (`newsidx rebuild`), for an index an older tokenizer made. See newsidx.h.
*/
#include "db_internal.h"
#include "docinfo.h"
#include "ledger.h"
#include "termdocs.h"

#include <stdio.h>

/* Articles per INSERT: small enough that progress moves every fraction of a second. */
#define REBUILD_CHUNK 1000

static const char sql_chunk_end[] =
    "SELECT max(id) FROM (SELECT id FROM articles_text WHERE id > ?1 ORDER BY id LIMIT ?2)";
static const char sql_chunk_insert[] = "INSERT INTO articles_fts(rowid, title, body)"
                                       " SELECT id, title, body FROM articles_text"
                                       " WHERE id > ?1 AND id <= ?2 ORDER BY id";

int newsidx_db_needs_rebuild(newsidx_db *db) {
  return db->tokenizer_version < NEWSIDX_TOKENIZER_VERSION;
}

/* The last id of the chunk after `after` into *end (-1 when no article is left). */
static newsidx_status_t chunk_end(newsidx_db *db, int64_t after, int64_t *end, newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_chunk_end, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, after);
  sqlite3_bind_int(stmt, 2, REBUILD_CHUNK);
  int rc = sqlite3_step(stmt);
  *end = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL
             ? sqlite3_column_int64(stmt, 0)
             : -1;
  sqlite3_reset(stmt);
  return rc == SQLITE_ROW ? NEWSIDX_OK : newsidx_error_sqlite(err, db->sqlite, rc, "rebuilding");
}

/* Indexes the originals with ids in (after, end]. */
static newsidx_status_t index_chunk(newsidx_db *db, int64_t after, int64_t end,
                                    newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_chunk_insert, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, after);
  sqlite3_bind_int64(stmt, 2, end);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return rc == SQLITE_DONE ? NEWSIDX_OK
                           : newsidx_error_sqlite(err, db->sqlite, rc, "indexing text again");
}

static newsidx_status_t index_all(newsidx_db *db, newsidx_rebuild_fn progress, void *ctx,
                                  newsidx_error *err) {
  int64_t total = 0, done = 0, after = -1, end = -1;
  newsidx_status_t status =
      newsidx_query_int64(db, "SELECT count(*) FROM articles_text", &total, err);
  /* external content: 'delete-all' empties the index without reading the old text */
  if (status == NEWSIDX_OK)
    status = newsidx_exec(db, "INSERT INTO articles_fts(articles_fts) VALUES('delete-all')",
                          "emptying the full-text index", err);
  if (status == NEWSIDX_OK) status = chunk_end(db, after, &end, err);
  while (status == NEWSIDX_OK && end >= 0) {
    status = index_chunk(db, after, end, err);
    done += REBUILD_CHUNK;
    if (status == NEWSIDX_OK && progress) progress(ctx, done < total ? done : total, total);
    after = end;
    if (status == NEWSIDX_OK) status = chunk_end(db, after, &end, err);
  }
  return status;
}

newsidx_status_t newsidx_rebuild(newsidx_db *db, newsidx_rebuild_fn progress, void *ctx,
                                 newsidx_error *err) {
  /* One transaction: interrupted, the index stays as it was, old tokens and all. */
  newsidx_status_t status = newsidx_begin(db, err);
  if (status == NEWSIDX_OK) status = index_all(db, progress, ctx, err);
  /* what is derived from the full-text index follows it */
  if (status == NEWSIDX_OK) status = docinfo_rebuild(db, err);
  if (status == NEWSIDX_OK) status = termdocs_rebuild(db, err);
  ledger_forget(db);
  if (status == NEWSIDX_OK) {
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT INTO meta(key, value) VALUES('tokenizer_version', '%d')"
             " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
             NEWSIDX_TOKENIZER_VERSION);
    status = newsidx_exec(db, sql, "recording the tokenizer version", err);
  }
  if (status == NEWSIDX_OK)
    status = newsidx_commit(db, err);
  else
    newsidx_rollback(db);
  if (status == NEWSIDX_OK) db->tokenizer_version = NEWSIDX_TOKENIZER_VERSION;
  return status;
}
