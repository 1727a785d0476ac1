/*
** test_db.c — opening, creating and migrating an index; refusing what is not one.
*/
#include "test_util.h"

static char *db_path(const char *dir, const char *name) {
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  assert_non_null(path);
  snprintf(path, strlen(dir) + strlen(name) + 2, "%s/%s", dir, name);
  return path;
}

static newsidx_status_t open_db(const char *path, int flags, const char *language, newsidx_db **db,
                                newsidx_error *err) {
  newsidx_open_options options = {flags, language, 0};
  return newsidx_db_open(path, &options, db, err);
}

/* A new index `name` in `dir`, for a migration test to take back; *path is set (free() it). */
static newsidx_db *created(const char *dir, const char *name, char **path) {
  *path = db_path(dir, name);
  newsidx_db *db;
  newsidx_error err = {0};
  if (open_db(*path, NEWSIDX_OPEN_CREATE, NULL, &db, &err) != NEWSIDX_OK)
    fail_msg("%s: %s", *path, err.message);
  return db;
}

static void creates_schema_in_wal_mode(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "news.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  sqlite3 *s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  assert_true(newsidx_schema_version() >= 1);
  assert_int_equal(
      test_query_int(s, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                     "('articles', 'articles_fts', 'meta', 'articles_date')"),
                   4);
  assert_string_equal(newsidx_db_language(db), "english");
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM meta WHERE key = 'tokenizer' AND value "
                                     "= 'snowball english unicode61 remove_diacritics 2'"),
                   1);
  newsidx_db_close(db);

  /* read-only reopen sees the same index */
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_OK);
  assert_string_equal(newsidx_db_language(db), "english");
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

static void missing_file_without_create_is_not_found(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "absent.db");
  newsidx_db *db = (newsidx_db *)1;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_NOT_FOUND);
  assert_null(db);
  assert_non_null(strstr(err.message, "absent.db"));
  assert_int_equal(access(path, F_OK), -1); /* nothing created */
  free(path);
  test_tmpdir_remove(dir);
}

static void language_is_stored_and_checked(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "fr.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, "french", &db, &err), NEWSIDX_OK);
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  assert_string_equal(newsidx_db_language(db), "french");
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, "english", &db, &err),
                   NEWSIDX_LANGUAGE_MISMATCH);
  assert_non_null(strstr(err.message, "french"));
  free(path);
  test_tmpdir_remove(dir);
}

static int count_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  ++*(int *)ctx;
  return 0;
}

/* A language libstemmer does not know, stored in the file, is named when the tokenizer cannot
** be made of it: by searches (newsidx_tokenize) and by the indexer (newsidx_analyzer_open). */
static void a_stored_language_without_stemmer_is_named(void **state) {
  char *dir = test_tmpdir(), *path;
  newsidx_db *db = created(dir, "news.db", &path);
  assert_int_equal(sqlite3_exec(newsidx_db_sqlite(db),
                                "UPDATE meta SET value = 'klingon' WHERE key = 'language'", NULL,
                                NULL, NULL),
                   SQLITE_OK);
  newsidx_db_close(db);
  char want[512];
  snprintf(want, sizeof want, "%s: the index's language 'klingon' has no Snowball stemmer", path);
  for (int read_only = 0; read_only <= 1; read_only++) {
    newsidx_error err = {0};
    assert_int_equal(open_db(path, read_only ? NEWSIDX_OPEN_READONLY : 0, NULL, &db, &err),
                     NEWSIDX_OK);
    int n = 0;
    assert_int_equal(newsidx_tokenize(db, "Copper rose", 11, count_token, &n, &err),
                     NEWSIDX_CORRUPT);
    assert_string_equal(err.message, want);
    assert_int_equal(n, 0);
    newsidx_analyzer *an = (newsidx_analyzer *)1;
    memset(&err, 0, sizeof err);
    assert_int_equal(newsidx_analyzer_open(db, &an, &err), NEWSIDX_CORRUPT);
    assert_null(an);
    assert_string_equal(err.message, want);
    newsidx_db_close(db);
  }
  free(path);
  test_tmpdir_remove(dir);
}

