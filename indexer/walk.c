/*
** walk.c — recursive, stable, loop-safe directory walk. See walk.h.
*/
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int has_suffix(const char *name, const char *suffix) {
  size_t n = strlen(name), m = strlen(suffix);
  return n >= m && strcasecmp(name + n - m, suffix) == 0;
}

int walk_classify(const char *name, const char **why) {
  static const char *const backups[] = {"~", ".bak", ".swp", ".swo", ".tmp", ".orig", ".part"};
  size_t n = strlen(name);
  if (name[0] == '.') {
    *why = "hidden";
    return -1;
  }
  for (size_t i = 0; i < sizeof backups / sizeof backups[0]; i++)
    if (has_suffix(name, backups[i])) {
      *why = "editor backup or temporary file";
      return -1;
    }
  if (name[0] == '#' && n > 1 && name[n - 1] == '#') {
    *why = "editor backup or temporary file";
    return -1;
  }
  if (has_suffix(name, ".txt") || has_suffix(name, ".text")) return KIND_TEXT;
  if (has_suffix(name, ".jsonl") || has_suffix(name, ".ndjson")) return KIND_JSONL;
  *why = "unknown type";
  return -1;
}

int walk_kind(const char *name, int forced_kind, const char **why) {
  int kind = walk_classify(name, why);
  if (forced_kind < 0 || (kind < 0 && strcmp(*why, "unknown type") != 0))
    return kind; /* --format does not take hidden files or backups */
  return forced_kind;
}

/* The directories already walked, by device and inode: a small open-addressing set. */
typedef struct dir_set {
  struct dir_id {
    dev_t dev;
    ino_t ino;
    int used;
  } * slots;
  size_t cap, n;
} dir_set;

/* Adds (dev, ino); returns 1 when added, 0 when already there, -1 when out of memory. */
static int dir_set_add(dir_set *set, dev_t dev, ino_t ino) {
  if ((set->n + 1) * 2 > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    struct dir_id *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slots[i].used) continue;
      size_t j = (set->slots[i].ino * 31 + set->slots[i].dev) & (cap - 1);
      while (slots[j].used)
        j = (j + 1) & (cap - 1);
      slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t j = (ino * 31 + dev) & (set->cap - 1);
  while (set->slots[j].used) {
    if (set->slots[j].dev == dev && set->slots[j].ino == ino) return 0;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j] = (struct dir_id){dev, ino, 1};
  set->n++;
  return 1;
}

typedef struct walker {
  walk_list *list;
  int forced_kind;
  walk_report_fn report;
  void *ctx;
  dir_set seen;
  newsidx_error *err;
} walker;

static void report(walker *w, int error, const char *path, const char *why) {
  if (error)
    w->list->n_errors++;
  else
    w->list->n_skipped++;
  if (w->report) w->report(w->ctx, error, path, why);
}

