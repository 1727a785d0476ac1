/*
** ingest.c — the ingest pipeline. See ingest.h.
*/
#include "ingest.h"
#include "reader.h"
#include "walk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_BATCH 2000

/* The JSON Lines file being read: its progress is recorded with every batch it commits. */
typedef struct open_jsonl {
  const walk_file *file;
  int fd;
  jsonl_reader *reader;
  int64_t n_skipped; /* empty records before the reader's position */
  int at_end;        /* the reader has reached the end of the file */
} open_jsonl;

typedef struct ingest_run {
  newsidx_db *db;
  const ingest_options *options;
  ingest_counts *counts;
  int in_batch;
  int n_in_batch;
  open_jsonl *jsonl; /* NULL when no JSON Lines file is being read */
  newsidx_error *err;
  ingest_counts committed; /* the counts as of the last commit */
} ingest_run;

static void say(ingest_run *r, ingest_level level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void say(ingest_run *r, ingest_level level, const char *format, ...) {
  if (!r->options->report) return;
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  r->options->report(r->options->ctx, level, message);
}

static int stop_requested(ingest_run *r) { return r->options->stop && *r->options->stop; }

static newsidx_status_t ensure_batch(ingest_run *r) {
  if (r->in_batch) return NEWSIDX_OK;
  newsidx_status_t status = newsidx_begin(r->db, r->err);
  if (status == NEWSIDX_OK) r->in_batch = 1;
  r->n_in_batch = 0;
  return status;
}

/* Records how far the open JSON Lines file has been read, inside the current batch: the
** offset and line of the last line consumed, and the hash that recognizes the bytes before.
** The file's size and mtime are recorded only once it was read to its end: a file whose
** reading stopped halfway (a batch boundary, a signal, a crash) must not look unchanged. */
static newsidx_status_t record_jsonl_progress(ingest_run *r) {
  open_jsonl *o = r->jsonl;
  newsidx_input_file state = {o->file->path,
                              o->at_end ? o->file->size : -1,
                              o->at_end ? o->file->mtime : -1,
                              jsonl_bytes(o->reader),
                              jsonl_line(o->reader),
                              0,
                              o->n_skipped};
  newsidx_status_t status =
      input_window_hash(o->fd, o->file->path, state.offset, &state.window_hash, r->err);
  if (status == NEWSIDX_OK) status = newsidx_input_file_put(r->db, &state, r->err);
  return status;
}

/* Commits the batch, with the progress of the JSON Lines file it covers. */
static newsidx_status_t end_batch(ingest_run *r) {
  if (!r->in_batch) return NEWSIDX_OK;
  newsidx_status_t status = r->jsonl ? record_jsonl_progress(r) : NEWSIDX_OK;
  r->in_batch = 0;
  if (status != NEWSIDX_OK) {
    newsidx_rollback(r->db);
    return status;
  }
  status = newsidx_commit(r->db, r->err);
  if (status == NEWSIDX_OK) r->committed = *r->counts;
  return status;
}

/* Counts one write toward the batch and commits when the batch is full. */
static newsidx_status_t batch_tick(ingest_run *r) {
  int limit = r->options->batch_articles > 0 ? r->options->batch_articles : DEFAULT_BATCH;
  if (!r->in_batch || ++r->n_in_batch < limit) return NEWSIDX_OK;
  return end_batch(r);
}

static void progress(ingest_run *r) {
  if (r->options->progress) r->options->progress(r->options->ctx, r->counts);
}

/* Stores one article inside the batch (the caller ticks it). Empty articles are skipped and
** counted, input errors reported and counted, and *taken says whether the article was dealt
** with (stored or skipped as empty); database errors are returned. */
static newsidx_status_t store(ingest_run *r, const newsidx_article *article, const char *where,
                              int *taken) {
  *taken = 0;
  if (reader_article_empty(article)) {
    r->counts->skipped++;
    say(r, INGEST_VERBOSE, "%s: empty article, skipped", where);
    *taken = 1;
    return NEWSIDX_OK;
  }
  newsidx_status_t status = ensure_batch(r);
  if (status != NEWSIDX_OK) return status;
  newsidx_store_outcome outcome;
  newsidx_error local;
  status = newsidx_store_article(r->db, article, &outcome, NULL, &local);
  if (status == NEWSIDX_INPUT) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s: %s", where, local.message);
    return NEWSIDX_OK;
  }
  if (status != NEWSIDX_OK) {
    if (r->err) *r->err = local;
    return status;
  }
  switch (outcome) {
  case NEWSIDX_STORED_ADDED: r->counts->added++; break;
  case NEWSIDX_STORED_UPDATED: r->counts->updated++; break;
  case NEWSIDX_STORED_UNCHANGED: r->counts->unchanged++; break;
  case NEWSIDX_STORED_DUPLICATE: r->counts->duplicates++; break;
  }
  *taken = 1;
  return NEWSIDX_OK;
}

