/*
** article_place.c — where an article's row is, and finding it by key. See article_place.h.
*/
#include "article_place.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Prepared once per connection (newsidx_statement()). The partial unique indexes of schema 13
** answer both look-ups: articles_key (folder_id IS NULL) and articles_folder. */
static const char sql_lookup_keyed[] =
    "SELECT id, content_hash, dup_of, file_size, file_mtime FROM articles"
    " WHERE key = ?1 AND folder_id IS NULL";
static const char sql_lookup_own_file[] =
    "SELECT id, content_hash, dup_of, file_size, file_mtime FROM articles"
    " WHERE folder_id = ?1 AND key = ?2";
static const char sql_keyed_paths[] =
    "SELECT EXISTS (SELECT 1 FROM articles WHERE key >= '/' AND key < '0' AND folder_id IS NULL)";
static const char sql_file_find[] = "SELECT id FROM files WHERE path = ?1";
static const char sql_file_add[] = "INSERT INTO files(path) VALUES(?1)";

const char *newsidx_sql_article_key(void) { return NEWSIDX_SQL_ARTICLE_KEY; }

const char *newsidx_sql_article_path(void) { return NEWSIDX_SQL_ARTICLE_PATH; }

/* Steps a write statement to completion and resets it. */
static newsidx_status_t step_done(newsidx_db *db, sqlite3_stmt *stmt, const char *context,
                                  newsidx_error *err) {
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE) return NEWSIDX_OK;
  return newsidx_error_sqlite(err, db->sqlite, rc, context);
}

/* What is kept of `files` and of the keys holds only inside a write transaction, whose end
** db.c's commit and rollback hooks see (a read transaction's end they do not). */
static int in_write_transaction(newsidx_db *db) {
  return sqlite3_txn_state(db->sqlite, "main") == SQLITE_TXN_WRITE;
}

/* The file and the folder last looked up in `files` and their ids (-1: absent; 0: none kept),
** and whether an article stored under its key (not a file of its own) has a key that begins
** with '/', as a file's path does (known: keyed_paths_known). */
struct article_place_cache {
  char *last_file, *last_folder;
  int64_t last_file_id, last_folder_id;
  int keyed_paths_known, keyed_paths;
};

/* Rule 3 of the transactions (db_internal.h): the transaction ended, another process may
** change `files` and the keys. */
static void place_end(newsidx_db *db) {
  struct article_place_cache *c = db->place;
  c->last_file_id = c->last_folder_id = 0;
  c->keyed_paths_known = 0;
}

static void place_close(newsidx_db *db) {
  struct article_place_cache *c = db->place;
  free(c->last_file);
  free(c->last_folder);
  free(c);
  db->place = NULL;
}

static const newsidx_participant place_participant = {"article_place", NULL, NULL,
                                                      place_end,       NULL, place_close};

/* The cache of `db`, made (and joined to the transactions) on first use; NULL when out of
** memory (with err set). */
static struct article_place_cache *cache_of(newsidx_db *db, newsidx_error *err) {
  if (db->place) return db->place;
  struct article_place_cache *c = calloc(1, sizeof *c);
  if (c && newsidx_join(db, &place_participant) != 0) {
    free(c);
    c = NULL;
  }
  if (!c) newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  return db->place = c;
}

void article_place_forget_files(newsidx_db *db) {
  if (db->place) db->place->last_file_id = db->place->last_folder_id = 0;
}

size_t article_folder_length(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? (size_t)(slash - path) + 1 : 0;
}

/* Writes to *id the id of the row of `files` whose path is the n bytes at `path`, added when
** absent and `add`; 0 when absent. Inside a write transaction the last one looked up is kept in
** *cached and *cached_id, -1 when absent (forgotten when it ends, place_end(): a rollback or
** another process may remove the row): the records of a JSON Lines file, and the files of a
** folder, come one after another, and every record's key is looked for as a file's path. */
static newsidx_status_t files_id(newsidx_db *db, const char *path, size_t n, int add, char **cached,
                                 int64_t *cached_id, int64_t *id, newsidx_error *err) {
  int in_transaction = in_write_transaction(db);
  if (in_transaction && *cached_id && (*cached_id > 0 || !add) && strlen(*cached) == n &&
      memcmp(*cached, path, n) == 0) {
    *id = *cached_id > 0 ? *cached_id : 0;
    return NEWSIDX_OK;
  }
  *id = 0;
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_file_find, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_text(stmt, 1, path, (int)n, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) *id = sqlite3_column_int64(stmt, 0);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return newsidx_error_sqlite(err, db->sqlite, rc, "looking up a file");
  if (!*id && add) {
    status = newsidx_statement(db, sql_file_add, &stmt, err);
    if (status != NEWSIDX_OK) return status;
    sqlite3_bind_text(stmt, 1, path, (int)n, SQLITE_STATIC);
    status = step_done(db, stmt, "adding a file", err);
    if (status != NEWSIDX_OK) return status;
    *id = sqlite3_last_insert_rowid(db->sqlite);
  }
  char *copy = in_transaction ? strndup(path, n) : NULL;
  if (copy) {
    free(*cached);
    *cached = copy;
    *cached_id = *id ? *id : -1;
  }
  return NEWSIDX_OK;
}

