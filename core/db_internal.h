/*
** db_internal.h — the newsidx_db handle, shared by the files of core/ only.
*/
#ifndef NEWSIDX_DB_INTERNAL_H
#define NEWSIDX_DB_INTERNAL_H

#include "newsidx.h"
#include "tokenizer.h"

#include <sqlite3.h>

/* Statements prepared once for the life of a connection (newsidx_statement()). */
#define NEWSIDX_MAX_STATEMENTS 32

struct newsidx_db {
  sqlite3 *sqlite;
  fts5_api *fts5;
  newsidx_snowball_module *snowball; /* this connection's tokenizer registration */
  char *path;
  char language[64];
  int tokenizer_version; /* meta tokenizer_version: 1 when absent (made before it existed) */
  int read_only;
  int busy_timeout_ms; /* how long a write waits for another writer */

  /* A tokenizer instance for newsidx_tokenize(), created on first use (analysis.c). */
  fts5_tokenizer analysis_methods;
  Fts5Tokenizer *analysis;

  struct cached_statement {
    const char *sql; /* a string constant: its address is the key */
    sqlite3_stmt *stmt;
  } statements[NEWSIDX_MAX_STATEMENTS];
  int n_statements;

  struct newsidx_ledger *ledger;         /* the new-term ledger, opened on first write (ledger.c) */
  struct newsidx_docinfo_state *docinfo; /* pending facts and the readers' copy (docinfo.c) */

  /* article_place.c: the file and the folder last looked up in `files` and their ids (-1:
  ** absent), valid inside one write transaction (db.c's commit and rollback hooks forget them) */
  char *last_file, *last_folder;
  int64_t last_file_id, last_folder_id;
  /* article_place.c: whether an article stored under its key (not a file of its own) has a key
  ** that begins with '/', as a file's path does; known inside one write transaction only */
  int keyed_paths_known, keyed_paths;
  /* store.c: the last articles.seq given out, inside one transaction (0: read it again) */
  int64_t last_seq;
};

/* An article prepared ahead of its store (prepare.c): its content hash, and the tokens of its
** title and body with the ledger's terms, for FTS5 to replay (store.c). */
struct newsidx_prepared {
  const char *title, *body; /* the strings prepared, which the article stored must point to */
  int64_t content_hash;
  newsidx_token_run runs[2]; /* title, body */
  struct ledger_term_list *terms[2];
  char *storage; /* the runs' tokens, then their stems */
  size_t bytes;  /* held in all */
};

/* SQL conditions on an `articles` row (unaliased), for the ways the row says its path once
** (schema.c, versions 10, 11 and 13). OWN_FILE: the article is a file of its own (a text file),
** named by its folder and its name (NEWSIDX_SQL_OWN_FILE_PATH). HOLDS_FILE_STATE: also the
** file's size and mtime as read, which stand for its state in input_files (inputs.c). The
** migrations spell theirs out: they stay what they were. */
#define SQL_ARTICLE_OWN_FILE         "folder_id IS NOT NULL"
#define SQL_ARTICLE_HOLDS_FILE_STATE SQL_ARTICLE_OWN_FILE " AND file_size >= 0"

/* store.c: the hash of an article's normalized title and body, which finds duplicates. */
int64_t newsidx_content_hash(const newsidx_article *a);

/* schema.c: brings the schema of a writable connection to the current version, creating it
** when the file is empty. `language` is the validated language for a new index. */
newsidx_status_t newsidx_schema_migrate(newsidx_db *db, const char *language, newsidx_error *err);

/* schema.c: reads PRAGMA user_version into *version; fails with NEWSIDX_CORRUPT when the file
** is not SQLite or is SQLite but not a newsidx index. */
newsidx_status_t newsidx_schema_version_of(newsidx_db *db, int *version, newsidx_error *err);

/* analysis.c: releases what it prepared on `db`. */
void newsidx_analysis_close(newsidx_db *db);

/* What newsidx says of a stored language libstemmer does not know (its one %s). */
#define NEWSIDX_NO_STEMMER "the index's language '%s' has no Snowball stemmer"

/* analysis.c: creates an instance of the index's tokenizer chain (snowball, db->language) into
** *out, filling *methods; it reports to `module`, or to the connection's registration when NULL.
** Fails with NEWSIDX_CORRUPT, naming it, when the stored language has no Snowball stemmer. */
newsidx_status_t newsidx_tokenizer_open(newsidx_db *db, newsidx_snowball_module *module,
                                        fts5_tokenizer *methods, Fts5Tokenizer **out,
                                        newsidx_error *err);

/* analysis.c: checks `language` against libstemmer's list; the message lists them all. */
newsidx_status_t newsidx_language_check(const char *language, newsidx_error *err);

/* schema.c: builds the table `articles` again (the only way SQLite changes a column's
** constraints): runs `create_and_fill`, which creates `articles_new` and copies the rows into
** it, then puts it in the place of `articles` with the old table's indexes and triggers and the
** views that read it. The caller drops before an index that the new table cannot have. Returns an
** SQLite code (the message is sqlite3_errmsg()'s). Also used by the tests' downgrades. */
int newsidx_schema_rebuild_articles(sqlite3 *sqlite, const char *create_and_fill);

/* db.c: runs one SQL statement without results; on failure fills err with `context`. */
newsidx_status_t newsidx_exec(newsidx_db *db, const char *sql, const char *context,
                              newsidx_error *err);

/* db.c: prepares `sql` into *stmt (finalize it); on failure fills err with `context`. */
newsidx_status_t newsidx_prepare(newsidx_db *db, const char *sql, sqlite3_stmt **stmt,
                                 const char *context, newsidx_error *err);

/* db.c: writes to *out the statement for `sql`, a string constant whose address identifies
** it, reset and with its bindings cleared. It is prepared on first use and finalized by
** newsidx_db_close(): for statements that run once per article or per file. */
newsidx_status_t newsidx_statement(newsidx_db *db, const char *sql, sqlite3_stmt **out,
                                   newsidx_error *err);

/* db.c: runs `sql`, which returns one integer (NULL reads as 0), into *out. */
newsidx_status_t newsidx_query_int64(newsidx_db *db, const char *sql, int64_t *out,
                                     newsidx_error *err);

#endif
