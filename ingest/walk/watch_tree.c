/*
** watch_tree.c — inotify watches over folder trees, and the changes their events note.
** See ingest.h, "Watching".
*/
#include "ingest.h"
#include "walk.h"
#include "util/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a folder's watch reports: changes of its entries, and its own end. */
#define WATCH_MASK                                                                                 \
  (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY |              \
   IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)

/* A change noted for a path: to index, gone, or both (the file system decides at the take). */
enum { CHANGE_INDEX = 1, CHANGE_GONE = 2 };

typedef struct watched_dir {
  int wd;
  char *path;     /* canonical */
  int root;       /* index in roots, or -1 */
  unsigned visit; /* the visit that last walked it (loop protection) */
} watched_dir;

typedef struct change {
  char *path;
  int flags; /* CHANGE_* */
} change;

struct watch_tree {
  int fd;
  int forced_kind;
  ingest_report_fn report;
  void *ctx;
  char **roots; /* canonical; NULL once gone */
  int n_roots;
  watched_dir *dirs; /* sorted by wd */
  size_t n_dirs, cap_dirs;
  change *changes; /* in the order noted */
  size_t n_changes, cap_changes;
  int rescan;
  unsigned visit;
  int limit_reported; /* the kernel's watch limit was reported once */
};

static void say(watch_tree *t, ingest_level level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void say(watch_tree *t, ingest_level level, const char *format, ...) {
  if (!t->report) return;
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  t->report(t->ctx, level, message);
}

static newsidx_status_t no_memory(newsidx_error *err) {
  return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
}

/* dir/name in a new string, or NULL when out of memory. */
static char *join_path(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *path = malloc(n);
  if (path) snprintf(path, n, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
  return path;
}

/* Non-zero when `path` is `dir` or lies under it. */
static int is_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/') return 1;
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* ---- the watched folders, by watch descriptor ---- */

/* The index of the first folder whose wd is >= wd. */
static size_t dir_position(const watch_tree *t, int wd) {
  size_t lo = 0, hi = t->n_dirs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->dirs[mid].wd < wd)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static watched_dir *find_dir(watch_tree *t, int wd) {
  size_t i = dir_position(t, wd);
  return i < t->n_dirs && t->dirs[i].wd == wd ? &t->dirs[i] : NULL;
}

/* Records that `wd` watches `path`; *out is the entry (an existing one for a folder already
** watched under another name: the first name stays). */
static newsidx_status_t put_dir(watch_tree *t, int wd, const char *path, watched_dir **out,
                                newsidx_error *err) {
  size_t i = dir_position(t, wd);
  if (i < t->n_dirs && t->dirs[i].wd == wd) {
    *out = &t->dirs[i];
    return NEWSIDX_OK;
  }
  char *copy = NULL;
  if (newsidx_reserve((void **)&t->dirs, &t->cap_dirs, t->n_dirs, 1, sizeof *t->dirs) != 0 ||
      !(copy = strdup(path)))
    return no_memory(err);
  memmove(t->dirs + i + 1, t->dirs + i, (t->n_dirs - i) * sizeof *t->dirs);
  t->dirs[i] = (watched_dir){wd, copy, -1, 0};
  t->n_dirs++;
  *out = &t->dirs[i];
  return NEWSIDX_OK;
}

static void drop_dir_at(watch_tree *t, size_t i) {
  free(t->dirs[i].path);
  memmove(t->dirs + i, t->dirs + i + 1, (t->n_dirs - i - 1) * sizeof *t->dirs);
  t->n_dirs--;
}

/* Stops watching `dir` and every folder under it (moved away: its watches would go on
** reporting from wherever it went). Events still queued for them are then ignored. */
static void unwatch_tree(watch_tree *t, const char *dir) {
  for (size_t i = t->n_dirs; i-- > 0;)
    if (is_under(t->dirs[i].path, dir)) {
      inotify_rm_watch(t->fd, t->dirs[i].wd);
      drop_dir_at(t, i);
    }
}

/* Watches the folder `path` (canonical) and, recursively, every folder under it that is not
** hidden. A folder already walked in this visit is not walked again. Writes the watch
** descriptor of `path` to *wd, -1 when it could not be watched (reported, or gone). */
static newsidx_status_t watch_dir(watch_tree *t, const char *path, int *wd, newsidx_error *err);

static newsidx_status_t watch_entries(watch_tree *t, const char *path, newsidx_error *err) {
  DIR *dir = opendir(path);
  if (!dir) {
    if (errno != ENOENT && errno != ENOTDIR) say(t, INGEST_ERROR, "%s: %s", path, strerror(errno));
    return NEWSIDX_OK;
  }
  newsidx_status_t status = NEWSIDX_OK;
  struct dirent *d;
  while (status == NEWSIDX_OK && (d = readdir(dir)) != NULL) {
    if (d->d_name[0] == '.') continue; /* ".", "..", hidden: the walk leaves them out too */
    if (d->d_type != DT_DIR && d->d_type != DT_LNK && d->d_type != DT_UNKNOWN) continue;
    char *child = join_path(path, d->d_name);
    if (!child) {
      status = no_memory(err);
      break;
    }
    struct stat st;
    if (stat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
      char *real = d->d_type == DT_DIR ? NULL : realpath(child, NULL); /* symlinks: canonical */
      int wd;
      status = watch_dir(t, real ? real : child, &wd, err);
      free(real);
    }
    free(child);
  }
  closedir(dir);
  return status;
}

static newsidx_status_t watch_dir(watch_tree *t, const char *path, int *wd, newsidx_error *err) {
  *wd = inotify_add_watch(t->fd, path, WATCH_MASK);
  if (*wd < 0) {
    if (errno == ENOSPC && !t->limit_reported) {
      t->limit_reported = 1;
      say(t, INGEST_ERROR,
          "%s: cannot watch more folders: the limit of inotify watches is reached "
          "(raise fs.inotify.max_user_watches); folders beyond it are indexed only by re-scans",
          path);
    } else if (errno != ENOSPC && errno != ENOENT && errno != ENOTDIR) {
      say(t, INGEST_ERROR, "%s: cannot watch: %s", path, strerror(errno));
    }
    return NEWSIDX_OK; /* gone already, or reported: the rest is watched */
  }
  watched_dir *dir = NULL; /* set whenever put_dir() succeeds; GCC -O2 cannot tell */
  newsidx_status_t status = put_dir(t, *wd, path, &dir, err);
  if (status != NEWSIDX_OK || dir->visit == t->visit) return status;
  dir->visit = t->visit;
  return watch_entries(t, dir->path, err); /* the path string stays where it is */
}

/* Watches the tree under `path` in a new visit. */
static newsidx_status_t watch_new_tree(watch_tree *t, const char *path, int *wd,
                                       newsidx_error *err) {
  t->visit++;
  return watch_dir(t, path, wd, err);
}

/* After an overflow: walks every root again, so that folders created unseen are watched. */
static newsidx_status_t rewatch_roots(watch_tree *t, newsidx_error *err) {
  t->visit++;
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; i < t->n_roots && status == NEWSIDX_OK; i++) {
    int wd;
    if (t->roots[i]) status = watch_dir(t, t->roots[i], &wd, err);
  }
  return status;
}

/* ---- changes ---- */

static newsidx_status_t note(watch_tree *t, const char *path, int flags, int *n_noted,
                             newsidx_error *err) {
  if (n_noted) ++*n_noted;
  if (t->n_changes > 0) { /* a file being appended to gives event after event */
    change *last = &t->changes[t->n_changes - 1];
    if (last->flags == flags && strcmp(last->path, path) == 0) return NEWSIDX_OK;
  }
  char *copy = NULL;
  if (newsidx_reserve((void **)&t->changes, &t->cap_changes, t->n_changes, 1, sizeof *t->changes) !=
          0 ||
      !(copy = strdup(path)))
    return no_memory(err);
  t->changes[t->n_changes++] = (change){copy, flags};
  return NEWSIDX_OK;
}

/* A root is gone: report it and stop watching it. */
static void lose_root(watch_tree *t, int root, const char *why) {
  say(t, INGEST_ERROR, "%s: %s; no longer watched", t->roots[root], why);
  unwatch_tree(t, t->roots[root]);
  free(t->roots[root]);
  t->roots[root] = NULL;
}

/* Events about a watched folder itself. */
static void handle_self(watch_tree *t, int wd, uint32_t mask) {
  watched_dir *dir = find_dir(t, wd);
  if (!dir) return; /* already dropped (moved away with its parent) */
  if (dir->root >= 0 && (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT))) {
    lose_root(t, dir->root,
              mask & IN_DELETE_SELF ? "deleted"
              : mask & IN_MOVE_SELF ? "moved away"
                                    : "unmounted");
    return;
  }
  /* IN_IGNORED: the kernel removed the watch (the folder was deleted). A folder moved away
  ** was unwatched when its parent reported IN_MOVED_FROM; one moved by a rename of a folder
  ** above it is only reported here, and its watches follow it: unwatch. */
  if (mask & IN_IGNORED) {
    drop_dir_at(t, (size_t)(dir - t->dirs));
  } else if (mask & IN_MOVE_SELF) {
    char *path = strdup(dir->path);
    if (path) unwatch_tree(t, path);
    free(path);
  }
}

