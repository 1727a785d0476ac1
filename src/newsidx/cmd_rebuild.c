/*
** cmd_rebuild.c — `newsidx rebuild`: make the full-text index again from the stored text, with
** this newsidx's tokenizer (newsidx_rebuild()), showing progress.
*/
#include "commands.h"

static const cli_option options[] = {
    CMD_COMMON_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static void on_progress(void *ctx, int64_t done, int64_t total) {
  cli_progress_update(ctx, (long long)done, (long long)total, "articles", (long long)done,
                      "articles");
}

int cmd_rebuild(int argc, char **argv) {
  const cmd_spec spec = {
      "rebuild",
      "",
      "Makes the full-text index again from the stored text, with this newsidx's tokenizer,\n"
      "in one transaction. An index made by an older tokenizer needs it before articles can be\n"
      "added; searches keep working meanwhile, on the old index until the rebuild commits.",
      "0 done, 2 error.",
      options,
      NULL,
      NULL};
  newsidx_db *db;
  int first;
  int rc = cmd_start(&spec, argc, argv, 0, &db, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  cli_progress progress;
  cli_progress_start(&progress);
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_rebuild(db, on_progress, &progress, &err);
  cli_progress_done(&progress);
  double seconds = cli_progress_elapsed(&progress);
  newsidx_db_close(db);
  if (status != NEWSIDX_OK) return cli_fail("newsidx rebuild", &err);
  printf("rebuilt the full-text index in %.1f s\n", seconds);
  return CLI_EXIT_OK;
}
