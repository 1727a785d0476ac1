/*
** sql_builder.c — SQL text plus bound parameters. See sql_builder.h.
*/
#include "sql_builder.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sql_text(sql_builder *b, const char *sql) { strbuf_puts(&b->sql, sql); }

static sql_param *add_param(sql_builder *b) {
  if (b->failed) return NULL;
  if (b->n_params == b->cap_params) {
    int cap = b->cap_params ? b->cap_params * 2 : 16;
    sql_param *grown = realloc(b->params, (size_t)cap * sizeof *grown);
    if (!grown) {
      b->failed = 1;
      return NULL;
    }
    b->params = grown;
    b->cap_params = cap;
  }
  strbuf_putc(&b->sql, '?');
  sql_param *p = &b->params[b->n_params++];
  memset(p, 0, sizeof *p);
  return p;
}

void sql_bind_text(sql_builder *b, const char *text) {
  sql_param *p = add_param(b);
  if (!p) return;
  p->type = SQLITE_TEXT;
  p->text = strdup(text);
  if (!p->text) b->failed = 1;
}

void sql_bind_int(sql_builder *b, int64_t value) {
  sql_param *p = add_param(b);
  if (!p) return;
  p->type = SQLITE_INTEGER;
  p->integer = value;
}

void sql_bind_double(sql_builder *b, double value) {
  sql_param *p = add_param(b);
  if (!p) return;
  p->type = SQLITE_FLOAT;
  p->real = value;
}

void sql_bind_pointer(sql_builder *b, void *pointer, const char *type) {
  sql_param *p = add_param(b);
  if (!p) return;
  p->type = SQL_PARAM_POINTER;
  p->pointer = pointer;
  p->pointer_type = type;
}

newsidx_status_t sql_prepare(sql_builder *b, sqlite3 *sqlite, const char *what, sqlite3_stmt **out,
                             newsidx_error *err) {
  *out = NULL;
  if (b->failed || b->sql.failed || !b->sql.data)
    return newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory", what);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, b->sql.data, -1, &stmt, NULL);
  for (int i = 0; rc == SQLITE_OK && i < b->n_params; i++) {
    const sql_param *p = &b->params[i];
    if (p->type == SQLITE_TEXT)
      rc = sqlite3_bind_text(stmt, i + 1, p->text, -1, SQLITE_TRANSIENT);
    else if (p->type == SQLITE_INTEGER)
      rc = sqlite3_bind_int64(stmt, i + 1, p->integer);
    else if (p->type == SQL_PARAM_POINTER)
      rc = sqlite3_bind_pointer(stmt, i + 1, p->pointer, p->pointer_type, NULL);
    else
      rc = sqlite3_bind_double(stmt, i + 1, p->real);
  }
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    char context[120];
    snprintf(context, sizeof context, "preparing %s", what);
    return newsidx_error_sqlite(err, sqlite, rc, context);
  }
  *out = stmt;
  return NEWSIDX_OK;
}

void sql_builder_free(sql_builder *b) {
  for (int i = 0; i < b->n_params; i++)
    free(b->params[i].text);
  free(b->params);
  strbuf_free(&b->sql);
  memset(b, 0, sizeof *b);
}
