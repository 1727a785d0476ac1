/*
** reader.h — turning input into article records (internal to the ingest library).
**
** These readers share one record shape, newsidx_article (newsidx.h):
**   - text files, seed format or plain (reader_text.c),
**   - JSON Lines, from a file or standard input (reader_jsonl.c),
**   - RSS and Atom feeds (reader_feed.c, with html_text.c for the HTML inside them),
**   - CSV and TSV with a header row (reader_csv.c),
**   - HTML article pages (reader_html.c, with html_extract.c for their main text),
**   - the file loader that decodes any text file to clean UTF-8 (input_file.c).
*/
#ifndef NEWSIDX_READER_H
#define NEWSIDX_READER_H

#include "newsidx.h"

#include <stdio.h>
#include <strings.h>

/* ---- input_file.c ---------------------------------------------------------------------- */

typedef enum input_encoding {
  INPUT_UTF8 = 0,          /* valid UTF-8 (a byte-order mark, if any, is dropped) */
  INPUT_CP1252 = 1,        /* not UTF-8: decoded as Windows-1252 */
  INPUT_WIDE = 2,          /* UTF-16 or UTF-32, by its byte-order mark */
  INPUT_WIDE_REPAIRED = 3, /* the same, with bad code units (unpaired surrogates) as U+FFFD */
} input_encoding;

/* The warning for text decoded as INPUT_WIDE_REPAIRED. */
#define INPUT_WIDE_WARNING "not valid UTF-16 or UTF-32; bad code units replaced by U+FFFD"

/* Opens the file at `path`, as the walk gave it, for reading (with `flags` added): -1 and errno
** on failure. The walk's paths are canonical (walk.h), so a symlink at the end of one was put
** there after the walk saw a regular file: it is not followed (O_NOFOLLOW, errno ELOOP), else
** the target's text would be keyed under this path. */
int input_open(const char *path, int flags);

