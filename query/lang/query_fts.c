/*
** query_fts.c — syntax tree to FTS5 expression and filters. See query_fts.h.
*/
#include "query_fts.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What compiling a node wrote. A column filter ("title : x") is an atom to AND, OR and NOT, but
** FTS5 refuses one directly after another ("title : body : x"), so it has a kind of its own,
** whatever node wrote it: a group can compile to one when its other parts vanish. */
enum {
  WROTE_NOTHING = 0,
  WROTE_ATOM = 1,
  WROTE_COMPOSITE = 2,
  WROTE_FIELD = 3,
  WROTE_ALL = 4, /* every article (*): nothing written; AND drops it, OR becomes it */
  COMPILE_FAILED = -1
};

typedef struct compiler {
  newsidx_db *db;
  const query_ast *ast;
  query_plan *plan;
  newsidx_error *err;
  newsidx_status_t status;
  int n_terms; /* distinct FTS5 phrases written so far: words, phrases, prefixes */
  int n_words; /* their tokens */
  strbuf seen; /* the distinct terms' keys (term_key()), each ended by '\n' */
} compiler;

static int fail(compiler *c, int pos, const char *what) {
  if (c->status == NEWSIDX_OK)
    c->status = newsidx_error_set(c->err, NEWSIDX_QUERY, "query error at column %d: %s",
                                  query_column(c->ast->text, pos), what);
  return COMPILE_FAILED;
}

static const query_node *node(const compiler *c, int i) { return &c->ast->nodes[i]; }

/* The tokens of one leaf: how many, where the first one over the query's limit starts, the
** leaf's key (its stems, each ended by ' ', then '*' for a prefix: term_seen()), and whether
** some stem differs from its token as written (a prefix then adds the prefix of its stems). */
typedef struct leaf_tokens {
  int n;
  int room;      /* tokens the query may still have */
  int over_byte; /* byte (in the leaf) of the first token beyond `room`, or -1 */
  const char *text;
  strbuf key;
  int stemmed; /* some stem differs from its token as written (written_as) */
} leaf_tokens;

/* Whether a stem (n_stem bytes) is its token as written (n_text bytes), ASCII case aside and
** without the '.' and ',' the tokenizer drops from initials and numbers (U.S is us). */
static int written_as(const char *stem, int n_stem, const char *text, int n_text) {
  int j = 0;
  for (int i = 0; i < n_text; i++) {
    if (j < n_stem && tolower((unsigned char)text[i]) == (unsigned char)stem[j])
      j++;
    else if (text[i] != '.' && text[i] != ',')
      return 0;
  }
  return j == n_stem;
}

static int count_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  leaf_tokens *t = ctx;
  if (t->n++ == t->room) t->over_byte = start;
  strbuf_put(&t->key, stem, (size_t)n_stem);
  strbuf_putc(&t->key, ' ');
  if (!written_as(stem, n_stem, t->text + start, end - start)) t->stemmed = 1;
  return 0;
}

/* Is `key` in `set` (entries "N:" and N bytes)? Else adds it. */
static int key_seen(strbuf *set, const strbuf *key) {
  for (size_t at = 0; set->data && at < set->n;) {
    char *colon;
    size_t n = strtoul(set->data + at, &colon, 10);
    const char *entry = colon + 1;
    if (n == key->n && memcmp(entry, key->data, n) == 0) return 1;
    at = (size_t)(entry + n - set->data);
  }
  strbuf_printf(set, "%zu:", key->n);
  strbuf_put(set, key->data, key->n);
  return 0;
}

/* Has a term with this key been counted already? Else remembers it. A word written many
** times (oil oil oil…, or kraan in each NEAR of an expanded group) is one term to the limits:
** FTS5 reads its rows once per phrase, but ranking and the limits are about distinct terms. */
static int term_seen(compiler *c, const strbuf *key) { return key_seen(&c->seen, key); }

/* Writes s (n bytes) as an FTS5 string, with '*' after it for a prefix. */
static void put_string(strbuf *out, const char *s, int n, int prefix) {
  strbuf_putc(out, '"');
  for (int i = 0; i < n; i++) {
    if (s[i] == '"') strbuf_putc(out, '"');
    strbuf_putc(out, s[i]);
  }
  strbuf_puts(out, prefix ? "\" *" : "\"");
}

