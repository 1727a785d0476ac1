/*
** cmd_index.c — `newsidx [index] [options] PATH...`: index files, folders and JSON Lines.
*/
#include "cli.h"
#include "commands.h"
#include "ingest.h"

#include <stdio.h>
#include <string.h>

enum { OPT_HELP = INGEST_OPT_FIRST, OPT_VERSION };

static const cli_option options[] = {
    INGEST_COMMON_OPTIONS,
    {"busy-timeout", 0, INGEST_OPT_BUSY_TIMEOUT, "MS",
     "wait up to MS ms for another writer at each batch (default 30000)"},
    {"help", 'h', OPT_HELP, NULL, "show this help"},
    {"version", 'V', OPT_VERSION, NULL, "show the version"},
    {NULL, 0, 0, NULL, NULL},
};

static void usage(FILE *out) {
  fprintf(out, "Usage: newsidx [--db FILE] [options] PATH...\n"
               "       newsidx COMMAND [options]\n\n"
               "Indexes news articles into one SQLite file: seed-format and plain text files\n"
               "(.txt), folders of them (recursively), JSON Lines (.jsonl, .ndjson), feeds (.xml,\n"
               ".rss, .atom, .rdf), CSV and TSV (.csv, .tsv), and '-' for JSON Lines on standard\n"
               "input.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\n");
  newsidx_print_commands(out);
  fprintf(out, "\n");
  cli_print_exit_codes(out, CLI_NEWSIDX);
}

static int on_option(void *ctx, int id, const char *arg) {
  switch (id) {
  case OPT_HELP: usage(stdout); return -1;
  case OPT_VERSION: printf("newsidx %s\n", NEWSIDX_VERSION); return -1;
  default: return ingest_cli_option(ctx, id, arg);
  }
}

int cmd_index(int argc, char **argv) {
  ingest_cli a = INGEST_CLI_INIT("newsidx");
  int first;
  int rc = cli_parse("newsidx", argc, argv, options, on_option, &a, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  if (first == argc) {
    usage(stderr);
    return CLI_EXIT_ERROR;
  }
  for (int i = first; i < argc; i++)
    if (strcmp(argv[i], "-") == 0 && a.forced_kind == 0)
      return cli_error("newsidx", "standard input is read as JSON Lines only (--format jsonl)");

  newsidx_db *db;
  newsidx_error err = {0};
  if (ingest_cli_open(&a, &db, &err) != NEWSIDX_OK) return cli_fail("newsidx", &err);
  volatile sig_atomic_t *stop = ingest_cli_catch_stop();

  cli_progress_start(&a.progress);
  ingest_options ingest = ingest_cli_ingest_options(&a, stop);
  ingest_counts counts;
  newsidx_status_t status = ingest_paths(db, argv + first, argc - first, &ingest, &counts, &err);
  cli_progress_done(&a.progress);
  newsidx_db_close(db);

  if (!a.quiet || status == NEWSIDX_INTERRUPTED)
    ingest_cli_print_summary("", &counts, cli_progress_elapsed(&a.progress));
  if (status == NEWSIDX_INTERRUPTED) {
    fprintf(stderr, "newsidx: interrupted; the articles above are indexed, run again to go on\n");
    return CLI_EXIT_INTERRUPTED;
  }
  if (status == NEWSIDX_FULL) /* SQLite's word for it names neither the file nor the outcome */
    return cli_error("newsidx",
                     "%s: disk is full; the index is as after its last complete batch (run again "
                     "once there is room)",
                     ingest_cli_db_path(&a));
  if (status != NEWSIDX_OK) return cli_fail("newsidx", &err);
  return counts.errors > 0 ? CLI_EXIT_NONE : CLI_EXIT_OK;
}
