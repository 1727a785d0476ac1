/*
** test_watch.c — the watch tree: inotify events on a real temporary folder become the changes
** of a batch; an overflow (fed as a synthetic event) asks for a re-scan and watches again.
** The kernel queues inotify events before the system call that causes them returns, so no
** test waits.
*/
#include "test_util.h"

#include "ingest.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>

typedef struct fixture {
  char *dir;     /* the temporary folder, canonical */
  char *root;    /* dir/root: the watched folder */
  char *outside; /* dir/outside: not watched */
  watch_tree *tree;
  int n_errors, n_warnings;
  char last_message[1024];
} fixture;

static void on_report(void *ctx, ingest_level level, const char *message) {
  fixture *f = ctx;
  if (level == INGEST_ERROR) f->n_errors++;
  if (level == INGEST_WARNING) f->n_warnings++;
  snprintf(f->last_message, sizeof f->last_message, "%s", message);
}

static char *path_in(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = malloc(n);
  assert_non_null(path);
  snprintf(path, n, "%s/%s", dir, name);
  return path;
}

static void write_file(const char *dir, const char *name, const char *text) {
  free(test_write_file(dir, name, text, strlen(text)));
}

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  char *tmp = test_tmpdir();
  f->dir = realpath(tmp, NULL);
  free(tmp);
  f->root = path_in(f->dir, "root");
  f->outside = path_in(f->dir, "outside");
  assert_int_equal(mkdir(f->root, 0755), 0);
  assert_int_equal(mkdir(f->outside, 0755), 0);
  write_file(f->root, "before.txt", "Written before the watch.\n");
  char *roots[] = {f->root};
  newsidx_error err = {0};
  if (watch_tree_open(roots, 1, -1, on_report, f, &f->tree, &err) != NEWSIDX_OK)
    fail_msg("watch_tree_open: %s", err.message);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  watch_tree_close(f->tree);
  free(f->root);
  free(f->outside);
  test_tmpdir_remove(f->dir);
  free(f);
  return 0;
}

/* Reads the queued events; returns how many noted a change. */
static int read_events(fixture *f) {
  int noted = 0;
  newsidx_error err = {0};
  if (watch_tree_read(f->tree, &noted, &err) != NEWSIDX_OK) fail_msg("read: %s", err.message);
  return noted;
}

/* Takes the changes and checks them against "a.txt b" (paths relative to root, space
** separated, in order) and the gone ones likewise; then clears them. */
static void expect_changes(fixture *f, const char *paths, const char *gone, int rescan) {
  watch_changes ch;
  newsidx_error err = {0};
  if (watch_tree_take(f->tree, &ch, &err) != NEWSIDX_OK) fail_msg("take: %s", err.message);
  char got[4096] = "", got_gone[4096] = "";
  size_t n_root = strlen(f->root);
  for (size_t i = 0; i < ch.n_paths; i++) {
    const char *p = strncmp(ch.paths[i], f->root, n_root) == 0 ? ch.paths[i] + n_root : ch.paths[i];
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "",
             *p == '/' ? p + 1 : (*p ? p : "."));
  }
  for (size_t i = 0; i < ch.n_gone; i++) {
    const char *p =
        strncmp(ch.gone[i], f->root, n_root) == 0 ? ch.gone[i] + n_root + 1 : ch.gone[i];
    snprintf(got_gone + strlen(got_gone), sizeof got_gone - strlen(got_gone), "%s%s", i ? " " : "",
             p);
  }
  assert_string_equal(got, paths);
  assert_string_equal(got_gone, gone);
  assert_int_equal(ch.rescan, rescan);
  watch_changes_free(&ch);
  watch_tree_clear(f->tree);
  assert_false(watch_tree_pending(f->tree));
}

static void written_files_are_noted_once_skipped_names_never(void **state) {
  fixture *f = *state;
  assert_false(watch_tree_pending(f->tree));
  write_file(f->root, "b.txt", "B.\n");
  write_file(f->root, "a.txt", "A.\n");
  write_file(f->root, "a.txt", "A again.\n"); /* noted twice, taken once */
  write_file(f->root, "feed.jsonl", "{\"body\": \"x\"}\n");
  assert_true(read_events(f) > 0);
  assert_true(watch_tree_pending(f->tree));
  expect_changes(f, "a.txt b.txt feed.jsonl", "", 0);

  write_file(f->root, ".hidden.txt", "x");
  write_file(f->root, "draft.txt~", "x");
  write_file(f->root, "draft.txt.swp", "x");
  write_file(f->root, "#draft.txt#", "x");
  write_file(f->root, "picture.png", "x");
  assert_int_equal(read_events(f), 0);
  assert_false(watch_tree_pending(f->tree));
}