/* WROTE_ATOM when a leaf of these tokens fits in the query's limits (QUERY_MAX_TERMS and
** QUERY_MAX_WORDS), and counts it (once: a term written again is `seen`); else fails at the
** leaf or the word that goes over. */
static int count_leaf(compiler *c, const query_node *n, const leaf_tokens *tokens, int seen) {
  if (seen) return WROTE_ATOM; /* counted the first time */
  char why[96];
  if (++c->n_terms > QUERY_MAX_TERMS) {
    snprintf(why, sizeof why, "more than %d words, phrases or prefixes", QUERY_MAX_TERMS);
    return fail(c, n->pos, why);
  }
  c->n_words += tokens->n;
  if (tokens->over_byte >= 0) {
    snprintf(why, sizeof why, "more than %d words, counting those inside phrases", QUERY_MAX_WORDS);
    return fail(c, n->start + tokens->over_byte, why);
  }
  return WROTE_ATOM;
}

/* Writes a prefix whose tokens stem to something else than they are written ("prices" *). The
** index holds stems and FTS5 hands the tokenizer a prefix unstemmed, so the written prefix
** alone finds no article of *prices* (stem price): the prefix of the stems is added, "prices"
** * OR "price" *. Inside NEAR, which takes no OR, the stems' prefix stands alone. `stems` is
** the leaf's key without its '*': the stems, each ended by ' '. */
static int put_stemmed_prefix(const char *text, int len, const strbuf *stems, int in_near,
                              strbuf *out) {
  if (stems->failed) out->failed = 1;
  if (!in_near) {
    put_string(out, text, len, 1);
    strbuf_puts(out, " OR ");
  }
  put_string(out, stems->data, stems->n ? (int)stems->n - 1 : 0, 1);
  return in_near ? WROTE_ATOM : WROTE_COMPOSITE;
}

/* A word, phrase or prefix as an FTS5 string, or nothing when it has no searchable token.
** Fails when the query grows beyond its limits (count_leaf). `in_near`: the leaf is a phrase
** of NEAR(). */
static int compile_leaf(compiler *c, const query_node *n, int in_near, strbuf *out) {
  const char *text = c->ast->text + n->start;
  int len = n->end - n->start;
  leaf_tokens tokens = {0, QUERY_MAX_WORDS - c->n_words, -1, text, {0}, 0};
  int result = COMPILE_FAILED;
  c->status = newsidx_tokenize(c->db, text, len, count_token, &tokens, c->err);
  size_t n_stems = tokens.key.n;
  if (n->kind == QNODE_PREFIX) strbuf_putc(&tokens.key, '*');
  if (c->status == NEWSIDX_OK)
    result = tokens.n ? count_leaf(c, n, &tokens, term_seen(c, &tokens.key)) : WROTE_NOTHING;
  if (result == WROTE_ATOM && n->kind == QNODE_PREFIX && tokens.stemmed) {
    tokens.key.n = n_stems;
    result = put_stemmed_prefix(text, len, &tokens.key, in_near, out);
  } else if (result == WROTE_ATOM) {
    put_string(out, text, len, n->kind == QNODE_PREFIX);
  }
  strbuf_free(&tokens.key);
  return result;
}

/* Takes a filter out of the tree into the plan. */
static int hoist_filter(compiler *c, const query_node *n, int negated) {
  newsidx_status_t status = NEWSIDX_OK;
  query_filters *f = &c->plan->filters;
  if (n->field == QFIELD_DATE) {
    status = query_filters_add_range(f, negated, QUERY_FROM_QUERY, &n->range, c->err);
  } else {
    /* tag:a,b means either; "quoted, values" and URLs keep their commas. */
    const char *v = c->ast->text + n->start, *end = c->ast->text + n->end;
    while (status == NEWSIDX_OK && v <= end) {
      const char *comma =
          n->quoted || n->field == QFIELD_URL ? NULL : memchr(v, ',', (size_t)(end - v));
      const char *stop = comma ? comma : end;
      status = query_filters_add_text(f, n->field, negated, QUERY_FROM_QUERY, v, (int)(stop - v),
                                      c->err);
      v = stop + 1;
    }
  }
  if (status != NEWSIDX_OK) {
    c->status = status;
    return COMPILE_FAILED;
  }
  return WROTE_NOTHING;
}

static int misplaced_filter(compiler *c, const query_node *n) {
  char what[160];
  snprintf(what, sizeof what,
           "%s: filters the whole query; it cannot stand inside OR, NEAR, NOT (…) or a field",
           query_field_name(n->field));
  return fail(c, n->pos, what);
}