static void refuses_files_that_are_not_indexes(void **state) {
  char *dir = test_tmpdir();
  newsidx_db *db;
  newsidx_error err = {0};

  char *text = test_write_file(dir, "notes.db", "this is not a database, just words\n", 35);
  assert_int_equal(open_db(text, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_CORRUPT);
  assert_non_null(strstr(err.message, "not an SQLite database"));

  char *other = db_path(dir, "other.db");
  sqlite3 *s;
  assert_int_equal(sqlite3_open(other, &s), SQLITE_OK);
  assert_int_equal(sqlite3_exec(s, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(s);
  assert_int_equal(open_db(other, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_CORRUPT);
  assert_non_null(strstr(err.message, "not a newsidx index"));
  /* and it was left alone */
  assert_int_equal(sqlite3_open(other, &s), SQLITE_OK);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema"), 1);
  sqlite3_close(s);

  free(text);
  free(other);
  test_tmpdir_remove(dir);
}

static void refuses_a_newer_schema(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "future.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newsidx_schema_version() + 1);
  assert_int_equal(sqlite3_exec(newsidx_db_sqlite(db), sql, NULL, NULL, NULL), SQLITE_OK);
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  assert_non_null(strstr(err.message, "newer"));
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  free(path);
  test_tmpdir_remove(dir);
}

/* The whole file at `path`, for comparing before and after (free() it); *n its size. */
static char *file_bytes(const char *path, long *n) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  *n = ftell(f);
  rewind(f);
  char *bytes = malloc((size_t)*n + 1);
  assert_non_null(bytes);
  assert_int_equal(fread(bytes, 1, (size_t)*n, f), (size_t)*n);
  fclose(f);
  return bytes;
}

/* PRAGMA user_version is a signed 32-bit field of the header: any value outside 1 to the current
** version is refused by writers and readers alike, with the file left as it was. A negative one
** used to index the table of migrations out of bounds (a crash). */
static void refuses_versions_outside_the_known_range(void **state) {
  static const struct {
    int version;
    int above_current; /* version counts from newsidx_schema_version() */
    newsidx_status_t status;
    const char *says;
  } cases[] = {
      {-1, 0, NEWSIDX_CORRUPT, "an SQLite database, but not a newsidx index"},
      {(int)0x8000000D, 0, NEWSIDX_CORRUPT, "not a newsidx index"}, /* 13, top bit flipped */
      {INT32_MIN, 0, NEWSIDX_CORRUPT, "not a newsidx index"},
      {0, 0, NEWSIDX_CORRUPT, "not a newsidx index"},
      {1, 1, NEWSIDX_SCHEMA_TOO_NEW, "is newer than this newsidx knows"},
      {INT32_MAX, 0, NEWSIDX_SCHEMA_TOO_NEW, "schema version 2147483647 is newer"},
  };
  char *dir = test_tmpdir(), *path;
  newsidx_db_close(created(dir, "news.db", &path));
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int version = cases[i].version + (cases[i].above_current ? newsidx_schema_version() : 0);
    sqlite3 *s;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
    assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s); /* the last connection: the log goes into the file */
    long n_before, n_after;
    char *before = file_bytes(path, &n_before);
    for (int read_only = 0; read_only <= 1; read_only++) {
      newsidx_db *db = (newsidx_db *)1;
      newsidx_error err = {0};
      newsidx_status_t status =
          open_db(path, read_only ? NEWSIDX_OPEN_READONLY : 0, NULL, &db, &err);
      if (status != cases[i].status || !strstr(err.message, cases[i].says))
        fail_msg("user_version %d, %s: status %d (%s), wanted %d (%s)", version,
                 read_only ? "read-only" : "writable", status, err.message, cases[i].status,
                 cases[i].says);
      assert_null(db);
    }
    char *after = file_bytes(path, &n_after);
    assert_int_equal(n_after, n_before);
    assert_memory_equal(after, before, (size_t)n_before);
    free(before);
    free(after);
  }
  free(path);
  test_tmpdir_remove(dir);
}

/* An index of version 3 (before the rules) opened by this newsidx gains the rules tables,
** its ledger gets each term's seq from the article that introduced it, and loses its indexes
** on first_article (version 7) and on seq (added by version 4, gone with version 9). */
static void migrates_a_version_3_index(void **state) {
  char *dir = test_tmpdir(), *path;
  newsidx_db *db = created(dir, "v3.db", &path);
  newsidx_error err = {0};
  test_store(db, "/m1", NULL, "2026-01-01", NULL, "Auroras dance.");
  test_store(db, "/m2", NULL, "2026-01-02", NULL, "Glaciers calve.");
  sqlite3 *s = newsidx_db_sqlite(db);
  /* back to version 3 as it was */
  test_schema_downgrade(s, 3);
  const char *first_article_index =
      "SELECT count(*) FROM sqlite_schema WHERE name = 'terms_first_article'";
  assert_int_equal(test_query_int(s, first_article_index), 1);
  newsidx_db_close(db);
  assert_int_equal(open_db(path, NEWSIDX_OPEN_READONLY, NULL, &db, &err), NEWSIDX_SCHEMA_TOO_NEW);
  assert_non_null(strstr(err.message, "older"));
  assert_int_equal(open_db(path, 0, NULL, &db, &err), NEWSIDX_OK);
  s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM rules"), 0);
  assert_int_equal(
      test_query_int(s, "SELECT seq FROM terms WHERE term = 'glacier'"),
      test_query_int(
          s,
          "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '/m2')"));
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM terms WHERE seq = 0"), 0);
  assert_int_equal(test_query_int(s, first_article_index), 0);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'terms'"
                                     " AND type = 'index' AND sql IS NOT NULL"),
                   0);
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

