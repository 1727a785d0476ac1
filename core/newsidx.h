/*
** newsidx.h — the public API of the newsidx core library.
**
** newsidx keeps a news corpus in one SQLite file: an `articles` table with the metadata and
** text of every article, and an FTS5 index (`articles_fts`, external content) whose tokenizer
** is `snowball`: FTS5's own unicode61 splits and folds, libstemmer stems. Both command-line
** tools (`newsidx`, `newsq`) reach the library through this header only.
**
** Conventions, stated once:
**
**   Status.     Every function that can fail returns a newsidx_status_t. NEWSIDX_OK is 0.
**   Messages.   Such functions take a trailing `newsidx_error *err`, which may be NULL. On
**               failure it is filled with the status and a one-line message (no trailing
**               newline) naming the file, record or query position concerned; control
**               characters and bytes that are not UTF-8 in quoted input are escaped
**               (newsidx_text_escape). On success it is left untouched.
**   Ownership.  Pointers passed in are borrowed for the duration of the call. Pointers
**               returned through out-parameters are owned by the caller and freed with the
**               matching *_free()/close() function named in the comment; a `const char *`
**               returned by value is owned by the library and lives as long as its handle.
**   Exiting.    The library never prints and never exits; only main() does.
**   Threads.    A newsidx_db handle is used by one thread at a time.
*/
#ifndef NEWSIDX_H
#define NEWSIDX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sqlite3 sqlite3;
typedef struct fts5_api fts5_api;

/* ------------------------------------------------------------------------------------------
** Status codes. The numbers are stable: new codes are appended, none is ever reused.
*/
typedef enum newsidx_status {
  NEWSIDX_OK = 0,
  NEWSIDX_ERROR = 1,              /* an error with no more specific code */
  NEWSIDX_NOMEM = 2,              /* out of memory */
  NEWSIDX_IO = 3,                 /* a file could not be read or written */
  NEWSIDX_BUSY = 4,               /* the database stayed locked beyond the busy timeout */
  NEWSIDX_READONLY = 5,           /* the database or its folder is read-only */
  NEWSIDX_FULL = 6,               /* the disk is full */
  NEWSIDX_CORRUPT = 7,            /* not a newsidx database, or a damaged one */
  NEWSIDX_SCHEMA_TOO_NEW = 8,     /* made by a newer newsidx than this one */
  NEWSIDX_BAD_LANGUAGE = 9,       /* libstemmer has no stemmer by that name */
  NEWSIDX_LANGUAGE_MISMATCH = 10, /* the database was created for another language */
  NEWSIDX_QUERY = 11,             /* the query could not be understood */
  NEWSIDX_INPUT = 12,             /* a bad input record or file; processing goes on */
  NEWSIDX_NOT_FOUND = 13,         /* no such article, rule or file */
  NEWSIDX_INTERRUPTED = 14,       /* stopped by a signal or a timeout */
  NEWSIDX_MISUSE = 15,            /* the API was called with invalid arguments */
  NEWSIDX_NEEDS_REBUILD = 16      /* made by an older tokenizer: `newsidx rebuild` it to write */
} newsidx_status_t;

/* A short, constant English name for a status ("busy", "disk full"...). Never NULL. */
const char *newsidx_status_to_string(newsidx_status_t status);

typedef struct newsidx_error {
  newsidx_status_t status;
  char message[512];
} newsidx_error;

/* Fills `err` (when not NULL) with `status` and a printf-style message; returns `status`, so
** that a failing path reads `return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", ...);`. */
newsidx_status_t newsidx_error_set(newsidx_error *err, newsidx_status_t status, const char *format,
                                   ...) __attribute__((format(printf, 3, 4)));

/* Maps SQLite result code `rc` (with the connection's message) to a status and fills `err`
** with "<context>: <sqlite message>". Returns the status. */
newsidx_status_t newsidx_error_sqlite(newsidx_error *err, sqlite3 *sqlite, int rc,
                                      const char *context);

/* The status that SQLite result code `rc` stands for. */
newsidx_status_t newsidx_status_from_sqlite(int rc);

/* ------------------------------------------------------------------------------------------
** Opening an index.
**
** newsidx_db_open() opens (and with NEWSIDX_OPEN_CREATE creates) the SQLite file at `path`,
** checks that it is a newsidx index, migrates an older schema to the current one in one
** transaction, sets WAL mode and the busy timeout, and registers the `snowball` tokenizer on
** the connection. `language` picks the Snowball stemmer of a new database (NULL: "english");
** on an existing database NULL means "the stored one" and any other value must equal it.
**
** Failures: NEWSIDX_NOT_FOUND (no file and no CREATE flag), NEWSIDX_CORRUPT (not SQLite, or
** SQLite but not newsidx), NEWSIDX_SCHEMA_TOO_NEW, NEWSIDX_BAD_LANGUAGE (message lists the
** available languages), NEWSIDX_LANGUAGE_MISMATCH, NEWSIDX_BUSY, NEWSIDX_READONLY, NEWSIDX_IO.
** On failure *out is NULL. Close with newsidx_db_close().
*/
enum {
  NEWSIDX_OPEN_READONLY = 0x01, /* open read-only: searching, never migrating */
  NEWSIDX_OPEN_CREATE = 0x02    /* create the file and the schema when missing */
};

