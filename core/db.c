/*
** db.c — opening an index: the SQLite connection, its settings, the tokenizer registration,
** the schema check and migration; and the transaction helpers.
*/
#include "db_internal.h"

#include <assert.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define DEFAULT_BUSY_TIMEOUT_MS 30000
#define NEWSIDX_PAGE_SIZE       "16384"

const char *newsidx_default_db_path(void) {
  const char *env = getenv("NEWSIDX_DB");
  return env && *env ? env : "news.db";
}

newsidx_status_t newsidx_exec(newsidx_db *db, const char *sql, const char *context,
                              newsidx_error *err) {
  int rc = sqlite3_exec(db->sqlite, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db->sqlite, rc, context);
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_prepare(newsidx_db *db, const char *sql, sqlite3_stmt **stmt,
                                 const char *context, newsidx_error *err) {
  int rc = sqlite3_prepare_v2(db->sqlite, sql, -1, stmt, NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db->sqlite, rc, context);
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_statement(newsidx_db *db, const char *sql, sqlite3_stmt **out,
                                   newsidx_error *err) {
  *out = NULL;
  int i = 0;
  while (i < db->n_statements && db->statements[i].sql != sql)
    i++;
  if (i == db->n_statements) {
    if (i == NEWSIDX_MAX_STATEMENTS)
      return newsidx_error_set(err, NEWSIDX_MISUSE, "more than %d cached statements",
                               NEWSIDX_MAX_STATEMENTS);
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v3(db->sqlite, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
    if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db->sqlite, rc, "preparing a statement");
    db->statements[db->n_statements++] = (struct cached_statement){sql, stmt};
  }
  sqlite3_reset(db->statements[i].stmt);
  sqlite3_clear_bindings(db->statements[i].stmt);
  *out = db->statements[i].stmt;
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_query_int64(newsidx_db *db, const char *sql, int64_t *out,
                                     newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = newsidx_prepare(db, sql, &stmt, sql, err);
  if (status != NEWSIDX_OK) return status;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64(stmt, 0);
  else
    status = newsidx_error_sqlite(err, db->sqlite, rc, sql);
  sqlite3_finalize(stmt);
  return status;
}

/* Reads meta.language into db->language. */
static newsidx_status_t read_language(newsidx_db *db, newsidx_error *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db->sqlite, "SELECT value FROM meta WHERE key = 'language'", -1,
                              &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    newsidx_status_t status = newsidx_error_sqlite(err, db->sqlite, rc, db->path);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_DONE)
      return newsidx_error_set(err, NEWSIDX_CORRUPT, "%s: the index records no language", db->path);
    return status;
  }
  const char *language = (const char *)sqlite3_column_text(stmt, 0);
  snprintf(db->language, sizeof db->language, "%s", language ? language : "");
  sqlite3_finalize(stmt);
  return NEWSIDX_OK;
}

/* Reads meta.tokenizer_version into db->tokenizer_version. */
static newsidx_status_t read_tokenizer_version(newsidx_db *db, newsidx_error *err) {
  int64_t version = 1;
  newsidx_status_t status =
      newsidx_query_int64(db,
                          "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                          " WHERE key = 'tokenizer_version'), 1)",
                          &version, err);
  db->tokenizer_version = (int)version;
  return status;
}

/* Non-zero when the folder holding `path` cannot be written (permissions or a read-only file
** system): SQLite cannot create the -wal and -shm files of a WAL database there. */
static int folder_read_only(const char *path) {
  char *copy = strdup(path);
  if (!copy) return 0;
  int read_only = access(dirname(copy), W_OK) != 0 && (errno == EACCES || errno == EROFS);
  free(copy);
  return read_only;
}

/* Byte 18 of the SQLite header at `path`, the file format version a writer needs (1 legacy, 2
** WAL; above that, SQLite only reads the file), or -1 when it cannot be read. */
static int header_write_version(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  int version = fseek(f, 18, SEEK_SET) == 0 ? getc(f) : -1;
  fclose(f);
  return version;
}

/* Why a writer cannot write the index at `path`, for the message of NEWSIDX_READONLY. */
static const char *read_only_reason(const char *path) {
  if (header_write_version(path) > 2)
    return "its header says only a newer SQLite may write it (write version above 2)";
  struct statvfs fs;
  if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_RDONLY)) return "it is on a read-only file system";
  if (access(path, W_OK) != 0 && errno == EACCES) return "no permission to write the file";
  if (folder_read_only(path))
    return "no permission to write its folder (where the index keeps its -wal and -shm files)";
  return "SQLite opened it read-only";
}

