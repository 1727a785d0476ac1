/*
** fuzz_jsonl.c — the JSON Lines reader on any bytes, read as a file until its end.
**
** Invariants: every call returns a record, a one-line "name:line: why" error (and the next
** call goes on), or the end; the reader always gets to the end. A record has a non-empty key,
** a body, valid UTF-8 everywhere, one-line metadata fields and a normalized date.
*/
#include "fuzz.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.jsonl"

/* Checks an optional one-line field. */
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
  FUZZ_CHECK(a->file_size == -1 && a->file_mtime == -1, "file facts set on a JSON record");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0; /* fmemopen() wants at least one byte */
  char *copy = fuzz_cstring(data, size);
  FILE *in = fmemopen(copy, size, "r");
  FUZZ_CHECK(in, "fmemopen failed");
  jsonl_reader *reader;
  FUZZ_CHECK(jsonl_open(in, NAME, 0, &reader, NULL) == NEWSIDX_OK, "jsonl_open failed");
  for (size_t calls = 0;; calls++) {
    /* Each call consumes at least one line, and there are at most size + 1 of them. */
    FUZZ_CHECK(calls <= size + 1, "no end after %zu calls", calls);
    newsidx_article article;
    const char *warning;
    newsidx_error err = {0};
    newsidx_status_t status = jsonl_next(reader, &article, &warning, &err);
    if (status == NEWSIDX_NOT_FOUND) break;
    if (status == NEWSIDX_INPUT) {
      fuzz_check_message(&err);
      FUZZ_CHECK(strncmp(err.message, NAME ":", sizeof NAME) == 0, "message \"%s\" names no line",
                 err.message);
      continue;
    }
    FUZZ_CHECK(status == NEWSIDX_OK, "status %d: %s", (int)status, err.message);
    FUZZ_CHECK(jsonl_line(reader) >= 1, "line %ld", jsonl_line(reader));
    check_record(&article);
  }
  jsonl_close(reader);
  fclose(in);
  free(copy);
  return 0;
}
