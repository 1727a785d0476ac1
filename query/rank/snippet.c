/*
** snippet.c — the newsidx_snippet() auxiliary function. See snippet.h.
*/
#include "snippet.h"
#include "strbuf.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define SENTENCE_REACH 10 /* tokens a passage may grow to reach a sentence boundary */
#define WORD_REACH     8  /* tokens it may grow to take in the rest of a hyphenated word */

typedef struct token {
  int start, end;   /* bytes in the column text */
  int stem, n_stem; /* bytes in the stem arena */
  int hit;          /* 0 no, 1 FTS5 match, 2 derived form of a matched stem */
  int group;        /* phrase number, for counting distinct phrases */
  int span;         /* tokens of one phrase instance share a span id, highlighted as one */
} token;

typedef struct column_tokens {
  const char *text;
  int n_text;
  token *tokens;
  int n, cap;
  char *arena;
  int n_arena, cap_arena;
  int limit;   /* tokens to collect: the rest cannot be in a passage */
  int stopped; /* the tokenizer was stopped at the limit */
} column_tokens;

static int collect_token(void *ctx, int tflags, const char *stem, int n_stem, int start, int end) {
  column_tokens *c = ctx;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  if (c->n >= c->limit) {
    c->stopped = 1;
    return SQLITE_DONE; /* ends the tokenizer's walk; not an error */
  }
  if (c->n == c->cap) {
    int cap = c->cap ? c->cap * 2 : 256;
    token *grown = realloc(c->tokens, (size_t)cap * sizeof *grown);
    if (!grown) return SQLITE_NOMEM;
    c->tokens = grown;
    c->cap = cap;
  }
  if (c->n_arena + n_stem > c->cap_arena) {
    int cap = (c->n_arena + n_stem) * 2 + 1024;
    char *grown = realloc(c->arena, (size_t)cap);
    if (!grown) return SQLITE_NOMEM;
    c->arena = grown;
    c->cap_arena = cap;
  }
  memcpy(c->arena + c->n_arena, stem, (size_t)n_stem);
  c->tokens[c->n++] = (token){start, end, c->n_arena, n_stem, 0, -1, -1};
  c->n_arena += n_stem;
  return SQLITE_OK;
}

int snippet_stems_related(const char *a, int n_a, const char *b, int n_b) {
  static const char *const suffixes[] = {"ist", "ism", "ian", "an",  "ic",  "ical", "al",
                                         "er",  "ese", "ish", "ite", "ity", "i"};
  if (n_a > n_b) {
    const char *t = a;
    a = b;
    b = t;
    int n = n_a;
    n_a = n_b;
    n_b = n;
  }
  if (n_a < 4 || n_a == n_b || memcmp(a, b, (size_t)n_a) != 0) return 0;
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    size_t n = strlen(suffixes[i]);
    if ((size_t)(n_b - n_a) == n && memcmp(b + n_a, suffixes[i], n) == 0) return 1;
  }
  return 0;
}

/* Marks the tokens FTS5 matched in column `col` (the instances of matches.h), then their
** derived forms at tokens below `reach`. */
static int mark_hits(const snippet_matches *matches, int col, int reach, column_tokens *c) {
  int n_inst = matches->n_instances;
  for (int i = 0; i < n_inst; i++) {
    const match_instance *inst = &matches->instances[i];
    if (inst->column != col || inst->phrase < 0 || inst->phrase >= matches->n_phrases) continue;
    int size = matches->phrase_size[inst->phrase];
    for (int k = inst->offset; k < inst->offset + size && k < c->n; k++) {
      if (k < 0) continue;
      c->tokens[k].hit = 1;
      c->tokens[k].group = inst->phrase;
      c->tokens[k].span = i;
    }
  }
  /* Derived forms: compare each other token with the distinct matched stems. */
  int *matched = malloc((size_t)(c->n > 0 ? c->n : 1) * sizeof *matched);
  if (!matched) return SQLITE_NOMEM;
  int n_matched = 0;
  for (int k = 0; k < c->n; k++) {
    if (c->tokens[k].hit != 1) continue;
    int seen = 0;
    for (int m = 0; m < n_matched && !seen; m++) {
      token *t = &c->tokens[matched[m]];
      seen = t->n_stem == c->tokens[k].n_stem &&
             memcmp(c->arena + t->stem, c->arena + c->tokens[k].stem, (size_t)t->n_stem) == 0;
    }
    if (!seen) matched[n_matched++] = k;
  }
  int next_span = n_inst;
  for (int k = 0; k < c->n && k < reach && n_matched; k++) {
    token *t = &c->tokens[k];
    if (t->hit) continue;
    for (int m = 0; m < n_matched; m++) {
      token *s = &c->tokens[matched[m]];
      if (snippet_stems_related(c->arena + t->stem, t->n_stem, c->arena + s->stem, s->n_stem)) {
        t->hit = 2;
        t->group = s->group;
        t->span = next_span++;
        break;
      }
    }
  }
  free(matched);
  return SQLITE_OK;
}

