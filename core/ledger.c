/*
** ledger.c — the new-term ledger. See ledger.h.
*/
#include "ledger.h"
#include "db_internal.h"
#include "termdocs.h"
#include "termset.h"
#include "util/alloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SURFACES          4   /* spellings counted per new term, per batch */
#define COUNTS_WRITE_INTERVAL 1.0 /* seconds between two writes of the term counts */

typedef struct spelling {
  char *text;
  int n, count;
} spelling;

/* An article that brought new terms: a row of term_origins. */
typedef struct term_origin {
  int64_t seq, article;
  int64_t when; /* its date (newsidx_when) */
} term_origin;

/* A term first seen in the current batch. */
typedef struct pending_term {
  uint64_t hash; /* 0: empty slot */
  char *key;
  int kind;
  size_t origin; /* the article that used it first: its index in the ledger's origins */
  int n_docs;
  int64_t last_article;
  int32_t n_indexed; /* a word: articles indexed (less unindexed) with it in this batch */
  uint32_t stamp;    /* the document that changed n_indexed last */
  spelling spellings[MAX_SURFACES];
} pending_term;

struct newsidx_ledger {
  newsidx_db *db;
  ledger_collector *collector; /* the terms of the column being indexed */

  termset known; /* the terms written; a word's slot counts its articles (termdocs.h) */
  int loaded;

  /* the counts of articles per word, kept in `known` */
  int64_t generation; /* the index's fts_generation they describe */
  int checked;        /* this transaction found the index at `generation` */
  int changed;        /* this transaction changed the index */
  int unwritten;      /* newer than the term_docs table */
  int counts_broken;  /* a word left the index that was never counted: never written */
  double last_write;  /* when they were written last (CLOCK_MONOTONIC seconds) */
  uint32_t stamp;     /* the document being counted */
  int count_sign;     /* +1 or -1 while a document is counted token by token */

  pending_term *pending; /* open addressing by hash */
  size_t pending_cap, pending_n;
  term_origin *origins; /* the articles of the batch that brought new terms, in seq order */
  size_t origins_cap, origins_n;
  ledger_json json; /* the terms of one origin, written at flush */

  /* the article being indexed */
  int in_article;
  int64_t article_id, article_seq;
  int64_t when; /* its date (newsidx_when) */
  const char *title;
  const char *current_text; /* the column the collector reads, NULL between columns */
  int failed;               /* out of memory inside the observer */
};

/* The ledger's part in the transactions (db_internal.h, NOTES ON TRANSACTIONS), at the end. */
static void ledger_close(newsidx_db *db);
static void ledger_finish(newsidx_db *db);
static newsidx_status_t ledger_commit(newsidx_db *db, newsidx_error *err);
static const newsidx_participant ledger_participant = {"ledger", ledger_commit, ledger_forget,
                                                       NULL,     ledger_finish, ledger_close};

/* ---- pending terms ---------------------------------------------------------------------- */

static void free_pending(pending_term *p) {
  free(p->key);
  for (int i = 0; i < MAX_SURFACES; i++)
    free(p->spellings[i].text);
  memset(p, 0, sizeof *p);
}

/* Notes the current article as the origin of new terms, once. Returns 0 when out of memory. */
static int note_origin(newsidx_ledger *l) {
  if (l->origins_n && l->origins[l->origins_n - 1].seq == l->article_seq) return 1;
  if (l->origins_n == l->origins_cap) {
    size_t cap = l->origins_cap ? l->origins_cap * 2 : 256;
    term_origin *grown = realloc(l->origins, cap * sizeof *grown);
    if (!grown) return 0;
    l->origins = grown;
    l->origins_cap = cap;
  }
  l->origins[l->origins_n++] = (term_origin){l->article_seq, l->article_id, l->when};
  return 1;
}

