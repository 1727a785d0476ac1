/*
** tokenizer.c — the `snowball` FTS5 tokenizer: unicode61 (or another parent tokenizer) for
** splitting and case/diacritic folding, libstemmer for stemming. See tokenizer.h.
**
** This file is compiled twice: into the core library, and with NEWSIDX_EXTENSION into the
** loadable extension, where every sqlite3_* call goes through the extension routine table.
*/
#ifdef NEWSIDX_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include "tokenizer.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A cache from token to stem: 2-way set-associative, CACHE_SETS sets of two slots, the most
** recently used slot of a set first. A stemmer call costs about 160 ns, a hit about 40 ns.
** News text is Zipfian but its vocabulary is large: Reuters-21578 has about 50,000 distinct
** tokens, and 4,096 direct-mapped slots missed one token in six (490,000 stemmer calls for
** 2.8 million tokens); 32,768 slots in pairs miss one in 35 (80,000 calls). The 1.6 MB are
** allocated on first use and cost memory only as they fill. */
#define CACHE_SETS  16384
#define CACHE_WAYS  2
#define CACHE_BYTES 24

typedef struct cache_slot {
  unsigned char n_token; /* 0: empty slot */
  unsigned char n_stem;
  char token[CACHE_BYTES];
  char stem[CACHE_BYTES];
} cache_slot;

typedef struct snowball_tokenizer {
  fts5_tokenizer parent_methods;
  Fts5Tokenizer *parent;
  struct sb_stemmer *stemmer;
  newsidx_snowball_module *module;
  cache_slot *cache; /* CACHE_SETS * CACHE_WAYS entries; NULL until the first stem */
} snowball_tokenizer;

/* A token being assembled from the parent's tokens, which unicode61 splits at every '.' and
** ',': a number with its decimal point and thousands separators ("3.15", "10,000" as 10000),
** or initials ("U.S." as us, "J.C." as jc). Each token waits here until the next one shows
** whether it continues it. */
typedef struct pending_token {
  char text[NEWSIDX_TOKEN_MAX];
  int n; /* 0: nothing pending */
  int start, end;
  int groups;   /* digits only, so far 1-3 digits or thousands groups: ",ddd" may follow */
  int initials; /* single letters joined by '.' so far: ".x" may follow */
} pending_token;

/* State of one xTokenize call, handed to the parent tokenizer as its context. */
typedef struct tokenize_call {
  snowball_tokenizer *tok;
  int flags;
  const char *text;
  int n_text;
  void *ctx;
  int (*emit)(void *, int, const char *, int, int, int);
  pending_token pending;
} tokenize_call;

static const char *const default_parent[] = {"unicode61", "remove_diacritics", "2"};

