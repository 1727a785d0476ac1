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

/* ---- Fetching URLs (fetch/) ------------------------------------------------------------
** `newsidx URL...` and `--feeds FILE`: each URL is fetched with libcurl (http and https only)
** and what came is read by the readers that read files (readers/document.c): a feed gives
** its items, keyed "URL#guid"; JSON Lines their records; text one article keyed by the URL.
** The URL is the input's name in input_files. A URL's articles are stored in the same
** transaction as the validators (ETag, Last-Modified) that make its next fetch conditional,
** and a transaction is committed before the run waits for the network: a run stopped or
** killed half-way keeps every URL whose answer had come before, and fetches the rest whole
** next time. */

/* A URL to fetch, with what a subscription list says of it (NULL when it says nothing): the
** source name of its articles that name none, and tags added to each article's. */
typedef struct ingest_url {
  const char *url;
  const char *source;
  const char *tags; /* comma-separated */
} ingest_url;

typedef struct ingest_fetch_options {
  long connect_timeout_s; /* to connect, seconds */
  long timeout_s;         /* for the whole request, seconds */
  long long max_bytes;    /* the largest response body taken (decoded); larger ones fail */
  long delay_ms;          /* between the end of a request to a host and the next to it */
  long max_retry_wait_s;  /* the longest Retry-After (429, 503) waited for before one retry */
} ingest_fetch_options;

/* Connect in 10 s, all in 60 s, 20 MB at most, 1 s between requests to one host, and a
** Retry-After of up to 120 s waited for. */
#define INGEST_FETCH_DEFAULTS                                                                      \
  { 10, 60, 20LL << 20, 1000, 120 }

/* The User-Agent of every request: newsidx/VERSION (+NEWSIDX_PROJECT_URL). */
const char *ingest_user_agent(void);

/* Non-zero when `arg` is an http:// or https:// URL rather than a path. */
int ingest_is_url(const char *arg);

/* Fetches and indexes every URL, one request at a time, waiting delay_ms between two requests
** to the same host. A URL that fails (DNS, TLS, connection, timeout, HTTP status >= 400, a
** body too large or neither a feed nor a page) is reported in one line naming it, counted in
** counts->errors and recorded for `newsidx feeds`; the others go on. A 304 (the URL is
** unchanged since the validators stored) counts its articles unchanged and stores nothing
** but the time it was asked. When `results` is not NULL, results[i] says how urls[i] went
** (all 0 for a URL the run did not come to). Returns as ingest_paths() does; counts add to
** *counts. */
typedef struct ingest_url_result {
  int failed;    /* the URL failed (or gave a record that could not be indexed) */
  long update_s; /* how often its feed says it changes (sy:updatePeriod, <ttl>), seconds; 0 when
                 ** it says nothing, or was not read (a 304) */
} ingest_url_result;

newsidx_status_t ingest_urls(newsidx_db *db, const ingest_url *urls, int n_urls,
                             const ingest_options *options, const ingest_fetch_options *fetch,
                             ingest_counts *counts, ingest_url_result *results, newsidx_error *err);

/* A subscription list, read by ingest_read_subscriptions(). */
typedef struct ingest_subscriptions {
  ingest_url *urls; /* their strings owned by the list */
  int n;
} ingest_subscriptions;

/* Reads the subscription list at `path`: an OPML file (every feed reader exports one; each
** <outline xmlUrl=...> is a URL, its title the source name, its category and the titles of
** the outlines around it its tags), or a plain list of URLs, one a line, with # comments and
** blank lines. Fails with NEWSIDX_IO (unreadable), NEWSIDX_INPUT (not OPML and a line that is
** not an http(s) URL: "path:line: why"), NEWSIDX_NOMEM. Free *out with
** ingest_subscriptions_free(), also after a failure. */
newsidx_status_t ingest_read_subscriptions(const char *path, ingest_subscriptions *out,
                                           newsidx_error *err);
void ingest_subscriptions_free(ingest_subscriptions *subs);

/* Watching folders with inotify, for newsidx watch (walk/watch_tree.c). */
#include "walk/watch.h"

#endif
