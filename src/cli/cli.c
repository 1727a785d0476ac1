/*
** cli.c — option tables, subcommands, exit codes, the JSON format version and the progress
** line. See cli.h.
*/
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPTIONS 96

/* getopt_long() keeps its state in globals (optind, optarg): parses on several threads (the
** requests of newsq serve) take turns. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* Where this thread's messages go: stderr unless cli_set_diagnostics() chose a stream. */
static _Thread_local FILE *diagnostics;

void cli_set_diagnostics(FILE *out) { diagnostics = out; }

/* Is CLI_COMPLETE_OPTIONS among argv[1..] before any "--"? */
static int wants_completions(int argc, char **argv) {
  for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], CLI_COMPLETE_OPTIONS) == 0) return 1;
  return 0;
}

static int parse_locked(const char *program, int argc, char **argv, const cli_option *options,
                        cli_option_fn on_option, void *ctx, int *first_operand) {
  if (wants_completions(argc, argv)) {
    cli_print_completions(stdout, options);
    return -1; /* as --help: the caller leaves with exit code 0 */
  }
  struct option long_options[MAX_OPTIONS + 1];
  char short_options[MAX_OPTIONS * 2 + 2] = "";
  size_t n = 0, n_short = 0;
  for (const cli_option *o = options; o->long_name && n < MAX_OPTIONS; o++, n++) {
    int has_arg = !o->arg_name                ? no_argument
                  : cli_option_takes_value(o) ? required_argument
                                              : optional_argument;
    long_options[n] = (struct option){o->long_name, has_arg, NULL, 256 + (int)n};
    if (o->short_name) {
      short_options[n_short++] = (char)o->short_name;
      if (o->arg_name) short_options[n_short++] = ':';
    }
  }
  long_options[n] = (struct option){NULL, 0, NULL, 0};
  short_options[n_short] = '\0';

  /* Leading '-': operands are returned in order as option 1, so they may follow options. */
  char spec[MAX_OPTIONS * 2 + 4];
  snprintf(spec, sizeof spec, "-:%s", short_options);
  int n_operands = 0;
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, spec, long_options, NULL)) != -1) {
    if (c == 1) {
      argv[n_operands++] = optarg; /* compact operands to the front, then shift below */
      continue;
    }
    if (c == '?') {
      if (optopt) return cli_error(program, "unknown option -%c (see --help)", optopt);
      return cli_error(program, "unknown option %s (see --help)", argv[optind - 1]);
    }
    if (c == ':') return cli_error(program, "option %s needs a value", argv[optind - 1]);
    const cli_option *o = NULL;
    if (c >= 256)
      o = &options[c - 256];
    else
      for (const cli_option *p = options; p->long_name; p++)
        if (p->short_name == c) o = p;
    if (!o) return cli_error(program, "unknown option (see --help)");
    int rc = on_option(ctx, o->id, o->arg_name ? optarg : NULL);
    if (rc) return rc;
  }
  /* Operands after "--" are left by getopt at argv[optind..]. */
  for (int i = optind; i < argc; i++)
    argv[n_operands++] = argv[i];
  /* Move the operands to the end of argv so that argv[*first_operand..argc) holds them. */
  int first = argc - n_operands;
  memmove(argv + first, argv, (size_t)n_operands * sizeof *argv);
  *first_operand = first;
  return 0;
}

int cli_parse(const char *program, int argc, char **argv, const cli_option *options,
              cli_option_fn on_option, void *ctx, int *first_operand) {
  pthread_mutex_lock(&parse_lock);
  int rc = parse_locked(program, argc, argv, options, on_option, ctx, first_operand);
  pthread_mutex_unlock(&parse_lock);
  return rc;
}

/* strtol over the whole of arg, within [min, max]; 0 or -1, nothing printed. */
static int cli_parse_int_quiet(const char *arg, long min, long max, long *out) {
  char *end;
  errno = 0;
  long n = strtol(arg, &end, 10);
  if (*arg == '\0' || *end || errno || n < min || n > max) return -1;
  *out = n;
  return 0;
}

int cli_parse_int(const char *program, const char *option, const char *arg, long min, long max,
                  long *out) {
  if (cli_parse_int_quiet(arg, min, max, out) != 0)
    return cli_error(program, "--%s needs a number from %ld to %ld, not '%s'", option, min, max,
                     arg);
  return 0;
}

int cli_parse_choice(const char *program, const char *option, const char *arg,
                     const char *const *choices, int *out) {
  char list[256] = "";
  size_t used = 0;
  for (int i = 0; choices[i]; i++) {
    if (strcmp(choices[i], arg) == 0) {
      *out = i;
      return 0;
    }
    used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0, "%s%s",
                             i ? ", " : "", choices[i]);
    if (used >= sizeof list) used = sizeof list - 1;
  }
  return cli_error(program, "--%s must be one of: %s (not '%s')", option, list, arg);
}