static int compile_node(compiler *c, int i, int hoist, strbuf *out);

/* Appends `part` to `list`, joined by `op`, in parentheses when it is composite. */
static void append_part(strbuf *list, const char *op, const strbuf *part, int kind) {
  if (list->n) strbuf_puts(list, op);
  if (kind == WROTE_COMPOSITE) strbuf_putc(list, '(');
  strbuf_put(list, part->data, part->n);
  if (kind == WROTE_COMPOSITE) strbuf_putc(list, ')');
}

typedef struct and_parts {
  strbuf positive;     /* p1 AND p2 …, composite parts in parentheses */
  strbuf first;        /* p1 as it is, for an AND of one */
  strbuf negative;     /* n1 NOT n2 …: what follows "P NOT " */
  strbuf negative_any; /* n1 OR n2 …: the exclusions alone */
  strbuf seen;         /* the positive parts so far (key_seen()): oil oil is "oil" once */
  int n_positive, n_negative;
  int last_kind; /* of the only positive part */
  int first_not; /* byte of the first NOT, or -1 */
  int n_all;     /* parts that are every article (*) */
} and_parts;

/* Collects the children of an AND (nested ANDs flattened: (a (b -c)) is a b -c) into parts. */
static int collect_and(compiler *c, int i, int hoist, and_parts *parts) {
  const query_node *n = node(c, i);
  if (n->kind == QNODE_AND) {
    for (int k = n->first; k >= 0; k = node(c, k)->next)
      if (collect_and(c, k, hoist, parts) == COMPILE_FAILED) return COMPILE_FAILED;
    return WROTE_NOTHING;
  }
  strbuf part = {0};
  int kind;
  if (n->kind == QNODE_NOT) {
    const query_node *inner = node(c, n->first);
    if (inner->kind == QNODE_FILTER) {
      kind = hoist ? hoist_filter(c, inner, 1) : misplaced_filter(c, inner);
    } else {
      kind = compile_node(c, n->first, 0, &part);
      if (kind == WROTE_ALL) kind = WROTE_NOTHING; /* -* excludes nothing it could list */
      if (kind > 0) {
        append_part(&parts->negative, " NOT ", &part, kind);
        append_part(&parts->negative_any, " OR ", &part, kind);
        parts->n_negative++;
        if (parts->first_not < 0) parts->first_not = n->pos;
      }
    }
  } else {
    kind = compile_node(c, i, hoist, &part);
    if (kind == WROTE_ALL) parts->n_all++;
    if (kind > 0 && kind != WROTE_ALL && !key_seen(&parts->seen, &part)) {
      if (parts->n_positive == 0) strbuf_put(&parts->first, part.data, part.n);
      append_part(&parts->positive, " AND ", &part, kind);
      parts->n_positive++;
      parts->last_kind = kind;
    }
  }
  strbuf_free(&part);
  return kind == COMPILE_FAILED ? COMPILE_FAILED : WROTE_NOTHING;
}

/* An AND (or any node taken as a one-element AND). At the top (`top`), negations alone go to
** plan->exclude; elsewhere they need something to exclude from. */
static int compile_and(compiler *c, int i, int hoist, int top, strbuf *out) {
  and_parts parts = {{0}, {0}, {0}, {0}, {0}, 0, 0, 0, -1, 0};
  int result = collect_and(c, i, hoist, &parts);
  if (result != COMPILE_FAILED && parts.n_positive == 0 && parts.n_negative == 0 &&
      parts.n_all > 0) {
    result = WROTE_ALL; /* a AND * is a, * AND * is * */
  } else if (result != COMPILE_FAILED && parts.n_positive == 0 && parts.n_negative > 0) {
    if (top) {
      c->plan->match_all = parts.n_all > 0; /* * -ghana: every article but those */
      c->plan->exclude = strbuf_take(&parts.negative_any);
      c->plan->exclude_pos = parts.first_not;
      if (!c->plan->exclude) c->status = newsidx_error_set(c->err, NEWSIDX_NOMEM, "out of memory");
      result = c->plan->exclude ? WROTE_NOTHING : COMPILE_FAILED;
    } else {
      result = fail(c, parts.first_not, "NOT has nothing to exclude from here");
    }
  } else if (result != COMPILE_FAILED && parts.n_positive == 1 && parts.n_negative == 0) {
    strbuf_put(out, parts.first.data, parts.first.n);
    result = parts.last_kind;
  } else if (result != COMPILE_FAILED && parts.n_positive > 0) {
    int wrap = parts.n_positive > 1 && parts.n_negative > 0;
    if (wrap) strbuf_putc(out, '(');
    strbuf_put(out, parts.positive.data, parts.positive.n);
    if (wrap) strbuf_putc(out, ')');
    if (parts.n_negative) {
      strbuf_puts(out, " NOT ");
      strbuf_put(out, parts.negative.data, parts.negative.n);
    }
    result = WROTE_COMPOSITE;
  }
  strbuf_free(&parts.positive);
  strbuf_free(&parts.first);
  strbuf_free(&parts.negative);
  strbuf_free(&parts.negative_any);
  strbuf_free(&parts.seen);
  return result;
}

