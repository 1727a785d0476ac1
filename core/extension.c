/*
** extension.c — the SQLite loadable extension: registers the `snowball` tokenizer so that any
** SQLite client can query an index that newsidx built:
**
**     sqlite3 news.db
**     sqlite> .load ./libnewsidx_fts5
**     sqlite> SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'terrorists';
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "tokenizer.h"

__attribute__((visibility("default"))) int sqlite3_newsidxfts_init(sqlite3 *db, char **error,
                                                                   const sqlite3_api_routines *api);

int sqlite3_newsidxfts_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  fts5_api *fts5 = newsidx_fts5_api_of(db);
  if (!fts5) {
    *error = sqlite3_mprintf("newsidx: this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  return newsidx_snowball_register(fts5, NULL);
}