/* Distinct phrase groups among tokens [from, to), times 1000, plus the number of hits. */
static int window_score(const column_tokens *c, int from, int to, int n_groups) {
  unsigned char seen[64] = {0};
  int distinct = 0, hits = 0;
  for (int k = from; k < to && k < c->n; k++) {
    if (!c->tokens[k].hit) continue;
    hits++;
    int g = c->tokens[k].group;
    if (g >= 0 && g < (int)sizeof seen && !seen[g]) {
      seen[g] = 1;
      distinct++;
    } else if (g >= (int)sizeof seen) {
      distinct++; /* more phrases than we track: count them all as distinct */
    }
  }
  (void)n_groups;
  return distinct * 1000 + hits;
}

/* Is the word ending just before text[dot] an abbreviation such as "Lt", "Gen", "Dr" or an
** initial? Heuristic: one to three ASCII letters, the first a capital. */
static int abbreviation_before(const char *text, int dot) {
  int i = dot;
  while (i > 0 &&
         ((text[i - 1] >= 'a' && text[i - 1] <= 'z') || (text[i - 1] >= 'A' && text[i - 1] <= 'Z')))
    i--;
  int n = dot - i;
  return n >= 1 && n <= 3 && text[i] >= 'A' && text[i] <= 'Z';
}

int snippet_sentence_ends(const char *text, int n_text, int i) {
  char ch = text[i];
  if (ch == '\n') return 1;
  if (ch != '.' && ch != '!' && ch != '?') return 0;
  if (ch == '.' && abbreviation_before(text, i)) return 0;
  char next = i + 1 < n_text ? text[i + 1] : ' ';
  return next == ' ' || next == '\n' || next == '"' || next == '\'' || (unsigned char)next == 0xE2;
}

/* Does a sentence end in the gap [from, to) between two tokens of text (n_text bytes)? */
static int sentence_break(const char *text, int n_text, int from, int to) {
  for (int i = from; i < to; i++)
    if (snippet_sentence_ends(text, n_text, i)) return 1;
  return 0;
}

/* Appends text bytes [s, s + n) with each run of white space as one space. */
static void emit(strbuf *o, const char *s, size_t n) {
  for (size_t i = 0; i < n && !o->failed; i++) {
    int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (space && o->n > 0 && o->data[o->n - 1] == ' ') continue; /* one space per run */
    strbuf_putc(o, space ? ' ' : s[i]);
  }
}

static void emit_char(strbuf *o, char ch) { emit(o, &ch, 1); }

/* Are the bytes [from, to) only spaces, hyphens and apostrophes? */
static int only_joiners(const char *text, int from, int to) {
  for (int i = from; i < to; i++)
    if (text[i] != ' ' && text[i] != '-' && text[i] != '\'') return 0;
  return 1;
}

/* Emits text bytes [from, to) with the hit tokens of [t_from, t_to) marked. */
static void emit_marked(strbuf *o, const column_tokens *c, int from, int to, int t_from, int t_to) {
  int pos = from;
  for (int k = t_from; k < t_to && k < c->n; k++) {
    const token *t = &c->tokens[k];
    if (!t->hit || t->start < pos) continue;
    /* One highlight over the following hit tokens when only spaces or joiners separate
    ** them: "**narco-terrorists**", "**São Paulo**". */
    int last = k;
    while (last + 1 < t_to && last + 1 < c->n && c->tokens[last + 1].hit &&
           only_joiners(c->text, c->tokens[last].end, c->tokens[last + 1].start))
      last++;
    emit(o, c->text + pos, (size_t)(t->start - pos));
    emit_char(o, SNIPPET_OPEN);
    emit(o, c->text + t->start, (size_t)(c->tokens[last].end - t->start));
    emit_char(o, SNIPPET_CLOSE);
    pos = c->tokens[last].end;
    k = last;
  }
  if (to > pos) emit(o, c->text + pos, (size_t)(to - pos));
}

