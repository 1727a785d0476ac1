/*
** test_termdocs.c — the stored number of articles per word (term_docs, newsidx_term_docs())
** equals FTS5's own count of every term (fts5vocab) after each kind of change: articles added
** (prepared ahead or not), a text changed, an article deleted, a duplicate taking its
** original's place, a batch rolled back. Readers get -1 while the table is behind the index; a
** writer that finds it behind counts again, and one whose counts another writer made old loads
** them again. newsidx check compares current counts with FTS5's.
*/
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
  char *dir, *path;
  newsidx_db *db;
} fixture;

static newsidx_db *open_file(const char *path) {
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, "english", 0};
  newsidx_db *db = NULL;
  newsidx_error err = {0};
  if (newsidx_db_open(path, &options, &db, &err) != NEWSIDX_OK) fail_msg("open: %s", err.message);
  return db;
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->dir = test_tmpdir();
  size_t n = strlen(f->dir) + 16;
  f->path = malloc(n);
  snprintf(f->path, n, "%s/news.db", f->dir);
  f->db = open_file(f->path);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  newsidx_db_close(f->db);
  test_tmpdir_remove(f->dir);
  free(f->path);
  free(f);
  return 0;
}

/* Closing writes what a writer counted since its last write: reopen to read it. */
static void reopen(fixture *f) {
  newsidx_db_close(f->db);
  f->db = open_file(f->path);
}

static int64_t stored(newsidx_db *db, const char *stem) {
  int64_t n = -2;
  newsidx_error err = {0};
  if (newsidx_term_docs(db, stem, (int)strlen(stem), &n, &err) != NEWSIDX_OK)
    fail_msg("newsidx_term_docs: %s", err.message);
  return n;
}

/* Every term of the full-text index has its FTS5 document count stored; returns how many
** terms there are. */
static int check_counts(newsidx_db *db) {
  sqlite3 *s = newsidx_db_sqlite(db);
  assert_int_equal(sqlite3_exec(s,
                                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab"
                                " USING fts5vocab(main, articles_fts, row)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(s, "SELECT term, doc FROM temp.vocab", -1, &stmt, NULL),
                   SQLITE_OK);
  int n = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(stmt, 0);
    int64_t want = sqlite3_column_int64(stmt, 1);
    if (stored(db, term) != want)
      fail_msg("'%s': %lld stored, FTS5 counts %lld", term, (long long)stored(db, term),
               (long long)want);
    n++;
  }
  sqlite3_finalize(stmt);
  assert_int_equal(stored(db, "zyzzyva"), 0); /* in no article */
  return n;
}

static int64_t id_of(newsidx_db *db, const char *key) {
  int64_t id, size, mtime;
  newsidx_error err = {0};
  if (newsidx_lookup_key(db, key, &id, &size, &mtime, &err) != NEWSIDX_OK)
    fail_msg("%s: %s", key, err.message);
  return id;
}

static void delete_key(newsidx_db *db, const char *key) {
  newsidx_error err = {0};
  int64_t id = id_of(db, key);
  if (newsidx_begin(db, &err) != NEWSIDX_OK || newsidx_delete_article(db, id, &err) != NEWSIDX_OK ||
      newsidx_commit(db, &err) != NEWSIDX_OK)
    fail_msg("deleting %s: %s", key, err.message);
}

