/*
** schema.c — creating the index and migrating it from one schema version to the next.
**
** The schema version lives in PRAGMA user_version. Version 0 is an empty file. Each entry
** of `migrations` takes the database from version i to i+1; they run in order, all in one
** write transaction, so an index is never left half-migrated. A database whose version is
** above newsidx_schema_version() was made by a newer newsidx and is refused, never touched.
*/
#include "article_place.h"
#include "db_internal.h"
#include "docinfo.h"
#include "ledger.h"
#include "termdocs.h"

#include <stdio.h>
#include <string.h>

/* The columns of `articles` after its key, up to seq, as version 1 made them. */
#define ARTICLES_COLUMNS                                                                           \
  "  path TEXT,"                                                                                   \
  "  content_hash INTEGER NOT NULL,"                                                               \
  "  dup_of INTEGER,"                                                                              \
  "  date TEXT,"                                                                                   \
  "  title TEXT,"                                                                                  \
  "  body TEXT NOT NULL,"                                                                          \
  "  source TEXT,"                                                                                 \
  "  url TEXT,"                                                                                    \
  "  author TEXT,"                                                                                 \
  "  lang TEXT,"                                                                                   \
  "  tags TEXT,"                                                                                   \
  "  file_size INTEGER NOT NULL DEFAULT -1,"                                                       \
  "  file_mtime INTEGER NOT NULL DEFAULT -1,"                                                      \
  "  seq INTEGER NOT NULL,"

/* Version 1: articles, their full-text index and the meta table.
**
** articles.id is the FTS5 rowid. `key` is the stable identity (absolute file path, or the
** record id of a JSON Lines article). `content_hash` is a hash of the normalized title and
** body; `dup_of` points at the article a duplicate repeats. articles_fts indexes the view
** articles_text, which holds the originals only: each text is indexed once, and FTS5's own
** integrity-check can compare the index with exactly what it should contain. `seq` grows with every
*insert or change, for consumers that follow the index
** (alert rules). `file_size`/`file_mtime` let a re-run skip unchanged files unread. */
static newsidx_status_t migrate_to_1(newsidx_db *db, const char *language, newsidx_error *err) {
  char spec[160];
  char sql[4096];
  newsidx_tokenizer_spec(language, spec, sizeof spec);
  snprintf(sql, sizeof sql,
           "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
           "CREATE TABLE articles("
           "  id INTEGER PRIMARY KEY,"
           "  key TEXT NOT NULL UNIQUE," ARTICLES_COLUMNS "  indexed_at TEXT NOT NULL);"
           "CREATE INDEX articles_date ON articles(date);"
           "CREATE INDEX articles_hash ON articles(content_hash);"
           "CREATE INDEX articles_path ON articles(path);"
           "CREATE INDEX articles_seq ON articles(seq);"
           "CREATE INDEX articles_dup ON articles(dup_of) WHERE dup_of IS NOT NULL;"
           "CREATE VIEW articles_text AS SELECT id, title, body FROM articles"
           "  WHERE dup_of IS NULL;"
           "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles_text',"
           "  content_rowid='id', tokenize='%s');"
           "INSERT INTO meta(key, value) VALUES('language', '%s'), ('tokenizer', '%s'),"
           "  ('created_by', 'newsidx " NEWSIDX_VERSION "');",
           spec, language, spec);
  return newsidx_exec(db, sql, "creating the index", err);
}

/* Version 2: input_files, what the indexer knows of each file it has read, so that a re-run
** recognizes an unchanged file without reading it and reads only the new end of a JSON Lines
** file that was appended to. `offset` is where reading goes on (the end of the last complete
** line processed, or the size of a text file), `lines` the number of lines before it (for
** line numbers in messages), `window_hash` a hash of the bytes before it (the indexer's
** business: core only stores it), `n_skipped` what was skipped before it (empty articles, a
** binary file). The rows of the text files already indexed are carried over from articles, so
** that upgrading does not make the next run read them all again. */
static newsidx_status_t migrate_to_2(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(db,
                      "CREATE TABLE input_files("
                      "  path TEXT PRIMARY KEY,"
                      "  size INTEGER NOT NULL,"
                      "  mtime_ns INTEGER NOT NULL,"
                      "  offset INTEGER NOT NULL,"
                      "  lines INTEGER NOT NULL,"
                      "  window_hash INTEGER NOT NULL,"
                      "  n_skipped INTEGER NOT NULL,"
                      "  indexed_at TEXT NOT NULL) WITHOUT ROWID;"
                      "INSERT OR IGNORE INTO input_files"
                      "  SELECT path, file_size, file_mtime, file_size, 0, 0, 0, indexed_at"
                      "  FROM articles WHERE file_size >= 0 AND path = key;",
                      "adding the input_files table", err);
}

