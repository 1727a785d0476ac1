/*
** cmd_watch.c — `newsidx watch [options] DIR...`, `newsidx watch --feeds FILE [DIR...]`: index
** files as they appear or change, and what subscribed feeds bring, in batches, and run a
** command after each batch.
**
** The watcher opens (creates) the index, watches every folder under the DIRs (watch.h), and
** re-scans the DIRs once, so that what arrived while nothing watched is indexed. Then it
** waits in poll() for file events and signals. After the first event it waits for quiet
** (--settle: no new event for that long) but no longer than --max-delay after that first
** event, and indexes what the events noted in one ingest run (a batch): its summary line
** goes to standard output, then the --then command runs. A batch that fails for a reason that
** may heal (the index busy or the disk full) is taken again later, with a backoff; errors that
** cannot heal (not an index, made by a newer newsidx) end the watch with exit status 2.
** SIGINT and SIGTERM stop it after the current batch (exit 0); SIGHUP asks for a re-scan.
** With --feeds, the feeds due (watch_feeds.c) are fetched in batches of their own, between
** those of the folders; SIGHUP reads the subscription file again too.
*/
#include "commands.h"
#include "ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRAM              "newsidx watch"
#define DEFAULT_SETTLE_MS    500
#define DEFAULT_MAX_DELAY_MS 5000
#define RETRY_FIRST_S        1.0 /* the first retry of a failed batch; doubled up to RETRY_MAX_S */
#define RETRY_MAX_S          60.0

#define DEFAULT_EVERY_S (15 * 60)

enum { OPT_SETTLE = FETCH_OPT_LAST, OPT_MAX_DELAY, OPT_THEN, OPT_THEN_ALWAYS, OPT_EVERY, OPT_HELP };