typedef struct newsidx_open_options {
  int flags;            /* NEWSIDX_OPEN_* */
  const char *language; /* Snowball language, see above */
  int busy_timeout_ms;  /* how long to wait for another writer; 0 means 30,000 ms */
} newsidx_open_options;

typedef struct newsidx_db newsidx_db;

newsidx_status_t newsidx_db_open(const char *path, const newsidx_open_options *options,
                                 newsidx_db **out, newsidx_error *err);
void newsidx_db_close(newsidx_db *db);

/* Writes, in a transaction of its own, what a writer keeps in memory for later: the number of
** articles of each word (term_docs), which it writes at most once a second while it indexes.
** The indexer calls it at the end of each run (each cycle of `newsidx watch` too), and
** newsidx_db_close() does. Best effort: when another writer holds the lock or changed the index
** meanwhile, the stored counts stay behind, and readers count for themselves until the next
** write. */
void newsidx_settle(newsidx_db *db);

/* The SQLite connection, for the query and ingest modules and for advanced use. The schema
** is documented in newsidx-schema(5) (docs/man). Owned by `db`. */
sqlite3 *newsidx_db_sqlite(newsidx_db *db);

/* FTS5's API object of this connection, for registering auxiliary functions. */
fts5_api *newsidx_db_fts5(newsidx_db *db);

/* The Snowball language of the open index ("english"). Owned by `db`. */
const char *newsidx_db_language(newsidx_db *db);

/* The file name of the open index, as given to newsidx_db_open(). Owned by `db`. */
const char *newsidx_db_path(newsidx_db *db);

/* The database path the tools use when none is given: $NEWSIDX_DB, else "news.db". */
const char *newsidx_default_db_path(void);

/* The current schema version (PRAGMA user_version of a fully migrated index). */
int newsidx_schema_version(void);

/* Interrupts a statement running on `db` from another thread or a signal handler
** (sqlite3_interrupt). The interrupted call returns NEWSIDX_INTERRUPTED. */
void newsidx_db_interrupt(newsidx_db *db);

/* ------------------------------------------------------------------------------------------
** Transactions. Every write goes through one: newsidx_begin() takes the write lock at once
** (BEGIN IMMEDIATE, waiting up to the busy timeout), newsidx_commit() makes the batch durable,
** newsidx_rollback() abandons it and cannot fail.
*/
newsidx_status_t newsidx_begin(newsidx_db *db, newsidx_error *err);
newsidx_status_t newsidx_commit(newsidx_db *db, newsidx_error *err);
void newsidx_rollback(newsidx_db *db);

/* ------------------------------------------------------------------------------------------
** Articles.
**
** An article record, as a reader produces it. All strings are UTF-8 and may be NULL except
** `key` and `body`. `date` is already normalized (see newsidx_date_normalize()). `tags` is a
** comma-separated list. `file_size` (bytes) and `file_mtime` (nanoseconds since the epoch)
** describe the article's own source file as it was read; they are -1 for records that share a
** file (JSON Lines). Whether a file changed is decided with the input_files state (below), not
** with these. An article needs a title or a non-empty body.
*/
typedef struct newsidx_article {
  const char *key;  /* stable unique key: the absolute path of a file, or a record's id */
  const char *path; /* the source file */
  const char *date; /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" */
  const char *title;
  const char *body;
  const char *source;
  const char *url;
  const char *author;
  const char *lang;
  const char *tags;
  int64_t file_size;
  int64_t file_mtime;
} newsidx_article;

typedef enum newsidx_store_outcome {
  NEWSIDX_STORED_ADDED = 0,     /* a new article */
  NEWSIDX_STORED_UPDATED = 1,   /* same key, new content: re-indexed in place (same id) */
  NEWSIDX_STORED_UNCHANGED = 2, /* same key, same content: only file size/mtime refreshed */
  NEWSIDX_STORED_DUPLICATE = 3  /* new key, but the same text as an existing article */
} newsidx_store_outcome;

/* Stores `article` inside the current transaction (outside one, in a transaction of its own):
** inserts or updates the `articles` row and
** keeps `articles_fts` in sync. A duplicate (same normalized title and body as another
** article) is stored with `dup_of` set and left out of the full-text index, so searches show
** each text once. Writes *outcome and, when `id` is not NULL, the article's id.
** Fails with NEWSIDX_INPUT (no key, neither title nor body, or more text than SQLite stores in
** a row: 1 GB by default), NEWSIDX_FULL, NEWSIDX_IO, NEWSIDX_BUSY. */
newsidx_status_t newsidx_store_article(newsidx_db *db, const newsidx_article *article,
                                       newsidx_store_outcome *outcome, int64_t *id,
                                       newsidx_error *err);