/* Stores a body under `key`, after beginning a transaction when `begin` (left open), else in
** whatever state the connection is. */
static void store_body(newsidx_db *db, const char *key, const char *body, int begin) {
  newsidx_error err = {0};
  newsidx_article a = {0};
  a.key = a.path = key;
  a.body = body;
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  if (begin && newsidx_begin(db, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  if (newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK)
    fail_msg("storing %s: %s", key, err.message);
}

/* Stores an article the way the indexer does: prepared on an analyzer, then stored. */
static void store_prepared(newsidx_db *db, const char *key, const char *title, const char *body) {
  newsidx_analyzer *analyzer;
  newsidx_prepared *prepared;
  newsidx_error err = {0};
  newsidx_article a = {0};
  a.key = a.path = key;
  a.title = title;
  a.body = body;
  a.file_size = a.file_mtime = -1;
  newsidx_store_outcome outcome;
  if (newsidx_analyzer_open(db, &analyzer, &err) != NEWSIDX_OK ||
      newsidx_prepare_article(analyzer, &a, &prepared, &err) != NEWSIDX_OK)
    fail_msg("preparing %s: %s", key, err.message);
  if (newsidx_begin(db, &err) != NEWSIDX_OK ||
      newsidx_store_prepared(db, &a, prepared, &outcome, NULL, &err) != NEWSIDX_OK ||
      newsidx_commit(db, &err) != NEWSIDX_OK)
    fail_msg("storing %s: %s", key, err.message);
  newsidx_prepared_free(prepared);
  newsidx_analyzer_close(analyzer);
}

static void counts_follow_every_change(void **state) {
  fixture *f = *state;
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Glaciers calve into the sea. Glaciers.");
  test_store(f->db, "/b", NULL, "2026-01-02", NULL, "The sea rises as glaciers melt.");
  store_prepared(f->db, "/c", "Sea ice", "Sea ice thins; the glacier retreats.");
  reopen(f);
  assert_int_equal(stored(f->db, "glacier"), 3);
  assert_int_equal(stored(f->db, "sea"), 3); /* title and body of /c: one article */
  int n_terms = check_counts(f->db);
  assert_true(n_terms >= 10);

  /* a duplicate of /a is not indexed; a changed text moves the counts of both texts' words */
  assert_int_equal(test_store(f->db, "/a-copy", NULL, "2026-01-03", NULL,
                              "Glaciers calve into the sea. Glaciers."),
                   NEWSIDX_STORED_DUPLICATE);
  test_store(f->db, "/b", NULL, "2026-01-02", NULL, "Fjords freeze in winter.");
  reopen(f);
  assert_int_equal(stored(f->db, "glacier"), 2);
  assert_int_equal(stored(f->db, "fjord"), 1);
  assert_int_equal(stored(f->db, "rise"), 0);
  check_counts(f->db);

  /* deleting /a puts its duplicate in its place: the same words, the same counts */
  delete_key(f->db, "/a");
  reopen(f);
  assert_int_equal(stored(f->db, "calv"), 1);
  check_counts(f->db);
  delete_key(f->db, "/a-copy");
  reopen(f);
  assert_int_equal(stored(f->db, "calv"), 0);
  assert_int_equal(stored(f->db, "glacier"), 1);
  check_counts(f->db);

  /* a rolled-back batch counts for nothing */
  store_body(f->db, "/d", "Glaciers and walruses.", 1);
  newsidx_rollback(f->db);
  test_store(f->db, "/e", NULL, "2026-01-05", NULL, "A walrus on the glacier.");
  reopen(f);
  assert_int_equal(stored(f->db, "walrus"), 1);
  assert_int_equal(stored(f->db, "glacier"), 2);
  check_counts(f->db);
}

/* The counts describe the generation they were written for; a reader of a newer index gets
** -1, and the next writer counts again from the index. */
static void a_table_behind_the_index_is_not_used(void **state) {
  fixture *f = *state;
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Auroras dance over the tundra.");
  reopen(f);
  assert_int_equal(stored(f->db, "aurora"), 1);
  sqlite3 *s = newsidx_db_sqlite(f->db);
  /* a writer that stopped between two writes of the table leaves it behind */
  assert_int_equal(sqlite3_exec(s, "UPDATE meta SET value = value + 1 WHERE key = 'fts_generation'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(stored(f->db, "aurora"), -1);
  assert_int_equal(stored(f->db, "zyzzyva"), -1);
  test_store(f->db, "/b", NULL, "2026-01-02", NULL, "Auroras and reindeer.");
  reopen(f);
  assert_int_equal(stored(f->db, "aurora"), 2);
  check_counts(f->db);
  /* newsidx_optimize() counts again from the index too */
  assert_int_equal(
      sqlite3_exec(newsidx_db_sqlite(f->db), "DELETE FROM term_docs", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(stored(f->db, "aurora"), 0);
  newsidx_error err = {0};
  assert_int_equal(newsidx_optimize(f->db, 0, &err), NEWSIDX_OK);
  assert_int_equal(stored(f->db, "aurora"), 2);
  check_counts(f->db);
}

/* Outside a transaction a store or a delete runs in one of its own: the counts stay right, and
** the new words of such a store are counted too. */
static void stores_outside_a_transaction_count_too(void **state) {
  fixture *f = *state;
  newsidx_error err = {0};
  store_body(f->db, "/a", "The quokka jumped over a wombat.", 0);
  store_body(f->db, "/b", "The quokka again, and a numbat.", 0);
  assert_true(sqlite3_get_autocommit(newsidx_db_sqlite(f->db)));
  assert_int_equal(newsidx_delete_article(f->db, id_of(f->db, "/a"), &err), NEWSIDX_OK);
  newsidx_settle(f->db);
  assert_int_equal(stored(f->db, "quokka"), 1);
  assert_int_equal(stored(f->db, "wombat"), 0);
  check_counts(f->db);
  reopen(f);
  assert_int_equal(stored(f->db, "numbat"), 1);
  check_counts(f->db);
}

/* A writer's own uncommitted changes are not in the stored counts: on its connection they read
** as behind (-1) until it commits. */
static void a_writer_in_a_transaction_counts_for_itself(void **state) {
  fixture *f = *state;
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Glaciers calve.");
  newsidx_settle(f->db);
  assert_int_equal(stored(f->db, "glacier"), 1);
  store_body(f->db, "/b", "Glaciers melt.", 1);
  assert_int_equal(stored(f->db, "glacier"), -1);
  newsidx_error err = {0};
  assert_int_equal(newsidx_commit(f->db, &err), NEWSIDX_OK);
  newsidx_settle(f->db);
  assert_int_equal(stored(f->db, "glacier"), 2);
}

/* A writer that settles leaves its counts written without closing (an indexer's run, a watch
** cycle): a reader on another connection uses them at once. */
static void settled_counts_are_current(void **state) {
  fixture *f = *state;
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Geysers spout.");
  test_store(f->db, "/b", NULL, "2026-01-02", NULL, "Geysers and hot springs.");
  test_store(f->db, "/c", NULL, "2026-01-03", NULL, "Hot springs steam.");
  newsidx_settle(f->db);
  newsidx_db *reader = open_file(f->path);
  assert_int_equal(stored(reader, "geyser"), 2);
  assert_int_equal(stored(reader, "spring"), 2);
  check_counts(reader);
  newsidx_db_close(reader);
}

/* Two writers take turns: each finds the other's changes before making its own. */
static void writers_taking_turns_keep_the_counts(void **state) {
  fixture *f = *state;
  newsidx_db *other = open_file(f->path);
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Storm floods the harbour.");
  test_store(other, "/b", NULL, "2026-01-02", NULL, "Storm closes the harbour again.");
  test_store(f->db, "/c", NULL, "2026-01-03", NULL, "Harbour reopens after the storm.");
  delete_key(other, "/a");
  newsidx_db_close(other);
  reopen(f);
  assert_int_equal(stored(f->db, "harbour"), 2);
  assert_int_equal(stored(f->db, "flood"), 0);
  check_counts(f->db);
}

static void note_problem(void *ctx, const char *line) {
  char **first = ctx;
  if (!*first) *first = strdup(line);
}

/* newsidx check compares current counts with FTS5's, and leaves counts behind the index be. */
static void check_compares_the_counts(void **state) {
  fixture *f = *state;
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Comets streak past the moon.");
  reopen(f);
  int64_t n_problems = -1;
  char *first = NULL;
  newsidx_error err = {0};
  assert_int_equal(newsidx_check(f->db, 0, note_problem, &first, &n_problems, &err), NEWSIDX_OK);
  assert_int_equal(n_problems, 0);
  sqlite3 *s = newsidx_db_sqlite(f->db);
  assert_int_equal(sqlite3_exec(s, "DELETE FROM term_docs", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(newsidx_check(f->db, 0, note_problem, &first, &n_problems, &err), NEWSIDX_OK);
  assert_true(n_problems >= 4); /* comet, streak, past, moon... */
  assert_non_null(first);
  assert_non_null(strstr(first, "the full-text index has 1 (newsidx optimize counts them again)"));
  free(first);
  first = NULL;
  assert_int_equal(sqlite3_exec(s, "UPDATE meta SET value = value + 1 WHERE key = 'fts_generation'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(newsidx_check(f->db, 0, note_problem, &first, &n_problems, &err), NEWSIDX_OK);
  assert_int_equal(n_problems, 0);
  free(first);
}

/* The migration to version 8 counts an older index's words. */
static void an_older_index_gets_its_counts(void **state) {
  fixture *f = *state;
  test_store(f->db, "/a", NULL, "2026-01-01", NULL, "Volcanoes erupt; volcanoes smoke.");
  test_store(f->db, "/b", NULL, "2026-01-02", NULL, "A volcano sleeps.");
  test_schema_downgrade(newsidx_db_sqlite(f->db), 7);
  reopen(f);
  assert_int_equal(stored(f->db, "volcano"), 2);
  check_counts(f->db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(counts_follow_every_change, setup, teardown),
      cmocka_unit_test_setup_teardown(a_table_behind_the_index_is_not_used, setup, teardown),
      cmocka_unit_test_setup_teardown(writers_taking_turns_keep_the_counts, setup, teardown),
      cmocka_unit_test_setup_teardown(settled_counts_are_current, setup, teardown),
      cmocka_unit_test_setup_teardown(stores_outside_a_transaction_count_too, setup, teardown),
      cmocka_unit_test_setup_teardown(a_writer_in_a_transaction_counts_for_itself, setup, teardown),
      cmocka_unit_test_setup_teardown(an_older_index_gets_its_counts, setup, teardown),
      cmocka_unit_test_setup_teardown(check_compares_the_counts, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
