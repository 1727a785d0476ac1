/*
** text.c — UTF-8 validation, Windows-1252, UTF-16 and UTF-32 decoding, and the cleaning applied
** to stored text.
*/
#include "newsidx.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes the character at p (n > 0 bytes left) into *cp. Returns its length in bytes, or 0 when
** p does not start a well-formed UTF-8 sequence. */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned *cp) {
  unsigned c = *p;
  if (c < 0x80) {
    *cp = c;
    return 1;
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
  if (n < len) return 0;
  unsigned v = c & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

int newsidx_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  unsigned cp;
  for (size_t len; p < end; p += len)
    if (!(len = utf8_char(p, (size_t)(end - p), &cp))) return 0;
  return 1;
}

char *newsidx_utf8_repair(const char *s, size_t n, size_t *n_out) {
  char *out = malloc(n * 3 + 1); /* each bad byte becomes the 3 bytes of U+FFFD */
  if (!out) return NULL;
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  size_t used = 0, len;
  unsigned cp;
  for (; p < end; p += len) {
    if ((len = utf8_char(p, (size_t)(end - p), &cp))) {
      memcpy(out + used, p, len);
      used += len;
    } else {
      memcpy(out + used, "\xEF\xBF\xBD", 3);
      used += 3;
      len = 1;
    }
  }
  out[used] = '\0';
  if (n_out) *n_out = used;
  return out;
}

/* Appends `piece` (n bytes) at out + *used when it fits in `size` - 1 bytes, and counts it in
** *need either way; once a piece did not fit, nothing more is written (*full). */
static void put_piece(char *out, size_t size, size_t *used, size_t *need, int *full,
                      const char *piece, size_t n) {
  *need += n;
  if (*full || *used + n >= size) {
    *full = 1;
    return;
  }
  memcpy(out + *used, piece, n);
  *used += n;
}

size_t newsidx_text_escape(const char *s, size_t n, int flags, char *out, size_t size) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  size_t used = 0, need = 0, len;
  int full = size == 0;
  unsigned cp;
  char esc[8];
  for (; p < end; p += len) {
    len = utf8_char(p, (size_t)(end - p), &cp);
    const char *piece = (const char *)p;
    size_t n_piece = len;
    if (!len) { /* a byte that is not UTF-8 */
      snprintf(esc, sizeof esc, "\\x%02X", *p);
      piece = esc, n_piece = 4, len = 1;
    } else if ((flags & NEWSIDX_ESCAPE_PROSE) && (cp == '\n' || cp == '\t' || cp == '\r')) {
      piece = " ", n_piece = 1;
    } else if (cp == '\n' || cp == '\t' || cp == '\r') {
      piece = cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : "\\r", n_piece = 2;
    } else if (cp < 0x20 || cp == 0x7F) {
      snprintf(esc, sizeof esc, "\\x%02X", cp);
      piece = esc, n_piece = 4;
    } else if (cp >= 0x80 && cp <= 0x9F) { /* C1: terminals read U+009B as CSI, like ESC [ */
      snprintf(esc, sizeof esc, "\\u%04X", cp);
      piece = esc, n_piece = 6;
    }
    put_piece(out, size, &used, &need, &full, piece, n_piece);
  }
  if (size) out[used] = '\0';
  return need;
}

char *newsidx_text_escaped(const char *s, size_t n, int flags) {
  size_t need = newsidx_text_escape(s, n, flags, NULL, 0);
  char *out = malloc(need + 1);
  if (out) newsidx_text_escape(s, n, flags, out, need + 1);
  return out;
}

