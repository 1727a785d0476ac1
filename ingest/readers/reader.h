/*
** reader.h — turning input into article records (internal to the ingest library).
**
** Three readers share one record shape, newsidx_article (newsidx.h):
**   - text files, seed format or plain (reader_text.c),
**   - JSON Lines, from a file or standard input (reader_jsonl.c),
**   - RSS and Atom feeds (reader_feed.c, with html_text.c for the HTML inside them),
**   - HTML article pages (reader_html.c, with html_extract.c for their main text),
**   - the file loader that decodes any text file to clean UTF-8 (input_file.c).
*/
#ifndef NEWSIDX_READER_H
#define NEWSIDX_READER_H

#include "newsidx.h"

#include <stdio.h>

/* ---- input_file.c ---------------------------------------------------------------------- */

typedef enum input_encoding {
  INPUT_UTF8 = 0,   /* valid UTF-8 (a byte-order mark, if any, is dropped) */
  INPUT_CP1252 = 1, /* not UTF-8: decoded as Windows-1252 */
} input_encoding;

/* Reads the whole file at `path` and returns it as clean NUL-terminated UTF-8 in *text
** (free() it), decoding from Windows-1252 when it is not valid UTF-8 (*encoding says which).
** *size and *mtime_ns get the file's size and modification time (nanoseconds) as it was
** opened, also when it turns out binary; -1 when it could not be opened. Fails with
** NEWSIDX_IO (unreadable, not a regular file), NEWSIDX_INPUT (NUL bytes: a binary file, which
** the caller skips). The message names the file. */
/* Reads the whole file at `path` as it is into *bytes (NUL-terminated; free() it), n bytes;
** *size and *mtime_ns as for input_read_file(). Fails with NEWSIDX_IO, NEWSIDX_NOMEM. */
newsidx_status_t input_read_bytes(const char *path, char **bytes, size_t *n, int64_t *size,
                                  int64_t *mtime_ns, newsidx_error *err);

newsidx_status_t input_read_file(const char *path, char **text, size_t *n_text,
                                 input_encoding *encoding, int64_t *size, int64_t *mtime_ns,
                                 newsidx_error *err);

/* Makes `line` (n bytes, NUL-terminated, writable) clean UTF-8 in place or in a new buffer:
** returns the text to use, which is `line` itself or a new buffer stored in *owned (free()
** it). Sets *encoding. Returns NULL when out of memory. */
char *input_decode(char *line, size_t n, char **owned, input_encoding *encoding);

/* The bytes at each end of the part of a file already read that input_window_hash() reads. */
#define INPUT_WINDOW 65536

/* Writes to *hash the XXH3 hash of the first and the last INPUT_WINDOW bytes before `offset` in
** the file open on `fd` (the same bytes twice when offset is smaller). A file whose hash at the
** stored offset is unchanged was appended to, not rewritten, whatever its size: only these at
** most 128 KiB are read. Fails with NEWSIDX_IO (the message names `path`), also when the file
** is shorter than `offset`. */
newsidx_status_t input_window_hash(int fd, const char *path, int64_t offset, int64_t *hash,
                                   newsidx_error *err);

/* Non-zero for an article without any text (no title, empty body): skipped, not an error. */
static inline int reader_article_empty(const newsidx_article *a) {
  return (!a->title || !*a->title) && (!a->body || !*a->body);
}

/* ---- reader_text.c --------------------------------------------------------------------- */

/* A text article parsed in place: pointers of `article` point into the caller's buffer. */
typedef struct text_article {
  newsidx_article article;
  char date[NEWSIDX_DATE_MAX];
} text_article;

/* Parses a seed-format or plain text article held in `text` (clean UTF-8, modified in place).
**   - A leading " date YYYY-MM-DD " header gives the date; the text after it is the article.
**   - When the first paragraph is one short line, followed by more text, without closing
**     punctuation or written as a headline (Title Case or capitals), it is the title.
**   - The rest, paragraphs separated by blank lines, is the body.
** Sets only date, title and body of out->article. An empty file (or a header alone) gives an
** empty article (no title, body ""), see reader_article_empty(). A malformed date header is a
** warning returned in *warning (or NULL), and the article is kept without a date. */
newsidx_status_t text_parse(char *text, text_article *out, const char **warning,
                            newsidx_error *err);

/* The longest first line that text_parse() takes as a title, in bytes. */
#define TEXT_TITLE_MAX 160

/* ---- reader_jsonl.c -------------------------------------------------------------------- */

typedef struct jsonl_reader jsonl_reader;

