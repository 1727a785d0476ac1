/*
** cmd_common.c — what the maintenance commands (stats, check, optimize, rm) share: their
** common options, their --help, opening the index.
*/
#include "commands.h"

#include <string.h>

typedef struct parse_ctx {
  const cmd_spec *spec;
  const char *program;  /* "newsidx stats" */
  const char *db_path;  /* --db, or NULL */
  long busy_timeout_ms; /* --busy-timeout, 0 for the default */
} parse_ctx;

static void usage(FILE *out, const cmd_spec *spec) {
  fprintf(out, "Usage: newsidx %s [--db FILE] [options]%s%s\n\n%s\n\nOptions:\n", spec->name,
          *spec->operands ? " " : "", spec->operands, spec->summary);
  cli_print_options(out, spec->options);
  fprintf(out, "\nExit status: %s\n", spec->exit_codes);
}

static int on_option(void *ctx, int id, const char *arg) {
  parse_ctx *p = ctx;
  switch (id) {
  case CMD_OPT_DB: p->db_path = arg; return 0;
  case CMD_OPT_BUSY_TIMEOUT:
    return cli_parse_int(p->program, "busy-timeout", arg, 1, 3600000, &p->busy_timeout_ms);
  case CMD_OPT_FORMAT_VERSION: return cli_format_version(p->program, arg);
  case CMD_OPT_HELP: usage(stdout, p->spec); return -1;
  default: return p->spec->on_option ? p->spec->on_option(p->spec->ctx, id, arg) : 0;
  }
}

int cmd_set_flag(void *ctx, int id, const char *arg) {
  *(int *)ctx |= id - CMD_OPT_FIRST;
  return 0;
}

int cmd_start(const cmd_spec *spec, int argc, char **argv, int open_flags, newsidx_db **db,
              int *first) {
  char program[64];
  snprintf(program, sizeof program, "newsidx %s", spec->name);
  *db = NULL;
  parse_ctx p = {spec, program, NULL, 0};
  int rc = cli_parse(program, argc, argv, spec->options, on_option, &p, first);
  if (rc) return rc;
  if (*first < argc && !*spec->operands)
    return cli_error(program, "unexpected argument '%s' (see --help)", argv[*first]);

  newsidx_open_options options = {open_flags & ~NEWSIDX_OPEN_CREATE, NULL, (int)p.busy_timeout_ms};
  newsidx_error err = {0};
  if (newsidx_db_open(p.db_path ? p.db_path : newsidx_default_db_path(), &options, db, &err) !=
      NEWSIDX_OK)
    return cli_fail(program, &err);
  return 0;
}
