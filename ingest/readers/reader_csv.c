/*
** reader_csv.c — CSV (RFC 4180) and TSV: a header row naming the columns, then one article a
** row.
**
** The header's names are matched against the JSON Lines field names (jsonl_fields.h), without
** regard to case or to spaces around them; the first column of a name wins, other columns are
** ignored. For each field the first of its names whose cell is not empty is used (a row has
** every column, so an empty cell counts as absent). A header without a text column (body, text,
** content, article) or a title makes the whole file bad: nothing in it could be indexed.
**
** Fields are separated by the delimiter (',' or a tab); a field that starts with a double quote
** runs to the next lone quote, and holds delimiters, line ends and doubled quotes ("" for ")
** as text. A quote inside an unquoted field is text. A row is bad, reported as "name:line: why"
** (line: the physical line where the row starts) and skipped, when it has another number of
** fields than the header, text follows a closing quote, or it holds a NUL byte. Blank lines are
** ignored. Rows may end in LF or CRLF; a UTF-8 byte-order mark before the header is dropped; a
** row that is not UTF-8 is decoded as Windows-1252 (with a warning).
**
** A file that a writer is still appending to may end in half a row. With
** CSV_LEAVE_PARTIAL_ROW, a last row without its line end is taken only when it has all its
** fields and no quoted field left open (a writer adds fields left to right); anything else
** there is left unread for the next run. A quoted field still open at the end of the file is
** such a half row, also when it spans several lines.
*/
#include "jsonl_fields.h"
#include "reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

enum { SLOTS = N_FIELDS * JSONL_MAX_NAMES };

/* States of the scan of a row. */
enum { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE };

struct csv_reader {
  FILE *file;
  char *name;
  char delimiter;
  int flags;
  int has_header;
  long line_no;        /* the last physical line consumed */
  long row_line;       /* the line the row last read starts on */
  long long bytes;     /* offset of the end of the last row consumed */
  long long row_start; /* offset of the row being read */
  int refused;         /* the header was bad: nothing more is read */
  long long partial;   /* bytes of an unfinished last row left unread */
  int *slot;           /* the field slot of each header column, -1 for none */
  size_t n_columns;
  char *line;
  size_t line_cap;
  char *row; /* the row being read: its physical lines, joined */
  size_t n_row, row_cap;
  char *field[N_FIELDS]; /* the current record's values, owned */
  char date[NEWSIDX_DATE_MAX];
};

newsidx_status_t csv_open(FILE *file, const char *name, char delimiter, int flags, csv_reader **out,
                          newsidx_error *err) {
  csv_reader *r = calloc(1, sizeof *r);
  if (!r || !(r->name = strdup(name))) {
    free(r);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  r->file = file;
  r->delimiter = delimiter;
  r->flags = flags;
  *out = r;
  return NEWSIDX_OK;
}

static void clear_fields(csv_reader *r) {
  for (int i = 0; i < N_FIELDS; i++) {
    free(r->field[i]);
    r->field[i] = NULL;
  }
}

void csv_close(csv_reader *r) {
  if (!r) return;
  clear_fields(r);
  free(r->slot);
  free(r->line);
  free(r->row);
  free(r->name);
  free(r);
}

char *csv_take_body(csv_reader *r) {
  char *body = r->field[F_BODY];
  r->field[F_BODY] = NULL;
  return body;
}

long csv_line(const csv_reader *r) { return r->line_no; }
long csv_row_line(const csv_reader *r) { return r->row_line; }
long long csv_bytes(const csv_reader *r) { return r->bytes; }
long long csv_partial(const csv_reader *r) { return r->partial; }

/* The outcome of reading a row's extent. */
typedef enum row_end {
  ROW_DONE,  /* a row ended by its line end */
  ROW_LAST,  /* a last row without a line end, its quotes closed */
  ROW_OPEN,  /* the file ends inside a quoted field */
  ROW_NONE,  /* the end of the file, nothing read */
  ROW_ERROR, /* a read error (errno) */
  ROW_NOMEM, /* out of memory */
} row_end;

/* Advances the scan `state` over the n bytes of a physical line; returns 1 when its line end
** ends the row, 0 when the row goes on (inside a quoted field, or no line end yet). */
static int scan(const char *s, size_t n, char delimiter, int *state) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\n' && *state != S_QUOTED) return 1;
    if (c == delimiter && *state != S_QUOTED)
      *state = S_START;
    else if (*state == S_START)
      *state = c == '"' ? S_QUOTED : S_UNQUOTED;
    else if (*state == S_QUOTED && c == '"')
      *state = S_QUOTE;
    else if (*state == S_QUOTE)
      *state = c == '"' ? S_QUOTED : S_UNQUOTED; /* "" is a quote; other text is bad */
  }
  return 0;
}

