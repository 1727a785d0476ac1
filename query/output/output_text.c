/*
** output_text.c — results for people, and the helpers every backend shares:
**
**   1. 2026-03-05 · Reuters · Ecuador steps up fight against narco-terrorism
**      /home/ana/corpus/ecuador.txt
**      … demonstrating courage and resolve through continued actions against **narco-terrorists** …
**      = duplicate 1987-03-02 · Reuters · /data/feed.jsonl · reuters-17
**
** Terms: the number of articles, the spelling, where it was first seen, an example:
**
**       3  Pacific Viper (name) · first 1987-03-02 · article 812
**          … launched **Pacific Viper**, an operation against …
**
** A record of a JSON Lines file shows the file and the record's key. Matches are between **
** when piped, in bold red on a terminal (--color). What comes from the index is written
** through output_write_safe(): control characters and bytes that are not UTF-8 in a file name,
** a title or a snippet never reach the terminal as they are.
*/
#include "output.h"
#include "snippet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ANSI_MATCH  "\033[1;31m"
#define ANSI_TITLE  "\033[1m"
#define ANSI_SOURCE "\033[36m"
#define ANSI_DIM    "\033[2m"
#define ANSI_RESET  "\033[0m"

typedef struct text_printer {
  printer base;
  highlight_style style;
  long n_printed; /* hits written, for the blank line between two */
} text_printer;

int output_check(FILE *out, int *error) {
  if (!ferror(out)) return 0;
  if (!*error) *error = errno ? errno : EIO;
  return -1;
}

void output_write_escaped(FILE *out, const char *s, size_t n, int flags) {
  char buf[1024];
  if (newsidx_text_escape(s, n, flags, buf, sizeof buf) < sizeof buf) {
    fputs(buf, out);
    return;
  }
  char *big = newsidx_text_escaped(s, n, flags);
  fputs(big ? big : buf, out); /* out of memory: cut short, but still safe */
  free(big);
}

void output_write_safe(FILE *out, const char *s, int flags) {
  if (s) output_write_escaped(out, s, strlen(s), flags);
}

void output_write_marked(FILE *out, const char *marked, const char *open, const char *close) {
  for (const char *p = marked; *p;) {
    if (*p == SNIPPET_OPEN || *p == SNIPPET_CLOSE) {
      fputs(*p == SNIPPET_OPEN ? open : close, out);
      p++;
      continue;
    }
    size_t n = strcspn(p, (const char[]){SNIPPET_OPEN, SNIPPET_CLOSE, '\0'});
    output_write_escaped(out, p, n, NEWSIDX_ESCAPE_PROSE);
    p += n;
  }
}

/* "path · key" for a record of a multi-article file, "path" for a file, else the key. */
static void write_location(FILE *out, const search_hit *hit) {
  if (hit->path && hit->key && strcmp(hit->path, hit->key) != 0) {
    output_write_safe(out, hit->path, NEWSIDX_ESCAPE_NAME);
    fputs(" · ", out);
    output_write_safe(out, hit->key, NEWSIDX_ESCAPE_NAME);
  } else {
    output_write_safe(out, hit->path ? hit->path : hit->key, NEWSIDX_ESCAPE_NAME);
  }
}

static int text_hit(printer *base, const search_hit *hit) {
  text_printer *p = (text_printer *)base;
  FILE *out = base->out;
  int ansi = p->style == HIGHLIGHT_ANSI;
  if (hit->duplicate_of) { /* one line under its original */
    fprintf(out, "   %s= duplicate ", ansi ? ANSI_DIM : "");
    if (hit->date) fprintf(out, "%.10s · ", hit->date);
    if (hit->source) {
      output_write_safe(out, hit->source, NEWSIDX_ESCAPE_PROSE);
      fputs(" · ", out);
    }
    write_location(out, hit);
    fprintf(out, "%s\n", ansi ? ANSI_RESET : "");
    return output_check(out, &base->error);
  }
  if (p->n_printed++) fputc('\n', out);
  fprintf(out, "%s%ld.%s ", ansi ? ANSI_DIM : "", hit->rank, ansi ? ANSI_RESET : "");
  if (hit->date) fprintf(out, "%.10s · ", hit->date);
  if (hit->source) {
    fputs(ansi ? ANSI_SOURCE : "", out);
    output_write_safe(out, hit->source, NEWSIDX_ESCAPE_PROSE);
    fprintf(out, "%s · ", ansi ? ANSI_RESET : "");
  }
  if (ansi) fputs(ANSI_TITLE, out);
  if (hit->title_marked)
    output_write_marked(out, hit->title_marked, ansi ? ANSI_MATCH : "**",
                        ansi ? ANSI_RESET ANSI_TITLE : "**");
  else
    output_write_safe(out, hit->headline, NEWSIDX_ESCAPE_PROSE);
  if (ansi) fputs(ANSI_RESET, out);
  fputc('\n', out);
  fprintf(out, "   %s", ansi ? ANSI_DIM : "");
  write_location(out, hit);
  fprintf(out, "%s\n", ansi ? ANSI_RESET : "");
  if (hit->snippet && *hit->snippet) {
    fputs("   ", out);
    output_write_marked(out, hit->snippet, ansi ? ANSI_MATCH : "**", ansi ? ANSI_RESET : "**");
    fputc('\n', out);
  }
  return output_check(out, &base->error);
}

