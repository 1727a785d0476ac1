/*
** test_golden_output.c — every output format of newsq hits, byte for byte, against the expected
** files of tests/golden/output/: the query "cocoa OR coffee" over the fixture index of
** query_fixture.h (six articles, one a duplicate, listed after its original), run through
** search_hits() and each printer as newsq search runs them. One file per format:
** search.text (plain highlights, no colour), .jsonl, .csv, .ids, .paths, .count.
**
** A deliberate change of a format: NEWSIDX_UPDATE_GOLDEN=1 ctest -R unit.test_golden_output
** rewrites the files; review their diff before you commit it.
*/
#include "golden.h"
#include "query_fixture.h"

#include "output.h"
#include "search.h"

#define GOLDEN_QUERY "cocoa OR coffee"
/* The fixture's dates are in 2026; nothing here is relative, but the clock is fixed anyway. */
#define GOLDEN_NOW 1773144000 /* 2026-03-10T12:00:00Z */

typedef struct format {
  const char *file; /* under tests/golden/output/ */
  printer *(*make)(FILE *out);
} format;

static printer *text_plain_new(FILE *out) { return printer_text_new(out, HIGHLIGHT_PLAIN); }

/* Not a terminal, whatever the test's stdout is: names as they are. */
static printer *paths_new(FILE *out) { return printer_paths_for(out, 0); }

static const format formats[] = {
    {"output/search.text", text_plain_new}, {"output/search.jsonl", printer_json_new},
    {"output/search.csv", printer_csv_new}, {"output/search.ids", printer_ids_new},
    {"output/search.paths", paths_new},     {"output/search.count", printer_count_new},
};

static int print_hit(void *ctx, const search_hit *hit) {
  printer *p = ctx;
  return p->hit(p, hit);
}

/* Runs the query through the printer `make` builds, as newsq search does, and returns what it
** wrote (free() it); *n gets its length. */
static char *run_format(newsidx_db *db, const format *fmt, size_t *n) {
  char *text = NULL;
  FILE *out = open_memstream(&text, n);
  assert_non_null(out);
  printer *p = fmt->make(out);
  assert_non_null(p);
  search_options o = {0};
  o.query = GOLDEN_QUERY;
  o.now = GOLDEN_NOW;
  o.all_duplicates = 1;
  o.want = p->want;
  search *s = NULL;
  newsidx_error err = {0};
  long n_hits = 0, total = -1;
  if (search_open(db, &o, &s, &err) != NEWSIDX_OK ||
      (p->needs_hits && search_hits(s, print_hit, p, &n_hits, &err) != NEWSIDX_OK) ||
      (p->needs_total && search_count(s, &total, &err) != NEWSIDX_OK))
    fail_msg("%s: %s", fmt->file, err.message);
  assert_int_equal(p->finish(p, n_hits, total), 0);
  search_close(s);
  p->destroy(p);
  fclose(out);
  return text;
}

static void every_format_as_its_golden_file(void **state) {
  newsidx_db *db = fixture_open();
  int n_failed = 0;
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    size_t n = 0;
    char *text = run_format(db, &formats[i], &n);
    n_failed += golden_check_output(formats[i].file, text, n);
    free(text);
  }
  newsidx_db_close(db);
  assert_int_equal(n_failed, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(every_format_as_its_golden_file)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