/* Version 3: the new-term ledger (ledger.c). One row per stemmed word or capitalized name
** ever indexed: the article, date and time it was first seen, its most common spelling in
** that batch, and how many articles of that batch used it. */
static newsidx_status_t migrate_to_3(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(db,
                      "CREATE TABLE terms("
                      "  term TEXT NOT NULL,"
                      "  kind INTEGER NOT NULL,"
                      "  surface TEXT NOT NULL,"
                      "  first_article INTEGER NOT NULL,"
                      "  first_date TEXT,"
                      "  first_indexed TEXT NOT NULL,"
                      "  n_docs INTEGER NOT NULL,"
                      "  PRIMARY KEY(term, kind)) WITHOUT ROWID;"
                      "CREATE INDEX terms_first_article ON terms(first_article);",
                      "creating the term ledger", err);
}

/* Version 4: alert rules (newsq rule, newsq alerts; rules_store.c writes them, and
** query/monitor/rules.c decides what to report).
**
**   rules       one row per saved rule: `kind` 0 for a query, 1 for new terms; `query` the text
**               as typed; `options` JSON (filters, min_docs...); `cursor` the consumer's mark:
**               the highest articles.seq a query rule has examined, or for a new-terms rule the
**               seq up to which every term is settled (reported, or past waiting for).
**   rule_hits   (rule, article) pairs already reported: each article alerts once per rule,
**               even when a change gives it a new seq.
**   rule_terms  terms a new-terms rule reported above its cursor (pruned as the cursor passes).
**
** Two guarantees for consumers of articles.seq, kept by triggers so that every writer keeps
** them: seq never goes back when the article holding the highest one is deleted (the highest
** deleted seq is remembered in meta 'seq_floor', and the writer counts from above it), and the
** hits of a deleted article are forgotten (its id may be given to a new article). The ledger
** gets `seq`: the articles.seq of the article that introduced the term, in the same sequence,
** so that a term brought in by a changed article (whose id is old) is still seen as new. */
static newsidx_status_t migrate_to_4(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(
      db,
      "CREATE TABLE rules("
      "  id INTEGER PRIMARY KEY,"
      "  name TEXT NOT NULL UNIQUE,"
      "  kind INTEGER NOT NULL,"
      "  query TEXT NOT NULL,"
      "  options TEXT NOT NULL,"
      "  cursor INTEGER NOT NULL DEFAULT 0,"
      "  created_at TEXT NOT NULL,"
      "  last_run_at TEXT);"
      "CREATE TABLE rule_hits("
      "  rule_id INTEGER NOT NULL,"
      "  article_id INTEGER NOT NULL,"
      "  reported_at TEXT NOT NULL,"
      "  PRIMARY KEY(rule_id, article_id)) WITHOUT ROWID;"
      "CREATE TABLE rule_terms("
      "  rule_id INTEGER NOT NULL,"
      "  term TEXT NOT NULL,"
      "  kind INTEGER NOT NULL,"
      "  seq INTEGER NOT NULL,"
      "  reported_at TEXT NOT NULL,"
      "  PRIMARY KEY(rule_id, term, kind)) WITHOUT ROWID;"
      "CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN"
      "  INSERT INTO meta(key, value) VALUES('seq_floor', old.seq)"
      "    ON CONFLICT(key) DO UPDATE"
      "    SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER));"
      "  DELETE FROM rule_hits WHERE rule_id IN (SELECT id FROM rules) AND article_id = old.id;"
      "END;"
      "ALTER TABLE terms ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
      "UPDATE terms SET seq = coalesce((SELECT seq FROM articles WHERE id = first_article), 0);"
      "CREATE INDEX terms_seq ON terms(seq);",
      "adding the rules tables", err);
}

