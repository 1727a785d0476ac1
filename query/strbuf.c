/*
** strbuf.c — a growable byte buffer with a sticky failure flag. See strbuf.h.
*/
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes and the NUL. Returns 0, or -1 (and sets failed). */
static int reserve(strbuf *b, size_t n) {
  if (b->failed) return -1;
  if (b->n + n + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->n + n + 1)
    cap *= 2;
  char *grown = realloc(b->data, cap);
  if (!grown) {
    b->failed = 1;
    return -1;
  }
  b->data = grown;
  b->cap = cap;
  return 0;
}

void strbuf_put(strbuf *b, const char *s, size_t n) {
  if (reserve(b, n) != 0) return;
  if (n) memcpy(b->data + b->n, s, n);
  b->n += n;
  b->data[b->n] = '\0';
}

void strbuf_puts(strbuf *b, const char *s) { strbuf_put(b, s, strlen(s)); }

void strbuf_putc(strbuf *b, char c) { strbuf_put(b, &c, 1); }

void strbuf_printf(strbuf *b, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(NULL, 0, format, ap);
  va_end(ap);
  if (n < 0 || reserve(b, (size_t)n) != 0) {
    b->failed = 1;
    return;
  }
  va_start(ap, format);
  vsnprintf(b->data + b->n, (size_t)n + 1, format, ap);
  va_end(ap);
  b->n += (size_t)n;
}

char *strbuf_take(strbuf *b) {
  if (!b->failed && !b->data) strbuf_put(b, "", 0);
  char *data = b->failed ? NULL : b->data;
  if (b->failed) free(b->data);
  *b = (strbuf){0};
  return data;
}

void strbuf_reset(strbuf *b) {
  b->n = 0;
  b->failed = 0;
  if (b->data) b->data[0] = '\0';
}

void strbuf_free(strbuf *b) {
  free(b->data);
  *b = (strbuf){0};
}