/* Flags of jsonl_open(). */
enum {
  /* A last line without a newline is taken only when it is a whole JSON object; anything else
  ** is left unread (a writer may be appending it): files, not standard input. */
  JSONL_LEAVE_PARTIAL_LINE = 0x01,
  /* Read every line with jansson's tree, never with yajl's events (jsonl_fast.c): the two
  ** readings give the same records; tests and the fuzzer compare them. */
  JSONL_JANSSON_ONLY = 0x02
};

/* Starts reading JSON Lines from `file` (not closed by the reader); `name` ("-" for standard
** input) is used in messages and as the records' path. `flags`: JSONL_* above. */
newsidx_status_t jsonl_open(FILE *file, const char *name, int flags, jsonl_reader **out,
                            newsidx_error *err);

/* Says that `file` was positioned at byte `offset`, the start of line `lines` + 1, so that line
** numbers and jsonl_bytes() keep counting from the start of the file. */
void jsonl_resume(jsonl_reader *reader, long lines, long long offset);

/* Reads the next record into *out, whose strings stay valid until the next call.
** Returns NEWSIDX_OK for a record (possibly empty: a text field present but blank, see
** reader_article_empty()), NEWSIDX_INPUT for a bad line (err says "name:line: why";
** call again for the next line), NEWSIDX_NOT_FOUND at the end, NEWSIDX_IO on a read error.
** *warning (may be NULL) notes a problem that did not stop the record, such as a bad date. */
newsidx_status_t jsonl_next(jsonl_reader *reader, newsidx_article *out, const char **warning,
                            newsidx_error *err);

/* Hands the body of the record last read over to the caller (free() it): the record's body
** pointer stays valid for as long as the caller keeps it, past the next call. */
char *jsonl_take_body(jsonl_reader *reader);

/* The number of the line last read (1-based), and the offset of the end of the last line
** consumed: where the next run goes on. */
long jsonl_line(const jsonl_reader *reader);
long long jsonl_bytes(const jsonl_reader *reader);

/* After the end: the bytes of an unterminated last line left unread, 0 when none. */
long long jsonl_partial(const jsonl_reader *reader);

void jsonl_close(jsonl_reader *reader);

/* ---- reader_feed.c -------------------------------------------------------------------- */

/* An item of a feed: an article whose strings are owned by the record (path excepted: the name
** given to feed_parse()). */
typedef struct feed_record {
  newsidx_article article;
  long line;           /* the line of its <item> or <entry> */
  const char *warning; /* a problem that did not stop it (a date that did not parse), or NULL */
} feed_record;

typedef struct feed_result {
  feed_record *records; /* in the feed's order */
  size_t n;
  char *title;       /* the feed's, or NULL */
  char warning[512]; /* "" or a problem of the whole feed: recovered XML, a wrong encoding */
} feed_result;

/* Reads the RSS or Atom feed in the n bytes at `bytes` (any encoding; see reader_feed.c for
** the mapping of fields) into *out (feed_result_free() it, also after a failure). `name` (the
** feed's path) is each record's path and begins its key: "name#guid". Fails with NEWSIDX_INPUT
** when nothing could be read ("name: line N: why", or "name: not a feed (root element <x>)"),
** NEWSIDX_NOMEM. A feed without items gives no records. */
newsidx_status_t feed_parse(const char *bytes, size_t n, const char *name, feed_result *out,
                            newsidx_error *err);

void feed_result_free(feed_result *out);

/* Non-zero when the first element of the n bytes at `bytes` is <rss>, <feed> or <rdf:RDF>: a
** file of another name that holds a feed. */
int feed_sniff(const char *bytes, size_t n);

/* ---- reader_html.c -------------------------------------------------------------------- */

/* Reads the HTML page in the n bytes at `bytes` (any encoding; see reader_html.c for the
** sources of each field) into *out as one record (feed_result_free() it, also after a
** failure): its key is the page's canonical URL, else `name` (its path), which is also its
** path. out->warning notes a wrong encoding declaration or a page cut at its size limit.
** Fails with NEWSIDX_INPUT when libxml2 finds no element at all ("name: not an HTML page"),
** NEWSIDX_NOMEM. */
newsidx_status_t html_parse(const char *bytes, size_t n, const char *name, feed_result *out,
                            newsidx_error *err);

/* Non-zero when the n bytes at `bytes` begin (after white space) with <!DOCTYPE html>, <html>
** or <head>: a file of another name that holds a page. */
int html_sniff(const char *bytes, size_t n);

#endif
