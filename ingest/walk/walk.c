/*
** walk.c — recursive, stable, loop-safe directory walk. See walk.h.
*/
#include "walk.h"
#include "reader.h" /* feed_sniff(), html_sniff() */

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
  if (has_suffix(name, ".csv")) return KIND_CSV;
  if (has_suffix(name, ".tsv")) return KIND_TSV;
  if (has_suffix(name, ".xml") || has_suffix(name, ".rss") || has_suffix(name, ".atom") ||
      has_suffix(name, ".rdf"))
    return KIND_FEED;
  if (has_suffix(name, ".html") || has_suffix(name, ".htm")) return KIND_HTML;
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

/* A folder being walked: its canonical path and its entries' names, sorted. */
typedef struct dir_frame {
  char *real;
  char *names;   /* the names, each after its d_type byte and NUL-terminated, one after the other */
  char **sorted; /* pointers into `names`, in bytewise order */
  size_t n, next;
} dir_frame;

struct walk {
  char *const *paths;
  int n_paths, next_path;
  int forced_kind;
  walk_report_fn report;
  void *ctx;
  dir_set seen;     /* the folders walked under the current command-line path */
  dir_frame *stack; /* the folders being walked, outermost first */
  size_t depth, stack_cap;
  char *file_path; /* the path of the file last returned */
  int defer_stat;  /* walk_defer_stat() */
  long n_skipped, n_errors;
  long long total_bytes;
};

static void report(walk *w, int error, const char *path, const char *why) {
  if (error)
    w->n_errors++;
  else
    w->n_skipped++;
  if (w->report) w->report(w->ctx, error, path, why);
}

/* Makes `path` the file to return, with its kind and stat facts (st NULL: not stat()ed). */
static newsidx_status_t found(walk *w, const char *path, input_kind kind, const struct stat *st,
                              walk_file *file, newsidx_error *err) {
  free(w->file_path);
  if (!(w->file_path = strdup(path))) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  *file = (walk_file){w->file_path, kind, -1, -1};
  if (!st) return NEWSIDX_OK;
  file->size = (int64_t)st->st_size;
  file->mtime = walk_mtime_ns(st);
  w->total_bytes += st->st_size;
  return NEWSIDX_OK;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void frame_free(dir_frame *f) {
  free(f->real);
  free(f->names);
  free(f->sorted);
}

/* Reads the names in folder `real` into a new frame on the stack (taking `real`). */
static newsidx_status_t push_frame(walk *w, char *real, DIR *dir, newsidx_error *err) {
  dir_frame f = {real, NULL, NULL, 0, 0};
  size_t used = 0, cap = 0;
  newsidx_status_t status = NEWSIDX_OK;
  struct dirent *d;
  while ((d = readdir(dir)) != NULL) {
    if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) continue;
    size_t n = strlen(d->d_name) + 2; /* d_type, the name, NUL */
    if (used + n > cap) {
      cap = 2 * (used + n) + 4096;
      char *grown = realloc(f.names, cap);
      if (!grown) {
        status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
        break;
      }
      f.names = grown;
    }
    f.names[used] = (char)d->d_type;
    memcpy(f.names + used + 1, d->d_name, n - 1);
    used += n;
    f.n++;
  }
  closedir(dir);
  if (status == NEWSIDX_OK && f.n && !(f.sorted = malloc(f.n * sizeof *f.sorted)))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (status == NEWSIDX_OK && w->depth == w->stack_cap) {
    size_t stack_cap = w->stack_cap ? 2 * w->stack_cap : 16;
    dir_frame *grown = realloc(w->stack, stack_cap * sizeof *grown);
    if (!grown)
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    else {
      w->stack = grown;
      w->stack_cap = stack_cap;
    }
  }
  if (status != NEWSIDX_OK) {
    frame_free(&f);
    return status;
  }
  for (size_t i = 0, at = 0; i < f.n; i++) {
    f.sorted[i] = f.names + at + 1;
    at += strlen(f.names + at + 1) + 2;
  }
  if (f.n > 1) qsort(f.sorted, f.n, sizeof *f.sorted, compare_names);
  w->stack[w->depth++] = f;
  return NEWSIDX_OK;
}

