/*
** ingest_report.h — what the two runs of the ingest library (ingest.c over paths,
** fetch/fetch_run.c over URLs) share: their messages and their counts (internal).
*/
#ifndef NEWSIDX_INGEST_REPORT_H
#define NEWSIDX_INGEST_REPORT_H

#include "ingest.h"

/* A batch (one write transaction) holds at most this many articles unless --batch says
** otherwise, and at most this many bytes of text: a transaction of big articles keeps FTS5's
** pending terms and the write-ahead log within bounds. (Larger batches than 2,000 articles did
** not make indexing faster: FTS5 flushes its pending terms every megabyte anyway.) */
#define INGEST_DEFAULT_BATCH 2000
#define INGEST_BATCH_BYTES   (32u << 20)

/* Formats a message and hands it to options->report (nothing when there is none). */
void ingest_say(const ingest_options *options, ingest_level level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Counts a stored article's outcome in *counts. */
void ingest_count_outcome(ingest_counts *counts, newsidx_store_outcome outcome);

/* Stores `article` (a title or a body: not empty) inside the caller's transaction and counts
** its outcome; one the index refuses (NEWSIDX_INPUT) is reported under `where`, counted as an
** error, and the run goes on. *stored says whether it was stored. Returns the failure of the
** database (err says it), else NEWSIDX_OK. */
newsidx_status_t ingest_store_counted(newsidx_db *db, const ingest_options *options,
                                      ingest_counts *counts, const newsidx_article *article,
                                      const newsidx_prepared *prepared, const char *where,
                                      int *stored, newsidx_error *err);

#endif
