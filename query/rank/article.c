/*
** article.c — one whole article read back from the index. See article.h.
*/
#include "article.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* By key, in both of its forms (the unique indexes answer each): a record's or a feed item's
** whole key; a text file's folder (?2, up to its last '/') and name in it (?3). Else by id.
** Formats for article_prepare(): the two %s are the key and the path. */
static const char sql_by_key[] =
    "SELECT id, %s, %s, date, title, body,"
    " source, url, author, lang, tags, dup_of FROM articles WHERE id IN"
    " (SELECT id FROM articles WHERE key = ?1 AND folder_id IS NULL"
    "  UNION SELECT a.id FROM articles a JOIN files f ON f.id = a.folder_id"
    "  WHERE f.path = ?2 AND a.key = ?3)";
static const char sql_by_id[] =
    "SELECT id, %s, %s, date, title, body,"
    " source, url, author, lang, tags, dup_of FROM articles WHERE id = ?1";

int article_prepare(sqlite3 *db, const char *format, sqlite3_stmt **stmt) {
  *stmt = NULL;
  char *sql = sqlite3_mprintf(format, newsidx_sql_article_key(), newsidx_sql_article_path());
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, stmt, NULL);
  sqlite3_free(sql);
  return rc;
}

static char *column_text(sqlite3_stmt *stmt, int i) {
  const unsigned char *s = sqlite3_column_text(stmt, i);
  return s ? strdup((const char *)s) : NULL;
}

/* Runs `sql` (a format for article_prepare()) with `name` (text, or as an integer when `as_id`);
 * *found when a row came. */
static newsidx_status_t load(sqlite3 *db, const char *sql, const char *name, int as_id,
                             query_article *out, int *found, newsidx_error *err) {
  sqlite3_stmt *stmt;
  *found = 0;
  int rc = article_prepare(db, sql, &stmt);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db, rc, "reading an article");
  if (as_id) {
    sqlite3_bind_int64(stmt, 1, strtoll(name, NULL, 10));
  } else {
    const char *slash = strrchr(name, '/');
    size_t n_folder = slash ? (size_t)(slash - name) + 1 : 0;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, name, (int)n_folder, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, name + n_folder, -1, SQLITE_STATIC);
  }
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *found = 1;
    out->id = sqlite3_column_int64(stmt, 0);
    char **fields[] = {&out->key,    &out->path, &out->date,   &out->title, &out->body,
                       &out->source, &out->url,  &out->author, &out->lang,  &out->tags};
    for (int i = 0; i < 10; i++)
      *fields[i] = column_text(stmt, i + 1);
    out->dup_of = sqlite3_column_int64(stmt, 11);
    rc = SQLITE_DONE;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return newsidx_error_sqlite(err, db, rc, "reading an article");
  return NEWSIDX_OK;
}

static int is_number(const char *s) {
  if (!*s || strlen(s) > 18) return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return 0;
  return 1;
}

newsidx_status_t query_article_load(newsidx_db *db, const char *name, query_article *out,
                                    newsidx_error *err) {
  memset(out, 0, sizeof *out);
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  int found;
  newsidx_status_t status = load(sqlite, sql_by_key, name, 0, out, &found, err);
  if (status == NEWSIDX_OK && !found && is_number(name))
    status = load(sqlite, sql_by_id, name, 1, out, &found, err);
  if (status == NEWSIDX_OK && !found)
    return newsidx_error_set(err, NEWSIDX_NOT_FOUND, "no article with key or id %s", name);
  return status;
}

void query_article_free(query_article *a) {
  char *fields[] = {a->key,    a->path, a->date,   a->title, a->body,
                    a->source, a->url,  a->author, a->lang,  a->tags};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    free(fields[i]);
  memset(a, 0, sizeof *a);
}
