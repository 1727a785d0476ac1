/*
** tally.c — string counts by sorting. See tally.h.
*/
#include "tally.h"

#include <stdlib.h>
#include <string.h>

static int blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void tally_add(tally *t, const char *value, size_t n) {
  while (n > 0 && blank(*value)) {
    value++;
    n--;
  }
  while (n > 0 && blank(value[n - 1]))
    n--;
  if (n == 0 || t->failed) return;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    char **grown = realloc(t->values, cap * sizeof *grown);
    if (!grown) {
      t->failed = 1;
      return;
    }
    t->values = grown;
    t->cap = cap;
  }
  if (!(t->values[t->n] = strndup(value, n))) {
    t->failed = 1;
    return;
  }
  t->n++;
}

void tally_add_list(tally *t, const char *list) {
  for (const char *p = list; p && *p;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    tally_add(t, p, n);
    p = comma ? comma + 1 : p + n;
  }
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int compare_by_count(const void *a, const void *b) {
  const tally_entry *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->value, y->value);
}

int tally_sort(tally *t, int order) {
  if (t->failed) return -1;
  if (t->n) qsort(t->values, t->n, sizeof *t->values, compare_strings); /* values: NULL if none */
  free(t->entries);
  t->entries = malloc((t->n ? t->n : 1) * sizeof *t->entries);
  if (!t->entries) return -1;
  t->n_entries = 0;
  for (size_t i = 0; i < t->n;) {
    size_t k = i + 1;
    while (k < t->n && strcmp(t->values[k], t->values[i]) == 0)
      k++;
    t->entries[t->n_entries++] = (tally_entry){t->values[i], (long)(k - i)};
    i = k;
  }
  if (order == TALLY_BY_COUNT)
    qsort(t->entries, t->n_entries, sizeof *t->entries, compare_by_count);
  return 0;
}

void tally_free(tally *t) {
  for (size_t i = 0; i < t->n; i++)
    free(t->values[i]);
  free(t->values);
  free(t->entries);
  memset(t, 0, sizeof *t);
}
