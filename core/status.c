/*
** status.c — status names and the error-message helpers every module uses.
*/
#include "newsidx.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>

const char *newsidx_status_to_string(newsidx_status_t status) {
  switch (status) {
  case NEWSIDX_OK: return "ok";
  case NEWSIDX_ERROR: return "error";
  case NEWSIDX_NOMEM: return "out of memory";
  case NEWSIDX_IO: return "input/output error";
  case NEWSIDX_BUSY: return "database is busy";
  case NEWSIDX_READONLY: return "database is read-only";
  case NEWSIDX_FULL: return "disk is full";
  case NEWSIDX_CORRUPT: return "not a newsidx database, or a damaged one";
  case NEWSIDX_SCHEMA_TOO_NEW: return "database made by a newer newsidx";
  case NEWSIDX_BAD_LANGUAGE: return "unknown language";
  case NEWSIDX_LANGUAGE_MISMATCH: return "language differs from the database's";
  case NEWSIDX_QUERY: return "query error";
  case NEWSIDX_INPUT: return "bad input";
  case NEWSIDX_NOT_FOUND: return "not found";
  case NEWSIDX_INTERRUPTED: return "interrupted";
  case NEWSIDX_MISUSE: return "misuse of the API";
  case NEWSIDX_NEEDS_REBUILD: return "the full-text index needs newsidx rebuild";
  }
  return "unknown status";
}

newsidx_status_t newsidx_error_set(newsidx_error *err, newsidx_status_t status, const char *format,
                                   ...) {
  if (err) {
    char raw[2 * sizeof err->message];
    va_list ap;
    va_start(ap, format);
    err->status = status;
    int n = vsnprintf(raw, sizeof raw, format, ap);
    va_end(ap);
    /* Messages quote input (dates, JSON tokens, paths): a newline in it must not make the
    ** message two lines, nor an escape sequence reach the user's terminal. */
    size_t n_raw = n < 0 ? 0 : (size_t)n < sizeof raw ? (size_t)n : sizeof raw - 1;
    newsidx_text_escape(raw, n_raw, NEWSIDX_ESCAPE_NAME, err->message, sizeof err->message);
  }
  return status;
}

newsidx_status_t newsidx_status_from_sqlite(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK: return NEWSIDX_OK;
  case SQLITE_NOMEM: return NEWSIDX_NOMEM;
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return NEWSIDX_BUSY;
  case SQLITE_READONLY: return NEWSIDX_READONLY;
  case SQLITE_FULL: return NEWSIDX_FULL;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB: return NEWSIDX_CORRUPT;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN: return NEWSIDX_IO;
  case SQLITE_INTERRUPT: return NEWSIDX_INTERRUPTED;
  case SQLITE_MISUSE: return NEWSIDX_MISUSE;
  default: return NEWSIDX_ERROR;
  }
}

newsidx_status_t newsidx_error_sqlite(newsidx_error *err, sqlite3 *sqlite, int rc,
                                      const char *context) {
  newsidx_status_t status = newsidx_status_from_sqlite(rc);
  const char *detail = sqlite ? sqlite3_errmsg(sqlite) : sqlite3_errstr(rc);
  /* sqlite3_errmsg() can lag behind rc after a failed COMMIT; prefer the code's own text. */
  if (sqlite && sqlite3_errcode(sqlite) != rc) detail = sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_FULL) detail = "disk is full";
  return newsidx_error_set(err, status, "%s: %s", context, detail);
}
