/*
** test_dates.c — the data-driven cases of tests/golden/dates.test: each date string with the
** form newsidx stores it in, or the error it gives. Adding a case needs no C: see the top of
** the .test file for the format.
*/
#include "golden.h"

/* The input of a case: the line, or the text between its double quotes (a malloc'd copy). */
static char *case_input(const char *line) {
  size_t n = strlen(line);
  if (n >= 2 && line[0] == '"' && line[n - 1] == '"') return strndup(line + 1, n - 2);
  return strdup(line);
}

/* A stored date must survive the trip through its `when` (docinfo's number for it). */
static int when_round_trips(const char *stored) {
  char back[NEWSIDX_DATE_MAX];
  return newsidx_when_text(newsidx_when(stored), back) == 0 && strcmp(back, stored) == 0;
}

/* What the case gives now, in the file's format (free() it). */
static char *normalize_to_text(const char *input) {
  char out[NEWSIDX_DATE_MAX];
  newsidx_error err = {0};
  size_t n = sizeof err.message + 16;
  char *got = malloc(n);
  assert_non_null(got);
  if (newsidx_date_normalize(input, out, &err) == NEWSIDX_OK) {
    snprintf(got, n, "%s\n", out);
    if (!when_round_trips(out)) fail_msg("%s: %s does not come back from its when", input, out);
  } else {
    snprintf(got, n, "error: %s\n", err.message);
  }
  return got;
}

static char *normalize_case(void *ctx, const char *line) {
  char *input = case_input(line);
  char *got = normalize_to_text(input);
  free(input);
  return got;
}

static void golden_cases(void **state) {
  char *path = golden_file("dates.test");
  golden_run_cases(path, normalize_case, NULL, 60);
  free(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(golden_cases)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