/* Version 5: the file of an article that does not have its own (a JSON Lines record, or any
** article whose path is not its key) is named once, in `files`, and referenced by
** articles.file_id; the index on every article's path goes. A text file's path is its key,
** found through the key's index. At 200,000 records of one JSON Lines file, the path index
** held the same 60 bytes 200,000 times: 14 MB of a 445 MB index. `path` stays in every row,
** for the readers of articles. */
static newsidx_status_t migrate_to_5(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(db,
                      "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
                      "ALTER TABLE articles ADD COLUMN file_id INTEGER;"
                      "INSERT INTO files(path) SELECT DISTINCT path FROM articles"
                      "  WHERE path IS NOT NULL AND path IS NOT key ORDER BY path;"
                      "UPDATE articles SET file_id = (SELECT id FROM files f WHERE f.path ="
                      "  articles.path) WHERE path IS NOT NULL AND path IS NOT key;"
                      "DROP INDEX articles_path;"
                      "CREATE INDEX articles_file ON articles(file_id) WHERE file_id IS NOT NULL;",
                      "naming the files of articles once", err);
}

/* Version 6: document facts (docinfo.c): per chunk of 1,024 article ids, each one's date as a
** number and its length in tokens, so that searches rank, filter by date and sort by date
** in memory. Built here from the full-text index's own lengths and the articles' dates. */
static newsidx_status_t migrate_to_6(newsidx_db *db, const char *language, newsidx_error *err) {
  newsidx_status_t status =
      newsidx_exec(db, "CREATE TABLE docinfo(chunk INTEGER PRIMARY KEY, data BLOB NOT NULL)",
                   "adding the docinfo table", err);
  if (status == NEWSIDX_OK) status = docinfo_rebuild(db, err);
  return status;
}

/* FTS5 settings of a new index (kept in its articles_fts_config; older indexes keep theirs).
** automerge 8: FTS5 merges segments once 8 of a level (not 4) are there, so each posting is
** rewritten fewer times while an index is built. 200,000 articles: 11.5 s -> 10.5 s, with
** queries as fast (p50 1.33 / 1.35 ms); 16, with crisismerge 64, built in 9.8 s but queries
** read more segments (p50 1.79 ms). */
static newsidx_status_t tune_new_index(newsidx_db *db, newsidx_error *err) {
  char sql[200];
  snprintf(sql, sizeof sql,
           "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 8);"
           "INSERT INTO meta(key, value) VALUES('tokenizer_version', '%d')",
           NEWSIDX_TOKENIZER_VERSION);
  return newsidx_exec(db, sql, "setting up the full-text index", err);
}

/* Version 7: the ledger's index on first_article goes. No query looks terms up by their first
** article (they are listed by seq, or read whole), and each new term paid for a
** third B-tree: on Reuters-21578, where all 58,000 terms are new, the build took 0.05 s longer
** and the file 1.3 MB more. */
static newsidx_status_t migrate_to_7(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(db, "DROP INDEX IF EXISTS terms_first_article",
                      "dropping an unused index of the term ledger", err);
}

/* Version 8: the number of articles that hold each word (termdocs.h), counted here from the
** full-text index, so that ranking reads it instead of counting at every query. */
static newsidx_status_t migrate_to_8(newsidx_db *db, const char *language, newsidx_error *err) {
  newsidx_status_t status =
      newsidx_exec(db, "CREATE TABLE term_docs(bucket INTEGER PRIMARY KEY, data BLOB NOT NULL)",
                   "adding the term_docs table", err);
  if (status == NEWSIDX_OK) status = termdocs_rebuild(db, err);
  return status;
}

/* Version 9: the ledger's index on seq goes too. It spared a new-terms rule a scan of the
** ledger (4 ms for Reuters' 58,000 terms), but made every new term a second random B-tree
** insert: 6% of building Reuters, where all of them are new, and 1.3 MB. */
static newsidx_status_t migrate_to_9(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(db, "DROP INDEX IF EXISTS terms_seq", "dropping the ledger's seq index", err);
}