newsidx_status_t article_place_of(newsidx_db *db, const newsidx_article *a, article_place *place,
                                  newsidx_error *err) {
  assert(in_write_transaction(db)); /* article_place.h: inside the caller's transaction */
  *place = (article_place){a->path && strcmp(a->path, a->key) == 0, 0, 0, a->key};
  if (!place->own_file && !a->path) return NEWSIDX_OK;
  struct article_place_cache *c = cache_of(db, err);
  if (!c) return NEWSIDX_NOMEM;
  if (place->own_file) {
    size_t n = article_folder_length(a->key);
    place->key = a->key + n;
    return files_id(db, a->key, n, 1, &c->last_folder, &c->last_folder_id, &place->folder_id, err);
  }
  return files_id(db, a->path, strlen(a->path), 1, &c->last_file, &c->last_file_id, &place->file_id,
                  err);
}

/* Steps a look-up statement (sql_lookup_keyed, sql_lookup_own_file) into *found; resets it. */
static newsidx_status_t step_found(newsidx_db *db, sqlite3_stmt *stmt, found_article *found,
                                   newsidx_error *err) {
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW)
    *found = (found_article){sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1),
                             sqlite3_column_int64(stmt, 3), sqlite3_column_int64(stmt, 4),
                             sqlite3_column_type(stmt, 2) != SQLITE_NULL};
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return newsidx_error_sqlite(err, db->sqlite, rc, "looking up an article");
  return NEWSIDX_OK;
}

/* Looks for the article that a file of its own at `path` would be. */
static newsidx_status_t find_own_file(newsidx_db *db, const char *path, found_article *found,
                                      newsidx_error *err) {
  size_t n = article_folder_length(path);
  int64_t folder_id;
  sqlite3_stmt *stmt;
  struct article_place_cache *c = cache_of(db, err);
  if (!c) return NEWSIDX_NOMEM;
  newsidx_status_t status =
      files_id(db, path, n, 0, &c->last_folder, &c->last_folder_id, &folder_id, err);
  if (status != NEWSIDX_OK || !folder_id) return status;
  status = newsidx_statement(db, sql_lookup_own_file, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, folder_id);
  sqlite3_bind_text(stmt, 2, path + n, -1, SQLITE_STATIC);
  return step_found(db, stmt, found, err);
}

/* Looks for an article stored under `key` that is not a file of its own. */
static newsidx_status_t find_keyed(newsidx_db *db, const char *key, found_article *found,
                                   newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_statement(db, sql_lookup_keyed, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
  return step_found(db, stmt, found, err);
}

/* Whether an article stored under its key could have `key`, a file's path: not when the key
** begins with '/' and no such article's does. That spares a folder of files a second look-up
** per new file. */
static newsidx_status_t may_be_keyed(newsidx_db *db, const char *key, int *may,
                                     newsidx_error *err) {
  *may = 1;
  if (key[0] != '/') return NEWSIDX_OK;
  struct article_place_cache *c = cache_of(db, err);
  if (!c) return NEWSIDX_NOMEM;
  if (!c->keyed_paths_known) {
    int64_t any = 1;
    newsidx_status_t status = newsidx_query_int64(db, sql_keyed_paths, &any, err);
    if (status != NEWSIDX_OK) return status;
    c->keyed_paths = any != 0;
    c->keyed_paths_known = in_write_transaction(db); /* else only for this call */
  }
  *may = c->keyed_paths;
  return NEWSIDX_OK;
}

void article_placed(newsidx_db *db, const article_place *place) {
  if (!place->own_file && place->key[0] == '/' && db->place) db->place->keyed_paths = 1;
}

newsidx_status_t article_find(newsidx_db *db, const char *key, int own_file_first,
                              found_article *found, newsidx_error *err) {
  *found = (found_article){0};
  int keyed = 1;
  newsidx_status_t status = NEWSIDX_OK;
  for (int pass = 0; pass < 2 && status == NEWSIDX_OK && !found->id; pass++) {
    if ((pass == 0) == (own_file_first != 0)) {
      status = find_own_file(db, key, found, err);
    } else {
      status = may_be_keyed(db, key, &keyed, err);
      if (status == NEWSIDX_OK && keyed) status = find_keyed(db, key, found, err);
    }
  }
  return status;
}