fts5_api *newsidx_fts5_api_of(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

static void snowball_delete(Fts5Tokenizer *handle) {
  snowball_tokenizer *tok = (snowball_tokenizer *)handle;
  if (!tok) return;
  if (tok->parent) tok->parent_methods.xDelete(tok->parent);
  if (tok->stemmer) sb_stemmer_delete(tok->stemmer);
  free(tok->cache);
  sqlite3_free(tok);
}

static int snowball_create(void *user_data, const char **args, int n_args, Fts5Tokenizer **out) {
  newsidx_snowball_module *module = user_data;
  const char *language = n_args > 0 ? args[0] : "english";
  const char *const *parent_args = default_parent;
  int n_parent_args = 3;
  if (n_args > 1) {
    parent_args = args + 1;
    n_parent_args = n_args - 1;
  }
  *out = NULL;

  snowball_tokenizer *tok = sqlite3_malloc(sizeof *tok);
  if (!tok) return SQLITE_NOMEM;
  memset(tok, 0, sizeof *tok);
  tok->module = module;

  tok->stemmer = sb_stemmer_new(language, "UTF_8");
  if (!tok->stemmer) {
    sqlite3_log(SQLITE_ERROR, "snowball: no stemmer for language \"%s\"", language);
    snowball_delete((Fts5Tokenizer *)tok);
    return SQLITE_ERROR;
  }
  /* The parent is looked up through the connection's FTS5 API object, which FTS5 hands us as
  ** part of the module registration below (module->api). */
  fts5_api *api = module->api;
  void *parent_user_data = NULL;
  int rc = api->xFindTokenizer(api, parent_args[0], &parent_user_data, &tok->parent_methods);
  if (rc == SQLITE_OK) {
    rc = tok->parent_methods.xCreate(parent_user_data, (const char **)parent_args + 1,
                                     n_parent_args - 1, &tok->parent);
  }
  if (rc != SQLITE_OK) {
    snowball_delete((Fts5Tokenizer *)tok);
    return rc;
  }
  *out = (Fts5Tokenizer *)tok;
  return SQLITE_OK;
}

/* FNV-1a over the token bytes: cheap and good enough to spread short words over the slots. */
static uint32_t token_hash(const char *s, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* Writes the stem of token (n bytes) to *stem and *n_stem. The stem points into the cache or the
** stemmer's buffer and is valid until the next call. Returns an SQLite code. */
static int stem_of(snowball_tokenizer *tok, const char *token, int n, const char **stem,
                   int *n_stem) {
  if (n > NEWSIDX_STEM_MAX) {
    *stem = token;
    *n_stem = n;
    return SQLITE_OK;
  }
  cache_slot *set = NULL;
  if (n < CACHE_BYTES) {
    if (!tok->cache) {
      /* calloc: fresh zero pages, which cost memory only as slots fill */
      tok->cache = calloc(CACHE_SETS * CACHE_WAYS, sizeof(cache_slot));
      if (!tok->cache) return SQLITE_NOMEM;
    }
    set = &tok->cache[(token_hash(token, n) & (CACHE_SETS - 1)) * CACHE_WAYS];
    for (int way = 0; way < CACHE_WAYS; way++) {
      cache_slot *slot = &set[way];
      if (slot->n_token != n || memcmp(slot->token, token, (size_t)n) != 0) continue;
      if (way > 0) { /* most recently used first */
        cache_slot hit = *slot;
        memmove(set + 1, set, (size_t)way * sizeof *set);
        set[0] = hit;
      }
      *stem = set[0].stem;
      *n_stem = set[0].n_stem;
      return SQLITE_OK;
    }
  }
  const sb_symbol *s = sb_stemmer_stem(tok->stemmer, (const sb_symbol *)token, n);
  if (!s) return SQLITE_NOMEM;
  int len = sb_stemmer_length(tok->stemmer);
  if (set && len < CACHE_BYTES) { /* the least recently used slot goes */
    memmove(set + 1, set, (CACHE_WAYS - 1) * sizeof *set);
    set[0].n_token = (unsigned char)n;
    memcpy(set[0].token, token, (size_t)n);
    set[0].n_stem = (unsigned char)len;
    memcpy(set[0].stem, s, (size_t)len);
  }
  *stem = (const char *)s;
  *n_stem = len;
  return SQLITE_OK;
}

/* Length of the longest prefix of s (n bytes) that is at most max bytes and does not end in
** the middle of a UTF-8 sequence. */
static int cut_at_char(const char *s, int n, int max) {
  if (n <= max) return n;
  int cut = max;
  while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
    cut--;
  return cut;
}

/* Emits one finished token: its stem, or for prefix queries the token as the parent folded it. */
static int emit_token(tokenize_call *call, const char *token, int n, int start, int end) {
  if (call->flags & FTS5_TOKENIZE_PREFIX) return call->emit(call->ctx, 0, token, n, start, end);

  const char *stem;
  int n_stem;
  int rc = stem_of(call->tok, token, n, &stem, &n_stem);
  if (rc != SQLITE_OK) return rc;
  newsidx_snowball_module *module = call->tok->module;
  if (module->observer && (call->flags & FTS5_TOKENIZE_DOCUMENT)) {
    rc = module->observer(module->observer_ctx, stem, n_stem, call->text, call->n_text, start, end);
    if (rc != SQLITE_OK) return rc;
  }
  return call->emit(call->ctx, 0, stem, n_stem, start, end);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int all_digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (!is_digit(s[i])) return 0;
  return n > 0;
}

/* Whether s (n bytes) is one UTF-8 character that is not a digit: a letter, as unicode61 keeps
** only letters and digits. */
static int one_letter(const char *s, int n) {
  if (n <= 0 || is_digit(s[0])) return 0;
  unsigned char c = (unsigned char)s[0];
  int n_char = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  return n == n_char;
}

/* Whether the token (n bytes at [start, end)) continues the pending one; appends it if so.
** Only a '.' or ',' right between them, no space, joins: "3.15", "10,000", "U.S."; the
** separator is kept in decimals and dropped from thousands groups and initials. */
static int join_pending(tokenize_call *call, const char *token, int n, int start, int end) {
  pending_token *p = &call->pending;
  if (!p->n || start != p->end + 1 || p->end >= call->n_text) return 0;
  char sep = call->text[p->end];
  int keep_sep = 0;
  if (sep == ',' && p->groups && n == 3 && all_digits(token, n)) {
    /* 10,000 is the number 10000 */
  } else if (sep == '.' && is_digit(p->text[0]) && is_digit(p->text[p->n - 1]) &&
             is_digit(token[0])) {
    keep_sep = 1;
    p->groups = 0;
  } else if (sep == '.' && p->initials && one_letter(token, n)) {
  } else {
    return 0;
  }
  if (p->n + keep_sep + n > NEWSIDX_TOKEN_MAX) return 0;
  if (keep_sep) p->text[p->n++] = sep;
  memcpy(p->text + p->n, token, (size_t)n);
  p->n += n;
  p->end = end;
  return 1;
}

/* Emits the pending token, if any. */
static int flush_pending(tokenize_call *call) {
  pending_token *p = &call->pending;
  if (!p->n) return SQLITE_OK;
  int n = p->n;
  p->n = 0;
  return emit_token(call, p->text, n, p->start, p->end);
}

static int on_parent_token(void *ctx, int tflags, const char *token, int n, int start, int end) {
  (void)tflags; /* unicode61 emits no colocated tokens */
  tokenize_call *call = ctx;
  n = cut_at_char(token, n, NEWSIDX_TOKEN_MAX);
  if (join_pending(call, token, n, start, end)) return SQLITE_OK;
  int rc = flush_pending(call);
  if (rc != SQLITE_OK) return rc;
  pending_token *p = &call->pending;
  memcpy(p->text, token, (size_t)n);
  p->n = n;
  p->start = start;
  p->end = end;
  p->groups = n <= 3 && all_digits(token, n);
  p->initials = one_letter(token, n);
  return SQLITE_OK;
}

/* Emits the tokens of `run`, after showing its observed terms to the observer. */
static int replay(newsidx_snowball_module *module, const newsidx_token_run *run, void *ctx,
                  int (*emit)(void *, int, const char *, int, int, int)) {
  int rc = SQLITE_OK;
  if (module->observer) rc = module->on_replay(module->observer_ctx, run->observed);
  for (int i = 0; i < run->n_tokens && rc == SQLITE_OK; i++) {
    const newsidx_token *t = &run->tokens[i];
    rc = emit(ctx, 0, run->stems + t->stem, (int)t->n_stem, t->start, t->end);
  }
  module->n_replayed++;
  return rc;
}

static int snowball_tokenize(Fts5Tokenizer *handle, void *ctx, int flags, const char *text,
                             int n_text, int (*emit)(void *, int, const char *, int, int, int)) {
  snowball_tokenizer *tok = (snowball_tokenizer *)handle;
  newsidx_snowball_module *module = tok->module;
  for (int i = 0; i < module->n_replay && (flags & FTS5_TOKENIZE_DOCUMENT); i++) {
    const newsidx_token_run *run = &module->replay[i];
    if (run->text == text && run->n_text == n_text &&
        (!module->observer || (module->on_replay && run->observed)))
      return replay(module, run, ctx, emit);
  }
  tokenize_call call = {tok, flags, text, n_text, ctx, emit, {{0}, 0, 0, 0, 0, 0}};
  int rc = tok->parent_methods.xTokenize(tok->parent, &call, flags, text, n_text, on_parent_token);
  return rc == SQLITE_OK ? flush_pending(&call) : rc;
}

static void module_destroy(void *module) { sqlite3_free(module); }

int newsidx_snowball_register(fts5_api *api, newsidx_snowball_module **module_out) {
  newsidx_snowball_module *module = sqlite3_malloc(sizeof *module);
  if (!module) return SQLITE_NOMEM;
  memset(module, 0, sizeof *module);
  module->api = api;
  fts5_tokenizer methods = {snowball_create, snowball_delete, snowball_tokenize};
  int rc = api->xCreateTokenizer(api, "snowball", module, &methods, module_destroy);
  if (rc != SQLITE_OK) {
    sqlite3_free(module);
    return rc;
  }
  if (module_out) *module_out = module;
  return SQLITE_OK;
}
