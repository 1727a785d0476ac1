/*
** output_bars.c — counts as a bar chart for people (newsq timeline, newsq facets):
**
**   1987-03-02  ████████████████████████████▍ 1523
**   1987-03-09  ██████████████████▊           1011
**
** Bars are scaled so that the largest count of a group fills the room left by the labels and
** the counts in `width` columns; a bar's end is drawn in eighths of a column (▏▎▍▌▋▊▉), and a
** non-zero count always gets at least one eighth. Facets get a heading per facet. Labels come
** from the index (sources, tags) and are escaped as output_write_safe() does.
*/
#include "output.h"

#include <stdlib.h>
#include <string.h>

#define MIN_BAR 10 /* columns, however narrow the terminal */

typedef struct stored_row {
  char *facet, *value;
  long count;
} stored_row;

typedef struct bars_printer {
  tally_printer base;
  int width;
  highlight_style style;
  stored_row *rows;
  size_t n, cap;
} bars_printer;

/* A copy of a label, safe to draw (output_write_safe()'s escapes), or NULL. */
static char *copy_or_null(const char *s) {
  return s ? newsidx_text_escaped(s, strlen(s), NEWSIDX_ESCAPE_PROSE) : NULL;
}

static int bars_row(tally_printer *base, const tally_row *row) {
  bars_printer *p = (bars_printer *)base;
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 64;
    stored_row *grown = realloc(p->rows, cap * sizeof *grown);
    if (!grown) return -1;
    p->rows = grown;
    p->cap = cap;
  }
  stored_row *r = &p->rows[p->n];
  r->facet = copy_or_null(row->facet);
  r->value = copy_or_null(row->value ? row->value : "(none)");
  r->count = row->count;
  if ((row->facet && !r->facet) || !r->value) {
    free(r->facet);
    free(r->value);
    return -1;
  }
  p->n++;
  return 0;
}

/* Display width of a UTF-8 string, one column per character. */
static int columns(const char *s) {
  int n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static int digits(long n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    d++;
  }
  return d;
}

static int same_facet(const stored_row *a, const stored_row *b) {
  if (!a->facet || !b->facet) return !a->facet && !b->facet;
  return strcmp(a->facet, b->facet) == 0;
}

/* Draws rows [from, to), one group. */
static void draw_group(bars_printer *p, size_t from, size_t to) {
  static const char *const eighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  FILE *out = p->base.out;
  int ansi = p->style == HIGHLIGHT_ANSI;
  int indent = p->rows[from].facet ? 2 : 0, label = 0, count = 1;
  long max = 0;
  for (size_t i = from; i < to; i++) {
    if (columns(p->rows[i].value) > label) label = columns(p->rows[i].value);
    if (digits(p->rows[i].count) > count) count = digits(p->rows[i].count);
    if (p->rows[i].count > max) max = p->rows[i].count;
  }
  int room = p->width - indent - label - 2 - 1 - count;
  if (room < MIN_BAR) room = MIN_BAR;
  if (p->rows[from].facet)
    fprintf(out, "%s%s%s\n", ansi ? "\033[1m" : "", p->rows[from].facet, ansi ? "\033[0m" : "");
  for (size_t i = from; i < to; i++) {
    const stored_row *r = &p->rows[i];
    long long units = max > 0 ? ((long long)r->count * room * 8 + max / 2) / max : 0;
    if (r->count > 0 && units == 0) units = 1;
    fprintf(out, "%*s%s%*s  %s", indent, "", r->value, label - columns(r->value), "",
            ansi ? "\033[36m" : "");
    for (long long k = 0; k < units / 8; k++)
      fputs("█", out);
    fputs(eighths[units % 8], out);
    fprintf(out, "%s%*s %*ld\n", ansi ? "\033[0m" : "", (int)(room - (units + 7) / 8), "", count,
            r->count);
  }
}

static int bars_finish(tally_printer *base) {
  bars_printer *p = (bars_printer *)base;
  for (size_t from = 0; from < p->n;) {
    size_t to = from + 1;
    while (to < p->n && same_facet(&p->rows[from], &p->rows[to]))
      to++;
    if (from > 0) fputc('\n', base->out);
    draw_group(p, from, to);
    from = to;
  }
  return tally_flush(base);
}

static void bars_destroy(tally_printer *base) {
  bars_printer *p = (bars_printer *)base;
  for (size_t i = 0; i < p->n; i++) {
    free(p->rows[i].facet);
    free(p->rows[i].value);
  }
  free(p->rows);
  free(p);
}

tally_printer *tally_text_new(FILE *out, int width, highlight_style style) {
  bars_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base = (tally_printer){bars_row, bars_finish, bars_destroy, out, 0};
  p->width = width > 0 ? width : 80;
  p->style = style;
  return &p->base;
}
