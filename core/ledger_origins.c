/*
** ledger_origins.c — the JSON of the terms an article brought, as term_origins keeps them.
** See ledger.h.
**
** Written here by hand rather than with jansson: a flush writes every new term of a batch (all
** 58,000 of Reuters-21578 on a first build), and building a jansson tree would allocate three
** objects per term only to print them. What JSON asks of a string is small: quotes,
** backslashes and control characters escaped; UTF-8 passes as it is (the tokenizer's keys and
** the spellings cut from clean text are valid UTF-8).
*/
#include "ledger.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `more` bytes and a terminating NUL. */
static int room(ledger_json *json, size_t more) {
  return newsidx_reserve((void **)&json->text, &json->cap, json->n, more + 1, 1);
}

static void put(ledger_json *json, const char *bytes, size_t n) {
  memcpy(json->text + json->n, bytes, n);
  json->n += n;
}

/* Appends `s` (n bytes) as a JSON string. */
static int put_string(ledger_json *json, const char *s, size_t n) {
  if (room(json, 6 * n + 2) != 0) return -1; /* \\u00XX is the longest escape of a byte */
  json->text[json->n++] = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      json->text[json->n++] = '\\';
      json->text[json->n++] = (char)c;
    } else if (c < 0x20) {
      json->n += (size_t)snprintf(json->text + json->n, 7, "\\u%04x", c);
    } else {
      json->text[json->n++] = (char)c;
    }
  }
  json->text[json->n++] = '"';
  return 0;
}

int ledger_terms_json(ledger_json *json, const ledger_new_term *terms, size_t n) {
  json->n = 0;
  if (room(json, 1) != 0) return -1;
  put(json, "[", 1);
  for (size_t i = 0; i < n; i++) {
    const ledger_new_term *t = &terms[i];
    int plain =
        t->n_docs == 1 && t->n_spelling == t->n_key && memcmp(t->spelling, t->key, t->n_key) == 0;
    if (room(json, 2) != 0) return -1;
    if (i) put(json, ",", 1);
    if (plain) {
      if (put_string(json, t->key, t->n_key) != 0) return -1;
      continue;
    }
    put(json, "[", 1);
    if (put_string(json, t->key, t->n_key) != 0 || room(json, 1) != 0) return -1;
    put(json, ",", 1);
    if (put_string(json, t->spelling, t->n_spelling) != 0 || room(json, 16) != 0) return -1;
    if (t->n_docs == 1) /* the count most terms would repeat is left out */
      put(json, "]", 1);
    else
      json->n += (size_t)snprintf(json->text + json->n, 16, ",%d]", t->n_docs);
  }
  if (room(json, 1) != 0) return -1;
  put(json, "]", 1);
  json->text[json->n] = '\0';
  return 0;
}

void ledger_json_free(ledger_json *json) {
  free(json->text);
  *json = (ledger_json){0};
}
