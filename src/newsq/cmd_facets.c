/*
** cmd_facets.c — `newsq facets [options] [QUERY...]`: how the matches are spread over sources,
** tags and years, as bars (or JSON Lines, CSV). Sources and tags are listed by count, the top
** --top N (default 10; 0 for all); years in order. An empty query counts every article.
*/
#include "newsq.h"
#include "newsidx_query.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_TOP = NEWSQ_OPT_COMMAND };

static const cli_option options[] = {
    NEWSQ_COMMON_OPTIONS,
    {"top", 0, OPT_TOP, "N", "show the N most frequent sources and tags (default 10; 0: all)"},
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

typedef struct facets_args {
  newsq_common common;
  long top;
} facets_args;

/* The facets, in the order they are shown. */
enum { FACET_SOURCE, FACET_TAG, FACET_YEAR, N_FACETS };
static const char *const facet_names[N_FACETS] = {"source", "tag", "year"};

static void usage(FILE *out) {
  fprintf(out, "Usage: newsq facets [options] [QUERY...]\n\n"
               "Counts the articles that match QUERY (all of them when it is empty) by source,\n"
               "tag and year.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 something matched, 1 nothing matched, 2 error.\n");
}

static int on_option(void *ctx, int id, const char *arg) {
  facets_args *a = ctx;
  int rc = newsq_common_option(&a->common, id, arg, usage);
  if (rc != NEWSQ_NOT_COMMON) return rc;
  return cli_parse_int("newsq", "top", arg, 0, 1000000, &a->top);
}

typedef struct facet_counts {
  tally facets[N_FACETS];
  long matched;
} facet_counts;

static int on_match(void *ctx, const search_match *m) {
  facet_counts *f = ctx;
  f->matched++;
  if (m->source) tally_add(&f->facets[FACET_SOURCE], m->source, strlen(m->source));
  tally_add_list(&f->facets[FACET_TAG], m->tags);
  if (m->date && strlen(m->date) >= 4) tally_add(&f->facets[FACET_YEAR], m->date, 4);
  return 0;
}

/* Writes the rows of every facet. Returns 0, or -1 when the printer failed. */
static int print_facets(facet_counts *f, long top, tally_printer *p) {
  for (int k = 0; k < N_FACETS; k++) {
    tally *t = &f->facets[k];
    if (tally_sort(t, k == FACET_YEAR ? TALLY_BY_VALUE : TALLY_BY_COUNT) != 0) return -1;
    size_t n = t->n_entries;
    if (k != FACET_YEAR && top > 0 && (size_t)top < n) n = (size_t)top;
    for (size_t i = 0; i < n; i++) {
      tally_row row = {facet_names[k], t->entries[i].value, NULL, NULL, t->entries[i].count};
      if (p->row(p, &row) != 0) return -1;
    }
  }
  return p->finish(p);
}

static int run(newsidx_db *db, void *args, const char *query) {
  facets_args *a = args;
  facet_counts f;
  memset(&f, 0, sizeof f);
  int rc = newsq_scan(db, &a->common, query, on_match, &f);
  tally_printer *p = rc == 0 ? newsq_tally_printer(&a->common) : NULL;
  if (rc == 0 && !p) rc = cli_error("newsq", "out of memory");
  if (rc == 0 && print_facets(&f, a->top, p) != 0)
    rc =
        p->error ? newsq_output_failed(p->error, CLI_EXIT_OK) : cli_error("newsq", "out of memory");
  if (p) p->destroy(p);
  for (int k = 0; k < N_FACETS; k++)
    tally_free(&f.facets[k]);
  if (rc) return rc;
  return f.matched > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE;
}

int cmd_facets(int argc, char **argv) {
  facets_args a;
  memset(&a, 0, sizeof a);
  a.top = 10;
  return newsq_command("newsq facets", argc, argv, options, on_option, &a, &a.common, run, NULL);
}