/* SQL for an article's key and for its path: a column expression each, in a statement that
** reads `articles` (unaliased, alone in its FROM), such as "SELECT id, %s, %s FROM articles
** WHERE ..." with them put in by sqlite3_mprintf(). A row stores a text file's path as its
** folder and its name, so reading either back takes this SQL rather than a column; the view
** article_keys(id, key, path) lists every article's (newsidx-schema(5)). Static strings. */
const char *newsidx_sql_article_key(void);
const char *newsidx_sql_article_path(void);

/* ------------------------------------------------------------------------------------------
** Preparing articles ahead, on another thread.
**
** Much of the work of storing an article needs no database: hashing its text, and running its
** title and body through the analysis chain (splitting, folding, stemming, finding the words
** and names the term ledger notes). newsidx_prepare_article() does that work ahead of the
** store, on any thread, with an analyzer of that thread's own; newsidx_store_prepared() then
** stores the article, and the full-text index takes the prepared tokens instead of making them
** again. The index, the ledger and every outcome are the same as newsidx_store_article()'s.
*/
typedef struct newsidx_analyzer newsidx_analyzer;
typedef struct newsidx_prepared newsidx_prepared;

/* Creates an analyzer with the tokenizer chain of the index `db`, on db's thread. From then on
** it is independent of `db`: it may be used on any one thread at a time, and must be closed
** before `db` is. Fails with NEWSIDX_NOMEM, NEWSIDX_ERROR, and NEWSIDX_CORRUPT when the
** language the index records has no Snowball stemmer (the message names it). */
newsidx_status_t newsidx_analyzer_open(newsidx_db *db, newsidx_analyzer **out, newsidx_error *err);
void newsidx_analyzer_close(newsidx_analyzer *analyzer);

/* Prepares `article` into a new *out (free with newsidx_prepared_free()). The article's title
** and body are borrowed until the prepared article is freed: they must not change or move.
** Fails with NEWSIDX_NOMEM; *out is then NULL. */
newsidx_status_t newsidx_prepare_article(newsidx_analyzer *analyzer, const newsidx_article *article,
                                         newsidx_prepared **out, newsidx_error *err);

/* The bytes a prepared article holds (for bounding a queue of them). */
size_t newsidx_prepared_size(const newsidx_prepared *prepared);
void newsidx_prepared_free(newsidx_prepared *prepared);

/* newsidx_store_article() with the work of newsidx_prepare_article() for this article, whose
** title and body must be the very strings prepared (the same pointers); `prepared` is ignored
** when they are not, or when it is NULL. Same outcomes and failures. */
newsidx_status_t newsidx_store_prepared(newsidx_db *db, const newsidx_article *article,
                                        const newsidx_prepared *prepared,
                                        newsidx_store_outcome *outcome, int64_t *id,
                                        newsidx_error *err);

/* Looks up the article stored under `key`. Writes its id and the file size and mtime it was
** indexed from (-1 when unknown). Returns NEWSIDX_NOT_FOUND when there is none. */
newsidx_status_t newsidx_lookup_key(newsidx_db *db, const char *key, int64_t *id,
                                    int64_t *file_size, int64_t *file_mtime, newsidx_error *err);

/* Deletes article `id` inside the current transaction (outside one, in a transaction of its
** own), from `articles` and the full-text
** index. When it had duplicates, the oldest of them takes its place in the index. The file of
** a text file's article stays known as it was read (input_files), so that indexing it again
** leaves it out while it is unchanged. Returns NEWSIDX_NOT_FOUND when there is no such
** article. */
newsidx_status_t newsidx_delete_article(newsidx_db *db, int64_t id, newsidx_error *err);

/* ------------------------------------------------------------------------------------------
** Input files: what the index knows of each file it has read (table input_files), so that a
** re-run recognizes an unchanged file without reading it and reads only the new end of a JSON
** Lines file that was appended to. The indexer decides what the fields mean for a file
** format; the library stores them.
*/
typedef struct newsidx_input_file {
  const char *path;    /* absolute, canonical; the key of the row */
  int64_t size;        /* bytes, as the file was when it was read */
  int64_t mtime_ns;    /* its modification time, nanoseconds since the epoch */
  int64_t offset;      /* bytes processed: reading goes on from here */
  int64_t lines;       /* lines before offset, so that messages keep their line numbers */
  int64_t window_hash; /* identifies the bytes before offset (the indexer's hash) */
  int64_t n_skipped;   /* skipped before offset, not stored: empty articles, a binary file */
} newsidx_input_file;

