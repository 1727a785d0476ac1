/*
** optimize.c — merging the full-text index and tidying the file after large changes.
*/
#include "db_internal.h"
#include "docinfo.h"
#include "ledger.h"
#include "termdocs.h"

newsidx_status_t newsidx_optimize(newsidx_db *db, int flags, newsidx_error *err) {
  /* FTS5 keeps what each batch adds as a new segment and merges them gradually; 'optimize'
  ** merges them all into one, which makes queries read less. One transaction: a crash
  ** leaves the index as it was. */
  newsidx_status_t status = newsidx_begin(db, err);
  if (status == NEWSIDX_OK)
    status = newsidx_exec(db, "INSERT INTO articles_fts(articles_fts) VALUES('optimize')",
                          "merging the full-text index", err);
  /* The document facts are copies: rebuilding them mends any that drifted (newsidx check). */
  if (status == NEWSIDX_OK) status = docinfo_rebuild(db, err);
  if (status == NEWSIDX_OK) status = termdocs_rebuild(db, err);
  ledger_forget(db); /* its counts are loaded again from the table */
  if (status == NEWSIDX_OK)
    status = newsidx_commit(db, err);
  else
    newsidx_rollback(db);
  if (status == NEWSIDX_OK)
    status = newsidx_exec(db, "PRAGMA optimize", "updating the query planner's statistics", err);
  if (status == NEWSIDX_OK && (flags & NEWSIDX_OPTIMIZE_VACUUM))
    status = newsidx_exec(db, "VACUUM", "vacuuming", err);
  /* Copy the write-ahead log into the database and truncate it. A reader still using the log
  ** keeps it (the checkpoint then returns busy in its result row, not as an error). */
  if (status == NEWSIDX_OK)
    status = newsidx_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing", err);
  return status;
}

newsidx_status_t newsidx_release_free_pages(newsidx_db *db, int64_t min_pages, newsidx_error *err) {
  int64_t auto_vacuum = 0, free_pages = 0;
  newsidx_status_t status = newsidx_query_int64(db, "PRAGMA auto_vacuum", &auto_vacuum, err);
  if (status == NEWSIDX_OK && auto_vacuum == 2) /* incremental */
    status = newsidx_query_int64(db, "PRAGMA freelist_count", &free_pages, err);
  if (status != NEWSIDX_OK || auto_vacuum != 2 || free_pages < min_pages) return status;
  /* One transaction of its own: it moves pages from the end of the file into the free ones
  ** and truncates; a crash leaves the file as it was. */
  status = newsidx_begin(db, err);
  sqlite3_stmt *stmt = NULL;
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(db, "PRAGMA incremental_vacuum", &stmt, "releasing free pages", err);
  int rc = SQLITE_ROW;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
    ;
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "releasing free pages");
  sqlite3_finalize(stmt);
  if (status == NEWSIDX_OK) return newsidx_commit(db, err);
  newsidx_rollback(db);
  return status;
}
