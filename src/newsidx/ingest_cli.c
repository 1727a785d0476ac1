/*
** ingest_cli.c — what the commands that index (newsidx [index], newsidx watch) share: their
** common options, opening the index, the messages and progress line of a run, the summary
** line, and stopping on SIGINT and SIGTERM. See commands.h.
*/
#include "commands.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ingest_cli_option(ingest_cli *c, int id, const char *arg) {
  switch (id) {
  case INGEST_OPT_DB: c->db_path = arg; return 0;
  case INGEST_OPT_LANGUAGE: c->language = arg; return 0;
  case INGEST_OPT_PRUNE: c->prune = 1; return 0;
  case INGEST_OPT_VERBOSE: c->verbose = 1; return 0;
  case INGEST_OPT_QUIET: c->quiet = 1; return 0;
  case INGEST_OPT_FORMAT_VERSION: return cli_format_version(c->program, arg);
  case INGEST_OPT_FORMAT: {
    static const char *const formats[] = {"text", "jsonl", "feed", "csv",
                                          "tsv",  "html",  NULL}; /* input_kind */
    return cli_parse_choice(c->program, "format", arg, formats, &c->forced_kind);
  }
  case INGEST_OPT_BATCH: {
    long n;
    int rc = cli_parse_int(c->program, "batch", arg, 1, 1000000, &n);
    c->batch = (int)n;
    return rc;
  }
  case INGEST_OPT_BUSY_TIMEOUT: {
    long ms;
    int rc = cli_parse_int(c->program, "busy-timeout", arg, 1, 3600000, &ms);
    c->busy_timeout_ms = (int)ms;
    return rc;
  }
  }
  return 0;
}

const char *ingest_cli_db_path(const ingest_cli *c) {
  return c->db_path ? c->db_path : newsidx_default_db_path();
}

newsidx_status_t ingest_cli_open(const ingest_cli *c, newsidx_db **db, newsidx_error *err) {
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, c->language, c->busy_timeout_ms};
  return newsidx_db_open(ingest_cli_db_path(c), &options, db, err);
}

void ingest_cli_report(void *ctx, ingest_level level, const char *message) {
  ingest_cli *c = ctx;
  if (level == INGEST_VERBOSE && !c->verbose) return;
  cli_progress_done(&c->progress);
  cli_message(c->program, level == INGEST_WARNING ? "warning: " : "", message);
}

static void on_progress(void *ctx, const ingest_counts *counts) {
  ingest_cli *c = ctx;
  cli_progress_update(&c->progress, counts->bytes, counts->total_bytes, "bytes",
                      counts->added + counts->updated + counts->unchanged + counts->duplicates,
                      "articles");
}

ingest_options ingest_cli_ingest_options(ingest_cli *c, volatile sig_atomic_t *stop) {
  ingest_options options = {0};
  options.forced_kind = c->forced_kind;
  options.batch_articles = c->batch;
  options.prune = c->prune;
  options.report = ingest_cli_report;
  options.progress = on_progress;
  options.ctx = c;
  options.stop = stop;
  options.count_total = c->progress.enabled;
  /* NEWSIDX_PREPARE=0: the writer tokenizes, as before articles were prepared ahead. */
  const char *prepare = getenv("NEWSIDX_PREPARE");
  options.unprepared = prepare && strcmp(prepare, "0") == 0;
  return options;
}

void ingest_cli_say(ingest_cli *c, ingest_level level, const char *format, ...) {
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  ingest_cli_report(c, level, message);
}

const char *ingest_cli_format_counts(const ingest_counts *counts, char *buf, size_t size) {
  char n[7][32];
  int used = snprintf(
      buf, size, "%s added, %s updated, %s unchanged, %s duplicates, %s skipped, %s errors",
      cli_thousands(counts->added, n[0], 32), cli_thousands(counts->updated, n[1], 32),
      cli_thousands(counts->unchanged, n[2], 32), cli_thousands(counts->duplicates, n[3], 32),
      cli_thousands(counts->skipped, n[4], 32), cli_thousands(counts->errors, n[5], 32));
  if (counts->removed && used >= 0 && (size_t)used < size)
    snprintf(buf + used, size - (size_t)used, ", %s removed",
             cli_thousands(counts->removed, n[6], 32));
  return buf;
}

void ingest_cli_print_summary(const char *prefix, const ingest_counts *counts, double seconds) {
  char line[400];
  long articles = counts->added + counts->updated + counts->unchanged + counts->duplicates;
  printf("%s%s in %.1f s", prefix, ingest_cli_format_counts(counts, line, sizeof line), seconds);
  if (seconds > 0.05 && articles > 0) printf(" (%.0f articles/s)", (double)articles / seconds);
  printf("\n");
  fflush(stdout);
}

/* Signals. The flags and the pipe are global because a signal handler reaches nothing else. */
static volatile sig_atomic_t stop_flag, hup_flag;
static int wake_pipe[2] = {-1, -1};

static void on_signal(int sig) {
  int saved_errno = errno;
  if (sig == SIGHUP) {
    hup_flag = 1;
  } else {
    stop_flag = 1;
    signal(sig, SIG_DFL); /* a second Ctrl-C stops at once; the index stays consistent */
  }
  if (wake_pipe[1] >= 0) {
    ssize_t ignored = write(wake_pipe[1], "", 1); /* when full, a wake-up is pending anyway */
    (void)ignored;
  }
  errno = saved_errno;
}

static void catch_signal(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

volatile sig_atomic_t *ingest_cli_catch_stop(void) {
  catch_signal(SIGINT);
  catch_signal(SIGTERM);
  return &stop_flag;
}

volatile sig_atomic_t *ingest_cli_catch_hup(void) {
  catch_signal(SIGHUP);
  return &hup_flag;
}

int ingest_cli_wake_fd(void) {
  if (wake_pipe[0] < 0 && pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
  return wake_pipe[0];
}

void ingest_cli_drain_wake_fd(void) {
  char buf[64];
  while (wake_pipe[0] >= 0 && read(wake_pipe[0], buf, sizeof buf) > 0)
    ;
}