void cli_print_options(FILE *out, const cli_option *options) {
  for (const cli_option *o = options; o->long_name; o++) {
    char left[64];
    /* "--name VALUE", or "--name[=VALUE]" for an optional value */
    const char *space = cli_option_takes_value(o) ? " " : "";
    const char *value = o->arg_name ? o->arg_name : "";
    if (o->short_name)
      snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name, space, value);
    else
      snprintf(left, sizeof left, "    --%s%s%s", o->long_name, space, value);
    fprintf(out, "  %-26s %s\n", left, o->help);
  }
}

void cli_print_completions(FILE *out, const cli_option *options) {
  for (const cli_option *o = options; o->long_name; o++) {
    char short_name[3] = "";
    if (o->short_name) snprintf(short_name, sizeof short_name, "-%c", o->short_name);
    fprintf(out, "--%s\t%s\t%s\t%s\n", o->long_name, short_name, o->arg_name ? o->arg_name : "",
            o->help);
  }
}

int cli_wants_commands(int argc, char **argv) {
  return argc == 2 && strcmp(argv[1], CLI_COMPLETE_COMMANDS) == 0;
}

int cli_complete_commands(int argc, char **argv, const cli_command *commands) {
  if (!cli_wants_commands(argc, argv)) return 0;
  for (const cli_command *c = commands; c->name; c++)
    printf("%s\t%s\n", c->name, c->summary);
  return 1;
}