static int compile_or(compiler *c, const query_node *n, strbuf *out) {
  int n_parts = 0, last_kind = WROTE_NOTHING;
  for (int k = n->first; k >= 0; k = node(c, k)->next) {
    const query_node *child = node(c, k);
    if (child->kind == QNODE_NOT)
      return fail(c, child->pos, "NOT inside OR has nothing to exclude from");
    strbuf part = {0};
    int kind = compile_node(c, k, 0, &part);
    if (kind > 0 && kind != WROTE_ALL) {
      append_part(out, " OR ", &part, kind);
      n_parts++;
    }
    if (kind != WROTE_NOTHING && last_kind != WROTE_ALL) last_kind = kind; /* a OR * is * */
    strbuf_free(&part);
    if (kind == COMPILE_FAILED) return COMPILE_FAILED;
  }
  if (last_kind == WROTE_ALL) strbuf_reset(out);
  return last_kind == WROTE_ALL ? WROTE_ALL
         : n_parts == 0         ? WROTE_NOTHING
         : n_parts == 1         ? last_kind
                                : WROTE_COMPOSITE;
}

/* The FTS5 distance for a NEAR group of `n_phrases` phrases whose operator said `words`. The
** user's N, as Xapian's NEAR/N, is a window of N + k - 1 words holding all k of them (two words
** at most N apart). FTS5's NEAR(…, M) allows M tokens between the end of the first phrase and
** the start of the last, the phrases between them included: so M = N + k - 3. */
static int fts5_near_distance(int words, int n_phrases) {
  int m = words + n_phrases - 3;
  return m < 0 ? 0 : m;
}

/* Appends to alts the leaves node i stands for beside NEAR: itself, or the leaves of its OR. */
static void near_alternatives(const compiler *c, int i, int *alts, int *n_alts) {
  if (node(c, i)->kind != QNODE_OR) {
    alts[(*n_alts)++] = i;
    return;
  }
  for (int k = node(c, i)->first; k >= 0; k = node(c, k)->next)
    near_alternatives(c, k, alts, n_alts);
}

/* One NEAR group over the leaves `pick` (n of them); the leaves with nothing searchable drop
** out. Returns the number of phrases written, or COMPILE_FAILED. */
static int compile_near_group(compiler *c, const int *pick, int n, int distance, strbuf *out) {
  strbuf phrases = {0};
  int n_phrases = 0;
  for (int k = 0; k < n; k++) {
    strbuf part = {0};
    int kind = compile_leaf(c, node(c, pick[k]), 1, &part);
    if (kind > 0) {
      if (n_phrases++) strbuf_putc(&phrases, ' ');
      strbuf_put(&phrases, part.data, part.n);
    }
    strbuf_free(&part);
    if (kind == COMPILE_FAILED) n_phrases = COMPILE_FAILED;
    if (kind == COMPILE_FAILED) break;
  }
  if (n_phrases == 1) strbuf_put(out, phrases.data, phrases.n);
  if (n_phrases > 1)
    strbuf_printf(out, "NEAR(%s, %d)", phrases.data, fts5_near_distance(distance, n_phrases));
  strbuf_free(&phrases);
  return n_phrases;
}

