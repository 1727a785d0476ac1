/*
** enospc.c — an LD_PRELOAD shim that fills the disk on demand, for the full-disk tests
** (tests/e2e/full_disk.sh), in the manner of jq's inject_errors.c.
**
** Once NEWSIDX_FAULT_ENOSPC_AFTER bytes have been written to the files named in
** NEWSIDX_FAULT_FILES (absolute paths separated by ':'; both variables from the environment),
** every further write() or pwrite() to them fails with ENOSPC, as on a full disk: SQLite sees the
*same error from the same system
** calls, and newsidx's handling of it is what runs. Writes to other files (standard output,
** standard error, pipes) pass untouched; so does everything when the variables are unset.
** A write that would cross the limit fails whole, as a file system with no block left fails.
**
** Built without sanitizers. With an ASan-built program, set ASAN_OPTIONS=verify_asan_link_order=0
** (ASan wants to be the first library loaded; the shim then comes first, and passes calls on
** to ASan's own interceptors).
*/
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long long budget = -1; /* bytes that may still be written; -1: no limit */
static const char *files;     /* the files concerned: "path:path..." */

__attribute__((constructor)) static void fault_init(void) {
  const char *after = getenv("NEWSIDX_FAULT_ENOSPC_AFTER");
  files = getenv("NEWSIDX_FAULT_FILES");
  if (after && *after && files && *files) budget = strtoll(after, NULL, 10);
}

/* Non-zero when `fd` is open on one of the files. */
static int concerned(int fd) {
  if (budget < 0) return 0;
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  for (const char *p = files; *p;) {
    const char *end = strchr(p, ':');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == (size_t)n && memcmp(p, path, len) == 0) return 1;
    p += len + (end != NULL);
  }
  return 0;
}

/* Takes `n` bytes from the budget; -1 with errno ENOSPC when they are not there. */
static int take(int fd, size_t n) {
  if (!concerned(fd)) return 0;
  if ((long long)n > budget) {
    budget = 0; /* once full, full: a smaller write later fails too */
    errno = ENOSPC;
    return -1;
  }
  budget -= (long long)n;
  return 0;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);

/* The next definition of `name` after this library's: libc's, or ASan's interceptor. */
static void *next(const char *name) { return dlsym(RTLD_NEXT, name); }

ssize_t write(int fd, const void *buf, size_t n) {
  static write_fn next_write;
  if (!next_write) next_write = (write_fn)next("write");
  if (take(fd, n) != 0) return -1;
  return next_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset) {
  static pwrite_fn next_pwrite;
  if (!next_pwrite) next_pwrite = (pwrite_fn)next("pwrite");
  if (take(fd, n) != 0) return -1;
  return next_pwrite(fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset) {
  static pwrite_fn next_pwrite64;
  if (!next_pwrite64) next_pwrite64 = (pwrite_fn)next("pwrite64");
  if (take(fd, n) != 0) return -1;
  return next_pwrite64(fd, buf, n, offset);
}
