/*
** store.c — the writer: one article into `articles` and `articles_fts`, kept in sync.
**
** Invariants this file keeps, inside the caller's transaction:
**   - every article whose dup_of is NULL is in articles_fts with exactly its stored title and
**     body; no duplicate is;
**   - among articles with the same normalized text, exactly one has dup_of NULL (the
**     "original", the oldest still present) and the others point at it;
**   - seq is larger than every earlier seq, deleted rows' included (schema.c keeps the highest
**     deleted one in meta 'seq_floor'), each time a row is inserted or its text or metadata
**     changes: consumers that follow the index (alert rules) re-examine what changed.
**   - the document facts (docinfo.h) follow every change of the full-text index and of an
**     original's date.
*/
#include "article_place.h"
#include "db_internal.h"
#include "docinfo.h"
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

enum {
  S_FIND_ORIGINAL,
  S_INSERT,
  S_UPDATE_TEXT,
  S_UPDATE_META,
  S_TOUCH,
  S_NEXT_SEQ,
  S_BATCH_FORGET,
  S_BATCH_BEGIN,
  S_FTS_INSERT,
  S_FTS_DELETE,
  S_FIRST_DUPLICATE,
  S_SET_ORIGINAL,
  S_REPOINT,
  S_DELETE,
  S_GET,
  S_FTS_REINDEX,
  S_KEEP_FILE_STATE,
  N_STATEMENTS
};

static const char *const statement_sql[N_STATEMENTS] = {
    [S_FIND_ORIGINAL] = "SELECT id FROM articles WHERE content_hash = ?1 AND dup_of IS NULL"
                        " AND id IS NOT ?2 LIMIT 1",
    [S_INSERT] = "INSERT INTO articles(id, path, content_hash, dup_of, date, title, body,"
                 " source, url, author, lang, tags, file_size, file_mtime, seq, file_id, key,"
                 " folder_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                 " ?15, ?16, ?17, ?18)",
    [S_UPDATE_TEXT] = "UPDATE articles SET path = ?2, content_hash = ?3, dup_of = ?4, date = ?5,"
                      " title = ?6, body = ?7, source = ?8, url = ?9, author = ?10, lang = ?11,"
                      " tags = ?12, file_size = ?13, file_mtime = ?14, seq = ?15,"
                      " file_id = ?16, key = ?17, folder_id = ?18 WHERE id = ?1",
    [S_UPDATE_META] = "UPDATE articles SET date = ?2, source = ?3, url = ?4, author = ?5,"
                      " lang = ?6, tags = ?7, seq = ?8 WHERE id = ?1"
                      " AND (date IS NOT ?2"
                      " OR source IS NOT ?3 OR url IS NOT ?4 OR author IS NOT ?5 OR lang IS NOT"
                      " ?6 OR tags IS NOT ?7)",
    [S_TOUCH] = "UPDATE articles SET path = ?2, file_size = ?3, file_mtime = ?4, file_id = ?5,"
                " key = ?6, folder_id = ?7 WHERE id = ?1",
    [S_NEXT_SEQ] = "SELECT max(coalesce((SELECT max(seq) FROM articles), 0),"
                   " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq_floor'),"
                   " 0)) + 1",
    /* a batch's first seq (schema.c, version 12): a row of a batch that gave out no seq after
    ** all goes; a batch in the same second as the one before needs no row */
    [S_BATCH_FORGET] = "DELETE FROM batches WHERE first_seq >= ?1",
    [S_BATCH_BEGIN] = "INSERT INTO batches(first_seq, at) SELECT ?1, unixepoch()"
                      " WHERE unixepoch() IS NOT (SELECT at FROM batches"
                      " ORDER BY first_seq DESC LIMIT 1)",
    [S_FTS_INSERT] = "INSERT INTO articles_fts(rowid, title, body) VALUES(?1, ?2, ?3)",
    [S_FTS_DELETE] = "INSERT INTO articles_fts(articles_fts, rowid, title, body)"
                     " SELECT 'delete', id, title, body FROM articles WHERE id = ?1",
    [S_FIRST_DUPLICATE] = "SELECT id, date FROM articles WHERE dup_of = ?1 ORDER BY id LIMIT 1",
    [S_SET_ORIGINAL] = "UPDATE articles SET dup_of = NULL WHERE id = ?1",
    [S_REPOINT] = "UPDATE articles SET dup_of = ?2 WHERE dup_of = ?1",
    [S_DELETE] = "DELETE FROM articles WHERE id = ?1",
    [S_GET] = "SELECT dup_of FROM articles WHERE id = ?1",
    [S_FTS_REINDEX] = "INSERT INTO articles_fts(rowid, title, body)"
                      " SELECT id, title, body FROM articles WHERE id = ?1",
    /* a text file's state lives in its article (inputs.c): it outlives the article */
    [S_KEEP_FILE_STATE] =
        "INSERT OR IGNORE INTO input_files(path, size, mtime_ns, offset, lines,"
        " window_hash, n_skipped, indexed_at) SELECT " NEWSIDX_SQL_OWN_FILE_PATH ","
        " file_size, file_mtime,"
        " file_size, 0, 0, 0, strftime('%Y-%m-%dT%H:%M:%SZ', coalesce("
        " " NEWSIDX_SQL_INDEXED_AT ", unixepoch()), 'unixepoch')"
        " FROM articles WHERE id = ?1"
        " AND " SQL_ARTICLE_HOLDS_FILE_STATE,
};

