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

/* Subsystems that keep state about a write transaction (see NOTES ON TRANSACTIONS below). */
#define NEWSIDX_MAX_PARTICIPANTS 8

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

  /* Each subsystem's own state, opaque here, made on first use by the subsystem (which then
  ** joins the transactions, below) and freed by its participant's close. */
  struct newsidx_ledger *ledger;         /* the new-term ledger (ledger.c) */
  struct newsidx_docinfo_state *docinfo; /* pending facts and the readers' copy (docinfo.c) */
  struct article_place_cache *place;     /* the file and folder last looked up (article_place.c) */
  struct store_cache *store;             /* the last articles.seq given out (store.c) */

  const struct newsidx_participant *participants[NEWSIDX_MAX_PARTICIPANTS]; /* in joining order */
  int n_participants;
};

/* ---- NOTES ON TRANSACTIONS -------------------------------------------------------------------
**
** A write transaction is opened by newsidx_begin() (BEGIN IMMEDIATE: the write lock at once, so
** that no batch fails halfway for another writer) or by a caller's own BEGIN, and ended by
** newsidx_commit(), newsidx_rollback(), a caller's COMMIT or ROLLBACK, or SQLite itself (an
** error that rolls back). The writer keeps state about it in memory, in the subsystems that
** take part (participants): changes made ahead of the database, and facts read once per
** transaction. The rules, which every participant follows:
**
**  1. Changes held in memory go into the database by the participant's `flush`, which
**     newsidx_commit() calls for every participant, in joining order, just before COMMIT and
**     inside the transaction, so that they commit with the articles or not at all. A flush
**     writes its own tables only and reads no other participant's (the order does not matter).
**     A flush that fails leaves the transaction to be rolled back: newsidx_commit() does.
**  2. newsidx_rollback() calls every participant's `forget` before ROLLBACK: what was held in
**     memory and what was learned from the rows rolled back is dropped (the ledger drops its
**     known terms, to be loaded again; docinfo its pending chunks and its copy).
**  3. Facts read once per transaction (the last seq given out, the file last looked up) hold
**     only until the transaction ends, however it ends: SQLite's commit and rollback hooks call
**     every participant's `end`, also for a COMMIT or ROLLBACK run by a caller. Another process
**     may write between two transactions. An `end` only forgets; it never touches the database
**     (it runs inside SQLite's COMMIT).
**  4. What is left unwritten when a run ends (the term counts, written at most once a second)
**     is written by `settle`, in a transaction of its own, from newsidx_settle() and before the
**     connection closes; a settle gives up rather than wait for another writer.
**  5. newsidx_db_close() settles, finalizes the cached statements, then calls every
**     participant's `close` in reverse joining order, which frees its state. A close does not
**     touch the database.
**  6. Subsystems join once per connection, when they make their state (newsidx_join()); db.c
**     knows none of them by name. Their hot paths (per article, per token) use their state
**     directly: the participants cost a function pointer call per commit, not per article.
*/
typedef struct newsidx_participant {
  const char *name;                                              /* for messages and debugging */
  newsidx_status_t (*flush)(newsidx_db *db, newsidx_error *err); /* rule 1; NULL: none */
  void (*forget)(newsidx_db *db);                                /* rule 2; NULL: none */
  void (*end)(newsidx_db *db);                                   /* rule 3; NULL: none */
  void (*settle)(newsidx_db *db);                                /* rule 4; NULL: none */
  void (*close)(newsidx_db *db);                                 /* rule 5; NULL: none */
} newsidx_participant;

/* db.c: makes `p` (a static constant, not joined yet) take part in the transactions of `db`.
** Returns 0, or -1 when NEWSIDX_MAX_PARTICIPANTS have joined (a bug: there are fewer
** subsystems). */
int newsidx_join(newsidx_db *db, const newsidx_participant *p);

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

/* SQL for an article's path and for its key, in a statement that reads `articles` (unaliased,
** alone in its FROM). The row says each path once. A file of its own (a text file) has its
** folder in `files` (folder_id; the folder's path ends with '/'), and articles.key is only its
** name in that folder, with articles.path ''. A JSON Lines record has its file in `files`
** (file_id), its id as its key, and path NULL. An article without a file has neither. The view
** article_keys(id, key, path) lists every article's. Outside core, newsidx_sql_article_key() and
** newsidx_sql_article_path() (article_place.c) return them. */
#define NEWSIDX_SQL_ARTICLE_PATH                                                                   \
  "CASE WHEN folder_id IS NOT NULL THEN " NEWSIDX_SQL_OWN_FILE_PATH                                \
  " WHEN file_id IS NOT NULL THEN (SELECT f.path FROM files f WHERE f.id = file_id) ELSE path END"
#define NEWSIDX_SQL_ARTICLE_KEY                                                                    \
  "CASE WHEN folder_id IS NOT NULL THEN " NEWSIDX_SQL_OWN_FILE_PATH " ELSE key END"
/* The path of an article whose folder_id is not NULL. */
#define NEWSIDX_SQL_OWN_FILE_PATH "((SELECT f.path FROM files f WHERE f.id = folder_id) || key)"

/* SQL for the time, in Unix seconds, that an article or a ledger term was indexed, in a
** statement that reads `articles` or `terms` (its column `seq`, unqualified): the time of the
** last batch (write transaction) that gave out a seq at or below it, as `batches` records them
** once per batch. NULL for a seq no batch gave out. Format it with
** strftime('%Y-%m-%dT%H:%M:%SZ', …, 'unixepoch'). */
#define NEWSIDX_SQL_INDEXED_AT                                                                     \
  "(SELECT b.at FROM batches b WHERE b.first_seq <= seq ORDER BY b.first_seq DESC LIMIT 1)"

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
