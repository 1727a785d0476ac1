/*
** output_list.c — the formats for shell pipelines: --ids (one article id per line), --paths
** (each file holding a hit once, in rank order, like grep -l; a record without a file shows
** its key) and --count (the number of all matches, not the page).
*/
#include "output.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ids_hit(printer *p, const search_hit *hit) {
  fprintf(p->out, "%lld\n", (long long)hit->id);
  return output_check(p->out, &p->error);
}

printer *printer_ids_new(FILE *out) {
  printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (printer){ids_hit, printer_flush, printer_free, out, 0, 1, 0, 0, NULL};
  return p;
}

/* The paths printed so far: an open-addressing hash set of strings. */
typedef struct paths_printer {
  printer base;
  char **slots;
  size_t n, cap; /* cap is a power of two, kept at least twice n */
  int escape;    /* writing to a terminal: escape names as the text output does */
} paths_printer;

static uint64_t hash_of(const char *s) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* Adds s to the set. Returns 1 when it was new, 0 when present, -1 when out of memory. */
static int remember(paths_printer *p, const char *s) {
  if (2 * (p->n + 1) > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 64;
    char **slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < p->cap; i++)
      if (p->slots[i])
        for (size_t k = hash_of(p->slots[i]) & (cap - 1);; k = (k + 1) & (cap - 1))
          if (!slots[k]) {
            slots[k] = p->slots[i];
            break;
          }
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
  }
  size_t k = hash_of(s) & (p->cap - 1);
  for (; p->slots[k]; k = (k + 1) & (p->cap - 1))
    if (strcmp(p->slots[k], s) == 0) return 0;
  if (!(p->slots[k] = strdup(s))) return -1;
  p->n++;
  return 1;
}

static int paths_hit(printer *base, const search_hit *hit) {
  paths_printer *p = (paths_printer *)base;
  const char *path = hit->path ? hit->path : hit->key;
  if (!path) return 0;
  int fresh = remember(p, path);
  if (fresh < 0) return -1;
  if (fresh && p->escape)
    output_write_safe(base->out, path, NEWSIDX_ESCAPE_NAME);
  else if (fresh)
    fputs(path, base->out);
  if (fresh) putc('\n', base->out);
  return output_check(base->out, &base->error);
}

static void paths_destroy(printer *base) {
  paths_printer *p = (paths_printer *)base;
  for (size_t i = 0; i < p->cap; i++)
    free(p->slots[i]);
  free(p->slots);
  free(p);
}

printer *printer_paths_for(FILE *out, int terminal) {
  paths_printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->base =
      (printer){paths_hit, printer_flush, paths_destroy, out, SEARCH_WANT_META, 1, 0, 0, NULL};
  p->escape = terminal;
  return &p->base;
}

printer *printer_paths_new(FILE *out) { return printer_paths_for(out, isatty(fileno(out))); }

static int count_hit(printer *p, const search_hit *hit) { return 0; }

static int count_finish(printer *p, long n_hits, long total) {
  fprintf(p->out, "%ld\n", total);
  return printer_flush(p, n_hits, total);
}

printer *printer_count_new(FILE *out) {
  printer *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (printer){count_hit, count_finish, printer_free, out, 0, 0, 1, 0, NULL};
  return p;
}
