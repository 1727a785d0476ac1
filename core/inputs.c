/*
** inputs.c — what the index knows of its input files (table input_files), and removing
** everything that came from a file or a folder.
*/
#include "article_place.h"
#include "db_internal.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

/* The article of the file of its own whose folder is ?2 and name ?3 (bind_path_parts()). */
#define IS_OWN_FILE_OF_PATH "folder_id = (SELECT id FROM files WHERE path = ?2) AND key = ?3"

/* Run once per input file: prepared once per connection (newsidx_statement()). A text file
** that gave an article has no row of its own (schema 11): its article, named by the file's
** folder (?2) and name (?3), holds its size and mtime, and the rest is that it was read whole
** with nothing skipped. */
static const char sql_get[] =
    "SELECT size, mtime_ns, offset, lines, window_hash, n_skipped"
    " FROM input_files WHERE path = ?1"
    " UNION ALL SELECT file_size, file_mtime, file_size, 0, 0, 0"
    " FROM articles WHERE " IS_OWN_FILE_OF_PATH " AND file_size >= 0 LIMIT 1";
static const char sql_by_article[] = "DELETE FROM input_files WHERE path = ?1";
static const char sql_put[] = "INSERT OR REPLACE INTO input_files(path, size, mtime_ns, offset,"
                              " lines, window_hash, n_skipped, indexed_at)"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* The articles of a path (bound by bind_path_parts()): a text file's one, named by the
** folder and name of the path, and those that name it in `files` (records of a JSON Lines
** file). */
#define ARTICLES_OF_PATH                                                                           \
  "SELECT id, dup_of IS NULL FROM articles WHERE " IS_OWN_FILE_OF_PATH                             \
  " UNION ALL SELECT id, dup_of IS NULL FROM articles"                                             \
  " WHERE file_id = (SELECT id FROM files WHERE path = ?1)"
static const char sql_count[] = "SELECT count(*) FROM (" ARTICLES_OF_PATH ")";
/* ?1 the folder ("/news/"), ?2 the end of its range ("/news0"): its row in `files` names it for
** the articles of its text files; input_files holds the other files' state. */
static const char sql_folder_known[] =
    "SELECT EXISTS (SELECT 1 FROM files WHERE path = ?1)"
    " OR EXISTS (SELECT 1 FROM input_files WHERE path >= ?1 AND path < ?2)";

/* Binds ?1 = path, ?2 = its folder and ?3 = its name in it (article_place.h). */
static void bind_path_parts(sqlite3_stmt *stmt, const char *path) {
  size_t n = article_folder_length(path);
  sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, path, (int)n, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, path + n, -1, SQLITE_STATIC);
}

newsidx_status_t newsidx_input_file_get(newsidx_db *db, const char *path, newsidx_input_file *out,
                                        newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_get, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  bind_path_parts(stmt, path);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *out = (newsidx_input_file){path,
                                sqlite3_column_int64(stmt, 0),
                                sqlite3_column_int64(stmt, 1),
                                sqlite3_column_int64(stmt, 2),
                                sqlite3_column_int64(stmt, 3),
                                sqlite3_column_int64(stmt, 4),
                                sqlite3_column_int64(stmt, 5)};
  } else if (rc == SQLITE_DONE) {
    status = NEWSIDX_NOT_FOUND;
  } else {
    status = newsidx_error_sqlite(err, db->sqlite, rc, "reading an input file's state");
  }
  sqlite3_reset(stmt); /* ends its read of the database */
  return status;
}

newsidx_status_t newsidx_input_file_put(newsidx_db *db, const newsidx_input_file *in,
                                        newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_put, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  char now[NEWSIDX_DATE_MAX];
  newsidx_now_iso(now);
  sqlite3_bind_text(stmt, 1, in->path, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 2, in->size);
  sqlite3_bind_int64(stmt, 3, in->mtime_ns);
  sqlite3_bind_int64(stmt, 4, in->offset);
  sqlite3_bind_int64(stmt, 5, in->lines);
  sqlite3_bind_int64(stmt, 6, in->window_hash);
  sqlite3_bind_int64(stmt, 7, in->n_skipped);
  sqlite3_bind_text(stmt, 8, now, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "recording an input file's state");
  sqlite3_reset(stmt);
  return status;
}

