/*
** fuzz_text.c — the seed-format text reader on any bytes, the way newsidx reads a text file:
** input_decode() (UTF-8, else Windows-1252), newsidx_text_clean(), then text_parse().
**
** Invariants: the decoded text is valid UTF-8; text_parse() succeeds; the title and body it
** returns lie inside the buffer, in that order, and are valid UTF-8; the title is one short
** line; a date is in normalized form.
*/
#include "fuzz.h"
#include "reader.h"

#include <stdlib.h>
#include <string.h>

/* Non-zero when the NUL-terminated string p lies within the n bytes at text. */
static int inside(const char *p, const char *text, size_t n) {
  return p >= text && p <= text + n && p + strlen(p) <= text + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (memchr(data, '\0', size)) return 0; /* a binary file: input_read_file() refuses it */
  char *raw = fuzz_cstring(data, size), *owned;
  input_encoding encoding;
  char *text = input_decode(raw, size, &owned, &encoding);
  FUZZ_CHECK(text, "input_decode failed");
  size_t n = newsidx_text_clean(text);
  FUZZ_CHECK(n == strlen(text), "clean length %zu, string length %zu", n, strlen(text));
  FUZZ_CHECK(newsidx_utf8_valid(text, n), "decoded text is not UTF-8 (encoding %d)", encoding);

  text_article parsed;
  const char *warning;
  newsidx_error err = {0};
  newsidx_status_t status = text_parse(text, &parsed, &warning, &err);
  FUZZ_CHECK(status == NEWSIDX_OK, "%s", err.message);
  const newsidx_article *a = &parsed.article;
  FUZZ_CHECK(a->body && inside(a->body, text, n), "body outside the text");
  fuzz_check_utf8(a->body, "body");
  if (a->title) {
    FUZZ_CHECK(inside(a->title, text, n), "title outside the text");
    FUZZ_CHECK(a->title + strlen(a->title) < a->body, "title overlaps the body");
    FUZZ_CHECK(*a->title && !strchr(a->title, '\n'), "title \"%s\" is not one line", a->title);
    FUZZ_CHECK(strlen(a->title) <= TEXT_TITLE_MAX, "title of %zu bytes", strlen(a->title));
    fuzz_check_utf8(a->title, "title");
  }
  if (a->date) {
    FUZZ_CHECK(a->date == parsed.date, "date outside the parsed article");
    fuzz_check_date(a->date);
  }
  FUZZ_CHECK(!warning || *warning, "empty warning");
  free(owned);
  free(raw);
  return 0;
}
