/*
** fuzz_csv.c — the CSV and TSV reader on any bytes, read as a file until its end.
**
** The first byte picks the reading: its low bit the delimiter (',' or a tab), the next bit
** CSV_LEAVE_PARTIAL_ROW; the rest is the file. Invariants: every call returns a record, a
** one-line "name:line: why" error (and the next call goes on), or the end, which comes after at
** most one call per line; a record has a non-empty key, a body, valid UTF-8 everywhere, one-line
** metadata and a normalized date; the line a row starts on is at most the last line consumed;
** the offset only grows and never passes the end; with CSV_LEAVE_PARTIAL_ROW the offset and
** the bytes left unread add up to the whole file.
*/
#include "fuzz.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.csv"

static void check_field(const char *value, const char *what) {
  if (!value) return;
  fuzz_check_utf8(value, what);
  FUZZ_CHECK(!strpbrk(value, "\n\t"), "%s \"%s\" is not one line", what, value);
}

static void check_record(const newsidx_article *a) {
  FUZZ_CHECK(a->key && *a->key, "record without a key");
  check_field(a->key, "key");
  FUZZ_CHECK(a->path && strcmp(a->path, NAME) == 0, "path is not the file name");
  FUZZ_CHECK(a->body, "body is NULL");
  fuzz_check_utf8(a->body, "body");
  check_field(a->title, "title");
  check_field(a->url, "url");
  check_field(a->source, "source");
  check_field(a->author, "author");
  check_field(a->lang, "lang");
  check_field(a->tags, "tags");
  if (a->date) fuzz_check_date(a->date);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0; /* the choice byte, and fmemopen() wants at least one byte */
  char delimiter = data[0] & 1 ? '\t' : ',';
  int flags = data[0] & 2 ? CSV_LEAVE_PARTIAL_ROW : 0;
  size_t n = size - 1;
  char *copy = fuzz_cstring(data + 1, n);
  FILE *in = fmemopen(copy, n, "r");
  FUZZ_CHECK(in, "fmemopen failed");
  csv_reader *reader;
  FUZZ_CHECK(csv_open(in, NAME, delimiter, flags, &reader, NULL) == NEWSIDX_OK, "csv_open failed");
  long long last_bytes = 0;
  for (size_t calls = 0;; calls++) {
    FUZZ_CHECK(calls <= n + 2, "no end after %zu calls", calls);
    newsidx_article article;
    const char *warning;
    newsidx_error err = {0};
    newsidx_status_t status = csv_next(reader, &article, &warning, &err);
    long long bytes = csv_bytes(reader);
    FUZZ_CHECK(bytes >= last_bytes && bytes <= (long long)n, "offset %lld after %lld (of %zu)",
               bytes, last_bytes, n);
    last_bytes = bytes;
    if (status == NEWSIDX_NOT_FOUND) break;
    if (status == NEWSIDX_INPUT) {
      fuzz_check_message(&err);
      FUZZ_CHECK(strncmp(err.message, NAME ":", sizeof NAME) == 0, "message \"%s\" names no line",
                 err.message);
      continue;
    }
    FUZZ_CHECK(status == NEWSIDX_OK, "status %d: %s", (int)status, err.message);
    FUZZ_CHECK(csv_row_line(reader) >= 2 && csv_row_line(reader) <= csv_line(reader),
               "row at line %ld, last line %ld", csv_row_line(reader), csv_line(reader));
    check_record(&article);
  }
  if (flags)
    FUZZ_CHECK(csv_bytes(reader) + csv_partial(reader) == (long long)n,
               "%lld bytes read and %lld left of %zu", csv_bytes(reader), csv_partial(reader), n);
  csv_close(reader);
  fclose(in);
  free(copy);
  return 0;
}
