/*
** cmd_optimize.c — `newsidx optimize`: merge the full-text index (newsidx_optimize()) and
** report the size on disk before and after.
*/
#include "commands.h"

static const cli_option options[] = {
    CMD_COMMON_OPTIONS,
    {"vacuum", 0, CMD_FLAG(NEWSIDX_OPTIMIZE_VACUUM), NULL,
     "also VACUUM: rewrite the file without its free pages"},
    {NULL, 0, 0, NULL, NULL},
};

/* Writes "12.3 MB" for the database and its log together. */
static newsidx_status_t size_on_disk(newsidx_db *db, char *buf, size_t size, newsidx_error *err) {
  int64_t db_bytes, wal_bytes;
  newsidx_status_t status = newsidx_disk_usage(db, &db_bytes, &wal_bytes, err);
  if (status == NEWSIDX_OK) cli_bytes(db_bytes + wal_bytes, buf, size);
  return status;
}

int cmd_optimize(int argc, char **argv) {
  int flags = 0;
  const cmd_spec spec = {
      "optimize",
      "",
      "Merges the full-text index into one segment (FTS5 'optimize'), updates SQLite's query\n"
      "statistics and folds the write-ahead log into the database. Worth running after large\n"
      "indexing runs; searches keep working meanwhile.",
      "0 done, 2 error.",
      options,
      cmd_set_flag,
      &flags};
  newsidx_db *db;
  int first;
  int rc = cmd_start(&spec, argc, argv, 0, &db, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  char before[32], after[32];
  double started = cli_now();
  newsidx_error err = {0};
  newsidx_status_t status = size_on_disk(db, before, sizeof before, &err);
  if (status == NEWSIDX_OK) status = newsidx_optimize(db, flags, &err);
  if (status == NEWSIDX_OK) status = size_on_disk(db, after, sizeof after, &err);
  newsidx_db_close(db);
  if (status != NEWSIDX_OK) return cli_fail("newsidx optimize", &err);
  printf("optimized in %.1f s: %s before, %s after\n", cli_now() - started, before, after);
  return CLI_EXIT_OK;
}