/* Appends n bytes to the row; 0 when out of memory. The buffer doubles: a 100 MB field read
** line by line costs linear time. */
static int row_append(csv_reader *r, const char *s, size_t n) {
  if (r->n_row + n + 1 > r->row_cap) {
    size_t cap = 2 * (r->n_row + n + 1);
    char *grown = realloc(r->row, cap);
    if (!grown) return 0;
    r->row = grown;
    r->row_cap = cap;
  }
  memcpy(r->row + r->n_row, s, n);
  r->n_row += n;
  r->row[r->n_row] = '\0';
  return 1;
}

/* Reads the next row's physical lines into r->row (without its line end), skipping blank
** lines; r->row_line gets the line it starts on, r->row_start its offset. */
static row_end read_row(csv_reader *r) {
  int state = S_START, ended = 0;
  r->n_row = 0;
  while (!ended) {
    errno = 0;
    ssize_t n = getline(&r->line, &r->line_cap, r->file);
    if (n < 0) {
      if (ferror(r->file)) return ROW_ERROR;
      if (r->n_row == 0) return ROW_NONE;
      break;
    }
    if (r->n_row == 0 && (r->line[0] == '\n' || (r->line[0] == '\r' && r->line[1] == '\n'))) {
      r->line_no++; /* a blank line */
      r->bytes += n;
      continue;
    }
    if (r->n_row == 0) {
      r->row_line = r->line_no + 1;
      r->row_start = r->bytes;
    }
    r->line_no++;
    r->bytes += n;
    size_t before = r->n_row;
    if (!row_append(r, r->line, (size_t)n)) return ROW_NOMEM;
    ended = scan(r->row + before, (size_t)n, r->delimiter, &state);
  }
  if (!ended && state == S_QUOTED) return ROW_OPEN;
  if (ended) r->row[--r->n_row] = '\0';
  if (r->n_row > 0 && r->row[r->n_row - 1] == '\r') r->row[--r->n_row] = '\0';
  return ended ? ROW_DONE : ROW_LAST;
}

/* Gives back an unfinished last row (see the top): the next run reads it again. */
static newsidx_status_t leave_partial(csv_reader *r) {
  r->partial = r->bytes - r->row_start;
  r->bytes = r->row_start;
  r->line_no = r->row_line - 1;
  return NEWSIDX_NOT_FOUND;
}

/* Calls `cell` for each field of the row `s` (n bytes, NUL-terminated, clean of line ends but
** those in quoted fields), unquoting each in place; returns the number of fields. *bad is set
** when text follows a closing quote. */
static size_t split(char *s, size_t n, char delimiter, int *bad,
                    void (*cell)(void *ctx, size_t i, char *text), void *ctx) {
  char *out = s, *start = s;
  size_t i = 0;
  int state = S_START;
  for (size_t at = 0; at < n; at++) {
    char c = s[at];
    if (c == delimiter && state != S_QUOTED) {
      *out++ = '\0';
      cell(ctx, i++, start);
      start = out;
      state = S_START;
      continue;
    }
    if (state == S_START) {
      state = c == '"' ? S_QUOTED : S_UNQUOTED;
      if (c == '"') continue;
    } else if (state == S_QUOTED && c == '"') {
      state = S_QUOTE;
      continue;
    } else if (state == S_QUOTE) {
      *bad |= c != '"'; /* "abc"def */
      state = c == '"' ? S_QUOTED : S_UNQUOTED;
    }
    *out++ = c;
  }
  *out = '\0';
  cell(ctx, i++, start);
  return i;
}

