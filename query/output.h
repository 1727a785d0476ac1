/*
** output.h — one interface for every output format of newsq (internal to query/).
**
** A printer receives the hits one by one and writes them in its format: text for people,
** JSON Lines for scripts. All formats see the same search_hit, so they never disagree about
** what a result contains. Printers write to standard output only; diagnostics go to stderr.
*/
#ifndef NEWSIDX_OUTPUT_H
#define NEWSIDX_OUTPUT_H

#include "search.h"

#include <stdio.h>

typedef struct printer printer;

struct printer {
  /* Writes one hit; returns 0, or -1 when the output failed (a closed pipe, a full disk). */
  int (*hit)(printer *p, const search_hit *hit);
  /* Finishes the output after the last hit; returns 0 or -1 like hit. */
  int (*finish)(printer *p, long n_hits);
  void (*destroy)(printer *p);
  FILE *out;
};

/* How matches are marked in text output. */
typedef enum highlight_style {
  HIGHLIGHT_PLAIN = 0, /* **word** */
  HIGHLIGHT_ANSI = 1   /* bold (and colour) escape sequences, for terminals */
} highlight_style;

printer *printer_text_new(FILE *out, highlight_style style);
printer *printer_json_new(FILE *out);

/* Copies `marked` (with SNIPPET_OPEN/SNIPPET_CLOSE) to `out` with the markers replaced by
** `open` and `close`. Returns 0 or -1 on a write error. */
int output_write_marked(FILE *out, const char *marked, const char *open, const char *close);

#endif
