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
int cmd_rebuild(int argc, char **argv);  /* cmd_rebuild.c */
int cmd_rm(int argc, char **argv);       /* cmd_rm.c */
int cmd_watch(int argc, char **argv);    /* cmd_watch.c */
int cmd_feeds(int argc, char **argv);    /* cmd_feeds.c */

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
       "read inputs as 'text', 'jsonl', 'feed', 'csv', 'tsv' or 'html' whatever their names"},     \
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

/* ---- fetch_cli.c: the options of the commands that fetch URLs (index) ---- */

/* Their ids follow INGEST_OPT_*; a command's own come after FETCH_OPT_LAST. */
enum {
  FETCH_OPT_FIRST = INGEST_OPT_FIRST,
  FETCH_OPT_FEEDS = FETCH_OPT_FIRST,
  FETCH_OPT_CONNECT_TIMEOUT,
  FETCH_OPT_TIMEOUT,
  FETCH_OPT_MAX_SIZE,
  FETCH_OPT_DELAY,
  FETCH_OPT_LAST
};
#define FETCH_CLI_OPTIONS                                                                          \
  {"feeds", 0, FETCH_OPT_FEEDS, "FILE", "fetch the URLs of an OPML file or a list of URLs"},       \
      {"connect-timeout", 0, FETCH_OPT_CONNECT_TIMEOUT, "S",                                       \
       "give up connecting to a host after S seconds (default 10)"},                               \
      {"timeout", 0, FETCH_OPT_TIMEOUT, "S", "give up a request after S seconds (default 60)"},    \
      {"max-size", 0, FETCH_OPT_MAX_SIZE, "MB",                                                    \
       "refuse a response larger than MB megabytes (default 20)"},                                 \
  {                                                                                                \
    "delay", 0, FETCH_OPT_DELAY, "MS", "wait MS ms between two requests to a host (default 1000)"  \
  }

typedef struct fetch_cli {
  const char *feeds_path; /* --feeds, or NULL */
  ingest_fetch_options options;
} fetch_cli;

#define FETCH_CLI_INIT                                                                             \
  { NULL, INGEST_FETCH_DEFAULTS }

/* Takes option `id` (FETCH_OPT_*). Returns 0, or prints the error and returns its exit code. */
int fetch_cli_option(fetch_cli *c, const char *program, int id, const char *arg);

/* The URLs of a run: those among the operands, then those of --feeds. */
typedef struct fetch_cli_urls {
  ingest_url *urls;
  int n;
  ingest_subscriptions subscriptions; /* what --feeds read */
} fetch_cli_urls;

/* Moves the paths among the n operands to the front, in order (*n_paths of them), and puts the
** URLs, then those of --feeds, into *out (fetch_cli_urls_free() it). Returns 0, or prints why
** --feeds could not be read and returns the exit code. */
int fetch_cli_take_urls(const fetch_cli *c, char **operands, int n, int *n_paths,
                        fetch_cli_urls *out);
void fetch_cli_urls_free(fetch_cli_urls *urls);

/* ---- watch_feeds.c: when each subscribed feed is due in newsidx watch --feeds ---- */

typedef struct feed_poller feed_poller;

/* Reads the subscription file at `path` (kept: not copied) and makes every feed due now, then
** every `every_s` seconds. Returns 0, or prints why not and returns the exit code. */
int feed_poller_open(const char *path, long every_s, feed_poller **out);

/* Reads the file again (SIGHUP): feeds that stay keep their schedule, new ones are due now.
** Returns 0, or prints why not and returns the exit code (the old list is then kept). */
int feed_poller_reload(feed_poller *p);

int feed_poller_count(const feed_poller *p);

/* The cli_now() time the next feed is due; -1 when the list is empty. */
double feed_poller_due(const feed_poller *p);

/* The feeds due at `now`: *urls (n of them, returned), for ingest_urls(), and *results, the
** array that ingest_urls() fills for them; both valid until the next call. */
int feed_poller_take(feed_poller *p, double now, const ingest_url **urls,
                     ingest_url_result **results);

/* The feeds taken were fetched, at `now`: each is due `every_s` later, or later still when the
** feed says it changes less often (sy:updatePeriod, <ttl>: the interval it said last), or,
** when it failed, twice as long as after its last failure, at most 6 hours. */
void feed_poller_done(feed_poller *p, double now);

void feed_poller_close(feed_poller *p);

/* Parses --every's value ("90", "90s", "15m", "2h") into *seconds. Returns 0, or prints why
** not and returns the exit code. */
int feed_poller_parse_every(const char *arg, long *seconds);

#endif
