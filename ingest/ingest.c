/*
** ingest.c — the ingest pipeline. See ingest.h.
*/
#include "ingest.h"
#include "ingest_report.h"
#include "read_ahead.h"
#include "reader.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

/* Free pages in the file worth giving back at the end of a run (of 8 KiB: 1 MB). */
#define RELEASE_MIN_PAGES 128

/* The JSON Lines file whose records are being stored: its progress is recorded with every
** batch it commits. */
typedef struct open_jsonl {
  const walk_file *file;
  int fd;            /* the writer's own descriptor, for the hash of what was read */
  long line;         /* the last line consumed, */
  long long bytes;   /* and the offset after it */
  int64_t n_skipped; /* empty records before that offset */
  int at_end;        /* the reader has reached the end of the file */
  int changed;       /* it shrank (or vanished) under the reader: an error, read again next run */
  int wide;          /* decoded from UTF-16 or UTF-32: `bytes` are not the file's offsets */
} open_jsonl;

typedef struct ingest_run {
  newsidx_db *db;
  const ingest_options *options;
  ingest_counts *counts;
  int in_batch;
  int n_in_batch;
  size_t batch_bytes;
  open_jsonl *jsonl; /* NULL when no JSON Lines file is being read */
  open_jsonl tracked;
  long long jsonl_base; /* counts->bytes when the file's offset 0 was reached */
  newsidx_error *err;
  ingest_counts committed; /* the counts as of the last commit */
  /* the folder of the file last looked up, and whether the index knew anything in it when
  ** the run first came to it (files come folder by folder; each once) */
  char *folder;
  size_t n_folder;
  int folder_known;
} ingest_run;