/* Reads the state of the file at `path` into *out (out->path is set to `path`, borrowed): its
** own, or that of the text file's article (newsidx_input_file_by_article()). Returns
** NEWSIDX_NOT_FOUND when the file is not known. */
newsidx_status_t newsidx_input_file_get(newsidx_db *db, const char *path, newsidx_input_file *out,
                                        newsidx_error *err);

/* Records the state of a file, inside the current transaction, so that it commits with the
** articles it covers. Replaces any earlier state of the same path. */
newsidx_status_t newsidx_input_file_put(newsidx_db *db, const newsidx_input_file *in,
                                        newsidx_error *err);

/* Records, inside the current transaction, that the text file `path` was read whole into the
** article whose key is `path`, stored with the file's size and mtime (newsidx_article's
** file_size and file_mtime): that row is the file's state, and newsidx_input_file_get() reads
** it from there (offset = size, no lines, hash or skips). Any state of its own goes. A folder
** of files so keeps each file's name twice (in its article's row and in their index) and its
** folder once, not each path three times. */
newsidx_status_t newsidx_input_file_by_article(newsidx_db *db, const char *path,
                                               newsidx_error *err);

/* Writes to *known whether the index knows anything of the files in `folder` (its first n bytes,
** ending with '/'): the article of a file there, or the state of a file at or under it. When it
** knows nothing, a run takes every file there as new without looking each up. */
newsidx_status_t newsidx_folder_known(newsidx_db *db, const char *folder, size_t n, int *known,
                                      newsidx_error *err);

/* Writes to *n the number of articles whose source file is `path`. */
newsidx_status_t newsidx_count_from_path(newsidx_db *db, const char *path, int64_t *n,
                                         newsidx_error *err);

/* Says whether newsidx_remove_path() removes what came from `path`: non-zero to remove. */
typedef int (*newsidx_path_filter)(void *ctx, const char *path);

/* Removes, inside the current transaction, the articles that came from the file `path` or from
** files under the folder `path`, and forgets those files' state, so that indexing them again
** adds them back. "-" names the articles read from standard input. When `filter` is not NULL,
** only the paths it accepts are removed (pruning passes "the file is gone"). Duplicates among
** the rest are promoted as by newsidx_delete_article(). Adds the number of articles removed
** to *n_removed (when not NULL). Fails with NEWSIDX_NOMEM, NEWSIDX_BUSY, NEWSIDX_FULL,
** NEWSIDX_IO; the caller then rolls back. */
newsidx_status_t newsidx_remove_path(newsidx_db *db, const char *path, newsidx_path_filter filter,
                                     void *ctx, int64_t *n_removed, newsidx_error *err);

/* ------------------------------------------------------------------------------------------
** Fetched URLs (table fetched, schema 15): what the last fetch of each URL left, so that the
** next one is conditional (If-None-Match, If-Modified-Since) and `newsidx feeds` can show a
** broken feed. The fetcher decides what the fields mean; the library stores them.
*/
typedef struct newsidx_fetch_state {
  const char *url;           /* as it was asked for; the key of the row */
  const char *etag;          /* the last response's ETag, or NULL */
  const char *last_modified; /* its Last-Modified, as sent, or NULL */
  const char *fetched_at;    /* "YYYY-MM-DDTHH:MM:SSZ": when it was last asked (set by put) */
  int http_status;           /* of the last answer; 0 when none came (DNS, TLS, connection) */
  const char *final_url;     /* where redirects led, or NULL when there were none */
  int redirects;             /* how many were followed */
  int64_t items;             /* articles it gave at its last 200 */
  const char *error;         /* what went wrong last time, or NULL after a success */
} newsidx_fetch_state;

/* Reads the state of `url` into *out, whose strings are copies in one allocation returned in
** *owned (free() it). Returns NEWSIDX_NOT_FOUND when the URL was never fetched. */
newsidx_status_t newsidx_fetch_state_get(newsidx_db *db, const char *url, newsidx_fetch_state *out,
                                         char **owned, newsidx_error *err);

/* Records the state of a URL, inside the current transaction (so that it commits with the
** articles it gave), replacing the earlier one; fetched_at is set to now. */
newsidx_status_t newsidx_fetch_state_put(newsidx_db *db, const newsidx_fetch_state *in,
                                         newsidx_error *err);

/* Calls `each` with every fetched URL's state, by URL (strings valid during the call); a
** non-zero return stops the listing. */
typedef int (*newsidx_fetch_state_fn)(void *ctx, const newsidx_fetch_state *state);
newsidx_status_t newsidx_fetch_state_list(newsidx_db *db, newsidx_fetch_state_fn each, void *ctx,
                                          newsidx_error *err);

/* ------------------------------------------------------------------------------------------
** Maintenance: statistics, checks, optimization.
*/