/* Events (`mask`) about the entry `name` of a watched folder, at `path`. */
static newsidx_status_t handle_entry(watch_tree *t, uint32_t mask, const char *name,
                                     const char *path, int *n_noted, newsidx_error *err) {
  const char *why = NULL;
  if (mask & (IN_DELETE | IN_MOVED_FROM)) {
    if (mask & IN_ISDIR ? name[0] == '.' : walk_kind(name, t->forced_kind, &why) < 0)
      return NEWSIDX_OK; /* never indexed */
    if (mask & IN_ISDIR) unwatch_tree(t, path);
    return note(t, path, CHANGE_GONE, n_noted, err);
  }
  struct stat st;
  int is_dir = (mask & IN_ISDIR) != 0;
  if (mask & IN_CREATE && !is_dir) {
    /* A file being created is indexed when it is closed. A symlink or a hard link arrives
    ** complete: it has no close to wait for. */
    if (lstat(path, &st) != 0) return NEWSIDX_OK;
    if (!S_ISLNK(st.st_mode) && !(S_ISREG(st.st_mode) && st.st_nlink > 1)) return NEWSIDX_OK;
    is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
  }
  if (is_dir) {
    if (!(mask & (IN_CREATE | IN_MOVED_TO)) || name[0] == '.') return NEWSIDX_OK;
    char *real = realpath(path, NULL);
    if (!real) return NEWSIDX_OK; /* gone already */
    int wd;
    newsidx_status_t status = watch_new_tree(t, real, &wd, err);
    free(real);
    return status == NEWSIDX_OK ? note(t, path, CHANGE_INDEX, n_noted, err) : status;
  }
  int kind = walk_kind(name, t->forced_kind, &why);
  if (kind < 0) {
    if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) say(t, INGEST_VERBOSE, "%s: %s", path, why);
    return NEWSIDX_OK;
  }
  /* files that are appended to are read as they grow; the others once they are closed */
  int appended = kind == KIND_JSONL || kind == KIND_CSV || kind == KIND_TSV;
  if (mask & IN_MODIFY && !appended) return NEWSIDX_OK;
  return note(t, path, CHANGE_INDEX, n_noted, err);
}