/* Starts walking folder `dir_path`, once: a folder already walked is reported and left. `st`
** is the folder's stat() (its identity); `real` its canonical path when the caller knows it
** (built from its parent's and its name, no symlink met), else NULL: only then is realpath()
** asked, whose cost grows with the square of the depth (a readlink() per component). */
static newsidx_status_t enter_dir(walk *w, const char *dir_path, const char *real,
                                  const struct stat *st, newsidx_error *err) {
  int added = dir_set_add(&w->seen, st->st_dev, st->st_ino);
  if (added < 0) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (added == 0) {
    report(w, 0, dir_path, "directory already walked (symlink loop or second link)");
    return NEWSIDX_OK;
  }
  char *canonical = real ? strdup(real) : realpath(dir_path, NULL);
  if (!canonical) {
    if (real) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    report(w, 1, dir_path, strerror(errno));
    return NEWSIDX_OK;
  }
  /* O_NOFOLLOW: a folder swapped for a symlink since it was looked at is not walked under the
  ** path it had; fdopendir() costs what opendir() does (one open, one fstat). */
  int fd = open(canonical, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dir) {
    report(w, 1, dir_path, errno == ELOOP ? "replaced by a symlink while walked" : strerror(errno));
    if (fd >= 0) close(fd);
    free(canonical);
    return NEWSIDX_OK;
  }
  return push_frame(w, canonical, dir, err);
}

/* Handles one entry found in a folder, `path` being dir/name and d_type what the folder says
** it is: sets *is_file and *file when it is a file to index, enters it when it is a folder,
** reports it when it is skipped. */
static newsidx_status_t visit(walk *w, const char *path, const char *name, unsigned char d_type,
                              walk_file *file, int *is_file, newsidx_error *err) {
  const char *why = NULL;
  if (name[0] == '.') {
    report(w, 0, path, "hidden");
    return NEWSIDX_OK;
  }
  int kind = -1;
  if (d_type == DT_REG && w->defer_stat) {
    kind = walk_kind(name, w->forced_kind, &why);
    if (kind < 0) {
      report(w, 0, path, why);
      return NEWSIDX_OK;
    }
    if (kind == KIND_TEXT) { /* its path is canonical: no symlink on the way */
      newsidx_status_t status = found(w, path, KIND_TEXT, NULL, file, err);
      *is_file = status == NEWSIDX_OK;
      return status;
    }
  }
  /* lstat() first: most entries are no symlink, and then it is all there is to know (one
  ** path lookup per file, not two). A symlink is followed with stat(). */
  struct stat st;
  int is_link = 0;
  if (lstat(path, &st) != 0 || ((is_link = S_ISLNK(st.st_mode)) && stat(path, &st) != 0)) {
    report(w, 1, path, errno == ELOOP ? "symlink loop" : strerror(errno));
    return NEWSIDX_OK;
  }
  if (S_ISDIR(st.st_mode)) return enter_dir(w, path, is_link ? NULL : path, &st, err);
  if (!S_ISREG(st.st_mode)) {
    report(w, 0, path, "not a regular file");
    return NEWSIDX_OK;
  }
  kind = walk_kind(name, w->forced_kind, &why);
  if (kind < 0) {
    report(w, 0, path, why);
    return NEWSIDX_OK;
  }
  /* Files reached through a symlink get their canonical path as key. */
  if (is_link) {
    char *real = realpath(path, NULL);
    if (!real) {
      report(w, 1, path, strerror(errno));
      return NEWSIDX_OK;
    }
    newsidx_status_t status = found(w, real, (input_kind)kind, &st, file, err);
    free(real);
    *is_file = status == NEWSIDX_OK;
    return status;
  }
  newsidx_status_t status = found(w, path, (input_kind)kind, &st, file, err);
  *is_file = status == NEWSIDX_OK;
  return status;
}