/* Bytes the index takes on disk: the database file and its write-ahead log (0 when absent,
** and both 0 for an in-memory index). Fails with NEWSIDX_IO when the file cannot be stat'ed. */
newsidx_status_t newsidx_disk_usage(newsidx_db *db, int64_t *db_bytes, int64_t *wal_bytes,
                                    newsidx_error *err);

typedef struct newsidx_source_count {
  const char *name; /* owned by the stats */
  int64_t articles;
} newsidx_source_count;

/* What newsidx_stats() reports. Strings are NULL when there is nothing to report (no dated
** article, no source). */
typedef struct newsidx_stats {
  int schema_version;
  const char *language;     /* the Snowball stemmer */
  int64_t articles;         /* every article, duplicates included */
  int64_t originals;        /* articles that are not duplicates: what searches see */
  int64_t duplicates;       /* articles recorded as repeating an original */
  int64_t input_files;      /* files whose state is kept (input_files, text files' articles) */
  int64_t undated;          /* articles without a date */
  const char *first_date;   /* the earliest and latest dates, as stored */
  const char *last_date;    /*   ("1987-02-26" or "1987-02-26T15:01:01Z") */
  const char *last_indexed; /* when an article was last stored, ISO 8601 UTC */
  int64_t terms;            /* distinct terms (stems) in the full-text index */
  int64_t sources;          /* distinct sources */
  int n_top_sources;        /* entries in top_sources */
  newsidx_source_count *top_sources; /* the sources with the most articles, most first */
  int64_t db_bytes, wal_bytes;       /* newsidx_disk_usage() */
  int64_t free_bytes;                /* unused pages inside the file, given back by a VACUUM */
} newsidx_stats;

/* Gathers the statistics of the index into a new *out (free with newsidx_stats_free()),
** with at most `max_sources` top sources. Reads one consistent snapshot; works on a read-only
** handle while another process writes. Fails with NEWSIDX_NOMEM, NEWSIDX_BUSY, NEWSIDX_IO,
** NEWSIDX_CORRUPT; *out is then NULL. */
newsidx_status_t newsidx_stats_get(newsidx_db *db, int max_sources, newsidx_stats **out,
                                   newsidx_error *err);
void newsidx_stats_free(newsidx_stats *stats);

/* Receives one problem found by newsidx_check(): a one-line description, no newline. */
typedef void (*newsidx_problem_fn)(void *ctx, const char *problem);

enum {
  NEWSIDX_CHECK_QUICK = 0x01 /* PRAGMA quick_check instead of the slower integrity_check */
};

/* Checks the index: SQLite's integrity_check (or quick_check), FTS5's integrity-check
** comparing the full-text index with the text it should hold (articles_text), and newsidx's
** own invariants: every duplicate points at an existing original with the same text, each
** text has exactly one original, every article has text, the index records its language, the
** document facts (below) agree with FTS5's lengths and the dates, every date is in a stored
** form. Calls `on_problem` once per problem (after the first 20 of a kind, once more with their
** count) and writes the number of problems to *n_problems. The full-text check is a write
** statement to SQLite: `db` must be writable, and it waits for a running indexer's batch.
** Returns NEWSIDX_OK when the checks ran, whatever they found; an error (NEWSIDX_BUSY,
** NEWSIDX_IO, NEWSIDX_READONLY...) when they could not. */
newsidx_status_t newsidx_check(newsidx_db *db, int flags, newsidx_problem_fn on_problem, void *ctx,
                               int64_t *n_problems, newsidx_error *err);

enum {
  NEWSIDX_OPTIMIZE_VACUUM = 0x01 /* also VACUUM: give the freed pages back to the file system */
};

/* Whether the full-text index was made by an older tokenizer than this newsidx's (meta
** tokenizer_version; see newsidx-schema(5)). Such an index can be searched, but prefixes,
** exact forms, numbers and initials find what they found then; adding to it fails with
** NEWSIDX_NEEDS_REBUILD until newsidx_rebuild() has run. */
int newsidx_db_needs_rebuild(newsidx_db *db);
#define NEWSIDX_NEEDS_REBUILD_MESSAGE                                                              \
  "%s: the full-text index was made by an older tokenizer; run 'newsidx rebuild' to make it again" \
  " from the stored text"

/* Called by newsidx_rebuild() after each chunk: `done` of `total` articles indexed again. */
typedef void (*newsidx_rebuild_fn)(void *ctx, int64_t done, int64_t total);

/* Makes the full-text index again from the stored text, with this newsidx's tokenizer, then the
** document facts and word counts derived from it, and records the tokenizer version; one
** transaction (searches keep the old index until it commits; another writer waits). Fails with
** NEWSIDX_BUSY, NEWSIDX_FULL, NEWSIDX_IO, NEWSIDX_INTERRUPTED. */
newsidx_status_t newsidx_rebuild(newsidx_db *db, newsidx_rebuild_fn progress, void *ctx,
                                 newsidx_error *err);

