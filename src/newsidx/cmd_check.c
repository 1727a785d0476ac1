/*
** cmd_check.c — `newsidx check`: is the index sound? SQLite's and FTS5's integrity checks and
** newsidx's own invariants (newsidx_check()); one line per problem on standard error.
*/
#include "commands.h"

static const cli_option options[] = {
    CMD_COMMON_OPTIONS,
    {"quick", 0, CMD_FLAG(NEWSIDX_CHECK_QUICK), NULL,
     "SQLite's quick_check instead of the full integrity_check"},
    {NULL, 0, 0, NULL, NULL},
};

static void on_problem(void *ctx, const char *problem) {
  cli_message("newsidx check", "", problem);
}

int cmd_check(int argc, char **argv) {
  int flags = 0;
  const cmd_spec spec = {
      "check",
      "",
      "Checks the index: SQLite's integrity check, FTS5's check that the full-text index\n"
      "holds exactly the articles' text, and that every duplicate points at an original with\n"
      "the same text and each text has one original. Waits for a running indexer's batch.",
      "0 sound, 2 problems found (one line each on standard error) or the check could not run.",
      options,
      cmd_set_flag,
      &flags};
  newsidx_db *db;
  int first;
  /* Writable: FTS5's integrity-check is an INSERT to SQLite, although it changes nothing. */
  int rc = cmd_start(&spec, argc, argv, 0, &db, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  int64_t n_problems = 0;
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_check(db, flags, on_problem, NULL, &n_problems, &err);
  newsidx_db_close(db);
  if (status != NEWSIDX_OK) return cli_fail("newsidx check", &err);
  char n[32];
  if (n_problems > 0) {
    fprintf(stderr, "newsidx check: %s problem%s found\n", cli_thousands(n_problems, n, sizeof n),
            n_problems == 1 ? "" : "s");
    return CLI_EXIT_ERROR;
  }
  printf("ok\n");
  return CLI_EXIT_OK;
}
