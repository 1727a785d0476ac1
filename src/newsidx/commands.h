/*
** commands.h — the subcommands of newsidx, one file each (internal to src/newsidx/).
** Each takes argv with argv[0] naming the command and returns the process exit code
** (README, "Exit codes").
*/
#ifndef NEWSIDX_COMMANDS_H
#define NEWSIDX_COMMANDS_H

#include "cli.h"
#include "ingest.h"
#include "newsidx.h"

#include <signal.h>
#include <stdio.h>

int cmd_index(int argc, char **argv);    /* cmd_index.c */
int cmd_stats(int argc, char **argv);    /* cmd_stats.c */
int cmd_check(int argc, char **argv);    /* cmd_check.c */
int cmd_optimize(int argc, char **argv); /* cmd_optimize.c */
int cmd_rm(int argc, char **argv);       /* cmd_rm.c */
int cmd_watch(int argc, char **argv);    /* cmd_watch.c */

/* Lists the commands, for --help. */
void newsidx_print_commands(FILE *out);

/* ---- cmd_common.c: what the maintenance commands share ---- */

/* The options every maintenance command takes; a command's own come after them, with ids
** from CMD_OPT_FIRST on. */
enum { CMD_OPT_DB, CMD_OPT_BUSY_TIMEOUT, CMD_OPT_FORMAT_VERSION, CMD_OPT_HELP, CMD_OPT_FIRST };
#define CMD_COMMON_OPTIONS                                                                         \
  {"db", 'd', CMD_OPT_DB, "FILE", "the index file (default: $NEWSIDX_DB or news.db)"},             \
      {"busy-timeout", 0, CMD_OPT_BUSY_TIMEOUT, "MS",                                              \
       "wait up to MS ms for another writer (default 30000)"},                                     \
      CLI_FORMAT_VERSION_OPTION(CMD_OPT_FORMAT_VERSION), {                                         \
    "help", 'h', CMD_OPT_HELP, NULL, "show this help"                                              \
  }

/* For a command whose own options are flags: the option with id CMD_FLAG(bit) sets `bit` in
** the int that spec->ctx points to, with cmd_set_flag as spec->on_option. */
#define CMD_FLAG(bit) (CMD_OPT_FIRST + (bit))
int cmd_set_flag(void *ctx, int id, const char *arg);

/* A maintenance command's description, for its --help. */
typedef struct cmd_spec {
  const char *name;       /* "stats" */
  const char *operands;   /* "[ID...]", or "" */
  const char *summary;    /* what it does, one or more lines */
  const char *exit_codes; /* its exit codes, one line */
  const cli_option *options;
  int (*on_option)(void *ctx, int id, const char *arg); /* its own options, or NULL */
  void *ctx;
} cmd_spec;

/* Parses argv for `spec` (--db, --help and the command's own options) and opens the index
** (`open_flags`: NEWSIDX_OPEN_*; it is never created). Operands are refused unless
** spec->operands names some; they are left in argv[*first..argc). Returns 0 with *db open (close
** it with newsidx_db_close()), or, with *db NULL, -1 after --help (exit with CLI_EXIT_OK) or
** the exit code of the usage or database error it printed. */
int cmd_start(const cmd_spec *spec, int argc, char **argv, int open_flags, newsidx_db **db,
              int *first);

/* ---- ingest_cli.c: what the commands that index (index, watch) share ---- */

