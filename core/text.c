/*
** text.c — UTF-8 validation, Windows-1252 decoding and the cleaning applied to stored text.
*/
#include "newsidx.h"

#include <stdlib.h>
#include <string.h>

int newsidx_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {
      p++;
      continue;
    }
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
      len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4, min = 0x10000;
    else
      return 0; /* continuation byte, overlong lead (C0, C1) or beyond F4 */
    if ((size_t)(end - p) < len) return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
      if ((p[i] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    p += len;
  }
  return 1;
}

/* Windows-1252 bytes 0x80..0x9F; 0 marks the five the code page leaves undefined. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static size_t put_utf8(unsigned cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = (char)(0xE0 | (cp >> 12));
  out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

newsidx_status_t newsidx_cp1252_to_utf8(const char *s, size_t n, char **out, size_t *n_out,
                                        newsidx_error *err) {
  /* Every byte becomes at most 3 bytes of UTF-8. */
  char *buf = malloc(n * 3 + 1);
  if (!buf) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory decoding Windows-1252");
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    unsigned cp = c;
    if (c >= 0x80 && c <= 0x9F) cp = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
    used += put_utf8(cp, buf + used);
  }
  buf[used] = '\0';
  *out = buf;
  *n_out = used;
  return NEWSIDX_OK;
}

size_t newsidx_text_clean(char *s) {
  unsigned char *r = (unsigned char *)s, *w = (unsigned char *)s;
  if (r[0] == 0xEF && r[1] == 0xBB && r[2] == 0xBF) r += 3;
  for (; *r; r++) {
    unsigned char c = *r;
    if (c == '\r') {
      if (r[1] != '\n') *w++ = '\n';
      continue;
    }
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) continue;
    *w++ = c;
  }
  while (w > (unsigned char *)s && (w[-1] == ' ' || w[-1] == '\n' || w[-1] == '\t'))
    w--;
  *w = '\0';
  return (size_t)(w - (unsigned char *)s);
}
