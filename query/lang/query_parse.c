/*
** query_parse.c — a forgiving recursive-descent parser for newsq queries. See query_parse.h.
*/
#include "query_parse.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRINGIFY(x) #x
#define TEXT_OF(x)   STRINGIFY(x)
#define DEPTH_TEXT   TEXT_OF(QUERY_MAX_DEPTH)

typedef struct parser {
  query_lexer lx;
  query_ast *ast;
  query_token tok; /* the lookahead, valid when have_tok */
  int have_tok;
  int hollow;       /* the lookahead is a word or phrase with nothing searchable in it */
  int skipped;      /* tokens left out just before the lookahead (see peek()) */
  int n_open;       /* '(' not closed yet: a ')' beyond them is stray */
  query_token prev; /* the token consumed last */
  newsidx_db *db;   /* what the index can search; NULL: any word */
  time_t now;
  newsidx_error *err;
  newsidx_status_t status; /* sticky: once set, parsing unwinds */
} parser;

static newsidx_status_t fail(parser *p, int pos, const char *what) {
  if (p->status == NEWSIDX_OK)
    p->status = newsidx_error_set(p->err, NEWSIDX_QUERY, "query error at column %d: %s",
                                  query_column(p->ast->text, pos), what);
  return p->status;
}

static int count_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  (*(int *)ctx)++;
  return 0;
}

/* Does the word or phrase `tok` hold a token the index can search? ("$", "—", "" do not.) */
static int searchable(parser *p, const query_token *tok) {
  if (!p->db || p->status != NEWSIDX_OK) return 1;
  int n = 0;
  p->status = newsidx_tokenize(p->db, p->ast->text + tok->start, tok->end - tok->start, count_token,
                               &n, p->err);
  return n > 0;
}

/* Is `tok` the value of the token before it, written right after a field name or a '-'
** (title:$, -"")? It then vanishes with that token, as one unit. */
static int attached(const parser *p, const query_token *tok) {
  return (p->prev.kind == QTOK_FIELD || (p->prev.kind == QTOK_NOT && p->prev.minus)) &&
         tok->pos == p->prev.end;
}

/* The lookahead. What can never be searched is left out here, as if it had not been typed, so
** that the operators around it bind to what is left (`cocoa NOT $ ghana` is cocoa NOT ghana):
** a ')' with no '(' open, and a word or phrase with nothing searchable, unless attached to a
** field name or '-' (then `hollow` is set, and the unit vanishes in parse_primary()). */
static const query_token *peek(parser *p) {
  if (!p->have_tok && p->status == NEWSIDX_OK) {
    p->skipped = p->hollow = 0;
    while ((p->status = query_lex_next(&p->lx, 0, &p->tok, p->err)) == NEWSIDX_OK) {
      query_token_kind k = p->tok.kind;
      int stray = k == QTOK_RPAREN && p->n_open == 0;
      if (!stray && (k == QTOK_WORD || k == QTOK_PHRASE)) {
        stray = !searchable(p, &p->tok);
        if (p->status != NEWSIDX_OK) break;
        if (stray && attached(p, &p->tok)) p->hollow = 1;
      }
      if (!stray || p->hollow) break;
      p->skipped++;
    }
    p->have_tok = 1;
  }
  if (p->status != NEWSIDX_OK) p->tok.kind = QTOK_END;
  return &p->tok;
}

static void consume(parser *p) {
  p->prev = p->tok;
  p->have_tok = 0;
}

/* Can a token of kind k begin an operand? */
static int starts_operand(query_token_kind k) {
  return k == QTOK_WORD || k == QTOK_PHRASE || k == QTOK_LPAREN || k == QTOK_FIELD ||
         k == QTOK_NEAR_OPEN || k == QTOK_ALL;
}

/* A new node; returns its index, or -1 when out of memory (status set). */
static int new_node(parser *p, query_node_kind kind, int pos) {
  query_ast *ast = p->ast;
  if (p->status != NEWSIDX_OK) return -1;
  if (ast->n_nodes == ast->cap_nodes) {
    int cap = ast->cap_nodes ? ast->cap_nodes * 2 : 32;
    query_node *grown = realloc(ast->nodes, (size_t)cap * sizeof *grown);
    if (!grown) {
      p->status = newsidx_error_set(p->err, NEWSIDX_NOMEM, "out of memory");
      return -1;
    }
    ast->nodes = grown;
    ast->cap_nodes = cap;
  }
  query_node *n = &ast->nodes[ast->n_nodes];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->pos = pos;
  n->first = n->next = n->last = -1;
  return ast->n_nodes++;
}