/* The field slot of a header name, -1 when it names no field. */
static int slot_of(const char *name) {
  while (*name == ' ' || *name == '\t')
    name++;
  size_t n = strlen(name);
  while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
    n--;
  for (int f = 0; f < N_FIELDS; f++)
    for (int k = 0; k < JSONL_MAX_NAMES && jsonl_field_names[f][k]; k++)
      if (strlen(jsonl_field_names[f][k]) == n &&
          strncasecmp(jsonl_field_names[f][k], name, n) == 0)
        return f * JSONL_MAX_NAMES + k;
  return -1;
}

typedef struct header_ctx {
  csv_reader *r;
  size_t cap;
  int nomem;
  int seen[SLOTS];
} header_ctx;

static void header_cell(void *ctx, size_t i, char *text) {
  header_ctx *h = ctx;
  if (h->nomem) return;
  if (i == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 16;
    int *grown = realloc(h->r->slot, cap * sizeof *grown);
    if (!grown) {
      h->nomem = 1;
      return;
    }
    h->r->slot = grown;
    h->cap = cap;
  }
  int slot = slot_of(text);
  if (slot >= 0 && h->seen[slot]) slot = -1; /* the first column of a name wins */
  if (slot >= 0) h->seen[slot] = 1;
  h->r->slot[i] = slot;
  h->r->n_columns = i + 1;
}

typedef struct row_ctx {
  const csv_reader *r;
  char *value[SLOTS]; /* into the row */
} row_ctx;

static void row_cell(void *ctx, size_t i, char *text) {
  row_ctx *c = ctx;
  if (i < c->r->n_columns && c->r->slot[i] >= 0 && *text) c->value[c->r->slot[i]] = text;
}

/* The row in r->row as clean UTF-8: r->row itself or a new buffer in *owned; NULL when out of
** memory. Drops a byte-order mark before the header. */
static char *decode_row(csv_reader *r, char **owned, const char **warning) {
  input_encoding encoding;
  char *text = input_decode(r->row, r->n_row, owned, &encoding);
  if (text && encoding == INPUT_CP1252 && warning) *warning = "not UTF-8; decoded as Windows-1252";
  if (text && !r->has_header && strncmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3;
  return text;
}

/* What read_row()'s `end` means to the caller: NEWSIDX_OK when there is a row, else the end
** (NEWSIDX_NOT_FOUND) or the error. */
static newsidx_status_t row_status(const csv_reader *r, row_end end, newsidx_error *err) {
  if (end == ROW_NONE) return NEWSIDX_NOT_FOUND;
  if (end == ROW_ERROR)
    return newsidx_error_set(err, NEWSIDX_IO, "%s:%ld: %s", r->name, r->line_no + 1,
                             strerror(errno ? errno : EIO));
  if (end == ROW_NOMEM) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  return NEWSIDX_OK;
}

/* Reads the header row and maps its columns. NEWSIDX_NOT_FOUND when the file ends before the
** header does (left for the next run). */
static newsidx_status_t read_header(csv_reader *r, newsidx_error *err) {
  row_end end = read_row(r);
  newsidx_status_t status = row_status(r, end, err);
  if (status != NEWSIDX_OK) return status;
  if (end != ROW_DONE) return leave_partial(r); /* the header is always whole before a row */
  if (memchr(r->row, '\0', r->n_row))
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: NUL byte in the header", r->name,
                             r->row_line);
  char *owned;
  char *text = decode_row(r, &owned, NULL);
  if (!text) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  header_ctx h = {.r = r};
  int bad = 0;
  split(text, strlen(text), r->delimiter, &bad, header_cell, &h);
  free(owned);
  if (h.nomem) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  r->has_header = 1;
  int text_column = 0;
  for (int k = 0; k < JSONL_MAX_NAMES; k++)
    text_column |= h.seen[F_BODY * JSONL_MAX_NAMES + k] | h.seen[F_TITLE * JSONL_MAX_NAMES + k];
  if (!text_column)
    return newsidx_error_set(err, NEWSIDX_INPUT,
                             "%s:%ld: no text column in the header (body, text, content, article "
                             "or title); the file is not read",
                             r->name, r->row_line);
  return NEWSIDX_OK;
}