int printer_flush(printer *p, long n_hits, long total) {
  fflush(p->out);
  return output_check(p->out, &p->error);
}

void printer_free(printer *p) { free(p); }

int tally_flush(tally_printer *p) {
  fflush(p->out);
  return output_check(p->out, &p->error);
}

void tally_printer_free(tally_printer *p) { free(p); }

int term_flush(term_printer *p) {
  fflush(p->out);
  return output_check(p->out, &p->error);
}

void term_printer_free(term_printer *p) { free(p); }

printer *printer_text_new(FILE *out, highlight_style style) {
  text_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base = (printer){
      text_hit, printer_flush, printer_free, out, SEARCH_WANT_META | SEARCH_WANT_SNIPPET, 1, 0,
      0,        NULL};
  p->style = style;
  return &p->base;
}

typedef struct term_text {
  term_printer base;
  highlight_style style;
  long n_rows;
} term_text;

/* "12.5%" of `part` in `whole` articles, or "-" when there are none. */
static void write_share(FILE *out, long long part, long long whole) {
  if (whole > 0)
    fprintf(out, "%6lld %5.1f%%", part, 100.0 * (double)part / (double)whole);
  else
    fprintf(out, "%6lld     -", part);
}

static int term_text_row(term_printer *base, const term_row *row, const char *snippet) {
  term_text *p = (term_text *)base;
  FILE *out = base->out;
  int ansi = p->style == HIGHLIGHT_ANSI;
  const char *kind = row->is_name ? " (name)" : "";
  if (base->columns == TERM_COLUMNS_TRENDING) {
    if (p->n_rows++ == 0)
      fprintf(out, "%10s  %13s  %13s  term (G² over %lld window and %lld baseline articles)\n",
              "score", "window", "baseline", row->window_articles, row->baseline_articles);
    fprintf(out, "%10.1f  ", row->score);
    write_share(out, row->n_docs, row->window_articles);
    fputs("  ", out);
    write_share(out, row->n_baseline, row->baseline_articles);
    fprintf(out, "  %s", ansi ? ANSI_TITLE : "");
    output_write_safe(out, row->surface, NEWSIDX_ESCAPE_PROSE);
    fprintf(out, "%s%s\n", ansi ? ANSI_RESET : "", kind);
    return output_check(out, &base->error);
  }
  if (snippet && p->n_rows) fputc('\n', out);
  p->n_rows++;
  fprintf(out, "%6lld  %s", row->n_docs, ansi ? ANSI_TITLE : "");
  output_write_safe(out, row->surface, NEWSIDX_ESCAPE_PROSE);
  fprintf(out, "%s%s", ansi ? ANSI_RESET : "", kind);
  fprintf(out, "%s · first %.10s · article %lld%s\n", ansi ? ANSI_DIM : "",
          row->first_date ? row->first_date : "undated", (long long)row->first_article,
          ansi ? ANSI_RESET : "");
  if (snippet && *snippet) {
    fputs("        ", out);
    output_write_marked(out, snippet, ansi ? ANSI_MATCH : "**", ansi ? ANSI_RESET : "**");
    fputc('\n', out);
  }
  return output_check(out, &base->error);
}

term_printer *term_text_new(FILE *out, term_columns columns, highlight_style style) {
  term_text *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base = (term_printer){term_text_row, term_flush, term_printer_free, out, columns, 0, NULL};
  p->style = style;
  return &p->base;
}