static void add_child(parser *p, int parent, int child) {
  if (parent < 0 || child < 0) return;
  query_node *nodes = p->ast->nodes;
  if (nodes[parent].last < 0)
    nodes[parent].first = child;
  else
    nodes[nodes[parent].last].next = child;
  nodes[parent].last = child;
  nodes[parent].n_children++;
}

/* Combines `result` (or -1) and `child` under a node of `kind`, reusing *group once made. */
static int combine(parser *p, query_node_kind kind, int result, int child, int *group) {
  if (child < 0) return result;
  if (result < 0) return child;
  if (*group < 0) {
    *group = new_node(p, kind, p->ast->nodes[result].pos);
    add_child(p, *group, result);
  }
  add_child(p, *group, child);
  return *group;
}

static int leaf(parser *p, const query_token *tok) {
  query_node_kind kind = tok->prefix                ? QNODE_PREFIX
                         : tok->kind == QTOK_PHRASE ? QNODE_PHRASE
                                                    : QNODE_TERM;
  int n = new_node(p, kind, tok->pos);
  if (n >= 0) {
    p->ast->nodes[n].start = tok->start;
    p->ast->nodes[n].end = tok->end;
  }
  return n;
}

static int is_phrase_like(const query_node *n) {
  return n->kind == QNODE_TERM || n->kind == QNODE_PHRASE || n->kind == QNODE_PREFIX;
}

/* Can node i stand beside NEAR: a word or phrase, or an OR of such (query_fts.c expands
** kraan NEAR (a OR b) into NEAR(kraan a) OR NEAR(kraan b))? */
static int is_near_operand(const query_ast *ast, int i) {
  const query_node *n = &ast->nodes[i];
  if (n->kind != QNODE_OR) return is_phrase_like(n);
  for (int k = n->first; k >= 0; k = ast->nodes[k].next)
    if (!is_near_operand(ast, k)) return 0;
  return 1;
}

static int parse_or(parser *p, int depth);
static int parse_primary(parser *p, int depth);

/* Is tok a word of decimal digits? */
static int is_number(const parser *p, const query_token *tok) {
  if (tok->kind != QTOK_WORD || tok->prefix || tok->end == tok->start) return 0;
  for (int i = tok->start; i < tok->end; i++)
    if (p->ast->text[i] < '0' || p->ast->text[i] > '9') return 0;
  return 1;
}

/* NEAR( phrase phrase … [, N] ) after NEAR( has been read. Commas may also separate the
** phrases (NEAR(a, b, 5)): the distance is the word after the last comma, before ')', when
** it is a number or when two phrases precede it (NEAR(a b, x) is an error, NEAR(a, b) not). */
static int parse_near_group(parser *p, int pos) {
  int near = new_node(p, QNODE_NEAR, pos);
  if (near < 0) return -1;
  p->ast->nodes[near].distance = QUERY_NEAR_DEFAULT;
  consume(p);
  query_token tok, next;
  int have_next = 0, after_comma = 0;
  for (;;) {
    if (have_next)
      tok = next;
    else if ((p->status = query_lex_next(&p->lx, 1, &tok, p->err)) != NEWSIDX_OK)
      return -1;
    have_next = 0;
    if (tok.kind == QTOK_END || tok.kind == QTOK_RPAREN) { /* an unclosed NEAR( ends here */
      if (after_comma) {
        fail(p, tok.pos, "NEAR distance is not a number");
        return -1;
      }
      break;
    }
    if (tok.kind == QTOK_AND) continue;
    if (tok.kind == QTOK_COMMA) {
      after_comma = 1;
      continue;
    }
    if (tok.kind != QTOK_WORD && tok.kind != QTOK_PHRASE) {
      fail(p, tok.pos, "NEAR( ) takes only words and phrases");
      return -1;
    }
    if (after_comma && tok.kind == QTOK_WORD) {
      /* the distance, when nothing but ')' follows */
      if ((p->status = query_lex_next(&p->lx, 1, &next, p->err)) != NEWSIDX_OK) return -1;
      have_next = 1;
      if ((next.kind == QTOK_END || next.kind == QTOK_RPAREN) &&
          (is_number(p, &tok) || p->ast->nodes[near].n_children >= 2)) {
        int distance = 0;
        p->status = query_near_distance(p->ast->text, tok.pos, p->ast->text + tok.start,
                                        tok.prefix ? tok.end + 1 - tok.start : tok.end - tok.start,
                                        &distance, p->err);
        if (p->status != NEWSIDX_OK) return -1;
        p->ast->nodes[near].distance = distance;
        break;
      }
      if (is_number(p, &tok) && next.kind != QTOK_COMMA) { /* NEAR(a b, 3 c) */
        fail(p, next.pos, "expected ')' after the NEAR distance");
        return -1;
      }
    }
    after_comma = 0;
    int keep = searchable(p, &tok);
    if (p->status != NEWSIDX_OK) return -1;
    if (keep) add_child(p, near, leaf(p, &tok));
  }
  return p->ast->nodes[near].n_children ? near : -1; /* NEAR($ —) vanishes */
}