/* A NEAR whose operands may be ORs (kraan NEAR (a OR b)): FTS5's NEAR takes only phrases, so it
** becomes the OR of one NEAR per choice of alternatives, at most QUERY_MAX_TERMS of them. */
static int compile_near(compiler *c, const query_node *n, strbuf *out) {
  int k = n->n_children, *alts = malloc((size_t)c->ast->n_nodes * sizeof *alts);
  int *first = malloc((size_t)(k + 1) * sizeof *first), *pick = malloc((size_t)k * sizeof *pick);
  int *at = calloc((size_t)k, sizeof *at), n_alts = 0, result = WROTE_NOTHING, n_written = 0;
  if (!alts || !first || !pick || !at) {
    c->status = newsidx_error_set(c->err, NEWSIDX_NOMEM, "out of memory");
    result = COMPILE_FAILED;
    goto done;
  }
  long n_choices = 1;
  int j = 0;
  for (int i = n->first; i >= 0; i = node(c, i)->next, j++) {
    first[j] = n_alts;
    near_alternatives(c, i, alts, &n_alts);
    n_choices *= n_alts - first[j];
    if (n_choices > QUERY_MAX_TERMS) {
      result = fail(c, n->pos, "NEAR over (… OR …) makes more than 64 NEAR groups");
      goto done;
    }
  }
  first[k] = n_alts;
  for (long choice = 0; choice < n_choices; choice++) {
    for (j = 0; j < k; j++)
      pick[j] = alts[first[j] + at[j]];
    strbuf group = {0};
    int n_phrases = compile_near_group(c, pick, k, n->distance, &group);
    if (n_phrases > 0) {
      if (n_written++) strbuf_puts(out, " OR ");
      strbuf_put(out, group.data, group.n);
    }
    strbuf_free(&group);
    if (n_phrases == COMPILE_FAILED) {
      result = COMPILE_FAILED;
      goto done;
    }
    for (j = k - 1; j >= 0 && ++at[j] == first[j + 1] - first[j]; j--) /* the next choice */
      at[j] = 0;
  }
  result = n_written > 1 ? WROTE_COMPOSITE : n_written ? WROTE_ATOM : WROTE_NOTHING;
done:
  free(alts);
  free(first);
  free(pick);
  free(at);
  return result;
}

static int compile_field(compiler *c, const query_node *n, strbuf *out) {
  strbuf part = {0};
  int kind = compile_node(c, n->first, 0, &part);
  if (kind > 0 && kind != WROTE_ALL) { /* title:* is every article */
    strbuf_printf(out, "%s : ", query_field_name(n->field));
    /* FTS5 takes "title : (body : x)", not "title : body : x" */
    append_part(out, "", &part, kind == WROTE_FIELD ? WROTE_COMPOSITE : kind);
    kind = WROTE_FIELD;
  }
  strbuf_free(&part);
  return kind;
}

/* Compiles node i into out. `hoist`: every operator above is AND, so filters may be taken
** out. Returns WROTE_*, or COMPILE_FAILED with c->status set. */
static int compile_node(compiler *c, int i, int hoist, strbuf *out) {
  const query_node *n = node(c, i);
  switch (n->kind) {
  case QNODE_AND: return compile_and(c, i, hoist, 0, out);
  case QNODE_OR: return compile_or(c, n, out);
  case QNODE_NOT: return fail(c, n->pos, "NOT has nothing to exclude from here");
  case QNODE_NEAR: return compile_near(c, n, out);
  case QNODE_FIELD: return compile_field(c, n, out);
  case QNODE_FILTER: return hoist ? hoist_filter(c, n, 0) : misplaced_filter(c, n);
  case QNODE_ALL: return WROTE_ALL;
  default: return compile_leaf(c, n, 0, out);
  }
}

/* The notice for a NAME: that is a field elsewhere but not here (subject:x searched x). */
static newsidx_status_t foreign_field_notice(const query_ast *ast, query_plan *plan,
                                             newsidx_error *err) {
  if (ast->foreign_start < 0) return NEWSIDX_OK;
  strbuf text = {0};
  strbuf_printf(&text, "note: %.*s is not a field here, its words were searched (fields: ",
                ast->foreign_end - ast->foreign_start, ast->text + ast->foreign_start);
  for (query_field f = QFIELD_TITLE; f <= QFIELD_SITE; f++)
    strbuf_printf(&text, "%s%s:", f == QFIELD_TITLE ? "" : ", ", query_field_name(f));
  strbuf_putc(&text, ')');
  plan->notice = strbuf_take(&text);
  return plan->notice ? NEWSIDX_OK : newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
}