/* Writes the prepared, reset statement `which` to *out. */
static newsidx_status_t statement(newsidx_db *db, int which, sqlite3_stmt **out,
                                  newsidx_error *err) {
  return newsidx_statement(db, statement_sql[which], out, err);
}

/* Steps a write statement to completion and resets it. */
static newsidx_status_t run(newsidx_db *db, sqlite3_stmt *stmt, const char *context,
                            newsidx_error *err) {
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
    sqlite3_reset(stmt);
    return NEWSIDX_OK;
  }
  newsidx_status_t status = newsidx_error_sqlite(err, db->sqlite, rc, context);
  sqlite3_reset(stmt);
  return status;
}

/* Binds an int64 parameter, or NULL when value is 0 (no article). */
static void bind_id_or_null(sqlite3_stmt *stmt, int i, int64_t value) {
  if (value)
    sqlite3_bind_int64(stmt, i, value);
  else
    sqlite3_bind_null(stmt, i);
}

static void bind_text(sqlite3_stmt *stmt, int i, const char *text) {
  if (text && *text)
    sqlite3_bind_text(stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(stmt, i);
}

/* Feeds `text` to the hash with runs of white space collapsed to one space and the ends
** trimmed, so that re-wrapped copies of a text count as the same text. */
static void hash_normalized(XXH3_state_t *state, const char *text) {
  char buf[512];
  size_t used = 0;
  int pending_space = 0;
  for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
    if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
      pending_space = used > 0 || pending_space;
      continue;
    }
    if (used + 2 > sizeof buf) {
      XXH3_64bits_update(state, buf, used);
      used = 0;
    }
    if (pending_space) buf[used++] = ' ';
    pending_space = 0;
    buf[used++] = (char)*p;
  }
  XXH3_64bits_update(state, buf, used);
}

int64_t newsidx_content_hash(const newsidx_article *a) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  hash_normalized(&state, a->title);
  XXH3_64bits_update(&state, "\x1e", 1); /* keeps "a" + "bc" apart from "ab" + "c" */
  hash_normalized(&state, a->body);
  return (int64_t)XXH3_64bits_digest(&state);
}

/* The id of the original article with this text, other than `self`; 0 when none. The text is
** compared by its 64-bit hash of the normalized text: among a million articles the chance of
** two different texts sharing one is about 3 in 100 million. */
static newsidx_status_t find_original(newsidx_db *db, int64_t hash, int64_t self, int64_t *original,
                                      newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = statement(db, S_FIND_ORIGINAL, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, hash);
  bind_id_or_null(stmt, 2, self);
  int rc = sqlite3_step(stmt);
  *original = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return newsidx_error_sqlite(err, db->sqlite, rc, "looking for duplicates");
  return NEWSIDX_OK;
}