static void files_moved_in_and_links_are_noted(void **state) {
  fixture *f = *state;
  write_file(f->outside, "m.txt", "Moved in.\n");
  write_file(f->root, "download.part", "Renamed when complete.\n");
  char *from = path_in(f->outside, "m.txt"), *to = path_in(f->root, "m.txt");
  char *part = path_in(f->root, "download.part"), *done = path_in(f->root, "done.txt");
  char *symlinked = path_in(f->root, "link.txt"), *hard = path_in(f->root, "hard.txt");
  assert_int_equal(rename(from, to), 0);
  assert_int_equal(rename(part, done), 0);
  assert_int_equal(symlink(to, symlinked), 0);
  assert_int_equal(link(done, hard), 0);
  read_events(f);
  expect_changes(f, "done.txt hard.txt link.txt m.txt", "", 0);
  free(from);
  free(to);
  free(part);
  free(done);
  free(symlinked);
  free(hard);
}

static void text_waits_for_its_close_json_lines_do_not(void **state) {
  fixture *f = *state;
  char *text = path_in(f->root, "open.txt"), *feed = path_in(f->root, "open.jsonl");
  FILE *t = fopen(text, "w"), *j = fopen(feed, "w");
  assert_non_null(t);
  assert_non_null(j);
  fputs("Half an article", t);
  fputs("{\"id\": \"1\", \"body\": \"one\"}\n{\"id\": \"2\", \"bo", j);
  fflush(t);
  fflush(j);
  read_events(f);
  expect_changes(f, "open.jsonl", "", 0); /* its reader leaves the half line */
  fclose(t);
  fclose(j);
  read_events(f);
  expect_changes(f, "open.jsonl open.txt", "", 0);
  free(text);
  free(feed);
}

static void new_folders_are_watched_and_indexed_whole(void **state) {
  fixture *f = *state;
  char *sub = path_in(f->root, "sub");
  assert_int_equal(mkdir(sub, 0755), 0);
  write_file(sub, "x.txt", "In a new folder.\n");
  write_file(f->root, "sub-sibling.txt", "Sorts after sub/ but is not under it.\n");
  read_events(f);
  expect_changes(f, "sub sub-sibling.txt", "", 0); /* sub/x.txt: the walk of sub finds it */
  write_file(sub, "y.txt", "Seen through the new folder's watch.\n");
  read_events(f);
  expect_changes(f, "sub/y.txt", "", 0);

  /* A tree moved in whole, with files already inside: watched down to its leaves. */
  char *t = path_in(f->outside, "t"), *u = path_in(f->outside, "t/u");
  assert_int_equal(mkdir(t, 0755), 0);
  assert_int_equal(mkdir(u, 0755), 0);
  write_file(u, "z.txt", "Already there.\n");
  char *moved = path_in(f->root, "t"), *moved_u = path_in(f->root, "t/u");
  assert_int_equal(rename(t, moved), 0);
  read_events(f);
  expect_changes(f, "t", "", 0);
  write_file(moved_u, "w.txt", "Written after the move.\n");
  read_events(f);
  expect_changes(f, "t/u/w.txt", "", 0);

  /* Hidden folders are neither watched nor indexed. */
  char *hidden = path_in(f->root, ".git");
  assert_int_equal(mkdir(hidden, 0755), 0);
  write_file(hidden, "config.txt", "x");
  assert_int_equal(read_events(f), 0);
  free(sub);
  free(t);
  free(u);
  free(moved);
  free(moved_u);
  free(hidden);
}

static void deleted_and_moved_away_are_gone(void **state) {
  fixture *f = *state;
  char *before = path_in(f->root, "before.txt");
  char *sub = path_in(f->root, "sub"), *away = path_in(f->outside, "sub");
  assert_int_equal(mkdir(sub, 0755), 0);
  write_file(sub, "s.txt", "In a folder that moves away.\n");
  read_events(f);
  expect_changes(f, "sub", "", 0);

  assert_int_equal(unlink(before), 0);
  assert_int_equal(rename(sub, away), 0);
  read_events(f);
  expect_changes(f, "", "before.txt sub", 0);
  /* The folder moved away is no longer watched: what happens to it there is not noted. */
  write_file(away, "later.txt", "x");
  assert_int_equal(read_events(f), 0);

  /* Written then deleted: gone. Deleted then being written again: nothing until closed. */
  write_file(f->root, "brief.txt", "x");
  char *brief = path_in(f->root, "brief.txt");
  assert_int_equal(unlink(brief), 0);
  write_file(f->root, "again.txt", "x");
  read_events(f);
  expect_changes(f, "again.txt", "brief.txt", 0);
  char *again = path_in(f->root, "again.txt");
  assert_int_equal(unlink(again), 0);
  FILE *rewriting = fopen(again, "w");
  assert_non_null(rewriting);
  read_events(f);
  expect_changes(f, "", "", 0);
  fclose(rewriting);
  read_events(f);
  expect_changes(f, "again.txt", "", 0);
  free(before);
  free(sub);
  free(away);
  free(brief);
  free(again);
}