/* Windows-1252 bytes 0x80..0x9F; 0 marks the five the code page leaves undefined. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8; returns its length. */
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
  if (cp >= 0x10000) {
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
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

newsidx_wide_encoding newsidx_wide_sniff(const char *s, size_t n, size_t *n_bom) {
  static const struct {
    const char *mark;
    size_t n;
    newsidx_wide_encoding encoding;
  } marks[] = {/* UTF-32LE's first: UTF-16LE's mark is its start */
               {"\xFF\xFE\0\0", 4, NEWSIDX_WIDE_UTF32LE},
               {"\0\0\xFE\xFF", 4, NEWSIDX_WIDE_UTF32BE},
               {"\xFF\xFE", 2, NEWSIDX_WIDE_UTF16LE},
               {"\xFE\xFF", 2, NEWSIDX_WIDE_UTF16BE}};
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (n >= marks[i].n && memcmp(s, marks[i].mark, marks[i].n) == 0) {
      *n_bom = marks[i].n;
      return marks[i].encoding;
    }
  *n_bom = 0;
  return NEWSIDX_WIDE_NONE;
}

/* The code unit of `size` bytes at p in the decoder's byte order. */
static unsigned wide_unit(const newsidx_wide_decoder *d, const unsigned char *p, unsigned size) {
  int little = d->encoding == NEWSIDX_WIDE_UTF16LE || d->encoding == NEWSIDX_WIDE_UTF32LE;
  unsigned v = 0;
  for (unsigned i = 0; i < size; i++)
    v = (v << 8) | p[little ? size - 1 - i : i];
  return v;
}

/* Writes U+FFFD and counts it. */
static size_t put_replacement(newsidx_wide_decoder *d, char *out) {
  d->n_replaced++;
  return put_utf8(0xFFFD, out);
}

/* Decodes one code unit into out: a UTF-16 surrogate pair is joined across two calls. */
static size_t wide_put_unit(newsidx_wide_decoder *d, unsigned u, unsigned size, char *out) {
  size_t used = 0;
  if (size == 4) /* UTF-32: a code point, or nothing Unicode has */
    return u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF) ? put_replacement(d, out)
                                                        : put_utf8(u, out);
  if (u >= 0xDC00 && u <= 0xDFFF && d->high) { /* the low half of a pair */
    unsigned cp = 0x10000 + ((d->high - 0xD800) << 10) + (u - 0xDC00);
    d->high = 0;
    return put_utf8(cp, out);
  }
  if (d->high) { /* a high surrogate not followed by a low one */
    used += put_replacement(d, out);
    d->high = 0;
  }
  if (u >= 0xD800 && u <= 0xDBFF)
    d->high = u;
  else if (u >= 0xDC00 && u <= 0xDFFF)
    used += put_replacement(d, out + used);
  else
    used += put_utf8(u, out + used);
  return used;
}

size_t newsidx_wide_decode(newsidx_wide_decoder *d, const char *in, size_t n, char *out,
                           int final) {
  unsigned size =
      d->encoding == NEWSIDX_WIDE_UTF32LE || d->encoding == NEWSIDX_WIDE_UTF32BE ? 4 : 2;
  const unsigned char *p = (const unsigned char *)in, *end = p + n;
  size_t used = 0;
  while (d->n_carry > 0 && d->n_carry < size && p < end) /* a unit begun in the last piece */
    d->carry[d->n_carry++] = *p++;
  if (d->n_carry == size) {
    used += wide_put_unit(d, wide_unit(d, d->carry, size), size, out + used);
    d->n_carry = 0;
  }
  for (; end - p >= (ptrdiff_t)size; p += size)
    used += wide_put_unit(d, wide_unit(d, p, size), size, out + used);
  while (p < end)
    d->carry[d->n_carry++] = *p++;
  if (final) {
    if (d->high) used += put_replacement(d, out + used);
    if (d->n_carry) used += put_replacement(d, out + used);
    d->high = d->n_carry = 0;
  }
  return used;
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
    if (c == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) { /* a C1 control character, U+0080..U+009F */
      r++;
      continue;
    }
    *w++ = c;
  }
  while (w > (unsigned char *)s && (w[-1] == ' ' || w[-1] == '\n' || w[-1] == '\t'))
    w--;
  *w = '\0';
  return (size_t)(w - (unsigned char *)s);
}
