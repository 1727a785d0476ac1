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

typedef enum input_kind { KIND_TEXT = 0, KIND_JSONL = 1 } input_kind;

typedef struct walk_file {
  char *path; /* absolute, canonical */
  input_kind kind;
  int64_t size;  /* bytes */
  int64_t mtime; /* nanoseconds since the epoch */
} walk_file;

typedef struct walk_list {
  walk_file *files;
  size_t n_files, cap;
  long long total_bytes;
  long n_skipped; /* hidden, backups, unknown types, repeated directories */
  long n_errors;  /* unreadable entries */
} walk_list;

/* Called for every skipped or unreadable entry: `error` is non-zero for the unreadable ones
** (always worth a message), zero for quiet skips (worth one with --verbose). */
typedef void (*walk_report_fn)(void *ctx, int error, const char *path, const char *why);

/* Adds the files under `path` to `list`. `forced_kind` (-1 for none) overrides the type of
** every file. Fails only for out-of-memory; a missing path is reported and counted. */
newsidx_status_t walk_path(const char *path, int forced_kind, walk_list *list,
                           walk_report_fn report, void *ctx, newsidx_error *err);

/* The kind a file name stands for, or -1 when it is of unknown type or to be skipped;
** *why then says why ("hidden", "editor backup", "unknown type"). */
int walk_classify(const char *name, const char **why);

/* The kind of a file called `name` found in a folder: walk_classify()'s, or `forced_kind` when
** it is not -1, which still leaves out hidden files and backups. -1 when the file is skipped;
** *why then says why. */
int walk_kind(const char *name, int forced_kind, const char **why);

void walk_list_free(walk_list *list);

#endif
