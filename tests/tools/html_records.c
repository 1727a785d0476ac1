/*
** html_records.c — the HTML page reader alone, as tests/e2e/html.sh and bench/pages.py use it:
*reads each page
** named on the command line (or one path a line on standard input) with html_parse() and
** prints its record as one JSON object a line (--quiet: nothing), then on standard error the
** pages, the seconds spent in html_parse() alone (reading the files excluded), pages per
** second and the largest resident set (KiB). --repeat N parses each page N times (timing).
*/
#include "reader.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine may be busy */
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_record(const char *path, const feed_result *page, const char *error) {
  json_t *o = json_object();
  json_object_set_new(o, "path", json_string(path));
  if (error) json_object_set_new(o, "error", json_string(error));
  if (page->warning[0]) json_object_set_new(o, "warning", json_string(page->warning));
  if (!error && page->n) {
    const newsidx_article *a = &page->records[0].article;
    const char *names[] = {"key",    "url",  "title", "date", "author",
                           "source", "lang", "tags",  "body"};
    const char *values[] = {a->key,    a->url,  a->title, a->date, a->author,
                            a->source, a->lang, a->tags,  a->body};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      json_object_set_new(o, names[i], values[i] ? json_string(values[i]) : json_null());
  }
  char *line = json_dumps(o, JSON_COMPACT);
  if (line) puts(line);
  free(line);
  json_decref(o);
}

/* Parses one page `repeat` times; adds the time to *spent. Returns 0 when it could not be read. */
static int one(const char *path, int repeat, int quiet, double *spent) {
  char *bytes;
  size_t n;
  int64_t size, mtime;
  newsidx_error err = {0};
  if (input_read_bytes(path, &bytes, &n, &size, &mtime, &err) != NEWSIDX_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 0;
  }
  for (int r = 0; r < repeat; r++) {
    feed_result page;
    double t0 = now();
    newsidx_status_t status = html_parse(bytes, n, path, &page, &err);
    *spent += now() - t0;
    if (!quiet && r == 0) print_record(path, &page, status == NEWSIDX_OK ? NULL : err.message);
    feed_result_free(&page);
  }
  free(bytes);
  return 1;
}

int main(int argc, char **argv) {
  int repeat = 1, quiet = 0, pages = 0, first = 1;
  for (; first < argc && argv[first][0] == '-' && argv[first][1] == '-'; first++) {
    if (strcmp(argv[first], "--quiet") == 0)
      quiet = 1;
    else if (strcmp(argv[first], "--repeat") == 0 && first + 1 < argc)
      repeat = (int)strtol(argv[++first], NULL, 10);
    else {
      fprintf(stderr, "usage: html_records [--quiet] [--repeat N] [PAGE...]\n");
      return 2;
    }
  }
  if (repeat < 1) repeat = 1;
  double spent = 0;
  if (first < argc) {
    for (int i = first; i < argc; i++)
      pages += one(argv[i], repeat, quiet, &spent);
  } else {
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
      line[strcspn(line, "\n")] = '\0';
      if (line[0]) pages += one(line, repeat, quiet, &spent);
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  fprintf(stderr, "pages %d seconds %.3f pages_per_s %.1f max_rss_kib %ld\n", pages * repeat, spent,
          spent > 0 ? pages * repeat / spent : 0.0, ru.ru_maxrss);
  return 0;
}
