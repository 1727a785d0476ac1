/*
** fuzz_util.c — helpers shared by the fuzz targets. See fuzz.h.
*/
#include "fuzz.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *condition, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  fprintf(stderr, "fuzz invariant failed at %s:%d: %s: ", file, line, condition);
  vfprintf(stderr, format, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

char *fuzz_cstring(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  FUZZ_CHECK(s, "out of memory (%zu bytes)", size);
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

newsidx_db *fuzz_open_index(void) {
  newsidx_open_options options = {NEWSIDX_OPEN_CREATE, "english", 0};
  newsidx_db *db = NULL;
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_db_open(":memory:", &options, &db, &err);
  FUZZ_CHECK(status == NEWSIDX_OK, "%s", err.message);
  return db;
}

void fuzz_check_message(const newsidx_error *err) {
  FUZZ_CHECK(err->status != NEWSIDX_OK, "status not set with the message \"%s\"", err->message);
  FUZZ_CHECK(err->message[0] != '\0', "empty message");
  for (const char *p = err->message; *p; p++)
    FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7F,
               "control character 0x%02x in the message \"%s\"", (unsigned char)*p, err->message);
}

void fuzz_check_utf8(const char *s, const char *what) {
  FUZZ_CHECK(newsidx_utf8_valid(s, strlen(s)), "%s is not valid UTF-8", what);
}

/* Non-zero when `s` matches `shape`, where 'N' stands for a digit. */
static int has_shape(const char *s, const char *shape) {
  for (; *shape; s++, shape++)
    if (*shape == 'N' ? !isdigit((unsigned char)*s) : *s != *shape) return 0;
  return *s == '\0';
}

void fuzz_check_date(const char *date) {
  FUZZ_CHECK(has_shape(date, "NNNN-NN-NN") || has_shape(date, "NNNN-NN-NNTNN:NN:NNZ"),
             "not a normalized date: \"%s\"", date);
  char again[NEWSIDX_DATE_MAX];
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_date_normalize(date, again, &err);
  FUZZ_CHECK(status == NEWSIDX_OK, "\"%s\" does not parse: %s", date, err.message);
  FUZZ_CHECK(strcmp(date, again) == 0, "\"%s\" normalizes to \"%s\"", date, again);
  /* and its number (docinfo, the ledger's first_when) gives it back */
  int64_t when = newsidx_when(date);
  FUZZ_CHECK(when != NEWSIDX_WHEN_UNDATED, "\"%s\" has no when", date);
  FUZZ_CHECK(newsidx_when_text(when, again) == 0 && strcmp(date, again) == 0,
             "\"%s\" comes back from its when %lld as \"%s\"", date, (long long)when, again);
}

/* Checks an optional one-line field. */
static void check_field(const char *value, const char *what) {
  if (!value) return;
  fuzz_check_utf8(value, what);
  FUZZ_CHECK(!strpbrk(value, "\n\t"), "%s \"%s\" is not one line", what, value);
}

void fuzz_check_record(const newsidx_article *a, const char *name) {
  FUZZ_CHECK(a->key && *a->key, "record without a key");
  check_field(a->key, "key");
  FUZZ_CHECK(!name || (a->path && strcmp(a->path, name) == 0), "path is not the file name");
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
