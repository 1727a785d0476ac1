/*
** strbuf.h — a growable NUL-terminated byte buffer (internal to the query library).
**
** Errors are sticky, as in FTS5's own buffers: once an allocation fails, `failed` is set and
** every later append does nothing, so a builder appends freely and checks once at the end.
** `data` is NULL until the first append; after any successful append it is NUL-terminated.
** The buffer owns `data`: release it with strbuf_free(), or take it with strbuf_take().
*/
#ifndef NEWSIDX_STRBUF_H
#define NEWSIDX_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
  char *data;
  size_t n;   /* bytes used, not counting the NUL */
  size_t cap; /* bytes allocated */
  int failed; /* an allocation failed: the content is incomplete */
} strbuf;

/* Appends the n bytes at s. */
void strbuf_put(strbuf *b, const char *s, size_t n);

/* Appends the NUL-terminated string s. */
void strbuf_puts(strbuf *b, const char *s);

void strbuf_putc(strbuf *b, char c);

/* Appends printf-style formatted text. */
void strbuf_printf(strbuf *b, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Returns the content as a malloc()ed string that the caller frees ("" when nothing was
** appended), and empties the buffer. Returns NULL when an allocation failed, at any point. */
char *strbuf_take(strbuf *b);

/* Empties the buffer for reuse, keeping its allocation, and clears `failed`. */
void strbuf_reset(strbuf *b);

void strbuf_free(strbuf *b);

#endif
