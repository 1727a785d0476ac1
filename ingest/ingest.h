/*
** ingest.h — the ingest pipeline: inputs → readers → newsidx_store_article() in batches
** (internal to the ingest library).
**
** Every write happens inside a batch transaction of at most `batch_articles` articles. A
** failure that is the input's fault (a malformed line, a binary file) is reported and counted
** and the run goes on; a failure of the database (disk full, read-only, busy beyond the
** timeout) rolls back the current batch and ends the run, so the index stays as it was after
** the last committed batch. Setting *stop (from a signal handler) ends the run after the
** current article: the batch so far is committed.
*/
#ifndef NEWSIDX_INGEST_H
#define NEWSIDX_INGEST_H

#include "newsidx.h"

#include <signal.h>

typedef struct ingest_counts {
  long files; /* input files processed */
  long added;
  long updated;
  long unchanged;
  long duplicates;
  long skipped;          /* files skipped on purpose: hidden, backups, unknown type */
  long errors;           /* unreadable files, bad records */
  long removed;          /* articles pruned */
  long long bytes;       /* input bytes read */
  long long total_bytes; /* input bytes to read, with count_total (0 otherwise) */
} ingest_counts;

/* Messages for the user. `level` says how loud: */
typedef enum ingest_level {
  INGEST_ERROR,   /* input that could not be indexed */
  INGEST_WARNING, /* indexed, but with a problem (a bad date, a decoded encoding) */
  INGEST_VERBOSE  /* a file skipped on purpose */
} ingest_level;

typedef void (*ingest_report_fn)(void *ctx, ingest_level level, const char *message);

/* Called after every article with the counts so far, for a progress line. */
typedef void (*ingest_progress_fn)(void *ctx, const ingest_counts *counts);

typedef struct ingest_options {
  int forced_kind;    /* -1: by file name; 0: text; 1: JSON Lines */
  int batch_articles; /* articles per transaction; 0 means 2,000 */
  int prune;          /* remove articles whose source file is gone, under the folders given */
  ingest_report_fn report;
  ingest_progress_fn progress;
  void *ctx; /* for report and progress */
  volatile sig_atomic_t *stop;
  /* With prune: files or folders known to be gone (absolute, canonical; a watcher saw them
  ** deleted or moved away). The articles of those that are still gone when the run ends, or
  ** of the files under them that are, are removed after the paths are indexed, so that a
  ** file moved within the paths keeps its place in searches. */
  char *const *gone;
  int n_gone;
  int count_total; /* walk the paths once first for counts->total_bytes (a progress line) */
  int unprepared;  /* let the writer tokenize: no articles prepared ahead (for comparisons) */
} ingest_options;

/* Indexes every path ("-" is standard input, read as JSON Lines). Counts go to *counts.
** Returns NEWSIDX_OK when the run went through (even if some inputs were bad: see
** counts->errors), NEWSIDX_INTERRUPTED when *stop ended it, or the database's error; *counts
** then counts what the committed batches hold, not the batch that was rolled back. */
newsidx_status_t ingest_paths(newsidx_db *db, char *const *paths, int n_paths,
                              const ingest_options *options, ingest_counts *counts,
                              newsidx_error *err);

/* Watching folders with inotify, for newsidx watch (walk/watch_tree.c). */
#include "walk/watch.h"

#endif