/* newsidx_when(date) in SQL, for migrate_to_10: NULL for no date. */
static void sql_when(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  int64_t when = newsidx_when((const char *)sqlite3_value_text(argv[0]));
  if (when == NEWSIDX_WHEN_UNDATED)
    sqlite3_result_null(context);
  else
    sqlite3_result_int64(context, when);
}

/* Version 10: what every term and every article repeated is written once, or as a number.
**
** - The ledger's dates become numbers: `first_when` is the first article's date as
**   newsidx_when() numbers it (NULL: undated), `first_indexed` Unix seconds. Each was a
**   20-byte string in each of Reuters-21578's 58,000 terms, all new: the ledger went from
**   5.1 to 3.0 MB.
** - articles.path no longer repeats what the row already says: it is '' when the path is the
**   key (a text file), and NULL when the article has a file_id (the path is in `files`) or no
**   path at all. Readers take NEWSIDX_SQL_ARTICLE_PATH. 1.0 MB of Reuters' JSON Lines build
**   (and 1.2 MB of its folder build) was the same path again in every row. The rows are
**   rewritten once here. */
static newsidx_status_t migrate_to_10(newsidx_db *db, const char *language, newsidx_error *err) {
  int rc = sqlite3_create_function(db->sqlite, "newsidx_migrate_when", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_when, NULL, NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db->sqlite, rc, "migrating to version 10");
  newsidx_status_t status = newsidx_exec(
      db,
      "CREATE TABLE terms_v10("
      "  term TEXT NOT NULL,"
      "  kind INTEGER NOT NULL,"
      "  surface TEXT NOT NULL,"
      "  first_article INTEGER NOT NULL,"
      "  first_when INTEGER,"
      "  first_indexed INTEGER NOT NULL,"
      "  n_docs INTEGER NOT NULL,"
      "  seq INTEGER NOT NULL,"
      "  PRIMARY KEY(term, kind)) WITHOUT ROWID;"
      "INSERT INTO terms_v10 SELECT term, kind, surface, first_article,"
      "  newsidx_migrate_when(first_date), coalesce(unixepoch(first_indexed), 0), n_docs, seq"
      "  FROM terms ORDER BY term, kind;"
      "DROP TABLE terms;"
      "ALTER TABLE terms_v10 RENAME TO terms;"
      "UPDATE articles SET path = CASE WHEN file_id IS NOT NULL THEN NULL ELSE '' END"
      "  WHERE file_id IS NOT NULL OR path = key;",
      "writing the ledger's dates and the articles' paths once", err);
  sqlite3_create_function(db->sqlite, "newsidx_migrate_when", 1, SQLITE_UTF8, NULL, NULL, NULL,
                          NULL);
  return status;
}

/* Version 11: a text file that gave an article has no input_files row: its article (key = the
** path, file_size, file_mtime) is its state (inputs.c). A folder of files kept each path three
** times (the article's key, the key's index, input_files); 200,000 files: 27 MB of 452. The
** rows that say exactly what their article says go here. */
static newsidx_status_t migrate_to_11(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(
      db,
      "DELETE FROM input_files WHERE n_skipped = 0 AND offset = size AND lines = 0"
      "  AND window_hash = 0 AND EXISTS (SELECT 1 FROM articles a"
      "  WHERE a.key = input_files.path AND a.path = '' AND a.file_id IS NULL"
      "  AND a.file_size = input_files.size AND a.file_mtime = input_files.mtime_ns)",
      "keeping a text file's state in its article", err);
}

