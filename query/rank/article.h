/*
** article.h — one whole article read back from the index, by id or key (for newsq show).
*/
#ifndef NEWSIDX_QUERY_ARTICLE_H
#define NEWSIDX_QUERY_ARTICLE_H

#include "newsidx.h"

#include <sqlite3.h>

/* Every stored field of an article. Strings are owned (query_article_free()); NULL when the
** article has none. */
typedef struct query_article {
  int64_t id;
  char *key, *path, *date, *title, *body, *source, *url, *author, *lang, *tags;
  int64_t dup_of; /* 0: an original */
} query_article;

/* Loads the article named by `name`: its key (a text file's path, a record's id, a feed item's
** "feed#guid"), else, when `name` is a number, its id. Returns NEWSIDX_OK, NEWSIDX_NOT_FOUND
** (no such article: err says so), or a database error. */
newsidx_status_t query_article_load(newsidx_db *db, const char *name, query_article *out,
                                    newsidx_error *err);

void query_article_free(query_article *a);

/* Prepares into *stmt the statement `format` over `articles` whose two "%s" (and no other
** '%') stand for an article's key and its path (newsidx_sql_article_key(), _path()), so that
** the statement's text is what it would be with that SQL written in. Returns an SQLite result
** code (SQLITE_NOMEM when the text could not be made). */
int article_prepare(sqlite3 *db, const char *format, sqlite3_stmt **stmt);

#endif
