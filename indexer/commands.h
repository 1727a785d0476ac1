/*
** commands.h — the subcommands of newsidx, one file each (internal to indexer/).
** Each takes argv with argv[0] naming the command and returns the process exit code
** (README, "Exit codes").
*/
#ifndef NEWSIDX_COMMANDS_H
#define NEWSIDX_COMMANDS_H

#include "cli.h"
#include "newsidx.h"

#include <stdio.h>

int cmd_index(int argc, char **argv);    /* cmd_index.c */
int cmd_stats(int argc, char **argv);    /* cmd_stats.c */
int cmd_check(int argc, char **argv);    /* cmd_check.c */
int cmd_optimize(int argc, char **argv); /* cmd_optimize.c */
int cmd_rm(int argc, char **argv);       /* cmd_rm.c */

/* Lists the commands, for --help. */
void newsidx_print_commands(FILE *out);

/* ---- cmd_common.c: what the maintenance commands share ---- */

/* The options every maintenance command takes; a command's own come after them, with ids
** from CMD_OPT_FIRST on. */
enum { CMD_OPT_DB, CMD_OPT_HELP, CMD_OPT_FIRST };
#define CMD_COMMON_OPTIONS                                                                         \
  {"db", 'd', CMD_OPT_DB, "FILE", "the index file (default: $NEWSIDX_DB or news.db)"}, {           \
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

#endif