/* Merges the full-text index into one segment (FTS5 'optimize'), rebuilds the document facts
** (below) from it, updates the query planner's
** statistics (PRAGMA optimize), optionally VACUUMs, and checkpoints the write-ahead log into
** the database (truncating it when no reader holds it). Searches keep working meanwhile;
** another writer waits. Fails with NEWSIDX_BUSY, NEWSIDX_FULL, NEWSIDX_IO. */
newsidx_status_t newsidx_optimize(newsidx_db *db, int flags, newsidx_error *err);

/* Gives the pages that became free inside the file (FTS5's merges free many) back to the file
** system, when there are at least `min_pages` of them, in a transaction of its own: the file
** shrinks without a VACUUM. Only indexes created with automatic vacuuming (incremental) can;
** for others it does nothing. Fails with NEWSIDX_BUSY, NEWSIDX_FULL, NEWSIDX_IO. */
newsidx_status_t newsidx_release_free_pages(newsidx_db *db, int64_t min_pages, newsidx_error *err);

/* ------------------------------------------------------------------------------------------
** Document facts: what a search needs of every article without reading its row (ranking,
** date filters, newest-first order), kept by the writer in the table `docinfo` and loaded
** whole by readers (about 12 bytes an article).
**
** `when` is an article's date as a number that sorts as the stored ISO 8601 strings do: a
** date-time "YYYY-MM-DDTHH:MM:SSZ" is 2 × its seconds since 1970-01-01 UTC, a bare date
** "YYYY-MM-DD" 2 × the seconds of its midnight − 1 (a bare date sorts before the date-times of
** its day, like a string before the longer strings it begins). For stored dates, and for the
** bounds of date filters (query dates are in the same two forms), a < b as strings exactly
** when newsidx_when(a) < newsidx_when(b). No date, or one in neither form, is
** NEWSIDX_WHEN_UNDATED, below every date; an id that is not in the full-text index (deleted,
** a duplicate, never used) is NEWSIDX_WHEN_ABSENT, below that.
*/
#define NEWSIDX_WHEN_ABSENT  INT64_MIN
#define NEWSIDX_WHEN_UNDATED (INT64_MIN + 1)

/* The `when` of a stored date (NULL: NEWSIDX_WHEN_UNDATED). */
int64_t newsidx_when(const char *date);

/* Writes the stored date a `when` stands for ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") to `out`
** (NEWSIDX_DATE_MAX bytes): newsidx_when_text(newsidx_when(s)) gives s back for every stored
** date s. Returns 0, or -1 (and "") for NEWSIDX_WHEN_UNDATED, NEWSIDX_WHEN_ABSENT or anything
** outside the years 1 to 9999. */
int newsidx_when_text(int64_t when, char *out);

/* Seconds since 1970-01-01 UTC of a dated `when` (a bare date: its midnight). */
double newsidx_when_seconds(int64_t when);

typedef struct newsidx_docinfo {
  int64_t n_ids;            /* the arrays cover ids 0 .. n_ids - 1; larger ids are absent */
  const int64_t *when;      /* per id: its date (above) */
  const uint32_t *n_tokens; /* per id: its tokens, title and body together, as FTS5 counts
                            ** them (its %_docsize); what BM25 calls the document length */
  int64_t n_indexed;        /* ids in the full-text index */
  int64_t total_tokens;     /* the sum of n_tokens */
  /* With NEWSIDX_DOCINFO_ORDER (else NULL), for walking ids in date order: */
  const int64_t *newest_upto; /* per id i: the largest `when` of the ids <= i */
  const int64_t *oldest_from; /* per id i: the smallest date of the dated ids >= i, or
                              ** INT64_MAX when there is none */
} newsidx_docinfo;

enum {
  NEWSIDX_DOCINFO_ORDER = 0x01 /* also compute newest_upto and oldest_from */
};

/* Writes to *out the document facts of the snapshot the connection reads: loaded on first
** use and again whenever the index changed since (another connection committed, as PRAGMA
** data_version tells, or this handle wrote). Call it inside a read transaction that also runs
** the statements the facts go with, so that both see the same snapshot. Owned by `db`: valid
** until the next call on `db` or newsidx_db_close(); the fields are read-only. Fails with
** NEWSIDX_NOMEM, NEWSIDX_CORRUPT (a damaged table), NEWSIDX_BUSY, NEWSIDX_IO; *out is then
** NULL. */
newsidx_status_t newsidx_docinfo_get(newsidx_db *db, int flags, const newsidx_docinfo **out,
                                     newsidx_error *err);

