/*
** ledger_collect.c — what the new-term ledger takes from the text of one column of one article
** (ledger.h): its distinct stems and capitalized names, each with its spellings in the order
** they first appear and how often each appears. The tokens come from the connection's
** tokenizer while FTS5 indexes the column (the ledger's observer) or from a tokenizer of the
** indexer's reader thread before (prepare.c); ledger.c notes the result against the known
** terms. Names are runs of two to six capitalized words, see ledger.h.
*/
#include "ledger.h"
#include "termset.h"
#include "util/alloc.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#define MAX_NAME_WORDS   6
#define NAME_SURFACE_MAX 200 /* bytes of a name's spelling */
#define NAME_STEM_MAX    48  /* bytes of one word's stem inside a name */

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

struct ledger_collector {
  locale_t utf8;
  int is_title; /* the column is the article's title: no names from it */
  name_run run;

  /* the column's terms: an ledger_term_list over these arrays */
  ledger_term *terms;
  size_t n_terms, terms_cap;
  ledger_spelling *spellings;
  size_t n_spellings, spellings_cap;
  char *strings;
  size_t n_strings, strings_cap;
  uint32_t *map; /* open addressing by hash: term index + 1, 0 when empty */
  size_t map_cap;
  int failed; /* out of memory: the list is incomplete */
};

/* ---- the list of terms ------------------------------------------------------------------- */

/* Copies n bytes into the string arena; returns their offset, or -1 when out of memory. */
static int64_t keep_string(ledger_collector *c, const char *s, size_t n) {
  if (newsidx_reserve((void **)&c->strings, &c->strings_cap, c->n_strings, n, 1) != 0) return -1;
  memcpy(c->strings + c->n_strings, s, n);
  c->n_strings += n;
  return (int64_t)(c->n_strings - n);
}

static int map_grow(ledger_collector *c) {
  size_t cap = c->map_cap ? c->map_cap * 2 : 256;
  uint32_t *map = calloc(cap, sizeof *map);
  if (!map) return 0;
  for (size_t i = 0; i < c->n_terms; i++) {
    size_t j = c->terms[i].hash & (cap - 1);
    while (map[j])
      j = (j + 1) & (cap - 1);
    map[j] = (uint32_t)i + 1;
  }
  free(c->map);
  c->map = map;
  c->map_cap = cap;
  return 1;
}