/* Should a reader open `path` as an immutable file? Only when SQLite could not read it
** otherwise: a WAL index is read through its -shm file, which a reader creates beside it when
** missing; in a folder it cannot write, that fails. When no write-ahead log is left there
** either (the last writer folded it into the file when it closed), the file alone holds the
** whole index. Nothing can change it while the folder stays read-only to writers too: fine
** for snapshots and read-only mounts, not for a folder another user is indexing into. */
static int read_as_immutable(const char *path) {
  char wal[4096];
  struct stat st;
  snprintf(wal, sizeof wal, "%s-wal", path);
  int wal_in_use = stat(wal, &st) == 0 && st.st_size > 0;
  snprintf(wal, sizeof wal, "%s-shm", path);
  return !wal_in_use && stat(wal, &st) != 0 && errno == ENOENT && folder_read_only(path);
}

/* "file:PATH?immutable=1", with the bytes of PATH that a URI gives meaning to %-escaped. */
static char *immutable_uri(const char *path) {
  size_t n = strlen(path);
  char *uri = malloc(n * 3 + 32);
  if (!uri) return NULL;
  size_t used = (size_t)snprintf(uri, 8, "file:");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7F)
      used += (size_t)snprintf(uri + used, 4, "%%%02X", *p);
    else
      uri[used++] = (char)*p;
  }
  snprintf(uri + used, 16, "?immutable=1");
  return uri;
}

/* Did the first read of the index fail with `status` because SQLite could not make or write
** the -wal or -shm file beside it? (SQLite says "readonly" or "unable to open".) */
static int cannot_write_beside(newsidx_db *db, newsidx_status_t status) {
  return status == NEWSIDX_READONLY || (status == NEWSIDX_IO && folder_read_only(db->path));
}

/* ---- participants (db_internal.h, NOTES ON TRANSACTIONS) ---------------------------------- */

int newsidx_join(newsidx_db *db, const newsidx_participant *p) {
  for (int i = 0; i < db->n_participants; i++)
    assert(db->participants[i] != p); /* rule 6: once per connection */
  assert(db->n_participants < NEWSIDX_MAX_PARTICIPANTS);
  if (db->n_participants == NEWSIDX_MAX_PARTICIPANTS) return -1;
  db->participants[db->n_participants++] = p;
  return 0;
}

/* Rule 3: the transaction ended, however it ended (SQLite's commit and rollback hooks). */
static void forget_transaction(newsidx_db *db) {
  for (int i = 0; i < db->n_participants; i++)
    if (db->participants[i]->end) db->participants[i]->end(db);
}

static int on_commit(void *db) {
  forget_transaction(db);
  return 0; /* let it commit */
}

static void on_rollback(void *db) { forget_transaction(db); }

