/*
** sql_builder.h — SQL text assembled from pieces, with every value bound as a parameter
** (internal to the query library).
**
** Search statements are built from parts (match, filters, ranking, paging); values that come
** from users never enter the SQL text: sql_text() is for SQL written in this program,
** sql_bind_*() append a '?' and remember the value. Errors are sticky (see strbuf.h).
*/
#ifndef NEWSIDX_SQL_BUILDER_H
#define NEWSIDX_SQL_BUILDER_H

#include "newsidx.h"
#include "strbuf.h"

typedef struct sqlite3_stmt sqlite3_stmt;

typedef struct sql_param {
  int type; /* SQLITE_TEXT, SQLITE_INTEGER, SQLITE_FLOAT, or SQL_PARAM_POINTER */
  char *text;
  void *pointer;            /* SQL_PARAM_POINTER: sqlite3_bind_pointer() … */
  const char *pointer_type; /* … with this type, a string constant */
  int64_t integer;
  double real;
} sql_param;

typedef struct sql_builder {
  strbuf sql;
  sql_param *params;
  int n_params, cap_params;
  int failed;
} sql_builder;

/* Appends SQL written by this program (never user text). */
void sql_text(sql_builder *b, const char *sql);

#define SQL_PARAM_POINTER 0

/* Append '?' and bind the value to it (text is copied). */
void sql_bind_text(sql_builder *b, const char *text);
void sql_bind_int(sql_builder *b, int64_t value);
void sql_bind_double(sql_builder *b, double value);

/* Append '?' and bind `pointer` to it with sqlite3_bind_pointer() under `type` (a string
** constant), for functions of this program that take a C object. */
void sql_bind_pointer(sql_builder *b, void *pointer, const char *type);

/* Prepares the statement and binds the parameters. Returns NEWSIDX_NOMEM when building
** failed, or the database's status ("preparing <what>: …"). *out is NULL on failure. */
newsidx_status_t sql_prepare(sql_builder *b, sqlite3 *sqlite, const char *what, sqlite3_stmt **out,
                             newsidx_error *err);

void sql_builder_free(sql_builder *b);

#endif
