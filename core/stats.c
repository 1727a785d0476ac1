/*
** stats.c — what the index holds: counts, dates, sources, terms, bytes on disk.
*/
#include "db_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Adds the size of the file at `path` to *bytes; a missing file adds nothing. */
static newsidx_status_t add_file_size(const char *path, int64_t *bytes, newsidx_error *err) {
  struct stat st;
  if (stat(path, &st) == 0) {
    *bytes += (int64_t)st.st_size;
    return NEWSIDX_OK;
  }
  if (errno == ENOENT) return NEWSIDX_OK;
  return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", path, strerror(errno));
}

newsidx_status_t newsidx_disk_usage(newsidx_db *db, int64_t *db_bytes, int64_t *wal_bytes,
                                    newsidx_error *err) {
  *db_bytes = *wal_bytes = 0;
  const char *file = sqlite3_db_filename(db->sqlite, "main");
  if (!file || !*file) return NEWSIDX_OK; /* in memory */
  char wal[4096];
  snprintf(wal, sizeof wal, "%s-wal", file);
  newsidx_status_t status = add_file_size(file, db_bytes, err);
  if (status == NEWSIDX_OK) status = add_file_size(wal, wal_bytes, err);
  return status;
}

void newsidx_stats_free(newsidx_stats *stats) {
  if (!stats) return;
  for (int i = 0; i < stats->n_top_sources; i++)
    free((char *)stats->top_sources[i].name);
  free(stats->top_sources);
  free((char *)stats->language);
  free((char *)stats->first_date);
  free((char *)stats->last_date);
  free((char *)stats->last_indexed);
  free(stats);
}

/* Copies column i of the current row (NULL stays NULL); returns 0 when out of memory. */
static int copy_text(sqlite3_stmt *stmt, int i, const char **out) {
  const char *text = (const char *)sqlite3_column_text(stmt, i);
  *out = text ? strdup(text) : NULL;
  return !text || *out;
}

/* The counts and dates, from one scan of articles. */
static newsidx_status_t count_articles(newsidx_db *db, newsidx_stats *s, newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_prepare(
      db,
      "SELECT count(*), count(*) FILTER (WHERE dup_of IS NULL), count(*) FILTER (WHERE date IS"
      " NULL), min(date), max(date),"
      " (SELECT strftime('%Y-%m-%dT%H:%M:%SZ', b.at, 'unixepoch') FROM batches b"
      " WHERE b.first_seq <= (SELECT max(seq) FROM articles) ORDER BY b.first_seq DESC LIMIT 1),"
      " count(DISTINCT source),"
      " count(*) FILTER (WHERE " SQL_ARTICLE_HOLDS_FILE_STATE
      " AND NOT EXISTS (SELECT 1 FROM input_files i WHERE i.path = " NEWSIDX_SQL_OWN_FILE_PATH "))"
      " FROM articles",
      &stmt, "counting articles", err);
  if (status != NEWSIDX_OK) return status;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    s->articles = sqlite3_column_int64(stmt, 0);
    s->originals = sqlite3_column_int64(stmt, 1);
    s->duplicates = s->articles - s->originals;
    s->undated = sqlite3_column_int64(stmt, 2);
    s->sources = sqlite3_column_int64(stmt, 6);
    /* text files whose article is their state (inputs.c); a row of their own counts below */
    s->input_files = sqlite3_column_int64(stmt, 7);
    if (!copy_text(stmt, 3, &s->first_date) || !copy_text(stmt, 4, &s->last_date) ||
        !copy_text(stmt, 5, &s->last_indexed))
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  } else {
    status = newsidx_error_sqlite(err, db->sqlite, rc, "counting articles");
  }
  sqlite3_finalize(stmt);
  return status;
}

static newsidx_status_t top_sources(newsidx_db *db, int max_sources, newsidx_stats *s,
                                    newsidx_error *err) {
  if (max_sources <= 0) return NEWSIDX_OK;
  s->top_sources = calloc((size_t)max_sources, sizeof *s->top_sources);
  if (!s->top_sources) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  sqlite3_stmt *stmt;
  newsidx_status_t status =
      newsidx_prepare(db,
                      "SELECT source, count(*) FROM articles WHERE source IS NOT NULL"
                      " GROUP BY source ORDER BY 2 DESC, 1 LIMIT ?1",
                      &stmt, "counting sources", err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int(stmt, 1, max_sources);
  int rc;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    newsidx_source_count *c = &s->top_sources[s->n_top_sources];
    c->articles = sqlite3_column_int64(stmt, 1);
    if (!copy_text(stmt, 0, &c->name))
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    else
      s->n_top_sources++;
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "counting sources");
  sqlite3_finalize(stmt);
  return status;
}

newsidx_status_t newsidx_stats_get(newsidx_db *db, int max_sources, newsidx_stats **out,
                                   newsidx_error *err) {
  *out = NULL;
  newsidx_stats *s = calloc(1, sizeof *s);
  if (!s || !(s->language = strdup(db->language))) {
    free(s);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  s->schema_version = newsidx_schema_version();
  /* fts5vocab lists the terms of the full-text index; in temp, it works on a read-only file. */
  newsidx_status_t status = newsidx_exec(db,
                                         "CREATE VIRTUAL TABLE IF NOT EXISTS temp.newsidx_terms"
                                         " USING fts5vocab(main, articles_fts, row)",
                                         "listing terms", err);
  int64_t page_size = 0, free_pages = 0, n_input_files = 0;
  /* One read transaction: every number describes the same state of the index. */
  if (status == NEWSIDX_OK) status = newsidx_exec(db, "BEGIN", "reading statistics", err);
  if (status == NEWSIDX_OK) {
    status = count_articles(db, s, err);
    if (status == NEWSIDX_OK)
      status = newsidx_query_int64(db, "SELECT count(*) FROM input_files", &n_input_files, err);
    s->input_files += n_input_files;
    if (status == NEWSIDX_OK)
      status = newsidx_query_int64(db, "SELECT count(*) FROM temp.newsidx_terms", &s->terms, err);
    if (status == NEWSIDX_OK) status = top_sources(db, max_sources, s, err);
    if (status == NEWSIDX_OK) status = newsidx_query_int64(db, "PRAGMA page_size", &page_size, err);
    if (status == NEWSIDX_OK)
      status = newsidx_query_int64(db, "PRAGMA freelist_count", &free_pages, err);
    sqlite3_exec(db->sqlite, "COMMIT", NULL, NULL, NULL); /* a read: nothing to lose */
  }
  s->free_bytes = page_size * free_pages;
  if (status == NEWSIDX_OK) status = newsidx_disk_usage(db, &s->db_bytes, &s->wal_bytes, err);
  if (status != NEWSIDX_OK) {
    newsidx_stats_free(s);
    return status;
  }
  *out = s;
  return NEWSIDX_OK;
}
