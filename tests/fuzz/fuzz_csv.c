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
    fuzz_check_record(&article, NAME);
  }
  if (flags)
    FUZZ_CHECK(csv_bytes(reader) + csv_partial(reader) == (long long)n,
               "%lld bytes read and %lld left of %zu", csv_bytes(reader), csv_partial(reader), n);
  csv_close(reader);
  fclose(in);
  free(copy);
  return 0;
}