typedef struct fragment {
  int first, last; /* tokens, inclusive */
} fragment;

static int compare_fragments(const void *a, const void *b) {
  return ((const fragment *)a)->first - ((const fragment *)b)->first;
}

/* Is there a sentence break between token k and token k + 1? */
static int break_after(const column_tokens *c, int k) {
  return sentence_break(c->text, c->n_text, c->tokens[k].end, c->tokens[k + 1].start);
}

/* Moves the ends of [first, last] to sentence boundaries: outward by up to SENTENCE_REACH
** tokens when a boundary is that near, else inward, but never past the fragment's hits. */
static void widen_to_sentences(const column_tokens *c, fragment *f) {
  int first_hit = f->last, last_hit = f->first;
  for (int k = f->first; k <= f->last; k++)
    if (c->tokens[k].hit) {
      if (k < first_hit) first_hit = k;
      if (k > last_hit) last_hit = k;
    }
  int start = -1;
  for (int k = f->first; k >= 0 && f->first - k <= SENTENCE_REACH && start < 0; k--)
    if (k == 0 || break_after(c, k - 1)) start = k;
  for (int k = f->first + 1; k <= first_hit && start < 0; k++)
    if (break_after(c, k - 1)) start = k;
  if (start >= 0) f->first = start;

  int end = -1;
  for (int k = f->last; k < c->n && k - f->last <= SENTENCE_REACH && end < 0; k++)
    if (k == c->n - 1 || break_after(c, k)) end = k;
  for (int k = f->last - 1; k >= last_hit && k >= f->first && end < 0; k--)
    if (break_after(c, k)) end = k;
  if (end >= 0) f->last = end;
}

/* Are the bytes [from, to) one or more hyphens and apostrophes (' or ’), which join the tokens
** around them into one written word ("four-five", "O'Brien")? */
static int joined(const char *text, int from, int to) {
  if (from >= to) return 0;
  for (int i = from; i < to;) {
    if (text[i] == '-' || text[i] == '\'')
      i++;
    else if (to - i >= 3 && memcmp(text + i, "\xE2\x80\x99", 3) == 0)
      i += 3;
    else
      return 0;
  }
  return 1;
}

/* Moves the ends of [first, last] out to whole written words: a cut between two tokens that a
** hyphen or apostrophe joins would show "five" of "four-five", or end in "O'". */
static void widen_to_words(const column_tokens *c, fragment *f) {
  for (int k = 0; k < WORD_REACH && f->first > 0 &&
                  joined(c->text, c->tokens[f->first - 1].end, c->tokens[f->first].start);
       k++)
    f->first--;
  for (int k = 0; k < WORD_REACH && f->last + 1 < c->n &&
                  joined(c->text, c->tokens[f->last].end, c->tokens[f->last + 1].start);
       k++)
    f->last++;
}

/* End byte of a fragment ending at token `last`: include closing punctuation and quotes. */
static int fragment_end_byte(const column_tokens *c, int last) {
  int end = c->tokens[last].end;
  int limit = last + 1 < c->n ? c->tokens[last + 1].start : c->n_text;
  while (end < limit && c->text[end] != ' ' && c->text[end] != '\n' && c->text[end] != '\t')
    end++;
  return end;
}

