/*
** output_text.c — results for people:
**
**   1. 2026-03-05 · Reuters · Ecuador steps up fight against narco-terrorism
**      /home/ana/corpus/ecuador.txt
**      … demonstrating courage and resolve through continued actions against **narco-terrorists** …
*/
#include "output.h"
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_printer {
  printer base;
  highlight_style style;
} text_printer;

#define ANSI_MATCH "\033[1;31m"
#define ANSI_TITLE "\033[1m"
#define ANSI_DIM   "\033[2m"
#define ANSI_RESET "\033[0m"

int output_write_marked(FILE *out, const char *marked, const char *open, const char *close) {
  for (const char *p = marked; *p; p++) {
    if (*p == SNIPPET_OPEN)
      fputs(open, out);
    else if (*p == SNIPPET_CLOSE)
      fputs(close, out);
    else
      putc(*p, out);
  }
  return ferror(out) ? -1 : 0;
}

static int text_hit(printer *base, const search_hit *hit) {
  text_printer *p = (text_printer *)base;
  FILE *out = base->out;
  int ansi = p->style == HIGHLIGHT_ANSI;
  const char *open = ansi ? ANSI_MATCH : "**";
  const char *close = ansi ? ANSI_RESET : "**";

  fprintf(out, "%ld. ", hit->rank);
  if (hit->date) fprintf(out, "%.10s · ", hit->date);
  if (hit->source) fprintf(out, "%s · ", hit->source);
  if (ansi) fputs(ANSI_TITLE, out);
  if (hit->title_marked)
    output_write_marked(out, hit->title_marked, open, ansi ? ANSI_RESET ANSI_TITLE : close);
  else
    fputs(hit->headline, out);
  if (ansi) fputs(ANSI_RESET, out);
  fputc('\n', out);
  fprintf(out, "   %s%s%s\n", ansi ? ANSI_DIM : "", hit->path ? hit->path : hit->key,
          ansi ? ANSI_RESET : "");
  if (hit->snippet && *hit->snippet) {
    fputs("   ", out);
    output_write_marked(out, hit->snippet, open, close);
    fputc('\n', out);
  }
  fputc('\n', out);
  return ferror(out) ? -1 : 0;
}

static int text_finish(printer *base, long n_hits) { return fflush(base->out) == 0 ? 0 : -1; }

static void text_destroy(printer *base) { free(base); }

printer *printer_text_new(FILE *out, highlight_style style) {
  text_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base = (printer){text_hit, text_finish, text_destroy, out};
  p->style = style;
  return &p->base;
}
