/*
** read_ahead.c — the reader thread: reads, parses and prepares the writer's jobs ahead of it.
** See read_ahead.h.
*/
#include "read_ahead.h"
#include "reader.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes of items the thread may hold ready before it waits for the writer: enough to smooth
** out a slow batch commit, small next to the 64 MB the indexer may take. One item larger than
** this (a 200 MB record) still goes through, alone. */
#define READ_AHEAD_BYTES (8u << 20)

/* Articles longer than this (bytes of title and body) are not prepared: their tokens would
** take several times their size (16 bytes a token and its stem), which for an absurd 200 MB
** record is more memory than tokenizing it in the writer. */
#define PREPARE_MAX (4u << 20)

/* Items ready before a waiting writer is woken (see hand_over()). */
#define WAKE_ITEMS 64

struct read_ahead {
  pthread_t thread;
  pthread_mutex_t lock;
  /* Each side is woken only when it waits for what the other brings: futex calls for every
  ** item would cost the writer more than the items themselves. */
  pthread_cond_t for_writer; /* an item */
  pthread_cond_t for_reader; /* a job, room for items, or the stop */
  int writer_waits, reader_waits;
  read_job *jobs[READ_AHEAD_JOBS];
  size_t first_job, n_jobs;
  read_item *first_item, *last_item;
  size_t n_items, item_bytes;
  /* Items the writer is done with go back to the reader thread, which allocated them. malloc
  ** keeps a thread's blocks in that thread's arena, so a block freed by the other thread takes
  ** that arena's lock, which the reader holds as it allocates: on Reuters the writer spent 8%
  ** of its time in free() and waiting for that lock. The writer links them into its own list
  ** (no lock), hands the list over when it takes the lock for its next item, and the reader
  ** frees them when it next hands one over. */
  read_item *writer_done, *writer_done_last; /* the writer's alone */
  read_item *done;                           /* under the lock */
  int stopping;
  newsidx_analyzer *analyzer;
};

read_job *read_job_new(read_kind kind, const walk_file *file, const newsidx_input_file *known) {
  read_job *job = calloc(1, sizeof *job);
  if (!job) return NULL;
  job->kind = kind;
  job->file = *file;
  if (!(job->file.path = strdup(file->path))) {
    free(job);
    return NULL;
  }
  if (known) job->known = *known;
  job->known.path = job->file.path;
  return job;
}

void read_job_free(read_job *job) {
  if (!job) return;
  free(job->file.path);
  free(job);
}

static read_item out_of_memory;

void read_item_free(read_item *item) {
  if (!item || item == &out_of_memory) return;
  for (int i = 0; i < item->n_notes; i++)
    free(item->notes[i].text);
  newsidx_prepared_free(item->prepared);
  free(item->storage);
  free(item->body);
  free(item);
}

static void free_items(read_item *item) {
  for (read_item *next; item; item = next) {
    next = item->next;
    read_item_free(item);
  }
}

/* ---- the thread's side ------------------------------------------------------------------- */

static read_item *new_item(read_item_type type, read_job *job) {
  read_item *item = calloc(1, sizeof *item);
  if (item) {
    item->type = type;
    item->job = job;
    item->size = sizeof *item;
  }
  return item;
}

