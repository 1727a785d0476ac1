/*
** ledger.c — the new-term ledger. See ledger.h.
*/
#include "ledger.h"
#include "db_internal.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>
#include <xxhash.h>

#define MAX_NAME_WORDS   6
#define MAX_SURFACES     4   /* spellings counted per new term, per batch */
#define NAME_SURFACE_MAX 200 /* bytes of a name's spelling */
#define NAME_STEM_MAX    48  /* bytes of one word's stem inside a name */

typedef struct spelling {
  char *text;
  int n, count;
} spelling;

/* A term first seen in the current batch. */
typedef struct pending_term {
  uint64_t hash; /* 0: empty slot */
  char *key;
  int kind;
  int64_t first_article;
  char *first_date;
  int n_docs;
  int64_t last_article;
  spelling spellings[MAX_SURFACES];
} pending_term;

typedef struct name_word {
  char stem[NAME_STEM_MAX];
  int n_stem;
  int particle;             /* a lower-case joiner: de, la, of, van... */
  int span_start, span_end; /* bytes in run.surface */
} name_word;

/* The run of capitalized words being read. */
typedef struct name_run {
  name_word words[MAX_NAME_WORDS];
  int n_words;
  char surface[NAME_SURFACE_MAX];
  int n_surface;
  int prev_end; /* byte offset of the previous token's end in the current text; -1 at start */
} name_run;

struct newsidx_ledger {
  newsidx_db *db;
  locale_t utf8;

  uint64_t *known; /* open addressing; 0 marks an empty slot */
  size_t known_cap, known_n;
  int loaded;

  pending_term *pending; /* open addressing by hash */
  size_t pending_cap, pending_n;

  /* the article being indexed */
  int in_article;
  int64_t article_id;
  const char *date, *title, *now;
  size_t n_title;
  const char *current_text;
  int current_is_title;
  name_run run;
  int failed; /* out of memory inside the observer */
};

/* ---- hash sets ---------------------------------------------------------------------------- */

static uint64_t term_hash(const char *key, size_t n, int kind) {
  uint64_t h = XXH3_64bits_withSeed(key, n, (uint64_t)kind + 1);
  return h ? h : 1; /* 0 marks empty slots */
}

static int known_contains(const newsidx_ledger *l, uint64_t h) {
  if (!l->known_cap) return 0;
  for (size_t i = h & (l->known_cap - 1);; i = (i + 1) & (l->known_cap - 1)) {
    if (l->known[i] == h) return 1;
    if (l->known[i] == 0) return 0;
  }
}

static int known_add(newsidx_ledger *l, uint64_t h) {
  if ((l->known_n + 1) * 2 > l->known_cap) {
    size_t cap = l->known_cap ? l->known_cap * 2 : 4096;
    uint64_t *grown = calloc(cap, sizeof *grown);
    if (!grown) return -1;
    for (size_t i = 0; i < l->known_cap; i++) {
      if (!l->known[i]) continue;
      size_t j = l->known[i] & (cap - 1);
      while (grown[j])
        j = (j + 1) & (cap - 1);
      grown[j] = l->known[i];
    }
    free(l->known);
    l->known = grown;
    l->known_cap = cap;
  }
  size_t j = h & (l->known_cap - 1);
  while (l->known[j] && l->known[j] != h)
    j = (j + 1) & (l->known_cap - 1);
  if (!l->known[j]) {
    l->known[j] = h;
    l->known_n++;
  }
  return 0;
}

static void free_pending(pending_term *p) {
  free(p->key);
  free(p->first_date);
  for (int i = 0; i < MAX_SURFACES; i++)
    free(p->spellings[i].text);
  memset(p, 0, sizeof *p);
}

