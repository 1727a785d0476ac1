/*
** newsq_common.c — options, signals and exit codes shared by the newsq commands. See newsq.h.
*/
#include "newsq.h"
#include "newsidx_query.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static _Thread_local newsq_session *session;

void newsq_session_set(newsq_session *s) {
  session = s;
  cli_set_diagnostics(s ? s->diagnostics : NULL);
}

newsq_session *newsq_session_get(void) { return session; }

volatile sig_atomic_t *newsq_interrupt_flag(void) {
  return session ? session->interrupted : &newsq_interrupted;
}

int newsq_common_init(newsq_common *c) {
  memset(c, 0, sizeof *c);
  c->color = 2;
  c->out = session ? session->out : stdout;
  c->now = time(NULL);
  const char *now = getenv("NEWSQ_NOW");
  newsidx_error err = {0};
  if (now && *now && query_date_instant(now, &c->now, &err) != NEWSIDX_OK)
    return cli_error("newsq", "$NEWSQ_NOW: %s", err.message);
  return 0;
}

void newsq_common_free(newsq_common *c) {
  free(c->sources);
  free(c->tags);
  free(c->langs);
}

/* Appends arg to a list of borrowed strings. */
static int push(const char ***list, int *n, const char *arg) {
  const char **grown = realloc(*list, (size_t)(*n + 1) * sizeof *grown);
  if (!grown) return cli_error("newsq", "out of memory");
  grown[(*n)++] = arg;
  *list = grown;
  return 0;
}

static int date_option(const char *option, const char *arg, time_t now, char *out, int until) {
  newsidx_error err = {0};
  newsidx_status_t status =
      until ? query_date_until(arg, now, out, &err) : query_date_since(arg, now, out, &err);
  return status == NEWSIDX_OK ? 0 : cli_error("newsq", "--%s: %s", option, err.message);
}

int newsq_common_option(newsq_common *c, int id, const char *arg, void (*usage)(FILE *)) {
  static const char *const colors[] = {"never", "always", "auto", NULL};
  switch (id) {
  case NEWSQ_OPT_DB: c->db_path = arg; return 0;
  case NEWSQ_OPT_SINCE: return date_option("since", arg, c->now, c->since, 0);
  case NEWSQ_OPT_UNTIL: return date_option("until", arg, c->now, c->until, 1);
  case NEWSQ_OPT_SOURCE: return push(&c->sources, &c->n_sources, arg);
  case NEWSQ_OPT_TAG: return push(&c->tags, &c->n_tags, arg);
  case NEWSQ_OPT_LANG: return push(&c->langs, &c->n_langs, arg);
  case NEWSQ_OPT_ALL_DUPLICATES: c->all_duplicates = 1; return 0;
  case NEWSQ_OPT_JSON: c->format = NEWSQ_JSON; return 0;
  case NEWSQ_OPT_CSV: c->format = NEWSQ_CSV; return 0;
  case NEWSQ_OPT_COLOR: return cli_parse_choice("newsq", "color", arg, colors, &c->color);
  case NEWSQ_OPT_TIMEOUT:
    return cli_parse_int("newsq", "timeout", arg, 1, 86400000, &c->timeout_ms);
  case NEWSQ_OPT_HELP: usage(stdout); return -1;
  case NEWSQ_OPT_VERSION: printf("newsq %s\n", NEWSIDX_VERSION); return -1;
  case NEWSQ_OPT_FORMAT_VERSION: return cli_format_version("newsq", arg);
  default: return NEWSQ_NOT_COMMON;
  }
}

void newsq_search_options(const newsq_common *c, search_options *o) {
  o->now = c->now;
  o->since = c->since[0] ? c->since : NULL;
  o->until = c->until[0] ? c->until : NULL;
  o->sources = c->sources;
  o->n_sources = c->n_sources;
  o->tags = c->tags;
  o->n_tags = c->n_tags;
  o->langs = c->langs;
  o->n_langs = c->n_langs;
  o->all_duplicates = c->all_duplicates;
  o->interrupted = newsq_interrupt_flag();
}

