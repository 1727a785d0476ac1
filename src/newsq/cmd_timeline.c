/*
** cmd_timeline.c — `newsq timeline [options] [QUERY...]`: how many articles matched per day,
** week, month or year, as a bar chart (or JSON Lines, CSV). The unit is chosen from the span
** of the matches unless --by names one; periods without matches are shown, with 0. Articles
** without a date are counted on a last line, "undated". An empty query counts every article.
*/
#include "newsq.h"
#include "newsidx_query.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_BY = NEWSQ_OPT_COMMAND };

static const cli_option options[] = {
    NEWSQ_COMMON_OPTIONS,
    {"by", 0, OPT_BY, "UNIT", "day, week, month, year or auto (default: from the span)"},
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

typedef struct timeline_args {
  newsq_common common;
  timeline_unit unit;
} timeline_args;

static void usage(FILE *out) {
  fprintf(out, "Usage: newsq timeline [options] [QUERY...]\n\n"
               "Counts the articles that match QUERY (all of them when it is empty) per day,\n"
               "week, month or year, and draws the counts as bars.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 something matched, 1 nothing matched, 2 error.\n");
}

static int on_option(void *ctx, int id, const char *arg) {
  static const char *const units[] = {"auto", "day", "week", "month", "year", NULL};
  timeline_args *a = ctx;
  int rc = newsq_common_option(&a->common, id, arg, usage);
  if (rc != NEWSQ_NOT_COMMON) return rc;
  int unit = 0;
  rc = cli_parse_choice("newsq", "by", arg, units, &unit);
  a->unit = (timeline_unit)unit;
  return rc;
}

static int on_match(void *ctx, const search_match *m) {
  timeline_add(ctx, m->date);
  return 0;
}

static int on_period(void *ctx, const char *label, const char *start, const char *end, long count) {
  tally_printer *p = ctx;
  tally_row row = {NULL, label, start, end, count};
  return p->row(p, &row);
}

static int run(newsidx_db *db, void *args, const char *query) {
  timeline_args *a = args;
  timeline t = {0};
  int rc = newsq_scan(db, &a->common, query, on_match, &t);
  if (rc == 0 && t.failed) rc = cli_error("newsq", "out of memory");
  long matched = (long)t.n + t.undated;
  tally_printer *p = rc == 0 ? newsq_tally_printer(&a->common) : NULL;
  if (rc == 0 && !p) rc = cli_error("newsq", "out of memory");
  if (rc == 0 && timeline_periods(&t, a->unit, on_period, p) != 0) rc = -1;
  if (rc == 0 && t.undated > 0) {
    tally_row row = {NULL, "undated", NULL, NULL, t.undated};
    if (p->row(p, &row) != 0) rc = -1;
  }
  if (rc == 0 && p->finish(p) != 0) rc = -1;
  if (rc < 0)
    rc =
        p->error ? newsq_output_failed(p->error, CLI_EXIT_OK) : cli_error("newsq", "out of memory");
  if (p) p->destroy(p);
  timeline_free(&t);
  if (rc) return rc;
  return matched > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

int cmd_timeline(int argc, char **argv) {
  timeline_args a;
  memset(&a, 0, sizeof a);
  return newsq_command("newsq timeline", argc, argv, options, on_option, &a, &a.common, run, NULL);
}
