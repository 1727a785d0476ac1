/*
** cmd_alerts.c — `newsq alerts [NAME...]`: what each alert rule has to report since its last
** run, then the rules' marks move on. A consumer's acknowledgment is its output written in
** full: the marks move only after every alert was written and flushed without error (a closed
** pipe or a full disk moves nothing and exits 2), and --peek shows the same without moving
** anything (so a reader that stops early, `newsq alerts --peek | head`, is no error). Each
** alert is written whole, in one write(2), so a consumer killed while it writes leaves no part
** of a line in the file it appends to. See alerts.h for what each kind of rule reports.
*/
#include "newsidx_query.h"
#include "newsq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_EXAMPLES 25 /* new terms per rule and run that get an example passage */

enum { OPT_PEEK = NEWSQ_OPT_COMMAND, OPT_IDS, OPT_PATHS, OPT_COUNT };

static const cli_option options[] = {
    NEWSQ_DB_OPTION,
    {"peek", 0, OPT_PEEK, NULL, "show the alerts, but leave the rules' marks where they are"},
    {"json", 'j', NEWSQ_OPT_JSON, NULL, "JSON Lines: one object per alert, with its rule"},
    {"csv", 0, NEWSQ_OPT_CSV, NULL, "CSV with a rule column (rules that report articles only)"},
    {"ids", 0, OPT_IDS, NULL, "article ids, one a line (rules that report articles only)"},
    {"paths", 'l', OPT_PATHS, NULL, "files with new matches, once each (articles only)"},
    {"count", 'c', OPT_COUNT, NULL, "only the number of alerts (implies --peek)"},
    NEWSQ_COLOR_OPTION,
    NEWSQ_TIMEOUT_OPTION,
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

static void usage(FILE *out) {
  fprintf(out, "Usage: newsq alerts [options] [NAME...]\n\n"
               "Prints what the alert rules NAME (all of them when none is named) have to report\n"
               "since they last ran: the new articles that match a query rule, the new terms of a\n"
               "new-terms rule, each once. Once everything was written, the rules' marks move on;\n"
               "if the output fails, nothing moves and the next run reports the same again.\n"
               "Rules are made with `newsq rule add`.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 at least one alert, 1 none, 2 error (the output could not be\n"
               "written: no mark moved), 130 interrupted.\n");
}

typedef struct alerts_args {
  newsq_common common;
  int peek;
} alerts_args;

static int on_option(void *ctx, int id, const char *arg) {
  alerts_args *a = ctx;
  int rc = newsq_common_option(&a->common, id, arg, usage);
  if (rc != NEWSQ_NOT_COMMON) return rc;
  switch (id) {
  case OPT_PEEK: a->peek = 1; break;
  case OPT_IDS: a->common.format = NEWSQ_IDS; break;
  case OPT_PATHS: a->common.format = NEWSQ_PATHS; break;
  case OPT_COUNT: a->common.format = NEWSQ_COUNT; break;
  }
  return 0;
}

/* The output of a run: one printer of hits and one of terms, made when first needed, which
** write each alert into `record` until it is complete. Text output starts each rule's alerts
** with a heading and numbers them from 1. */
typedef struct alerts_output {
  const newsq_common *common;
  FILE *record; /* open_memstream() over record_text, record_len */
  char *record_text;
  size_t record_len;
  printer *hits;
  term_printer *terms;
  const rule *current; /* the rule whose alerts are being written */
  long n_hits, n_alerts;
  int error; /* errno of the first failed write */
} alerts_output;

/* Notes the printers' write errors; returns -1 when there is one. */
static int check(alerts_output *o) {
  if (!o->error && o->hits && o->hits->error) o->error = o->hits->error;
  if (!o->error && o->terms && o->terms->error) o->error = o->terms->error;
  return o->error ? -1 : 0;
}

/* Writes what the record holds to standard output, in one write(2) (more only when the system
** takes part of it, as a full disk does), and empties it. Through stdio's buffer an alert could
** be cut anywhere at 4 KiB, and a consumer killed then (`newsq alerts --json >> alerts.jsonl`)
** left part of a JSON line in the file, which the next run's first line then joined. Returns
** -1, with the errno in o->error, when writing failed. */
static int emit(alerts_output *o) {
  if (fflush(o->record) != 0) {
    if (!o->error) o->error = ENOMEM;
    return -1;
  }
  for (size_t done = 0; done < o->record_len;) {
    ssize_t n = write(STDOUT_FILENO, o->record_text + done, o->record_len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!o->error) o->error = n < 0 ? errno : EIO;
      return -1;
    }
    done += (size_t)n;
  }
  rewind(o->record); /* the next flush sets record_len to what was written since */
  return 0;
}

/* Ends the text of the current rule (its printers are flushed and dropped). */
static int end_text_group(alerts_output *o) {
  int rc = 0;
  if (o->hits) rc |= o->hits->finish(o->hits, o->n_hits, -1);
  if (o->terms) rc |= o->terms->finish(o->terms);
  rc |= check(o);
  if (o->hits) o->hits->destroy(o->hits);
  if (o->terms) o->terms->destroy(o->terms);
  o->hits = NULL;
  o->terms = NULL;
  return rc ? -1 : 0;
}