static newsidx_status_t open_connection(newsidx_db *db, int flags, int busy_timeout_ms,
                                        newsidx_error *err) {
  struct stat st;
  int exists = stat(db->path, &st) == 0;
  if (!exists && !(flags & NEWSIDX_OPEN_CREATE))
    return newsidx_error_set(err, NEWSIDX_NOT_FOUND, "%s: no index here (newsidx creates one)",
                             db->path);
  if (exists && S_ISDIR(st.st_mode))
    return newsidx_error_set(err, NEWSIDX_IO, "%s: is a directory", db->path);
  if (!exists && folder_read_only(db->path))
    return newsidx_error_set(err, NEWSIDX_READONLY, "%s: cannot create the index: %s", db->path,
                             read_only_reason(db->path));

  int open_flags = db->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!db->read_only && (flags & NEWSIDX_OPEN_CREATE)) open_flags |= SQLITE_OPEN_CREATE;
  char *uri = NULL;
  if (db->read_only && exists && read_as_immutable(db->path)) {
    if (!(uri = immutable_uri(db->path)))
      return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    open_flags |= SQLITE_OPEN_URI;
  }
  int rc =
      sqlite3_open_v2(uri ? uri : db->path, &db->sqlite, open_flags | SQLITE_OPEN_NOMUTEX, NULL);
  free(uri);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db->sqlite, rc, db->path);
  if (!db->read_only && sqlite3_db_readonly(db->sqlite, "main") == 1)
    return newsidx_error_set(err, NEWSIDX_READONLY, "%s: cannot write the index: %s", db->path,
                             read_only_reason(db->path));
  sqlite3_extended_result_codes(db->sqlite, 1);
  sqlite3_commit_hook(db->sqlite, on_commit, db);
  sqlite3_rollback_hook(db->sqlite, on_rollback, db);
  db->busy_timeout_ms = busy_timeout_ms > 0 ? busy_timeout_ms : DEFAULT_BUSY_TIMEOUT_MS;
  sqlite3_busy_timeout(db->sqlite, db->busy_timeout_ms);

  db->fts5 = newsidx_fts5_api_of(db->sqlite);
  if (!db->fts5)
    return newsidx_error_set(err, NEWSIDX_ERROR, "%s: this SQLite has no FTS5", db->path);
  rc = newsidx_snowball_register(db->fts5, &db->snowball);
  if (rc != SQLITE_OK)
    return newsidx_error_sqlite(err, db->sqlite, rc, "registering the snowball tokenizer");
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_db_open(const char *path, const newsidx_open_options *options,
                                 newsidx_db **out, newsidx_error *err) {
  newsidx_open_options defaults = {0, NULL, 0};
  if (!options) options = &defaults;
  *out = NULL;
  if (!path || !*path) return newsidx_error_set(err, NEWSIDX_MISUSE, "no database path given");
  if (options->language) {
    newsidx_status_t status = newsidx_language_check(options->language, err);
    if (status != NEWSIDX_OK) return status;
  }

  newsidx_db *db = calloc(1, sizeof *db);
  if (!db) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  db->path = strdup(path);
  db->read_only = (options->flags & NEWSIDX_OPEN_READONLY) != 0;
  if (!db->path) {
    newsidx_db_close(db);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }

  newsidx_status_t status = open_connection(db, options->flags, options->busy_timeout_ms, err);
  if (status == NEWSIDX_OK && db->read_only) {
    int version = 0;
    status = newsidx_schema_version_of(db, &version, err);
    if (cannot_write_beside(db, status)) /* a write-ahead log in use, in a folder it cannot write */
      status = newsidx_error_set(err, NEWSIDX_READONLY, "%s: cannot read the index: %s", db->path,
                                 read_only_reason(db->path));
    else if (status == NEWSIDX_OK && version == 0)
      status = newsidx_error_set(err, NEWSIDX_NOT_FOUND,
                                 "%s: empty, no index yet (newsidx creates one)", db->path);
    else if (status == NEWSIDX_OK && version > newsidx_schema_version())
      status = newsidx_error_set(err, NEWSIDX_SCHEMA_TOO_NEW,
                                 "%s: schema version %d is newer than this newsidx knows (%d);"
                                 " upgrade newsidx",
                                 db->path, version, newsidx_schema_version());
    else if (status == NEWSIDX_OK && version < newsidx_schema_version())
      status = newsidx_error_set(err, NEWSIDX_SCHEMA_TOO_NEW,
                                 "%s: schema version %d is older than this newsidx needs (%d);"
                                 " run newsidx on it once to migrate it",
                                 db->path, version, newsidx_schema_version());
  } else if (status == NEWSIDX_OK) {
    /* WAL: searches keep reading while the indexer writes. NORMAL sync in WAL mode stays
    ** consistent through a crash or power loss; at most the last batches are lost, and the
    ** next run indexes them again. Both settings must precede the first transaction. The
    ** version check comes first for its clear message on a file that is not an index. */
    int version = 0;
    status = newsidx_schema_version_of(db, &version, err);
    if (cannot_write_beside(db, status)) /* a folder it cannot write: no -wal, no -shm */
      status = newsidx_error_set(err, NEWSIDX_READONLY, "%s: cannot write the index: %s", db->path,
                                 read_only_reason(db->path));
    /* SQLite makes a file read-only when its header says so (a write version above 2), which
    ** it learns only on this first read: refuse before any write fails halfway. */
    else if (status == NEWSIDX_OK && sqlite3_db_readonly(db->sqlite, "main") == 1)
      status = newsidx_error_set(err, NEWSIDX_READONLY, "%s: cannot write the index: %s", db->path,
                                 read_only_reason(db->path));
    /* A new index gets 16 KiB pages: around rows of about 1 KB (an article) a B-tree page is
    ** left partly empty, and the larger the page, the smaller that share. 200,000 articles:
    ** 464 MB with 4 KiB pages and 439 MB with 8 KiB (the same index VACUUMed); built anew,
    ** 432 MB with 8 KiB and 420 MB with 16 KiB (raw FTS5 with 4 KiB pages: 392 MB). FTS5's
    ** blocks stay 4,050 bytes, four to a page. It must be set before the file has a header,
    ** which WAL mode writes. */
    if (status == NEWSIDX_OK && version == 0)
      status = newsidx_exec(db, "PRAGMA page_size=" NEWSIDX_PAGE_SIZE, db->path, err);
    /* And it keeps the map of its pages that lets newsidx_release_free_pages() shrink the file
    ** after FTS5's merges, without a VACUUM (which rewrites the whole file). */
    if (status == NEWSIDX_OK && version == 0)
      status = newsidx_exec(db, "PRAGMA auto_vacuum=INCREMENTAL", db->path, err);
    if (status == NEWSIDX_OK) status = newsidx_exec(db, "PRAGMA journal_mode=WAL", db->path, err);
    if (status == NEWSIDX_OK) status = newsidx_exec(db, "PRAGMA synchronous=NORMAL", db->path, err);
    /* The writer's page cache: SQLite's default 2 MB is smaller than what one batch touches
    ** (its FTS5 segments, the B-tree paths of five indexes), so pages were spilled and read
    ** back. And the WAL is folded into the database every 32 MB or so rather than every 4 MB, so
    ** that pages written again and again (FTS5's merges) are copied fewer times. Measured on
    ** 200,000 articles with a 32 MB cache: 21 s -> 15 s, system time 3.3 s -> 2.2 s; 16 MB
    ** keeps the indexer's peak memory well under 64 MB. */
    if (status == NEWSIDX_OK)
      status = newsidx_exec(db, "PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=2048",
                            db->path, err);
    if (status == NEWSIDX_OK)
      status = newsidx_schema_migrate(db, options->language ? options->language : "english", err);
  }
  if (status == NEWSIDX_OK) status = read_language(db, err);
  if (status == NEWSIDX_OK) status = read_tokenizer_version(db, err);
  if (status == NEWSIDX_OK && options->language && strcmp(options->language, db->language) != 0)
    status = newsidx_error_set(err, NEWSIDX_LANGUAGE_MISMATCH,
                               "%s: the index was created for %s, not %s", db->path, db->language,
                               options->language);
  if (status != NEWSIDX_OK) {
    newsidx_db_close(db);
    return status;
  }
  *out = db;
  return NEWSIDX_OK;
}