newsidx_status_t csv_resume(csv_reader *r, long lines, long long offset, newsidx_error *err) {
  if (fseeko(r->file, 0, SEEK_SET) != 0)
    return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", r->name, strerror(errno));
  newsidx_status_t status = read_header(r, err);
  if (status == NEWSIDX_NOT_FOUND)
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:1: the header is not whole", r->name);
  if (status != NEWSIDX_OK) return status;
  if (fseeko(r->file, (off_t)offset, SEEK_SET) != 0)
    return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", r->name, strerror(errno));
  r->line_no = lines;
  r->bytes = offset;
  return NEWSIDX_OK;
}

/* Takes the row's mapped cells as the record's fields; 0 when out of memory. */
static int take_cells(csv_reader *r, row_ctx *c) {
  for (int f = 0; f < N_FIELDS; f++)
    for (int k = 0; k < JSONL_MAX_NAMES && !r->field[f]; k++) {
      const char *v = c->value[f * JSONL_MAX_NAMES + k];
      if (v && !(r->field[f] = strdup(v))) return 0;
    }
  /* Every column is in every row: an empty text cell is a blank body, not a missing one. */
  if (!r->field[F_BODY] && !(r->field[F_BODY] = strdup(""))) return 0;
  return 1;
}

/* After a bad header: the rest of the file is consumed unread, so that it is not read again
** until it changes. */
static void skip_rest(csv_reader *r) {
  r->refused = 1;
  row_end end;
  do
    end = read_row(r);
  while (end == ROW_DONE || end == ROW_LAST || end == ROW_OPEN);
}

newsidx_status_t csv_next(csv_reader *r, newsidx_article *out, const char **warning,
                          newsidx_error *err) {
  memset(out, 0, sizeof *out);
  if (warning) *warning = NULL;
  clear_fields(r);
  if (!r->has_header) {
    newsidx_status_t status = read_header(r, err);
    if (status != NEWSIDX_OK) {
      if (status == NEWSIDX_INPUT) skip_rest(r);
      return status;
    }
  }
  if (r->refused) return NEWSIDX_NOT_FOUND;
  row_end end = read_row(r);
  newsidx_status_t status = row_status(r, end, err);
  if (status != NEWSIDX_OK) return status;
  int leave = r->flags & CSV_LEAVE_PARTIAL_ROW;
  if (end == ROW_OPEN) {
    if (leave) return leave_partial(r);
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: quoted field not closed", r->name,
                             r->row_line);
  }
  if (memchr(r->row, '\0', r->n_row)) {
    if (leave && end == ROW_LAST) return leave_partial(r);
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: NUL byte in the row", r->name,
                             r->row_line);
  }
  char *owned;
  char *text = decode_row(r, &owned, warning);
  if (!text) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  size_t n_text = strlen(text);
  uint64_t row_hash = XXH3_64bits(text, n_text);
  row_ctx c = {.r = r};
  int bad = 0;
  size_t n_cells = split(text, n_text, r->delimiter, &bad, row_cell, &c);
  if (leave && end == ROW_LAST && n_cells < r->n_columns)
    status = leave_partial(r);
  else if (bad) /* first: a stray quote is also why the fields are miscounted */
    status = newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: text after a closing quote", r->name,
                               r->row_line);
  else if (n_cells != r->n_columns)
    status = newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: %zu fields, the header has %zu",
                               r->name, r->row_line, n_cells, r->n_columns);
  else if (!take_cells(r, &c))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  free(owned);
  if (status != NEWSIDX_OK) return status;
  return jsonl_make_record(r->field, r->name, r->row_line, row_hash, r->date, out, warning, err);
}