/* Notes one use of term `key` (of `kind`) spelled `surface` in the column. */
static void collect_term(ledger_collector *c, int kind, const char *key, size_t n_key,
                         const char *surface, int n_surface) {
  if (c->failed) return;
  if ((c->n_terms + 1) * 2 > c->map_cap && !map_grow(c)) goto nomem;
  uint64_t h = termset_hash(key, n_key, kind);
  size_t j = h & (c->map_cap - 1);
  ledger_term *t = NULL;
  for (; c->map[j]; j = (j + 1) & (c->map_cap - 1)) {
    ledger_term *candidate = &c->terms[c->map[j] - 1];
    if (candidate->hash == h) {
      t = candidate;
      break;
    }
  }
  if (!t) {
    int64_t at = keep_string(c, key, n_key);
    if (at < 0 ||
        newsidx_reserve((void **)&c->terms, &c->terms_cap, c->n_terms, 1, sizeof *c->terms) != 0)
      goto nomem;
    t = &c->terms[c->n_terms++];
    *t = (ledger_term){h, kind, (uint32_t)at, (uint32_t)n_key, -1, -1};
    c->map[j] = (uint32_t)c->n_terms;
  }
  for (int i = t->first_spelling; i >= 0; i = c->spellings[i].next) {
    ledger_spelling *s = &c->spellings[i];
    if (s->n == (uint32_t)n_surface &&
        memcmp(c->strings + s->text, surface, (size_t)n_surface) == 0) {
      s->count++;
      return;
    }
  }
  int64_t at = keep_string(c, surface, (size_t)n_surface);
  if (at < 0 || newsidx_reserve((void **)&c->spellings, &c->spellings_cap, c->n_spellings, 1,
                                sizeof *c->spellings) != 0)
    goto nomem;
  int i = (int)c->n_spellings++;
  c->spellings[i] = (ledger_spelling){(uint32_t)at, (uint32_t)n_surface, 1, -1};
  if (t->last_spelling >= 0)
    c->spellings[t->last_spelling].next = i;
  else
    t->first_spelling = i;
  t->last_spelling = i;
  return;
nomem:
  c->failed = 1;
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
static int capitalized(const ledger_collector *col, const char *text, int start, int end) {
  unsigned char first = (unsigned char)text[start];
  if (first < 'A' || (first > 'Z' && first < 0x80)) return 0; /* the common case, cheaply */
  wint_t cp;
  int i = start + decode_utf8((const unsigned char *)text + start, end - start, &cp);
  if (!iswupper_l(cp, col->utf8)) return 0;
  while (i < end) {
    i += decode_utf8((const unsigned char *)text + i, end - i, &cp);
    if (iswlower_l(cp, col->utf8)) return 1;
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
static void finish_run(ledger_collector *c) {
  name_run *r = &c->run;
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
    collect_term(c, TERM_NAME, key, n_key, r->surface + from, to - from);
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

static void track_name(ledger_collector *c, const char *stem, int n_stem, const char *text,
                       int start, int end) {
  name_run *r = &c->run;
  int joined =
      r->n_words > 0 && r->prev_end >= 0 && start == r->prev_end + 1 && text[r->prev_end] == ' ';
  int gap_start = r->prev_end;
  r->prev_end = end;
  if (capitalized(c, text, start, end)) {
    if (!joined) finish_run(c);
    if (!append_word(r, stem, n_stem, text, gap_start, start, end, 0)) {
      finish_run(c);
      append_word(r, stem, n_stem, text, gap_start, start, end, 0);
    }
  } else if (joined && in_list(text + start, end - start, &particles)) {
    if (!append_word(r, stem, n_stem, text, gap_start, start, end, 1)) finish_run(c);
  } else if (r->n_words) {
    finish_run(c);
  }
}

/* ---- the collector --------------------------------------------------------------------- */

newsidx_status_t ledger_collector_new(ledger_collector **out, newsidx_error *err) {
  *out = NULL;
  ledger_collector *c = calloc(1, sizeof *c);
  if (!c) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  c->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  if (!c->utf8) {
    free(c);
    return newsidx_error_set(err, NEWSIDX_ERROR, "the C.UTF-8 locale is missing");
  }
  *out = c;
  return NEWSIDX_OK;
}

void ledger_collector_free(ledger_collector *c) {
  if (!c) return;
  free(c->terms);
  free(c->spellings);
  free(c->strings);
  free(c->map);
  freelocale(c->utf8);
  free(c);
}

void ledger_collect_column(ledger_collector *c, const char *text, int n_text, const char *title) {
  /* Empties the map, visiting only the slots in use (the search for a term's slot steps over
  ** the slots already emptied). */
  for (size_t i = 0; i < c->n_terms; i++) {
    size_t j = c->terms[i].hash & (c->map_cap - 1);
    while (c->map[j] != i + 1)
      j = (j + 1) & (c->map_cap - 1);
    c->map[j] = 0;
  }
  c->n_terms = c->n_spellings = c->n_strings = 0;
  c->failed = 0;
  c->is_title =
      title && strlen(title) == (size_t)n_text && memcmp(text, title, (size_t)n_text) == 0;
  c->run.n_words = 0;
  c->run.n_surface = 0;
  c->run.prev_end = -1;
}

int ledger_collect_token(ledger_collector *c, const char *stem, int n_stem, const char *text,
                         int start, int end) {
  collect_term(c, TERM_WORD, stem, (size_t)n_stem, text + start, end - start);
  if (!c->is_title) track_name(c, stem, n_stem, text, start, end);
  return c->failed ? -1 : 0;
}

int ledger_collect_finish(ledger_collector *c, ledger_term_list *out) {
  if (c->run.n_words) finish_run(c);
  *out = (ledger_term_list){c->terms,       c->n_terms, c->spellings,
                            c->n_spellings, c->strings, c->n_strings};
  return c->failed ? -1 : 0;
}

ledger_term_list *ledger_term_list_copy(const ledger_term_list *list) {
  size_t bytes = sizeof(ledger_term_list) + list->n_terms * sizeof(ledger_term) +
                 list->n_spellings * sizeof(ledger_spelling) + list->n_strings;
  ledger_term_list *copy = malloc(bytes);
  if (!copy) return NULL;
  ledger_term *terms = (ledger_term *)(copy + 1);
  ledger_spelling *spellings = (ledger_spelling *)(terms + list->n_terms);
  char *strings = (char *)(spellings + list->n_spellings);
  if (list->n_terms) memcpy(terms, list->terms, list->n_terms * sizeof *terms);
  if (list->n_spellings) memcpy(spellings, list->spellings, list->n_spellings * sizeof *spellings);
  if (list->n_strings) memcpy(strings, list->strings, list->n_strings);
  *copy = (ledger_term_list){terms,   list->n_terms,  spellings, list->n_spellings,
                             strings, list->n_strings};
  return copy;
}