void newsidx_db_close(newsidx_db *db) {
  if (!db) return;
  newsidx_settle(db); /* may write: before the statements go */
  for (int i = 0; i < db->n_statements; i++)
    sqlite3_finalize(db->statements[i].stmt);
  for (int i = db->n_participants - 1; i >= 0; i--) /* rule 5 */
    if (db->participants[i]->close) db->participants[i]->close(db);
  newsidx_analysis_close(db);
  if (db->sqlite) sqlite3_close_v2(db->sqlite);
  free(db->path);
  free(db);
}

sqlite3 *newsidx_db_sqlite(newsidx_db *db) { return db->sqlite; }
fts5_api *newsidx_db_fts5(newsidx_db *db) { return db->fts5; }
const char *newsidx_db_language(newsidx_db *db) { return db->language; }
const char *newsidx_db_path(newsidx_db *db) { return db->path; }
void newsidx_db_interrupt(newsidx_db *db) { sqlite3_interrupt(db->sqlite); }

void newsidx_settle(newsidx_db *db) { /* rule 4 */
  for (int i = 0; i < db->n_participants; i++)
    if (db->participants[i]->settle) db->participants[i]->settle(db);
}

newsidx_status_t newsidx_begin(newsidx_db *db, newsidx_error *err) {
  int rc = sqlite3_exec(db->sqlite, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if ((rc & 0xff) == SQLITE_BUSY) /* the usual reason, worth a clearer word than SQLite's */
    return newsidx_error_set(err, NEWSIDX_BUSY,
                             "%s: another process kept the index locked for more than %d ms",
                             db->path, db->busy_timeout_ms);
  if (rc != SQLITE_OK)
    return newsidx_error_sqlite(err, db->sqlite, rc, "starting a write transaction");
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_commit(newsidx_db *db, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; status == NEWSIDX_OK && i < db->n_participants; i++) /* rule 1 */
    if (db->participants[i]->flush) status = db->participants[i]->flush(db, err);
  if (status == NEWSIDX_OK) status = newsidx_exec(db, "COMMIT", "committing", err);
  if (status != NEWSIDX_OK) newsidx_rollback(db);
  return status;
}

void newsidx_rollback(newsidx_db *db) {
  for (int i = 0; i < db->n_participants; i++) /* rule 2 */
    if (db->participants[i]->forget) db->participants[i]->forget(db);
  if (!sqlite3_get_autocommit(db->sqlite)) sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
}
