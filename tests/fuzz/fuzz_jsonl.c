/*
** fuzz_jsonl.c — the JSON Lines reader on any bytes, read as a file until its end.
**
** Invariants: every call returns a record, a one-line "name:line: why" error (and the next
** call goes on), or the end; the reader always gets to the end; reading the common case with
** yajl gives the same records and messages as reading every line with jansson. A record has a
*non-empty key,
** a body, valid UTF-8 everywhere, one-line metadata fields and a normalized date.
*/
#include "fuzz.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.jsonl"

/* A record as every reader gives it, and without the facts of a file. */
static void check_record(const newsidx_article *a) {
  fuzz_check_record(a, NAME);
  FUZZ_CHECK(a->file_size == -1 && a->file_mtime == -1, "file facts set on a JSON record");
}

/* Two fields that must be equal: both NULL, or the same string. */
static void check_same(const char *a, const char *b, const char *what) {
  FUZZ_CHECK((!a && !b) || (a && b && strcmp(a, b) == 0),
             "%s differs between yajl's and jansson's readings: \"%s\" and \"%s\"", what,
             a ? a : "(null)", b ? b : "(null)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0; /* fmemopen() wants at least one byte */
  char *copy = fuzz_cstring(data, size);
  /* The reader as it runs, and a second one reading every line with jansson only: the same
  ** records and messages come out of both. */
  FILE *in = fmemopen(copy, size, "r"), *in_jansson = fmemopen(copy, size, "r");
  FUZZ_CHECK(in && in_jansson, "fmemopen failed");
  jsonl_reader *reader, *jansson;
  FUZZ_CHECK(jsonl_open(in, NAME, 0, &reader, NULL) == NEWSIDX_OK, "jsonl_open failed");
  FUZZ_CHECK(jsonl_open(in_jansson, NAME, JSONL_JANSSON_ONLY, &jansson, NULL) == NEWSIDX_OK,
             "jsonl_open failed");
  for (size_t calls = 0;; calls++) {
    /* Each call consumes at least one line, and there are at most size + 1 of them. */
    FUZZ_CHECK(calls <= size + 1, "no end after %zu calls", calls);
    newsidx_article article, other;
    const char *warning, *other_warning;
    newsidx_error err = {0}, other_err = {0};
    newsidx_status_t status = jsonl_next(reader, &article, &warning, &err);
    newsidx_status_t other_status = jsonl_next(jansson, &other, &other_warning, &other_err);
    FUZZ_CHECK(status == other_status, "status %d, but %d with jansson only", (int)status,
               (int)other_status);
    if (status == NEWSIDX_NOT_FOUND) break;
    if (status == NEWSIDX_INPUT) {
      fuzz_check_message(&err);
      FUZZ_CHECK(strncmp(err.message, NAME ":", sizeof NAME) == 0, "message \"%s\" names no line",
                 err.message);
      check_same(err.message, other_err.message, "the message");
      continue;
    }
    FUZZ_CHECK(status == NEWSIDX_OK, "status %d: %s", (int)status, err.message);
    FUZZ_CHECK(jsonl_line(reader) >= 1, "line %ld", jsonl_line(reader));
    check_record(&article);
    const char *fields[][2] = {{article.key, other.key},       {article.title, other.title},
                               {article.body, other.body},     {article.date, other.date},
                               {article.url, other.url},       {article.source, other.source},
                               {article.author, other.author}, {article.tags, other.tags},
                               {article.lang, other.lang},     {warning, other_warning}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
      check_same(fields[i][0], fields[i][1], "a field");
  }
  jsonl_close(reader);
  jsonl_close(jansson);
  fclose(in);
  fclose(in_jansson);
  free(copy);
  return 0;
}
