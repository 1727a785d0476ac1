/*
** read_ahead.h — reading and preparing the inputs on a second thread while the writer stores
** (internal to the ingest library).
**
** The writer (ingest.c) owns the database: it decides which files to read (those the index
** does not know as they are) and hands each to the reader thread as a job. The reader thread
** reads the job's file, parses its articles and prepares them (newsidx_prepare_article():
** content hash, tokens, ledger terms), and gives back items, in order, through a queue
** bounded by bytes: what the writer then only has to store. Messages about the input travel
** with the items, so that they come out in the order a single thread would print them.
*/
#ifndef NEWSIDX_READ_AHEAD_H
#define NEWSIDX_READ_AHEAD_H

#include "ingest.h"
#include "walk.h"

typedef enum read_kind {
  READ_TEXT,  /* a text file: one article */
  READ_JSONL, /* a JSON Lines file, from where the index stopped if it was appended to */
  READ_STDIN, /* JSON Lines on standard input */
  READ_FEED,  /* an RSS or Atom feed: all of it, each time it changed */
  READ_CSV,   /* a CSV or TSV file (file.kind says which), read on as JSON Lines are */
  READ_HTML   /* an HTML page: one article, read as a feed of one item is */
} read_kind;

/* A file for the reader thread. The writer allocates it (read_job_new()) and frees it
** (read_job_free()) once it has taken the job's ITEM_END. */
typedef struct read_job {
  read_kind kind;
  walk_file file;           /* file.path owned by the job ("-" for standard input) */
  newsidx_input_file known; /* READ_JSONL, READ_CSV: what the index knows (offset 0: nothing) */
  int unknown;              /* the index knew nothing of the file when it was looked up */
} read_job;

typedef enum read_item_type {
  ITEM_START,   /* READ_JSONL, READ_FEED, READ_HTML: reading starts, from known.offset when
                ** `appended` (JSON Lines only), else from 0 */
  ITEM_ARTICLE, /* an article, prepared or not */
  ITEM_SKIPPED, /* READ_TEXT: a binary file, skipped */
  ITEM_BAD,     /* input that could not be read: a bad line, an unreadable file */
  ITEM_FAILED,  /* the run cannot go on (out of memory): `err` */
  ITEM_END      /* the job is done; READ_JSONL: `at_end` once the whole file was read */
} read_item_type;

#define READ_MAX_NOTES 3

/* What the reader gives back. Strings are owned by the item. */
typedef struct read_item {
  read_item_type type;
  read_job *job;
  int n_notes; /* messages to show first, in order */
  struct {
    ingest_level level;
    char *text;
  } notes[READ_MAX_NOTES];
  newsidx_article article; /* ITEM_ARTICLE */
  newsidx_prepared *prepared;
  long line;       /* JSON Lines, CSV: the number of the last line read, */
  long long bytes; /* and the offset after it */
  long row_line;   /* CSV: the line where the record starts (a row may span lines); else 0 */
  int appended;    /* ITEM_START */
  int wide;        /* ITEM_START: decoded from UTF-16 or UTF-32, so `bytes` are not the file's */
  int at_end;      /* ITEM_END */
  long long partial;
  newsidx_error err; /* ITEM_FAILED */
  /* private */
  char date[NEWSIDX_DATE_MAX];
  char *storage;
  char *body; /* JSON Lines: the record's body, taken from the reader */
  size_t size;
  struct read_item *next;
} read_item;

typedef struct read_ahead read_ahead;

/* The most jobs the writer may have given and not yet finished. A folder gives a job per file,
** and while the writer commits a batch (FTS5's segment, the ledger, the WAL: tens of ms) the
** reader can work only through the jobs it already has: with 64, it sat idle for most of each
** commit, and a first build of Reuters-21578's 21,578 files took 0.70 s, not 0.62 s. The bytes
** of the items read ahead stay capped (READ_AHEAD_BYTES in read_ahead.c). */
#define READ_AHEAD_JOBS 512

/* Starts the reader thread. `analyzer` (may be NULL: articles are not prepared) is used by the
** thread until read_ahead_stop(). Fails with NEWSIDX_NOMEM, NEWSIDX_ERROR. */
newsidx_status_t read_ahead_start(newsidx_analyzer *analyzer, read_ahead **out, newsidx_error *err);

/* Gives the thread a job (taking it). Never blocks: the caller keeps at most READ_AHEAD_JOBS
** jobs unfinished. */
void read_ahead_push(read_ahead *ra, read_job *job);

/* The next item, in the order of the jobs; waits for it. */
read_item *read_ahead_next(read_ahead *ra);

void read_item_free(read_item *item);

/* The writer is done with `item`: the reader thread, which allocated it, frees it (later; the
** item must not be used again). Writer thread only. */
void read_ahead_recycle(read_ahead *ra, read_item *item);

/* Stops the thread, abandoning what it has not handed over, and frees everything but the jobs
** the writer still holds. */
void read_ahead_stop(read_ahead *ra);

/* A job for `file` (its path is copied); NULL when out of memory. */
read_job *read_job_new(read_kind kind, const walk_file *file, const newsidx_input_file *known);
void read_job_free(read_job *job);

#endif