/* Every fact of every ledger term in `table` (the table before version 12, the view since), as
** one line of text to compare; free() it. A term from before version 4 had seq 0, and has 0 or
** less since version 12. */
static char *ledger_text(sqlite3 *s, const char *table) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT group_concat(term || ' ' || kind || ' ' || surface || ' ' || first_article"
           " || ' ' || ifnull(first_when, '-') || ' ' || first_indexed || ' ' || n_docs || ' '"
           " || max(seq, 0), '; ') FROM (SELECT * FROM %s ORDER BY term, kind)",
           table);
  return test_query_text(s, sql);
}

/* When an article was indexed, as an ISO date-time. */
#define ARTICLE_INDEXED_AT "strftime('%Y-%m-%dT%H:%M:%SZ', " NEWSIDX_SQL_INDEXED_AT ", 'unixepoch')"

/* Version 12 writes each batch's time and each term's origin once: an index of version 11
** whose articles and terms carry their own times reads every one of them back, through
** `batches` (NEWSIDX_SQL_INDEXED_AT) and the view `terms` over `term_origins`. */
static void migrates_a_version_11_index(void **state) {
  char *dir = test_tmpdir(), *path;
  newsidx_db *db = created(dir, "v11.db", &path);
  newsidx_error err = {0};
  test_store(db, "/m1", NULL, "2026-01-01", NULL, "Auroras dance.");
  test_store(db, "/m2", NULL, "2026-01-02T10:00:00Z", NULL, "Glaciers calve.");
  test_store(db, "/m3", NULL, NULL, NULL, "Auroras and glaciers, again.");
  test_store(db, "/m4", NULL, NULL, NULL, "Fjords.");
  sqlite3 *s = newsidx_db_sqlite(db);
  test_schema_downgrade(s, 11);
  /* three times, as three runs left them: /m1 and /m2 in one second, /m3, then /m4 */
  const char *times =
      "UPDATE articles SET indexed_at = CASE key WHEN '/m3' THEN '2025-05-05T05:05:05Z'"
      "  WHEN '/m4' THEN '2025-06-06T06:06:06Z' ELSE '2025-01-01T01:01:01Z' END;"
      "UPDATE terms SET first_indexed = (SELECT unixepoch(a.indexed_at) FROM articles a"
      "  WHERE a.id = first_article);"
      /* two terms from before version 4 whose articles were gone then: seq 0, kept apart */
      "UPDATE terms SET seq = 0, first_article = 999, first_when = NULL WHERE term = 'fjord';"
      "UPDATE terms SET seq = 0, first_article = 998, first_when = 12345,"
      "  first_indexed = 0 WHERE term = 'again'";
  assert_int_equal(sqlite3_exec(s, times, NULL, NULL, NULL), SQLITE_OK);
  char *ledger_before = ledger_text(s, "terms");
  newsidx_db_close(db);

  assert_int_equal(open_db(path, 0, NULL, &db, &err), NEWSIDX_OK);
  s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  /* the three times of the articles, and the two of the legacy terms */
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM batches"), 5);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM pragma_table_info('articles')"
                                     " WHERE name = 'indexed_at'"),
                   0);
  /* each article reads back the time it had */
  const char *own_times =
      "SELECT count(*) FROM articles WHERE " ARTICLE_INDEXED_AT " = CASE " NEWSIDX_SQL_ARTICLE_KEY
      " WHEN '/m3' THEN '2025-05-05T05:05:05Z' WHEN '/m4'"
      " THEN '2025-06-06T06:06:06Z' ELSE '2025-01-01T01:01:01Z' END";
  assert_int_equal(test_query_int(s, own_times), 4);
  char *ledger_after = ledger_text(s, "terms");
  assert_non_null(strstr(ledger_before, "glacier 0 Glaciers"));
  assert_string_equal(ledger_after, ledger_before);
  free(ledger_after);
  /* one origin per article that brought terms: /m1, /m2, /m3 ("and"), and the legacy terms'
  ** articles 998 ("again") and 999 ("fjord"), each its own */
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM term_origins"), 5);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM terms WHERE seq <= 0"), 2);
  free(ledger_before);
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

