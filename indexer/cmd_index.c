/*
** cmd_index.c — `newsidx [index] [options] PATH...`: index files, folders and JSON Lines.
*/
#include "cli.h"
#include "commands.h"
#include "ingest.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  OPT_DB,
  OPT_FORMAT,
  OPT_LANGUAGE,
  OPT_PRUNE,
  OPT_VERBOSE,
  OPT_QUIET,
  OPT_BATCH,
  OPT_HELP,
  OPT_VERSION
};

static const cli_option options[] = {
    {"db", 'd', OPT_DB, "FILE", "the index file (default: $NEWSIDX_DB or news.db)"},
    {"format", 'f', OPT_FORMAT, "FMT", "read inputs as 'text' or 'jsonl' whatever their names"},
    {"language", 'l', OPT_LANGUAGE, "LANG", "Snowball stemmer of a new index (default english)"},
    {"prune", 0, OPT_PRUNE, NULL, "remove articles whose source file is gone"},
    {"batch", 0, OPT_BATCH, "N", "articles per transaction (default 2000)"},
    {"verbose", 'v', OPT_VERBOSE, NULL, "name every skipped file and why"},
    {"quiet", 'q', OPT_QUIET, NULL, "no summary line, only errors"},
    {"help", 'h', OPT_HELP, NULL, "show this help"},
    {"version", 'V', OPT_VERSION, NULL, "show the version"},
    {NULL, 0, 0, NULL, NULL},
};

typedef struct index_args {
  const char *db_path;
  const char *language;
  int forced_kind;
  int prune;
  int verbose;
  int quiet;
  int batch;
  cli_progress progress;
} index_args;

static void usage(FILE *out) {
  fprintf(out, "Usage: newsidx [--db FILE] [options] PATH...\n"
               "       newsidx COMMAND [options]\n\n"
               "Indexes news articles into one SQLite file: seed-format and plain text files\n"
               "(.txt), folders of them (recursively), JSON Lines (.jsonl, .ndjson), and '-' for\n"
               "JSON Lines on standard input.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\n");
  newsidx_print_commands(out);
  fprintf(out, "\nExit status: 0 success, 1 some inputs could not be indexed, 2 error,\n"
               "130 interrupted (the batches before the interruption are kept).\n");
}

static int on_option(void *ctx, int id, const char *arg) {
  index_args *a = ctx;
  switch (id) {
  case OPT_DB: a->db_path = arg; break;
  case OPT_LANGUAGE: a->language = arg; break;
  case OPT_PRUNE: a->prune = 1; break;
  case OPT_VERBOSE: a->verbose = 1; break;
  case OPT_QUIET: a->quiet = 1; break;
  case OPT_FORMAT: {
    static const char *const formats[] = {"text", "jsonl", NULL}; /* in input_kind order */
    return cli_parse_choice("newsidx", "format", arg, formats, &a->forced_kind);
  }
  case OPT_BATCH: {
    long n;
    int rc = cli_parse_int("newsidx", "batch", arg, 1, 1000000, &n);
    a->batch = (int)n;
    return rc;
  }
  case OPT_HELP: usage(stdout); return -1;
  case OPT_VERSION: printf("newsidx %s\n", NEWSIDX_VERSION); return -1;
  }
  return 0;
}

static void on_report(void *ctx, ingest_level level, const char *message) {
  index_args *a = ctx;
  if (level == INGEST_VERBOSE && !a->verbose) return;
  cli_progress_done(&a->progress);
  fprintf(stderr, "newsidx: %s%s\n", level == INGEST_WARNING ? "warning: " : "", message);
}

static void on_progress(void *ctx, const ingest_counts *c) {
  index_args *a = ctx;
  cli_progress_update(&a->progress, c->bytes, c->total_bytes, "bytes",
                      c->added + c->updated + c->unchanged + c->duplicates, "articles");
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig) {
  stop_flag = 1;
  signal(sig, SIG_DFL); /* a second Ctrl-C stops at once; the index stays consistent */
}

static void print_summary(const ingest_counts *c, double seconds) {
  char n[7][32];
  long articles = c->added + c->updated + c->unchanged + c->duplicates;
  printf("%s added, %s updated, %s unchanged, %s duplicates, %s skipped, %s errors",
         cli_thousands(c->added, n[0], 32), cli_thousands(c->updated, n[1], 32),
         cli_thousands(c->unchanged, n[2], 32), cli_thousands(c->duplicates, n[3], 32),
         cli_thousands(c->skipped, n[4], 32), cli_thousands(c->errors, n[5], 32));
  if (c->removed) printf(", %s removed", cli_thousands(c->removed, n[6], 32));
  printf(" in %.1f s", seconds);
  if (seconds > 0.05 && articles > 0) printf(" (%.0f articles/s)", (double)articles / seconds);
  printf("\n");
  fflush(stdout);
}

int cmd_index(int argc, char **argv) {
  index_args a = {NULL, NULL, -1, 0, 0, 0, 0, {0}};
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

  newsidx_open_options open_options = {NEWSIDX_OPEN_CREATE, a.language, 0};
  newsidx_db *db;
  newsidx_error err = {0};
  const char *path = a.db_path ? a.db_path : newsidx_default_db_path();
  if (newsidx_db_open(path, &open_options, &db, &err) != NEWSIDX_OK)
    return cli_fail("newsidx", &err);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  cli_progress_start(&a.progress);
  ingest_options ingest = {a.forced_kind, a.batch, a.prune, on_report, on_progress, &a, &stop_flag};
  ingest_counts counts;
  newsidx_status_t status = ingest_paths(db, argv + first, argc - first, &ingest, &counts, &err);
  cli_progress_done(&a.progress);
  newsidx_db_close(db);

  if (!a.quiet || status == NEWSIDX_INTERRUPTED)
    print_summary(&counts, cli_progress_elapsed(&a.progress));
  if (status == NEWSIDX_INTERRUPTED) {
    fprintf(stderr, "newsidx: interrupted; the articles above are indexed, run again to go on\n");
    return 130;
  }
  if (status != NEWSIDX_OK) return cli_fail("newsidx", &err);
  return counts.errors > 0 ? CLI_EXIT_NONE : CLI_EXIT_OK;
}
