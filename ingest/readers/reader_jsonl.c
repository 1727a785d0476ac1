/*
** reader_jsonl.c — JSON Lines: one article object per line, parsed with jansson.
**
** Field names vary between sources; the first present of each list below is used:
**   key     id, uid, guid                      (string or number; else, or when blank, a hash
**                                              of the line)
**   title   title, headline
**   body    body, text, content, article       (required)
**   date    date, published, published_at, pubDate
**   url     url, link
**   source  source, publisher, site            (string, or an object with "name")
**   author  author, authors                    (string, object with "name", or a list)
**   tags    tags, topics, categories, keywords (list or comma-separated string)
**   lang    lang, language
** A line that is not a JSON object, or has neither a text field nor a title, is reported as
** "name:line: why" and skipped; the next call goes on with the next line. A record whose text
** fields are present but blank is an empty article. Blank lines are ignored.
**
** A file that a writer is still appending to may end in half a line. With
** JSONL_LEAVE_PARTIAL_LINE, a last line without a newline is taken only when it is a whole
** JSON object (a writer puts the closing brace last); anything else there is left unread for
** the next run, and jsonl_bytes() stays at the end of the last complete line.
*/
#include "jsonl_fields.h"
#include "reader.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

const char *const jsonl_field_names[N_FIELDS][JSONL_MAX_NAMES] = {
    [F_TITLE] = {"title", "headline"},
    [F_BODY] = {"body", "text", "content", "article"},
    [F_DATE] = {"date", "published", "published_at", "pubDate"},
    [F_URL] = {"url", "link"},
    [F_SOURCE] = {"source", "publisher", "site"},
    [F_AUTHOR] = {"author", "authors"},
    [F_TAGS] = {"tags", "topics", "categories", "keywords"},
    [F_LANG] = {"lang", "language"},
    [F_KEY] = {"id", "uid", "guid"},
};

struct jsonl_reader {
  FILE *file;
  char *name;
  int flags;
  long line_no;
  long long bytes;   /* offset of the end of the last line consumed */
  long long partial; /* bytes of an unterminated last line left unread */
  char *line;
  size_t line_cap;
  char *field[N_FIELDS]; /* the current record's values, owned */
  char date[NEWSIDX_DATE_MAX];
};

newsidx_status_t jsonl_open(FILE *file, const char *name, int flags, jsonl_reader **out,
                            newsidx_error *err) {
  jsonl_reader *r = calloc(1, sizeof *r);
  if (!r || !(r->name = strdup(name))) {
    free(r);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  r->file = file;
  r->flags = flags;
  *out = r;
  return NEWSIDX_OK;
}

void jsonl_resume(jsonl_reader *r, long lines, long long offset) {
  r->line_no = lines;
  r->bytes = offset;
}

static void clear_fields(jsonl_reader *r) {
  for (int i = 0; i < N_FIELDS; i++) {
    free(r->field[i]);
    r->field[i] = NULL;
  }
}

void jsonl_close(jsonl_reader *r) {
  if (!r) return;
  clear_fields(r);
  free(r->line);
  free(r->name);
  free(r);
}

char *jsonl_take_body(jsonl_reader *r) {
  char *body = r->field[F_BODY];
  r->field[F_BODY] = NULL;
  return body;
}

long jsonl_line(const jsonl_reader *r) { return r->line_no; }
long long jsonl_bytes(const jsonl_reader *r) { return r->bytes; }
long long jsonl_partial(const jsonl_reader *r) { return r->partial; }

/* The buffer grows by doubling, so a list of a million tags costs linear time, not quadratic. */
int jsonl_append(joined *acc, const char *s, const char *sep) {
  size_t n_sep = acc->text ? strlen(sep) : 0, n = strlen(s);
  if (acc->n + n_sep + n + 1 > acc->cap) {
    size_t cap = 2 * (acc->n + n_sep + n + 1);
    char *grown = realloc(acc->text, cap);
    if (!grown) return 0;
    acc->text = grown;
    acc->cap = cap;
  }
  memcpy(acc->text + acc->n, sep, n_sep);
  memcpy(acc->text + acc->n + n_sep, s, n + 1);
  acc->n += n_sep + n;
  return 1;
}

/* The text of a JSON value as this field understands it: strings as is, integers printed,
** objects by their "name", lists joined with `sep`. NULL when there is nothing usable. */
static char *value_text(json_t *v, const char *sep) {
  char number[32];
  if (json_is_string(v)) return strdup(json_string_value(v));
  if (json_is_integer(v)) {
    snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return strdup(number);
  }
  if (json_is_object(v)) {
    json_t *name = json_object_get(v, "name");
    return json_is_string(name) ? strdup(json_string_value(name)) : NULL;
  }
  if (json_is_array(v)) {
    joined acc = {0};
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
      char *s = value_text(item, sep);
      if (s && *s && !jsonl_append(&acc, s, sep)) {
        free(s);
        free(acc.text);
        return NULL;
      }
      free(s);
    }
    return acc.text;
  }
  return NULL;
}

