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

/*
** Watching: following folders with inotify, for `newsidx watch` (walk/watch_tree.c).
**
** A watch_tree keeps an inotify watch on every folder under its roots, recursively (hidden
** folders are left out, as the walk leaves them out; a folder reached twice, as through a
** symlink loop, is watched once), and turns the kernel's events into the changes the next
** batch must index:
**
**   - a file written and closed (IN_CLOSE_WRITE), moved in (IN_MOVED_TO), or created as a
**     symlink or a hard link (IN_CREATE of something already complete): index it;
**   - a JSON Lines file written to while its writer keeps it open (IN_MODIFY): index it, as
**     the reader takes only complete lines; a text file waits until it is closed;
**   - a folder created or moved in: watch it and everything under it at once, and index it
**     whole, so that files written into it before its watch existed are not missed;
**   - a file or folder deleted or moved away: gone (the caller prunes it with --prune);
**   - IN_Q_OVERFLOW, the kernel dropped events: every folder is watched again and the next
**     batch re-scans the roots (watch_changes.rescan);
**   - a root deleted, moved away or unmounted: reported as an error and no longer watched.
**
** File names are judged as the walk judges them (walk_kind()): hidden files, editor backups
** and temporary files, and files of unknown type are left out. Events only note paths; the
** state of the file system when a batch is taken decides what happens to each (a path that
** was deleted and written again is indexed, one written and then deleted is gone).
** Messages go to the report callback; the module never prints.
*/

#include <stddef.h>

typedef struct watch_tree watch_tree;

/* Starts watching the folders `roots` (n_roots of them) and every folder under them.
** `forced_kind` is --format (-1 for none), as for walk_kind(). Folders that cannot be watched
** (no permission, the kernel's limit of watches reached) are reported and left out.
** Fails with NEWSIDX_IO (inotify unavailable; a root that is missing or not a folder; the
** message names it), NEWSIDX_NOMEM. Close with watch_tree_close(). */
newsidx_status_t watch_tree_open(char *const *roots, int n_roots, int forced_kind,
                                 ingest_report_fn report, void *ctx, watch_tree **out,
                                 newsidx_error *err);
void watch_tree_close(watch_tree *t);

/* The inotify descriptor (non-blocking, close-on-exec): poll() it for POLLIN. */
int watch_tree_fd(const watch_tree *t);

/* Reads the events available now, without blocking, and notes the changes they stand for.
** Adds to *n_noted (may be NULL) the number of events that noted a change (ignored names do
** not count). Fails with NEWSIDX_IO (reading the descriptor) or NEWSIDX_NOMEM. */
newsidx_status_t watch_tree_read(watch_tree *t, int *n_noted, newsidx_error *err);

/* Notes the changes of `n` bytes of struct inotify_event records, as read from the
** descriptor; watch_tree_read() calls it, and tests feed it events the kernel rarely sends
** (IN_Q_OVERFLOW). Same results as watch_tree_read(). */
newsidx_status_t watch_tree_handle(watch_tree *t, const char *events, size_t n, int *n_noted,
                                   newsidx_error *err);

/* Asks for a re-scan of every root with the next batch (SIGHUP; the start of a watch). */
void watch_tree_request_rescan(watch_tree *t);

/* Non-zero when changes wait for a batch. */
int watch_tree_pending(const watch_tree *t);

/* The number of roots still watched (0 once every root is gone). */
int watch_tree_roots_alive(const watch_tree *t);

/* What a batch has to do. All paths are absolute and canonical, and owned by the struct. */
typedef struct watch_changes {
  char **paths; /* files and folders to index, none under another: the roots when rescan */
  size_t n_paths;
  char **gone; /* files and folders deleted or moved away, still absent */
  size_t n_gone;
  int rescan; /* the roots are re-scanned (overflow, SIGHUP, the start) */
} watch_changes;

/* Writes the pending changes to *out (free with watch_changes_free()), judged against the
** file system as it is now; they stay pending until watch_tree_clear(), so that a batch that
** fails can be taken again later, with what happened meanwhile. Fails with NEWSIDX_NOMEM. */
newsidx_status_t watch_tree_take(watch_tree *t, watch_changes *out, newsidx_error *err);

/* Forgets the pending changes, after a batch indexed what watch_tree_take() gave. Call it
** before reading more events: what was read after the take would be forgotten too. */
void watch_tree_clear(watch_tree *t);

void watch_changes_free(watch_changes *c);

#endif