/* Counts the articles a file already gave, unread: unchanged, and its empty ones skipped. */
static newsidx_status_t count_known(ingest_run *r, const newsidx_input_file *known) {
  int64_t n = 0;
  newsidx_status_t status = newsidx_count_from_path(r->db, known->path, &n, r->err);
  r->counts->unchanged += (long)n;
  r->counts->skipped += (long)known->n_skipped;
  return status;
}

/* Looks up what the index knows of `file` into *known (offset 0 for a new file). When the file
** has the size and modification time it was read with, it is recognized without reading it:
** its articles are counted as unchanged and *unchanged is set. Returns a database error, or
** NEWSIDX_OK. */
static newsidx_status_t look_up(ingest_run *r, const walk_file *file, newsidx_input_file *known,
                                int *unchanged) {
  *unchanged = 0;
  newsidx_status_t status = newsidx_input_file_get(r->db, file->path, known, r->err);
  if (status == NEWSIDX_NOT_FOUND) {
    *known = (newsidx_input_file){file->path, -1, -1, 0, 0, 0, 0};
    return NEWSIDX_OK;
  }
  if (status != NEWSIDX_OK || known->size != file->size || known->mtime_ns != file->mtime)
    return status;
  *unchanged = 1;
  r->counts->bytes += file->size;
  return count_known(r, known);
}

/* Records, inside the batch, that the text file was read as it is now; `n_skipped` is 1 when
** it gave no article (empty or binary), so that a re-run counts it as skipped again. */
static newsidx_status_t remember_text_file(ingest_run *r, const walk_file *file, int n_skipped) {
  newsidx_input_file state = {file->path, file->size, file->mtime, file->size, 0, 0, n_skipped};
  newsidx_status_t status = ensure_batch(r);
  if (status == NEWSIDX_OK) status = newsidx_input_file_put(r->db, &state, r->err);
  if (status == NEWSIDX_OK) status = batch_tick(r);
  return status;
}

static newsidx_status_t ingest_text_file(ingest_run *r, const walk_file *file) {
  newsidx_input_file known;
  int unchanged;
  newsidx_status_t status = look_up(r, file, &known, &unchanged);
  if (status != NEWSIDX_OK || unchanged) return status;
  r->counts->bytes += file->size;

  char *text;
  size_t n_text;
  input_encoding encoding;
  newsidx_error local;
  status = input_read_file(file->path, &text, &n_text, &encoding, &local);
  if (status == NEWSIDX_NOMEM) {
    if (r->err) *r->err = local;
    return status;
  }
  if (status == NEWSIDX_INPUT) { /* binary: skipped, and not read again until it changes */
    r->counts->skipped++;
    say(r, INGEST_WARNING, "%s", local.message);
    return remember_text_file(r, file, 1);
  }
  if (status != NEWSIDX_OK) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s", local.message);
    return NEWSIDX_OK;
  }
  if (encoding == INPUT_CP1252)
    say(r, INGEST_WARNING, "%s: not UTF-8; decoded as Windows-1252", file->path);

  text_article parsed;
  const char *warning;
  status = text_parse(text, &parsed, &warning, &local);
  if (status != NEWSIDX_OK) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s: %s", file->path, local.message);
    free(text);
    return NEWSIDX_OK;
  }
  if (warning) say(r, INGEST_WARNING, "%s: %s", file->path, warning);
  parsed.article.key = file->path;
  parsed.article.path = file->path;
  parsed.article.file_size = file->size;
  parsed.article.file_mtime = file->mtime;
  int taken;
  status = store(r, &parsed.article, file->path, &taken);
  if (status == NEWSIDX_OK && taken)
    status = remember_text_file(r, file, reader_article_empty(&parsed.article));
  else if (status == NEWSIDX_OK)
    status = batch_tick(r);
  free(text);
  return status;
}