newsidx_status_t watch_tree_handle(watch_tree *t, const char *events, size_t n, int *n_noted,
                                   newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  size_t used = 0;
  while (status == NEWSIDX_OK && used + sizeof(struct inotify_event) <= n) {
    struct inotify_event e;
    memcpy(&e, events + used, sizeof e); /* records follow each other unaligned in tests */
    const char *name = events + used + sizeof e;
    used += sizeof e + e.len;
    if (used > n) break;
    if (e.mask & IN_Q_OVERFLOW) {
      say(t, INGEST_WARNING,
          "the kernel dropped file events (inotify queue overflow); "
          "re-scanning every folder");
      t->rescan = 1;
      if (n_noted) ++*n_noted;
      status = rewatch_roots(t, err);
      continue;
    }
    if (e.len == 0 || !name[0]) {
      handle_self(t, e.wd, e.mask);
      continue;
    }
    watched_dir *dir = find_dir(t, e.wd);
    if (!dir) continue; /* queued before its folder was unwatched */
    char *path = join_path(dir->path, name);
    if (!path) return no_memory(err);
    status = handle_entry(t, e.mask, name, path, n_noted, err);
    free(path);
  }
  return status;
}

newsidx_status_t watch_tree_read(watch_tree *t, int *n_noted, newsidx_error *err) {
  /* Big enough for many events at once; aligned as the kernel writes them. */
  char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    ssize_t n = read(t->fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return NEWSIDX_OK;
    if (n <= 0)
      return newsidx_error_set(err, NEWSIDX_IO, "reading file events: %s", strerror(errno));
    newsidx_status_t status = watch_tree_handle(t, buf, (size_t)n, n_noted, err);
    if (status != NEWSIDX_OK) return status;
  }
}

