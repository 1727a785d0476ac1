/*
** query_lex.c — tokens of a newsq query. See query_lex.h.
*/
#include "query_lex.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NEAR_DEFAULT 10
#define NEAR_MAX     10000

static const char *const field_names[] = {"",    "title", "body",   "date", "source",
                                          "tag", "lang",  "author", "url",  "site"};

const char *query_field_name(query_field field) {
  return field >= QFIELD_NONE && field <= QFIELD_SITE ? field_names[field] : "";
}

int query_field_is_filter(query_field field) { return field >= QFIELD_DATE; }

/* Names accepted before a colon, with their field. Plurals and long forms are accepted too,
** since people type them. */
static query_field field_by_name(const char *name, int n) {
  static const struct {
    const char *name;
    query_field field;
  } names[] = {{"title", QFIELD_TITLE},
               {"body", QFIELD_BODY},
               {"text", QFIELD_BODY},
               {"date", QFIELD_DATE},
               {"source", QFIELD_SOURCE},
               {"tag", QFIELD_TAG},
               {"tags", QFIELD_TAG},
               {"lang", QFIELD_LANG},
               {"language", QFIELD_LANG},
               {"author", QFIELD_AUTHOR},
               {"url", QFIELD_URL},
               {"site", QFIELD_SITE},
               /* the readers store categories, topics and keywords as tags */
               {"category", QFIELD_TAG},
               {"categories", QFIELD_TAG},
               {"topic", QFIELD_TAG},
               {"topics", QFIELD_TAG},
               {"keyword", QFIELD_TAG},
               {"keywords", QFIELD_TAG}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if ((int)strlen(names[i].name) == n && strncasecmp(names[i].name, name, (size_t)n) == 0)
      return names[i].field;
  return QFIELD_NONE;
}

/* Names other engines have as fields and people type, which this index has not: NAME:VALUE
** then searches VALUE, with a notice (query_parse.h), rather than the phrase "NAME VALUE". */
static int is_foreign_field(const char *name, int n) {
  static const char *const names[] = {"subject",  "filetype", "intitle", "inurl",   "intext",
                                      "headline", "hostname", "domain",  "summary", "content"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if ((int)strlen(names[i]) == n && strncasecmp(names[i], name, (size_t)n) == 0) return 1;
  return 0;
}

/* Decodes the UTF-8 character at text[pos] into *cp and returns its length in bytes (at least
** 1; a malformed byte counts as one character, U+FFFD). */
static int decode(const char *text, int n_text, int pos, unsigned *cp) {
  unsigned char c = (unsigned char)text[pos];
  int len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || pos + len > n_text) {
    *cp = c < 0x80 ? c : 0xFFFD;
    return 1;
  }
  unsigned v = len == 1 ? c : c & (0x7F >> len);
  for (int i = 1; i < len; i++) {
    unsigned char k = (unsigned char)text[pos + i];
    if ((k & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (k & 0x3F);
  }
  *cp = v;
  return len;
}

static int is_space(unsigned cp) {
  return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* " “ ” „ ‟ « » ＂ */
static int is_double_quote(unsigned cp) {
  return cp == '"' || (cp >= 0x201C && cp <= 0x201F) || cp == 0xAB || cp == 0xBB || cp == 0xFF02;
}

/* ' ‘ ’ ‚ ‛ ‹ › ＇ */
static int is_single_quote(unsigned cp) {
  return cp == '\'' || (cp >= 0x2018 && cp <= 0x201B) || cp == 0x2039 || cp == 0x203A ||
         cp == 0xFF07;
}

/* Does the character at pos end a word (white space, a parenthesis, a double quote, the end)? */
static int ends_word(const query_lexer *lx, int pos, int in_near) {
  if (pos >= lx->n_text) return 1;
  unsigned cp;
  decode(lx->text, lx->n_text, pos, &cp);
  return is_space(cp) || cp == '(' || cp == ')' || is_double_quote(cp) || (in_near && cp == ',');
}

int query_column(const char *text, int pos) {
  int col = 1;
  for (int i = 0; i < pos && text[i]; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80) col++;
  return col;
}

/* Finds the quote that closes a single-quoted phrase opened at `open` (a quote of `n_open`
** bytes): a single quote that ends a word, after some text, before any parenthesis or double
** quote. Returns its byte position, or -1 when the opening quote is just an apostrophe. */
static int single_quote_close(const query_lexer *lx, int open, int n_open) {
  int pos = open + n_open;
  while (pos < lx->n_text) {
    unsigned cp, prev;
    int len = decode(lx->text, lx->n_text, pos, &cp);
    if (cp == '(' || cp == ')' || is_double_quote(cp)) return -1;
    if (is_single_quote(cp) && pos > open + n_open) {
      decode(lx->text, lx->n_text, pos - 1, &prev);
      int after = pos + len;
      char next = after < lx->n_text ? lx->text[after] : ' ';
      if (!is_space(prev) &&
          ((unsigned char)next >= 0x80 ? ends_word(lx, after, 0)
                                       : strchr(" \t\r\n),.;:!?*", next) != NULL))
        return pos;
    }
    pos += len;
  }
  return -1;
}

/* Reads a phrase whose content is [start, close) and whose closing quote is `n_close` bytes. */
static void read_phrase(query_lexer *lx, query_token *tok, int start, int close, int n_close) {
  tok->kind = QTOK_PHRASE;
  tok->start = start;
  tok->end = close;
  lx->pos = close + n_close;
  while (tok->end > tok->start && (lx->text[tok->end - 1] == '*' || lx->text[tok->end - 1] == ' '))
    if (lx->text[--tok->end] == '*') tok->prefix = 1;
  while (lx->pos < lx->n_text && lx->text[lx->pos] == '*') {
    tok->prefix = 1;
    lx->pos++;
  }
}

/* Can the character at pos begin what a '-' or '+' before it applies to: a letter or digit, a
** '(', a quote, any non-ASCII character but white space? (-- and +- are neither.) */
static int starts_value(const query_lexer *lx, int pos) {
  unsigned next;
  decode(lx->text, lx->n_text, pos, &next);
  if (next >= 0x80) return !is_space(next);
  return ((next | 0x20) >= 'a' && (next | 0x20) <= 'z') || (next >= '0' && next <= '9') ||
         next == '(' || next == '"' || next == '\'' || (next == '-' && lx->text[pos - 1] == '+');
}

/* Is byte pos right inside a '(' written against a letter or digit (history.go(-1), f(-x))?
** That is pasted code, where a '-' is a minus sign. title:(-x) and a (-b) are groups. */
static int in_glued_paren(const query_lexer *lx, int pos) {
  if (pos < 2 || lx->text[pos - 1] != '(') return 0;
  char before = lx->text[pos - 2];
  return (before >= '0' && before <= '9') || ((before | 0x20) >= 'a' && (before | 0x20) <= 'z');
}

/* Classifies the word [start, end): operator, field prefix, or plain word. A NAME: that is not
** a field is text (re:invent, ERROR:root:…, mailto:…), as pasted text must be. */
static newsidx_status_t classify_word(query_lexer *lx, query_token *tok, newsidx_error *err) {
  const char *w = lx->text + tok->start;
  int n = tok->end - tok->start;
  if (n == 3 && memcmp(w, "AND", 3) == 0) {
    tok->kind = QTOK_AND;
    return NEWSIDX_OK;
  }
  if (n == 2 && memcmp(w, "OR", 2) == 0) {
    tok->kind = QTOK_OR;
    return NEWSIDX_OK;
  }
  if (n == 3 && memcmp(w, "NOT", 3) == 0) {
    tok->kind = QTOK_NOT;
    return NEWSIDX_OK;
  }
  if (n == 4 && memcmp(w, "NEAR", 4) == 0) {
    if (lx->pos < lx->n_text && lx->text[lx->pos] == '(') {
      tok->kind = QTOK_NEAR_OPEN;
      lx->pos++;
    } else {
      tok->kind = QTOK_NEAR;
      tok->distance = QUERY_NEAR_DEFAULT;
    }
    return NEWSIDX_OK;
  }
  if ((n == 1 && w[0] == '*') || (n == 3 && memcmp(w, "*:*", 3) == 0)) {
    tok->kind = QTOK_ALL;
    return NEWSIDX_OK;
  }
  if (n >= 5 && memcmp(w, "NEAR/", 5) == 0) {
    tok->kind = QTOK_NEAR;
    tok->near_given = 1;
    return query_near_distance(lx->text, tok->start + 5, w + 5, n - 5, &tok->distance, err);
  }

  /* NAME:VALUE */
  int name = 0;
  while (name < n && ((w[name] >= 'a' && w[name] <= 'z') || (w[name] >= 'A' && w[name] <= 'Z')))
    name++;
  if (name > 0 && name < n && w[name] == ':') {
    int value = tok->start + name + 1;                      /* first byte of the value */
    int has_value = value < tok->end && w[name + 1] != ':'; /* author::foo is text */
    if (!has_value && value < lx->n_text) {                 /* the word stopped at ( or a quote */
      unsigned cp;
      decode(lx->text, lx->n_text, value, &cp);
      has_value = cp == '(' || is_double_quote(cp);
    }
    if (has_value) {
      query_field field = field_by_name(w, name);
      if (field != QFIELD_NONE || is_foreign_field(w, name)) {
        tok->kind = QTOK_FIELD;
        tok->field = field;
        tok->end = value;
        lx->pos = value;
        return NEWSIDX_OK;
      }
    }
  }

  tok->kind = QTOK_WORD;
  while (tok->end > tok->start + 1 && lx->text[tok->end - 1] == '*') {
    tok->end--;
    tok->prefix = 1;
  }
  return NEWSIDX_OK;
}

newsidx_status_t query_near_distance(const char *query, int pos, const char *s, int n, int *out,
                                     newsidx_error *err) {
  long distance = 0;
  int digits = 0;
  for (; digits < n && s[digits] >= '0' && s[digits] <= '9'; digits++)
    if (distance <= QUERY_NEAR_MAX) distance = distance * 10 + (s[digits] - '0');
  const char *why = digits == 0 || digits < n   ? "NEAR distance is not a number"
                    : distance > QUERY_NEAR_MAX ? "NEAR distance is above 10000"
                                                : NULL;
  if (why)
    return newsidx_error_set(err, NEWSIDX_QUERY, "query error at column %d: %s",
                             query_column(query, pos), why);
  *out = (int)distance;
  return NEWSIDX_OK;
}

void query_lex_init(query_lexer *lx, const char *text, int n_text) {
  lx->text = text;
  lx->n_text = n_text;
  lx->pos = 0;
}

newsidx_status_t query_lex_next(query_lexer *lx, int in_near, query_token *tok,
                                newsidx_error *err) {
  memset(tok, 0, sizeof *tok);
  unsigned cp = 0;
  int len = 0;
  while (lx->pos < lx->n_text) {
    len = decode(lx->text, lx->n_text, lx->pos, &cp);
    if (!is_space(cp)) break;
    lx->pos += len;
  }
  tok->pos = tok->start = tok->end = lx->pos;
  if (lx->pos >= lx->n_text) {
    tok->kind = QTOK_END;
    return NEWSIDX_OK;
  }
  int start = lx->pos;
  if (cp == '(' || cp == ')' || (in_near && cp == ',')) {
    tok->kind = cp == '(' ? QTOK_LPAREN : cp == ')' ? QTOK_RPAREN : QTOK_COMMA;
    tok->end = lx->pos = start + 1;
    return NEWSIDX_OK;
  }
  if (is_double_quote(cp)) {
    for (int pos = start + len; pos < lx->n_text;) {
      unsigned q;
      int n_q = decode(lx->text, lx->n_text, pos, &q);
      if (is_double_quote(q)) {
        read_phrase(lx, tok, start + len, pos, n_q);
        return NEWSIDX_OK;
      }
      pos += n_q;
    }
    /* A quote left open (19" rack, a pasted message with an odd number of quotes) closes at
    ** the end of the query: Xapian reads it so too. */
    read_phrase(lx, tok, start + len, lx->n_text, 0);
    return NEWSIDX_OK;
  }
  if (is_single_quote(cp) && !(start + len < lx->n_text && lx->text[start + len] >= '0' &&
                               lx->text[start + len] <= '9')) { /* '90s is a word */
    int close = single_quote_close(lx, start, len);
    if (close >= 0) {
      unsigned q;
      read_phrase(lx, tok, start + len, close, decode(lx->text, lx->n_text, close, &q));
      return NEWSIDX_OK;
    }
  }
  if (cp == '+' && start + 1 < lx->n_text && starts_value(lx, start + 1)) {
    lx->pos = start + 1; /* +word: required, as every word is */
    return query_lex_next(lx, in_near, tok, err);
  }
  if (cp == '-' && start + 1 < lx->n_text && !in_glued_paren(lx, start)) {
    if (starts_value(lx, start + 1)) {
      tok->kind = QTOK_NOT;
      tok->minus = 1;
      tok->end = lx->pos = start + 1;
      return NEWSIDX_OK;
    }
  }
  int pos = start;
  while (!ends_word(lx, pos, in_near)) {
    unsigned c;
    pos += decode(lx->text, lx->n_text, pos, &c);
  }
  tok->end = lx->pos = pos;
  return classify_word(lx, tok, err);
}
