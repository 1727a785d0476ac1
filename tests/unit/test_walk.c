/*
** test_walk.c — the streamed walk: files in bytewise name order, folder by folder, depth first,
** each folder once; what is skipped and what cannot be read, counted and reported; the bytes
** of the files found.
*/
#include "test_util.h"

#include "walk.h"

#include <sys/stat.h>

typedef struct reports {
  char text[4096];
  size_t n;
} reports;

static void on_report(void *ctx, int error, const char *path, const char *why) {
  reports *r = ctx;
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  r->n += (size_t)snprintf(r->text + r->n, sizeof r->text - r->n, "%s %s: %s\n",
                           error ? "error" : "skip", base, why);
}

static void make(const char *dir, const char *name, const char *text) {
  free(test_write_file(dir, name, text, strlen(text)));
}

static void files_come_in_order_with_counts(void **state) {
  (void)state;
  char *dir = test_tmpdir();
  char path[512];
  /* names whose bytewise order differs from a natural or case-blind order */
  make(dir, "b.txt", "12345");
  make(dir, "B.txt", "1");
  make(dir, "a10.txt", "1");
  make(dir, "a9.txt", "1");
  make(dir, "feed.jsonl", "{}\n");
  make(dir, ".hidden.txt", "x");
  make(dir, "draft.txt~", "x");
  make(dir, "photo.png", "x");
  snprintf(path, sizeof path, "%s/sub", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  make(path, "z.txt", "123");
  make(path, "a.txt", "12");
  snprintf(path, sizeof path, "%s/sub/deeper", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  make(path, "m.txt", "1234");
  snprintf(path, sizeof path, "%s/sub/deeper/loop", dir);
  assert_int_equal(symlink("..", path), 0); /* back to sub: walked once */
  snprintf(path, sizeof path, "%s/aa-dangling.txt", dir);
  assert_int_equal(symlink("/nonexistent/file", path), 0);

  char *paths[] = {dir, "-", dir}; /* "-" is not the walk's; a second path walks again */
  reports r = {{0}, 0};
  walk *w;
  newsidx_error err;
  assert_int_equal(walk_open(paths, 3, -1, on_report, &r, &w, &err), NEWSIDX_OK);
  char got[2048] = "";
  size_t n = 0;
  walk_file file;
  newsidx_status_t status;
  while ((status = walk_next(w, &file, &err)) == NEWSIDX_OK) {
    assert_true(strncmp(file.path, dir, strlen(dir)) == 0);
    n += (size_t)snprintf(got + n, sizeof got - n, "%s %d %lld\n", file.path + strlen(dir) + 1,
                          (int)file.kind, (long long)file.size);
  }
  assert_int_equal(status, NEWSIDX_NOT_FOUND);
  const char *once = "B.txt 0 1\n"
                     "a10.txt 0 1\n"
                     "a9.txt 0 1\n"
                     "b.txt 0 5\n"
                     "feed.jsonl 1 3\n"
                     "sub/a.txt 0 2\n"
                     "sub/deeper/m.txt 0 4\n"
                     "sub/z.txt 0 3\n";
  char want[2048];
  snprintf(want, sizeof want, "%s%s", once, once);
  assert_string_equal(got, want);
  long n_skipped, n_errors;
  long long total;
  walk_counts(w, &n_skipped, &n_errors, &total);
  assert_int_equal(n_skipped, 2 * 4); /* hidden, backup, unknown type, the loop: twice */
  assert_int_equal(n_errors, 2);      /* the dangling link, twice */
  assert_int_equal(total, 2 * 20);
  const char *reported = "skip .hidden.txt: hidden\n"
                         "error aa-dangling.txt: No such file or directory\n"
                         "skip draft.txt~: editor backup or temporary file\n"
                         "skip photo.png: unknown type\n"
                         "skip loop: directory already walked (symlink loop or second link)\n";
  snprintf(want, sizeof want, "%s%s", reported, reported);
  assert_string_equal(r.text, want);
  walk_close(w);

  /* A file named on the command line is taken whatever its name; --format applies. */
  snprintf(path, sizeof path, "%s/photo.png", dir);
  char *one[] = {path};
  assert_int_equal(walk_open(one, 1, 1, NULL, NULL, &w, &err), NEWSIDX_OK);
  assert_int_equal(walk_next(w, &file, &err), NEWSIDX_OK);
  assert_string_equal(file.path, path);
  assert_int_equal(file.kind, KIND_JSONL);
  assert_int_equal(walk_next(w, &file, &err), NEWSIDX_NOT_FOUND);
  walk_close(w);
  test_tmpdir_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(files_come_in_order_with_counts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