/* ---- opening, taking, closing ---- */

newsidx_status_t watch_tree_open(char *const *roots, int n_roots, int forced_kind,
                                 ingest_report_fn report, void *ctx, watch_tree **out,
                                 newsidx_error *err) {
  *out = NULL;
  watch_tree *t = calloc(1, sizeof *t);
  if (!t) return no_memory(err);
  t->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  t->forced_kind = forced_kind;
  t->report = report;
  t->ctx = ctx;
  newsidx_status_t status = NEWSIDX_OK;
  if (t->fd < 0)
    status =
        newsidx_error_set(err, NEWSIDX_IO, "cannot watch files (inotify): %s%s", strerror(errno),
                          errno == EMFILE ? " (raise fs.inotify.max_user_instances)" : "");
  if (status == NEWSIDX_OK && !(t->roots = calloc((size_t)n_roots + 1, sizeof *t->roots)))
    status = no_memory(err);
  for (int i = 0; i < n_roots && status == NEWSIDX_OK; i++) {
    struct stat st;
    char *real = realpath(roots[i], NULL);
    if (!real || stat(real, &st) != 0)
      status = newsidx_error_set(err, NEWSIDX_IO, "%s: %s", roots[i], strerror(errno));
    else if (!S_ISDIR(st.st_mode))
      status = newsidx_error_set(err, NEWSIDX_IO, "%s: not a folder", roots[i]);
    t->roots[t->n_roots++] = real;
    int wd = -1;
    if (status == NEWSIDX_OK) status = watch_new_tree(t, real, &wd, err);
    if (status == NEWSIDX_OK && wd < 0)
      status = newsidx_error_set(err, NEWSIDX_IO, "%s: cannot watch it", roots[i]);
    if (status == NEWSIDX_OK) find_dir(t, wd)->root = i;
  }
  if (status != NEWSIDX_OK) {
    watch_tree_close(t);
    return status;
  }
  *out = t;
  return NEWSIDX_OK;
}

