/*
** fetch.h — HTTP requests with libcurl (fetch.c) and politeness toward hosts (politeness.c),
** internal to ingest/fetch/. Only these files know about HTTP; what comes back is bytes with
** a content type, handed to the readers (readers/document.c) by fetch_run.c.
*/
#ifndef NEWSIDX_FETCH_H
#define NEWSIDX_FETCH_H

#include "ingest.h"

#include <signal.h>

/* ---- fetch.c ----------------------------------------------------------------------------- */

/* What one GET brought back. Strings owned by the response (fetch_response_free()). */
typedef struct fetch_response {
  long status; /* the HTTP status of the last response (after redirects) */
  char *body;  /* n bytes, NUL-terminated, decoded (gzip, deflate, br) */
  size_t n;
  char *content_type;  /* as sent, or NULL */
  char *etag;          /* as sent, or NULL */
  char *last_modified; /* as sent, or NULL */
  char *final_url;     /* the URL answered, when redirects led elsewhere; else NULL */
  long redirects;      /* how many were followed */
  long retry_after_s;  /* Retry-After of a 429 or 503, seconds; -1 when none */
} fetch_response;

typedef struct fetcher fetcher;

/* A fetcher with `options` (copied); `stop` or `quit` (either may be NULL) abort a transfer
** when set.
** One connection cache for the run: requests to a host reuse its connection. Fails with
** NEWSIDX_NOMEM, NEWSIDX_ERROR (libcurl could not start). */
newsidx_status_t fetcher_open(const ingest_fetch_options *options, volatile sig_atomic_t *stop,
                              volatile sig_atomic_t *quit, fetcher **out, newsidx_error *err);
void fetcher_close(fetcher *f);

/* GETs `url`, conditionally when `etag` or `last_modified` (from the last fetch; may be NULL)
** are given: a 304 then has no body. Follows up to FETCH_MAX_REDIRECTS redirects. Returns
** NEWSIDX_OK when an HTTP answer came, whatever its status; NEWSIDX_IO when none did (DNS,
** TLS, connection, timeout, a truncated or too large body: "url: why"), NEWSIDX_INTERRUPTED
** when `stop` was set, NEWSIDX_NOMEM. *out is filled in every case (free it). */
newsidx_status_t fetch_get(fetcher *f, const char *url, const char *etag, const char *last_modified,
                           fetch_response *out, newsidx_error *err);
void fetch_response_free(fetch_response *r);

/* Redirects followed at most (the 5: enough for http→https→www→path moves). */
#define FETCH_MAX_REDIRECTS 5

/* Writes the host of `url` (lower case, without port) to `host`; 0 when it has none. */
int fetch_host(const char *url, char *host, size_t size);

/* ---- politeness.c ------------------------------------------------------------------------ */

/* When each host may be asked next. One request at a time in all, so one per host. */
typedef struct polite polite;

polite *polite_new(long delay_ms);
void polite_free(polite *p);

/* Sleeps until `host` may be asked again; returns early, with 0, when `stop` or `quit` is set
** (either may be NULL). One thread at a time. */
int polite_wait(polite *p, const char *host, volatile sig_atomic_t *stop,
                volatile sig_atomic_t *quit);

/* Says that a request to `host` ended now: the next waits the delay, or `at_least_ms` when
** longer (a Retry-After). */
void polite_done(polite *p, const char *host, long at_least_ms);

#endif
