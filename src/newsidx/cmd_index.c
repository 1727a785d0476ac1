/*
** cmd_index.c — `newsidx [index] [options] PATH|URL...`: index files, folders and JSON Lines,
** and what http(s) URLs and the subscriptions of --feeds give.
*/
#include "cli.h"
#include "commands.h"
#include "ingest.h"

#include <stdio.h>
#include <string.h>

enum { OPT_HELP = FETCH_OPT_LAST, OPT_VERSION };

static const cli_option options[] = {
    INGEST_COMMON_OPTIONS,
    FETCH_CLI_OPTIONS,
    {"busy-timeout", 0, INGEST_OPT_BUSY_TIMEOUT, "MS",
     "wait up to MS ms for another writer at each batch (default 30000)"},
    {"help", 'h', OPT_HELP, NULL, "show this help"},
    {"version", 'V', OPT_VERSION, NULL, "show the version"},
    {NULL, 0, 0, NULL, NULL},
};

static void usage(FILE *out) {
  fprintf(out, "Usage: newsidx [--db FILE] [options] PATH|URL...\n"
               "       newsidx COMMAND [options]\n\n"
               "Indexes news articles into one SQLite file: seed-format and plain text files\n"
               "(.txt), folders of them (recursively), JSON Lines (.jsonl, .ndjson), feeds (.xml,\n"
               ".rss, .atom, .rdf), HTML pages (.html, .htm), CSV and TSV (.csv, .tsv), '-' for\n"
               "JSON Lines on standard input, and http(s) URLs, fetched.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\n");
  newsidx_print_commands(out);
  fprintf(out, "\n");
  cli_print_exit_codes(out, CLI_NEWSIDX);
}

typedef struct index_cli {
  ingest_cli ingest;
  fetch_cli fetch;
} index_cli;

static int on_option(void *ctx, int id, const char *arg) {
  index_cli *c = ctx;
  switch (id) {
  case OPT_HELP: usage(stdout); return -1;
  case OPT_VERSION: printf("newsidx %s\n", NEWSIDX_VERSION); return -1;
  default:
    return id >= FETCH_OPT_FIRST ? fetch_cli_option(&c->fetch, "newsidx", id, arg)
                                 : ingest_cli_option(&c->ingest, id, arg);
  }
}

/* Runs ingest_paths() over the paths, then ingest_urls() over the URLs, adding up counts. */
static newsidx_status_t index_all(newsidx_db *db, char *const *paths, int n_paths,
                                  const fetch_cli_urls *urls, const ingest_options *ingest,
                                  const fetch_cli *fetch, ingest_counts *counts,
                                  newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  memset(counts, 0, sizeof *counts);
  if (n_paths > 0) status = ingest_paths(db, paths, n_paths, ingest, counts, err);
  if (status == NEWSIDX_OK && urls->n > 0)
    status = ingest_urls(db, urls->urls, urls->n, ingest, &fetch->options, counts, NULL, err);
  return status;
}

int cmd_index(int argc, char **argv) {
  index_cli c = {INGEST_CLI_INIT("newsidx"), FETCH_CLI_INIT};
  ingest_cli *a = &c.ingest;
  int first;
  int rc = cli_parse("newsidx", argc, argv, options, on_option, &c, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  if (first == argc && !c.fetch.feeds_path) {
    usage(stderr);
    return CLI_EXIT_ERROR;
  }
  for (int i = first; i < argc; i++)
    if (strcmp(argv[i], "-") == 0 && a->forced_kind == 0)
      return cli_error("newsidx", "standard input is read as JSON Lines only (--format jsonl)");
  /* URLs out of the operands (the paths stay, in order, at the front), then --feeds' */
  fetch_cli_urls urls;
  int n_paths = 0;
  rc = fetch_cli_take_urls(&c.fetch, argv + first, argc - first, &n_paths, &urls);
  if (rc) return rc;

  newsidx_db *db;
  newsidx_error err = {0};
  if (ingest_cli_open(a, &db, &err) != NEWSIDX_OK) {
    fetch_cli_urls_free(&urls);
    return cli_fail("newsidx", &err);
  }
  volatile sig_atomic_t *stop = ingest_cli_catch_stop();

  cli_progress_start(&a->progress);
  ingest_options ingest = ingest_cli_ingest_options(a, stop);
  ingest_counts counts;
  newsidx_status_t status =
      index_all(db, argv + first, n_paths, &urls, &ingest, &c.fetch, &counts, &err);
  cli_progress_done(&a->progress);
  newsidx_db_close(db);
  fetch_cli_urls_free(&urls);

  if (!a->quiet || status == NEWSIDX_INTERRUPTED)
    ingest_cli_print_summary("", &counts, cli_progress_elapsed(&a->progress));
  if (status == NEWSIDX_INTERRUPTED) {
    fprintf(stderr, "newsidx: interrupted; the articles above are indexed, run again to go on\n");
    return CLI_EXIT_INTERRUPTED;
  }
  if (status == NEWSIDX_FULL) /* SQLite's word for it names neither the file nor the outcome */
    return cli_error("newsidx",
                     "%s: disk is full; the index is as after its last complete batch (run again "
                     "once there is room)",
                     ingest_cli_db_path(a));
  if (status != NEWSIDX_OK) return cli_fail("newsidx", &err);
  return counts.errors > 0 ? CLI_EXIT_NONE : CLI_EXIT_OK;
}