void watch_tree_close(watch_tree *t) {
  if (!t) return;
  if (t->fd >= 0) close(t->fd);
  for (int i = 0; i < t->n_roots; i++)
    free(t->roots[i]);
  free(t->roots);
  for (size_t i = 0; i < t->n_dirs; i++)
    free(t->dirs[i].path);
  free(t->dirs);
  watch_tree_clear(t);
  free(t->changes);
  free(t);
}

int watch_tree_fd(const watch_tree *t) { return t->fd; }

void watch_tree_request_rescan(watch_tree *t) { t->rescan = 1; }

int watch_tree_pending(const watch_tree *t) { return t->rescan || t->n_changes > 0; }

int watch_tree_roots_alive(const watch_tree *t) {
  int n = 0;
  for (int i = 0; i < t->n_roots; i++)
    n += t->roots[i] != NULL;
  return n;
}

void watch_tree_clear(watch_tree *t) {
  for (size_t i = 0; i < t->n_changes; i++)
    free(t->changes[i].path);
  t->n_changes = 0;
  t->rescan = 0;
}

/* Path order with '/' first, so that everything under a folder follows it at once
** ("a", "a/x", "a-b"): one pass then drops what a folder in the batch covers. */
static int compare_changes(const void *pa, const void *pb) {
  const unsigned char *a = (const unsigned char *)((const change *)pa)->path;
  const unsigned char *b = (const unsigned char *)((const change *)pb)->path;
  for (; *a && *a == *b; a++, b++)
    ;
  int ca = *a == '/' ? 1 : *a, cb = *b == '/' ? 1 : *b;
  return ca - cb;
}

static newsidx_status_t push(char ***list, size_t *n, size_t *cap, const char *path,
                             newsidx_error *err) {
  if (newsidx_reserve((void **)list, cap, *n, 1, sizeof **list) != 0 ||
      !((*list)[*n] = strdup(path)))
    return no_memory(err);
  ++*n;
  return NEWSIDX_OK;
}

newsidx_status_t watch_tree_take(watch_tree *t, watch_changes *out, newsidx_error *err) {
  memset(out, 0, sizeof *out);
  out->rescan = t->rescan;
  size_t cap_paths = 0, cap_gone = 0;
  newsidx_status_t status = NEWSIDX_OK;
  if (t->rescan) {
    for (int i = 0; i < t->n_roots && status == NEWSIDX_OK; i++)
      if (t->roots[i]) status = push(&out->paths, &out->n_paths, &cap_paths, t->roots[i], err);
    if (status != NEWSIDX_OK) watch_changes_free(out);
    return status; /* the walk finds every change, and --prune on the roots every loss */
  }
  if (t->n_changes > 1) qsort(t->changes, t->n_changes, sizeof *t->changes, compare_changes);
  const char *cover = NULL; /* the last folder to index: what lies under it is walked */
  for (size_t i = 0; i < t->n_changes && status == NEWSIDX_OK; i++) {
    int flags = t->changes[i].flags;
    const char *path = t->changes[i].path;
    while (i + 1 < t->n_changes && strcmp(t->changes[i + 1].path, path) == 0)
      flags |= t->changes[++i].flags;
    struct stat st;
    if (stat(path, &st) != 0) {
      if (flags & CHANGE_GONE) status = push(&out->gone, &out->n_gone, &cap_gone, path, err);
    } else if (flags & CHANGE_INDEX && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
      if (cover && is_under(path, cover)) continue;
      status = push(&out->paths, &out->n_paths, &cap_paths, path, err);
      if (S_ISDIR(st.st_mode)) cover = path;
    } /* else: deleted and being written again (its close will come), or not a file */
  }
  if (status != NEWSIDX_OK) watch_changes_free(out);
  return status;
}

void watch_changes_free(watch_changes *c) {
  for (size_t i = 0; i < c->n_paths; i++)
    free(c->paths[i]);
  for (size_t i = 0; i < c->n_gone; i++)
    free(c->gone[i]);
  free(c->paths);
  free(c->gone);
  memset(c, 0, sizeof *c);
}