void cli_setup_sqlite(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

const cli_command *cli_find_command(const cli_command *commands, const char *name) {
  for (const cli_command *c = commands; c->name; c++)
    if (strcmp(c->name, name) == 0) return c;
  return NULL;
}

int cli_option_takes_value(const cli_option *o) { return o->arg_name && o->arg_name[0] != '['; }

/* How many arguments the global option at argv[i] spans (1, or 2 with its value in the next
** argument); 0 when argv[i] is not one of `globals`. Names are matched whole, not as the
** prefixes getopt_long also accepts. */
static int global_span(const cli_option *globals, int argc, char **argv, int i) {
  const char *arg = argv[i];
  for (const cli_option *o = globals; o->long_name; o++) {
    int takes = cli_option_takes_value(o);
    if (arg[0] == '-' && arg[1] == '-') {
      size_t n = strlen(o->long_name);
      if (strncmp(arg + 2, o->long_name, n) != 0) continue;
      if (arg[2 + n] == '=' && o->arg_name) return 1;
      if (arg[2 + n] == '\0') return takes && i + 1 < argc ? 2 : takes ? 0 : 1;
    } else if (arg[0] == '-' && o->short_name && arg[1] == o->short_name) {
      if (arg[2] && takes) return 1; /* -dFILE */
      if (!arg[2]) return takes && i + 1 < argc ? 2 : takes ? 0 : 1;
    }
  }
  return 0;
}

/* Reverses a[0..n). */
static void reverse(char **a, int n) {
  for (int i = 0, j = n - 1; i < j; i++, j--) {
    char *t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

int cli_main(cli_program program, int argc, char **argv, const cli_command *commands,
             const cli_option *globals, int (*default_run)(int argc, char **argv)) {
  if (argc == 2 && strcmp(argv[1], "--exit-codes") == 0) {
    cli_list_exit_codes(stdout, program);
    return CLI_EXIT_OK;
  }
  int i = 1, span;
  while (i < argc && (span = global_span(globals, argc, argv, i)) > 0)
    i += span;
  const cli_command *command = i < argc ? cli_find_command(commands, argv[i]) : NULL;
  if (!command) return default_run(argc, argv);
  /* argv[1..i) are the globals, argv[i..end) the command and its arguments: rotate them so
  ** that the command comes first and the globals just before the "--" (or the end). */
  int end = i;
  while (end < argc && strcmp(argv[end], "--") != 0)
    end++;
  reverse(argv + 1, i - 1);
  reverse(argv + i, end - i);
  reverse(argv + 1, end - 1);
  return command->run(argc - 1, argv + 1);
}

/* ---- exit codes and the JSON format version ---- */

const cli_exit_code cli_exit_codes[] = {
    {CLI_EXIT_OK,
     "OK",
     {"success", "something matched; alerts: at least one alert; terms: terms listed; rule: done"}},
    {CLI_EXIT_NONE,
     "NONE",
     {"some inputs could not be indexed (the rest was)",
      "nothing matched; alerts: no alert; rule rm: a rule named was not there"}},
    {CLI_EXIT_ERROR,
     "ERROR",
     {"error: usage, database, disk",
      "error: usage, query syntax, database, writing the results (alerts: a closed pipe too; "
      "no mark moved), --timeout reached"}},
    {CLI_EXIT_INTERRUPTED,
     "INTERRUPTED",
     {"interrupted; the batches before are kept", "interrupted (Ctrl-C, SIGTERM)"}},
    {0, NULL, {NULL, NULL}},
};

void cli_print_exit_codes(FILE *out, cli_program program) {
  fprintf(out, "Exit status:\n");
  for (const cli_exit_code *e = cli_exit_codes; e->name; e++)
    fprintf(out, "  %-4d %s\n", e->code, e->meaning[program]);
}

void cli_list_exit_codes(FILE *out, cli_program program) {
  for (const cli_exit_code *e = cli_exit_codes; e->name; e++)
    fprintf(out, "%d\t%s\t%s\n", e->code, e->name, e->meaning[program]);
}

int cli_format_version(const char *program, const char *arg) {
  if (!arg) {
    printf("%d\n", NEWSIDX_FORMAT_VERSION);
    return -1;
  }
  long n;
  if (cli_parse_int_quiet(arg, NEWSIDX_FORMAT_VERSION_MIN, NEWSIDX_FORMAT_VERSION, &n) != 0)
    return cli_error(program, "--format-version %s is not supported (%s speaks versions %d to %d)",
                     arg, program, NEWSIDX_FORMAT_VERSION_MIN, NEWSIDX_FORMAT_VERSION);
  return 0;
}

void cli_message(const char *program, const char *prefix, const char *message) {
  char *safe = newsidx_text_escaped(message, strlen(message), NEWSIDX_ESCAPE_NAME);
  fprintf(diagnostics ? diagnostics : stderr, "%s: %s%s\n", program, prefix,
          safe ? safe : "(out of memory)");
  free(safe);
}

int cli_error(const char *program, const char *format, ...) {
  char message[8192];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  cli_message(program, "", message);
  return CLI_EXIT_ERROR;
}

int cli_fail(const char *program, const newsidx_error *err) {
  cli_message(program, "", err->message[0] ? err->message : newsidx_status_to_string(err->status));
  return CLI_EXIT_ERROR;
}

double cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_terminal_width(void) {
  struct winsize ws;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  const char *columns = getenv("COLUMNS");
  long n = 0;
  if (columns && cli_parse_int_quiet(columns, 1, 10000, &n) == 0) return (int)n;
  return 80;
}

const char *cli_thousands(long long n, char *buf, size_t size) {
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
  size_t used = 0;
  if (n < 0 && used + 1 < size) buf[used++] = '-';
  for (int i = 0; i < len && used + 1 < size; i++) {
    if (i > 0 && (len - i) % 3 == 0 && used + 2 < size) buf[used++] = ',';
    buf[used++] = digits[i];
  }
  buf[used] = '\0';
  return buf;
}

void cli_progress_start(cli_progress *p) {
  memset(p, 0, sizeof *p);
  p->enabled = isatty(STDERR_FILENO);
  p->started = cli_now();
}

double cli_progress_elapsed(const cli_progress *p) { return cli_now() - p->started; }

const char *cli_bytes(long long n, char *buf, size_t size) {
  if (n >= 1 << 30)
    snprintf(buf, size, "%.1f GB", (double)n / (1 << 30));
  else if (n >= 1 << 20)
    snprintf(buf, size, "%.1f MB", (double)n / (1 << 20));
  else
    snprintf(buf, size, "%.0f kB", (double)n / 1024);
  return buf;
}

static void format_amount(char *buf, size_t size, long long n, const char *unit) {
  if (strcmp(unit, "bytes") == 0) {
    cli_bytes(n, buf, size);
  } else {
    char t[32];
    /* A long unit name may be cut; on a progress line that is harmless. */
    if (snprintf(buf, size, "%s %s", cli_thousands(n, t, sizeof t), unit) >= (int)size)
      buf[size - 1] = '\0';
  }
}

void cli_progress_update(cli_progress *p, long long done, long long total, const char *unit,
                         long long items, const char *item_name) {
  if (!p->enabled) return;
  double now = cli_now();
  if (now - p->last_draw < 0.1) return;
  p->last_draw = now;
  double elapsed = now - p->started;
  char d[32], t[32], n[32], line[200];
  format_amount(d, sizeof d, done, unit);
  int used = snprintf(line, sizeof line, "%s", d);
  if (total > 0) {
    format_amount(t, sizeof t, total, unit);
    used += snprintf(line + used, sizeof line - (size_t)used, " of %s (%.0f%%)", t,
                     100.0 * (double)done / (double)total);
  }
  used += snprintf(line + used, sizeof line - (size_t)used, " · %s %s",
                   cli_thousands(items, n, sizeof n), item_name);
  if (elapsed > 0.5)
    used += snprintf(line + used, sizeof line - (size_t)used, " · %.0f/s", (double)items / elapsed);
  if (total > 0 && done > 0 && elapsed > 1.0 && done < total) {
    double eta = elapsed * (double)(total - done) / (double)done;
    snprintf(line + used, sizeof line - (size_t)used, " · ETA %d:%02d", (int)eta / 60,
             (int)eta % 60);
  }
  fprintf(stderr, "\r\033[K%s", line);
  fflush(stderr);
  p->drawn = 1;
}

void cli_progress_done(cli_progress *p) {
  if (p->enabled && p->drawn) fprintf(stderr, "\r\033[K");
  p->drawn = 0;
}