static void build_snippet(column_tokens *c, int n_fragments, int length, strbuf *o) {
  if (n_fragments <= 0 || c->n == 0) {
    emit_marked(o, c, 0, c->n_text, 0, c->n);
    return;
  }
  if (length < 4) length = 4;
  if (n_fragments > 16) n_fragments = 16;
  fragment chosen[16];
  int n_chosen = 0;
  unsigned char *used = calloc((size_t)c->n, 1);
  if (!used) {
    o->failed = 1;
    return;
  }
  while (n_chosen < n_fragments) {
    int best = -1, best_score = 0;
    for (int k = 0; k < c->n; k++) {
      if (!c->tokens[k].hit || used[k]) continue;
      int from = k - length / 4 > 0 ? k - length / 4 : 0;
      int overlaps = 0;
      for (int j = from; j < from + length && j < c->n && !overlaps; j++)
        overlaps = used[j];
      if (overlaps) continue;
      int score = window_score(c, from, from + length, 0);
      if (score > best_score) {
        best_score = score;
        best = from;
      }
    }
    if (best < 0) break;
    int last = best + length - 1 < c->n ? best + length - 1 : c->n - 1;
    chosen[n_chosen++] = (fragment){best, last};
    for (int j = best; j <= last; j++)
      used[j] = 1;
  }
  free(used);
  if (n_chosen == 0) chosen[n_chosen++] = (fragment){0, length - 1 < c->n ? length - 1 : c->n - 1};

  for (int i = 0; i < n_chosen; i++) {
    widen_to_sentences(c, &chosen[i]);
    widen_to_words(c, &chosen[i]);
  }
  qsort(chosen, (size_t)n_chosen, sizeof *chosen, compare_fragments);

  int printed_to = -1, printed_end = 0; /* last token printed, and its end byte */
  for (int i = 0; i < n_chosen; i++) {
    fragment f = chosen[i];
    if (f.first <= printed_to) f.first = printed_to + 1; /* widened fragments may overlap */
    if (f.first > f.last) continue;
    if (printed_to < 0 && f.first > 0)
      emit(o, "… ", 4);
    else if (printed_to >= 0 && f.first == printed_to + 1) /* adjacent: no text left out */
      emit(o, c->text + printed_end, (size_t)(c->tokens[f.first].start - printed_end));
    else if (printed_to >= 0)
      emit(o, " … ", 5);
    printed_end = fragment_end_byte(c, f.last);
    emit_marked(o, c, c->tokens[f.first].start, printed_end, f.first, f.last + 1);
    printed_to = f.last;
  }
  if (printed_to < c->n - 1) emit(o, " …", 4);
}

/* The last token of a match of column `col`, or -1. */
static int last_match_token(const snippet_matches *m, int col) {
  int last = -1;
  for (int i = 0; i < m->n_instances; i++) {
    const match_instance *inst = &m->instances[i];
    if (inst->column != col || inst->phrase < 0 || inst->phrase >= m->n_phrases) continue;
    int end = inst->offset + m->phrase_size[inst->phrase] - 1;
    if (end > last) last = end;
  }
  return last;
}

/* How far a snippet of column `col` can reach, in tokens: passages are chosen around matches
** and derived forms, so with a match at token D, derived forms count up to D + length and no
** passage ends past D + 2 × length + SENTENCE_REACH (its end widened to a sentence, plus the
** token after it). Tokens beyond are not needed. Without a match in the column, or for a
** whole column, everything is. Sets *reach (derived forms) and returns the token limit. */
static int token_limit(const snippet_matches *m, int col, int n_fragments, int length, int *reach) {
  int last = last_match_token(m, col);
  *reach = INT_MAX;
  if (n_fragments <= 0 || last < 0 || last > INT_MAX / 4 - 4 * length - SENTENCE_REACH)
    return INT_MAX;
  *reach = last + length + 1;
  return last + 2 * length + SENTENCE_REACH + 2;
}

/* Collects the tokens of c->text up to c->limit through `tokenize`, marks the matches and
** builds the snippet into *o. Returns an SQLite code. */
static int make_snippet(column_tokens *c, const snippet_matches *m, int col, int n_fragments,
                        int length, snippet_tokenizer tokenize, void *source, strbuf *o) {
  if (length < 4) length = 4;
  int reach;
  c->limit = token_limit(m, col, n_fragments, length, &reach);
  int rc = tokenize(source, c->text, c->n_text, c);
  if (rc == SQLITE_DONE && c->stopped) rc = SQLITE_OK;
  if (rc == SQLITE_OK) rc = mark_hits(m, col, reach, c);
  if (rc == SQLITE_OK) {
    build_snippet(c, n_fragments, length, o);
    if (o->failed) rc = SQLITE_NOMEM;
  }
  return rc;
}