int newsq_use_color(const newsq_common *c) {
  if (c->color != 2) return c->color;
  const char *no_color = getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/* Does the long option `arg` ("--name" or "--name=value") take its value from the next
** argument? Unique prefixes count, as getopt_long accepts them. */
static int takes_next(const cli_option *options, const char *arg) {
  const char *name = arg + 2;
  if (strchr(name, '=')) return 0;
  size_t n = strlen(name);
  const cli_option *found = NULL;
  for (const cli_option *o = options; o->long_name; o++) {
    if (strncmp(o->long_name, name, n) != 0) continue;
    if (strlen(o->long_name) == n) return cli_option_takes_value(o); /* exact */
    if (found) return 0;                                             /* ambiguous: getopt says so */
    found = o;
  }
  return found && cli_option_takes_value(found);
}

static int short_takes_next(const cli_option *options, char c) {
  for (const cli_option *o = options; o->long_name; o++)
    if (o->short_name == c) return cli_option_takes_value(o);
  return 0;
}

/* Joins argv[first..argc) with spaces into one query (free() it); NULL when out of memory. */
static char *join_words(int argc, char **argv, int first) {
  size_t n = 1;
  for (int i = first; i < argc; i++)
    n += strlen(argv[i]) + 1;
  char *query = malloc(n);
  if (!query) return NULL;
  size_t used = 0;
  for (int i = first; i < argc; i++) {
    size_t len = strlen(argv[i]);
    if (i > first) query[used++] = ' ';
    memcpy(query + used, argv[i], len);
    used += len;
  }
  query[used] = '\0';
  return query;
}

int newsq_parse_words(const char *program, int argc, char **argv, const cli_option *options,
                      cli_option_fn on_option, void *ctx, char ***words_out, int *n_words_out) {
  *words_out = NULL;
  *n_words_out = 0;
  /* argv[0], the options and their values, "--", the query words. */
  char **args = malloc((size_t)(argc + 2) * sizeof *args);
  char **words = malloc((size_t)(argc + 1) * sizeof *words);
  if (!args || !words) {
    free(args);
    free(words);
    return cli_error("newsq", "out of memory");
  }
  int n_args = 0, n_words = 0;
  args[n_args++] = argv[0];
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      while (++i < argc)
        words[n_words++] = argv[i];
    } else if (arg[0] == '-' && arg[1] == '-') {
      args[n_args++] = argv[i];
      if (takes_next(options, arg) && i + 1 < argc) args[n_args++] = argv[++i];
    } else if (arg[0] == '-' && arg[1] && !arg[2]) {
      args[n_args++] = argv[i];
      if (short_takes_next(options, arg[1]) && i + 1 < argc) args[n_args++] = argv[++i];
    } else {
      words[n_words++] = argv[i];
    }
  }
  args[n_args++] = "--";
  memcpy(args + n_args, words, (size_t)n_words * sizeof *words);
  n_args += n_words;
  args[n_args] = NULL;
  free(words);
  int first = n_args;
  int rc = cli_parse(program, n_args, args, options, on_option, ctx, &first);
  if (rc == 0) { /* the operands, moved to the start of args */
    memmove(args, args + first, (size_t)(n_args - first) * sizeof *args);
    args[n_args - first] = NULL;
    *words_out = args;
    *n_words_out = n_args - first;
  } else {
    free(args);
  }
  return rc;
}

int newsq_parse(const char *program, int argc, char **argv, const cli_option *options,
                cli_option_fn on_option, void *ctx, char **query) {
  *query = NULL;
  char **words = NULL;
  int n_words = 0;
  int rc = newsq_parse_words(program, argc, argv, options, on_option, ctx, &words, &n_words);
  if (rc == 0 && !(*query = join_words(n_words, words, 0)))
    rc = cli_error("newsq", "out of memory");
  free(words);
  return rc;
}

int newsq_open(const newsq_common *c, int writable, newsidx_db **db) {
  if (session) { /* the server's connection, read-only: a session changes nothing */
    if (writable) return cli_error("newsq", "newsq serve changes nothing in the index");
    *db = session->db;
    return 0;
  }
  newsidx_open_options open_options = {writable ? 0 : NEWSIDX_OPEN_READONLY, NULL, 0};
  newsidx_error err = {0};
  if (newsidx_db_open(c->db_path ? c->db_path : newsidx_default_db_path(), &open_options, db,
                      &err) != NEWSIDX_OK)
    return cli_fail("newsq", &err);
  /* searching still works, but prefixes, =word, numbers and initials find what they did then */
  if (newsidx_db_needs_rebuild(*db))
    fprintf(stderr, "newsq: notice: " NEWSIDX_NEEDS_REBUILD_MESSAGE "\n",
            c->db_path ? c->db_path : newsidx_default_db_path());
  newsq_watch(*db, c->timeout_ms);
  return 0;
}

