/*
** query_parse.h — the newsq query language: from text to a syntax tree (internal to the
** query library).
**
** Grammar, loosest binding first (newsq-query(7)):
**
**   query   := or
**   or      := and (OR and)*
**   and     := unary (AND? unary)*          juxtaposition is AND
**   unary   := (NOT | '-') unary | near
**   near    := primary (NEAR | NEAR/N primary)*   one window over the chain, N its largest
**   primary := '(' or ')' | WORD | WORD* | "PHRASE" | "PHRASE"* | NEAR( phrase… [, N] )
**            | * | *:* | title:primary | body:primary | NAME:primary (NAME no field here)
**            | date:VALUE | source:VALUE | tag:VALUE | lang:VALUE | author:VALUE
**            | url:VALUE | site:VALUE
** A NEAR operand is a word, a phrase, or a group of them joined by OR (kraan NEAR (a OR b)).
**
** The parser never refuses what people paste or mistype: operators with nothing on one side
** (`AND foo`, `foo OR`, `NOT` at the end) are dropped, a ')' with no '(' is ignored, '(' left
** open is closed at the end, and parentheses with nothing in them vanish. Double negation
** cancels. With the index at hand, words and phrases with nothing searchable are left out
** before operators bind (query_parse()). What it cannot do is an error "query error at column
** N: why" (N counts characters from 1): a bad date, a NEAR distance that is not a number or
** above QUERY_NEAR_MAX, NEAR( ) with an operator inside, parentheses nested deeper than
** QUERY_MAX_DEPTH, a query longer than QUERY_MAX_BYTES.
*/
#ifndef NEWSIDX_QUERY_PARSE_H
#define NEWSIDX_QUERY_PARSE_H

#include "newsidx.h"
#include "query_dates.h"
#include "query_lex.h"

/* Parentheses, fields and NEAR groups inside one another. FTS5's own parser holds about 32
** levels of parentheses, and the compiled expression may need two for each of the user's
** (an AND inside an OR inside the next group), so 12 leaves room. */
#define QUERY_MAX_DEPTH 12

typedef enum query_node_kind {
  QNODE_AND,    /* children all match */
  QNODE_OR,     /* any child matches */
  QNODE_NOT,    /* one child, which must not match */
  QNODE_NEAR,   /* phrase children (or ORs of them) within `distance` words of one another */
  QNODE_PHRASE, /* a quoted phrase: text [start, end) */
  QNODE_TERM,   /* a word as typed; punctuation inside makes it a phrase of its parts */
  QNODE_PREFIX, /* a word or phrase whose last token is a prefix */
  QNODE_FIELD,  /* one child, searched in the title or body only (`field`) */
  QNODE_FILTER, /* date, source, tag, lang, author, url, site: `field`, value [start, end),
                ** `range` for dates */
  QNODE_ALL     /* * or *:*: every article */
} query_node_kind;

typedef struct query_node {
  query_node_kind kind;
  int pos;         /* byte where the node begins in the query, for error columns */
  int first, next; /* first child and next sibling: indexes into query_ast.nodes, or -1 */
  int last;        /* last child, or -1 */
  int n_children;
  int start, end;         /* leaves and filters: the text, bytes of the query */
  int distance;           /* NEAR */
  int quoted;             /* FILTER: the value was in quotes (so commas in it are not separators) */
  query_field field;      /* FIELD, FILTER */
  query_date_range range; /* FILTER on dates */
} query_node;

typedef struct query_ast {
  char *text; /* a copy of the query; leaves point into it */
  int n_text;
  query_node *nodes;
  int n_nodes, cap_nodes;
  int root;                       /* -1 when the query has nothing in it */
  int foreign_start, foreign_end; /* the first NAME: that is no field here (subject:), or -1 */
} query_ast;

/* Parses `query` (NUL-terminated UTF-8). Relative dates in date: count from `now`. With `db`,
** words and phrases in which its tokenizer finds nothing to search ("$", "—", "") are left
** out as if not typed, before the operators around them bind (with NULL, every word counts).
** On success *out is a tree to free with query_ast_free(); on failure *out is NULL and err has
** the message with its column (NEWSIDX_QUERY), NEWSIDX_NOMEM or the tokenizer's error. */
newsidx_status_t query_parse(const char *query, time_t now, newsidx_db *db, query_ast **out,
                             newsidx_error *err);

void query_ast_free(query_ast *ast);

/* The tree as an S-expression, e.g. (AND (TERM "a") (NOT (PHRASE "b c"))), for tests and
** --explain. Returns a malloc()ed string, or NULL when out of memory. */
char *query_ast_describe(const query_ast *ast);

#endif