/* Version 12: what an article's indexing shares with the rest of its batch, and what a term's
** introduction shares with the article's other new terms, is written once.
**
** - `batches(first_seq, at)`: the first articles.seq each write transaction gave out, and
**   when (Unix seconds); a transaction that began in the same second as the last row adds no
**   row. The time an article or a term was indexed is the `at` of the last batch at or below
**   its seq (NEWSIDX_SQL_INDEXED_AT). articles.indexed_at, 20 bytes in every row, goes.
** - The ledger becomes `term_origins(seq, article, first_when, terms)`: one row per article
**   version that brought new terms, with its date, and the terms it brought as a JSON array
**   (ledger.h). A row per term repeated the article, its date and the
**   time, and inserting 58,000 of them one by one into a keyed B-tree was 8% of building
**   Reuters-21578, where every term is new; an origin is appended. The ledger went from 3.0
**   MB (plus 0.5 MB of the articles' times) to 2.1 MB.
** - The view `terms` shows every fact as the table of that name had them, with the same
**   columns: what read the table reads the view.
** - Document facts (docinfo.h) come in chunks of 1,344 ids, not 1,024: one 16 KiB page each,
**   where a chunk of 1,024 left a quarter of its page empty. They are built again here.
**
** The batches are taken from the times already stored: one row wherever the time changes, in
** seq order, so that every article reads back its own time, and every term its own (the time
** of its article, where that article still has the term's seq). A legacy term with seq 0 (its
** article was gone before version 4) gets the origin minus that article's id, so that no two
** such articles share an origin, and keeps a seq of 0 or below: below every cursor. */
static newsidx_status_t migrate_to_12(newsidx_db *db, const char *language, newsidx_error *err) {
  newsidx_status_t status = newsidx_exec(
      db,
      /* each term's origin: its seq, or for a legacy term (seq 0) minus its article's id */
      "CREATE TEMP TABLE old_terms AS SELECT *, CASE seq WHEN 0 THEN -first_article ELSE seq END"
      "  AS origin FROM terms;"
      "CREATE TABLE batches(first_seq INTEGER PRIMARY KEY, at INTEGER NOT NULL);"
      "INSERT INTO batches(first_seq, at)"
      "  SELECT seq, at FROM (SELECT seq, at, lag(at) OVER (ORDER BY seq) AS before"
      "    FROM (SELECT seq, coalesce(unixepoch(indexed_at), 0) AS at FROM articles"
      "      UNION ALL SELECT origin, min(first_indexed) FROM old_terms"
      "      WHERE origin NOT IN (SELECT seq FROM articles) GROUP BY origin))"
      "  WHERE before IS NULL OR before <> at;"
      "CREATE TABLE term_origins(seq INTEGER PRIMARY KEY, article INTEGER NOT NULL,"
      "  first_when INTEGER, terms TEXT NOT NULL);"
      "INSERT INTO term_origins(seq, article, first_when, terms)"
      "  SELECT origin, min(first_article), min(first_when), json_group_array(CASE"
      "    WHEN surface = term AND n_docs = 1 THEN term ELSE json_array(term, surface, n_docs) END)"
      "  FROM (SELECT * FROM old_terms ORDER BY origin, term, kind) GROUP BY origin;"
      "DROP TABLE old_terms;"
      "DROP TABLE terms;"
      "ALTER TABLE articles DROP COLUMN indexed_at;"
      "CREATE VIEW terms(term, kind, surface, first_article, first_when, first_indexed, n_docs,"
      "  seq) AS SELECT " LEDGER_SQL_TERM ", instr(" LEDGER_SQL_TERM ", ' ') > 0,"
      "  CASE j.type WHEN 'text' THEN j.value ELSE json_extract(j.value, '$[1]') END, o.article,"
      "  o.first_when, (SELECT b.at FROM batches b WHERE b.first_seq <= o.seq"
      "  ORDER BY b.first_seq DESC LIMIT 1),"
      "  CASE j.type WHEN 'text' THEN 1 ELSE json_extract(j.value, '$[2]') END, o.seq"
      "  FROM term_origins o, json_each(o.terms) j;",
      "writing each batch's time and each term's origin once", err);
  if (status == NEWSIDX_OK) status = docinfo_rebuild(db, err);
  return status;
}

/* newsidx_migrate_split(path, part) in SQL, for migrate_to_13: a path's folder (part 0: up to
** and including its last '/', '' when it has none) or its name in that folder (part 1), cut
** at the byte, so that a name that is not UTF-8 is carried over exactly. */
static void sql_split(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  if (!path) return;
  size_t folder = article_folder_length(path);
  if (sqlite3_value_int(argv[1]) == 0)
    sqlite3_result_text(context, path, (int)folder, SQLITE_TRANSIENT);
  else
    sqlite3_result_text(context, path + folder, -1, SQLITE_TRANSIENT);
}