/* Reads one line into r->line and consumes it; returns its length without the line end, or -1
** at the end or on error. *n_raw gets the bytes read, *terminated whether a newline ended it. */
static ssize_t read_line(jsonl_reader *r, ssize_t *n_raw, int *terminated) {
  errno = 0;
  ssize_t n = getline(&r->line, &r->line_cap, r->file);
  if (n < 0) return -1;
  *n_raw = n;
  *terminated = r->line[n - 1] == '\n';
  r->line_no++;
  r->bytes += n;
  while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
    r->line[--n] = '\0';
  return n;
}

/* Gives back an unterminated last line that is not a whole record yet (see the top). */
static newsidx_status_t leave_partial(jsonl_reader *r, ssize_t n_raw) {
  r->line_no--;
  r->bytes -= n_raw;
  r->partial = n_raw;
  return NEWSIDX_NOT_FOUND;
}

static int blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t') return 0;
  return 1;
}

newsidx_status_t jsonl_next(jsonl_reader *r, newsidx_article *out, const char **warning,
                            newsidx_error *err) {
  memset(out, 0, sizeof *out);
  if (warning) *warning = NULL;
  clear_fields(r);

  ssize_t n, n_raw = 0;
  int terminated = 1;
  do {
    n = read_line(r, &n_raw, &terminated);
    if (n < 0) {
      if (ferror(r->file))
        return newsidx_error_set(err, NEWSIDX_IO, "%s:%ld: %s", r->name, r->line_no + 1,
                                 strerror(errno ? errno : EIO));
      return NEWSIDX_NOT_FOUND;
    }
  } while (blank(r->line, (size_t)n));
  int may_be_partial = !terminated && (r->flags & JSONL_LEAVE_PARTIAL_LINE);

  if (memchr(r->line, '\0', (size_t)n)) {
    if (may_be_partial) return leave_partial(r, n_raw);
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: NUL byte in the line", r->name,
                             r->line_no);
  }
  char *owned;
  input_encoding encoding;
  char *text = input_decode(r->line, (size_t)n, &owned, &encoding);
  if (!text)
    return newsidx_error_set(err, NEWSIDX_NOMEM, "%s:%ld: out of memory", r->name, r->line_no);
  if (encoding == INPUT_CP1252 && warning) *warning = "not UTF-8; decoded as Windows-1252";
  if (r->line_no == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3; /* byte-order mark */

  size_t n_text = strlen(text);
  uint64_t line_hash = XXH3_64bits(text, n_text);
  if (!(r->flags & JSONL_JANSSON_ONLY) && jsonl_fast_fields(text, n_text, r->field)) {
    free(owned);
    return jsonl_make_record(r->field, r->name, r->line_no, line_hash, r->date, out, warning, err);
  }
  json_error_t jerr;
  json_t *record = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
  free(owned);
  if (may_be_partial && !json_is_object(record)) {
    json_decref(record);
    return leave_partial(r, n_raw);
  }
  if (!record)
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: malformed JSON at column %d: %s", r->name,
                             r->line_no, jerr.column, jerr.text);
  if (!json_is_object(record)) {
    json_decref(record);
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: not a JSON object", r->name, r->line_no);
  }

  for (int f = 0; f < N_FIELDS; f++) {
    for (int k = 0; k < JSONL_MAX_NAMES && jsonl_field_names[f][k] && !r->field[f]; k++) {
      json_t *v = json_object_get(record, jsonl_field_names[f][k]);
      if (v) r->field[f] = value_text(v, f == F_TAGS ? "," : ", ");
    }
  }
  json_decref(record);
  return jsonl_make_record(r->field, r->name, r->line_no, line_hash, r->date, out, warning, err);
}

newsidx_status_t jsonl_make_record(char *field[N_FIELDS], const char *name, long line,
                                   uint64_t hash, char date[NEWSIDX_DATE_MAX], newsidx_article *out,
                                   const char **warning, newsidx_error *err) {
  if (!field[F_BODY]) {
    /* A blank body is an empty article; a missing one is an error unless there is a title. */
    if (!field[F_TITLE])
      return newsidx_error_set(
          err, NEWSIDX_INPUT, "%s:%ld: no text field (body, text, content or article)", name, line);
    field[F_BODY] = strdup("");
    if (!field[F_BODY]) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  newsidx_text_clean(field[F_BODY]);
  for (int f = 0; f < N_FIELDS; f++)
    if (f != F_BODY && field[f]) {
      newsidx_text_clean(field[f]);
      for (char *p = field[f]; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' '; /* one-line fields */
    }
  if (field[F_KEY] && !*field[F_KEY]) { /* a blank id is no id */
    free(field[F_KEY]);
    field[F_KEY] = NULL;
  }
  if (!field[F_KEY]) {
    char key[40];
    snprintf(key, sizeof key, "sha:%016llx", (unsigned long long)hash);
    field[F_KEY] = strdup(key);
    if (!field[F_KEY]) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  if (field[F_DATE]) {
    if (newsidx_date_normalize(field[F_DATE], date, NULL) == NEWSIDX_OK)
      out->date = date;
    else if (warning)
      *warning = "unrecognized date; indexed without a date";
  }
  out->key = field[F_KEY];
  out->path = name;
  out->title = field[F_TITLE];
  out->body = field[F_BODY];
  out->url = field[F_URL];
  out->source = field[F_SOURCE];
  out->author = field[F_AUTHOR];
  out->tags = field[F_TAGS];
  out->lang = field[F_LANG];
  out->file_size = -1;
  out->file_mtime = -1;
  return NEWSIDX_OK;
}