/* Runs single-id statement `which` with ?1 = id (and ?2 = other when non-zero). */
static newsidx_status_t run_id(newsidx_db *db, int which, int64_t id, int64_t other,
                               const char *context, newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = statement(db, which, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  if (other) sqlite3_bind_int64(stmt, 2, other);
  return run(db, stmt, context, err);
}

/* The last articles.seq given out inside the current transaction (0: read it again). */
struct store_cache {
  int64_t last_seq;
};

/* Rule 3 of the transactions (db_internal.h): another process may give out seqs in between. */
static void store_end(newsidx_db *db) { db->store->last_seq = 0; }

static void store_close(newsidx_db *db) {
  free(db->store);
  db->store = NULL;
}

static const newsidx_participant store_participant = {"store",   NULL, NULL,
                                                      store_end, NULL, store_close};

/* The next articles.seq. Inside a transaction only this writer gives them out (the deletion
** trigger only remembers ones given), so after the first, each is the last one plus one. The
** first is also where the transaction's batch begins, in `batches`, whose time is each of its
** articles' and new terms' time of indexing. */
static newsidx_status_t next_seq(newsidx_db *db, int64_t *seq, newsidx_error *err) {
  int in_transaction = !sqlite3_get_autocommit(db->sqlite);
  if (!db->store) { /* first use: made, and joined to the transactions */
    struct store_cache *c = calloc(1, sizeof *c);
    if (!c || newsidx_join(db, &store_participant) != 0) {
      free(c);
      return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    }
    db->store = c;
  }
  if (in_transaction && db->store->last_seq > 0) {
    *seq = ++db->store->last_seq;
    return NEWSIDX_OK;
  }
  sqlite3_stmt *stmt;
  newsidx_status_t status = statement(db, S_NEXT_SEQ, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) return newsidx_error_sqlite(err, db->sqlite, rc, "reading seq");
  *seq = sqlite3_column_int64(stmt, 0);
  sqlite3_reset(stmt);
  if (in_transaction) db->store->last_seq = *seq;
  /* the first seq of this transaction: its batch begins here */
  status = run_id(db, S_BATCH_FORGET, *seq, 0, "noting the batch", err);
  if (status == NEWSIDX_OK) status = run_id(db, S_BATCH_BEGIN, *seq, 0, "noting the batch", err);
  return status;
}

/* Indexes article `id`'s text, with the term ledger listening; the tokenizer replays the
** prepared tokens, if any. */
static newsidx_status_t fts_insert(newsidx_db *db, int64_t id, int64_t seq,
                                   const newsidx_article *a, const newsidx_prepared *prepared,
                                   newsidx_error *err) {
  /* tokens of two tokenizers in one index would find some articles and not others */
  if (newsidx_db_needs_rebuild(db))
    return newsidx_error_set(err, NEWSIDX_NEEDS_REBUILD, NEWSIDX_NEEDS_REBUILD_MESSAGE, db->path);
  sqlite3_stmt *stmt;
  newsidx_status_t status = statement(db, S_FTS_INSERT, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  bind_text(stmt, 2, a->title);
  bind_text(stmt, 3, a->body);
  status = ledger_begin_article(db, id, seq, a->date, a->title, err);
  db->snowball->replay = prepared ? prepared->runs : NULL;
  db->snowball->n_replay = prepared ? 2 : 0;
  if (status == NEWSIDX_OK) status = run(db, stmt, "indexing text", err);
  db->snowball->replay = NULL;
  db->snowball->n_replay = 0;
  ledger_end_article(db);
  /* FTS5 counts each token it is given (%_docsize): those replayed, when they were */
  int64_t n_tokens = prepared ? prepared->runs[0].n_tokens + prepared->runs[1].n_tokens : -1;
  if (status == NEWSIDX_OK) status = docinfo_note_indexed(db, id, a->date, n_tokens, err);
  return status;
}

/* Takes original `id` out of the full-text index (with the text it was indexed with) and
** hands its place to its oldest duplicate, if any. The row itself stays. */
static newsidx_status_t retire_original(newsidx_db *db, int64_t id, newsidx_error *err) {
  newsidx_status_t status = ledger_begin_counting(db, -1, err);
  if (status == NEWSIDX_OK) status = run_id(db, S_FTS_DELETE, id, 0, "unindexing text", err);
  ledger_end_counting(db);
  if (status == NEWSIDX_OK) status = docinfo_note_absent(db, id, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_stmt *stmt;
  status = statement(db, S_FIRST_DUPLICATE, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  int64_t heir = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  const char *heir_date = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 1) : NULL;
  char date[NEWSIDX_DATE_MAX] = "";
  if (heir_date) snprintf(date, sizeof date, "%s", heir_date);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return newsidx_error_sqlite(err, db->sqlite, rc, "finding duplicates");
  if (!heir) return NEWSIDX_OK;
  status = run_id(db, S_SET_ORIGINAL, heir, 0, "promoting a duplicate", err);
  if (status == NEWSIDX_OK) status = run_id(db, S_REPOINT, id, heir, "promoting a duplicate", err);
  /* The heir's text is the same as the retired one's; index it from its own row. */
  if (status == NEWSIDX_OK) status = ledger_begin_counting(db, +1, err);
  if (status == NEWSIDX_OK)
    status = run_id(db, S_FTS_REINDEX, heir, 0, "indexing a duplicate", err);
  ledger_end_counting(db);
  if (status == NEWSIDX_OK)
    status = docinfo_note_indexed(db, heir, heir_date ? date : NULL, -1, err);
  return status;
}

/* Binds articles.path, said once (schema.c, version 10): '' for a file of its own, else NULL
** (the path is that of the article's file_id in `files`, or there is none). */
static void bind_path(sqlite3_stmt *stmt, int column, const article_place *place) {
  if (place->own_file)
    sqlite3_bind_text(stmt, column, "", 0, SQLITE_STATIC);
  else
    sqlite3_bind_null(stmt, column);
}

/* Binds the shared columns ?2..?18 of S_INSERT / S_UPDATE_TEXT. */
static void bind_article(sqlite3_stmt *stmt, const newsidx_article *a, const article_place *place,
                         int64_t hash, int64_t dup_of, int64_t seq) {
  bind_path(stmt, 2, place);
  sqlite3_bind_int64(stmt, 3, hash);
  bind_id_or_null(stmt, 4, dup_of);
  bind_text(stmt, 5, a->date);
  bind_text(stmt, 6, a->title);
  sqlite3_bind_text(stmt, 7, a->body, -1, SQLITE_STATIC);
  bind_text(stmt, 8, a->source);
  bind_text(stmt, 9, a->url);
  bind_text(stmt, 10, a->author);
  bind_text(stmt, 11, a->lang);
  bind_text(stmt, 12, a->tags);
  sqlite3_bind_int64(stmt, 13, a->file_size);
  sqlite3_bind_int64(stmt, 14, a->file_mtime);
  sqlite3_bind_int64(stmt, 15, seq);
  bind_id_or_null(stmt, 16, place->file_id);
  sqlite3_bind_text(stmt, 17, place->key, -1, SQLITE_STATIC);
  bind_id_or_null(stmt, 18, place->folder_id);
}

/* Before the row of article `id` becomes `a`'s: when it was a text file's and `a` is not (a
** JSON Lines record whose id is that file's path), the file's state, which lived in the row,
** is kept (inputs.c), as delete_article() keeps it, so the file stays known as it was read. */
static newsidx_status_t keep_file_state_unless_moved(newsidx_db *db, int64_t id,
                                                     const newsidx_article *a,
                                                     const article_place *place,
                                                     newsidx_error *err) {
  if (place->own_file && a->file_size >= 0) return NEWSIDX_OK; /* still a text file's */
  return run_id(db, S_KEEP_FILE_STATE, id, 0, "keeping a file's state", err);
}

/* Same key, same text: refresh file facts and metadata. */
static newsidx_status_t store_same_text(newsidx_db *db, int64_t id, const newsidx_article *a,
                                        const article_place *place, newsidx_store_outcome *outcome,
                                        newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = keep_file_state_unless_moved(db, id, a, place, err);
  if (status == NEWSIDX_OK) status = statement(db, S_TOUCH, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  bind_path(stmt, 2, place);
  sqlite3_bind_int64(stmt, 3, a->file_size);
  sqlite3_bind_int64(stmt, 4, a->file_mtime);
  bind_id_or_null(stmt, 5, place->file_id);
  sqlite3_bind_text(stmt, 6, place->key, -1, SQLITE_STATIC);
  bind_id_or_null(stmt, 7, place->folder_id);
  status = run(db, stmt, "updating file facts", err);
  if (status != NEWSIDX_OK) return status;
  article_placed(db, place);

  int64_t seq = 0;
  status = next_seq(db, &seq, err);
  if (status == NEWSIDX_OK) status = statement(db, S_UPDATE_META, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  bind_text(stmt, 2, a->date);
  bind_text(stmt, 3, a->source);
  bind_text(stmt, 4, a->url);
  bind_text(stmt, 5, a->author);
  bind_text(stmt, 6, a->lang);
  bind_text(stmt, 7, a->tags);
  sqlite3_bind_int64(stmt, 8, seq);
  status = run(db, stmt, "updating metadata", err);
  if (status != NEWSIDX_OK) return status;
  *outcome = sqlite3_changes(db->sqlite) > 0 ? NEWSIDX_STORED_UPDATED : NEWSIDX_STORED_UNCHANGED;
  if (*outcome == NEWSIDX_STORED_UPDATED) return docinfo_note_date(db, id, a->date, err);
  return NEWSIDX_OK;
}

/* The bytes of an article's text fields, which go into one row. */
static size_t article_bytes(const newsidx_article *a) {
  const char *fields[] = {a->key,    a->path, a->date,   a->title, a->body,
                          a->source, a->url,  a->author, a->lang,  a->tags};
  size_t n = 0;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (fields[i]) n += strlen(fields[i]);
  return n;
}

/* Called outside a transaction, a store or a delete runs in one of its own, so that the article,
** its document facts, the ledger and the word counts commit together, or not at all. Returns
** 1 when it began one. */
static int begin_own(newsidx_db *db, newsidx_status_t *status, newsidx_error *err) {
  if (!sqlite3_get_autocommit(db->sqlite)) return 0;
  *status = newsidx_begin(db, err);
  return 1;
}

static newsidx_status_t end_own(newsidx_db *db, int own, newsidx_status_t status,
                                newsidx_error *err) {
  if (!own) return status;
  if (status == NEWSIDX_OK) return newsidx_commit(db, err);
  newsidx_rollback(db);
  return status;
}

static newsidx_status_t store_prepared(newsidx_db *db, const newsidx_article *a,
                                       const newsidx_prepared *prepared,
                                       newsidx_store_outcome *outcome, int64_t *id_out,
                                       newsidx_error *err) {
  if (prepared && (prepared->title != a->title || prepared->body != a->body)) prepared = NULL;
  if (!a->key || !*a->key) return newsidx_error_set(err, NEWSIDX_INPUT, "article without a key");
  if ((!a->body || !*a->body) && (!a->title || !*a->title))
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s: article without text", a->key);
  if (!a->body) return newsidx_error_set(err, NEWSIDX_MISUSE, "%s: body is NULL", a->key);
  /* A row longer than SQLite's length limit (1 GB by default) cannot be stored: that is this
  ** article's problem, not the database's, so the rest of the input goes on. 4 KB is room for
  ** the row's other columns. */
  size_t n_bytes = article_bytes(a);
  if (n_bytes + 4096 > (size_t)sqlite3_limit(db->sqlite, SQLITE_LIMIT_LENGTH, -1))
    return newsidx_error_set(err, NEWSIDX_INPUT,
                             "%s: article of %zu bytes, more than SQLite can store", a->key,
                             n_bytes);

  int64_t hash = prepared ? prepared->content_hash : newsidx_content_hash(a);

  article_place place;
  found_article found;
  newsidx_status_t status = article_place_of(db, a, &place, err);
  if (status == NEWSIDX_OK) status = article_find(db, a->key, place.own_file, &found, err);
  if (status != NEWSIDX_OK) return status;
  int64_t id = found.id;
  if (id && found.content_hash == hash) {
    if (id_out) *id_out = id;
    return store_same_text(db, id, a, &place, outcome, err);
  }
  status = id && !found.is_duplicate ? retire_original(db, id, err) : NEWSIDX_OK;

  int64_t original = 0, seq = 0;
  if (status == NEWSIDX_OK) status = find_original(db, hash, id, &original, err);
  if (status == NEWSIDX_OK) status = next_seq(db, &seq, err);
  if (status == NEWSIDX_OK && id) status = keep_file_state_unless_moved(db, id, a, &place, err);
  if (status != NEWSIDX_OK) return status;

  sqlite3_stmt *stmt;
  status = statement(db, id ? S_UPDATE_TEXT : S_INSERT, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  bind_id_or_null(stmt, 1, id);
  bind_article(stmt, a, &place, hash, original, seq);
  status = run(db, stmt, id ? "updating an article" : "adding an article", err);
  if (status != NEWSIDX_OK) return status;
  article_placed(db, &place);
  if (!id) id = sqlite3_last_insert_rowid(db->sqlite);

  if (!original) status = fts_insert(db, id, seq, a, prepared, err);
  if (status != NEWSIDX_OK) return status;
  if (id_out) *id_out = id;
  *outcome = original   ? NEWSIDX_STORED_DUPLICATE
             : found.id ? NEWSIDX_STORED_UPDATED
                        : NEWSIDX_STORED_ADDED;
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_store_article(newsidx_db *db, const newsidx_article *a,
                                       newsidx_store_outcome *outcome, int64_t *id_out,
                                       newsidx_error *err) {
  return newsidx_store_prepared(db, a, NULL, outcome, id_out, err);
}

newsidx_status_t newsidx_store_prepared(newsidx_db *db, const newsidx_article *a,
                                        const newsidx_prepared *prepared,
                                        newsidx_store_outcome *outcome, int64_t *id_out,
                                        newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  int own = begin_own(db, &status, err);
  if (status == NEWSIDX_OK) status = store_prepared(db, a, prepared, outcome, id_out, err);
  return end_own(db, own, status, err);
}

newsidx_status_t newsidx_lookup_key(newsidx_db *db, const char *key, int64_t *id,
                                    int64_t *file_size, int64_t *file_mtime, newsidx_error *err) {
  found_article found;
  newsidx_status_t status = article_find(db, key, key[0] == '/', &found, err);
  if (status != NEWSIDX_OK) return status;
  if (!found.id) return NEWSIDX_NOT_FOUND;
  if (id) *id = found.id;
  if (file_size) *file_size = found.file_size;
  if (file_mtime) *file_mtime = found.file_mtime;
  return NEWSIDX_OK;
}

static newsidx_status_t delete_article(newsidx_db *db, int64_t id, newsidx_error *err) {
  sqlite3_stmt *stmt;
  newsidx_status_t status = statement(db, S_GET, &stmt, err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  int is_duplicate = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE)
    return newsidx_error_set(err, NEWSIDX_NOT_FOUND, "no article with id %lld", (long long)id);
  if (rc != SQLITE_ROW) return newsidx_error_sqlite(err, db->sqlite, rc, "looking up an article");
  status = is_duplicate ? NEWSIDX_OK : retire_original(db, id, err);
  /* An article removed on its own stays out while its file is unchanged: the file is still
  ** known, as read (newsidx_remove_path() forgets the file afterwards). */
  if (status == NEWSIDX_OK)
    status = run_id(db, S_KEEP_FILE_STATE, id, 0, "keeping a file's state", err);
  if (status == NEWSIDX_OK) status = run_id(db, S_DELETE, id, 0, "deleting an article", err);
  return status;
}

newsidx_status_t newsidx_delete_article(newsidx_db *db, int64_t id, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  int own = begin_own(db, &status, err);
  if (status == NEWSIDX_OK) status = delete_article(db, id, err);
  return end_own(db, own, status, err);
}
