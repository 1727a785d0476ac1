/*
** cli.h — command-line plumbing shared by newsidx and newsq: option tables that drive both
** parsing and --help, subcommand tables, exit codes, and the progress line.
**
** Exit codes are a public contract (README, "Exit codes"):
**   0  success; for searches, something matched
**   1  nothing matched, or some inputs could not be indexed
**   2  error: bad usage, bad query, database or file error
*/
#ifndef NEWSIDX_CLI_H
#define NEWSIDX_CLI_H

#include "newsidx.h"

#include <stdio.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_NONE = 1, CLI_EXIT_ERROR = 2 };

/* One option: parsed by cli_parse() and listed by cli_print_options(). `id` is what the
** callback receives; `arg_name` is NULL for options without an argument. */
typedef struct cli_option {
  const char *long_name;
  int short_name; /* 0 for none */
  int id;
  const char *arg_name;
  const char *help;
} cli_option;

/* Receives each option (arg NULL for flags). Returns 0 to go on, non-zero to stop parsing
** with that exit code. */
typedef int (*cli_option_fn)(void *ctx, int id, const char *arg);

/* Parses argv with getopt_long from `options` (terminated by a zero entry). Options and
** operands may mix; operands are moved to argv[*first_operand..argc). Returns 0, or the exit
** code to leave with (an unknown option prints a one-line error and gives 2), or -1 when the
** hidden CLI_COMPLETE_OPTIONS came before any "--": the table was then printed for the shell
** completions (cli_print_completions) and nothing else was parsed, as after --help. */
int cli_parse(const char *program, int argc, char **argv, const cli_option *options,
              cli_option_fn on_option, void *ctx, int *first_operand);

/* Parses `arg`, the value of --option, as an integer in [min, max] into *out. Returns 0, or
** prints "program: --option needs a number from MIN to MAX, not 'ARG'" and returns 2. */
int cli_parse_int(const char *program, const char *option, const char *arg, long min, long max,
                  long *out);

/* Finds `arg`, the value of --option, in the NULL-terminated `choices` and writes its index to
** *out. Returns 0, or prints "program: --option must be one of: a, b, c (not 'ARG')" and
** returns 2. */
int cli_parse_choice(const char *program, const char *option, const char *arg,
                     const char *const *choices, int *out);

/* Prints the option list, aligned, one per line. */
void cli_print_options(FILE *out, const cli_option *options);

/* The hidden options that the shell completions (completions/) ask the programs with, so that
** the option and command tables stay their one source: `PROGRAM [COMMAND] --complete-options`
** lists the command's options, `PROGRAM --complete-commands` its commands. Neither is in
** --help. */
#define CLI_COMPLETE_OPTIONS  "--complete-options"
#define CLI_COMPLETE_COMMANDS "--complete-commands"

/* Prints one line per option for the completions: "--long TAB -s TAB ARG TAB help", with the
** short name and ARG empty when the option has none. */
void cli_print_completions(FILE *out, const cli_option *options);

/* A subcommand: `run` gets argv with argv[0] being the subcommand's name. */
typedef struct cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} cli_command;

/* Finds `name` in `commands` (terminated by a zero entry); NULL when absent. */
const cli_command *cli_find_command(const cli_command *commands, const char *name);

/* Is argv just PROGRAM CLI_COMPLETE_COMMANDS? (Subcommands with commands of their own, such
** as `newsq rule`, then list those, one name a line.) */
int cli_wants_commands(int argc, char **argv);

/* When argv is just PROGRAM CLI_COMPLETE_COMMANDS, prints "name TAB summary" for each of
** `commands`, for the completions, and returns 1; otherwise prints nothing and returns 0. */
int cli_complete_commands(int argc, char **argv, const cli_command *commands);

/* Process-wide SQLite settings of the command-line programs, first thing in main(): SQLite's
** memory statistics are off (no program reads them, and keeping them takes a global mutex on
** every allocation: 3% of building Reuters-21578). */
void cli_setup_sqlite(void);

/* Prints "program: PREFIXmessage" to stderr, on one line whatever the message quotes: control
** characters and bytes that are not UTF-8 are escaped (newsidx_text_escape), so that a file
** name cannot break the line or send commands to the terminal. Every message goes through
** here. */
void cli_message(const char *program, const char *prefix, const char *message);

/* Prints "program: message" to stderr for `err` and returns the exit code for its status. */
int cli_fail(const char *program, const newsidx_error *err);

/* Prints "program: message" to stderr, printf-style (cli_message); returns CLI_EXIT_ERROR. */
int cli_error(const char *program, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* ---- progress line ---- */

/* A progress line on standard error, redrawn at most ten times a second, only when standard
** error is a terminal. cli_progress_done() erases it. */
typedef struct cli_progress {
  int enabled;
  double started; /* seconds, monotonic */
  double last_draw;
  int drawn;
} cli_progress;

void cli_progress_start(cli_progress *p);

/* Draws `done` of `total` units (total 0 when unknown), with `items` things processed for the
** rate ("1,234 articles · 2,345/s"). `unit` is "bytes" or a word such as "files". */
void cli_progress_update(cli_progress *p, long long done, long long total, const char *unit,
                         long long items, const char *item_name);
void cli_progress_done(cli_progress *p);

/* Seconds since cli_progress_start(). */
double cli_progress_elapsed(const cli_progress *p);

/* Monotonic clock in seconds. */
double cli_now(void);

/* The width of the terminal on standard output in columns: its window size, else $COLUMNS,
** else 80. */
int cli_terminal_width(void);

/* Writes n with thousands separators ("21,578") to buf. */
const char *cli_thousands(long long n, char *buf, size_t size);

/* Writes n bytes for people ("12.3 MB", "512 kB"; 1 kB = 1,024 bytes) to buf. */
const char *cli_bytes(long long n, char *buf, size_t size);

#endif