/* Non-zero when `s` begins with http:// or https:// (any case): a URL, not a path. */
static inline int input_is_url(const char *s) {
  return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* What to say of input_open()'s failure with errno `e`. */
const char *input_open_error(int e);

/* Reads the whole file at `path` and returns it as clean NUL-terminated UTF-8 in *text
** (free() it), decoding from UTF-16 or UTF-32 when a byte-order mark says so, else from
** Windows-1252 when it is not valid UTF-8 (*encoding says which).
** *size and *mtime_ns get the file's size and modification time (nanoseconds) as it was
** opened, also when it turns out binary; -1 when it could not be opened. Fails with
** NEWSIDX_IO (unreadable, not a regular file), NEWSIDX_INPUT (NUL bytes: a binary file, which
** the caller skips). The message names the file. */
newsidx_status_t input_read_file(const char *path, char **text, size_t *n_text,
                                 input_encoding *encoding, int64_t *size, int64_t *mtime_ns,
                                 newsidx_error *err);

/* Reads the whole file at `path` as it is into *bytes (NUL-terminated; free() it), n bytes;
** *size and *mtime_ns as for input_read_file(). Fails with NEWSIDX_IO, NEWSIDX_NOMEM. */
newsidx_status_t input_read_bytes(const char *path, char **bytes, size_t *n, int64_t *size,
                                  int64_t *mtime_ns, newsidx_error *err);

/* The UTF-16 or UTF-32 encoding that the byte-order mark of the file open on `fd` declares
** (read at offset 0, the file position unchanged), *n_bom its length; NEWSIDX_WIDE_NONE. */
newsidx_wide_encoding input_wide_sniff(int fd, size_t *n_bom);

/* A stream that reads `raw` (positioned after the byte-order mark; not closed with the stream)
** decoded from `encoding` to UTF-8, for the JSON Lines reader: memory stays flat whatever the
** file's size. *n_replaced points to the count of bad code units that became U+FFFD so far,
** valid until fclose(). NULL when out of memory. */
FILE *input_wide_stream(FILE *raw, newsidx_wide_encoding encoding, const long **n_replaced);

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

/* ---- reader_csv.c ---------------------------------------------------------------------- */

typedef struct csv_reader csv_reader;

/* Flags of csv_open(). */
enum {
  /* A last row without its line end is taken only when it has all its fields and no quoted
  ** field open; anything else is left unread (a writer may be appending it). */
  CSV_LEAVE_PARTIAL_ROW = 0x01
};

/* Starts reading CSV (`delimiter` ',') or TSV ('\t') from `file` (not closed by the reader);
** `name` is used in messages and as the records' path. `flags`: CSV_* above. */
newsidx_status_t csv_open(FILE *file, const char *name, char delimiter, int flags, csv_reader **out,
                          newsidx_error *err);

/* Reads the header from the start of `file`, then positions it at byte `offset`, the start of
** line `lines` + 1, where reading goes on (an appended file). Fails with NEWSIDX_IO,
** NEWSIDX_INPUT (the header is bad, or not whole), NEWSIDX_NOMEM. */
newsidx_status_t csv_resume(csv_reader *reader, long lines, long long offset, newsidx_error *err);

/* Reads the next row into *out, whose strings stay valid until the next call. Returns as
** jsonl_next(): NEWSIDX_OK for a record (possibly empty), NEWSIDX_INPUT for a bad row or header
** ("name:line: why", line: where the row starts; call again for the next row; after a bad
** header, the next call gives the end), NEWSIDX_NOT_FOUND at the end, NEWSIDX_IO. */
newsidx_status_t csv_next(csv_reader *reader, newsidx_article *out, const char **warning,
                          newsidx_error *err);

/* As jsonl_take_body(). */
char *csv_take_body(csv_reader *reader);

/* The last physical line consumed, the line where the row last read starts (a quoted field may
** span lines), the offset after the last row consumed, and after the end the bytes of an
** unfinished last row left unread (0 when none). */
long csv_line(const csv_reader *reader);
long csv_row_line(const csv_reader *reader);
long long csv_bytes(const csv_reader *reader);
long long csv_partial(const csv_reader *reader);

void csv_close(csv_reader *reader);

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
  long update_s;     /* how often it says it changes (sy:updatePeriod, <ttl>), s; 0: unsaid */
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

/* ---- document.c ------------------------------------------------------------------------ */

/* What a document that came with a content type (a fetched URL) is, judged by that type and
** by its bytes: a feed whatever its type says when it looks like one (many servers send
** text/xml, text/html or application/octet-stream for feeds). */
typedef enum document_kind {
  DOCUMENT_FEED,  /* RSS, RDF or Atom: its items */
  DOCUMENT_JSONL, /* application/x-ndjson, application/jsonl, or a name ending .jsonl */
  DOCUMENT_TEXT,  /* text/plain: one article */
  DOCUMENT_PAGE,  /* text/html, application/xhtml+xml: one article (reader_html.c) */
  DOCUMENT_OTHER  /* none of these: not indexed */
} document_kind;

document_kind document_kind_of(const char *content_type, const char *name, const char *bytes,
                               size_t n);

/* Non-zero: HTML pages are read (by reader_html.c). Kept for the tests, which check it. */
int document_page_supported(void);

/* Called with each record of a document (strings valid during the call; `where` names it for
** messages, `warning` a problem that did not stop it, or NULL). A status other than NEWSIDX_OK
** stops the reading and is returned by document_read(). */
typedef newsidx_status_t (*document_record_fn)(void *ctx, const newsidx_article *article,
                                               const char *where, const char *warning);

/* What a document says of itself besides its records. */
typedef struct document_info {
  char warning[512]; /* "" or a problem of the whole document (recovered XML, an encoding) */
  long update_s;     /* a feed's own update interval (sy:updatePeriod, <ttl>), s; 0: none */
} document_info;

/* Reads the n bytes at `bytes` (writable, NUL-terminated; they may be changed) as `kind`, with
** the same readers as files: `name` (the URL) is the records' path and begins a feed item's
** key ("name#guid"), and a text document's key is `name`. Reports each record to `each`.
** *info gets what the document says of itself.
** Fails with NEWSIDX_INPUT when nothing could be read ("name: why"; a bad JSON line is a
** record's problem: reported to `bad`, and the reading goes on), NEWSIDX_NOMEM, or
** what `each` returned. */
typedef void (*document_bad_fn)(void *ctx, const char *message);
newsidx_status_t document_read(char *bytes, size_t n, document_kind kind, const char *name,
                               document_record_fn each, document_bad_fn bad, void *ctx,
                               document_info *info, newsidx_error *err);
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
