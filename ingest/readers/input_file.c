/*
** input_file.c — reading a text file into clean UTF-8, whatever encoding it came in; and the
** hash that recognizes the part of a file already read.
*/
#include "reader.h"
#include "walk.h" /* walk_mtime_ns() */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

/* Feeds bytes [start, end) of the file open on fd to the hash; 0, an errno value, or -1 when
** the file ends before `end`. */
static int hash_range(XXH3_state_t *state, int fd, int64_t start, int64_t end) {
  char buf[16384];
  while (start < end) {
    size_t want = end - start < (int64_t)sizeof buf ? (size_t)(end - start) : sizeof buf;
    ssize_t n = pread(fd, buf, want, (off_t)start);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return -1; /* the file is shorter than `end` now */
    XXH3_64bits_update(state, buf, (size_t)n);
    start += n;
  }
  return 0;
}

newsidx_status_t input_window_hash(int fd, const char *path, int64_t offset, int64_t *hash,
                                   newsidx_error *err) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  int64_t head_end = offset < INPUT_WINDOW ? offset : INPUT_WINDOW;
  int64_t tail_start = offset > INPUT_WINDOW ? offset - INPUT_WINDOW : 0;
  int e = hash_range(&state, fd, 0, head_end);
  if (!e) e = hash_range(&state, fd, tail_start, offset);
  if (e < 0)
    return newsidx_error_set(err, NEWSIDX_IO, "%s: shorter than the %lld bytes read", path,
                             (long long)offset);
  if (e) return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", path, strerror(e));
  *hash = (int64_t)XXH3_64bits_digest(&state);
  return NEWSIDX_OK;
}

int input_open(const char *path, int flags) {
  return open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | flags);
}

const char *input_open_error(int e) {
  return e == ELOOP ? "replaced by a symlink since the walk found it; not read" : strerror(e);
}

char *input_decode(char *line, size_t n, char **owned, input_encoding *encoding) {
  *owned = NULL;
  if (newsidx_utf8_valid(line, n)) {
    *encoding = INPUT_UTF8;
    return line;
  }
  size_t n_out;
  if (newsidx_cp1252_to_utf8(line, n, owned, &n_out, NULL) != NEWSIDX_OK) return NULL;
  *encoding = INPUT_CP1252;
  return *owned;
}

newsidx_wide_encoding input_wide_sniff(int fd, size_t *n_bom) {
  char mark[4];
  ssize_t n = pread(fd, mark, sizeof mark, 0);
  return newsidx_wide_sniff(mark, n > 0 ? (size_t)n : 0, n_bom);
}

/* The decoding stream's state (fopencookie()). */
typedef struct wide_stream {
  FILE *raw;
  newsidx_wide_decoder decoder;
  int done;
} wide_stream;

/* Fills `buf` (stdio's buffer, of `size` bytes) with decoded text: 0 at the end, -1 on error. */
static ssize_t wide_stream_read(void *cookie, char *buf, size_t size) {
  wide_stream *w = cookie;
  char raw[16384];
  if (size < NEWSIDX_WIDE_OUT_MAX(1)) return -1; /* stdio asks for its whole buffer */
  size_t want = (size - 8) / 2 < sizeof raw ? (size - 8) / 2 : sizeof raw;
  size_t used = 0;
  while (used == 0 && !w->done) { /* a piece may decode to nothing: half a code unit */
    size_t got = fread(raw, 1, want, w->raw);
    if (got < want && ferror(w->raw)) return -1;
    w->done = got < want;
    used = newsidx_wide_decode(&w->decoder, raw, got, buf, w->done);
  }
  return (ssize_t)used;
}

static int wide_stream_close(void *cookie) {
  free(cookie);
  return 0;
}

FILE *input_wide_stream(FILE *raw, newsidx_wide_encoding encoding, const long **n_replaced) {
  wide_stream *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->raw = raw;
  w->decoder.encoding = encoding;
  FILE *f = fopencookie(
      w, "r", (cookie_io_functions_t){.read = wide_stream_read, .close = wide_stream_close});
  if (!f) {
    free(w);
    return NULL;
  }
  *n_replaced = &w->decoder.n_replaced;
  return f;
}

/* Decodes the n bytes of buf, UTF-16 or UTF-32 by their byte-order mark, into a new
** NUL-terminated buffer (free() it) of *n_out bytes; NULL when out of memory. */
static char *decode_wide(const char *buf, size_t n, newsidx_wide_encoding encoding, size_t n_bom,
                         size_t *n_out, input_encoding *out_encoding) {
  char *out = malloc(NEWSIDX_WIDE_OUT_MAX(n) + 1);
  if (!out) return NULL;
  newsidx_wide_decoder decoder = {.encoding = encoding};
  *n_out = newsidx_wide_decode(&decoder, buf + n_bom, n - n_bom, out, 1);
  out[*n_out] = '\0';
  *out_encoding = decoder.n_replaced ? INPUT_WIDE_REPAIRED : INPUT_WIDE;
  return out;
}

newsidx_status_t input_read_bytes(const char *path, char **bytes, size_t *n_bytes,
                                  int64_t *size_out, int64_t *mtime_ns, newsidx_error *err) {
  *bytes = NULL;
  *size_out = *mtime_ns = -1;
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. */
  int fd = input_open(path, O_NONBLOCK);
  if (fd < 0) return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", path, input_open_error(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return newsidx_error_set(err, NEWSIDX_IO, "%s: not a regular file", path);
  }
  *size_out = (int64_t)st.st_size;
  *mtime_ns = walk_mtime_ns(&st);
  size_t size = (size_t)st.st_size;
  char *buf = malloc(size + 1);
  if (!buf) {
    close(fd);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory (%zu bytes)", path, size);
  }
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, buf + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      free(buf);
      return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", path, strerror(e));
    }
    if (n == 0) break; /* the file shrank while we read it: take what is there */
    got += (size_t)n;
  }
  close(fd);
  buf[got] = '\0';
  *bytes = buf;
  *n_bytes = got;
  return NEWSIDX_OK;
}

newsidx_status_t input_read_file(const char *path, char **text, size_t *n_text,
                                 input_encoding *encoding, int64_t *size_out, int64_t *mtime_ns,
                                 newsidx_error *err) {
  *text = NULL;
  char *buf;
  size_t got;
  newsidx_status_t status = input_read_bytes(path, &buf, &got, size_out, mtime_ns, err);
  if (status != NEWSIDX_OK) return status;
  /* UTF-16 and UTF-32 are full of NUL bytes: decoded first, by their mark, then judged. */
  size_t n_bom;
  newsidx_wide_encoding wide = newsidx_wide_sniff(buf, got, &n_bom);
  if (wide != NEWSIDX_WIDE_NONE) {
    char *decoded = decode_wide(buf, got, wide, n_bom, &got, encoding);
    free(buf);
    if (!decoded) return newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory", path);
    buf = decoded;
  }
  if (memchr(buf, '\0', got)) {
    free(buf);
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s: binary file (NUL bytes), skipped", path);
  }
  char *owned = NULL;
  char *utf8 = wide ? buf : input_decode(buf, got, &owned, encoding);
  if (!utf8) {
    free(buf);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory", path);
  }
  if (owned) free(buf);
  *n_text = newsidx_text_clean(utf8);
  *text = utf8;
  return NEWSIDX_OK;
}