void ingest_say(const ingest_options *options, ingest_level level, const char *format, ...) {
  if (!options->report) return;
  char message[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  options->report(options->ctx, level, message);
}

void ingest_count_outcome(ingest_counts *counts, newsidx_store_outcome outcome) {
  switch (outcome) {
  case NEWSIDX_STORED_ADDED: counts->added++; break;
  case NEWSIDX_STORED_UPDATED: counts->updated++; break;
  case NEWSIDX_STORED_UNCHANGED: counts->unchanged++; break;
  case NEWSIDX_STORED_DUPLICATE: counts->duplicates++; break;
  }
}

#define say(r, ...) ingest_say((r)->options, __VA_ARGS__)

static int stop_requested(ingest_run *r) { return r->options->stop && *r->options->stop; }

static newsidx_status_t ensure_batch(ingest_run *r) {
  if (r->in_batch) return NEWSIDX_OK;
  newsidx_status_t status = newsidx_begin(r->db, r->err);
  if (status == NEWSIDX_OK) r->in_batch = 1;
  r->n_in_batch = 0;
  r->batch_bytes = 0;
  return status;
}

/* Records how far the open JSON Lines file has been read, inside the current batch: the
** offset and line of the last line consumed, and the hash that recognizes the bytes before.
** The file's size and mtime are recorded only once it was read to its end: a file whose
** reading stopped halfway (a batch boundary, a signal, a crash) must not look unchanged.
** A file whose bytes before that offset cannot be hashed any more (it was truncated while it
** was read, or removed) is that file's error, not the run's: it is reported once and recorded
** as never read, so that the next run reads it from the start; the records it gave stay. */
static newsidx_status_t record_jsonl_progress(ingest_run *r) {
  open_jsonl *o = r->jsonl;
  newsidx_input_file state = {o->file->path,
                              o->at_end ? o->file->size : -1,
                              o->at_end ? o->file->mtime : -1,
                              o->bytes,
                              o->line,
                              0,
                              o->n_skipped};
  newsidx_error local;
  if (!o->changed && !o->wide &&
      input_window_hash(o->fd, o->file->path, state.offset, &state.window_hash, &local) !=
          NEWSIDX_OK) {
    o->changed = 1;
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s; changed while it was read, it is read again next run", local.message);
  }
  if (o->changed) state = (newsidx_input_file){o->file->path, -1, -1, 0, 0, 0, 0};
  if (o->wide) state.offset = state.lines = state.n_skipped = 0; /* read from the start */
  return newsidx_input_file_put(r->db, &state, r->err);
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

/* Counts one write of `bytes` (what the article took to read) toward the batch and commits when
** the batch is full: of batch_articles articles, or of INGEST_BATCH_BYTES, whichever comes
** first. */
static newsidx_status_t batch_tick(ingest_run *r, size_t bytes) {
  int limit = r->options->batch_articles > 0 ? r->options->batch_articles : INGEST_DEFAULT_BATCH;
  if (!r->in_batch) return NEWSIDX_OK;
  r->batch_bytes += bytes;
  if (++r->n_in_batch < limit && r->batch_bytes < INGEST_BATCH_BYTES) return NEWSIDX_OK;
  return end_batch(r);
}

static void progress(ingest_run *r) {
  if (r->options->progress) r->options->progress(r->options->ctx, r->counts);
}

/* See ingest_report.h. */
newsidx_status_t ingest_store_counted(newsidx_db *db, const ingest_options *options,
                                      ingest_counts *counts, const newsidx_article *article,
                                      const newsidx_prepared *prepared, const char *where,
                                      int *stored, newsidx_error *err) {
  *stored = 0;
  newsidx_store_outcome outcome;
  newsidx_error local;
  newsidx_status_t status = newsidx_store_prepared(db, article, prepared, &outcome, NULL, &local);
  if (status == NEWSIDX_INPUT) {
    counts->errors++;
    ingest_say(options, INGEST_ERROR, "%s: %s", where, local.message);
    return NEWSIDX_OK;
  }
  if (status != NEWSIDX_OK) {
    if (err) *err = local;
    return status;
  }
  ingest_count_outcome(counts, outcome);
  *stored = 1;
  return NEWSIDX_OK;
}

static newsidx_status_t store(ingest_run *r, const newsidx_article *article,
                              const newsidx_prepared *prepared, const char *where, int *taken) {
  *taken = 0;
  if (reader_article_empty(article)) {
    r->counts->skipped++;
    say(r, INGEST_VERBOSE, "%s: empty article, skipped", where);
    *taken = 1;
    return NEWSIDX_OK;
  }
  newsidx_status_t status = ensure_batch(r);
  if (status != NEWSIDX_OK) return status;
  return ingest_store_counted(r->db, r->options, r->counts, article, prepared, where, taken,
                              r->err);
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
** its articles are counted as unchanged and *unchanged is set. A file the walk did not stat()
** (walk_defer_stat()) is stat()ed here only when the index knows it: a new one is read anyway,
** and the reader takes its size and time from the file it opens. A text file in a folder the
** index knew nothing of when the run came to it (newsidx_folder_known(), asked once per folder)
** is new without a look-up: a first build of a folder looks up nothing. Not when the run has
** met the path before (`again`: it waited for the jobs in flight), nor for JSON Lines files,
** which a run may name twice and whose look-up is a small part of reading them. (A text file
** named twice, and not in flight the second time, is read again and found unchanged.) Returns a
** database error, or NEWSIDX_OK. */
static newsidx_status_t look_up(ingest_run *r, walk_file *file, int again,
                                newsidx_input_file *known, int *unchanged, int *unknown) {
  *unchanged = *unknown = 0;
  const char *slash = strrchr(file->path, '/');
  size_t n = slash ? (size_t)(slash - file->path) + 1 : 0;
  if (!r->folder || r->n_folder != n || memcmp(r->folder, file->path, n) != 0) {
    free(r->folder);
    r->folder = strndup(file->path, n);
    r->n_folder = n;
    newsidx_status_t status =
        r->folder ? newsidx_folder_known(r->db, file->path, n, &r->folder_known, r->err)
                  : newsidx_error_set(r->err, NEWSIDX_NOMEM, "out of memory");
    if (status != NEWSIDX_OK) return status;
  }
  /* a folder new to the index: every file in it is new, and is not looked up one by one */
  newsidx_status_t status = r->folder_known || again || file->kind != KIND_TEXT
                                ? newsidx_input_file_get(r->db, file->path, known, r->err)
                                : NEWSIDX_NOT_FOUND;
  if (status == NEWSIDX_NOT_FOUND) {
    *known = (newsidx_input_file){file->path, -1, -1, 0, 0, 0, 0};
    *unknown = 1;
    return NEWSIDX_OK;
  }
  struct stat st;
  if (status == NEWSIDX_OK && file->size < 0 && stat(file->path, &st) == 0) {
    file->size = (int64_t)st.st_size; /* else gone meanwhile: reading it says so */
    file->mtime = walk_mtime_ns(&st);
  }
  if (status != NEWSIDX_OK || file->size < 0 || known->size != file->size ||
      known->mtime_ns != file->mtime)
    return status;
  *unchanged = 1;
  r->counts->bytes += file->size;
  return count_known(r, known);
}

/* Records, inside the batch, that the text file of `job` was read as it is now; `n_skipped` is
** 1 when it gave no article (empty or binary), so that a re-run counts it as skipped again. The
** article of a file that gave one, stored with the file's size and mtime, is its state: a row
** of its own goes, unless the index knew nothing of the file when it was looked up. */
static newsidx_status_t remember_text_file(ingest_run *r, const read_job *job, int n_skipped) {
  const walk_file *file = &job->file;
  newsidx_input_file state = {file->path, file->size, file->mtime, file->size, 0, 0, n_skipped};
  newsidx_status_t status = ensure_batch(r);
  if (status == NEWSIDX_OK && n_skipped)
    status = newsidx_input_file_put(r->db, &state, r->err);
  else if (status == NEWSIDX_OK && !job->unknown)
    status = newsidx_input_file_by_article(r->db, file->path, r->err);
  if (status == NEWSIDX_OK) status = batch_tick(r, (size_t)file->size);
  return status;
}

/* The text file's item: its article stored, or its skip or error counted. */
static newsidx_status_t take_text_item(ingest_run *r, read_item *item) {
  const walk_file *file = &item->job->file;
  if (item->type == ITEM_SKIPPED) {
    r->counts->skipped++;
    return remember_text_file(r, item->job, 1);
  }
  if (item->type == ITEM_BAD) {
    r->counts->errors++;
    return NEWSIDX_OK;
  }
  int taken;
  newsidx_status_t status = store(r, &item->article, item->prepared, file->path, &taken);
  if (status == NEWSIDX_OK && taken)
    status = remember_text_file(r, item->job, reader_article_empty(&item->article));
  else if (status == NEWSIDX_OK)
    status = batch_tick(r, item->size);
  return status;
}

/* Starts storing the records of a JSON Lines file: from where the last run stopped when it was
** appended to (the bytes before are the same), else from the start (a new or rewritten file;
** records keyed by id make reading them again harmless). */
static newsidx_status_t start_jsonl(ingest_run *r, read_item *item) {
  read_job *job = item->job;
  if (job->kind == READ_STDIN) { /* nothing is recorded of standard input */
    r->jsonl_base = r->counts->bytes;
    return NEWSIDX_OK;
  }
  open_jsonl *o = &r->tracked;
  *o = (open_jsonl){.file = &job->file,
                    .fd = input_open(job->file.path, 0),
                    .line = item->line,
                    .bytes = item->bytes,
                    .n_skipped = item->appended ? job->known.n_skipped : 0,
                    .wide = item->wide};
  newsidx_status_t status = NEWSIDX_OK;
  if (item->appended) {
    status = count_known(r, &job->known);
    r->counts->bytes += job->known.offset;
  }
  r->jsonl_base = r->counts->bytes - item->bytes;
  r->jsonl = o;
  return status;
}

/* Ends the records of the JSON Lines file: records how far it was read (also when nothing was
** stored: its bad lines are not read, and reported, again). */
static newsidx_status_t end_jsonl(ingest_run *r) {
  newsidx_status_t status = ensure_batch(r);
  if (status == NEWSIDX_OK) status = record_jsonl_progress(r);
  if (r->tracked.fd >= 0) close(r->tracked.fd);
  r->jsonl = NULL;
  return status;
}

/* One item of a JSON Lines job, or of a feed's (whose items all say offset 0 but the last: a
** feed read halfway is read again from the start). */
static newsidx_status_t take_jsonl_item(ingest_run *r, read_item *item) {
  const char *name = item->job->kind == READ_STDIN ? "-" : item->job->file.path;
  if (item->type == ITEM_START) return start_jsonl(r, item);
  open_jsonl *o = r->jsonl;
  if (o) {
    o->line = item->line;
    o->bytes = item->bytes;
  }
  if (item->type != ITEM_END || item->at_end) r->counts->bytes = r->jsonl_base + item->bytes;
  if (item->type == ITEM_BAD) {
    r->counts->errors++;
    return NEWSIDX_OK;
  }
  if (item->type == ITEM_SKIPPED) { /* a feed that is not one: counted again while unchanged */
    r->counts->skipped++;
    if (o) o->n_skipped++;
    return NEWSIDX_OK;
  }
  if (item->type == ITEM_END) {
    if (!o) return NEWSIDX_OK; /* standard input, or a file that could not be opened */
    o->at_end = item->at_end;
    if (item->partial)
      say(r, INGEST_VERBOSE, "%s:%ld: last %s yet (%lld bytes); left for the next run", name,
          item->line + 1, item->job->kind == READ_CSV ? "row is not whole" : "line has no newline",
          item->partial);
    return end_jsonl(r);
  }
  char where[4200];
  if (item->job->kind == READ_HTML)
    snprintf(where, sizeof where, "%s", name);
  else
    snprintf(where, sizeof where, item->job->kind == READ_FEED ? "%s: line %ld" : "%s:%ld", name,
             item->row_line ? item->row_line : item->line);
  int taken;
  if (o && reader_article_empty(&item->article)) o->n_skipped++;
  newsidx_status_t status = store(r, &item->article, item->prepared, where, &taken);
  if (status == NEWSIDX_OK) status = batch_tick(r, item->size);
  progress(r);
  return status;
}

/* Takes one item from the reader: its messages first, then what it holds. */
static newsidx_status_t take_item(ingest_run *r, read_item *item) {
  for (int i = 0; i < item->n_notes; i++)
    say(r, item->notes[i].level, "%s", item->notes[i].text);
  if (item->type == ITEM_FAILED) {
    if (r->err) *r->err = item->err;
    return item->err.status ? item->err.status : NEWSIDX_NOMEM;
  }
  if (item->job->kind != READ_TEXT) return take_jsonl_item(r, item);
  if (item->type == ITEM_END) {
    if (item->job->file.size > 0) r->counts->bytes += item->job->file.size; /* -1: unopened */
    return NEWSIDX_OK;
  }
  return take_text_item(r, item);
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

/* The jobs given to the reader and not finished, oldest first, with the hashes of their paths:
** a path met again while its job is in flight (a file named twice, or reached through a link)
** waits until that job is done, so that its look-up sees what the job stored. */
typedef struct in_flight {
  read_job *jobs[READ_AHEAD_JOBS];
  uint64_t hashes[READ_AHEAD_JOBS];
  size_t first, n;
} in_flight;

/* Never 0, which marks a slot with no job in flight. */
static uint64_t path_hash(const char *path) {
  uint64_t h = XXH3_64bits(path, strlen(path));
  return h ? h : 1;
}

/* Looks at every slot, in a loop without branches that the compiler vectorizes: following the
** ring from `first` cost the writer about 1% of a folder build at 512 jobs. */
static int flying(const in_flight *f, uint64_t hash) {
  int found = 0;
  for (size_t i = 0; i < READ_AHEAD_JOBS; i++)
    found |= f->hashes[i] == hash;
  return found;
}

/* What goes to the reader next: the files of the walk, then standard input. */
typedef struct feeder {
  walk *walk;
  int walk_done;
  int stdin_left; /* "-" was named and is not given yet */
  walk_file held; /* a file that waits for the jobs in flight (path owned), */
  int has_held;   /* when this is set */
  read_ahead *reader;
  in_flight flight;
} feeder;

static newsidx_status_t give(ingest_run *r, feeder *f, read_kind kind, const walk_file *file,
                             const newsidx_input_file *known, int unknown) {
  read_job *job = read_job_new(kind, file, known);
  if (!job) return newsidx_error_set(r->err, NEWSIDX_NOMEM, "out of memory");
  job->unknown = unknown;
  size_t at = (f->flight.first + f->flight.n++) % READ_AHEAD_JOBS;
  f->flight.jobs[at] = job;
  f->flight.hashes[at] = path_hash(job->file.path);
  read_ahead_push(f->reader, job);
  return NEWSIDX_OK;
}

/* Looks up the next files and gives the reader those it must read, until READ_AHEAD_JOBS are
** in flight. A file the index knows as it is now is counted without reading it. */
static newsidx_status_t feed(ingest_run *r, feeder *f) {
  newsidx_status_t status = NEWSIDX_OK;
  while (status == NEWSIDX_OK && f->flight.n < READ_AHEAD_JOBS && !stop_requested(r)) {
    walk_file file;
    if (f->has_held) {
      if (f->flight.n > 0) break;
      file = f->held;
    } else if (!f->walk_done) {
      status = walk_next(f->walk, &file, r->err);
      if (status == NEWSIDX_NOT_FOUND) {
        f->walk_done = 1; /* its byte count misses the files not stat()ed: count_total's is it */
        status = NEWSIDX_OK;
        continue;
      }
      if (status != NEWSIDX_OK) break;
      if (flying(&f->flight, path_hash(file.path))) {
        f->held = file;
        if (!(f->held.path = strdup(file.path)))
          status = newsidx_error_set(r->err, NEWSIDX_NOMEM, "out of memory");
        f->has_held = status == NEWSIDX_OK;
        continue;
      }
    } else {
      if (f->stdin_left) {
        walk_file in = {"-", KIND_JSONL, -1, -1};
        status = give(r, f, READ_STDIN, &in, NULL, 0);
        f->stdin_left = 0;
      }
      break;
    }
    newsidx_input_file known;
    int unchanged, unknown;
    status = look_up(r, &file, f->has_held, &known, &unchanged, &unknown);
    if (status == NEWSIDX_OK && unchanged) {
      r->counts->files++;
      progress(r);
    } else if (status == NEWSIDX_OK) {
      read_kind kind = file.kind == KIND_JSONL                          ? READ_JSONL
                       : file.kind == KIND_FEED                         ? READ_FEED
                       : file.kind == KIND_CSV || file.kind == KIND_TSV ? READ_CSV
                       : file.kind == KIND_HTML                         ? READ_HTML
                                                                        : READ_TEXT;
      status = give(r, f, kind, &file, &known, unknown);
    }
    if (f->has_held) {
      free(f->held.path);
      f->has_held = 0;
    }
  }
  return status;
}

/* The bytes of the files under `paths`, from a first walk that only looks at their sizes. */
static long long count_bytes(char *const *paths, int n_paths, int forced_kind) {
  walk *w;
  if (walk_open(paths, n_paths, forced_kind, NULL, NULL, &w, NULL) != NEWSIDX_OK) return 0;
  walk_file file;
  while (walk_next(w, &file, NULL) == NEWSIDX_OK)
    ;
  long long total;
  walk_counts(w, NULL, NULL, &total);
  walk_close(w);
  return total;
}

/* Stores what the reader gives back until every file is done, or the run stops. */
static newsidx_status_t store_all(ingest_run *r, feeder *f) {
  newsidx_status_t status = NEWSIDX_OK;
  for (;;) {
    status = feed(r, f);
    if (status != NEWSIDX_OK || f->flight.n == 0 || stop_requested(r)) break;
    read_item *item = read_ahead_next(f->reader);
    status = take_item(r, item);
    if (item->type == ITEM_END) {
      read_job_free(f->flight.jobs[f->flight.first]);
      f->flight.hashes[f->flight.first] = 0;
      f->flight.first = (f->flight.first + 1) % READ_AHEAD_JOBS;
      f->flight.n--;
      r->counts->files++;
      progress(r);
    }
    read_ahead_recycle(f->reader, item);
    if (status != NEWSIDX_OK) break;
  }
  /* Stopped inside a JSON Lines file: what was stored of it is recorded. */
  if (status == NEWSIDX_OK && r->jsonl) status = end_jsonl(r);
  if (r->jsonl && r->tracked.fd >= 0) close(r->tracked.fd);
  r->jsonl = NULL;
  return status;
}

newsidx_status_t ingest_paths(newsidx_db *db, char *const *paths, int n_paths,
                              const ingest_options *options, ingest_counts *counts,
                              newsidx_error *err) {
  memset(counts, 0, sizeof *counts);
  ingest_run r = {.db = db, .options = options, .counts = counts, .err = err};
  feeder f = {0};
  newsidx_analyzer *analyzer = NULL;
  for (int i = 0; i < n_paths; i++)
    if (strcmp(paths[i], "-") == 0) f.stdin_left = 1;
  if (options->count_total) counts->total_bytes = count_bytes(paths, n_paths, options->forced_kind);

  newsidx_status_t status =
      walk_open(paths, n_paths, options->forced_kind, on_walk, &r, &f.walk, err);
  if (status == NEWSIDX_OK) walk_defer_stat(f.walk);
  if (status == NEWSIDX_OK && !options->unprepared)
    status = newsidx_analyzer_open(db, &analyzer, err);
  if (status == NEWSIDX_OK) status = read_ahead_start(analyzer, &f.reader, err);
  if (status == NEWSIDX_OK) status = store_all(&r, &f);
  read_ahead_stop(f.reader);
  newsidx_analyzer_close(analyzer);
  for (; f.flight.n > 0; f.flight.n--, f.flight.first = (f.flight.first + 1) % READ_AHEAD_JOBS)
    read_job_free(f.flight.jobs[f.flight.first]);
  if (f.has_held) free(f.held.path);
  free(r.folder);
  if (f.walk) {
    long n_skipped, n_errors;
    walk_counts(f.walk, &n_skipped, &n_errors, NULL);
    counts->skipped += n_skipped;
    counts->errors += n_errors;
    walk_close(f.walk);
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

  if (status == NEWSIDX_OK)
    status = end_batch(&r);
  else if (r.in_batch)
    newsidx_rollback(db);
  /* What waits for later is written now: a watch cycle may be followed by hours of quiet. */
  newsidx_settle(db);
  /* A run that freed much inside the file (FTS5's merges) gives it back. */
  if (status == NEWSIDX_OK && !stop_requested(&r))
    status = newsidx_release_free_pages(db, RELEASE_MIN_PAGES, err);
  if (status != NEWSIDX_OK && status != NEWSIDX_INTERRUPTED) /* say what the index holds */
    *counts = r.committed;
  if (status == NEWSIDX_OK && stop_requested(&r)) return NEWSIDX_INTERRUPTED;
  return status;
}