/* FTS5's tokenizer of the table, for the auxiliary function. */
static int tokenize_with_fts5(void *source, const char *text, int n_text, void *tokens) {
  void **fts5 = source; /* {api, context} */
  const Fts5ExtensionApi *api = fts5[0];
  return api->xTokenize(fts5[1], text, n_text, tokens, collect_token);
}

static void snippet_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                             int n_args, sqlite3_value **args) {
  if (n_args != 3) {
    sqlite3_result_error(ctx, "newsidx_snippet: expected (table, column, fragments, tokens)", -1);
    return;
  }
  int col = sqlite3_value_int(args[0]);
  int n_fragments = sqlite3_value_int(args[1]);
  int length = sqlite3_value_int(args[2]);
  if (col < 0 || col >= api->xColumnCount(fts)) {
    sqlite3_result_error(ctx, "newsidx_snippet: no such column", -1);
    return;
  }
  column_tokens c = {0};
  int rc = api->xColumnText(fts, col, &c.text, &c.n_text);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  if (!c.text) {
    sqlite3_result_null(ctx);
    return;
  }
  /* The matches of the row, as the ranking records them (matches.c). */
  match_store store = {0};
  rc = match_store_begin(&store, api, fts);
  if (rc == SQLITE_OK) rc = match_store_capture(&store, api, fts, api->xRowid(fts));
  snippet_matches m = {store.arena, (int)store.n_arena, store.phrase_size, store.n_phrases};
  const void *source[2] = {api, fts};
  strbuf o = {0};
  if (rc == SQLITE_OK)
    rc = make_snippet(&c, &m, col, n_fragments, length, tokenize_with_fts5, (void *)source, &o);
  if (rc == SQLITE_OK)
    sqlite3_result_text(ctx, o.data ? o.data : "", -1, SQLITE_TRANSIENT);
  else
    sqlite3_result_error_code(ctx, rc);
  strbuf_free(&o);
  match_store_free(&store);
  free(c.tokens);
  free(c.arena);
}

/* The index's tokenizer chain through newsidx_tokenize(), for snippets made in memory. */
static int relay_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  return collect_token(ctx, 0, stem, n_stem, start, end) != SQLITE_OK;
}

static int tokenize_with_db(void *source, const char *text, int n_text, void *tokens) {
  column_tokens *c = tokens;
  newsidx_status_t status = newsidx_tokenize(source, text, n_text, relay_token, c, NULL);
  if (status == NEWSIDX_OK) return SQLITE_OK;
  return c->stopped ? SQLITE_DONE : status == NEWSIDX_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

newsidx_status_t snippet_from_text(newsidx_db *db, const char *text, int n_text, int col,
                                   const snippet_matches *m, int n_fragments, int length,
                                   strbuf *out, newsidx_error *err) {
  column_tokens c = {0};
  c.text = text;
  c.n_text = n_text;
  int rc = make_snippet(&c, m, col, n_fragments, length, tokenize_with_db, db, out);
  free(c.tokens);
  free(c.arena);
  if (rc == SQLITE_NOMEM) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (rc != SQLITE_OK) return newsidx_error_set(err, NEWSIDX_ERROR, "making a snippet failed");
  return NEWSIDX_OK;
}

int snippet_register(fts5_api *api) {
  return api->xCreateFunction(api, "newsidx_snippet", NULL, snippet_function, NULL);
}

void snippet_lead(const char *text, int max_words, strbuf *out) {
  int words = 0, in_word = 0, n_text = (int)strlen(text);
  size_t i = 0, sentence_end = 0;
  for (; text[i]; i++) {
    int space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
    if (!space && !in_word && ++words > max_words) break;
    in_word = !space;
    if (words >= max_words / 2 && snippet_sentence_ends(text, n_text, (int)i)) sentence_end = i + 1;
  }
  if (!text[i]) {
    emit(out, text, i);
  } else if (sentence_end) { /* end at the last full sentence in the second half */
    emit(out, text, sentence_end);
    emit(out, " …", strlen(" …"));
  } else {
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t'))
      i--;
    emit(out, text, i);
    emit(out, " …", strlen(" …"));
  }
  if (!out->data && !out->failed) strbuf_put(out, "", 0);
}
