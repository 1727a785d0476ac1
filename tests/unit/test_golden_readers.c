/*
** test_golden_readers.c — each reader over the inputs in tests/golden/readers/, against the
** records expected of each: for an input NAME (seed-format or plain text .txt, JSON Lines
** .jsonl, RSS .rss or Atom .atom feeds, CSV .csv), NAME.expected holds one JSON object a line
** per record, with the fields the reader gave (absent when NULL) and its warning, or
** {"error": …} for a line or row it refused ({"feed_warning": …}: a problem of a whole feed).
*Records are named by the input's file name, so the
** expected files do not depend on where the tree is.
**
** Adding a case needs no C: drop an input in the folder and run
** NEWSIDX_UPDATE_GOLDEN=1 ctest -R unit.test_golden_readers, which writes NAME.expected;
** review it before you commit it. An input without its expected file fails the test.
*/
#include "golden.h"

#include "reader.h"

#include <dirent.h>
#include <jansson.h>

#define EXPECTED_SUFFIX ".expected"

/* Appends one line to *out: the record's non-NULL fields, then its warning. */
static void add_record(FILE *out, const newsidx_article *a, const char *warning) {
  static const char *const names[] = {"key",    "path", "date",   "title", "body",
                                      "source", "url",  "author", "lang",  "tags"};
  const char *values[] = {a->key,    a->path, a->date,   a->title, a->body,
                          a->source, a->url,  a->author, a->lang,  a->tags};
  json_t *o = json_object();
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (values[i]) json_object_set_new(o, names[i], json_string(values[i]));
  if (warning) json_object_set_new(o, "warning", json_string(warning));
  char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  assert_non_null(line);
  fprintf(out, "%s\n", line);
  free(line);
  json_decref(o);
}

/* Appends {"KIND": message}: a line or row refused ("error"), or a problem of a whole feed
** ("feed_warning"). */
static void add_note(FILE *out, const char *kind, const char *message) {
  json_t *o = json_pack("{ss}", kind, message);
  char *line = json_dumps(o, JSON_COMPACT);
  fprintf(out, "%s\n", line);
  free(line);
  json_decref(o);
}

static void read_text(const char *path, const char *name, FILE *out) {
  char *text = NULL;
  size_t n = 0;
  int64_t size, mtime;
  input_encoding encoding;
  newsidx_error err = {0};
  text_article a;
  const char *warning = NULL;
  if (input_read_file(path, &text, &n, &encoding, &size, &mtime, &err) != NEWSIDX_OK ||
      text_parse(text, &a, &warning, &err) != NEWSIDX_OK)
    add_note(out, "error", err.message);
  else
    add_record(out, &a.article, warning);
  (void)name;
  free(text);
}

/* The record-by-record readers (JSON Lines, CSV) share their loop: next() until the end. */
typedef newsidx_status_t (*next_fn)(void *reader, newsidx_article *out, const char **warning,
                                    newsidx_error *err);

static void read_records(void *reader, next_fn next, FILE *out) {
  for (;;) {
    newsidx_article a = {0};
    const char *warning = NULL;
    newsidx_error err = {0};
    newsidx_status_t status = next(reader, &a, &warning, &err);
    if (status == NEWSIDX_NOT_FOUND) break;
    if (status == NEWSIDX_OK)
      add_record(out, &a, warning);
    else if (status == NEWSIDX_INPUT)
      add_note(out, "error", err.message);
    else
      fail_msg("reading: %s", err.message);
  }
}

static newsidx_status_t jsonl_next_any(void *r, newsidx_article *a, const char **w,
                                       newsidx_error *e) {
  return jsonl_next(r, a, w, e);
}

static newsidx_status_t csv_next_any(void *r, newsidx_article *a, const char **w,
                                     newsidx_error *e) {
  return csv_next(r, a, w, e);
}

static void read_jsonl(const char *path, const char *name, FILE *out) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  jsonl_reader *r = NULL;
  newsidx_error err = {0};
  if (jsonl_open(f, name, 0, &r, &err) != NEWSIDX_OK) fail_msg("%s: %s", path, err.message);
  read_records(r, jsonl_next_any, out);
  jsonl_close(r);
  fclose(f);
}

static void read_csv(const char *path, const char *name, FILE *out) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  csv_reader *r = NULL;
  newsidx_error err = {0};
  if (csv_open(f, name, ',', 0, &r, &err) != NEWSIDX_OK) fail_msg("%s: %s", path, err.message);
  read_records(r, csv_next_any, out);
  csv_close(r);
  fclose(f);
}

static void read_feed(const char *path, const char *name, FILE *out) {
  size_t n = 0;
  char *bytes = golden_slurp(path, &n);
  assert_non_null(bytes);
  feed_result result = {0};
  newsidx_error err = {0};
  if (feed_parse(bytes, n, name, &result, &err) != NEWSIDX_OK) add_note(out, "error", err.message);
  for (size_t i = 0; i < result.n; i++)
    add_record(out, &result.records[i].article, result.records[i].warning);
  if (result.warning[0]) add_note(out, "feed_warning", result.warning);
  feed_result_free(&result);
  free(bytes);
}

/* Each input's reader, by the end of its name. */
static const struct {
  const char *ext;
  void (*read)(const char *path, const char *name, FILE *out);
} readers[] = {
    {".txt", read_text}, {".jsonl", read_jsonl}, {".csv", read_csv},
    {".rss", read_feed}, {".atom", read_feed},
};

static int ends_with(const char *s, const char *end) {
  size_t n = strlen(s), m = strlen(end);
  return n >= m && strcmp(s + n - m, end) == 0;
}

/* Reads the input `name` of the golden folder and compares its records; returns 1 when they
** differ. */
static int check_input(const char *name) {
  for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
    if (!ends_with(name, readers[i].ext)) continue;
    char rel[512], expected[600];
    snprintf(rel, sizeof rel, "readers/%s", name);
    snprintf(expected, sizeof expected, "%s" EXPECTED_SUFFIX, rel);
    char *path = golden_file(rel);
    char *text = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    assert_non_null(out);
    readers[i].read(path, name, out);
    fclose(out);
    int failed = golden_check_output(expected, text, n);
    free(text);
    free(path);
    return failed;
  }
  fail_msg("readers/%s: no reader for this name (add one to the table, or rename it)", name);
  return 1;
}

static void every_input_gives_its_records(void **state) {
  char *dir = golden_file("readers");
  DIR *d = opendir(dir);
  if (!d) fail_msg("cannot open %s", dir);
  int n_inputs = 0, n_failed = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || ends_with(e->d_name, EXPECTED_SUFFIX)) continue;
    n_inputs++;
    n_failed += check_input(e->d_name);
  }
  closedir(d);
  free(dir);
  print_message("%d inputs, %d failed\n", n_inputs, n_failed);
  assert_true(n_inputs >= 5);
  assert_int_equal(n_failed, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(every_input_gives_its_records)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