newsidx_status_t newsidx_input_file_by_article(newsidx_db *db, const char *path,
                                               newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_by_article, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "recording an input file's state");
  sqlite3_reset(stmt);
  return status;
}

newsidx_status_t newsidx_count_from_path(newsidx_db *db, const char *path, int64_t *n,
                                         newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_count, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  bind_path_parts(stmt, path);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW)
    *n = sqlite3_column_int64(stmt, 0);
  else
    status = newsidx_error_sqlite(err, db->sqlite, rc, "counting articles");
  sqlite3_reset(stmt);
  return status;
}

newsidx_status_t newsidx_folder_known(newsidx_db *db, const char *folder, size_t n, int *known,
                                      newsidx_error *err) {
  *known = 1;
  if (n == 0 || folder[n - 1] != '/') return NEWSIDX_OK; /* not a folder: look each file up */
  char *end = strndup(folder, n);
  if (!end) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  end[n - 1] = '0'; /* the byte after '/' */
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_folder_known, &stmt, err);
  if (status == NEWSIDX_OK) {
    sqlite3_bind_text(stmt, 1, folder, (int)n, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, end, (int)n, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
      *known = sqlite3_column_int(stmt, 0);
    else
      status = newsidx_error_sqlite(err, db->sqlite, rc, "looking up a folder");
    sqlite3_reset(stmt);
  }
  free(end);
  return status;
}

/* A growing list of int64 ids or of owned strings. */
typedef struct id_list {
  int64_t *ids;
  size_t n, cap;
} id_list;

typedef struct path_list {
  char **paths;
  size_t n, cap;
} path_list;

static void path_list_free(path_list *list) {
  for (size_t i = 0; i < list->n; i++)
    free(list->paths[i]);
  free(list->paths);
}

/* Binds ?1 = path and ?2 = its folder prefix to a statement that selects
** "path = ?1 OR (path >= ?2 || '/' AND path < ?2 || '0')": the file itself and everything
** under the folder, in index order ('0' is the byte after '/'). Trailing slashes are dropped
** from the prefix, so that "/news/" and "/news" are the same folder and "/" is the root. ?3 and
** ?4 are the folder of ?1 and its name there, which name the file itself when it is a file of
** its own (article_place.h). */
static void bind_path_range(sqlite3_stmt *stmt, const char *path) {
  size_t n = strlen(path), folder = article_folder_length(path);
  while (n > 0 && path[n - 1] == '/')
    n--;
  sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, path, (int)n, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, path, (int)folder, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, path + folder, -1, SQLITE_STATIC);
}

#define UNDER_FOLDER(column) "(" column " >= ?2 || '/' AND " column " < ?2 || '0')"
#define PATH_RANGE           "(path = ?1 OR " UNDER_FOLDER("path") ")"
#define IS_A_FOLDER          "substr(path, -1) = '/'" /* a row of `files` that names a folder */

/* Collects the distinct paths at or under `path` (of articles: text files by their folder and
** name, other files by `files`; and input_files) that `filter` accepts. */
static newsidx_status_t collect_paths(newsidx_db *db, const char *path, newsidx_path_filter filter,
                                      void *ctx, path_list *out, newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_prepare(
      db,
      "SELECT f.path || a.key FROM files f JOIN articles a ON a.folder_id = f.id"
      " WHERE " UNDER_FOLDER("f.path") " OR (f.path = ?3 AND a.key = ?4)"
                                       " UNION SELECT path FROM files WHERE " PATH_RANGE
                                       " AND NOT " IS_A_FOLDER
                                       " UNION SELECT path FROM input_files WHERE " PATH_RANGE,
      &stmt, "finding articles by path", err);
  if (status != NEWSIDX_OK) return status;
  bind_path_range(stmt, path);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *found = (const char *)sqlite3_column_text(stmt, 0);
    if (!found || (filter && !filter(ctx, found))) continue;
    if (newsidx_reserve((void **)&out->paths, &out->cap, out->n, 1, sizeof *out->paths) != 0 ||
        !(out->paths[out->n] = strdup(found))) {
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
      break;
    }
    out->n++;
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "finding articles by path");
  sqlite3_finalize(stmt);
  return status;
}

