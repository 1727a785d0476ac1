/*
** matches.c — match positions recorded during the ranking. See matches.h.
*/
#include "matches.h"

#include "newsidx.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

int match_store_begin(match_store *m, const Fts5ExtensionApi *api, Fts5Context *fts) {
  if (m->phrase_size) return SQLITE_OK;
  m->n_phrases = api->xPhraseCount(fts);
  m->phrase_size = malloc((size_t)(m->n_phrases > 0 ? m->n_phrases : 1) * sizeof(int));
  if (!m->phrase_size) return SQLITE_NOMEM;
  for (int i = 0; i < m->n_phrases; i++)
    m->phrase_size[i] = api->xPhraseSize(fts, i);
  return SQLITE_OK;
}

int match_store_capture(match_store *m, const Fts5ExtensionApi *api, Fts5Context *fts, int64_t id) {
  int n_inst = 0;
  int rc = api->xInstCount(fts, &n_inst);
  if (rc != SQLITE_OK) return rc;
  if (newsidx_reserve((void **)&m->arena, &m->cap_arena, (size_t)m->n_arena, (size_t)n_inst,
                      sizeof *m->arena) ||
      newsidx_reserve((void **)&m->records, &m->cap_records, (size_t)m->n_records, 1,
                      sizeof *m->records))
    return SQLITE_NOMEM;
  match_record *r = &m->records[m->n_records];
  *r = (match_record){id, m->n_arena, 0};
  for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
    match_instance *inst = &m->arena[m->n_arena + r->n];
    rc = api->xInst(fts, i, &inst->phrase, &inst->column, &inst->offset);
    if (rc == SQLITE_OK) r->n++;
  }
  if (rc != SQLITE_OK) return rc;
  m->n_arena += r->n;
  m->n_records++;
  m->sorted = 0;
  return SQLITE_OK;
}

static int compare_ids(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int compare_records(const void *a, const void *b) {
  return compare_ids(&((const match_record *)a)->id, &((const match_record *)b)->id);
}

int match_store_keep(match_store *m, const topk_item *keep, long n) {
  int64_t *ids = malloc((size_t)(n > 0 ? n : 1) * sizeof *ids);
  match_record *records = malloc((size_t)(n > 0 ? n : 1) * sizeof *records);
  long n_arena = 0, n_records = 0;
  if (!ids || !records) {
    free(ids);
    free(records);
    return -1;
  }
  for (long i = 0; i < n; i++)
    ids[i] = keep[i].id;
  qsort(ids, (size_t)n, sizeof *ids, compare_ids);
  /* Records of kept ids move to the front of the arena, in capture order (a record's
  ** instances never move backwards past those of an earlier one). */
  for (long i = 0; i < m->n_records; i++) {
    match_record r = m->records[i];
    if (!bsearch(&r.id, ids, (size_t)n, sizeof *ids, compare_ids)) continue;
    memmove(&m->arena[n_arena], &m->arena[r.first], (size_t)r.n * sizeof *m->arena);
    records[n_records++] = (match_record){r.id, n_arena, r.n};
    n_arena += r.n;
  }
  qsort(records, (size_t)n_records, sizeof *records, compare_records);
  free(ids);
  free(m->records);
  m->records = records;
  m->n_records = n_records;
  m->cap_records = n > 0 ? (size_t)n : 1;
  m->n_arena = n_arena;
  m->sorted = 1;
  return 0;
}

const match_instance *match_store_find(const match_store *m, int64_t id, int *n) {
  *n = 0;
  if (!m->sorted) return NULL;
  match_record key = {id, 0, 0};
  const match_record *r =
      bsearch(&key, m->records, (size_t)m->n_records, sizeof *m->records, compare_records);
  if (!r) return NULL;
  *n = r->n;
  return &m->arena[r->first];
}

void match_store_free(match_store *m) {
  free(m->phrase_size);
  free(m->records);
  free(m->arena);
  memset(m, 0, sizeof *m);
}