/* Writes to *n_docs the number of indexed articles that hold `stem` (n_stem bytes: a token as
** the index stores it, newsidx_tokenize()'s stem), 0 when none does, or -1 when the stored
** counts are behind the index (a writer between two writes of them, or one that stopped before
** writing them): count with FTS5 then. Read from the table `term_docs` in the connection's
** current snapshot: call it inside the read transaction of the statements it goes with. Fails
** with NEWSIDX_CORRUPT (a damaged row) and SQLite's errors. */
newsidx_status_t newsidx_term_docs(newsidx_db *db, const char *stem, int n_stem, int64_t *n_docs,
                                   newsidx_error *err);

/* ------------------------------------------------------------------------------------------
** Analysis: the same Snowball chain the index uses.
**
** newsidx_tokenize() runs `text` (n_text bytes of UTF-8; invalid sequences are treated as
** separators) through the index's tokenizer and calls `on_token` once per token with its stem
** (n_stem bytes, not NUL-terminated) and the byte range [start, end) of the surface form in
** `text`. A non-zero return from `on_token` stops the walk and is returned as NEWSIDX_ERROR.
** Fails with NEWSIDX_CORRUPT when the language the index records has no Snowball stemmer.
*/
typedef int (*newsidx_token_fn)(void *ctx, const char *stem, int n_stem, int start, int end);

newsidx_status_t newsidx_tokenize(newsidx_db *db, const char *text, int n_text,
                                  newsidx_token_fn on_token, void *ctx, newsidx_error *err);

/* The NULL-terminated list of languages libstemmer offers ("arabic", ..., "english", ...).
** Owned by libstemmer. */
const char **newsidx_languages(void);

/* Registers the `snowball` tokenizer on a connection that newsidx did not open (the loadable
** extension does this). Returns an SQLite result code. */
int newsidx_register_tokenizer(sqlite3 *sqlite);

/* The tokenize= argument the index uses for `language`:
** "snowball english unicode61 remove_diacritics 2". Writes at most `size` bytes. */
void newsidx_tokenizer_spec(const char *language, char *buf, size_t size);

/* ------------------------------------------------------------------------------------------
** Alert rules' rows (rules_store.c).
**
** The tables of alert rules (rules, rule_hits, rule_terms; newsidx-schema(5)) are created,
** migrated and written by core alone; newsq's rules (query/monitor/) decide what a run reports
** and read the rows with SELECTs. Each function writes inside the caller's write transaction
** (newsidx_begin()) and fails with SQLite's errors, mapped as newsidx_status_t, besides those
** named.
*/

/* A term a new-terms rule reported: the term, whether it is a name, its seq in the ledger. */
typedef struct newsidx_rule_term {
  const char *term;
  int is_name;
  int64_t seq;
} newsidx_rule_term;

/* Adds rule `name` of `kind` (0 a query, 1 new terms) with its query text and options (JSON),
** its mark at `cursor` and `created_at`, and writes its id, never given before, to *id. Fails
** with NEWSIDX_INPUT when a rule named `name` exists. */
newsidx_status_t newsidx_rule_add(newsidx_db *db, const char *name, int kind, const char *query,
                                  const char *options, int64_t cursor, const char *created_at,
                                  int64_t *id, newsidx_error *err);

/* Removes rule `name` with its hits and its terms. Fails with NEWSIDX_NOT_FOUND when there is
** no such rule. */
newsidx_status_t newsidx_rule_remove(newsidx_db *db, const char *name, newsidx_error *err);

/* Records a run of rule `rule_id` at `now`: the n_articles articles it reported (each once per
** rule; one removed meanwhile is skipped), the n_terms terms, its mark moved up to `cursor`
** (never down) and its terms at or below the mark pruned (never looked at again). A rule removed
** meanwhile is left alone: rule ids are never given again. */
newsidx_status_t newsidx_rule_record_run(newsidx_db *db, int64_t rule_id, const int64_t *articles,
                                         size_t n_articles, const newsidx_rule_term *terms,
                                         size_t n_terms, int64_t cursor, const char *now,
                                         newsidx_error *err);

/* ------------------------------------------------------------------------------------------
** Text helpers.
*/

/* Non-zero when the n bytes at s are well-formed UTF-8 (no overlong forms, no surrogates,
** nothing above U+10FFFF). */
int newsidx_utf8_valid(const char *s, size_t n);

/* Decodes n bytes of Windows-1252 into a new NUL-terminated UTF-8 string written to *out
** (free() it); *n_out gets its length. Bytes that Windows-1252 leaves undefined become
** U+FFFD. Fails only with NEWSIDX_NOMEM. */
newsidx_status_t newsidx_cp1252_to_utf8(const char *s, size_t n, char **out, size_t *n_out,
                                        newsidx_error *err);