int newsidx_schema_rebuild_articles(sqlite3 *sqlite, const char *create_and_fill) {
  /* what hangs on the table: its indexes and triggers, and the views that read it, which
  ** must go with it (SQLite renames a table only in a schema where every view reads) */
  sqlite3_str *drop = sqlite3_str_new(sqlite), *recreate = sqlite3_str_new(sqlite);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite,
                              "SELECT type = 'view', name, sql FROM sqlite_schema"
                              " WHERE sql IS NOT NULL AND ((tbl_name = 'articles'"
                              " AND type IN ('index', 'trigger'))"
                              " OR (type = 'view' AND name IN ('articles_text', 'article_keys')))",
                              -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (sqlite3_column_int(stmt, 0))
      sqlite3_str_appendf(drop, "DROP VIEW \"%w\";", (const char *)sqlite3_column_text(stmt, 1));
    sqlite3_str_appendf(recreate, "%s;", (const char *)sqlite3_column_text(stmt, 2));
    rc = SQLITE_OK;
  }
  if (rc == SQLITE_DONE) rc = sqlite3_str_errcode(drop);
  if (rc == SQLITE_OK) rc = sqlite3_str_errcode(recreate);
  sqlite3_finalize(stmt);
  sqlite3_str_appendall(drop, "DROP TABLE articles; ALTER TABLE articles_new RENAME TO articles;");
  char *drop_sql = sqlite3_str_finish(drop), *recreate_sql = sqlite3_str_finish(recreate);
  if (rc == SQLITE_OK && !drop_sql) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = sqlite3_exec(sqlite, create_and_fill, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(sqlite, drop_sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK && recreate_sql) rc = sqlite3_exec(sqlite, recreate_sql, NULL, NULL, NULL);
  sqlite3_free(drop_sql);
  sqlite3_free(recreate_sql);
  return rc;
}

/* Version 13: a text file's folder is named once. Its article's key was its whole path, stored
** twice (in the row and in the key's unique index): on Reuters-21578, 64 bytes of which 38
** were the same folder, 2.8 MB of a 36 MB index. Now the folder is a row of `files` (its path
** ends with '/', which no file's does), the new column `folder_id` points at it, and `key` is
** the file's name in it (or what follows its last '/'). The path, which is also the article's
** key for every reader, is the folder's path followed by the name: NEWSIDX_SQL_ARTICLE_PATH
** and NEWSIDX_SQL_ARTICLE_KEY spell that out, and the view `article_keys` lists them.
**
** Two partial unique indexes take the place of the key's: `articles_key` on the keys of the
** other articles (records and articles without a file), `articles_folder` on (folder, name).
** The writer (article_place.c) keeps a key from being both a record's and a file's. SQLite changes
*a
** column's constraints only by building the table again, which is done here with its rows in
** id order. */
static newsidx_status_t migrate_to_13(newsidx_db *db, const char *language, newsidx_error *err) {
  int rc = sqlite3_create_function(db->sqlite, "newsidx_migrate_split", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_split, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = newsidx_schema_rebuild_articles(
        db->sqlite,
        "CREATE TABLE articles_new("
        "  id INTEGER PRIMARY KEY,"
        "  key TEXT NOT NULL," ARTICLES_COLUMNS "  file_id INTEGER,"
        "  folder_id INTEGER);"
        "INSERT OR IGNORE INTO files(path) SELECT DISTINCT newsidx_migrate_split(key, 0)"
        "  FROM articles WHERE path = '' AND file_id IS NULL ORDER BY 1;"
        "INSERT INTO articles_new SELECT id, CASE WHEN folder IS NULL THEN key"
        "  ELSE newsidx_migrate_split(key, 1) END, path, content_hash, dup_of, date, title, body,"
        "  source, url, author, lang, tags, file_size, file_mtime, seq, file_id,"
        "  (SELECT f.id FROM files f WHERE f.path = folder)"
        "  FROM (SELECT *, CASE WHEN path = '' AND file_id IS NULL"
        "    THEN newsidx_migrate_split(key, 0) END AS folder FROM articles) ORDER BY id;");
  sqlite3_create_function(db->sqlite, "newsidx_migrate_split", 2, SQLITE_UTF8, NULL, NULL, NULL,
                          NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, db->sqlite, rc, "naming folders once");
  return newsidx_exec(
      db,
      "CREATE UNIQUE INDEX articles_key ON articles(key) WHERE folder_id IS NULL;"
      "CREATE UNIQUE INDEX articles_folder ON articles(folder_id, key)"
      "  WHERE folder_id IS NOT NULL;"
      "DROP VIEW terms;" LEDGER_SQL_TERMS_VIEW ";"
      "CREATE VIEW article_keys(id, key, path) AS SELECT id, " NEWSIDX_SQL_ARTICLE_KEY
      ", " NEWSIDX_SQL_ARTICLE_PATH " FROM articles;",
      "naming folders once", err);
}

/* The CREATE statements of the indexes and triggers of table `rules` that SQLite does not make
** itself (none of newsidx's own), into *out (sqlite3_free() it; NULL for none). */
static int rules_own_objects(sqlite3 *sqlite, char **out) {
  sqlite3_str *sql = sqlite3_str_new(sqlite);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite,
                              "SELECT sql FROM sqlite_schema WHERE tbl_name = 'rules'"
                              " AND type IN ('index', 'trigger') AND sql IS NOT NULL",
                              -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_str_appendf(sql, "%s;", (const char *)sqlite3_column_text(stmt, 0));
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE) rc = sqlite3_str_errcode(sql);
  *out = sqlite3_str_finish(sql);
  return rc;
}

