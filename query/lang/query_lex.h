/*
** query_lex.h — splitting a newsq query into tokens (internal to the query library).
**
** The lexer turns the user's text into words, quoted phrases, parentheses, operators and field
** prefixes, each with its byte range in the query. It decides nothing about structure (that is
** query_parse.c) and never fails on pasted text: only a NEAR/N whose N is not a number from 0
** to QUERY_NEAR_MAX is an error.
**
** What is a token:
**   - white space (ASCII, no-break and the other Unicode spaces) separates tokens;
**   - ( and ) are tokens of their own;
**   - "…", “…”, „…“, «…», »…« are phrases: any double-quote character opens one and the next
**     closes it, or the end of the query when none does (19" rack); a * right after the
**     closing quote (or just before it) makes a prefix phrase;
**   - '…', ‘…’ and ‹…› are phrases only when the quote opens a word and a matching quote ends
**     a later word; otherwise, and always inside a word (O'Brien, O’Brien) or before a digit
**     ('90s), a single quote is part of the word;
**   - AND, OR, NOT and NEAR in capitals are operators, and so are NEAR/N and NEAR( … );
**     lowercase and, or, not, near are words;
**   - a '-' that starts a word ("-bitcoin", -"phrase", -(…)) is NOT, except right inside a
**     '(' written against a word (history.go(-1): pasted code, where it is a minus sign);
**   - a '+' that starts a word (+cocoa, +title:cocoa, +-ghana) is dropped: words are required
**     anyway, as Lucene's and Xapian's +word asks;
**   - * alone and *:* mean every article (QTOK_ALL);
**   - NAME:VALUE, where NAME is one of title, body, date, source, tag, lang, author, url,
**     site (any case; category:, topic:, keyword: are tag:) and VALUE follows the colon directly
**     (not a second colon: author::foo is text), is a field prefix followed by its value. A NAME
*people use
**     as a field elsewhere but that this index has not (subject:, keywords:, filetype:…) is a
**     QTOK_FIELD of QFIELD_NONE: its value is searched, and the caller says so. Other text
**     before a colon is part of a word (http://…, 10:30, "Update: …", re:invent);
**   - anything else up to the next separator is a word; a trailing * makes it a prefix.
*/
#ifndef NEWSIDX_QUERY_LEX_H
#define NEWSIDX_QUERY_LEX_H

#include "newsidx.h"

/* Longest query accepted, in bytes; longer ones are an error (query_parse). */
#define QUERY_MAX_BYTES 10000

/* NEAR distances, in tokens between the phrases: the default (FTS5's) and the largest. */
#define QUERY_NEAR_DEFAULT 10
#define QUERY_NEAR_MAX     10000

typedef enum query_field {
  QFIELD_NONE = 0,
  QFIELD_TITLE, /* full-text fields: FTS5 column filters */
  QFIELD_BODY,
  QFIELD_DATE, /* filter fields: SQL conditions on the article's metadata */
  QFIELD_SOURCE,
  QFIELD_TAG,
  QFIELD_LANG,
  QFIELD_AUTHOR, /* the articles row's author, url, and the url's host */
  QFIELD_URL,
  QFIELD_SITE
} query_field;

/* The field's name as users type it ("title", "tag"...); "" for QFIELD_NONE. */
const char *query_field_name(query_field field);

/* Non-zero for the fields that filter metadata rather than search text. */
int query_field_is_filter(query_field field);

typedef enum query_token_kind {
  QTOK_END = 0,   /* end of the query */
  QTOK_WORD,      /* [start, end) is the word, without a trailing '*' */
  QTOK_PHRASE,    /* [start, end) is the text between the quotes */
  QTOK_LPAREN,    /* ( */
  QTOK_RPAREN,    /* ) */
  QTOK_AND,       /* AND */
  QTOK_OR,        /* OR */
  QTOK_NOT,       /* NOT, or '-' starting a word (`minus` is set) */
  QTOK_NEAR,      /* NEAR or NEAR/N between two operands; `distance` (10 when not given) */
  QTOK_NEAR_OPEN, /* NEAR( : the function form, the '(' included */
  QTOK_COMMA,     /* a ',' inside NEAR( … ) only (see query_lex_next) */
  QTOK_FIELD,     /* NAME: — `field` says which (QFIELD_NONE: a name that is no field here,
                  ** such as subject:, whose value is searched as text); the value is next */
  QTOK_ALL        /* * or *:* alone: every article */
} query_token_kind;

typedef struct query_token {
  query_token_kind kind;
  int start, end; /* bytes of the query */
  int pos;        /* byte where the token begins, quote or '-' included: for error columns */
  int prefix;     /* WORD or PHRASE followed by '*' */
  int minus;      /* NOT written as '-' */
  int distance;   /* NEAR */
  int near_given; /* NEAR/N: the distance was written */
  query_field field;
} query_token;

typedef struct query_lexer {
  const char *text;
  int n_text;
  int pos; /* next byte to read */
} query_lexer;

void query_lex_init(query_lexer *lx, const char *text, int n_text);

/* Reads the next token into *tok. `in_near` is non-zero inside NEAR( … ), where ',' is a
** token of its own (elsewhere it belongs to words: "1,250"). Returns NEWSIDX_OK, or
** NEWSIDX_QUERY with "query error at column N: why" in err. */
newsidx_status_t query_lex_next(query_lexer *lx, int in_near, query_token *tok, newsidx_error *err);

/* Reads a NEAR distance from the n bytes at s into *out. Returns NEWSIDX_OK, or NEWSIDX_QUERY
** with "query error at column N: NEAR distance is not a number" (or "... is above 10000")
** where N is the column of byte `pos` of `query`. */
newsidx_status_t query_near_distance(const char *query, int pos, const char *s, int n, int *out,
                                     newsidx_error *err);

/* The 1-based column (in characters) of byte `pos` of `text`. */
int query_column(const char *text, int pos);

#endif
