/*
** golden.h — reading the golden, data-driven files of tests/golden/ for the cmocka drivers.
**
** Two kinds of golden file:
**   - case files (query_fts.test, dates.test, snippets.test): cases separated by blank lines,
**     each a first line (the input) and the lines it must give; '#' lines are comments. The
**     expected lines are the specification, written by hand.
**   - expected outputs (output/, readers/): a whole file compared byte for byte with what the
**     code writes now. With NEWSIDX_UPDATE_GOLDEN=1 the driver rewrites the file instead (review
**     the diff before you commit it).
** Every failure names the golden file and the line of the case or of the first difference, so
** that a failing case reads as "file:line: …".
*/
#ifndef NEWSIDX_TEST_GOLDEN_H
#define NEWSIDX_TEST_GOLDEN_H

#include "test_util.h"

/* The golden directory: $NEWSIDX_GOLDEN_DIR (set by tests/CMakeLists.txt), else "golden". */
static inline char *golden_file(const char *name) {
  const char *dir = getenv("NEWSIDX_GOLDEN_DIR");
  if (!dir) dir = "golden";
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = malloc(n);
  assert_non_null(path);
  snprintf(path, n, "%s/%s", dir, name);
  return path;
}

typedef struct golden_case {
  int line;       /* line number of the input in the file */
  char *input;    /* the first line */
  char *expected; /* the lines after it, joined with '\n', ending with one ("" for none) */
} golden_case;

/* Reads the next case of a case file from f, counting lines in *line_no; returns 0 at the end
** of the file. Free the case with golden_case_free(). */
static inline int golden_read_case(FILE *f, int *line_no, golden_case *c) {
  char *line = NULL;
  size_t cap = 0, used = 0;
  ssize_t n;
  memset(c, 0, sizeof *c);
  while ((n = getline(&line, &cap, f)) >= 0) {
    (*line_no)++;
    if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
    if (!c->input) {
      if (n == 0 || line[0] == '#') continue;
      c->input = strdup(line);
      c->line = *line_no;
      continue;
    }
    if (n == 0) break;
    c->expected = realloc(c->expected, used + (size_t)n + 2);
    assert_non_null(c->expected);
    memcpy(c->expected + used, line, (size_t)n);
    used += (size_t)n;
    c->expected[used++] = '\n';
    c->expected[used] = '\0';
  }
  free(line);
  if (c->input && !c->expected) c->expected = strdup("");
  return c->input != NULL;
}

static inline void golden_case_free(golden_case *c) {
  free(c->input);
  free(c->expected);
}

/* What a case gives now, in the case file's format: its expected lines, each ending with
** '\n' (malloc'd; the runner frees it). */
typedef char *(*golden_case_fn)(void *ctx, const char *input);

/* Runs every case of the case file at `path` through fn and compares what it gives with the
** expected lines, reporting each failing case as "path:line: input"; fails the test when any
** case fails or when the file has fewer than `min_cases` (a file cut short). With
** NEWSIDX_GOLDEN_PRINT=1 it prints each case with what it gives now instead, in the file's
** format: a way to draft cases (review what it prints before you keep it). */
static inline void golden_run_cases(const char *path, golden_case_fn fn, void *ctx, int min_cases) {
  FILE *f = fopen(path, "r");
  if (!f) fail_msg("cannot open %s", path);
  int print = getenv("NEWSIDX_GOLDEN_PRINT") != NULL;
  int line_no = 0, n_cases = 0, n_failed = 0;
  golden_case c;
  while (golden_read_case(f, &line_no, &c)) {
    n_cases++;
    char *got = fn(ctx, c.input);
    if (print) printf("%s\n%s\n", c.input, got);
    if (!print && strcmp(got, c.expected) != 0) {
      n_failed++;
      print_error("%s:%d: %s\n  expected:\n%s  got:\n%s", path, c.line, c.input, c.expected, got);
    }
    free(got);
    golden_case_free(&c);
  }
  fclose(f);
  print_message("%d cases, %d failed\n", n_cases, n_failed);
  assert_true(n_cases >= min_cases);
  assert_int_equal(n_failed, 0);
}

/* The whole file at path (NUL-terminated, *n bytes; free() it), or NULL when it cannot be
** read. */
static inline char *golden_slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *data = NULL;
  size_t used = 0, cap = 0, got;
  do {
    if (cap - used < 4096) {
      cap = cap ? cap * 2 : 8192;
      data = realloc(data, cap);
      assert_non_null(data);
    }
    got = fread(data + used, 1, cap - used - 1, f);
    used += got;
  } while (got > 0);
  fclose(f);
  data[used] = '\0';
  *n = used;
  return data;
}

/* Is this run rewriting the expected outputs (NEWSIDX_UPDATE_GOLDEN=1)? */
static inline int golden_updating(void) {
  const char *v = getenv("NEWSIDX_UPDATE_GOLDEN");
  return v && strcmp(v, "1") == 0;
}

/* Prints "path:LINE: …" with the first line where `got` (n bytes) and `want` differ. */
static inline void golden_report_difference(const char *path, const char *want, size_t n_want,
                                            const char *got, size_t n_got) {
  size_t i = 0;
  int line = 1;
  size_t start = 0; /* of the line where they part */
  while (i < n_want && i < n_got && want[i] == got[i]) {
    if (want[i] == '\n') line++, start = i + 1;
    i++;
  }
  const char *w_end = memchr(want + start, '\n', n_want - start);
  const char *g_end = memchr(got + start, '\n', n_got - start);
  int w_len = (int)((w_end ? (size_t)(w_end - want) : n_want) - start);
  int g_len = (int)((g_end ? (size_t)(g_end - got) : n_got) - start);
  print_error("%s:%d: differs at byte %zu\n  expected: %.*s%s\n  got:      %.*s%s\n", path, line, i,
              w_len, want + start, start >= n_want ? "(end of file)" : "", g_len, got + start,
              start >= n_got ? "(end of output)" : "");
}

/* Compares `got` (n bytes) with the expected output in the golden file `name`, byte for byte;
** returns 0 when they are the same, 1 (after reporting the first difference) when not. With
** NEWSIDX_UPDATE_GOLDEN=1, writes `got` to the file instead and returns 0. */
static inline int golden_check_output(const char *name, const char *got, size_t n) {
  char *path = golden_file(name);
  int failed = 0;
  if (golden_updating()) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(got, 1, n, f) != n || fclose(f) != 0) fail_msg("cannot write %s", path);
    print_message("updated %s\n", path);
    free(path);
    return 0;
  }
  size_t n_want = 0;
  char *want = golden_slurp(path, &n_want);
  if (!want) {
    print_error("%s: cannot read it (NEWSIDX_UPDATE_GOLDEN=1 writes it)\n", path);
    failed = 1;
  } else if (n_want != n || memcmp(want, got, n) != 0) {
    golden_report_difference(path, want, n_want, got, n);
    failed = 1;
  }
  free(want);
  free(path);
  return failed;
}

#endif