/* The encodings a byte-order mark declares besides UTF-8's, which text and JSON Lines readers
** decode before they look for NUL bytes (UTF-16 is full of them). */
typedef enum newsidx_wide_encoding {
  NEWSIDX_WIDE_NONE = 0, /* no UTF-16 or UTF-32 byte-order mark: UTF-8 or a single-byte code */
  NEWSIDX_WIDE_UTF16LE,
  NEWSIDX_WIDE_UTF16BE,
  NEWSIDX_WIDE_UTF32LE,
  NEWSIDX_WIDE_UTF32BE
} newsidx_wide_encoding;

/* The encoding whose byte-order mark starts the n bytes at s, *n_bom getting the mark's length
** in bytes (0 for NEWSIDX_WIDE_NONE). FF FE 00 00 is UTF-32LE's mark, not UTF-16LE's followed
** by U+0000. */
newsidx_wide_encoding newsidx_wide_sniff(const char *s, size_t n, size_t *n_bom);

/* The state of a decoding from UTF-16 or UTF-32 to UTF-8 that may come in pieces: set
** `encoding`, zero the rest. `n_replaced` counts what became U+FFFD: unpaired surrogates, code
** points beyond U+10FFFF and a code unit cut short at the end. */
typedef struct newsidx_wide_decoder {
  newsidx_wide_encoding encoding;
  unsigned char carry[4]; /* the bytes of a code unit split between two pieces */
  unsigned n_carry;
  unsigned high; /* a high surrogate waiting for its low one, or 0 */
  long n_replaced;
} newsidx_wide_decoder;

/* The most bytes newsidx_wide_decode() writes for n bytes in. */
#define NEWSIDX_WIDE_OUT_MAX(n) (2 * (n) + 8)

/* Decodes the n bytes at `in` (after the byte-order mark), the next piece of the text, into
** `out`, which has room for NEWSIDX_WIDE_OUT_MAX(n) bytes; `final` says the text ends with this
** piece (n may be 0). Returns the bytes written, not NUL-terminated. */
size_t newsidx_wide_decode(newsidx_wide_decoder *d, const char *in, size_t n, char *out, int final);

/* Rewrites the NUL-terminated UTF-8 string `s` in place for storage: drops a leading byte-order
** mark, turns CR LF and lone CR into LF, removes control characters other than tab and
** newline (C0, DEL and the C1 range U+0080..U+009F), and trims trailing white space. Returns
** the new length in bytes. */
size_t newsidx_text_clean(char *s);

/* A copy of the n bytes at s (free() it) in which every byte that is not part of well-formed
** UTF-8 is replaced by U+FFFD, for formats that must be UTF-8 (JSON, CSV); *n_out (when not
** NULL) gets its length. NULL when out of memory. */
char *newsidx_utf8_repair(const char *s, size_t n, size_t *n_out);

/* How newsidx_text_escape() writes white space. */
enum {
  NEWSIDX_ESCAPE_NAME = 0, /* a file name or key: newline, tab and CR as \n, \t, \r */
  NEWSIDX_ESCAPE_PROSE = 1 /* a title or snippet: newline, tab and CR as a space */
};

/* Makes the n bytes at s safe to show on one line of a terminal, whatever they hold: control
** characters (C0, DEL, and the C1 range U+0080..U+009F, which terminals obey as commands:
** U+009B is CSI, as ESC [ is) are written as \xHH (C1 as \u0085), and bytes that are not
** UTF-8 as \xHH; white space as `flags` says; everything else as it is (a backslash too).
** Writes at most `size` bytes to out, NUL-terminated, never cutting a character or an
** escape, and returns the length the whole escaped text needs, as snprintf() does. */
size_t newsidx_text_escape(const char *s, size_t n, int flags, char *out, size_t size);

/* newsidx_text_escape() into a new string (free() it); NULL when out of memory. */
char *newsidx_text_escaped(const char *s, size_t n, int flags);

/* ------------------------------------------------------------------------------------------
** Dates.
**
** newsidx_date_normalize() accepts "YYYY-MM-DD", ISO 8601 date-times with or without a zone
** ("2026-03-05T14:03:00+01:00", "2026-03-05 14:03Z") and RFC 2822 ("Thu, 05 Mar 2026 14:03:00
** +0100", and the malformed variants feeds write: see date.c), and writes "YYYY-MM-DD" for a bare
*date or "YYYY-MM-DDTHH:MM:SSZ" (UTC) for a
** date-time to `out` (at least NEWSIDX_DATE_MAX bytes). A date-time without a zone is taken
** as UTC. Fails with NEWSIDX_INPUT for anything else, including impossible dates.
*/
#define NEWSIDX_DATE_MAX 32
newsidx_status_t newsidx_date_normalize(const char *text, char *out, newsidx_error *err);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" in `out` (NEWSIDX_DATE_MAX bytes). */
void newsidx_now_iso(char *out);

#ifdef __cplusplus
}
#endif
#endif /* NEWSIDX_H */