/* The value of a filter field: one word or quoted value. */
static int parse_filter(parser *p, const query_token *field) {
  const query_token *tok = peek(p);
  if (p->status != NEWSIDX_OK) return -1;
  if (tok->kind != QTOK_WORD && tok->kind != QTOK_PHRASE &&
      !((tok->kind == QTOK_AND || tok->kind == QTOK_OR || tok->kind == QTOK_NEAR) &&
        tok->end > tok->start)) {
    char what[80];
    snprintf(what, sizeof what, "%s: takes one value (a word or \"quoted words\")",
             query_field_name(field->field));
    fail(p, tok->pos, what);
    return -1;
  }
  query_token value = *tok;
  consume(p);
  int n = new_node(p, QNODE_FILTER, field->pos);
  if (n < 0) return -1;
  query_node *node = &p->ast->nodes[n];
  node->field = field->field;
  node->start = value.start;
  node->end = value.end + (value.prefix && value.kind == QTOK_WORD ? 1 : 0);
  node->quoted = value.kind == QTOK_PHRASE;
  if (field->field == QFIELD_DATE) {
    newsidx_error date_err = {0};
    if (query_date_range_parse(p->ast->text + node->start, node->end - node->start, p->now,
                               &node->range, &date_err) != NEWSIDX_OK) {
      fail(p, value.start, date_err.message);
      return -1;
    }
  }
  return n;
}

/* title:… or body:…: the field applies to the next primary. */
static int parse_field(parser *p, const query_token *field, int depth) {
  const query_token *tok = peek(p);
  int negated = 0;
  if (tok->kind == QTOK_NOT && tok->minus) { /* title:-word means NOT title:word */
    negated = 1;
    consume(p);
    tok = peek(p);
  }
  int child;
  if (tok->kind == QTOK_AND || tok->kind == QTOK_OR || tok->kind == QTOK_NOT ||
      tok->kind == QTOK_NEAR) { /* title:OR searches the word "or" */
    query_token word = *tok;
    word.kind = QTOK_WORD;
    consume(p);
    child = leaf(p, &word);
  } else if (tok->kind == QTOK_END || tok->kind == QTOK_RPAREN) {
    return -1;
  } else {
    child = parse_primary(p, depth + 1);
  }
  if (child < 0) return -1;
  int n = new_node(p, QNODE_FIELD, field->pos);
  if (n < 0) return -1;
  p->ast->nodes[n].field = field->field;
  add_child(p, n, child);
  if (!negated) return n;
  int not = new_node(p, QNODE_NOT, field->pos);
  add_child(p, not, n);
  return not ;
}

/* subject:… and other names that are fields elsewhere but not here: the value is searched as
** if the name were not there, and the first such name is kept for the notice (query_fts.h). */
static int parse_foreign_field(parser *p, const query_token *field, int depth) {
  if (p->ast->foreign_start < 0) {
    p->ast->foreign_start = field->start;
    p->ast->foreign_end = field->end;
  }
  query_token_kind k = peek(p)->kind;
  if (p->status != NEWSIDX_OK || k == QTOK_END || k == QTOK_RPAREN) return -1;
  if (!starts_operand(k)) { /* subject:OR searches the word */
    query_token word = p->tok;
    word.kind = QTOK_WORD;
    consume(p);
    return leaf(p, &word);
  }
  return parse_primary(p, depth + 1);
}