/* Their common options, handled by ingest_cli_option(); a command's own come after them,
** with ids from INGEST_OPT_FIRST on. */
enum {
  INGEST_OPT_DB,
  INGEST_OPT_FORMAT,
  INGEST_OPT_LANGUAGE,
  INGEST_OPT_PRUNE,
  INGEST_OPT_BATCH,
  INGEST_OPT_VERBOSE,
  INGEST_OPT_QUIET,
  INGEST_OPT_BUSY_TIMEOUT, /* not in INGEST_COMMON_OPTIONS: each command says what it does */
  INGEST_OPT_FORMAT_VERSION,
  INGEST_OPT_FIRST
};
#define INGEST_COMMON_OPTIONS                                                                      \
  {"db", 'd', INGEST_OPT_DB, "FILE", "the index file (default: $NEWSIDX_DB or news.db)"},          \
      {"format", 'f', INGEST_OPT_FORMAT, "FMT",                                                    \
       "read inputs as 'text', 'jsonl', 'feed' or 'html' whatever their names"},                   \
      {"language", 'l', INGEST_OPT_LANGUAGE, "LANG",                                               \
       "Snowball stemmer of a new index (default english)"},                                       \
      {"prune", 0, INGEST_OPT_PRUNE, NULL, "remove articles whose source file is gone"},           \
      {"batch", 0, INGEST_OPT_BATCH, "N", "articles per transaction (default 2000)"},              \
      {"verbose", 'v', INGEST_OPT_VERBOSE, NULL, "name every skipped file and why"},               \
      {"quiet", 'q', INGEST_OPT_QUIET, NULL, "no summary line, only errors"},                      \
      CLI_FORMAT_VERSION_OPTION(INGEST_OPT_FORMAT_VERSION)

/* What those options ask for, and the state of the run's messages. */
typedef struct ingest_cli {
  const char *program;  /* "newsidx", "newsidx watch": the prefix of messages */
  const char *db_path;  /* --db, or NULL */
  const char *language; /* --language, or NULL */
  int forced_kind;      /* --format: -1 none, else an input_kind */
  int prune, verbose, quiet;
  int batch;           /* --batch, 0 for the default */
  int busy_timeout_ms; /* how long a batch waits for another writer; 0 for the default */
  cli_progress progress;
} ingest_cli;

#define INGEST_CLI_INIT(program)                                                                   \
  {                                                                                                \
    (program), NULL, NULL, -1, 0, 0, 0, 0, 0, { 0 }                                                \
  }

/* Takes option `id` (INGEST_OPT_*) with its value. Returns 0, or prints the error and returns
** the exit code of a bad value. */
int ingest_cli_option(ingest_cli *c, int id, const char *arg);

/* The index file: --db, else newsidx_default_db_path(). */
const char *ingest_cli_db_path(const ingest_cli *c);

/* Opens the index, creating it when missing, with --language (newsidx_db_open()'s failures;
** *db is then NULL). */
newsidx_status_t ingest_cli_open(const ingest_cli *c, newsidx_db **db, newsidx_error *err);

/* Options for ingest_paths() as the command line asks: messages go to standard error as
** "program: [warning: ]message" (the verbose ones only with --verbose), and the progress
** line is c->progress. `stop` ends the run (ingest_cli_catch_stop()). */
ingest_options ingest_cli_ingest_options(ingest_cli *c, volatile sig_atomic_t *stop);

/* Reports a message of the command as ingest's are reported ("program: [warning: ]..."). */
void ingest_cli_say(ingest_cli *c, ingest_level level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* The report callback itself (ctx: the ingest_cli), for modules that report like ingest. */
void ingest_cli_report(void *ctx, ingest_level level, const char *message);

/* Writes "N added, N updated, N unchanged, N duplicates, N skipped, N errors[, N removed]" to
** buf and returns buf. */
const char *ingest_cli_format_counts(const ingest_counts *counts, char *buf, size_t size);

/* Prints the summary line of a run to standard output: `prefix`, the counts, the time it took
** (seconds) and the articles per second. */
void ingest_cli_print_summary(const char *prefix, const ingest_counts *counts, double seconds);

/* Makes SIGINT and SIGTERM set the flag it returns, which stops ingest_paths() after the
** current article; a second signal has its default effect (the index stays consistent). */
volatile sig_atomic_t *ingest_cli_catch_stop(void);

/* Makes SIGHUP set the flag it returns (newsidx watch re-scans its folders). */
volatile sig_atomic_t *ingest_cli_catch_hup(void);

/* A descriptor that becomes readable when one of the signals above arrives, so that a poll()
** wakes up for it (a self-pipe, non-blocking, close-on-exec); -1 when it cannot be made.
** ingest_cli_drain_wake_fd() empties it. */
int ingest_cli_wake_fd(void);
void ingest_cli_drain_wake_fd(void);

#endif
