/*
** output_json.c — JSON Lines, one object per hit or per count, written with jansson:
**
**   {"rank":1,"id":17,"duplicate_of":null,"key":"/c/ecuador.txt","path":"/c/ecuador.txt",
**    "date":"2026-03-05","title":"…","headline":"…","source":null,"url":null,"author":null,
**    "lang":null,"tags":[],"score":7.31,"snippet":"… narco-terrorists …","matches":[[41,57]],
**    "title_matches":[]}
**   {"period":"1987-03","start":"1987-03-01","end":"1987-04-01","count":1520}
**   {"facet":"source","value":"Reuters","count":18813}
**   {"term":"viper","surface":"Viper","kind":"word","docs":3,"first_article":812,…}
**
** Alerts put "rule" first: {"rule":"cocoa","rank":1,"id":17,…}.
**
** `snippet` is plain text; `matches` lists [start, end) offsets of the highlighted words in
** it, counted in Unicode code points (as Python and most JSON consumers index strings).
** Strings are UTF-8, as JSON must be: in a file name that is not, each bad byte shows as
** U+FFFD, and "path_base64" follows "path" with the name's bytes.
*/
#include "output.h"
#include "snippet.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Splits a marked string into plain text (a JSON string) and its match offsets. */
static int unmark(const char *marked, json_t **text_out, json_t **matches_out) {
  size_t n = strlen(marked);
  char *plain = malloc(n + 1);
  json_t *matches = json_array();
  if (!plain || !matches) {
    free(plain);
    json_decref(matches);
    return -1;
  }
  size_t used = 0;
  long chars = 0, open_at = -1;
  for (const char *p = marked; *p; p++) {
    if (*p == SNIPPET_OPEN) {
      open_at = chars;
    } else if (*p == SNIPPET_CLOSE) {
      if (open_at >= 0)
        json_array_append_new(matches, json_pack("[II]", (json_int_t)open_at, (json_int_t)chars));
      open_at = -1;
    } else {
      plain[used++] = *p;
      if (((unsigned char)*p & 0xC0) != 0x80) chars++;
    }
  }
  *text_out = json_stringn(plain, used);
  free(plain);
  *matches_out = matches;
  if (!*text_out) json_decref(matches);
  return *text_out ? 0 : -1;
}

/* A JSON string, which must be UTF-8: bytes that are not (a file name can hold any) become
** U+FFFD. */
static json_t *string_or_null(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  char *repaired = newsidx_utf8_repair(s, strlen(s), NULL);
  j = repaired ? json_string(repaired) : NULL;
  free(repaired);
  return j;
}

/* The bytes of s in base64 (RFC 4648), for a name that is not UTF-8; NULL when out of memory. */
static json_t *base64(const char *s) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), used = 0;
  char *out = malloc((n + 2) / 3 * 4 + 1);
  if (!out) return NULL;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                 (i + 2 < n ? p[i + 2] : 0);
    out[used++] = digits[v >> 18 & 63];
    out[used++] = digits[v >> 12 & 63];
    out[used++] = i + 1 < n ? digits[v >> 6 & 63] : '=';
    out[used++] = i + 2 < n ? digits[v & 63] : '=';
  }
  json_t *j = json_stringn(out, used);
  free(out);
  return j;
}

/* "a,b , c" as ["a","b","c"]. */
static json_t *tag_list(const char *tags) {
  json_t *list = json_array();
  for (const char *p = tags; list && p && *p;) {
    const char *comma = strchr(p, ',');
    const char *end = comma ? comma : p + strlen(p);
    const char *s = p;
    while (s < end && *s == ' ')
      s++;
    const char *e = end;
    while (e > s && e[-1] == ' ')
      e--;
    if (e > s) json_array_append_new(list, json_stringn(s, (size_t)(e - s)));
    p = comma ? comma + 1 : end;
  }
  return list;
}

/* Writes `o` as one line and releases it. */
static int write_line(json_t *o, FILE *out, int *error) {
  int rc = o ? json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : -1;
  json_decref(o);
  if (rc == 0) putc('\n', out);
  if (output_check(out, error) != 0) return -1;
  return rc == 0 ? 0 : -1;
}