newsidx_status_t query_compile_ast(newsidx_db *db, const query_ast *ast, query_plan *plan,
                                   newsidx_error *err) {
  memset(plan, 0, sizeof *plan);
  if (ast->root < 0) return foreign_field_notice(ast, plan, err);
  compiler c = {db, ast, plan, err, NEWSIDX_OK, 0, 0, {0}};
  strbuf out = {0};
  int kind = compile_and(&c, ast->root, 1, 1, &out);
  if (kind != COMPILE_FAILED && (out.failed || c.seen.failed))
    c.status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (c.status == NEWSIDX_OK && kind == WROTE_ALL) plan->match_all = 1;
  if (c.status == NEWSIDX_OK && kind > 0 && kind != WROTE_ALL) plan->match = strbuf_take(&out);
  if (c.status == NEWSIDX_OK) c.status = foreign_field_notice(ast, plan, err);
  strbuf_free(&out);
  strbuf_free(&c.seen);
  if (c.status != NEWSIDX_OK) query_plan_free(plan);
  return c.status;
}

newsidx_status_t query_compile(newsidx_db *db, const char *query, time_t now, query_plan *plan,
                               newsidx_error *err) {
  memset(plan, 0, sizeof *plan);
  query_ast *ast;
  newsidx_status_t status = query_parse(query, now, db, &ast, err);
  if (status != NEWSIDX_OK) return status;
  status = query_compile_ast(db, ast, plan, err);
  query_ast_free(ast);
  return status;
}

void query_plan_free(query_plan *plan) {
  free(plan->match);
  free(plan->notice);
  free(plan->exclude);
  query_filters_free(&plan->filters);
  memset(plan, 0, sizeof *plan);
}

/* The one stem of a string, or none when it has several. */
typedef struct only_stem {
  int n;
  char stem[256]; /* tokens are cut at 128 bytes */
  int n_stem;
} only_stem;

static int keep_only_stem(void *ctx, const char *stem, int n_stem, int start, int end) {
  only_stem *o = ctx;
  if (o->n++ == 0 && n_stem <= (int)sizeof o->stem) {
    memcpy(o->stem, stem, (size_t)n_stem);
    o->n_stem = n_stem;
  }
  return 0;
}

newsidx_status_t query_phrase_docs(newsidx_db *db, const char *match, int64_t **out, int *n_out,
                                   newsidx_error *err) {
  *out = NULL;
  *n_out = 0;
  /* the strings, unquoted, each followed by '*' when a prefix; a ':' outside them is a field */
  strbuf strings = {0};
  int n = 0, field = 0;
  for (const char *p = match; p && *p; p++) {
    if (*p == ':') field = 1;
    if (*p != '"') continue;
    for (p++; *p && !(p[0] == '"' && p[1] != '"'); p++) {
      if (*p == '"') p++; /* a doubled quote */
      strbuf_putc(&strings, *p);
    }
    if (!*p) break;
    const char *after = p + 1;
    while (*after == ' ')
      after++;
    strbuf_putc(&strings, *after == '*' ? '*' : '"');
    strbuf_putc(&strings, '\0');
    n++;
  }
  int64_t *docs = malloc((size_t)(n ? n : 1) * sizeof *docs);
  if (!docs || strings.failed) {
    free(docs);
    strbuf_free(&strings);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  newsidx_status_t status = NEWSIDX_OK;
  const char *s = strings.data;
  for (int i = 0; i < n; i++) {
    size_t len = strlen(s);
    docs[i] = -1;
    only_stem one = {0};
    if (!field && len > 1 && s[len - 1] == '"')
      status = newsidx_tokenize(db, s, (int)len - 1, keep_only_stem, &one, err);
    if (status == NEWSIDX_OK && one.n == 1 && one.n_stem > 0)
      status = newsidx_term_docs(db, one.stem, one.n_stem, &docs[i], err);
    if (status != NEWSIDX_OK) break;
    s += len + 1;
  }
  strbuf_free(&strings);
  if (status != NEWSIDX_OK) {
    free(docs);
    return status;
  }
  *out = docs;
  *n_out = n;
  return NEWSIDX_OK;
}

char *query_plan_describe(const query_plan *plan) {
  strbuf out = {0};
  strbuf_printf(&out, "match: %s\n",
                plan->match_all ? "(every article)"
                : plan->match   ? plan->match
                                : "(none)");
  if (plan->exclude) strbuf_printf(&out, "exclude: %s\n", plan->exclude);
  if (plan->notice) strbuf_printf(&out, "notice: %s\n", plan->notice);
  query_filters_describe(&plan->filters, &out);
  return strbuf_take(&out);
}