/* Reads JSON Lines from `in` to the end (or until stopped), storing each record. For a file,
** `tracked` holds its open state: its position is recorded with each batch and at the end. */
static newsidx_status_t ingest_jsonl(ingest_run *r, FILE *in, const char *name, open_jsonl *tracked,
                                     const newsidx_input_file *resume) {
  jsonl_reader *reader;
  newsidx_status_t status =
      jsonl_open(in, name, tracked ? JSONL_LEAVE_PARTIAL_LINE : 0, &reader, r->err);
  if (status != NEWSIDX_OK) return status;
  if (resume) jsonl_resume(reader, (long)resume->lines, resume->offset);
  if (tracked) {
    tracked->reader = reader;
    r->jsonl = tracked;
  }
  long long start_bytes = r->counts->bytes - jsonl_bytes(reader);
  for (;;) {
    if (stop_requested(r)) break;
    newsidx_article article;
    const char *warning;
    newsidx_error local;
    newsidx_status_t got = jsonl_next(reader, &article, &warning, &local);
    r->counts->bytes = start_bytes + jsonl_bytes(reader);
    if (got == NEWSIDX_NOT_FOUND) {
      if (tracked) tracked->at_end = 1;
      break;
    }
    if (got == NEWSIDX_INPUT || got == NEWSIDX_IO) {
      r->counts->errors++;
      say(r, INGEST_ERROR, "%s", local.message);
      if (got == NEWSIDX_IO) break;
      continue;
    }
    if (got != NEWSIDX_OK) {
      if (r->err) *r->err = local;
      status = got;
      break;
    }
    if (warning) say(r, INGEST_WARNING, "%s:%ld: %s", name, jsonl_line(reader), warning);
    char where[4200];
    snprintf(where, sizeof where, "%s:%ld", name, jsonl_line(reader));
    int taken;
    if (tracked && reader_article_empty(&article)) tracked->n_skipped++;
    status = store(r, &article, where, &taken);
    if (status == NEWSIDX_OK) status = batch_tick(r);
    if (status != NEWSIDX_OK) break;
    progress(r);
  }
  if (status == NEWSIDX_OK && tracked) {
    if (jsonl_partial(reader))
      say(r, INGEST_VERBOSE,
          "%s:%ld: last line has no newline yet (%lld bytes); left for the next run", name,
          jsonl_line(reader) + 1, jsonl_partial(reader));
    /* Also when nothing was stored: its bad lines are not read (and reported) again. */
    status = ensure_batch(r);
    if (status == NEWSIDX_OK) status = record_jsonl_progress(r);
  }
  r->jsonl = NULL;
  jsonl_close(reader);
  return status;
}