/* Checks that a migrated index has no problem (newsidx check), closes it, and removes it
** with its folder; frees path. */
static void checked_and_removed(newsidx_db *db, char *path, char *dir) {
  int64_t n_problems = -1;
  newsidx_error err = {0};
  assert_int_equal(newsidx_check(db, 0, NULL, NULL, &n_problems, &err), NEWSIDX_OK);
  assert_int_equal(n_problems, 0);
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

/* Every article's key and path, hex-encoded in id order, read as `sql` (over one row per
** article: key, path) reads them; free() it. */
static char *keys_and_paths(sqlite3 *s, const char *sql) {
  char query[1024];
  snprintf(query, sizeof query,
           "SELECT group_concat(hex(k) || ':' || ifnull(hex(p), '-'), ' ') FROM (%s)", sql);
  return test_query_text(s, query);
}

/* Version 13 names a text file's folder once: the keys of a version-12 index are split at the
** byte into folder and name (a name that is not UTF-8, a key without '/', a folder of two
** files), and every key and path reads back as it was; records and articles without a file
** keep their keys. The ledger's rows of version 12, [term, spelling, 1], still read. */
static void migrates_a_version_12_index(void **state) {
  char *dir = test_tmpdir(), *path;
  newsidx_db *db = created(dir, "v12.db", &path);
  test_store(db, "/n/a.txt", NULL, NULL, NULL, "Auroras dance.");
  test_store(db, "/n/caf\xe9.txt", NULL, NULL, NULL, "Glaciers calve.");
  test_store(db, "/m/deep/b.txt", NULL, NULL, NULL, "Fjords freeze.");
  test_store(db, "relative.txt", NULL, NULL, NULL, "Tundra thaws.");
  test_store(db, "rec-1", "/feeds/f.jsonl", NULL, NULL, "Records stay.");
  test_store_without_file(db, "/no/file", "No file at all.");
  newsidx_error err = {0};
  sqlite3 *s = newsidx_db_sqlite(db);
  test_schema_downgrade(s, 12);
  assert_int_equal(sqlite3_exec(s,
                                "UPDATE term_origins SET terms = '[[\"auror\", \"Auroras\", 1]]'"
                                " WHERE article = 1",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  /* version 12: the key is the whole path; path '' for a text file, NULL with a file_id */
  char *before = keys_and_paths(
      s, "SELECT key AS k, CASE WHEN file_id IS NOT NULL THEN (SELECT f.path FROM files f"
         " WHERE f.id = file_id) WHEN path = '' THEN key ELSE path END AS p FROM articles"
         " ORDER BY id");
  newsidx_db_close(db);

  assert_int_equal(open_db(path, 0, NULL, &db, &err), NEWSIDX_OK);
  s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  char *after = keys_and_paths(s, "SELECT key AS k, path AS p FROM article_keys ORDER BY id");
  assert_string_equal(after, before);
  assert_non_null(strstr(after, "2F6E2F636166E92E747874")); /* "/n/caf\xe9.txt", byte for byte */
  /* the folders, once each (and '' for the key without '/'); the names in the rows */
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM files WHERE path IN"
                                     " ('/n/', '/m/deep/', '')"),
                   3);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles a JOIN files f"
                                     " ON f.id = a.folder_id WHERE f.path = '/n/'"),
                   2);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles WHERE folder_id IS NULL"
                                     " AND key IN ('rec-1', '/no/file')"),
                   2);
  assert_int_equal(test_query_int(s, "SELECT n_docs FROM terms WHERE term = 'auror'"), 1);
  /* the writer finds the migrated articles under their keys */
  int64_t id = 0;
  assert_int_equal(newsidx_lookup_key(db, "/n/caf\xe9.txt", &id, NULL, NULL, &err), NEWSIDX_OK);
  assert_int_equal(id, 2);
  assert_int_equal(test_store(db, "/m/deep/b.txt", NULL, NULL, NULL, "Fjords freeze."),
                   NEWSIDX_STORED_UNCHANGED);
  free(before);
  free(after);
  checked_and_removed(db, path, dir);
}

