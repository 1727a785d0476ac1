/*
** race.c — an LD_PRELOAD shim that changes an input file at the moment newsidx reads it, for
** the races between the walk, the reader thread and the writer (tests/e2e/input_races.sh), in
** the manner of enospc.c. Each variable names one file (an absolute path, as the walk gives it);
** unset, everything passes untouched.
**
**   NEWSIDX_FAULT_TRUNCATE=path   the Nth pread() on a descriptor open on `path` (N from
**                                 NEWSIDX_FAULT_TRUNCATE_AT, default 1) truncates the file to 0
**                                 bytes first: it shrank while it was read (the writer hashes
**                                 the part of a JSON Lines file read with pread(), after the
**                                 reader thread looked for a byte-order mark with one and read
**                                 the file).
**   NEWSIDX_FAULT_SWAP=path:target  the first open() of `path` replaces it by a symlink to
**                                 `target` first: the walk saw a regular file, the reader finds
**                                 a symlink.
**
** Built without sanitizers. With an ASan-built program, set ASAN_OPTIONS=verify_asan_link_order=0.
*/
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static const char *truncate_path; /* NULL once done, or when unset */
static long truncate_at = 1;      /* the pread() on it that truncates it first, from 1 */
static char swap_path[4096];      /* "" once done, or when unset */
static const char *swap_target;

__attribute__((constructor)) static void fault_init(void) {
  const char *t = getenv("NEWSIDX_FAULT_TRUNCATE");
  if (t && *t) truncate_path = t;
  const char *at = getenv("NEWSIDX_FAULT_TRUNCATE_AT");
  if (at && *at) truncate_at = strtol(at, NULL, 10);
  const char *s = getenv("NEWSIDX_FAULT_SWAP");
  const char *colon = s ? strchr(s, ':') : NULL;
  if (colon && (size_t)(colon - s) < sizeof swap_path) {
    memcpy(swap_path, s, (size_t)(colon - s));
    swap_path[colon - s] = '\0';
    swap_target = colon + 1;
  }
}

/* Non-zero when `fd` is open on `path`. */
static int open_on(int fd, const char *path) {
  char link[64], got[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, got, sizeof got - 1);
  return n > 0 && (size_t)n == strlen(path) && memcmp(got, path, (size_t)n) == 0;
}

/* The next definition of `name` after this library's: libc's, or ASan's interceptor. */
static void *next(const char *name) { return dlsym(RTLD_NEXT, name); }

typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);

ssize_t pread(int fd, void *buf, size_t n, off_t offset) {
  static pread_fn next_pread;
  if (!next_pread) next_pread = (pread_fn)next("pread");
  if (truncate_path && open_on(fd, truncate_path) && --truncate_at <= 0) {
    if (truncate(truncate_path, 0) != 0) perror("race.c: truncate");
    truncate_path = NULL;
  }
  return next_pread(fd, buf, n, offset);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t offset) __attribute__((alias("pread")));

typedef int (*open_fn)(const char *, int, ...);

int open(const char *path, int flags, ...) {
  static open_fn next_open;
  if (!next_open) next_open = (open_fn)next("open");
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
  va_end(ap);
  if (swap_path[0] && strcmp(path, swap_path) == 0) {
    swap_path[0] = '\0';
    if (unlink(path) != 0 || symlink(swap_target, path) != 0) perror("race.c: swap");
  }
  return next_open(path, flags, mode);
}
/* One function under both names: on 64-bit glibc they are the same call. */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