/* Appends the ids of the articles from `path` to ids[0] (duplicates) and ids[1] (originals). */
static newsidx_status_t collect_ids(newsidx_db *db, sqlite3_stmt *stmt, const char *path,
                                    id_list ids[2], newsidx_error *err) {
  sqlite3_reset(stmt);
  bind_path_parts(stmt, path);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    id_list *list = &ids[sqlite3_column_int(stmt, 1)];
    if (newsidx_reserve((void **)&list->ids, &list->cap, list->n, 1, sizeof *list->ids) != 0)
      return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    list->ids[list->n++] = sqlite3_column_int64(stmt, 0);
  }
  if (rc != SQLITE_DONE) return newsidx_error_sqlite(err, db->sqlite, rc, "finding articles");
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_remove_path(newsidx_db *db, const char *path, newsidx_path_filter filter,
                                     void *ctx, int64_t *n_removed, newsidx_error *err) {
  path_list paths = {0};
  id_list ids[2] = {{0}, {0}};
  sqlite3_stmt *select_ids = NULL, *forget = NULL, *forget_file = NULL, *forget_folders = NULL;
  newsidx_status_t status = collect_paths(db, path, filter, ctx, &paths, err);
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(db, ARTICLES_OF_PATH, &select_ids, "finding articles", err);
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(db, "DELETE FROM input_files WHERE path = ?1", &forget,
                             "forgetting an input file", err);
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(db, "DELETE FROM files WHERE path = ?1", &forget_file,
                             "forgetting a file", err);
  if (status == NEWSIDX_OK)
    status = newsidx_prepare(
        db,
        "DELETE FROM files WHERE " IS_A_FOLDER
        " AND (path = ?3 OR " UNDER_FOLDER("path") ") AND NOT EXISTS (SELECT 1 FROM articles a"
                                                   " WHERE a.folder_id = files.id)",
        &forget_folders, "forgetting a folder", err);
  for (size_t i = 0; i < paths.n && status == NEWSIDX_OK; i++)
    status = collect_ids(db, select_ids, paths.paths[i], ids, err);
  /* Duplicates first: deleting an original before its duplicates would put a duplicate into
  ** the full-text index only to take it out again. */
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; i < ids[k].n && status == NEWSIDX_OK; i++)
      status = newsidx_delete_article(db, ids[k].ids[i], err);
  /* Then the files are forgotten, with the state their articles left behind. */
  for (size_t i = 0; i < paths.n && status == NEWSIDX_OK; i++) {
    for (int k = 0; k < 2 && status == NEWSIDX_OK; k++) {
      sqlite3_stmt *stmt = k ? forget_file : forget;
      sqlite3_reset(stmt);
      sqlite3_bind_text(stmt, 1, paths.paths[i], -1, SQLITE_STATIC);
      int rc = sqlite3_step(stmt);
      if (rc != SQLITE_DONE)
        status = newsidx_error_sqlite(err, db->sqlite, rc, "forgetting a file");
    }
  }
  /* and the folders left without articles */
  if (status == NEWSIDX_OK) {
    bind_path_range(forget_folders, path);
    int rc = sqlite3_step(forget_folders);
    if (rc != SQLITE_DONE)
      status = newsidx_error_sqlite(err, db->sqlite, rc, "forgetting a folder");
  }
  article_place_forget_files(db); /* their rows may be gone */
  sqlite3_finalize(forget_folders);
  sqlite3_finalize(select_ids);
  sqlite3_finalize(forget);
  sqlite3_finalize(forget_file);
  if (status == NEWSIDX_OK && n_removed) *n_removed += (int64_t)(ids[0].n + ids[1].n);
  free(ids[0].ids);
  free(ids[1].ids);
  path_list_free(&paths);
  return status;
}