static newsidx_status_t add_file(walker *w, const char *path, input_kind kind,
                                 const struct stat *st) {
  walk_list *list = w->list;
  if (list->n_files == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 256;
    walk_file *files = realloc(list->files, cap * sizeof *files);
    if (!files) return newsidx_error_set(w->err, NEWSIDX_NOMEM, "out of memory");
    list->files = files;
    list->cap = cap;
  }
  char *copy = strdup(path);
  if (!copy) return newsidx_error_set(w->err, NEWSIDX_NOMEM, "out of memory");
  list->files[list->n_files++] =
      (walk_file){copy, kind, (int64_t)st->st_size,
                  (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec};
  list->total_bytes += st->st_size;
  return NEWSIDX_OK;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static newsidx_status_t walk_dir(walker *w, const char *dir_path);

/* Handles one entry found in a directory, `path` being dir/name. */
static newsidx_status_t walk_entry(walker *w, const char *path, const char *name) {
  const char *why = NULL;
  if (name[0] == '.') {
    report(w, 0, path, "hidden");
    return NEWSIDX_OK;
  }
  struct stat st;
  if (stat(path, &st) != 0) {
    report(w, 1, path, errno == ELOOP ? "symlink loop" : strerror(errno));
    return NEWSIDX_OK;
  }
  if (S_ISDIR(st.st_mode)) return walk_dir(w, path);
  if (!S_ISREG(st.st_mode)) {
    report(w, 0, path, "not a regular file");
    return NEWSIDX_OK;
  }
  int kind = walk_kind(name, w->forced_kind, &why);
  if (kind < 0) {
    report(w, 0, path, why);
    return NEWSIDX_OK;
  }
  /* Files reached through a symlink get their canonical path as key. */
  struct stat lst;
  if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
    char *real = realpath(path, NULL);
    if (!real) {
      report(w, 1, path, strerror(errno));
      return NEWSIDX_OK;
    }
    newsidx_status_t status = add_file(w, real, (input_kind)kind, &st);
    free(real);
    return status;
  }
  return add_file(w, path, (input_kind)kind, &st);
}

static newsidx_status_t walk_dir(walker *w, const char *dir_path) {
  char *real = realpath(dir_path, NULL);
  if (!real) {
    report(w, 1, dir_path, strerror(errno));
    return NEWSIDX_OK;
  }
  struct stat st;
  if (stat(real, &st) != 0) {
    report(w, 1, dir_path, strerror(errno));
    free(real);
    return NEWSIDX_OK;
  }
  int added = dir_set_add(&w->seen, st.st_dev, st.st_ino);
  if (added <= 0) {
    free(real);
    if (added < 0) return newsidx_error_set(w->err, NEWSIDX_NOMEM, "out of memory");
    report(w, 0, dir_path, "directory already walked (symlink loop or second link)");
    return NEWSIDX_OK;
  }
  DIR *dir = opendir(real);
  if (!dir) {
    report(w, 1, dir_path, strerror(errno));
    free(real);
    return NEWSIDX_OK;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  newsidx_status_t status = NEWSIDX_OK;
  struct dirent *d;
  while ((d = readdir(dir)) != NULL) {
    if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **grown = realloc(names, cap * sizeof *names);
      if (!grown) {
        status = newsidx_error_set(w->err, NEWSIDX_NOMEM, "out of memory");
        break;
      }
      names = grown;
    }
    if (!(names[n] = strdup(d->d_name))) {
      status = newsidx_error_set(w->err, NEWSIDX_NOMEM, "out of memory");
      break;
    }
    n++;
  }
  closedir(dir);
  if (status == NEWSIDX_OK && n > 1) qsort(names, n, sizeof *names, compare_names);

  size_t n_real = strlen(real);
  for (size_t i = 0; i < n && status == NEWSIDX_OK; i++) {
    size_t n_path = n_real + 1 + strlen(names[i]) + 1;
    char *path = malloc(n_path);
    if (!path) {
      status = newsidx_error_set(w->err, NEWSIDX_NOMEM, "out of memory");
      break;
    }
    snprintf(path, n_path, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", names[i]);
    status = walk_entry(w, path, names[i]);
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  free(real);
  return status;
}

newsidx_status_t walk_path(const char *path, int forced_kind, walk_list *list,
                           walk_report_fn report_fn, void *ctx, newsidx_error *err) {
  walker w = {list, forced_kind, report_fn, ctx, {NULL, 0, 0}, err};
  struct stat st;
  newsidx_status_t status = NEWSIDX_OK;
  if (stat(path, &st) != 0) {
    report(&w, 1, path, strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    status = walk_dir(&w, path);
  } else if (!S_ISREG(st.st_mode)) {
    report(&w, 1, path, "not a regular file or directory");
  } else {
    const char *why;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int kind = forced_kind >= 0
                   ? forced_kind
                   : (walk_classify(base, &why) == KIND_JSONL ? KIND_JSONL : KIND_TEXT);
    char *real = realpath(path, NULL);
    if (!real)
      report(&w, 1, path, strerror(errno));
    else
      status = add_file(&w, real, (input_kind)kind, &st);
    free(real);
  }
  free(w.seen.slots);
  return status;
}

void walk_list_free(walk_list *list) {
  for (size_t i = 0; i < list->n_files; i++)
    free(list->files[i].path);
  free(list->files);
  memset(list, 0, sizeof *list);
}
