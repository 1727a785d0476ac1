/*
** output.h — one interface for every output format of newsq (part of the query library's API).
**
** A printer receives the hits one by one and writes them in its format; all formats see the
** same search_hit, so they never disagree about what a result contains:
**
**   text    for people: "date · source · title", path, snippet; colour on request
**   json    JSON Lines, one object per hit (jansson)
**   csv     RFC 4180: a header row, then one row per hit, CRLF line ends
**   ids     one article id per line
**   paths   each file that holds a hit, once, in rank order (like grep -l); the names as
**           they are, for scripts, except on a terminal, where they are escaped like text's
**   count   the number of matches: the whole result, not the page
**
** A printer says what it needs (`want`: SEARCH_WANT_* of each hit; `needs_hits`,
** `needs_total`), so the caller fetches no more than that. Timelines and facets are counts,
** not hits; their rows go through the tally printer below, with text (bar chart), json and
** csv backends. Printers write to their FILE only; diagnostics go to stderr, never here.
**
** Write errors: every function returns 0, or -1 once a write has failed (a closed pipe, a full
** disk), and records the errno in `error`; the caller decides (newsq stops quietly on EPIPE).
*/
#ifndef NEWSIDX_OUTPUT_H
#define NEWSIDX_OUTPUT_H

#include "rank/search.h"
#include "monitor/terms.h"

#include <stdio.h>

typedef struct printer printer;

struct printer {
  /* Writes one hit. */
  int (*hit)(printer *p, const search_hit *hit);
  /* Ends the output: n_hits were written; total is the full count, or -1 when not counted. */
  int (*finish)(printer *p, long n_hits, long total);
  void (*destroy)(printer *p);
  FILE *out;
  int want;        /* SEARCH_WANT_* this printer uses */
  int needs_hits;  /* calls hit() */
  int needs_total; /* uses finish()'s total */
  int error;       /* errno of the first failed write, 0 if none */
  /* Alerts: the rule the next hits belong to, shown as a "rule" field (json) or a first
  ** column (csv, whose header then has it: set it before the first hit). NULL for searches. */
  const char *rule;
};

/* How matches are marked in text output. */
typedef enum highlight_style {
  HIGHLIGHT_PLAIN = 0, /* **word** */
  HIGHLIGHT_ANSI = 1   /* colour escape sequences, for terminals */
} highlight_style;

/* Constructors; each returns NULL when out of memory. */
printer *printer_text_new(FILE *out, highlight_style style);
printer *printer_json_new(FILE *out);
printer *printer_csv_new(FILE *out);
printer *printer_ids_new(FILE *out);
printer *printer_paths_new(FILE *out);
printer *printer_count_new(FILE *out);

/* The paths printer for output that ends up on a terminal (`terminal`: names escaped as
** text's are) or not, whatever `out` is: printer_paths_new() asks `out` itself. */
printer *printer_paths_for(FILE *out, int terminal);

/* Records a failed write on `out` in *error (once) and returns -1; returns 0 when out has no
** error. Every backend ends its writes with this. */
int output_check(FILE *out, int *error);

/* finish() and destroy() for backends with nothing to add: flush, and free(p). */
int printer_flush(printer *p, long n_hits, long total);
void printer_free(printer *p);

/* Copies `marked` (with SNIPPET_OPEN/SNIPPET_CLOSE) to `out` with the markers replaced by
** `open` and `close`, and the text between them as output_write_safe() writes prose. */
void output_write_marked(FILE *out, const char *marked, const char *open, const char *close);

/* Writes text from the index for people, on one line: control characters and bytes that are
** not UTF-8 escaped, white space as `flags` says (newsidx_text_escape(): NEWSIDX_ESCAPE_NAME
** for a file name or key, NEWSIDX_ESCAPE_PROSE for a title or snippet). NULL writes nothing. */
void output_write_safe(FILE *out, const char *s, int flags);

/* The same for the n bytes at s. */
void output_write_escaped(FILE *out, const char *s, size_t n, int flags);

/* Writes one CSV field (RFC 4180): as it is, or in double quotes with inner quotes doubled when
** it holds a comma, a quote, CR or LF; bytes that are not UTF-8 as U+FFFD. NULL writes an empty
** field. */
void output_csv_field(FILE *out, const char *field);

/* ---- counts: timelines and facets ---- */

/* One row of counts. A timeline row has `period` (its label, "1987-03" or "1987-03-02" for
** the week starting that Monday) with [start, end); a facet row has `facet` ("source", "tag",
** "year") and `value`. */
typedef struct tally_row {
  const char *facet; /* NULL for a timeline row */
  const char *value; /* the facet value, or the period's label */
  const char *start, *end;
  long count;
} tally_row;

typedef struct tally_printer tally_printer;

struct tally_printer {
  int (*row)(tally_printer *p, const tally_row *row);
  int (*finish)(tally_printer *p);
  void (*destroy)(tally_printer *p);
  FILE *out;
  int error;
};

/* Text: one line per row, a bar of block characters (█ and the eighths ▏▎▍▌▋▊▉) scaled so the
** largest count fills the room `width` columns leave after the labels, and the count; facets
** under a heading per facet. Rows are kept until finish(), which draws them. */
tally_printer *tally_text_new(FILE *out, int width, highlight_style style);
/* JSON Lines: {"period","start","end","count"} or {"facet","value","count"}. */
tally_printer *tally_json_new(FILE *out);
/* CSV with a header: period,start,end,count or facet,value,count. */
tally_printer *tally_csv_new(FILE *out);

/* finish() and destroy() for tally backends with nothing to add. */
int tally_flush(tally_printer *p);
void tally_printer_free(tally_printer *p);

/* ---- terms: new and trending ---- */

typedef enum term_columns {
  TERM_COLUMNS_NEW = 0,     /* docs, first article, first date, an example snippet */
  TERM_COLUMNS_TRENDING = 1 /* score, docs in the window and in the baseline */
} term_columns;

typedef struct term_printer term_printer;

/* Rows of `newsq terms` and of new-terms alerts. `snippet` (may be NULL) is an example passage
** with SNIPPET_OPEN/SNIPPET_CLOSE around the term. Return values and `error` as for printers. */
struct term_printer {
  int (*row)(term_printer *p, const term_row *row, const char *snippet);
  int (*finish)(term_printer *p);
  void (*destroy)(term_printer *p);
  FILE *out;
  term_columns columns;
  int error;
  const char *rule; /* alerts: as printer.rule */
};

/* Text: one line per term (the count, the spelling, "name" for names, and the first date or
** the counts in both periods), the snippet indented under it; trending starts with a header. */
term_printer *term_text_new(FILE *out, term_columns columns, highlight_style style);
/* JSON Lines: {"term","surface","kind","docs","first_article","first_date","first_indexed",
** "snippet"} or {"term","surface","kind","score","docs","baseline_docs","window_articles",
** "baseline_articles"}, with "rule" first for alerts. */
term_printer *term_json_new(FILE *out, term_columns columns);
/* CSV with a header: term,surface,kind,docs,first_article,first_date,snippet or
** term,surface,kind,score,docs,baseline_docs,window_articles,baseline_articles (rule first for
** alerts). */
term_printer *term_csv_new(FILE *out, term_columns columns);

/* finish() and destroy() for term backends with nothing to add. */
int term_flush(term_printer *p);
void term_printer_free(term_printer *p);

#endif
