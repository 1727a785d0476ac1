/*
** test_stats.c — newsidx_stats_get(), newsidx_disk_usage() and newsidx_optimize().
*/
#include "test_util.h"

static void counts_dates_sources_terms(void **state) {
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  newsidx_stats *s;
  assert_int_equal(newsidx_stats_get(db, 5, &s, &err), NEWSIDX_OK);
  assert_int_equal(s->articles, 0);
  assert_null(s->first_date);
  assert_int_equal(s->n_top_sources, 0);
  newsidx_stats_free(s);

  test_store(db, "/1", NULL, "2026-03-05", "Wire", "alpha beta");
  test_store(db, "/2", NULL, "1987-02-26T15:01:01Z", "Wire", "beta gamma");
  test_store(db, "/3", NULL, NULL, "Gazette", "alpha  beta"); /* a duplicate of /1 */
  test_store(db, "/4", NULL, "2026-04-07", NULL, "gamma");
  newsidx_input_file file = {"/1", 10, 1, 10, 0, 0, 0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_put(db, &file, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);

  assert_int_equal(newsidx_stats_get(db, 1, &s, &err), NEWSIDX_OK);
  assert_int_equal(s->schema_version, newsidx_schema_version());
  assert_string_equal(s->language, "english");
  assert_int_equal(s->articles, 4);
  assert_int_equal(s->originals, 3);
  assert_int_equal(s->duplicates, 1);
  assert_int_equal(s->input_files, 1);
  assert_int_equal(s->undated, 1);
  assert_string_equal(s->first_date, "1987-02-26T15:01:01Z");
  assert_string_equal(s->last_date, "2026-04-07");
  assert_non_null(s->last_indexed);
  assert_int_equal(s->terms, 3); /* alpha, beta, gamma */
  assert_int_equal(s->sources, 2);
  assert_int_equal(s->n_top_sources, 1); /* at most the one asked for */
  assert_string_equal(s->top_sources[0].name, "Wire");
  assert_int_equal(s->top_sources[0].articles, 2);
  assert_int_equal(s->db_bytes, 0); /* in memory */
  newsidx_stats_free(s);

  /* A text file is known by its article; once it has a row of its own too (it became empty),
  ** it is still one file. */
  test_store_file(db, "/news/t.txt", "delta", 5, 7);
  assert_int_equal(newsidx_stats_get(db, 1, &s, &err), NEWSIDX_OK);
  assert_int_equal(s->input_files, 2);
  newsidx_stats_free(s);
  newsidx_input_file empty = {"/news/t.txt", 0, 8, 0, 0, 0, 1};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_input_file_put(db, &empty, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_stats_get(db, 1, &s, &err), NEWSIDX_OK);
  assert_int_equal(s->input_files, 2);
  newsidx_stats_free(s);
  newsidx_db_close(db);
}

/* Many small batches leave many segments; optimize merges them and VACUUM returns free pages. */
static void optimize_merges_and_vacuum_shrinks(void **state) {
  char *dir = test_tmpdir();
  char path[512];
  snprintf(path, sizeof path, "%s/news.db", dir);
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, NULL, 0};
  newsidx_db *db;
  newsidx_error err = {0};
  assert_int_equal(newsidx_db_open(path, &options, &db, &err), NEWSIDX_OK);
  char key[32], body[128];
  for (int i = 0; i < 200; i++) {
    snprintf(key, sizeof key, "/a%d", i);
    snprintf(body, sizeof body, "Story %d about copper, cocoa and word%d in batch %d.", i, i, i);
    test_store(db, key, NULL, NULL, NULL, body);
  }
  int64_t db_bytes, wal_bytes;
  assert_int_equal(newsidx_disk_usage(db, &db_bytes, &wal_bytes, &err), NEWSIDX_OK);
  assert_true(db_bytes > 0);
  assert_true(wal_bytes > 0); /* nothing checkpointed by hand yet */
  sqlite3 *s = newsidx_db_sqlite(db);
  long long segments_before = test_query_int(s, "SELECT count(*) FROM articles_fts_data");

  assert_int_equal(newsidx_optimize(db, 0, &err), NEWSIDX_OK);
  long long segments_after = test_query_int(s, "SELECT count(*) FROM articles_fts_data");
  assert_true(segments_after < segments_before);
  assert_int_equal(newsidx_disk_usage(db, &db_bytes, &wal_bytes, &err), NEWSIDX_OK);
  assert_int_equal(wal_bytes, 0); /* checkpointed and truncated */
  assert_int_equal(test_query_int(s, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH "
                                     "'copper'"),
                   200);

  newsidx_stats *stats;
  assert_int_equal(newsidx_stats_get(db, 0, &stats, &err), NEWSIDX_OK);
  assert_true(stats->free_bytes > 0); /* the merged segments' pages */
  newsidx_stats_free(stats);
  assert_int_equal(newsidx_optimize(db, NEWSIDX_OPTIMIZE_VACUUM, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_stats_get(db, 0, &stats, &err), NEWSIDX_OK);
  assert_int_equal(stats->free_bytes, 0);
  assert_true(stats->db_bytes < db_bytes);
  newsidx_stats_free(stats);
  assert_int_equal(sqlite3_exec(s,
                                "INSERT INTO articles_fts(articles_fts, rank) "
                                "VALUES('integrity-check', 1)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  newsidx_db_close(db);
  test_tmpdir_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(counts_dates_sources_terms),
      cmocka_unit_test(optimize_merges_and_vacuum_shrinks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