/* Adds a message to the item (dropped when out of memory or beyond READ_MAX_NOTES). */
static void note(read_item *item, ingest_level level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void note(read_item *item, ingest_level level, const char *format, ...) {
  if (item->n_notes == READ_MAX_NOTES) return;
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  char *text = strdup(message);
  if (!text) return;
  item->notes[item->n_notes].level = level;
  item->notes[item->n_notes++].text = text;
}

/* Hands an item to the writer, waiting for room; 0 when the writer stops (the item is freed). */
static int hand_over(read_ahead *ra, read_item *item) {
  pthread_mutex_lock(&ra->lock);
  while (!ra->stopping && ra->first_item && ra->item_bytes + item->size > READ_AHEAD_BYTES) {
    if (ra->writer_waits) pthread_cond_signal(&ra->for_writer);
    ra->reader_waits = 1;
    pthread_cond_wait(&ra->for_reader, &ra->lock);
  }
  ra->reader_waits = 0;
  read_item *done = ra->done;
  ra->done = NULL;
  int stopping = ra->stopping;
  if (!stopping) {
    if (ra->last_item)
      ra->last_item->next = item;
    else
      ra->first_item = item;
    ra->last_item = item;
    ra->item_bytes += item->size;
    ra->n_items++;
    /* A writer that waits is woken once WAKE_ITEMS are ready, not for each: woken for one item
    ** it would store it and wait again, and the two threads would take turns instead of
    ** running side by side. The reader also wakes it before it waits itself, and for the end. */
    if (ra->writer_waits && (ra->n_items >= WAKE_ITEMS || item->type == ITEM_FAILED))
      pthread_cond_signal(&ra->for_writer);
  }
  pthread_mutex_unlock(&ra->lock);
  free_items(done);
  if (stopping) read_item_free(item);
  return !stopping;
}

/* Hands over `item`, then `end`; frees `end` when the first is refused. */
static int hand_over_both(read_ahead *ra, read_item *item, read_item *end) {
  if (hand_over(ra, item)) return hand_over(ra, end);
  read_item_free(end);
  return 0;
}

/* An item that ends the run (out of memory), with `err` or "out of memory". When even that
** item cannot be allocated, a static one stands in: the run ends with it. */
static read_item *failed(read_job *job, const newsidx_error *err) {
  read_item *item = new_item(ITEM_FAILED, job);
  if (!item) {
    item = &out_of_memory;
    *item = (read_item){.type = ITEM_FAILED, .job = job};
  }
  if (err)
    item->err = *err;
  else
    newsidx_error_set(&item->err, NEWSIDX_NOMEM, "out of memory");
  return item;
}

/* Prepares the item's article, unless it is empty or larger than PREPARE_MAX bytes. Returns 0
** on failure (item->err set). */
static int prepare(read_ahead *ra, read_item *item) {
  if (!ra->analyzer || reader_article_empty(&item->article)) return 1;
  size_t n = strlen(item->article.body) + (item->article.title ? strlen(item->article.title) : 0);
  if (n > PREPARE_MAX) return 1;
  if (newsidx_prepare_article(ra->analyzer, &item->article, &item->prepared, &item->err) !=
      NEWSIDX_OK)
    return 0;
  item->size += newsidx_prepared_size(item->prepared);
  return 1;
}

/* Reads a text file: one item (its notes first), then ITEM_END. Returns 0 when the run
** stops. */
static int read_text(read_ahead *ra, read_job *job) {
  walk_file *file = &job->file;
  read_item *item = new_item(ITEM_ARTICLE, job);
  read_item *end = new_item(ITEM_END, job);
  if (!item || !end) {
    read_item_free(item);
    read_item_free(end);
    return hand_over(ra, failed(job, NULL)) && 0;
  }
  char *text;
  size_t n_text;
  input_encoding encoding;
  newsidx_error local;
  int64_t size, mtime;
  newsidx_status_t status =
      input_read_file(file->path, &text, &n_text, &encoding, &size, &mtime, &local);
  if (file->size < 0 && size >= 0) { /* not stat()ed by the walk (walk_defer_stat()) */
    file->size = size;
    file->mtime = mtime;
  }
  if (status == NEWSIDX_INPUT) { /* binary: skipped, and not read again until it changes */
    item->type = ITEM_SKIPPED;
    note(item, INGEST_WARNING, "%s", local.message);
    status = NEWSIDX_OK;
  } else if (status != NEWSIDX_OK && status != NEWSIDX_NOMEM) {
    item->type = ITEM_BAD;
    note(item, INGEST_ERROR, "%s", local.message);
    status = NEWSIDX_OK;
  } else if (status == NEWSIDX_OK) {
    item->storage = text;
    item->size += n_text;
    if (encoding == INPUT_CP1252)
      note(item, INGEST_WARNING, "%s: not UTF-8; decoded as Windows-1252", file->path);
    else if (encoding == INPUT_WIDE_REPAIRED)
      note(item, INGEST_WARNING, "%s: %s", file->path, INPUT_WIDE_WARNING);
    text_article parsed;
    const char *warning;
    status = text_parse(text, &parsed, &warning, &local);
    if (status != NEWSIDX_OK) {
      item->type = ITEM_BAD;
      note(item, INGEST_ERROR, "%s: %s", file->path, local.message);
      status = NEWSIDX_OK;
    } else {
      if (warning) note(item, INGEST_WARNING, "%s: %s", file->path, warning);
      item->article = parsed.article;
      if (parsed.article.date) {
        memcpy(item->date, parsed.date, sizeof item->date);
        item->article.date = item->date;
      }
      item->article.key = file->path;
      item->article.path = file->path;
      item->article.file_size = file->size;
      item->article.file_mtime = file->mtime;
      if (!prepare(ra, item)) {
        local = item->err;
        status = NEWSIDX_NOMEM;
      }
    }
  }
  if (status != NEWSIDX_OK) { /* out of memory */
    read_item_free(item);
    read_item_free(end);
    return hand_over(ra, failed(job, &local)) && 0;
  }
  return hand_over_both(ra, item, end);
}

/* Gives the item the record `a`: its body `body` (taken, the article's own), its other strings
** copied into one block. Returns 0 when out of memory (`body` freed). */
static int keep_record(read_item *item, char *body, const newsidx_article *a) {
  const char *fields[] = {a->key,    a->path,   a->date, a->title, a->url,
                          a->source, a->author, a->tags, a->lang};
  enum { N = sizeof fields / sizeof fields[0] };
  size_t n[N], total = 0;
  for (int i = 0; i < N; i++) {
    n[i] = fields[i] ? strlen(fields[i]) + 1 : 0;
    total += n[i];
  }
  char *block = malloc(total ? total : 1);
  if (!block) {
    free(body);
    return 0;
  }
  const char *copies[N];
  for (size_t i = 0, at = 0; i < N; at += n[i], i++)
    copies[i] = fields[i] ? memcpy(block + at, fields[i], n[i]) : NULL;
  item->storage = block;
  item->body = body;
  item->size += total + strlen(a->body);
  item->article = *a;
  item->article.key = copies[0];
  item->article.path = copies[1];
  item->article.date = copies[2];
  item->article.title = copies[3];
  item->article.url = copies[4];
  item->article.source = copies[5];
  item->article.author = copies[6];
  item->article.tags = copies[7];
  item->article.lang = copies[8];
  return 1;
}

static int hand_over_bad(read_ahead *ra, read_job *job, read_item_type type, const char *message,
                         long long bytes);

/* A reader of the records of a file that grows by appending: JSON Lines or CSV. Each reads
** from an open FILE, goes on from a known line and offset, and says where it is. */
typedef struct stream_ops {
  /* Starts reading `in` (at its start, or at `resume`'s offset when not NULL) as `name`. */
  newsidx_status_t (*open)(FILE *in, const char *name, const read_job *job,
                           const newsidx_input_file *resume, void **reader, newsidx_error *err);
  newsidx_status_t (*next)(void *reader, newsidx_article *out, const char **warning,
                           newsidx_error *err);
  char *(*take_body)(void *reader);
  long (*line)(const void *reader);     /* the last line consumed */
  long (*row_line)(const void *reader); /* where the record starts; 0: at line() */
  long long (*bytes)(const void *reader);
  long long (*partial)(const void *reader);
  void (*close)(void *reader);
} stream_ops;

static newsidx_status_t jsonl_start(FILE *in, const char *name, const read_job *job,
                                    const newsidx_input_file *resume, void **reader,
                                    newsidx_error *err) {
  jsonl_reader *r;
  newsidx_status_t status =
      jsonl_open(in, name, job->kind == READ_JSONL ? JSONL_LEAVE_PARTIAL_LINE : 0, &r, err);
  if (status == NEWSIDX_OK && resume) jsonl_resume(r, (long)resume->lines, resume->offset);
  *reader = status == NEWSIDX_OK ? r : NULL;
  return status;
}
static newsidx_status_t jsonl_next_v(void *r, newsidx_article *out, const char **warning,
                                     newsidx_error *err) {
  return jsonl_next(r, out, warning, err);
}
static char *jsonl_take_body_v(void *r) { return jsonl_take_body(r); }
static long jsonl_line_v(const void *r) { return jsonl_line(r); }
static long no_row_line(const void *r) { return 0; }
static long long jsonl_bytes_v(const void *r) { return jsonl_bytes(r); }
static long long jsonl_partial_v(const void *r) { return jsonl_partial(r); }
static void jsonl_close_v(void *r) { jsonl_close(r); }

static const stream_ops jsonl_ops = {jsonl_start, jsonl_next_v,  jsonl_take_body_v, jsonl_line_v,
                                     no_row_line, jsonl_bytes_v, jsonl_partial_v,   jsonl_close_v};

static newsidx_status_t csv_start(FILE *in, const char *name, const read_job *job,
                                  const newsidx_input_file *resume, void **reader,
                                  newsidx_error *err) {
  csv_reader *r;
  char delimiter = job->file.kind == KIND_TSV ? '\t' : ',';
  newsidx_status_t status = csv_open(in, name, delimiter, CSV_LEAVE_PARTIAL_ROW, &r, err);
  if (status == NEWSIDX_OK && resume) {
    status = csv_resume(r, (long)resume->lines, resume->offset, err);
    if (status != NEWSIDX_OK) csv_close(r);
  }
  *reader = status == NEWSIDX_OK ? r : NULL;
  return status;
}
static newsidx_status_t csv_next_v(void *r, newsidx_article *out, const char **warning,
                                   newsidx_error *err) {
  return csv_next(r, out, warning, err);
}
static char *csv_take_body_v(void *r) { return csv_take_body(r); }
static long csv_line_v(const void *r) { return csv_line(r); }
static long csv_row_line_v(const void *r) { return csv_row_line(r); }
static long long csv_bytes_v(const void *r) { return csv_bytes(r); }
static long long csv_partial_v(const void *r) { return csv_partial(r); }
static void csv_close_v(void *r) { csv_close(r); }

static const stream_ops csv_ops = {csv_start,      csv_next_v,  csv_take_body_v, csv_line_v,
                                   csv_row_line_v, csv_bytes_v, csv_partial_v,   csv_close_v};

/* Reads JSON Lines or CSV: ITEM_START (for a file that cannot be opened, ITEM_BAD instead); then an
** item per record or bad line; then ITEM_END. Returns 0 when the run stops. */
static int read_stream(read_ahead *ra, read_job *job) {
  const stream_ops *ops = job->kind == READ_CSV ? &csv_ops : &jsonl_ops;
  const walk_file *file = &job->file;
  const newsidx_input_file *known = &job->known;
  FILE *in = stdin, *decoded = NULL;
  read_item *item = NULL;
  int appended = 0;
  newsidx_wide_encoding wide = NEWSIDX_WIDE_NONE;
  size_t n_bom = 0;
  const long *n_replaced = NULL;
  if (job->kind == READ_STDIN) {
    if (!(item = new_item(ITEM_START, job))) return hand_over(ra, failed(job, NULL)) && 0;
    if (!hand_over(ra, item)) return 0;
  } else {
    int fd = input_open(file->path, 0);
    if (fd < 0 || !(in = fdopen(fd, "r"))) {
      int e = errno;
      if (fd >= 0) close(fd);
      if (!(item = new_item(ITEM_BAD, job))) return hand_over(ra, failed(job, NULL)) && 0;
      note(item, INGEST_ERROR, "%s: %s", file->path, input_open_error(e));
      read_item *end = new_item(ITEM_END, job);
      if (!end) {
        read_item_free(item);
        return hand_over(ra, failed(job, NULL)) && 0;
      }
      return hand_over_both(ra, item, end);
    }
    /* A file in UTF-16 or UTF-32 is read through a decoding stream, whose offsets are not the
    ** file's: it is read from the start each time (its records are then found unchanged). */
    wide = input_wide_sniff(fileno(in), &n_bom);
    if (!wide && known->offset > 0 && known->offset <= file->size) {
      int64_t hash;
      appended =
          input_window_hash(fileno(in), file->path, known->offset, &hash, NULL) == NEWSIDX_OK &&
          hash == known->window_hash && fseeko(in, (off_t)known->offset, SEEK_SET) == 0;
    }
    if (!(item = new_item(ITEM_START, job))) {
      fclose(in);
      return hand_over(ra, failed(job, NULL)) && 0;
    }
    item->appended = appended;
    item->wide = wide != NEWSIDX_WIDE_NONE;
    item->line = appended ? (long)known->lines : 0;
    item->bytes = appended ? known->offset : 0;
    if (appended)
      note(item, INGEST_VERBOSE, "%s: appended to; reading on from line %lld", file->path,
           (long long)known->lines + 1);
    else if (known->offset > 0)
      note(item, INGEST_VERBOSE, "%s: rewritten; reading it again from the start", file->path);
    if (!hand_over(ra, item)) {
      fclose(in);
      return 0;
    }
  }
  const char *name = job->kind == READ_STDIN ? "-" : file->path;
  void *reader;
  newsidx_error local;
  if (wide && (fseeko(in, (off_t)n_bom, SEEK_SET) != 0 ||
               !(decoded = input_wide_stream(in, wide, &n_replaced)))) {
    fclose(in);
    return hand_over(ra, failed(job, NULL)) && 0;
  }
  newsidx_status_t opened =
      ops->open(decoded ? decoded : in, name, job, appended ? known : NULL, &reader, &local);
  if (opened == NEWSIDX_INPUT || opened == NEWSIDX_IO) { /* a CSV header gone bad */
    if (decoded) fclose(decoded);
    if (in != stdin) fclose(in);
    return hand_over_bad(ra, job, ITEM_BAD, local.message, -1);
  }
  if (opened != NEWSIDX_OK) {
    if (decoded) fclose(decoded);
    if (in != stdin) fclose(in);
    return hand_over(ra, failed(job, &local)) && 0;
  }
  int go_on = 1, at_end = 0;
  while (go_on) {
    newsidx_article article;
    const char *warning;
    newsidx_status_t got = ops->next(reader, &article, &warning, &local);
    if (got == NEWSIDX_NOT_FOUND) {
      at_end = 1;
      break;
    }
    if (!(item = new_item(ITEM_ARTICLE, job))) {
      go_on = hand_over(ra, failed(job, NULL)) && 0;
      break;
    }
    item->line = ops->line(reader);
    item->bytes = ops->bytes(reader);
    item->row_line = ops->row_line(reader);
    if (got == NEWSIDX_INPUT || got == NEWSIDX_IO) {
      item->type = ITEM_BAD;
      note(item, INGEST_ERROR, "%s", local.message);
      go_on = hand_over(ra, item);
      if (got == NEWSIDX_IO) break;
      continue;
    }
    if (got != NEWSIDX_OK) {
      read_item_free(item);
      go_on = hand_over(ra, failed(job, &local)) && 0;
      break;
    }
    if (warning)
      note(item, INGEST_WARNING, "%s:%ld: %s", name, item->row_line ? item->row_line : item->line,
           warning);
    if (!keep_record(item, ops->take_body(reader), &article) || !prepare(ra, item)) {
      newsidx_error why = item->err;
      read_item_free(item);
      go_on = hand_over(ra, failed(job, why.status ? &why : NULL)) && 0;
      break;
    }
    go_on = hand_over(ra, item);
  }
  if (go_on) {
    if ((item = new_item(ITEM_END, job)) != NULL) {
      item->at_end = at_end;
      item->line = ops->line(reader);
      item->bytes = ops->bytes(reader);
      item->partial = ops->partial(reader);
      if (n_replaced && *n_replaced)
        note(item, INGEST_WARNING, "%s: %s (%ld)", name, INPUT_WIDE_WARNING, *n_replaced);
      go_on = hand_over(ra, item);
    } else {
      go_on = hand_over(ra, failed(job, NULL)) && 0;
    }
  }
  ops->close(reader);
  if (decoded) fclose(decoded);
  if (in != stdin) fclose(in);
  return go_on;
}

/* An item of `type` with one note, then ITEM_END (`at_end`, `bytes`): what a feed that could
** not be read gives. Returns 0 when the run stops. */
static int hand_over_bad(read_ahead *ra, read_job *job, read_item_type type, const char *message,
                         long long bytes) {
  read_item *item = new_item(type, job);
  read_item *end = new_item(ITEM_END, job);
  if (!item || !end) {
    read_item_free(item);
    read_item_free(end);
    return hand_over(ra, failed(job, NULL)) && 0;
  }
  note(item, type == ITEM_SKIPPED ? INGEST_WARNING : INGEST_ERROR, "%s", message);
  end->at_end = bytes >= 0;
  end->bytes = bytes >= 0 ? bytes : 0;
  return hand_over_both(ra, item, end);
}

/* Hands over the records of a feed read, one item each, then ITEM_END. Returns 0 when the run
** stops. */
static int hand_over_records(read_ahead *ra, read_job *job, feed_result *feed, size_t n_bytes) {
  for (size_t i = 0; i < feed->n; i++) {
    feed_record *rec = &feed->records[i];
    read_item *item = new_item(ITEM_ARTICLE, job);
    if (!item) return hand_over(ra, failed(job, NULL)) && 0;
    item->line = rec->line;
    if (rec->warning && job->kind == READ_HTML)
      note(item, INGEST_WARNING, "%s: %s", job->file.path, rec->warning);
    else if (rec->warning)
      note(item, INGEST_WARNING, "%s: line %ld: %s", job->file.path, rec->line, rec->warning);
    char *body = (char *)rec->article.body;
    rec->article.body = NULL; /* the item's now */
    newsidx_article a = rec->article;
    a.body = body;
    if (!keep_record(item, body, &a) || !prepare(ra, item)) {
      newsidx_error why = item->err;
      read_item_free(item);
      return hand_over(ra, failed(job, why.status ? &why : NULL)) && 0;
    }
    if (!hand_over(ra, item)) return 0;
  }
  read_item *end = new_item(ITEM_END, job);
  if (!end) return hand_over(ra, failed(job, NULL)) && 0;
  end->at_end = 1;
  end->bytes = (long long)n_bytes;
  return hand_over(ra, end);
}

/* Reads a feed (or an HTML page, a feed of one record): ITEM_START, an item per record,
** ITEM_END; the whole file every time (a feed is rewritten, not appended to: its records are
** found again by their keys). A file that cannot be read is ITEM_BAD; one that is not a feed at
** all, ITEM_SKIPPED (an .xml file of another kind), both remembered as read until the file
** changes. Returns 0 when the run stops. */
static int read_feed(read_ahead *ra, read_job *job) {
  walk_file *file = &job->file;
  char *bytes;
  size_t n;
  int64_t size, mtime;
  newsidx_error local;
  newsidx_status_t status = input_read_bytes(file->path, &bytes, &n, &size, &mtime, &local);
  if (status == NEWSIDX_NOMEM) return hand_over(ra, failed(job, &local)) && 0;
  if (status != NEWSIDX_OK) return hand_over_bad(ra, job, ITEM_BAD, local.message, -1);
  read_item *start = new_item(ITEM_START, job);
  if (!start) {
    free(bytes);
    return hand_over(ra, failed(job, NULL)) && 0;
  }
  if (job->known.offset > 0)
    note(start, INGEST_VERBOSE, "%s: changed; reading it again", file->path);
  feed_result feed;
  status = job->kind == READ_HTML ? html_parse(bytes, n, file->path, &feed, &local)
                                  : feed_parse(bytes, n, file->path, &feed, &local);
  free(bytes);
  if (status == NEWSIDX_OK && feed.warning[0]) note(start, INGEST_WARNING, "%s", feed.warning);
  if (status == NEWSIDX_NOMEM || !hand_over(ra, start)) {
    feed_result_free(&feed);
    return status == NEWSIDX_NOMEM ? hand_over(ra, failed(job, &local)) && 0 : 0;
  }
  int go_on;
  if (status == NEWSIDX_INPUT)
    go_on = hand_over_bad(ra, job, strstr(local.message, ": not a feed") ? ITEM_SKIPPED : ITEM_BAD,
                          local.message, (long long)n);
  else
    go_on = hand_over_records(ra, job, &feed, n);
  feed_result_free(&feed);
  return go_on;
}

/* The thread: reads the jobs in order until stopped. */
static void *reader_main(void *arg) {
  read_ahead *ra = arg;
  for (;;) {
    pthread_mutex_lock(&ra->lock);
    while (!ra->stopping && ra->n_jobs == 0) {
      if (ra->writer_waits && ra->first_item) pthread_cond_signal(&ra->for_writer);
      ra->reader_waits = 1;
      pthread_cond_wait(&ra->for_reader, &ra->lock);
    }
    ra->reader_waits = 0;
    read_job *job = NULL;
    if (!ra->stopping) {
      job = ra->jobs[ra->first_job];
      ra->first_job = (ra->first_job + 1) % READ_AHEAD_JOBS;
      ra->n_jobs--;
    }
    pthread_mutex_unlock(&ra->lock);
    if (!job) break;
    int go_on = job->kind == READ_TEXT                             ? read_text(ra, job)
                : job->kind == READ_FEED || job->kind == READ_HTML ? read_feed(ra, job)
                                                                   : read_stream(ra, job);
    if (!go_on) break;
  }
  return NULL;
}

/* ---- the writer's side ------------------------------------------------------------------- */

newsidx_status_t read_ahead_start(newsidx_analyzer *analyzer, read_ahead **out,
                                  newsidx_error *err) {
  read_ahead *ra = calloc(1, sizeof *ra);
  if (!ra) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  ra->analyzer = analyzer;
  pthread_mutex_init(&ra->lock, NULL);
  pthread_cond_init(&ra->for_writer, NULL);
  pthread_cond_init(&ra->for_reader, NULL);
  int e = pthread_create(&ra->thread, NULL, reader_main, ra);
  if (e) {
    pthread_cond_destroy(&ra->for_writer);
    pthread_cond_destroy(&ra->for_reader);
    pthread_mutex_destroy(&ra->lock);
    free(ra);
    return newsidx_error_set(err, NEWSIDX_ERROR, "starting the reader thread: %s", strerror(e));
  }
  *out = ra;
  return NEWSIDX_OK;
}

void read_ahead_push(read_ahead *ra, read_job *job) {
  pthread_mutex_lock(&ra->lock);
  ra->jobs[(ra->first_job + ra->n_jobs++) % READ_AHEAD_JOBS] = job;
  if (ra->reader_waits) pthread_cond_signal(&ra->for_reader);
  pthread_mutex_unlock(&ra->lock);
}

void read_ahead_recycle(read_ahead *ra, read_item *item) {
  if (!item || item == &out_of_memory) return;
  item->next = NULL;
  if (ra->writer_done_last)
    ra->writer_done_last->next = item;
  else
    ra->writer_done = item;
  ra->writer_done_last = item;
}

read_item *read_ahead_next(read_ahead *ra) {
  pthread_mutex_lock(&ra->lock);
  if (ra->writer_done) { /* to the reader, to be freed by the thread that allocated them */
    ra->writer_done_last->next = ra->done;
    ra->done = ra->writer_done;
    ra->writer_done = ra->writer_done_last = NULL;
  }
  while (!ra->first_item) {
    ra->writer_waits = 1;
    pthread_cond_wait(&ra->for_writer, &ra->lock);
  }
  ra->writer_waits = 0;
  read_item *item = ra->first_item;
  ra->n_items--;
  ra->first_item = item->next;
  if (!ra->first_item) ra->last_item = NULL;
  ra->item_bytes -= item->size;
  item->next = NULL;
  /* The reader waits for room: wake it once half the room is free, not for every item. */
  if (ra->reader_waits && (ra->item_bytes < READ_AHEAD_BYTES / 2 || !ra->first_item))
    pthread_cond_signal(&ra->for_reader);
  pthread_mutex_unlock(&ra->lock);
  return item;
}

void read_ahead_stop(read_ahead *ra) {
  if (!ra) return;
  pthread_mutex_lock(&ra->lock);
  ra->stopping = 1;
  pthread_cond_signal(&ra->for_reader);
  pthread_mutex_unlock(&ra->lock);
  pthread_join(ra->thread, NULL);
  free_items(ra->first_item);
  free_items(ra->done);
  free_items(ra->writer_done);
  pthread_cond_destroy(&ra->for_writer);
  pthread_cond_destroy(&ra->for_reader);
  pthread_mutex_destroy(&ra->lock);
  free(ra);
}