static int json_hit(printer *p, const search_hit *hit) {
  json_t *snippet = NULL, *matches = NULL, *title = NULL, *title_matches = NULL;
  if (unmark(hit->snippet ? hit->snippet : "", &snippet, &matches) != 0) return -1;
  if (hit->title_marked) {
    if (unmark(hit->title_marked, &title, &title_matches) != 0) {
      json_decref(snippet);
      json_decref(matches);
      return -1;
    }
  } else {
    title = string_or_null(hit->title);
    title_matches = json_array();
  }
  json_t *o = json_object();
  if (p->rule) json_object_set_new(o, "rule", json_string(p->rule));
  json_object_set_new(o, "rank", json_integer(hit->rank));
  json_object_set_new(o, "id", json_integer(hit->id));
  json_object_set_new(o, "duplicate_of",
                      hit->duplicate_of ? json_integer(hit->duplicate_of) : json_null());
  json_object_set_new(o, "key", string_or_null(hit->key));
  json_object_set_new(o, "path", string_or_null(hit->path));
  if (hit->path && !newsidx_utf8_valid(hit->path, strlen(hit->path)))
    json_object_set_new(o, "path_base64", base64(hit->path)); /* to open the file */
  json_object_set_new(o, "date", string_or_null(hit->date));
  json_object_set_new(o, "title", title);
  json_object_set_new(o, "headline", string_or_null(hit->headline));
  json_object_set_new(o, "source", string_or_null(hit->source));
  json_object_set_new(o, "url", string_or_null(hit->url));
  json_object_set_new(o, "author", string_or_null(hit->author));
  json_object_set_new(o, "lang", string_or_null(hit->lang));
  json_object_set_new(o, "tags", tag_list(hit->tags));
  json_object_set_new(o, "score", json_real(hit->score));
  json_object_set_new(o, "snippet", snippet);
  json_object_set_new(o, "matches", matches);
  json_object_set_new(o, "title_matches", title_matches);
  return write_line(o, p->out, &p->error);
}

printer *printer_json_new(FILE *out) {
  printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (printer){
      json_hit, printer_flush, printer_free, out, SEARCH_WANT_META | SEARCH_WANT_SNIPPET, 1, 0,
      0,        NULL};
  return p;
}

static int tally_json_row(tally_printer *p, const tally_row *row) {
  json_t *o = row->facet ? json_pack("{s:s, s:s?, s:I}", "facet", row->facet, "value", row->value,
                                     "count", (json_int_t)row->count)
                         : json_pack("{s:s?, s:s?, s:s?, s:I}", "period", row->value, "start",
                                     row->start, "end", row->end, "count", (json_int_t)row->count);
  return write_line(o, p->out, &p->error);
}

tally_printer *tally_json_new(FILE *out) {
  tally_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (tally_printer){tally_json_row, tally_flush, tally_printer_free, out, 0};
  return p;
}

static int term_json_row(term_printer *p, const term_row *row, const char *marked) {
  json_t *o = json_object();
  if (p->rule) json_object_set_new(o, "rule", json_string(p->rule));
  json_object_set_new(o, "term", json_string(row->term));
  json_object_set_new(o, "surface", json_string(row->surface));
  json_object_set_new(o, "kind", json_string(row->is_name ? "name" : "word"));
  if (p->columns == TERM_COLUMNS_TRENDING) {
    json_object_set_new(o, "score", json_real(row->score));
    json_object_set_new(o, "docs", json_integer(row->n_docs));
    json_object_set_new(o, "baseline_docs", json_integer(row->n_baseline));
    json_object_set_new(o, "window_articles", json_integer(row->window_articles));
    json_object_set_new(o, "baseline_articles", json_integer(row->baseline_articles));
    return write_line(o, p->out, &p->error);
  }
  json_object_set_new(o, "docs", json_integer(row->n_docs));
  json_object_set_new(o, "first_article", json_integer(row->first_article));
  json_object_set_new(o, "first_date", string_or_null(row->first_date));
  json_object_set_new(o, "first_indexed", string_or_null(row->first_indexed));
  json_t *snippet = NULL, *matches = NULL;
  if (marked && unmark(marked, &snippet, &matches) != 0) {
    json_decref(o);
    return -1;
  }
  json_object_set_new(o, "snippet", snippet ? snippet : json_null());
  json_object_set_new(o, "matches", matches ? matches : json_array());
  return write_line(o, p->out, &p->error);
}

term_printer *term_json_new(FILE *out, term_columns columns) {
  term_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (term_printer){term_json_row, term_flush, term_printer_free, out, columns, 0, NULL};
  return p;
}