static const cli_option options[] = {
    INGEST_COMMON_OPTIONS,
    FETCH_CLI_OPTIONS,
    {"every", 0, OPT_EVERY, "TIME",
     "fetch each of the --feeds every TIME: 90s, 15m, 2h (default 15m)"},
    {"settle", 0, OPT_SETTLE, "MS", "index once no file event came for MS ms (default 500)"},
    {"max-delay", 0, OPT_MAX_DELAY, "MS", "but no later than MS ms after the first (default 5000)"},
    {"then", 0, OPT_THEN, "COMMAND",
     "run COMMAND with /bin/sh after a batch that changed the index"},
    {"then-always", 0, OPT_THEN_ALWAYS, NULL,
     "run --then after every batch, even one that changed nothing"},
    {"busy-timeout", 0, INGEST_OPT_BUSY_TIMEOUT, "MS",
     "wait MS ms for another writer, then retry later (default 30000)"},
    {"help", 'h', OPT_HELP, NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

typedef struct watch_args {
  ingest_cli cli;
  long settle_ms;
  long max_delay_ms;
  const char *then; /* --then, or NULL */
  int then_always;
  fetch_cli fetch; /* --feeds and how to fetch them */
  long every_s;
} watch_args;

static void usage(FILE *out) {
  fprintf(out, "Usage: newsidx watch [--db FILE] [options] DIR...\n"
               "       newsidx watch [--db FILE] [options] --feeds FILE [--every TIME] [DIR...]\n\n"
               "Indexes the files under the folders DIR (recursively) once, then watches them\n"
               "(inotify) and indexes files as they are written, moved in or appended to, in\n"
               "batches: after the first change it waits for --settle ms of quiet, at most\n"
               "--max-delay ms. Each batch prints a summary line, then runs the --then command\n"
               "with NEWSIDX_DB, NEWSIDX_ADDED, NEWSIDX_UPDATED, NEWSIDX_REMOVED, NEWSIDX_ERRORS\n"
               "and NEWSIDX_BATCH in its environment. With --prune, files deleted or moved away\n"
               "lose their articles. SIGHUP re-scans the folders; Ctrl-C or SIGTERM stops after\n"
               "the current batch and prints the totals. With --feeds, every feed of the list is\n"
               "fetched every --every (a feed that keeps failing less often, up to 6 h) in\n"
               "batches of their own; SIGHUP reads the list again.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 stopped by SIGINT or SIGTERM, 2 error (usage, a database\n"
               "error that cannot heal, no folder left to watch).\n");
}

static int on_option(void *ctx, int id, const char *arg) {
  watch_args *a = ctx;
  switch (id) {
  case OPT_SETTLE: return cli_parse_int(PROGRAM, "settle", arg, 0, 3600000, &a->settle_ms);
  case OPT_MAX_DELAY:
    return cli_parse_int(PROGRAM, "max-delay", arg, 0, 86400000, &a->max_delay_ms);
  case OPT_THEN: a->then = arg; return 0;
  case OPT_THEN_ALWAYS: a->then_always = 1; return 0;
  case OPT_EVERY: return feed_poller_parse_every(arg, &a->every_s);
  case OPT_HELP: usage(stdout); return -1;
  default:
    return id >= FETCH_OPT_FIRST ? fetch_cli_option(&a->fetch, PROGRAM, id, arg)
                                 : ingest_cli_option(&a->cli, id, arg);
  }
}

/* The watcher between batches. Times are monotonic seconds (cli_now()). */
typedef struct watcher {
  watch_args *a;
  newsidx_db *db;
  char language[64]; /* the index's language, for opening it again */
  char *db_real;     /* the index's absolute path, for NEWSIDX_DB */
  int db_known;      /* db_dev and db_ino identify the index file */
  dev_t db_dev;
  ino_t db_ino;
  watch_tree *tree;   /* NULL when no folder is watched (--feeds alone) */
  feed_poller *feeds; /* NULL without --feeds */
  volatile sig_atomic_t *stop, *hup;
  ingest_counts total; /* every batch since the start */
  long n_batches;
  double started;
  int now_due;        /* the next batch is due at once (the start, SIGHUP) */
  double first_event; /* the first and the last event noted for the next batch; 0: none */
  double last_event;
  double retry_at; /* a failed batch is not taken again before this; 0 when none failed */
  double backoff;  /* seconds to wait after the next failure */
  int then_owed;   /* run --then after the next batch whatever it changed */
} watcher;

/* Opens the index (creating it, with --language or the language it had when it was open
** before) and notes which file it is. */
static newsidx_status_t open_index(watcher *w, newsidx_error *err) {
  ingest_cli cli = w->a->cli;
  if (w->language[0]) cli.language = w->language;
  newsidx_status_t status = ingest_cli_open(&cli, &w->db, err);
  if (status != NEWSIDX_OK) return status;
  snprintf(w->language, sizeof w->language, "%s", newsidx_db_language(w->db));
  const char *path = ingest_cli_db_path(&cli);
  struct stat st;
  w->db_known = stat(path, &st) == 0;
  w->db_dev = st.st_dev;
  w->db_ino = st.st_ino;
  free(w->db_real);
  w->db_real = realpath(path, NULL);
  return NEWSIDX_OK;
}

/* Makes sure the index open is the file at --db: one deleted or replaced under the watcher
** would take its writes where nobody looks. It is then opened again (created) and the folders
** re-scanned; an index that could not be opened again is tried again with the next batch. */
static newsidx_status_t ensure_index(watcher *w, newsidx_error *err) {
  const char *path = ingest_cli_db_path(&w->a->cli);
  struct stat st;
  if (w->db &&
      (!w->db_known || (stat(path, &st) == 0 && st.st_dev == w->db_dev && st.st_ino == w->db_ino)))
    return NEWSIDX_OK;
  if (w->db) {
    ingest_cli_say(&w->a->cli, INGEST_WARNING,
                   "%s: the index file was deleted or replaced; opening it again and re-scanning",
                   path);
    newsidx_db_close(w->db);
    w->db = NULL;
    if (w->tree) watch_tree_request_rescan(w->tree);
  }
  return open_index(w, err);
}

/* The time the next batch is due. */
static double batch_due(const watcher *w) {
  double due = w->now_due ? 0 : w->last_event + (double)w->a->settle_ms / 1000;
  double latest = w->first_event + (double)w->a->max_delay_ms / 1000;
  if (!w->now_due && latest < due) due = latest;
  return w->retry_at > due ? w->retry_at : due;
}

static void note_event(watcher *w) {
  double now = cli_now();
  if (!w->first_event) w->first_event = now;
  w->last_event = now;
}

static int setenv_long(const char *name, long value) {
  char text[32];
  snprintf(text, sizeof text, "%ld", value);
  return setenv(name, text, 1);
}

/* Runs the --then command through /bin/sh -c and waits for it, also when a stop is asked for
** meanwhile. Its standard input is /dev/null; its output goes where the watcher's goes. A
** failure is reported, and watching goes on. */
static void run_then(watcher *w, const ingest_counts *c) {
  ingest_cli *cli = &w->a->cli;
  setenv("NEWSIDX_DB", w->db_real ? w->db_real : ingest_cli_db_path(cli), 1);
  setenv_long("NEWSIDX_ADDED", c->added);
  setenv_long("NEWSIDX_UPDATED", c->updated);
  setenv_long("NEWSIDX_REMOVED", c->removed);
  setenv_long("NEWSIDX_ERRORS", c->errors);
  setenv_long("NEWSIDX_BATCH", w->n_batches);
  fflush(stdout);
  fflush(stderr);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGHUP);
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  char *argv[] = {"sh", "-c", (char *)w->a->then, NULL};
  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    ingest_cli_say(cli, INGEST_ERROR, "--then: cannot run /bin/sh: %s", strerror(rc));
    return;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      ingest_cli_say(cli, INGEST_ERROR, "--then: %s", strerror(errno));
      return;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    ingest_cli_say(cli, INGEST_ERROR, "--then command exited with status %d after batch %ld",
                   WEXITSTATUS(status), w->n_batches);
  else if (WIFSIGNALED(status))
    ingest_cli_say(cli, INGEST_ERROR, "--then command was killed by signal %d (%s) after batch %ld",
                   WTERMSIG(status), strsignal(WTERMSIG(status)), w->n_batches);
}

static void add_counts(ingest_counts *total, const ingest_counts *c) {
  total->files += c->files;
  total->added += c->added;
  total->updated += c->updated;
  total->unchanged += c->unchanged;
  total->duplicates += c->duplicates;
  total->skipped += c->skipped;
  total->errors += c->errors;
  total->removed += c->removed;
  total->bytes += c->bytes;
}

/* Failures of a batch that may heal by themselves: the batch is taken again later. */
static int may_heal(newsidx_status_t status) {
  return status == NEWSIDX_BUSY || status == NEWSIDX_FULL || status == NEWSIDX_IO ||
         status == NEWSIDX_READONLY || status == NEWSIDX_ERROR;
}

/* A batch failed: an error that may heal is reported and the batch taken again later, with a
** backoff (returns 0); any other is printed, and its exit code returned. */
static int batch_failed(watcher *w, long number, newsidx_status_t status,
                        const newsidx_error *err) {
  if (!may_heal(status)) return cli_fail(PROGRAM, err);
  ingest_cli_say(&w->a->cli, INGEST_ERROR, "batch %ld: %s; trying again in %.0f s", number,
                 err->message, w->backoff);
  w->retry_at = cli_now() + w->backoff;
  w->backoff = w->backoff * 2 < RETRY_MAX_S ? w->backoff * 2 : RETRY_MAX_S;
  w->then_owed = 1; /* batches of --batch articles may have been committed */
  return 0;
}

static void log_changes(watcher *w, const watch_changes *ch, long number) {
  for (size_t i = 0; i < ch->n_paths; i++)
    ingest_cli_say(&w->a->cli, INGEST_VERBOSE, "batch %ld: %s%s", number,
                   ch->rescan ? "re-scanning " : "", ch->paths[i]);
  for (size_t i = 0; i < ch->n_gone; i++)
    ingest_cli_say(&w->a->cli, INGEST_VERBOSE, "batch %ld: %s is gone%s", number, ch->gone[i],
                   w->a->cli.prune ? "" : " (kept in the index without --prune)");
}

/* A batch went through (or was interrupted): counted, its summary printed (`what` says what
** it was: " (scan)", " (feeds)" or ""), and --then run when it changed the index. */
static void batch_done(watcher *w, const ingest_counts *counts, newsidx_status_t status,
                       double seconds, const char *what) {
  long number = ++w->n_batches;
  add_counts(&w->total, counts);
  w->retry_at = 0;
  w->backoff = RETRY_FIRST_S;
  if (!w->a->cli.quiet) {
    char now[NEWSIDX_DATE_MAX], prefix[NEWSIDX_DATE_MAX + 48];
    newsidx_now_iso(now);
    snprintf(prefix, sizeof prefix, "%s batch %ld%s: ", now, number, what);
    ingest_cli_print_summary(prefix, counts, seconds);
  }
  int changed = counts->added || counts->updated || counts->duplicates || counts->removed;
  if (w->a->then && status == NEWSIDX_OK && !*w->stop &&
      (changed || w->a->then_always || w->then_owed)) {
    run_then(w, counts);
    w->then_owed = 0;
  }
}

/* Indexes what the events noted, prints the batch's summary and runs --then. Returns 0 to go
** on watching (also after a failure that may heal: the batch is taken again later), or the
** exit code of an error that cannot heal, which it printed. */
static int run_batch(watcher *w) {
  ingest_cli *cli = &w->a->cli;
  long number = w->n_batches + 1;
  newsidx_error err = {0};
  newsidx_status_t status = ensure_index(w, &err);
  if (status != NEWSIDX_OK) return batch_failed(w, number, status, &err);
  watch_changes ch;
  if (watch_tree_take(w->tree, &ch, &err) != NEWSIDX_OK) return cli_fail(PROGRAM, &err);
  log_changes(w, &ch, number);
  if (!ch.rescan && ch.n_paths == 0 && (ch.n_gone == 0 || !cli->prune)) {
    watch_changes_free(&ch); /* only deletions, kept without --prune: nothing to write */
    watch_tree_clear(w->tree);
    w->first_event = w->last_event = 0;
    return 0;
  }

  ingest_options ingest = ingest_cli_ingest_options(cli, w->stop);
  ingest.gone = ch.gone;
  ingest.n_gone = (int)ch.n_gone;
  ingest_counts counts;
  cli_progress_start(&cli->progress);
  status = ingest_paths(w->db, ch.paths, (int)ch.n_paths, &ingest, &counts, &err);
  cli_progress_done(&cli->progress);
  double seconds = cli_progress_elapsed(&cli->progress);
  int rescan = ch.rescan;
  watch_changes_free(&ch);

  if (status != NEWSIDX_OK && status != NEWSIDX_INTERRUPTED)
    return batch_failed(w, number, status, &err);
  watch_tree_clear(w->tree);
  w->now_due = 0;
  w->first_event = w->last_event = 0;
  batch_done(w, &counts, status, seconds, rescan ? " (scan)" : "");
  return 0;
}

/* Fetches the feeds that are due, as one batch. Returns as run_batch() does; a feed's own
** failure is not the batch's: the feed is fetched again later, with a backoff. */
static int run_feed_batch(watcher *w) {
  ingest_cli *cli = &w->a->cli;
  long number = w->n_batches + 1;
  newsidx_error err = {0};
  newsidx_status_t status = ensure_index(w, &err);
  if (status != NEWSIDX_OK) return batch_failed(w, number, status, &err);
  const ingest_url *urls;
  ingest_url_result *results;
  int n = feed_poller_take(w->feeds, cli_now(), &urls, &results);
  ingest_options ingest = ingest_cli_ingest_options(cli, w->stop);
  ingest.count_total = 0;
  ingest_counts counts = {0};
  cli_progress_start(&cli->progress);
  status = ingest_urls(w->db, urls, n, &ingest, &w->a->fetch.options, &counts, results, &err);
  cli_progress_done(&cli->progress);
  /* a failure of the index leaves them all due, to be taken again after the batch's backoff */
  if (status != NEWSIDX_OK && status != NEWSIDX_INTERRUPTED)
    return batch_failed(w, number, status, &err);
  feed_poller_done(w->feeds, cli_now());
  batch_done(w, &counts, status, cli_progress_elapsed(&cli->progress), " (feeds)");
  return 0;
}

/* Waits for events and runs the batches until a stop is asked for (0) or an error that
** cannot heal (its exit code, printed). */
static int watch_loop(watcher *w) {
  int wake_fd = ingest_cli_wake_fd();
  for (;;) {
    if (*w->stop) return CLI_EXIT_OK;
    if (*w->hup) {
      *w->hup = 0;
      ingest_cli_say(&w->a->cli, INGEST_VERBOSE, "SIGHUP: re-scanning");
      if (w->tree) watch_tree_request_rescan(w->tree);
      if (w->feeds) feed_poller_reload(w->feeds); /* a bad file is reported; the old list stays */
      w->now_due = 1;
    }
    if (w->tree && watch_tree_roots_alive(w->tree) == 0)
      return cli_error(PROGRAM, "no folder left to watch");
    double now = cli_now();
    int timeout_ms = -1;
    double due = w->tree && watch_tree_pending(w->tree) ? batch_due(w) : -1;
    double feeds_due = w->feeds ? feed_poller_due(w->feeds) : -1;
    if (feeds_due >= 0 && feeds_due < w->retry_at) feeds_due = w->retry_at;
    if (due >= 0 && now >= due) {
      int rc = run_batch(w);
      if (rc) return rc;
      continue;
    }
    if (feeds_due >= 0 && now >= feeds_due) {
      int rc = run_feed_batch(w);
      if (rc) return rc;
      continue;
    }
    if (feeds_due >= 0 && (due < 0 || feeds_due < due)) due = feeds_due;
    if (due >= 0) timeout_ms = (int)((due - now) * 1000) + 1; /* +1: do not wake up just before */
    struct pollfd fds[2] = {{wake_fd, POLLIN, 0},
                            {w->tree ? watch_tree_fd(w->tree) : -1, POLLIN, 0}};
    if (poll(fds, 2, timeout_ms) < 0 && errno != EINTR)
      return cli_error(PROGRAM, "waiting for file events: %s", strerror(errno));
    if (fds[0].revents) ingest_cli_drain_wake_fd();
    if (fds[1].revents) {
      newsidx_error err = {0};
      int noted = 0;
      if (watch_tree_read(w->tree, &noted, &err) != NEWSIDX_OK) return cli_fail(PROGRAM, &err);
      if (noted) note_event(w);
    }
  }
}

int cmd_watch(int argc, char **argv) {
  watch_args a = {INGEST_CLI_INIT(PROGRAM), DEFAULT_SETTLE_MS, DEFAULT_MAX_DELAY_MS, NULL, 0,
                  FETCH_CLI_INIT,           DEFAULT_EVERY_S};
  int first;
  int rc = cli_parse(PROGRAM, argc, argv, options, on_option, &a, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  if (first == argc && !a.fetch.feeds_path)
    return cli_error(PROGRAM, "name the folders to watch, or --feeds (see --help)");
  if (a.then_always && !a.then) return cli_error(PROGRAM, "--then-always needs --then");

  watcher w = {0};
  w.a = &a;
  w.backoff = RETRY_FIRST_S;
  w.then_owed = 1; /* after the first batch: what an earlier watcher indexed but did not
                      hand to its command before it stopped gets handed now */
  w.now_due = 1;   /* the first batch re-scans the folders at once */
  w.started = cli_now();
  w.stop = ingest_cli_catch_stop();
  w.hup = ingest_cli_catch_hup();
  newsidx_error err = {0};
  if (a.fetch.feeds_path && (rc = feed_poller_open(a.fetch.feeds_path, a.every_s, &w.feeds)))
    return rc;
  if (first < argc && watch_tree_open(argv + first, argc - first, a.cli.forced_kind,
                                      ingest_cli_report, &a.cli, &w.tree, &err) != NEWSIDX_OK) {
    feed_poller_close(w.feeds);
    return cli_fail(PROGRAM, &err);
  }
  if (open_index(&w, &err) != NEWSIDX_OK) rc = cli_fail(PROGRAM, &err);
  if (rc == 0) {
    if (w.tree) watch_tree_request_rescan(w.tree);
    rc = watch_loop(&w);
    if (!a.cli.quiet) {
      char now[NEWSIDX_DATE_MAX], counts[400];
      newsidx_now_iso(now);
      printf("%s stopped: %s in %ld batch%s over %.0f s\n", now,
             ingest_cli_format_counts(&w.total, counts, sizeof counts), w.n_batches,
             w.n_batches == 1 ? "" : "es", cli_now() - w.started);
      fflush(stdout);
    }
  }
  newsidx_db_close(w.db);
  watch_tree_close(w.tree);
  feed_poller_close(w.feeds);
  free(w.db_real);
  return rc;
}
