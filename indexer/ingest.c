/*
** ingest.c — the ingest pipeline. See ingest.h.
*/
#include "ingest.h"
#include "reader.h"
#include "walk.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_BATCH 2000

typedef struct ingest_run {
  newsidx_db *db;
  const ingest_options *options;
  ingest_counts *counts;
  int in_batch;
  int n_in_batch;
  newsidx_error *err;
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

static newsidx_status_t end_batch(ingest_run *r) {
  if (!r->in_batch) return NEWSIDX_OK;
  r->in_batch = 0;
  return newsidx_commit(r->db, r->err);
}

/* Counts one write toward the batch and commits when the batch is full. */
static newsidx_status_t batch_tick(ingest_run *r) {
  int limit = r->options->batch_articles > 0 ? r->options->batch_articles : DEFAULT_BATCH;
  if (++r->n_in_batch < limit) return NEWSIDX_OK;
  return end_batch(r);
}

static void progress(ingest_run *r) {
  if (r->options->progress) r->options->progress(r->options->ctx, r->counts);
}

/* Stores one article. Empty articles are skipped and counted, input errors reported and
** counted; database errors are returned. */
static newsidx_status_t store(ingest_run *r, const newsidx_article *article, const char *where) {
  if (reader_article_empty(article)) {
    r->counts->skipped++;
    say(r, INGEST_VERBOSE, "%s: empty article, skipped", where);
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
  return batch_tick(r);
}

static newsidx_status_t ingest_text_file(ingest_run *r, const walk_file *file) {
  int64_t id, size, mtime;
  newsidx_status_t status = newsidx_lookup_key(r->db, file->path, &id, &size, &mtime, r->err);
  if (status == NEWSIDX_OK && size == file->size && mtime == file->mtime) {
    r->counts->unchanged++;
    r->counts->bytes += file->size;
    return NEWSIDX_OK; /* unchanged: recognized without reading it */
  }
  if (status != NEWSIDX_OK && status != NEWSIDX_NOT_FOUND) return status;

  char *text;
  size_t n_text;
  input_encoding encoding;
  newsidx_error local;
  status = input_read_file(file->path, &text, &n_text, &encoding, &local);
  r->counts->bytes += file->size;
  if (status == NEWSIDX_NOMEM) {
    if (r->err) *r->err = local;
    return status;
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
  status = store(r, &parsed.article, file->path);
  free(text);
  return status;
}

static newsidx_status_t ingest_jsonl(ingest_run *r, FILE *in, const char *name) {
  jsonl_reader *reader;
  newsidx_status_t status = jsonl_open(in, name, &reader, r->err);
  if (status != NEWSIDX_OK) return status;
  long long start_bytes = r->counts->bytes;
  for (;;) {
    if (stop_requested(r)) break;
    newsidx_article article;
    const char *warning;
    newsidx_error local;
    newsidx_status_t got = jsonl_next(reader, &article, &warning, &local);
    r->counts->bytes = start_bytes + jsonl_bytes(reader);
    if (got == NEWSIDX_NOT_FOUND) break;
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
    status = store(r, &article, where);
    if (status != NEWSIDX_OK) break;
    progress(r);
  }
  jsonl_close(reader);
  return status;
}

static newsidx_status_t ingest_jsonl_file(ingest_run *r, const walk_file *file) {
  FILE *in = fopen(file->path, "re");
  if (!in) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s: %s", file->path, strerror(errno));
    return NEWSIDX_OK;
  }
  newsidx_status_t status = ingest_jsonl(r, in, file->path);
  fclose(in);
  return status;
}

static void on_walk(void *ctx, int error, const char *path, const char *why) {
  ingest_run *r = ctx;
  say(r, error ? INGEST_ERROR : INGEST_VERBOSE, "%s: %s", path, why);
}

/* Deletes the articles whose source file is gone, among those under directory `root`. */
static newsidx_status_t prune_under(ingest_run *r, const char *root) {
  sqlite3 *sqlite = newsidx_db_sqlite(r->db);
  sqlite3_stmt *stmt = NULL;
  /* Paths under root/ sort between "root/" and "root0" ('0' follows '/'). */
  int rc = sqlite3_prepare_v2(sqlite,
                              "SELECT id, path FROM articles WHERE path >= ?1 || '/'"
                              " AND path < ?1 || '0' ORDER BY id",
                              -1, &stmt, NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(r->err, sqlite, rc, "pruning");
  sqlite3_bind_text(stmt, 1, root, -1, SQLITE_STATIC);
  int64_t *gone = NULL;
  size_t n_gone = 0, cap = 0;
  newsidx_status_t status = NEWSIDX_OK;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    struct stat st;
    const char *path = (const char *)sqlite3_column_text(stmt, 1);
    if (stat(path, &st) == 0 || errno != ENOENT) continue;
    if (n_gone == cap) {
      cap = cap ? cap * 2 : 64;
      int64_t *grown = realloc(gone, cap * sizeof *gone);
      if (!grown) {
        status = newsidx_error_set(r->err, NEWSIDX_NOMEM, "out of memory");
        break;
      }
      gone = grown;
    }
    gone[n_gone++] = sqlite3_column_int64(stmt, 0);
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(r->err, sqlite, rc, "pruning");
  sqlite3_finalize(stmt);
  for (size_t i = 0; i < n_gone && status == NEWSIDX_OK; i++) {
    status = ensure_batch(r);
    if (status == NEWSIDX_OK) status = newsidx_delete_article(r->db, gone[i], r->err);
    if (status == NEWSIDX_OK) {
      r->counts->removed++;
      status = batch_tick(r);
    }
  }
  free(gone);
  return status;
}

newsidx_status_t ingest_paths(newsidx_db *db, char *const *paths, int n_paths,
                              const ingest_options *options, ingest_counts *counts,
                              newsidx_error *err) {
  memset(counts, 0, sizeof *counts);
  ingest_run r = {db, options, counts, 0, 0, err};
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
    status = ingest_jsonl(&r, stdin, "-");
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
  walk_list_free(&list);

  if (status == NEWSIDX_OK)
    status = end_batch(&r);
  else if (r.in_batch)
    newsidx_rollback(db);
  if (status == NEWSIDX_OK && stop_requested(&r)) return NEWSIDX_INTERRUPTED;
  return status;
}