/* A JSON Lines file: skipped unread when unchanged; read from where the last run stopped when
** it was appended to (the bytes before are the same); read from the start otherwise (a new or
** rewritten file; records keyed by id make reading them again harmless). */
static newsidx_status_t ingest_jsonl_file(ingest_run *r, const walk_file *file) {
  newsidx_input_file known;
  int unchanged;
  newsidx_status_t status = look_up(r, file, &known, &unchanged);
  if (status != NEWSIDX_OK || unchanged) return status;
  FILE *in = fopen(file->path, "re");
  if (!in) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s: %s", file->path, strerror(errno));
    return NEWSIDX_OK;
  }
  int appended = 0;
  if (known.offset > 0 && known.offset <= file->size) {
    int64_t hash;
    appended = input_window_hash(fileno(in), file->path, known.offset, &hash, NULL) == NEWSIDX_OK &&
               hash == known.window_hash && fseeko(in, (off_t)known.offset, SEEK_SET) == 0;
  }
  if (appended) {
    say(r, INGEST_VERBOSE, "%s: appended to; reading on from line %lld", file->path,
        (long long)known.lines + 1);
    status = count_known(r, &known);
    r->counts->bytes += known.offset;
  } else if (known.offset > 0) {
    say(r, INGEST_VERBOSE, "%s: rewritten; reading it again from the start", file->path);
  }
  open_jsonl tracked = {file, fileno(in), NULL, appended ? known.n_skipped : 0, 0};
  if (status == NEWSIDX_OK)
    status = ingest_jsonl(r, in, file->path, &tracked, appended ? &known : NULL);
  fclose(in);
  return status;
}

static void on_walk(void *ctx, int error, const char *path, const char *why) {
  ingest_run *r = ctx;
  say(r, error ? INGEST_ERROR : INGEST_VERBOSE, "%s: %s", path, why);
}

/* For --prune: a file that no longer exists (an unreadable one is kept). */
static int file_is_gone(void *ctx, const char *path) {
  struct stat st;
  return stat(path, &st) != 0 && errno == ENOENT;
}

/* Removes the articles whose source file, `root` itself or one under the folder `root`, is
** gone. */
static newsidx_status_t prune_under(ingest_run *r, const char *root) {
  newsidx_status_t status = ensure_batch(r);
  int64_t removed = 0;
  if (status == NEWSIDX_OK)
    status = newsidx_remove_path(r->db, root, file_is_gone, NULL, &removed, r->err);
  r->counts->removed += (long)removed;
  return status;
}

newsidx_status_t ingest_paths(newsidx_db *db, char *const *paths, int n_paths,
                              const ingest_options *options, ingest_counts *counts,
                              newsidx_error *err) {
  memset(counts, 0, sizeof *counts);
  ingest_run r = {db, options, counts, 0, 0, NULL, err, {0}};
  walk_list list = {0};
  newsidx_status_t status = NEWSIDX_OK;

  int stdin_seen = 0;
  for (int i = 0; i < n_paths && status == NEWSIDX_OK; i++) {
    if (strcmp(paths[i], "-") == 0)
      stdin_seen = 1;
    else
      status = walk_path(paths[i], options->forced_kind, &list, on_walk, &r, err);
  }
  counts->skipped = list.n_skipped;
  counts->errors += list.n_errors;
  counts->total_bytes = list.total_bytes;

  for (size_t i = 0; i < list.n_files && status == NEWSIDX_OK && !stop_requested(&r); i++) {
    const walk_file *file = &list.files[i];
    status = file->kind == KIND_JSONL ? ingest_jsonl_file(&r, file) : ingest_text_file(&r, file);
    counts->files++;
    progress(&r);
  }
  if (status == NEWSIDX_OK && stdin_seen && !stop_requested(&r)) {
    status = ingest_jsonl(&r, stdin, "-", NULL, NULL);
    counts->files++;
  }
  for (int i = 0; i < n_paths && status == NEWSIDX_OK && options->prune && !stop_requested(&r);
       i++) {
    struct stat st;
    if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    char *root = realpath(paths[i], NULL);
    if (root) status = prune_under(&r, root);
    free(root);
  }
  for (int i = 0;
       i < options->n_gone && status == NEWSIDX_OK && options->prune && !stop_requested(&r); i++)
    status = prune_under(&r, options->gone[i]);
  walk_list_free(&list);

  if (status == NEWSIDX_OK)
    status = end_batch(&r);
  else if (r.in_batch)
    newsidx_rollback(db);
  if (status != NEWSIDX_OK && status != NEWSIDX_INTERRUPTED) /* say what the index holds */
    *counts = r.committed;
  if (status == NEWSIDX_OK && stop_requested(&r)) return NEWSIDX_INTERRUPTED;
  return status;
}
