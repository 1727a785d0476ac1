/*
** cli.h — command-line plumbing shared by newsidx and newsq: option tables that drive both
** parsing and --help, subcommand tables and options that may come before them, the exit codes,
** the JSON format version, and the progress line.
*/
#ifndef NEWSIDX_CLI_H
#define NEWSIDX_CLI_H

#include "newsidx.h"

#include <stdio.h>

/* ---- exit codes ---- */

/* The exit codes, a public contract: numbers are never reused for another meaning. Their
** meanings for each program are in cli_exit_codes[], which --help, the hidden --exit-codes
** listing and the README's "Exit codes" table (tests/e2e/cli_contract.sh checks) all show. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_NONE = 1,
  CLI_EXIT_ERROR = 2,
  CLI_EXIT_INTERRUPTED = 130 /* 128 + SIGINT: what a shell reports for a program Ctrl-C killed */
};

/* Which program a meaning is for. */
typedef enum cli_program { CLI_NEWSIDX = 0, CLI_NEWSQ = 1 } cli_program;

typedef struct cli_exit_code {
  int code;               /* CLI_EXIT_* */
  const char *name;       /* "OK", "NONE", "ERROR", "INTERRUPTED" */
  const char *meaning[2]; /* by cli_program, one line each */
} cli_exit_code;

/* Every exit code, in increasing order; the entry after the last has name NULL. */
extern const cli_exit_code cli_exit_codes[];

/* Prints the codes for --help: "Exit status:" then "  CODE  meaning" lines. */
void cli_print_exit_codes(FILE *out, cli_program program);

/* Prints the codes for scripts (--exit-codes): "CODE<TAB>NAME<TAB>meaning" lines. */
void cli_list_exit_codes(FILE *out, cli_program program);

/* ---- JSON format version ---- */

/* The version of the JSON that --json prints (every object of every command). It goes up when
** a field is removed or renamed or its type or meaning changes; new fields do not change it,
** so readers ignore fields they do not know. --format-version=N asks for version N: refused
** unless NEWSIDX_FORMAT_VERSION_MIN <= N <= NEWSIDX_FORMAT_VERSION. */
#define NEWSIDX_FORMAT_VERSION     1
#define NEWSIDX_FORMAT_VERSION_MIN 1

/* The entry of --format-version[=N] in an option table, with option id `id`. */
#define CLI_FORMAT_VERSION_OPTION(id)                                                              \
  { "format-version", 0, (id), "[=N]", "print the JSON format version, or ask for version N" }

/* Handles --format-version (`arg` NULL without =N). Returns -1 after printing the version
** (leave with CLI_EXIT_OK, as after --help), 0 when N is spoken, else prints why not and returns
** CLI_EXIT_ERROR. */
int cli_format_version(const char *program, const char *arg);

/* ---- options ---- */

/* One option: parsed by cli_parse() and listed by cli_print_options(). `id` is what the
** callback receives; `arg_name` is NULL for options without an argument, and starts with '['
** ("[=N]") for one whose argument is optional (--name=VALUE only; the callback gets NULL
** without it). */
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

/* Does option `o` take the next argument as its value (it has a required argument)? */
int cli_option_takes_value(const cli_option *o);

/* A program's main(): runs the command argv names, or `default_run` (with argv as it is) when
** it names none. `globals` (a zero-terminated option table; only the names and whether they
** take a value are read) are the options that may come before the command's name, as with
** `git -C`: `newsq --db news.db alerts` runs `alerts --db news.db`, the options moved after
** the command's arguments (before a "--", which ends them), where every command reads them. A
** hidden --exit-codes as the only argument prints cli_list_exit_codes(). Returns the exit
** code. */
int cli_main(cli_program program, int argc, char **argv, const cli_command *commands,
             const cli_option *globals, int (*default_run)(int argc, char **argv));

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

/* Sends the messages of the calling thread (cli_message() and what calls it) to `out` instead
** of stderr; NULL: stderr again. For newsq serve, which answers a request with its messages. */
void cli_set_diagnostics(FILE *out);

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