/* The kind of a file named on the command line whose name says none: a feed or an HTML page
** when its first bytes say so, else text. */
static int sniff_kind(const char *path) {
  char head[1024];
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return KIND_TEXT; /* reading it says why */
  ssize_t n = read(fd, head, sizeof head);
  close(fd);
  if (n > 0 && feed_sniff(head, (size_t)n)) return KIND_FEED;
  return n > 0 && html_sniff(head, (size_t)n) ? KIND_HTML : KIND_TEXT;
}

/* Starts on a path named on the command line: a file is taken whatever its name (hidden files
** and backups included), its kind by its name, else by its first bytes. */
static newsidx_status_t visit_top(walk *w, const char *path, walk_file *file, int *is_file,
                                  newsidx_error *err) {
  w->seen.n = 0; /* each command-line path walks its folders once */
  if (w->seen.slots) memset(w->seen.slots, 0, w->seen.cap * sizeof *w->seen.slots);
  struct stat st;
  if (stat(path, &st) != 0) {
    report(w, 1, path, strerror(errno));
    return NEWSIDX_OK;
  }
  if (S_ISDIR(st.st_mode)) return enter_dir(w, path, NULL, &st, err);
  if (!S_ISREG(st.st_mode)) {
    report(w, 1, path, "not a regular file or directory");
    return NEWSIDX_OK;
  }
  const char *why;
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  int kind = w->forced_kind >= 0 ? w->forced_kind : walk_classify(base, &why);
  if (kind < 0) kind = sniff_kind(path);
  char *real = realpath(path, NULL);
  if (!real) {
    report(w, 1, path, strerror(errno));
    return NEWSIDX_OK;
  }
  newsidx_status_t status = found(w, real, (input_kind)kind, &st, file, err);
  free(real);
  *is_file = status == NEWSIDX_OK;
  return status;
}

newsidx_status_t walk_open(char *const *paths, int n_paths, int forced_kind,
                           walk_report_fn report_fn, void *ctx, walk **out, newsidx_error *err) {
  *out = calloc(1, sizeof **out);
  if (!*out) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  **out = (walk){.paths = paths,
                 .n_paths = n_paths,
                 .forced_kind = forced_kind,
                 .report = report_fn,
                 .ctx = ctx};
  return NEWSIDX_OK;
}

newsidx_status_t walk_next(walk *w, walk_file *file, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  int is_file = 0;
  while (status == NEWSIDX_OK && !is_file) {
    if (w->depth == 0) {
      if (w->next_path == w->n_paths) return NEWSIDX_NOT_FOUND;
      const char *path = w->paths[w->next_path++];
      if (strcmp(path, "-") != 0) status = visit_top(w, path, file, &is_file, err);
      continue;
    }
    dir_frame *f = &w->stack[w->depth - 1];
    if (f->next == f->n) {
      frame_free(f);
      w->depth--;
      continue;
    }
    const char *name = f->sorted[f->next++];
    size_t n_path = strlen(f->real) + 1 + strlen(name) + 1;
    char *path = malloc(n_path);
    if (!path) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    snprintf(path, n_path, "%s%s%s", f->real, strcmp(f->real, "/") == 0 ? "" : "/", name);
    status = visit(w, path, name, (unsigned char)name[-1], file, &is_file, err);
    free(path);
  }
  return status;
}

void walk_defer_stat(walk *w) { w->defer_stat = 1; }

void walk_counts(const walk *w, long *n_skipped, long *n_errors, long long *total_bytes) {
  if (n_skipped) *n_skipped = w->n_skipped;
  if (n_errors) *n_errors = w->n_errors;
  if (total_bytes) *total_bytes = w->total_bytes;
}

void walk_close(walk *w) {
  if (!w) return;
  while (w->depth > 0)
    frame_free(&w->stack[--w->depth]);
  free(w->stack);
  free(w->seen.slots);
  free(w->file_path);
  free(w);
}