/* Version 14: a rule's id is never given again. Without AUTOINCREMENT, a rule added after the
** one with the highest id was removed got that id, and a `newsq alerts` that had read the
** removed rule acknowledged its hits and moved its mark onto the new rule (a --backfill rule
** then reported nothing). Now sqlite_sequence keeps the highest id ever given, and
** acknowledging by id (rules.c) reaches the rule that was run or none. SQLite makes a column
** AUTOINCREMENT only by building its table again: the rows keep their ids, in id order, and
** the sequence starts at the highest id still in use (by a rule, its hits or its terms). The
** rename is the legacy one, which leaves the trigger on `articles` that reads `rules` as it
** is (a modern rename checks every trigger, and finds no `rules` between DROP and RENAME). */
static newsidx_status_t migrate_to_14(newsidx_db *db, const char *language, newsidx_error *err) {
  char *recreate = NULL;
  int rc = rules_own_objects(db->sqlite, &recreate);
  if (rc != SQLITE_OK) {
    sqlite3_free(recreate);
    return newsidx_error_sqlite(err, db->sqlite, rc, "reading the rules table");
  }
  newsidx_status_t status = newsidx_exec(
      db,
      "PRAGMA legacy_alter_table = ON;"
      "CREATE TABLE rules_v14("
      "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  name TEXT NOT NULL UNIQUE,"
      "  kind INTEGER NOT NULL,"
      "  query TEXT NOT NULL,"
      "  options TEXT NOT NULL,"
      "  cursor INTEGER NOT NULL DEFAULT 0,"
      "  created_at TEXT NOT NULL,"
      "  last_run_at TEXT);"
      "INSERT INTO rules_v14(id, name, kind, query, options, cursor, created_at, last_run_at)"
      "  SELECT id, name, kind, query, options, cursor, created_at, last_run_at FROM rules"
      "  ORDER BY id;"
      "DROP TABLE rules;"
      "ALTER TABLE rules_v14 RENAME TO rules;"
      "DELETE FROM sqlite_sequence WHERE name = 'rules';"
      "INSERT INTO sqlite_sequence(name, seq) SELECT 'rules', max("
      "  coalesce((SELECT max(id) FROM rules), 0),"
      "  coalesce((SELECT max(rule_id) FROM rule_hits), 0),"
      "  coalesce((SELECT max(rule_id) FROM rule_terms), 0));",
      "numbering rules once", err);
  if (status == NEWSIDX_OK && recreate)
    status = newsidx_exec(db, recreate, "numbering rules once", err);
  sqlite3_exec(db->sqlite, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
  sqlite3_free(recreate);
  return status;
}

/* Version 15: what fetching a URL left (ingest/fetch/): the validators that make the next
** request conditional (ETag, Last-Modified), and what `newsidx feeds` shows of the last fetch.
** One row per URL as it was asked for; its articles name that URL as their file. */
static newsidx_status_t migrate_to_15(newsidx_db *db, const char *language, newsidx_error *err) {
  return newsidx_exec(db,
                      "CREATE TABLE fetched("
                      "  url TEXT PRIMARY KEY,"
                      "  etag TEXT,"
                      "  last_modified TEXT,"
                      "  fetched_at TEXT NOT NULL,"
                      "  http_status INTEGER NOT NULL,"
                      "  final_url TEXT,"
                      "  redirects INTEGER NOT NULL DEFAULT 0,"
                      "  items INTEGER NOT NULL DEFAULT 0,"
                      "  error TEXT);",
                      "recording fetched URLs", err);
}

typedef newsidx_status_t (*migration_fn)(newsidx_db *, const char *, newsidx_error *);

static const migration_fn migrations[] = {
    migrate_to_1,  migrate_to_2,  migrate_to_3,  migrate_to_4,  migrate_to_5,
    migrate_to_6,  migrate_to_7,  migrate_to_8,  migrate_to_9,  migrate_to_10,
    migrate_to_11, migrate_to_12, migrate_to_13, migrate_to_14, migrate_to_15,
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int newsidx_schema_version(void) { return N_MIGRATIONS; }

newsidx_status_t newsidx_schema_version_of(newsidx_db *db, int *version, newsidx_error *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db->sqlite,
                              "SELECT (SELECT user_version FROM pragma_user_version),"
                              " (SELECT count(*) FROM sqlite_schema)",
                              -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_finalize(stmt);
    if ((rc & 0xff) == SQLITE_NOTADB)
      return newsidx_error_set(err, NEWSIDX_CORRUPT, "%s: not an SQLite database", db->path);
    if ((rc & 0xff) == SQLITE_CORRUPT) /* an SQLite header, but the file is cut or damaged */
      return newsidx_error_set(err, NEWSIDX_CORRUPT, "%s: a damaged SQLite database (%s)", db->path,
                               sqlite3_errstr(rc));
    return newsidx_error_sqlite(err, db->sqlite, rc, db->path);
  }
  int v = sqlite3_column_int(stmt, 0);
  int n_objects = sqlite3_column_int(stmt, 1);
  sqlite3_finalize(stmt);
  /* user_version is any signed 32-bit number; newsidx writes 1 and up only. Below 0 is
  ** another program's (or damage), never an index to migrate: migrations[] starts at 0. */
  if (v < 0 || (v == 0 && n_objects > 0))
    return newsidx_error_set(err, NEWSIDX_CORRUPT,
                             "%s: an SQLite database, but not a newsidx index", db->path);
  *version = v;
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_schema_migrate(newsidx_db *db, const char *language, newsidx_error *err) {
  int version = 0;
  newsidx_status_t status = newsidx_schema_version_of(db, &version, err);
  if (status != NEWSIDX_OK) return status;
  if (version == N_MIGRATIONS) return NEWSIDX_OK;
  if (version > N_MIGRATIONS) goto too_new;

  /* Take the write lock, then look again: another process may have migrated meanwhile. */
  status = newsidx_begin(db, err);
  if (status != NEWSIDX_OK) return status;
  status = newsidx_schema_version_of(db, &version, err);
  if (status == NEWSIDX_OK && version > N_MIGRATIONS) {
    newsidx_rollback(db);
    goto too_new;
  }
  for (int v = version; status == NEWSIDX_OK && v < N_MIGRATIONS; v++)
    status = migrations[v](db, language, err);
  if (status == NEWSIDX_OK && version == 0) status = tune_new_index(db, err);
  if (status == NEWSIDX_OK) {
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", N_MIGRATIONS);
    status = newsidx_exec(db, sql, "setting the schema version", err);
  }
  if (status == NEWSIDX_OK) return newsidx_commit(db, err);
  newsidx_rollback(db);
  return status;

too_new:
  return newsidx_error_set(err, NEWSIDX_SCHEMA_TOO_NEW,
                           "%s: schema version %d is newer than this newsidx knows (%d); "
                           "upgrade newsidx",
                           db->path, version, N_MIGRATIONS);
}
