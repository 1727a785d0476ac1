/*
** newsq.h — what the newsq subcommands share (internal to src/newsq/): the options every command
** takes (database, filters, formats, colour), and the commands themselves, one file each,
** dispatched from the table in newsq_main.c.
*/
#ifndef NEWSIDX_NEWSQ_H
#define NEWSIDX_NEWSQ_H

#include "cli.h"
#include "newsidx_query.h"

#include <signal.h>

/* Each command: argv[0] names it; returns the exit code (cli.h). */
int cmd_search(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_facets(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_rule(int argc, char **argv);
int cmd_terms(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* The commands, in the order --help lists them, ended by a zero entry (newsq_main.c). */
extern const cli_command newsq_commands[];

/* Lists the commands, for --help. */
void newsq_print_commands(FILE *out);

/* Set by SIGINT and by the --timeout; searches check it (search_options.interrupted). */
extern volatile sig_atomic_t newsq_interrupted;

/* Output formats. */
typedef enum newsq_format {
  NEWSQ_TEXT = 0,
  NEWSQ_JSON,
  NEWSQ_CSV,
  NEWSQ_IDS,
  NEWSQ_PATHS,
  NEWSQ_COUNT
} newsq_format;

/* Option ids shared by every command; commands number theirs from NEWSQ_OPT_COMMAND. */
enum {
  NEWSQ_OPT_DB = 1,
  NEWSQ_OPT_SINCE,
  NEWSQ_OPT_UNTIL,
  NEWSQ_OPT_SOURCE,
  NEWSQ_OPT_TAG,
  NEWSQ_OPT_LANG,
  NEWSQ_OPT_ALL_DUPLICATES,
  NEWSQ_OPT_JSON,
  NEWSQ_OPT_CSV,
  NEWSQ_OPT_COLOR,
  NEWSQ_OPT_HELP,
  NEWSQ_OPT_VERSION,
  NEWSQ_OPT_TIMEOUT,
  NEWSQ_OPT_FORMAT_VERSION,
  NEWSQ_OPT_COMMAND = 100
};

/* Entries of option tables that several commands share. */
#define NEWSQ_DB_OPTION                                                                            \
  { "db", 'd', NEWSQ_OPT_DB, "FILE", "the index file (default: $NEWSIDX_DB or news.db)" }
#define NEWSQ_COLOR_OPTION                                                                         \
  { "color", 0, NEWSQ_OPT_COLOR, "WHEN", "colour: auto, always, never (default auto)" }
#define NEWSQ_TIMEOUT_OPTION                                                                       \
  { "timeout", 0, NEWSQ_OPT_TIMEOUT, "MS", "give up after MS milliseconds (exit 2)" }

/* The entries of the shared options, for the start of each command's option table. */
#define NEWSQ_COMMON_OPTIONS                                                                       \
  NEWSQ_DB_OPTION,                                                                                 \
      {"since", 0, NEWSQ_OPT_SINCE, "DATE", "only articles from DATE on (2026-03, 7d, today…)"},   \
      {"until", 0, NEWSQ_OPT_UNTIL, "DATE", "only articles up to the end of DATE"},                \
      {"source", 0, NEWSQ_OPT_SOURCE, "NAME", "only articles from NAME (repeat for more)"},        \
      {"tag", 0, NEWSQ_OPT_TAG, "TAG", "only articles tagged TAG (repeat for more)"},              \
      {"lang", 0, NEWSQ_OPT_LANG, "CODE", "only articles in language CODE (en matches en-GB)"},    \
      {"all-duplicates", 0, NEWSQ_OPT_ALL_DUPLICATES, NULL,                                        \
       "also show each hit's duplicates (same text, other files)"},                                \
      {"json", 'j', NEWSQ_OPT_JSON, NULL, "JSON Lines: one object per line"},                      \
      {"csv", 0, NEWSQ_OPT_CSV, NULL, "CSV (RFC 4180) with a header row"}, NEWSQ_COLOR_OPTION,     \
      NEWSQ_TIMEOUT_OPTION

#define NEWSQ_HELP_OPTIONS                                                                         \
  {"help", 'h', NEWSQ_OPT_HELP, NULL, "show this help"},                                           \
      {"version", 'V', NEWSQ_OPT_VERSION, NULL, "show the version"},                               \
      CLI_FORMAT_VERSION_OPTION(NEWSQ_OPT_FORMAT_VERSION)

/* What the shared options set. */
typedef struct newsq_common {
  const char *db_path;
  time_t now; /* relative dates count from here: $NEWSQ_NOW, else the clock */
  char since[NEWSIDX_DATE_MAX];
  char until[NEWSIDX_DATE_MAX];
  const char **sources, **tags, **langs; /* borrowed from argv */
  int n_sources, n_tags, n_langs;
  int all_duplicates;
  newsq_format format;
  int color;       /* 0 never, 1 always, 2 auto */
  long timeout_ms; /* --timeout: how long the command may run once the index is open; 0: no limit */
  FILE *out;       /* where the results go: stdout, or the session's stream (newsq_session) */
} newsq_common;

/* Reads $NEWSQ_NOW (an ISO date or date-time; relative dates count from it, for tests and
** reruns). Returns 0, or prints an error and returns CLI_EXIT_ERROR. */
int newsq_common_init(newsq_common *c);

/* Handles a shared option. Returns 0, an exit code (help, version, bad value: the message is
** printed), or NEWSQ_NOT_COMMON when `id` is the command's own. */
#define NEWSQ_NOT_COMMON (-100)
int newsq_common_option(newsq_common *c, int id, const char *arg, void (*usage)(FILE *));

void newsq_common_free(newsq_common *c);

/* Copies the shared options into search options (filters, duplicates, now). */
void newsq_search_options(const newsq_common *c, search_options *o);

/* Should output to standard output be coloured? --color always, or auto on a terminal when
** $NO_COLOR is unset or empty. */
int newsq_use_color(const newsq_common *c);

/* Parses the command line like cli_parse(), but first puts every query word after the options,
** so that a negated word is never read as an option: an argument that starts with one '-' is
** an option only when it is exactly two characters ("-n 5", "-j"); "-sport" and "-cocoa" are
** query words. Long options (--limit 5, --limit=5) are read as usual, and "--" ends them.
** The query words, joined with spaces, go to *query (free() it; "" when there are none).
** Returns 0, or the exit code to leave with (see cli_parse()). */
int newsq_parse(const char *program, int argc, char **argv, const cli_option *options,
                cli_option_fn on_option, void *ctx, char **query);

/* newsq_parse(), with the query words left as a list: (*words)[0..*n_words) point into argv;
** free(*words). For commands whose first word is a name (newsq rule add NAME QUERY...). */
int newsq_parse_words(const char *program, int argc, char **argv, const cli_option *options,
                      cli_option_fn on_option, void *ctx, char ***words, int *n_words);

/* Opens the index named by the options: read-only, or with `writable` read-write (the commands
** that keep alert rules and their marks; an index made by an older newsidx is then migrated).
** A writer waits for a running indexer (the busy timeout). From then on Ctrl-C and the
** --timeout (which starts counting now) stop what runs on it (newsq_watch). Returns 0, or
** prints the error and returns its exit code. Close it with newsq_close(). */
int newsq_open(const newsq_common *c, int writable, newsidx_db **db);

/* Takes the index's turn for a command that changes the rules or their marks (newsq alerts,
** rule add, rule rm): it waits until no other such command runs, so that an alerts run moves
** the marks of exactly the rules it read, and a second run reads only once the first has moved
** them. Take it before newsq_open(), and hold it until the marks are written. Writes to *fd
** the descriptor to close to give the turn back (-1: no file to lock, newsq_open() will say
** why, or a file system without flock(), where runs are not kept apart). Returns 0, or
** newsq_fail()'s code when Ctrl-C or a started timeout (newsq_start_timeout()) came first. */
int newsq_take_turn(const newsq_common *c, int *fd);

/* What a command does once its options are read: `args` is its own argument struct, `query`
** the joined query words. Returns the exit code. */
typedef int (*newsq_run_fn)(newsidx_db *db, void *args, const char *query);

/* Runs a command: reads $NEWSQ_NOW into `common` (part of `args`, which holds the command's
** defaults), parses the command line (newsq_parse), opens the index read-only and calls run.
** With `usage` set, a command line with neither query words nor filters prints usage to
** stderr and gives 2. Returns the exit code. */
int newsq_command(const char *program, int argc, char **argv, const cli_option *options,
                  cli_option_fn on_option, void *args, newsq_common *common, newsq_run_fn run,
                  void (*usage)(FILE *));

/* The printer of hits for the chosen format (text, json, csv, ids, paths, count), writing to
** `out`: stdout, or a buffer that the command writes to stdout itself (newsq alerts); colour
** and escaping are chosen for stdout. NULL when out of memory. */
printer *newsq_printer(const newsq_common *c, FILE *out);

/* The printer of terms for the chosen format (text, json, csv), as newsq_printer(); NULL when
** out of memory. */
term_printer *newsq_term_printer(const newsq_common *c, term_columns columns, FILE *out);

/* For timeline and facets: the tally printer of the chosen format (bars for text). */
tally_printer *newsq_tally_printer(const newsq_common *c);

/* Calls on_match for every article the query and the filters select (every article for an
** empty query). Returns 0, or prints the error and returns its exit code. */
int newsq_scan(newsidx_db *db, const newsq_common *c, const char *query, search_match_fn on_match,
               void *ctx);

/* ---- sessions: commands run by newsq serve ---- */

/* A command run on behalf of a request of newsq serve, on the calling thread: the command
** writes its results to `out` (newsq_common.out), its messages to `diagnostics`, uses `db`
** (open read-only) instead of opening the index, and stops once `*interrupted` is set (the
** request's time limit). Every command run this way is the same code as on the command line,
** so the server's JSON is the CLI's byte for byte. */
typedef struct newsq_session {
  newsidx_db *db;
  FILE *out, *diagnostics;
  volatile sig_atomic_t *interrupted;
} newsq_session;

/* Makes `s` the calling thread's session (NULL: none, the command line's behaviour). */
void newsq_session_set(newsq_session *s);

/* The calling thread's session, or NULL on the command line. */
newsq_session *newsq_session_get(void);

/* The flag searches check: the session's, else newsq_interrupted. */
volatile sig_atomic_t *newsq_interrupt_flag(void);

/* ---- newsq_interrupt.c: Ctrl-C and --timeout ---- */

/* Installs the handlers newsq needs: SIGPIPE ignored (a closed pipe is a write error that ends
** the output quietly); SIGINT, and SIGALRM for the timeout, set newsq_interrupted and
** interrupt the watched connection. */
void newsq_signals(void);

/* Starts the timeout before there is an index to watch (a command that waits first): after
** `timeout_ms` (0: none) newsq_interrupted is set, and newsq_fail() says it timed out. */
void newsq_start_timeout(long timeout_ms);

/* Makes Ctrl-C and the timeout interrupt the statements of `db` too, and starts the timeout
** unless newsq_start_timeout() did: after `timeout_ms` (0: none) the command stops as if
** interrupted, and newsq_fail() says it timed out. newsq_watch(NULL, 0) stops both. */
void newsq_watch(newsidx_db *db, long timeout_ms);

/* Stops watching `db` and closes it; NULL is allowed. */
void newsq_close(newsidx_db *db);

/* The exit code for a failed call: 2 with "query timed out after N ms" after the timeout, 130
** for Ctrl-C, else 2 with the message printed. */
int newsq_fail(const newsidx_error *err);

/* The exit code for output that failed with `error` (an errno): a closed pipe (EPIPE) is a
** normal end (`newsq … | head -1`), so `success_code`; anything else is reported, 2. */
int newsq_output_failed(int error, int success_code);

#endif