static int parse_primary(parser *p, int depth) {
  const query_token *tok = peek(p);
  query_token t = *tok;
  if (p->status != NEWSIDX_OK) return -1;
  switch (t.kind) {
  case QTOK_LPAREN: {
    if (depth >= QUERY_MAX_DEPTH) {
      fail(p, t.pos, "parentheses nested deeper than " DEPTH_TEXT " levels");
      return -1;
    }
    consume(p);
    p->n_open++;
    int inner = parse_or(p, depth + 1);
    if (p->status != NEWSIDX_OK) return -1;
    int closed = peek(p)->kind == QTOK_RPAREN; /* else the end: an unclosed '(' is closed */
    p->n_open--;
    if (closed) consume(p);
    if (inner < 0) return -1; /* date(), COUNT(*), for (;;): vanishes, as a word with nothing */
    return inner;
  }
  case QTOK_WORD:
  case QTOK_PHRASE: {
    int hollow = p->hollow; /* title:$ or -"": the unit vanishes */
    consume(p);
    return hollow ? -1 : leaf(p, &t);
  }
  case QTOK_NEAR_OPEN:
    if (depth >= QUERY_MAX_DEPTH) {
      fail(p, t.pos, "parentheses nested deeper than " DEPTH_TEXT " levels");
      return -1;
    }
    return parse_near_group(p, t.pos);
  case QTOK_FIELD:
    if (depth >= QUERY_MAX_DEPTH) {
      fail(p, t.pos, "fields nested deeper than " DEPTH_TEXT " levels");
      return -1;
    }
    consume(p);
    if (t.field == QFIELD_NONE) return parse_foreign_field(p, &t, depth);
    return query_field_is_filter(t.field) ? parse_filter(p, &t) : parse_field(p, &t, depth);
  case QTOK_ALL: consume(p); return new_node(p, QNODE_ALL, t.pos);
  default: consume(p); return -1; /* a stray NEAR */
  }
}

/* The operand after a NEAR, or -1 when it vanished (title:$, NEAR(—)) and nothing follows: a
** NEAR whose operand vanished applies to the next one. */
static int near_right(parser *p, int depth) {
  int right = -1;
  while (right < 0 && p->status == NEWSIDX_OK && starts_operand(peek(p)->kind))
    right = parse_primary(p, depth);
  return p->status == NEWSIDX_OK ? right : -1;
}

/* primary (NEAR/N primary)*: a chain a NEAR b NEAR/3 c is one window over all its operands, as
** in Xapian and FTS5's NEAR(a b c), of the largest N written (10 when none is). */
static int parse_near(parser *p, int depth) {
  int result = parse_primary(p, depth), near = -1;
  while (p->status == NEWSIDX_OK && peek(p)->kind == QTOK_NEAR) {
    query_token op = p->tok;
    consume(p);
    int right = near_right(p, depth);
    if (right < 0) continue; /* a NEAR with nothing after it */
    if (result < 0) {        /* nothing before the NEAR */
      result = right;
      continue;
    }
    if ((near < 0 && !is_near_operand(p->ast, result)) || !is_near_operand(p->ast, right)) {
      fail(p, op.pos, "NEAR needs a word, a \"phrase\" or (a OR b) on each side");
      return -1;
    }
    if (near < 0) {
      if ((near = new_node(p, QNODE_NEAR, op.pos)) < 0) return -1;
      p->ast->nodes[near].distance = -1;
      add_child(p, near, result);
      result = near;
    }
    query_node *group = &p->ast->nodes[near];
    if (op.near_given && op.distance > group->distance) group->distance = op.distance;
    add_child(p, near, right);
  }
  if (near >= 0 && p->ast->nodes[near].distance < 0)
    p->ast->nodes[near].distance = QUERY_NEAR_DEFAULT;
  return result;
}

/* NOT … operand. A NOT whose operand vanished (`NOT $ x`, `NOT title:$ x`) binds the next
** operand, unless that is negated itself (`NOT $ -x`: the first NOT is dropped, never read as
** NOT NOT x). A '-' and what it is attached to vanish together (`-"" x` is x). */
static int parse_unary(parser *p, int depth) {
  int n_not = 0, pos = -1, minus = 0;
  for (;;) {
    while (peek(p)->kind == QTOK_NOT) {
      if (p->skipped) n_not = 0; /* the NOTs before lost their operand */
      if (n_not == 0) pos = p->tok.pos;
      minus = p->tok.minus;
      consume(p);
      n_not++;
    }
    if (n_not && !starts_operand(peek(p)->kind)) return -1; /* a NOT with nothing after it */
    int child = parse_near(p, depth);
    if (p->status != NEWSIDX_OK) return -1;
    if (child >= 0 && n_not % 2 == 0) return child; /* NOT NOT x is x */
    if (child >= 0) {
      int not = new_node(p, QNODE_NOT, pos);
      add_child(p, not, child);
      return not ;
    }
    if (minus) n_not--; /* -"" vanishes whole */
    minus = 0;
    if (n_not == 0 || !starts_operand(peek(p)->kind)) return -1;
  }
}

