/*
** walk.h — finding the input files under the paths given on the command line (internal).
**
** Folders are walked recursively in a stable order (bytewise by name). Hidden entries,
** editor backups and files of unknown type are skipped and counted; a directory reached
** twice (a symlink loop, or two links to one folder) is walked once; entries that cannot be
** read are reported and skipped. A path named on the command line is always taken, whatever
** its name. Every file path is absolute and canonical, so that it can serve as the key.
*/
#ifndef NEWSIDX_WALK_H
#define NEWSIDX_WALK_H

#include "newsidx.h"

#include <sys/stat.h>

/* In the order of --format's names (ingest_cli.c). */
typedef enum input_kind {
  KIND_TEXT = 0,
  KIND_JSONL = 1,
  KIND_FEED = 2,
  KIND_CSV = 3,
  KIND_TSV = 4,
  KIND_HTML = 5
} input_kind;

typedef struct walk_file {
  char *path; /* absolute, canonical */
  input_kind kind;
  int64_t size;  /* bytes; -1 when not stat()ed (walk_defer_stat()) */
  int64_t mtime; /* nanoseconds since the epoch; -1 likewise */
} walk_file;

/* A stat()'s modification time as walk_file, the reader and the index keep it. */
static inline int64_t walk_mtime_ns(const struct stat *st) {
  return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Called for every skipped or unreadable entry: `error` is non-zero for the unreadable ones
** (always worth a message), zero for quiet skips (worth one with --verbose). */
typedef void (*walk_report_fn)(void *ctx, int error, const char *path, const char *why);

/* An iterator over the files under the paths named on the command line, in that order ("-"
** is left out), each folder's entries in bytewise order of their names. Only the names of the
** folders being walked are held: memory does not grow with the number of files. */
typedef struct walk walk;

/* Starts a walk of `paths` (borrowed until walk_close()). `forced_kind` (-1 for none)
** overrides the type of every file. Fails only with NEWSIDX_NOMEM. */
newsidx_status_t walk_open(char *const *paths, int n_paths, int forced_kind, walk_report_fn report,
                           void *ctx, walk **out, newsidx_error *err);

/* Writes the next file to *file (its path lives until the next call) and returns NEWSIDX_OK;
** NEWSIDX_NOT_FOUND after the last; NEWSIDX_NOMEM. Missing, unreadable and skipped entries
** met on the way are reported and counted. */
newsidx_status_t walk_next(walk *w, walk_file *file, newsidx_error *err);

/* From now on, a text file whose folder entry says it is a regular file is returned without a
** stat(): size and mtime -1, for the caller to stat() it when it needs them before reading
** (the index knows the file) and else to take them from the file it opens. A first build of
** Reuters-21578's folder spent 6% of the indexer's writer thread in these calls. JSON Lines
** files, symlinks and entries of unknown type are stat()ed as before. */
void walk_defer_stat(walk *w);

/* What the walk met so far: entries skipped on purpose, unreadable ones, bytes of the files
** (those stat()ed). */
void walk_counts(const walk *w, long *n_skipped, long *n_errors, long long *total_bytes);

void walk_close(walk *w);

/* The kind a file name stands for, or -1 when it is of unknown type or to be skipped;
** *why then says why ("hidden", "editor backup", "unknown type"). */
int walk_classify(const char *name, const char **why);

/* The kind of a file called `name` found in a folder: walk_classify()'s, or `forced_kind` when
** it is not -1, which still leaves out hidden files and backups. -1 when the file is skipped;
** *why then says why. */
int walk_kind(const char *name, int forced_kind, const char **why);

#endif