/* An IN_Q_OVERFLOW event, as the kernel sends when its queue is full. */
static void overflow_rescans_and_watches_again(void **state) {
  fixture *f = *state;
  /* A folder created while events were lost: its creation is read and thrown away here. */
  char *lost = path_in(f->root, "lost");
  assert_int_equal(mkdir(lost, 0755), 0);
  char buf[4096];
  while (read(watch_tree_fd(f->tree), buf, sizeof buf) > 0)
    ;
  write_file(lost, "unseen.txt", "x");
  assert_int_equal(read_events(f), 0); /* "lost" has no watch */

  struct inotify_event overflow = {-1, IN_Q_OVERFLOW, 0, 0};
  int noted = 0;
  newsidx_error err = {0};
  assert_int_equal(
      watch_tree_handle(f->tree, (const char *)&overflow, sizeof overflow, &noted, &err),
      NEWSIDX_OK);
  assert_int_equal(noted, 1);
  assert_int_equal(f->n_warnings, 1);
  assert_non_null(strstr(f->last_message, "overflow"));
  assert_true(watch_tree_pending(f->tree));
  expect_changes(f, ".", "", 1); /* the root itself: the walk finds lost/unseen.txt */

  write_file(lost, "seen.txt", "x"); /* watched since the overflow */
  read_events(f);
  expect_changes(f, "lost/seen.txt", "", 0);
  free(lost);
}

static void rescan_on_request_gives_the_roots(void **state) {
  fixture *f = *state;
  write_file(f->root, "a.txt", "x");
  read_events(f);
  watch_tree_request_rescan(f->tree);
  expect_changes(f, ".", "", 1);
}

static void a_root_that_goes_away_is_reported(void **state) {
  fixture *f = *state;
  char *before = path_in(f->root, "before.txt");
  assert_int_equal(unlink(before), 0);
  assert_int_equal(rmdir(f->root), 0);
  read_events(f);
  assert_int_equal(watch_tree_roots_alive(f->tree), 0);
  assert_int_equal(f->n_errors, 1);
  assert_non_null(strstr(f->last_message, "deleted; no longer watched"));
  free(before);
}

static void roots_must_be_folders(void **state) {
  fixture *f = *state;
  char *file = path_in(f->root, "before.txt"), *missing = path_in(f->root, "missing");
  char *roots[] = {file};
  watch_tree *t = NULL;
  newsidx_error err = {0};
  assert_int_equal(watch_tree_open(roots, 1, -1, NULL, NULL, &t, &err), NEWSIDX_IO);
  assert_null(t);
  assert_non_null(strstr(err.message, "not a folder"));
  roots[0] = missing;
  assert_int_equal(watch_tree_open(roots, 1, -1, NULL, NULL, &t, &err), NEWSIDX_IO);
  assert_non_null(strstr(err.message, "missing"));
  free(file);
  free(missing);
}

static void forced_format_still_skips_hidden_and_backups(void **state) {
  fixture *f = *state;
  char *roots[] = {f->root};
  watch_tree *t = NULL;
  newsidx_error err = {0};
  assert_int_equal(watch_tree_open(roots, 1, 1, NULL, NULL, &t, &err), NEWSIDX_OK);
  watch_tree_close(f->tree);
  f->tree = t;
  write_file(f->root, "feed.log", "{}\n");
  write_file(f->root, ".feed.log", "{}\n");
  write_file(f->root, "feed.log.bak", "{}\n");
  read_events(f);
  expect_changes(f, "feed.log", "", 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(written_files_are_noted_once_skipped_names_never, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(files_moved_in_and_links_are_noted, setup, teardown),
      cmocka_unit_test_setup_teardown(text_waits_for_its_close_json_lines_do_not, setup, teardown),
      cmocka_unit_test_setup_teardown(new_folders_are_watched_and_indexed_whole, setup, teardown),
      cmocka_unit_test_setup_teardown(deleted_and_moved_away_are_gone, setup, teardown),
      cmocka_unit_test_setup_teardown(overflow_rescans_and_watches_again, setup, teardown),
      cmocka_unit_test_setup_teardown(rescan_on_request_gives_the_roots, setup, teardown),
      cmocka_unit_test_setup_teardown(a_root_that_goes_away_is_reported, setup, teardown),
      cmocka_unit_test_setup_teardown(roots_must_be_folders, setup, teardown),
      cmocka_unit_test_setup_teardown(forced_format_still_skips_hidden_and_backups, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