/* Every rule row, in id order, as one line of text to compare; free() it. */
static char *rules_text(sqlite3 *s) {
  return test_query_text(
      s, "SELECT group_concat(id || ' ' || name || ' ' || kind || ' ' || query"
         " || ' ' || options || ' ' || cursor || ' ' || created_at || ' '"
         " || ifnull(last_run_at, '-'), '; ') FROM (SELECT * FROM rules ORDER BY id)");
}

/* Version 14 numbers rules with AUTOINCREMENT: the rules of a version-13 index keep their ids
** and everything else, the sequence starts at the highest id in use, so that removing the
** newest rule and adding another gives a new id; the name stays unique, an index made on the
** table stays, and the trigger on articles that reads `rules` still forgets a deleted
** article's hits. */
static void migrates_a_version_13_index(void **state) {
  char *dir = test_tmpdir(), *path;
  newsidx_db *db = created(dir, "v13.db", &path);
  test_store(db, "/r/a.txt", NULL, NULL, NULL, "Wheat prices.");
  sqlite3 *s = newsidx_db_sqlite(db);
  test_schema_downgrade(s, 13);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'rules'"
                                     " AND sql LIKE '%AUTOINCREMENT%'"),
                   0);
  /* ids 1, 2 and 7, as removals leave them; hits of 1 and 7, a kept term of 2 */
  const char *rules =
      "INSERT INTO rules(id, name, kind, query, options, cursor, created_at, last_run_at)"
      "  VALUES(1, 'wheat', 0, 'wheat', '{}', 1, '2026-01-01T00:00:00Z', NULL),"
      "  (2, 'names', 1, '', '{\"min_docs\":2}', 0, '2026-01-02T00:00:00Z', "
      "'2026-01-03T00:00:00Z'),"
      "  (7, 'all', 0, 'prices', '{}', 1, '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z');"
      "INSERT INTO rule_hits VALUES(1, 1, '2026-01-05T00:00:00Z'), (7, 1, '2026-01-05T00:00:00Z');"
      "INSERT INTO rule_terms VALUES(2, 'wheat', 0, 1, '2026-01-05T00:00:00Z');"
      "CREATE INDEX rules_kind ON rules(kind);";
  assert_int_equal(sqlite3_exec(s, rules, NULL, NULL, NULL), SQLITE_OK);
  char *before = rules_text(s);
  newsidx_db_close(db);

  newsidx_error err = {0};
  assert_int_equal(open_db(path, 0, NULL, &db, &err), NEWSIDX_OK);
  s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA user_version"), newsidx_schema_version());
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'rules'"
                                     " AND sql LIKE '%AUTOINCREMENT%'"),
                   1);
  char *after = rules_text(s);
  assert_string_equal(after, before);
  assert_int_equal(test_query_int(s, "SELECT seq FROM sqlite_sequence WHERE name = 'rules'"), 7);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'rules_kind'"
                                     " AND tbl_name = 'rules'"),
                   1);
  assert_int_equal(sqlite3_exec(s,
                                "INSERT INTO rules(name, kind, query, options, created_at)"
                                " VALUES('wheat', 0, 'x', '{}', 'now')",
                                NULL, NULL, NULL),
                   SQLITE_CONSTRAINT_UNIQUE);
  /* the newest rule removed, another added: a new id */
  assert_int_equal(sqlite3_exec(s,
                                "DELETE FROM rule_hits WHERE rule_id = 7; DELETE FROM rules"
                                " WHERE id = 7; INSERT INTO rules(name, kind, query, options,"
                                " created_at) VALUES('again', 0, 'wheat', '{}', 'now')",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(test_query_int(s, "SELECT id FROM rules WHERE name = 'again'"), 8);
  /* the trigger on articles still reads rules */
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_delete_article(db, 1, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM rule_hits"), 0);
  free(before);
  free(after);
  checked_and_removed(db, path, dir);
}

/* A new index has 16 KiB pages and incremental vacuuming: the pages freed by deleting
** articles go back to the file system when enough are free, and the file shrinks. */
static void free_pages_are_given_back(void **state) {
  char *dir = test_tmpdir();
  char *path = db_path(dir, "news.db");
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(open_db(path, NEWSIDX_OPEN_CREATE, NULL, &db, &err), NEWSIDX_OK);
  sqlite3 *s = newsidx_db_sqlite(db);
  assert_int_equal(test_query_int(s, "PRAGMA page_size"), 16384);
  assert_int_equal(test_query_int(s, "PRAGMA auto_vacuum"), 2);
  /* and FTS5 merges its segments eight at a time (schema.c) */
  assert_int_equal(test_query_int(s, "SELECT v FROM articles_fts_config WHERE k = 'automerge'"), 8);
  char body[4000];
  for (size_t i = 0; i < sizeof body - 1; i++)
    body[i] = i % 7 == 6 ? ' ' : (char)('a' + (i * 31 + i / 7) % 26);
  body[sizeof body - 1] = '\0';
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  for (int i = 0; i < 300; i++) {
    char key[32];
    snprintf(key, sizeof key, "/a%d", i);
    body[i % 3000] = 'A' + (char)(i % 26); /* 300 different texts */
    newsidx_article a = {.key = key, .path = key, .body = body, .file_size = -1, .file_mtime = -1};
    newsidx_store_outcome outcome;
    assert_int_equal(newsidx_store_article(db, &a, &outcome, NULL, &err), NEWSIDX_OK);
  }
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  for (int64_t id = 11; id <= 300; id++)
    assert_int_equal(newsidx_delete_article(db, id, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  long long free_pages = test_query_int(s, "PRAGMA freelist_count");
  long long pages = test_query_int(s, "PRAGMA page_count");
  assert_true(free_pages > 20);
  /* fewer free pages than asked for: nothing moves */
  assert_int_equal(newsidx_release_free_pages(db, free_pages + 1, &err), NEWSIDX_OK);
  assert_int_equal(test_query_int(s, "PRAGMA freelist_count"), free_pages);
  assert_int_equal(newsidx_release_free_pages(db, 1, &err), NEWSIDX_OK);
  assert_int_equal(test_query_int(s, "PRAGMA freelist_count"), 0);
  assert_int_equal(test_query_int(s, "PRAGMA page_count"), pages - free_pages);
  newsidx_db_close(db);
  free(path);
  test_tmpdir_remove(dir);
}

static void status_names_are_distinct(void **state) {
  for (int a = NEWSIDX_OK; a <= NEWSIDX_NEEDS_REBUILD; a++)
    for (int b = a + 1; b <= NEWSIDX_NEEDS_REBUILD; b++)
      assert_string_not_equal(newsidx_status_to_string((newsidx_status_t)a),
                              newsidx_status_to_string((newsidx_status_t)b));
}

static void default_path_follows_environment(void **state) {
  unsetenv("NEWSIDX_DB");
  assert_string_equal(newsidx_default_db_path(), "news.db");
  setenv("NEWSIDX_DB", "/tmp/elsewhere.db", 1);
  assert_string_equal(newsidx_default_db_path(), "/tmp/elsewhere.db");
  unsetenv("NEWSIDX_DB");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(creates_schema_in_wal_mode),
      cmocka_unit_test(missing_file_without_create_is_not_found),
      cmocka_unit_test(language_is_stored_and_checked),
      cmocka_unit_test(a_stored_language_without_stemmer_is_named),
      cmocka_unit_test(refuses_files_that_are_not_indexes),
      cmocka_unit_test(refuses_a_newer_schema),
      cmocka_unit_test(refuses_versions_outside_the_known_range),
      cmocka_unit_test(migrates_a_version_3_index),
      cmocka_unit_test(migrates_a_version_11_index),
      cmocka_unit_test(migrates_a_version_12_index),
      cmocka_unit_test(migrates_a_version_13_index),
      cmocka_unit_test(free_pages_are_given_back),
      cmocka_unit_test(status_names_are_distinct),
      cmocka_unit_test(default_path_follows_environment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