/* The pending entry for hash h, created (key copied) when absent; NULL when out of memory. */
static pending_term *pending_get(newsidx_ledger *l, uint64_t h, const char *key, size_t n_key,
                                 int kind) {
  if ((l->pending_n + 1) * 2 > l->pending_cap) {
    size_t cap = l->pending_cap ? l->pending_cap * 2 : 1024;
    pending_term *grown = newsidx_zeroed(cap, sizeof *grown);
    if (!grown) return NULL;
    for (size_t i = 0; i < l->pending_cap; i++) {
      if (!l->pending[i].hash) continue;
      size_t j = l->pending[i].hash & (cap - 1);
      while (grown[j].hash)
        j = (j + 1) & (cap - 1);
      grown[j] = l->pending[i];
    }
    free(l->pending);
    l->pending = grown;
    l->pending_cap = cap;
  }
  size_t j = h & (l->pending_cap - 1);
  while (l->pending[j].hash && l->pending[j].hash != h)
    j = (j + 1) & (l->pending_cap - 1);
  pending_term *p = &l->pending[j];
  if (p->hash) return p;
  if (!note_origin(l)) return NULL;
  p->key = strndup(key, n_key);
  if (!p->key) {
    free_pending(p);
    return NULL;
  }
  p->hash = h;
  p->kind = kind;
  p->origin = l->origins_n - 1;
  l->pending_n++;
  return p;
}

/* The pending entry for hash h, or NULL. */
static pending_term *pending_find(const newsidx_ledger *l, uint64_t h) {
  if (!l->pending_cap) return NULL;
  for (size_t i = h & (l->pending_cap - 1);; i = (i + 1) & (l->pending_cap - 1)) {
    if (l->pending[i].hash == h) return &l->pending[i];
    if (l->pending[i].hash == 0) return NULL;
  }
}

/* ---- terms --------------------------------------------------------------------------------- */

/* Counts `count` uses of spelling `surface` of pending term p: among its first MAX_SURFACES
** spellings, or not at all. */
static void add_spelling(newsidx_ledger *l, pending_term *p, const char *surface, int n_surface,
                         int count) {
  for (int i = 0; i < MAX_SURFACES; i++) {
    spelling *s = &p->spellings[i];
    if (s->text && s->n == n_surface && memcmp(s->text, surface, (size_t)n_surface) == 0) {
      s->count += count;
      return;
    }
    if (!s->text) {
      if (!(s->text = strndup(surface, (size_t)n_surface))) l->failed = 1;
      s->n = n_surface;
      s->count = count;
      return;
    }
  }
}

/* Notes the terms of a column of the current article: those not known yet become pending,
** or count once more when they already are. */
static void note_terms(newsidx_ledger *l, const ledger_term_list *list) {
  for (size_t i = 0; i < list->n_terms && !l->failed; i++) {
    const ledger_term *t = &list->terms[i];
    termset_slot *known = termset_find(&l->known, t->hash);
    if (known) { /* the probe the ledger makes anyway also counts the article */
      if (t->kind == TERM_WORD && known->stamp != l->stamp) {
        known->stamp = l->stamp;
        known->n_docs++;
      }
      continue;
    }
    pending_term *p = pending_get(l, t->hash, list->strings + t->key, t->n_key, t->kind);
    if (!p) {
      l->failed = 1;
      return;
    }
    if (p->last_article != l->article_id) {
      p->last_article = l->article_id;
      p->n_docs++;
    }
    if (t->kind == TERM_WORD && p->stamp != l->stamp) {
      p->stamp = l->stamp;
      p->n_indexed++;
    }
    for (int k = t->first_spelling; k >= 0; k = list->spellings[k].next) {
      const ledger_spelling *s = &list->spellings[k];
      add_spelling(l, p, list->strings + s->text, (int)s->n, s->count);
    }
  }
}

/* Notes what the collector took from the column read last, if any. */
static void note_column(newsidx_ledger *l) {
  if (!l->current_text) return;
  ledger_term_list list;
  if (ledger_collect_finish(l->collector, &list) != 0) l->failed = 1;
  note_terms(l, &list);
  l->current_text = NULL;
}

/* A word of a document counted token by token (ledger_begin_counting()). */
static void count_token(newsidx_ledger *l, const char *stem, int n_stem) {
  uint64_t h = termset_hash(stem, (size_t)n_stem, TERM_WORD);
  termset_slot *known = termset_find(&l->known, h);
  pending_term *p = known ? NULL : pending_find(l, h);
  if (known && known->stamp != l->stamp) {
    known->stamp = l->stamp;
    known->n_docs += l->count_sign;
    if (known->n_docs < 0) l->counts_broken = 1;
  } else if (p && p->stamp != l->stamp) {
    p->stamp = l->stamp;
    p->n_indexed += l->count_sign;
  } else if (!known && !p) {
    l->counts_broken = 1; /* a word of the index that was never counted */
  }
}

