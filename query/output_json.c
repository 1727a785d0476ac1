/*
** output_json.c — results as JSON Lines, one object per hit, written with jansson:
**
**   {"rank":1,"id":17,"key":"/c/ecuador.txt","path":"/c/ecuador.txt","date":"2026-03-05",
**    "title":"…","source":null,"url":null,"score":7.31,"snippet":"… narco-terrorists …",
**    "matches":[[41,57]],"title_matches":[]}
**
** `snippet` is plain text; `matches` lists [start, end) offsets of the highlighted words in
** it, counted in Unicode code points (as Python and most JSON consumers index strings).
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
  return *text_out ? 0 : -1;
}

static json_t *string_or_null(const char *s) { return s ? json_string(s) : json_null(); }

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
    title = json_null();
    title_matches = json_array();
  }
  json_t *o = json_object();
  json_object_set_new(o, "rank", json_integer(hit->rank));
  json_object_set_new(o, "id", json_integer(hit->id));
  json_object_set_new(o, "key", string_or_null(hit->key));
  json_object_set_new(o, "path", string_or_null(hit->path));
  json_object_set_new(o, "date", string_or_null(hit->date));
  json_object_set_new(o, "title", title);
  json_object_set_new(o, "headline", string_or_null(hit->headline));
  json_object_set_new(o, "source", string_or_null(hit->source));
  json_object_set_new(o, "url", string_or_null(hit->url));
  json_object_set_new(o, "score", json_real(hit->score));
  json_object_set_new(o, "snippet", snippet);
  json_object_set_new(o, "matches", matches);
  json_object_set_new(o, "title_matches", title_matches);
  int rc = json_dumpf(o, p->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
  json_decref(o);
  if (rc == 0) putc('\n', p->out);
  return rc != 0 || ferror(p->out) ? -1 : 0;
}

static int json_finish(printer *p, long n_hits) { return fflush(p->out) == 0 ? 0 : -1; }

static void json_destroy(printer *p) { free(p); }

printer *printer_json_new(FILE *out) {
  printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (printer){json_hit, json_finish, json_destroy, out};
  return p;
}
