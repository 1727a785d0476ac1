/*
** cmd_rm.c — `newsidx rm`: remove articles by id, by key, or everything read from a file or
** folder, in one transaction.
**
** Removing by id or key keeps the state of the article's file, so the article stays out
** until that file changes; removing by path forgets the files too, so indexing them again
** adds them back (newsidx_remove_path()).
*/
#include "commands.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_PATH = CMD_OPT_FIRST, OPT_KEY };

static const cli_option options[] = {
    CMD_COMMON_OPTIONS,
    {"path", 'p', OPT_PATH, "PATH", "what was read from this file, or files under this folder"},
    {"key", 'k', OPT_KEY, "KEY", "the article with this key (a file path or a record's id)"},
    {NULL, 0, 0, NULL, NULL},
};

#define MAX_NAMED 256

typedef struct rm_args {
  const char *paths[MAX_NAMED];
  const char *keys[MAX_NAMED];
  int n_paths, n_keys;
} rm_args;

static int on_option(void *ctx, int id, const char *arg) {
  rm_args *a = ctx;
  int *n = id == OPT_PATH ? &a->n_paths : &a->n_keys;
  if (*n == MAX_NAMED)
    return cli_error("newsidx rm", "at most %d --path and %d --key at once", MAX_NAMED, MAX_NAMED);
  (id == OPT_PATH ? a->paths : a->keys)[(*n)++] = arg;
  return 0;
}

/* The path as the index stores it: absolute and canonical ("-" for standard input). A file
** that is gone cannot be resolved; its absolute path is the best guess. NULL when out of
** memory. */
static char *stored_path(const char *path) {
  if (strcmp(path, "-") == 0) return strdup(path);
  char *real = realpath(path, NULL);
  if (real || path[0] == '/') return real ? real : strdup(path);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return strdup(path);
  size_t n = strlen(cwd) + strlen(path) + 2;
  char *joined = malloc(n);
  if (joined) snprintf(joined, n, "%s/%s", cwd, path);
  return joined;
}

/* A name that matches nothing is reported and counted; the rest is still removed. */
static newsidx_status_t not_found_is_missing(newsidx_status_t status, const newsidx_error *err,
                                             int *n_missing) {
  if (status != NEWSIDX_NOT_FOUND) return status;
  cli_message("newsidx rm", "", err->message);
  ++*n_missing;
  return NEWSIDX_OK;
}

/* Removes everything named; counts the articles removed and the names that matched none. */
static newsidx_status_t remove_all(newsidx_db *db, const rm_args *a, char **ids, int n_ids,
                                   int64_t *removed, int *n_missing, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; i < n_ids && status == NEWSIDX_OK; i++) {
    status = newsidx_delete_article(db, strtoll(ids[i], NULL, 10), err);
    if (status == NEWSIDX_OK) ++*removed;
    status = not_found_is_missing(status, err, n_missing);
  }
  for (int i = 0; i < a->n_keys && status == NEWSIDX_OK; i++) {
    int64_t id;
    status = newsidx_lookup_key(db, a->keys[i], &id, NULL, NULL, err);
    if (status == NEWSIDX_OK) status = newsidx_delete_article(db, id, err);
    if (status == NEWSIDX_OK) ++*removed;
    if (status == NEWSIDX_NOT_FOUND)
      newsidx_error_set(err, status, "no article with key %s", a->keys[i]);
    status = not_found_is_missing(status, err, n_missing);
  }
  for (int i = 0; i < a->n_paths && status == NEWSIDX_OK; i++) {
    char *path = stored_path(a->paths[i]);
    if (!path) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    int64_t before = *removed;
    status = newsidx_remove_path(db, path, NULL, NULL, removed, err);
    if (status == NEWSIDX_OK && *removed == before)
      status = newsidx_error_set(err, NEWSIDX_NOT_FOUND, "nothing indexed from %s", path);
    status = not_found_is_missing(status, err, n_missing);
    free(path);
  }
  return status;
}

int cmd_rm(int argc, char **argv) {
  rm_args a = {{0}, {0}, 0, 0};
  const cmd_spec spec = {
      "rm",
      "[ID...] [--key KEY] [--path PATH]",
      "Removes articles from the index (not their files), all in one transaction: by id (as\n"
      "newsq --json shows it), by key, or everything read from a file or from files under a\n"
      "folder. An article removed by id or key stays out until its file changes; what is\n"
      "removed by path comes back when that path is indexed again.",
      "0 all removed, 1 something named was not in the index (the rest was removed), 2 error.",
      options,
      on_option,
      &a};
  newsidx_db *db;
  int first;
  int rc = cmd_start(&spec, argc, argv, 0, &db, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  if (first == argc && a.n_paths == 0 && a.n_keys == 0)
    rc = cli_error("newsidx rm", "name articles to remove: ID..., --key KEY or --path PATH");
  for (int i = first; i < argc && !rc; i++) {
    char *end;
    errno = 0;
    long long id = strtoll(argv[i], &end, 10);
    if (!*argv[i] || *end || errno || id <= 0)
      rc = cli_error("newsidx rm", "'%s' is not an article id (use --key or --path)", argv[i]);
  }
  if (rc) {
    newsidx_db_close(db);
    return rc;
  }
  newsidx_error err = {0};
  int64_t removed = 0;
  int n_missing = 0;
  newsidx_status_t status = newsidx_begin(db, &err);
  if (status == NEWSIDX_OK)
    status = remove_all(db, &a, argv + first, argc - first, &removed, &n_missing, &err);
  if (status == NEWSIDX_OK)
    status = newsidx_commit(db, &err);
  else
    newsidx_rollback(db);
  newsidx_db_close(db);
  if (status != NEWSIDX_OK) return cli_fail("newsidx rm", &err);
  char n[32];
  printf("%s article%s removed\n", cli_thousands(removed, n, sizeof n), removed == 1 ? "" : "s");
  return n_missing ? CLI_EXIT_NONE : CLI_EXIT_OK;
}