/* The tokenizer's observer: every token of every indexed document. */
static int observe(void *ctx, const char *stem, int n_stem, const char *text, int n_text, int start,
                   int end) {
  newsidx_ledger *l = ctx;
  if (!l->in_article) { /* FTS5 also tokenizes for 'delete' */
    if (l->count_sign) count_token(l, stem, n_stem);
    return SQLITE_OK;
  }
  if (text != l->current_text) {
    note_column(l);
    ledger_collect_column(l->collector, text, n_text, l->title);
    l->current_text = text;
  }
  if (ledger_collect_token(l->collector, stem, n_stem, text, start, end) != 0) l->failed = 1;
  return l->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* The tokenizer's replay observer: a column whose tokens, and terms, were prepared ahead. */
static int observe_prepared(void *ctx, const void *terms) {
  newsidx_ledger *l = ctx;
  if (!l->in_article) return SQLITE_OK;
  note_column(l);
  note_terms(l, terms);
  return l->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* ---- life cycle -------------------------------------------------------------------------- */

newsidx_status_t ledger_open(newsidx_db *db, newsidx_error *err) {
  if (db->ledger) return NEWSIDX_OK;
  newsidx_ledger *l = calloc(1, sizeof *l);
  if (!l) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  l->db = db;
  newsidx_status_t status = ledger_collector_new(&l->collector, err);
  if (status != NEWSIDX_OK) {
    free(l);
    return status;
  }
  if (newsidx_join(db, &ledger_participant) != 0) {
    ledger_collector_free(l->collector);
    free(l);
    return newsidx_error_set(err, NEWSIDX_MISUSE, "too many participants in a transaction");
  }
  db->ledger = l;
  db->snowball->observer = observe;
  db->snowball->on_replay = observe_prepared;
  db->snowball->observer_ctx = l;
  return NEWSIDX_OK;
}

static void ledger_close(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  ledger_discard(db);
  if (db->snowball) {
    db->snowball->observer = NULL;
    db->snowball->on_replay = NULL;
  }
  termset_free(&l->known);
  free(l->pending);
  free(l->origins);
  ledger_json_free(&l->json);
  ledger_collector_free(l->collector);
  free(l);
  db->ledger = NULL;
}

static void forget_known(newsidx_ledger *l) {
  termset_free(&l->known);
  l->loaded = l->checked = l->changed = l->unwritten = l->counts_broken = 0;
}

/* Loads the hashes of every known term, and the words' counts of articles (a word of the index
** that the ledger has no row for, in an index older than the ledger, becomes known). */
static newsidx_status_t load_known(newsidx_ledger *l, int64_t generation, newsidx_error *err) {
  sqlite3 *sqlite = l->db->sqlite;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, "SELECT term, kind FROM terms", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(stmt, 0);
    int n = sqlite3_column_bytes(stmt, 0);
    if (!termset_add(&l->known,
                     termset_hash(term ? term : "", (size_t)n, sqlite3_column_int(stmt, 1)))) {
      sqlite3_finalize(stmt);
      return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory loading the term ledger");
    }
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return newsidx_error_sqlite(err, sqlite, rc, "loading the term ledger");
  int from_index = 0;
  newsidx_status_t status =
      termdocs_load(l->db, generation, termset_set_count, &l->known, &from_index, err);
  if (status != NEWSIDX_OK) return status;
  l->loaded = 1;
  l->generation = generation;
  l->unwritten = from_index;
  return NEWSIDX_OK;
}

/* Once per transaction, before the first change of the index: the known terms and their counts
** describe the index as this transaction finds it, loaded again when another writer changed
** it since. */
static newsidx_status_t make_current(newsidx_db *db, newsidx_error *err) {
  newsidx_status_t status = ledger_open(db, err);
  newsidx_ledger *l = db->ledger;
  if (status != NEWSIDX_OK || l->checked) return status;
  int64_t generation;
  status = termdocs_generation(db, &generation, err);
  if (status != NEWSIDX_OK) return status;
  if (l->loaded && l->generation != generation) forget_known(l);
  if (!l->loaded) status = load_known(l, generation, err);
  if (status != NEWSIDX_OK) {
    forget_known(l);
    return status;
  }
  l->checked = 1;
  return NEWSIDX_OK;
}

/* A new document to count: a stamp no slot holds. */
static void next_stamp(newsidx_ledger *l) {
  l->changed = 1;
  if (++l->stamp) return;
  termset_clear_stamps(&l->known);
  for (size_t i = 0; i < l->pending_cap; i++)
    l->pending[i].stamp = 0;
  l->stamp = 1;
}

newsidx_status_t ledger_begin_counting(newsidx_db *db, int sign, newsidx_error *err) {
  assert(sign == 1 || sign == -1);
  assert(!db->ledger || (!db->ledger->in_article && !db->ledger->count_sign)); /* not nested */
  newsidx_status_t status = make_current(db, err);
  if (status != NEWSIDX_OK) return status;
  next_stamp(db->ledger);
  db->ledger->count_sign = sign;
  return NEWSIDX_OK;
}

void ledger_end_counting(newsidx_db *db) {
  if (db->ledger) db->ledger->count_sign = 0;
}

newsidx_status_t ledger_begin_article(newsidx_db *db, int64_t id, int64_t seq, const char *date,
                                      const char *title, newsidx_error *err) {
  assert(!db->ledger || (!db->ledger->in_article && !db->ledger->count_sign)); /* not nested */
  newsidx_status_t status = make_current(db, err);
  if (status != NEWSIDX_OK) return status;
  newsidx_ledger *l = db->ledger;
  next_stamp(l);
  l->in_article = 1;
  l->article_id = id;
  l->article_seq = seq;
  l->when = newsidx_when(date);
  l->title = title;
  l->current_text = NULL;
  return NEWSIDX_OK;
}

void ledger_end_article(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  note_column(l);
  l->in_article = 0;
}

/* The spelling to show: the most frequent one, and on a tie one that starts in lower case
** (a word capitalized only at the start of a sentence reads better in lower case). */
static const spelling *most_common(const pending_term *p) {
  const spelling *best = &p->spellings[0];
  for (int i = 1; i < MAX_SURFACES; i++) {
    const spelling *s = &p->spellings[i];
    if (!s->text) continue;
    int lower = s->text[0] >= 'a' && s->text[0] <= 'z';
    int best_lower = best->text[0] >= 'a' && best->text[0] <= 'z';
    if (s->count > best->count || (s->count == best->count && lower && !best_lower)) best = s;
  }
  return best;
}

static newsidx_status_t ledger_flush(newsidx_db *db, newsidx_error *err) {
  newsidx_ledger *l = db->ledger;
  if (!l || !l->pending_n) return NEWSIDX_OK;
  assert(!sqlite3_get_autocommit(db->sqlite)); /* inside the caller's transaction */
  if (l->failed) {
    ledger_discard(db);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory in the term ledger");
  }
  /* the terms in order of their origins, then a row per origin (ledger.h) */
  ledger_new_term *terms = malloc(l->pending_n * sizeof *terms);
  size_t *first = calloc(l->origins_n + 1, sizeof *first); /* of each origin, in terms */
  if (!terms || !first) {
    free(terms);
    free(first);
    ledger_discard(db);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory in the term ledger");
  }
  for (size_t i = 0; i < l->pending_cap; i++)
    if (l->pending[i].hash) first[l->pending[i].origin + 1]++;
  for (size_t o = 0; o < l->origins_n; o++)
    first[o + 1] += first[o];
  for (size_t i = 0; i < l->pending_cap; i++) {
    const pending_term *p = &l->pending[i];
    if (!p->hash) continue;
    const spelling *s = most_common(p);
    size_t n_key = strlen(p->key);
    terms[first[p->origin]++] = (ledger_new_term){p->key, s->text ? s->text : p->key, n_key,
                                                  s->text ? (size_t)s->n : n_key, p->n_docs};
  }
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3(db->sqlite,
                              "INSERT INTO term_origins(seq, article, first_when, terms)"
                              " VALUES(?1, ?2, ?3, ?4)",
                              -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  size_t from = 0; /* first[o] is now where origin o's terms end */
  for (size_t o = 0; rc == SQLITE_OK && o < l->origins_n; from = first[o++]) {
    const term_origin *origin = &l->origins[o];
    if (ledger_terms_json(&l->json, terms + from, first[o] - from) != 0) {
      rc = SQLITE_NOMEM;
      break;
    }
    sqlite3_bind_int64(stmt, 1, origin->seq);
    sqlite3_bind_int64(stmt, 2, origin->article);
    if (origin->when != NEWSIDX_WHEN_UNDATED)
      sqlite3_bind_int64(stmt, 3, origin->when);
    else
      sqlite3_bind_null(stmt, 3);
    sqlite3_bind_text(stmt, 4, l->json.text, (int)l->json.n, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) rc = sqlite3_reset(stmt);
  }
  free(terms);
  free(first);
  newsidx_status_t status = NEWSIDX_OK;
  if (rc != SQLITE_OK)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "writing the term ledger");
  sqlite3_finalize(stmt);
  /* Only now, with the rows in the transaction, are the terms known, with their counts. */
  for (size_t i = 0; status == NEWSIDX_OK && i < l->pending_cap; i++) {
    const pending_term *p = &l->pending[i];
    termset_slot *slot = p->hash ? termset_add(&l->known, p->hash) : NULL;
    if (slot) slot->n_docs += p->n_indexed;
    if (slot && slot->n_docs < 0) l->counts_broken = 1;
    if (p->hash && !slot)
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory in the term ledger");
  }
  ledger_discard(db);
  return status;
}

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The table now holds the counts (committed, or in the transaction that commits them). */
static void counts_written(newsidx_ledger *l) {
  l->unwritten = 0;
  l->last_write = monotonic_seconds();
}

static newsidx_status_t ledger_flush_counts(newsidx_db *db, int force, newsidx_error *err) {
  newsidx_ledger *l = db->ledger;
  if (!l) return NEWSIDX_OK;
  l->checked = 0; /* the next transaction looks again */
  if (!l->changed) return NEWSIDX_OK;
  assert(!sqlite3_get_autocommit(db->sqlite)); /* inside the transaction that changed it */
  l->changed = 0;
  newsidx_status_t status = termdocs_set_generation(db, l->generation + 1, err);
  if (status != NEWSIDX_OK) return status;
  l->generation++;
  l->unwritten = 1;
  if (!l->counts_broken &&
      (force || monotonic_seconds() - l->last_write >= COUNTS_WRITE_INTERVAL)) {
    status = termdocs_write(db, &l->known, l->generation, err);
    if (status == NEWSIDX_OK) counts_written(l);
  }
  return status;
}

int ledger_changed(const newsidx_db *db) { return db->ledger && db->ledger->changed; }

newsidx_status_t newsidx_term_docs(newsidx_db *db, const char *stem, int n_stem, int64_t *n_docs,
                                   newsidx_error *err) {
  *n_docs = -1;
  if (ledger_changed(db)) return NEWSIDX_OK; /* this connection's uncommitted changes */
  return termdocs_stored_count(db, termset_hash(stem, (size_t)n_stem, TERM_WORD), n_docs, err);
}

static void ledger_finish(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l || !l->loaded || !l->unwritten || l->counts_broken || !sqlite3_get_autocommit(db->sqlite))
    return;
  /* Best effort, and no waiting: with another writer at work, the counts stay behind. */
  sqlite3_busy_timeout(db->sqlite, 0);
  int ok = sqlite3_exec(db->sqlite, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
  if (ok) {
    newsidx_error ignored = {0};
    int64_t generation;
    ok = termdocs_generation(db, &generation, &ignored) == NEWSIDX_OK &&
         generation == l->generation &&
         termdocs_write(db, &l->known, l->generation, &ignored) == NEWSIDX_OK &&
         sqlite3_exec(db->sqlite, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (!sqlite3_get_autocommit(db->sqlite)) sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
  }
  sqlite3_busy_timeout(db->sqlite, db->busy_timeout_ms);
  if (ok) counts_written(l);
}

void ledger_forget(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  ledger_discard(db);
  forget_known(l);
}

void ledger_discard(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  for (size_t i = 0; i < l->pending_cap; i++)
    if (l->pending[i].hash) free_pending(&l->pending[i]);
  l->pending_n = 0;
  l->origins_n = 0;
  l->failed = 0;
}

/* Rule 1 of the transactions: the new terms, then the counts, just before COMMIT. */
static newsidx_status_t ledger_commit(newsidx_db *db, newsidx_error *err) {
  newsidx_status_t status = ledger_flush(db, err);
  if (status == NEWSIDX_OK) status = ledger_flush_counts(db, 0, err);
  return status;
}