/* Called before each alert: starts rule r's part of the output when it is a new rule. */
static int begin_rule(alerts_output *o, const rule *r) {
  if (o->current == r) return 0;
  int text = o->common->format == NEWSQ_TEXT;
  if (text && o->current && end_text_group(o) != 0) return -1;
  o->current = r;
  o->n_hits = 0;
  if (text) {
    int ansi = newsq_use_color(o->common);
    fprintf(o->record, "%s%s── %s ──%s\n", o->n_alerts > 1 ? "\n" : "", ansi ? "\033[1m" : "",
            r->name, ansi ? "\033[0m" : "");
  }
  if (!ferror(o->record)) return 0;
  o->error = ENOMEM; /* the only error of a memory stream */
  return -1;
}

static int on_hit(void *ctx, const rule *r, const search_hit *hit) {
  alerts_output *o = ctx;
  o->n_alerts++;
  if (o->common->format == NEWSQ_COUNT) return 0;
  if (begin_rule(o, r) != 0) return -1;
  if (!o->hits && !(o->hits = newsq_printer(o->common, o->record))) return -1;
  o->hits->rule = o->common->format == NEWSQ_TEXT ? NULL : r->name;
  o->n_hits++;
  if (o->hits->hit(o->hits, hit) == 0) return emit(o);
  check(o);
  return -1;
}

static int on_term(void *ctx, const rule *r, const term_row *row, const char *snippet) {
  alerts_output *o = ctx;
  o->n_alerts++;
  if (o->common->format == NEWSQ_COUNT) return 0;
  if (begin_rule(o, r) != 0) return -1;
  if (!o->terms && !(o->terms = newsq_term_printer(o->common, TERM_COLUMNS_NEW, o->record)))
    return -1;
  o->terms->rule = o->common->format == NEWSQ_TEXT ? NULL : r->name;
  if (o->terms->row(o->terms, row, snippet) == 0) return emit(o);
  check(o);
  return -1;
}

/* Writes what is pending (a CSV header even without alerts, the count). */
static int on_finish(void *ctx) {
  alerts_output *o = ctx;
  if (o->common->format == NEWSQ_COUNT) {
    fprintf(o->record, "%ld\n", o->n_alerts);
  } else if (o->common->format == NEWSQ_CSV && !o->hits) {
    if (!(o->hits = newsq_printer(o->common, o->record))) return -1;
    o->hits->rule = ""; /* the header has the rule column */
  }
  int rc = end_text_group(o);
  rc |= emit(o);
  return rc || o->error ? -1 : 0;
}

static int run(newsidx_db *db, alerts_args *a, char **names, int n_names) {
  newsq_common *c = &a->common;
  alerts_output out = {c, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, 0};
  if (!(out.record = open_memstream(&out.record_text, &out.record_len)))
    return cli_error("newsq", "out of memory");
  int articles_only = c->format == NEWSQ_CSV || c->format == NEWSQ_IDS || c->format == NEWSQ_PATHS;
  alert_sink sink = {1 << RULE_QUERY | (articles_only ? 0 : 1 << RULE_NEW_TERMS),
                     SEARCH_WANT_META | SEARCH_WANT_SNIPPET,
                     MAX_EXAMPLES,
                     on_hit,
                     on_term,
                     on_finish,
                     &out,
                     &newsq_interrupted};
  if (c->format == NEWSQ_IDS || c->format == NEWSQ_COUNT) sink.want = 0;
  if (c->format == NEWSQ_PATHS) sink.want = SEARCH_WANT_META;
  if (c->format == NEWSQ_COUNT) sink.max_examples = 0;
  long n_alerts = 0;
  newsidx_error err = {0};
  int flags = a->peek || c->format == NEWSQ_COUNT ? ALERTS_PEEK : 0;
  newsidx_status_t status =
      alerts_run(db, (const char *const *)names, n_names, c->now, flags, &sink, &n_alerts, &err);
  if (status != NEWSIDX_OK) end_text_group(&out); /* frees what is left */
  fclose(out.record);
  free(out.record_text);
  if (status == NEWSIDX_IO && out.error && flags & ALERTS_PEEK) /* nothing to lose: as search */
    return newsq_output_failed(out.error, n_alerts > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE);
  if (status == NEWSIDX_IO && out.error)
    return cli_error("newsq", "writing the alerts failed: %s; no rule's mark was moved",
                     strerror(out.error));
  if (status != NEWSIDX_OK) return newsq_fail(&err);
  return n_alerts > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

int cmd_alerts(int argc, char **argv) {
  alerts_args a;
  memset(&a, 0, sizeof a);
  char **names = NULL;
  int n_names = 0;
  newsidx_db *db = NULL;
  int rc = newsq_common_init(&a.common);
  if (rc == 0)
    rc = newsq_parse_words("newsq alerts", argc, argv, options, on_option, &a, &names, &n_names);
  int writes = !a.peek && a.common.format != NEWSQ_COUNT;
  int turn = -1;
  if (rc == 0 && writes) newsq_start_timeout(a.common.timeout_ms); /* the wait counts */
  /* Consumers take turns: a second `newsq alerts` waits until the first has moved its marks,
  ** and only then reads, so no alert is printed twice; so do rule add and rule rm. */
  if (rc == 0 && writes) rc = newsq_take_turn(&a.common, &turn);
  if (rc == 0) rc = newsq_open(&a.common, writes, &db);
  if (rc == 0) rc = run(db, &a, names, n_names);
  newsq_close(db);
  if (turn >= 0) close(turn); /* the next consumer's turn */
  free(names);
  newsq_common_free(&a.common);
  return rc < 0 ? CLI_EXIT_OK : rc;
}
