/*
** output_csv.c — RFC 4180 CSV: a header row, then one row per hit or per count, CRLF line
** ends. Snippets are plain text (no markers); the match offsets are JSON's business.
**
**   rank,id,duplicate_of,key,path,date,title,source,url,score,snippet
**
** Alerts put the rule first (rule,rank,id,…); terms have their own columns (output.h).
** Fields are UTF-8: in a file name that is not, each bad byte shows as U+FFFD.
*/
#include "output.h"
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

void output_csv_field(FILE *out, const char *field) {
  if (!field) return;
  char *repaired = NULL; /* a file name that is not UTF-8: its bad bytes as U+FFFD */
  if (!newsidx_utf8_valid(field, strlen(field)) &&
      (repaired = newsidx_utf8_repair(field, strlen(field), NULL)))
    field = repaired;
  if (!strpbrk(field, ",\"\r\n")) {
    fputs(field, out);
  } else {
    putc('"', out);
    for (const char *p = field; *p; p++) {
      if (*p == '"') putc('"', out);
      putc(*p, out);
    }
    putc('"', out);
  }
  free(repaired);
}

/* A marked string as a plain CSV field. */
static void csv_unmarked(FILE *out, const char *marked) {
  if (!marked) return;
  size_t n = strlen(marked);
  char *plain = malloc(n + 1);
  if (!plain) return;
  size_t used = 0;
  for (const char *p = marked; *p; p++)
    if (*p != SNIPPET_OPEN && *p != SNIPPET_CLOSE) plain[used++] = *p;
  plain[used] = '\0';
  output_csv_field(out, plain);
  free(plain);
}

typedef struct csv_printer {
  printer base;
  int header_done;
} csv_printer;

/* The header comes first, even when no row follows, so an empty result still parses. */
static void csv_header(csv_printer *p) {
  if (p->header_done) return;
  if (p->base.rule) fputs("rule,", p->base.out);
  fputs("rank,id,duplicate_of,key,path,date,title,source,url,score,snippet\r\n", p->base.out);
  p->header_done = 1;
}

static int csv_hit(printer *base, const search_hit *hit) {
  FILE *out = base->out;
  csv_header((csv_printer *)base);
  if (base->rule) {
    output_csv_field(out, base->rule);
    putc(',', out);
  }
  fprintf(out, "%ld,%lld,", hit->rank, (long long)hit->id);
  if (hit->duplicate_of) fprintf(out, "%lld", (long long)hit->duplicate_of);
  const char *fields[] = {hit->key, hit->path, hit->date, hit->title, hit->source, hit->url};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    putc(',', out);
    output_csv_field(out, fields[i]);
  }
  fprintf(out, ",%.6g,", hit->score);
  csv_unmarked(out, hit->snippet);
  fputs("\r\n", out);
  return output_check(out, &base->error);
}

static int csv_finish(printer *base, long n_hits, long total) {
  csv_header((csv_printer *)base);
  return printer_flush(base, n_hits, total);
}

printer *printer_csv_new(FILE *out) {
  csv_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base =
      (printer){csv_hit, csv_finish, printer_free, out, SEARCH_WANT_META | SEARCH_WANT_SNIPPET, 1,
                0,       0,          NULL};
  return &p->base;
}

typedef struct tally_csv {
  tally_printer base;
  int header_done;
} tally_csv;

static int tally_csv_row(tally_printer *base, const tally_row *row) {
  tally_csv *p = (tally_csv *)base;
  FILE *out = base->out;
  if (!p->header_done) {
    fputs(row->facet ? "facet,value,count\r\n" : "period,start,end,count\r\n", out);
    p->header_done = 1;
  }
  if (row->facet) {
    output_csv_field(out, row->facet);
    putc(',', out);
    output_csv_field(out, row->value);
  } else {
    output_csv_field(out, row->value);
    putc(',', out);
    output_csv_field(out, row->start);
    putc(',', out);
    output_csv_field(out, row->end);
  }
  fprintf(out, ",%ld\r\n", row->count);
  return output_check(out, &base->error);
}

tally_printer *tally_csv_new(FILE *out) {
  tally_csv *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base = (tally_printer){tally_csv_row, tally_flush, tally_printer_free, out, 0};
  return &p->base;
}

typedef struct term_csv {
  term_printer base;
  int header_done;
} term_csv;

static void term_csv_header(term_csv *p) {
  if (p->header_done) return;
  if (p->base.rule) fputs("rule,", p->base.out);
  fputs(p->base.columns == TERM_COLUMNS_TRENDING
            ? "term,surface,kind,score,docs,baseline_docs,window_articles,baseline_articles\r\n"
            : "term,surface,kind,docs,first_article,first_date,snippet\r\n",
        p->base.out);
  p->header_done = 1;
}

static int term_csv_row(term_printer *base, const term_row *row, const char *snippet) {
  FILE *out = base->out;
  term_csv_header((term_csv *)base);
  const char *fields[] = {base->rule, row->term, row->surface, row->is_name ? "name" : "word"};
  for (size_t i = base->rule ? 0 : 1; i < sizeof fields / sizeof fields[0]; i++) {
    output_csv_field(out, fields[i]);
    putc(',', out);
  }
  if (base->columns == TERM_COLUMNS_TRENDING) {
    fprintf(out, "%.6g,%lld,%lld,%lld,%lld\r\n", row->score, row->n_docs, row->n_baseline,
            row->window_articles, row->baseline_articles);
  } else {
    fprintf(out, "%lld,%lld,", row->n_docs, (long long)row->first_article);
    output_csv_field(out, row->first_date);
    putc(',', out);
    csv_unmarked(out, snippet);
    fputs("\r\n", out);
  }
  return output_check(out, &base->error);
}

static int term_csv_finish(term_printer *base) {
  term_csv_header((term_csv *)base);
  return term_flush(base);
}

term_printer *term_csv_new(FILE *out, term_columns columns) {
  term_csv *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base = (term_printer){term_csv_row, term_csv_finish, term_printer_free, out, columns, 0, NULL};
  return &p->base;
}