int newsq_command(const char *program, int argc, char **argv, const cli_option *options,
                  cli_option_fn on_option, void *args, newsq_common *common, newsq_run_fn run,
                  void (*usage)(FILE *)) {
  char *query = NULL;
  newsidx_db *db = NULL;
  int rc = newsq_common_init(common);
  if (rc == 0) rc = newsq_parse(program, argc, argv, options, on_option, args, &query);
  if (rc == 0 && usage && !*query && !common->since[0] && !common->until[0] && !common->n_sources &&
      !common->n_tags && !common->n_langs) {
    usage(stderr);
    rc = CLI_EXIT_ERROR;
  }
  if (rc == 0) rc = newsq_open(common, 0, &db);
  if (rc == 0) rc = run(db, args, query);
  newsq_close(db);
  free(query);
  newsq_common_free(common);
  return rc < 0 ? CLI_EXIT_OK : rc; /* -1: --help or --version was shown */
}

printer *newsq_printer(const newsq_common *c, FILE *out) {
  switch (c->format) {
  case NEWSQ_JSON: return printer_json_new(out);
  case NEWSQ_CSV: return printer_csv_new(out);
  case NEWSQ_IDS: return printer_ids_new(out);
  case NEWSQ_PATHS: return printer_paths_for(out, isatty(STDOUT_FILENO));
  case NEWSQ_COUNT: return printer_count_new(out);
  default: return printer_text_new(out, newsq_use_color(c) ? HIGHLIGHT_ANSI : HIGHLIGHT_PLAIN);
  }
}

term_printer *newsq_term_printer(const newsq_common *c, term_columns columns, FILE *out) {
  switch (c->format) {
  case NEWSQ_JSON: return term_json_new(out, columns);
  case NEWSQ_CSV: return term_csv_new(out, columns);
  default:
    return term_text_new(out, columns, newsq_use_color(c) ? HIGHLIGHT_ANSI : HIGHLIGHT_PLAIN);
  }
}

tally_printer *newsq_tally_printer(const newsq_common *c) {
  switch (c->format) {
  case NEWSQ_JSON: return tally_json_new(c->out);
  case NEWSQ_CSV: return tally_csv_new(c->out);
  default:
    return tally_text_new(c->out, cli_terminal_width(),
                          newsq_use_color(c) ? HIGHLIGHT_ANSI : HIGHLIGHT_PLAIN);
  }
}

int newsq_scan(newsidx_db *db, const newsq_common *c, const char *query, search_match_fn on_match,
               void *ctx) {
  search_options o = {0};
  newsq_search_options(c, &o);
  o.query = query;
  o.empty_means_all = 1;
  newsidx_error err = {0};
  search *s = NULL;
  newsidx_status_t status = search_open(db, &o, &s, &err);
  if (status == NEWSIDX_OK) status = search_scan(s, on_match, ctx, &err);
  search_close(s);
  return status == NEWSIDX_OK ? 0 : newsq_fail(&err);
}

int newsq_output_failed(int error, int success_code) {
  if (error == EPIPE) return success_code;
  return cli_error("newsq", "writing the results failed: %s", strerror(error ? error : EIO));
}

/* The turn is an flock() on the database file itself, which SQLite's own locks (fcntl) do not
** touch. */
int newsq_take_turn(const newsq_common *c, int *fd) {
  const char *path = c->db_path ? c->db_path : newsidx_default_db_path();
  *fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  if (*fd < 0) return 0;
  /* Polled, not blocking: flock() restarts after Ctrl-C (SA_RESTART) and would not stop. */
  while (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) return 0;
    if (newsq_interrupted) {
      close(*fd);
      *fd = -1;
      newsidx_error err = {0};
      newsidx_error_set(&err, NEWSIDX_INTERRUPTED,
                        "interrupted while another newsq alerts or rule change ran");
      return newsq_fail(&err);
    }
    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
  }
  return 0;
}
