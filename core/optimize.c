/*
** optimize.c — merging the full-text index and tidying the file after large changes.
*/
#include "db_internal.h"
#include "docinfo.h"

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
