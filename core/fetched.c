/*
** fetched.c — what the last fetch of each URL left (table fetched). See newsidx.h.
*/
#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

#define FETCHED_COLUMNS                                                                            \
  "url, etag, last_modified, fetched_at, http_status, final_url, redirects, items, error"

static const char sql_get[] = "SELECT " FETCHED_COLUMNS " FROM fetched WHERE url = ?1";
static const char sql_put[] = "INSERT OR REPLACE INTO fetched(" FETCHED_COLUMNS ")"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_list[] = "SELECT " FETCHED_COLUMNS " FROM fetched ORDER BY url";

/* The text columns of a row of `fetched`, in FETCHED_COLUMNS order (-1: not text). */
static const int text_columns[] = {0, 1, 2, 3, -1, 5, -1, -1, 8};
#define N_COLUMNS ((int)(sizeof text_columns / sizeof text_columns[0]))

/* Points the strings of *out at the row's (valid until the statement moves on). */
static void read_row(sqlite3_stmt *stmt, newsidx_fetch_state *out) {
  *out = (newsidx_fetch_state){(const char *)sqlite3_column_text(stmt, 0),
                               (const char *)sqlite3_column_text(stmt, 1),
                               (const char *)sqlite3_column_text(stmt, 2),
                               (const char *)sqlite3_column_text(stmt, 3),
                               sqlite3_column_int(stmt, 4),
                               (const char *)sqlite3_column_text(stmt, 5),
                               sqlite3_column_int(stmt, 6),
                               sqlite3_column_int64(stmt, 7),
                               (const char *)sqlite3_column_text(stmt, 8)};
}

/* Copies the row's strings into one allocation, *owned, and points *out at the copies. */
static int copy_row(sqlite3_stmt *stmt, newsidx_fetch_state *out, char **owned) {
  read_row(stmt, out); /* the text first, then its length (sqlite3_column_bytes()) */
  size_t n = 0;
  for (int i = 0; i < N_COLUMNS; i++)
    if (text_columns[i] >= 0) n += (size_t)sqlite3_column_bytes(stmt, i) + 1;
  char *buf = malloc(n ? n : 1), *at = buf;
  if (!buf) return 0;
  const char **fields[] = {
      &out->url, &out->etag, &out->last_modified, &out->fetched_at, NULL, &out->final_url,
      NULL,      NULL,       &out->error};
  for (int i = 0; i < N_COLUMNS; i++) {
    if (text_columns[i] < 0 || !*fields[i]) continue;
    size_t len = (size_t)sqlite3_column_bytes(stmt, i);
    memcpy(at, *fields[i], len + 1);
    *fields[i] = at;
    at += len + 1;
  }
  *owned = buf;
  return 1;
}

newsidx_status_t newsidx_fetch_state_get(newsidx_db *db, const char *url, newsidx_fetch_state *out,
                                         char **owned, newsidx_error *err) {
  *owned = NULL;
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_get, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_text(stmt, 1, url, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && !copy_row(stmt, out, owned))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  else if (rc == SQLITE_DONE)
    status = NEWSIDX_NOT_FOUND;
  else if (rc != SQLITE_ROW)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "reading a fetched URL's state");
  sqlite3_reset(stmt);
  return status;
}

newsidx_status_t newsidx_fetch_state_put(newsidx_db *db, const newsidx_fetch_state *in,
                                         newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_put, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  char now[NEWSIDX_DATE_MAX];
  newsidx_now_iso(now);
  sqlite3_bind_text(stmt, 1, in->url, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, in->etag, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, in->last_modified, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_int(stmt, 5, in->http_status);
  sqlite3_bind_text(stmt, 6, in->final_url, -1, SQLITE_STATIC);
  sqlite3_bind_int(stmt, 7, in->redirects);
  sqlite3_bind_int64(stmt, 8, in->items);
  sqlite3_bind_text(stmt, 9, in->error, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "recording a fetched URL's state");
  sqlite3_reset(stmt);
  return status;
}

newsidx_status_t newsidx_fetch_state_list(newsidx_db *db, newsidx_fetch_state_fn each, void *ctx,
                                          newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_prepare(db, sql_list, &stmt, "listing fetched URLs", err);
  if (status != NEWSIDX_OK) return status;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    newsidx_fetch_state state;
    read_row(stmt, &state);
    if (each(ctx, &state)) {
      rc = SQLITE_DONE;
      break;
    }
  }
  if (rc != SQLITE_DONE) status = newsidx_error_sqlite(err, db->sqlite, rc, "listing fetched URLs");
  sqlite3_finalize(stmt);
  return status;
}