static int parse_and(parser *p, int depth) {
  int result = -1, group = -1;
  for (;;) {
    query_token_kind k = peek(p)->kind;
    if (p->status != NEWSIDX_OK) return -1;
    if (k == QTOK_END || k == QTOK_OR || k == QTOK_RPAREN) break; /* a stray ')': peek() */
    if (k == QTOK_AND) {                                          /* a stray AND */
      consume(p);
      continue;
    }
    result = combine(p, QNODE_AND, result, parse_unary(p, depth), &group);
  }
  return result;
}

static int parse_or(parser *p, int depth) {
  int result = -1, group = -1;
  for (;;) {
    while (peek(p)->kind == QTOK_OR || p->tok.kind == QTOK_AND)
      consume(p); /* operators with nothing before them */
    if (p->status != NEWSIDX_OK) return -1;
    if (p->tok.kind == QTOK_END || p->tok.kind == QTOK_RPAREN) break;
    result = combine(p, QNODE_OR, result, parse_and(p, depth), &group);
  }
  return result;
}

newsidx_status_t query_parse(const char *query, time_t now, newsidx_db *db, query_ast **out,
                             newsidx_error *err) {
  *out = NULL;
  query_ast *ast = calloc(1, sizeof *ast);
  size_t n = strlen(query);
  if (!ast || !(ast->text = strdup(query))) {
    free(ast);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  ast->n_text = (int)(n > QUERY_MAX_BYTES ? QUERY_MAX_BYTES : n);
  ast->root = ast->foreign_start = ast->foreign_end = -1;
  parser p = {.ast = ast, .db = db, .now = now, .err = err};
  if (n > QUERY_MAX_BYTES) {
    fail(&p, QUERY_MAX_BYTES, "the query is longer than 10000 bytes");
  } else {
    query_lex_init(&p.lx, ast->text, ast->n_text);
    ast->root = parse_or(&p, 0);
  }
  if (p.status != NEWSIDX_OK) {
    query_ast_free(ast);
    return p.status;
  }
  *out = ast;
  return NEWSIDX_OK;
}

void query_ast_free(query_ast *ast) {
  if (!ast) return;
  free(ast->text);
  free(ast->nodes);
  free(ast);
}

static void describe_node(const query_ast *ast, int i, strbuf *out) {
  static const char *const names[] = {"AND",  "OR",     "NOT",   "NEAR",   "PHRASE",
                                      "TERM", "PREFIX", "FIELD", "FILTER", "ALL"};
  const query_node *n = &ast->nodes[i];
  strbuf_printf(out, "(%s", names[n->kind]);
  if (n->kind == QNODE_NEAR) strbuf_printf(out, "/%d", n->distance);
  if (n->kind == QNODE_FIELD || n->kind == QNODE_FILTER)
    strbuf_printf(out, " %s", query_field_name(n->field));
  if (n->kind == QNODE_FILTER && n->field == QFIELD_DATE)
    strbuf_printf(out, " [%s, %s)", n->range.lo[0] ? n->range.lo : "-",
                  n->range.hi[0] ? n->range.hi : "-");
  else if (n->kind >= QNODE_PHRASE && n->kind != QNODE_FIELD && n->kind != QNODE_ALL)
    strbuf_printf(out, " \"%.*s\"", n->end - n->start, ast->text + n->start);
  for (int c = n->first; c >= 0; c = ast->nodes[c].next) {
    strbuf_putc(out, ' ');
    describe_node(ast, c, out);
  }
  strbuf_putc(out, ')');
}

char *query_ast_describe(const query_ast *ast) {
  strbuf out = {0};
  if (ast->root >= 0)
    describe_node(ast, ast->root, &out);
  else
    strbuf_puts(&out, "()");
  return strbuf_take(&out);
}