/* The pending entry for hash h, created (key copied) when absent; NULL when out of memory. */
static pending_term *pending_get(newsidx_ledger *l, uint64_t h, const char *key, size_t n_key,
                                 int kind) {
  if ((l->pending_n + 1) * 2 > l->pending_cap) {
    size_t cap = l->pending_cap ? l->pending_cap * 2 : 1024;
    pending_term *grown = calloc(cap, sizeof *grown);
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
  p->key = strndup(key, n_key);
  p->first_date = l->date ? strdup(l->date) : NULL;
  if (!p->key || (l->date && !p->first_date)) {
    free_pending(p);
    return NULL;
  }
  p->hash = h;
  p->kind = kind;
  p->first_article = l->article_id;
  l->pending_n++;
  return p;
}

/* ---- terms --------------------------------------------------------------------------------- */

/* Notes one use of term `key` spelled `surface` in the current article. */
static void note_term(newsidx_ledger *l, int kind, const char *key, size_t n_key,
                      const char *surface, int n_surface) {
  uint64_t h = term_hash(key, n_key, kind);
  if (known_contains(l, h)) return;
  pending_term *p = pending_get(l, h, key, n_key, kind);
  if (!p) {
    l->failed = 1;
    return;
  }
  if (p->last_article != l->article_id) {
    p->last_article = l->article_id;
    p->n_docs++;
  }
  for (int i = 0; i < MAX_SURFACES; i++) {
    spelling *s = &p->spellings[i];
    if (s->text && s->n == n_surface && memcmp(s->text, surface, (size_t)n_surface) == 0) {
      s->count++;
      return;
    }
    if (!s->text) {
      if (!(s->text = strndup(surface, (size_t)n_surface))) l->failed = 1;
      s->n = n_surface;
      s->count = 1;
      return;
    }
  }
}

/* ---- names --------------------------------------------------------------------------------- */

/* Decodes the UTF-8 character at s (n bytes left) into *cp; returns its length (1 for an
** invalid byte, which then reads as U+FFFD). */
static int decode_utf8(const unsigned char *s, int n, wint_t *cp) {
  int len = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
  if (len == 0 || len > n) {
    *cp = 0xFFFD;
    return 1;
  }
  wint_t c = len == 1 ? s[0] : (wint_t)(s[0] & (0x7F >> len));
  for (int i = 1; i < len; i++)
    c = (c << 6) | (s[i] & 0x3F);
  *cp = c;
  return len;
}

/* Does the token [start, end) start with a capital and contain a lower-case letter? */
static int capitalized(const newsidx_ledger *l, const char *text, int start, int end) {
  unsigned char first = (unsigned char)text[start];
  if (first < 'A' || (first > 'Z' && first < 0x80)) return 0; /* the common case, cheaply */
  wint_t c;
  int i = start + decode_utf8((const unsigned char *)text + start, end - start, &c);
  if (!iswupper_l(c, l->utf8)) return 0;
  while (i < end) {
    i += decode_utf8((const unsigned char *)text + i, end - i, &c);
    if (iswlower_l(c, l->utf8)) return 1;
  }
  return 0;
}

typedef struct word_list {
  const char *const *words; /* NULL-terminated */
  int max_len;              /* bytes of the longest: longer tokens skip the scan */
} word_list;

static int in_list(const char *word, int n, const word_list *list) {
  if (n > list->max_len) return 0;
  int first = word[0] | 0x20; /* ASCII lower case; the lists are ASCII */
  for (const char *const *w = list->words; *w; w++)
    if ((*w)[0] == first && strncasecmp(*w, word, (size_t)n) == 0 && (*w)[n] == '\0') return 1;
  return 0;
}

/* Lower-case words that may join the parts of a name: "Banco de la Nación", "Bank of Japan". */
static const char *const particle_words[] = {
    "de", "del", "della", "di",  "da",  "do", "dos", "das", "du",  "des", "la",
    "le", "van", "von",   "der", "den", "of", "al",  "bin", "ibn", "el",  NULL};

/* Capitalized words that start sentences or stand before or after names rather than in them. */
static const char *const noise_words[] = {
    "the",      "a",        "an",        "in",        "on",     "at",       "for",     "but",
    "and",      "or",       "of",        "to",        "as",     "by",       "from",    "with",
    "after",    "before",   "when",      "while",     "this",   "that",     "these",   "those",
    "it",       "its",      "he",        "she",       "they",   "we",       "his",     "her",
    "their",    "our",      "if",        "since",     "during", "under",    "over",    "last",
    "next",     "mr",       "mrs",       "ms",        "dr",     "sir",      "lt",      "gen",
    "col",      "sgt",      "capt",      "president", "prime",  "minister", "senator", "sen",
    "rep",      "gov",      "governor",  "king",      "queen",  "pope",     "judge",   "justice",
    "monday",   "tuesday",  "wednesday", "thursday",  "friday", "saturday", "sunday",  "january",
    "february", "march",    "april",     "may",       "june",   "july",     "august",  "september",
    "october",  "november", "december",  NULL};

static const word_list particles = {particle_words, 5};
static const word_list noise = {noise_words, 9};

/* Is word w of run r a particle or a noise word? */
static int droppable(const name_run *r, const name_word *w) {
  return w->particle || in_list(r->surface + w->span_start, w->span_end - w->span_start, &noise);
}

/* Ends the current run: records it as a name when two or more words remain once particles
** and noise words at its ends are dropped ("In March", "Marine Corps Lt."). */
static void finish_run(newsidx_ledger *l) {
  name_run *r = &l->run;
  int first = 0, last = r->n_words - 1;
  while (first <= last && droppable(r, &r->words[first]))
    first++;
  while (last >= first && droppable(r, &r->words[last]))
    last--;
  if (last - first + 1 >= 2) {
    char key[MAX_NAME_WORDS * (NAME_STEM_MAX + 1)];
    size_t n_key = 0;
    for (int i = first; i <= last; i++) {
      if (n_key) key[n_key++] = ' ';
      memcpy(key + n_key, r->words[i].stem, (size_t)r->words[i].n_stem);
      n_key += (size_t)r->words[i].n_stem;
    }
    int from = r->words[first].span_start, to = r->words[last].span_end;
    note_term(l, LEDGER_NAME, key, n_key, r->surface + from, to - from);
  }
  r->n_words = 0;
  r->n_surface = 0;
}

/* Adds a word to the run; returns 0 when it does not fit (the caller ends the run). */
static int append_word(name_run *r, const char *stem, int n_stem, const char *text, int gap_start,
                       int start, int end, int particle) {
  int n_gap = r->n_words ? start - gap_start : 0;
  if (r->n_words == MAX_NAME_WORDS || n_stem >= NAME_STEM_MAX ||
      r->n_surface + n_gap + (end - start) > NAME_SURFACE_MAX)
    return 0;
  name_word *w = &r->words[r->n_words++];
  memcpy(w->stem, stem, (size_t)n_stem);
  w->n_stem = n_stem;
  w->particle = particle;
  memcpy(r->surface + r->n_surface, text + gap_start, (size_t)n_gap);
  r->n_surface += n_gap;
  w->span_start = r->n_surface;
  memcpy(r->surface + r->n_surface, text + start, (size_t)(end - start));
  r->n_surface += end - start;
  w->span_end = r->n_surface;
  return 1;
}

static void track_name(newsidx_ledger *l, const char *stem, int n_stem, const char *text, int start,
                       int end) {
  name_run *r = &l->run;
  int joined =
      r->n_words > 0 && r->prev_end >= 0 && start == r->prev_end + 1 && text[r->prev_end] == ' ';
  int gap_start = r->prev_end;
  r->prev_end = end;
  if (capitalized(l, text, start, end)) {
    if (!joined) finish_run(l);
    if (!append_word(r, stem, n_stem, text, gap_start, start, end, 0)) {
      finish_run(l);
      append_word(r, stem, n_stem, text, gap_start, start, end, 0);
    }
  } else if (joined && in_list(text + start, end - start, &particles)) {
    if (!append_word(r, stem, n_stem, text, gap_start, start, end, 1)) finish_run(l);
  } else if (r->n_words) {
    finish_run(l);
  }
}

/* The tokenizer's observer: every token of every indexed document. */
static int observe(void *ctx, const char *stem, int n_stem, const char *text, int n_text, int start,
                   int end) {
  newsidx_ledger *l = ctx;
  if (!l->in_article) return SQLITE_OK; /* FTS5 also tokenizes for 'delete' */
  if (text != l->current_text) {
    if (l->run.n_words) finish_run(l);
    l->current_text = text;
    l->current_is_title =
        l->title && (size_t)n_text == l->n_title && memcmp(text, l->title, l->n_title) == 0;
    l->run.prev_end = -1;
  }
  note_term(l, LEDGER_WORD, stem, (size_t)n_stem, text + start, end - start);
  if (!l->current_is_title) track_name(l, stem, n_stem, text, start, end);
  return l->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* ---- life cycle -------------------------------------------------------------------------- */

newsidx_status_t ledger_open(newsidx_db *db, newsidx_error *err) {
  if (db->ledger) return NEWSIDX_OK;
  newsidx_ledger *l = calloc(1, sizeof *l);
  if (!l) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  l->db = db;
  l->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  if (!l->utf8) {
    free(l);
    return newsidx_error_set(err, NEWSIDX_ERROR, "the C.UTF-8 locale is missing");
  }
  db->ledger = l;
  db->snowball->observer = observe;
  db->snowball->observer_ctx = l;
  return NEWSIDX_OK;
}

void ledger_close(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  ledger_discard(db);
  if (db->snowball) db->snowball->observer = NULL;
  free(l->known);
  free(l->pending);
  freelocale(l->utf8);
  free(l);
  db->ledger = NULL;
}

/* Loads the hashes of every known term. */
static newsidx_status_t load_known(newsidx_ledger *l, newsidx_error *err) {
  sqlite3 *sqlite = l->db->sqlite;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, "SELECT term, kind FROM terms", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *term = (const char *)sqlite3_column_text(stmt, 0);
    int n = sqlite3_column_bytes(stmt, 0);
    if (known_add(l, term_hash(term ? term : "", (size_t)n, sqlite3_column_int(stmt, 1))) != 0) {
      sqlite3_finalize(stmt);
      return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory loading the term ledger");
    }
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return newsidx_error_sqlite(err, sqlite, rc, "loading the term ledger");
  l->loaded = 1;
  return NEWSIDX_OK;
}

newsidx_status_t ledger_begin_article(newsidx_db *db, int64_t id, const char *date,
                                      const char *title, const char *now, newsidx_error *err) {
  newsidx_status_t status = ledger_open(db, err);
  newsidx_ledger *l = db->ledger;
  if (status == NEWSIDX_OK && !l->loaded) status = load_known(l, err);
  if (status != NEWSIDX_OK) return status;
  l->in_article = 1;
  l->article_id = id;
  l->date = date;
  l->title = title;
  l->n_title = title ? strlen(title) : 0;
  l->now = now;
  l->current_text = NULL;
  l->run.n_words = 0;
  l->run.n_surface = 0;
  return NEWSIDX_OK;
}

void ledger_end_article(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  if (l->run.n_words) finish_run(l);
  l->in_article = 0;
  l->current_text = NULL;
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

newsidx_status_t ledger_flush(newsidx_db *db, newsidx_error *err) {
  newsidx_ledger *l = db->ledger;
  if (!l || !l->pending_n) return NEWSIDX_OK;
  if (l->failed) {
    ledger_discard(db);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory in the term ledger");
  }
  char now[NEWSIDX_DATE_MAX];
  newsidx_now_iso(now);
  sqlite3_stmt *stmt = NULL;
  int rc =
      sqlite3_prepare_v3(db->sqlite,
                         "INSERT OR IGNORE INTO terms(term, kind, surface, first_article,"
                         " first_date, first_indexed, n_docs, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                         " ?7, coalesce((SELECT seq FROM articles WHERE id = ?4),"
                         " (SELECT max(seq) FROM articles), 0))",
                         -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  for (size_t i = 0; rc == SQLITE_OK && i < l->pending_cap; i++) {
    pending_term *p = &l->pending[i];
    if (!p->hash) continue;
    const spelling *s = most_common(p);
    sqlite3_bind_text(stmt, 1, p->key, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, p->kind);
    sqlite3_bind_text(stmt, 3, s->text ? s->text : p->key, s->text ? s->n : -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, p->first_article);
    if (p->first_date)
      sqlite3_bind_text(stmt, 5, p->first_date, -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(stmt, 5);
    sqlite3_bind_text(stmt, 6, now, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 7, p->n_docs);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) rc = sqlite3_reset(stmt);
  }
  newsidx_status_t status = NEWSIDX_OK;
  if (rc != SQLITE_OK)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "writing the term ledger");
  sqlite3_finalize(stmt);
  /* Only now, with the rows in the transaction, are the terms known. */
  for (size_t i = 0; status == NEWSIDX_OK && i < l->pending_cap; i++)
    if (l->pending[i].hash && known_add(l, l->pending[i].hash) != 0)
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory in the term ledger");
  ledger_discard(db);
  return status;
}

void ledger_forget(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  ledger_discard(db);
  free(l->known);
  l->known = NULL;
  l->known_cap = l->known_n = 0;
  l->loaded = 0;
}

void ledger_discard(newsidx_db *db) {
  newsidx_ledger *l = db->ledger;
  if (!l) return;
  for (size_t i = 0; i < l->pending_cap; i++)
    if (l->pending[i].hash) free_pending(&l->pending[i]);
  l->pending_n = 0;
  l->failed = 0;
}
