/*
** fetch_run.c — fetching URLs and indexing what they give: ingest_urls(). See ingest.h.
**
** For each URL: wait for its host (politeness.c), GET it conditionally with the validators of
** its last fetch (fetch.c), and read a 200's body with the readers that read files
** (readers/document.c). Its articles, its input_files row and its fetched row (the new
** validators) commit in one transaction: a run killed before the commit left nothing of that
** URL, and the next run, without its validators, fetches and reads it whole again; one killed
** after left all of it. A URL that fails records only its error, its validators kept.
*/
#include "fetch.h"
#include "ingest_report.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fetch_run {
  newsidx_db *db;
  const ingest_options *options;
  ingest_counts *counts;
  newsidx_error *err;
  fetcher *fetcher;
  polite *polite;
  long max_retry_wait_s;
} fetch_run;

/* What the articles of one URL are stored with. */
typedef struct url_store {
  fetch_run *run;
  const ingest_url *url;
  int64_t items; /* articles it gave */
} url_store;

#define say(r, ...) ingest_say((r)->options, __VA_ARGS__)

static int stop_requested(fetch_run *r) { return r->options->stop && *r->options->stop; }

/* The tags of a subscription joined to an article's own: "own,subscription". */
static char *join_tags(const char *own, const char *extra) {
  size_t n = (own ? strlen(own) + 1 : 0) + strlen(extra) + 1;
  char *tags = malloc(n);
  if (tags) snprintf(tags, n, "%s%s%s", own ? own : "", own && *own ? "," : "", extra);
  return tags;
}

/* Stores one record of the URL's document, with the subscription's source and tags. */
static newsidx_status_t store_record(void *ctx, const newsidx_article *record, const char *where,
                                     const char *warning) {
  url_store *u = ctx;
  fetch_run *r = u->run;
  if (warning) say(r, INGEST_WARNING, "%s: %s", where, warning);
  if (reader_article_empty(record)) {
    r->counts->skipped++;
    say(r, INGEST_VERBOSE, "%s: empty article, skipped", where);
    return NEWSIDX_OK;
  }
  newsidx_article a = *record;
  if ((!a.source || !*a.source) && u->url->source) a.source = u->url->source;
  char *tags = NULL;
  if (u->url->tags && *u->url->tags && !(tags = join_tags(a.tags, u->url->tags)))
    return newsidx_error_set(r->err, NEWSIDX_NOMEM, "out of memory");
  if (tags) a.tags = tags;
  int stored;
  newsidx_status_t status =
      ingest_store_counted(r->db, r->options, r->counts, &a, NULL, where, &stored, r->err);
  free(tags);
  if (status != NEWSIDX_OK) return status;
  u->items += stored;
  if (r->options->progress) r->options->progress(r->options->ctx, r->counts);
  return NEWSIDX_OK;
}

static void bad_record(void *ctx, const char *message) {
  url_store *u = ctx;
  u->run->counts->errors++;
  say(u->run, INGEST_ERROR, "%s", message);
}

/* Records the state of a URL in a transaction of its own (a failure, a 304). */
static newsidx_status_t put_state_alone(fetch_run *r, const newsidx_fetch_state *state) {
  newsidx_status_t status = newsidx_begin(r->db, r->err);
  if (status == NEWSIDX_OK) status = newsidx_fetch_state_put(r->db, state, r->err);
  if (status == NEWSIDX_OK) return newsidx_commit(r->db, r->err);
  newsidx_rollback(r->db);
  return status;
}

/* A URL that failed: one line, one error counted, and its error recorded with the validators
** of the last fetch that worked (so that the next is still conditional). */
static newsidx_status_t url_failed(fetch_run *r, newsidx_fetch_state *state, long http_status,
                                   const char *message) {
  r->counts->errors++;
  say(r, INGEST_ERROR, "%s", message);
  state->http_status = (int)http_status;
  state->error = message;
  return put_state_alone(r, state);
}

/* A 200: its document read and stored, with the URL's new state, in one transaction. A body
** that no reader takes is the URL's failure, and nothing of it is stored. */
static newsidx_status_t url_fetched(fetch_run *r, const ingest_url *url, fetch_response *res,
                                    newsidx_fetch_state *state) {
  const char *name = url->url;
  document_kind kind = document_kind_of(res->content_type, name, res->body, res->n);
  url_store u = {r, url, 0};
  char warning[512];
  newsidx_error local;
  newsidx_status_t status = newsidx_begin(r->db, r->err);
  if (status != NEWSIDX_OK) return status;
  status = document_read(res->body, res->n, kind, name, store_record, bad_record, &u, warning,
                         sizeof warning, &local);
  if (status == NEWSIDX_INPUT) {
    newsidx_rollback(r->db);
    char message[1200];
    snprintf(message, sizeof message, "%s (content type %s)", local.message,
             res->content_type ? res->content_type : "none");
    return url_failed(r, state, res->status, message);
  }
  if (status != NEWSIDX_OK && status != NEWSIDX_NOMEM) { /* the database's: the run ends */
    newsidx_rollback(r->db);
    return status;
  }
  if (status == NEWSIDX_NOMEM) {
    newsidx_rollback(r->db);
    if (r->err) *r->err = local;
    return status;
  }
  if (warning[0]) say(r, INGEST_WARNING, "%s", warning);
  newsidx_input_file file = {name, (int64_t)res->n, -1, (int64_t)res->n, 0, 0, 0};
  *state = (newsidx_fetch_state){name,
                                 res->etag,
                                 res->last_modified,
                                 NULL,
                                 (int)res->status,
                                 res->final_url,
                                 (int)res->redirects,
                                 u.items,
                                 NULL};
  status = newsidx_input_file_put(r->db, &file, r->err);
  if (status == NEWSIDX_OK) status = newsidx_fetch_state_put(r->db, state, r->err);
  if (status == NEWSIDX_OK) return newsidx_commit(r->db, r->err);
  newsidx_rollback(r->db);
  return status;
}

/* GETs the URL once, or twice when a 429 or 503 asks to wait no longer than the run waits. */
static newsidx_status_t get_politely(fetch_run *r, const char *url, const char *host,
                                     const newsidx_fetch_state *known, fetch_response *res,
                                     newsidx_error *local) {
  *res = (fetch_response){.retry_after_s = -1};
  for (int attempt = 0;; attempt++) {
    if (!polite_wait(r->polite, host, r->options->stop))
      return newsidx_error_set(local, NEWSIDX_INTERRUPTED, "%s: interrupted", url);
    newsidx_status_t status =
        fetch_get(r->fetcher, url, known->etag, known->last_modified, res, local);
    long wait_s = res->retry_after_s;
    /* the host is left alone as long as it asked, up to the longest wait the run accepts */
    long rest_s = wait_s > r->max_retry_wait_s ? r->max_retry_wait_s : wait_s;
    polite_done(r->polite, host, rest_s > 0 ? rest_s * 1000 : 0);
    if (status != NEWSIDX_OK || wait_s < 0 || attempt > 0 || wait_s > r->max_retry_wait_s)
      return status;
    say(r, INGEST_VERBOSE, "%s: HTTP %ld, asked to retry after %ld s", url, res->status, wait_s);
    fetch_response_free(res);
  }
}

/* One URL: fetched, and what came stored or reported. Returns a failure of the run (the
** database, memory, a stop), never the URL's own. */
static newsidx_status_t fetch_one(fetch_run *r, const ingest_url *url) {
  char host[256];
  if (!ingest_is_url(url->url) || !fetch_host(url->url, host, sizeof host)) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s: not an http or https URL", url->url);
    return NEWSIDX_OK;
  }
  newsidx_fetch_state known = {0};
  char *owned = NULL;
  newsidx_status_t status = newsidx_fetch_state_get(r->db, url->url, &known, &owned, r->err);
  if (status == NEWSIDX_NOT_FOUND) status = NEWSIDX_OK;
  if (status != NEWSIDX_OK) return status;
  fetch_response res;
  newsidx_error local;
  status = get_politely(r, url->url, host, &known, &res, &local);
  newsidx_fetch_state state = {url->url,        known.etag,      known.last_modified, NULL, 0,
                               known.final_url, known.redirects, known.items,         NULL};
  char message[1200];
  if (status == NEWSIDX_IO) {
    status = url_failed(r, &state, 0, local.message);
  } else if (status != NEWSIDX_OK) {
    if (r->err) *r->err = local;
  } else if (res.status == 304) {
    state.http_status = 304;
    if (res.etag) state.etag = res.etag; /* a 304 may bring new validators */
    if (res.last_modified) state.last_modified = res.last_modified;
    int64_t n = 0;
    status = newsidx_count_from_path(r->db, url->url, &n, r->err);
    r->counts->unchanged += (long)n;
    if (status == NEWSIDX_OK) status = put_state_alone(r, &state);
  } else if (res.status < 200 || res.status >= 300) { /* >= 400 mostly; 3xx past the redirects */
    snprintf(message, sizeof message, "%s: HTTP status %ld%s", url->url, res.status,
             res.retry_after_s >= 0 ? " (Retry-After longer than the run waits)" : "");
    status = url_failed(r, &state, res.status, message);
  } else {
    r->counts->bytes += (long long)res.n;
    status = url_fetched(r, url, &res, &state);
  }
  r->counts->files++;
  fetch_response_free(&res);
  free(owned);
  return status;
}

newsidx_status_t ingest_urls(newsidx_db *db, const ingest_url *urls, int n_urls,
                             const ingest_options *options, const ingest_fetch_options *fetch,
                             ingest_counts *counts, int *failed, newsidx_error *err) {
  fetch_run r = {
      db, options, counts, err, NULL, polite_new(fetch->delay_ms), fetch->max_retry_wait_s};
  if (!r.polite) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  newsidx_status_t status = fetcher_open(fetch, options->stop, &r.fetcher, err);
  if (failed) memset(failed, 0, (size_t)n_urls * sizeof *failed);
  for (int i = 0; status == NEWSIDX_OK && i < n_urls && !stop_requested(&r); i++) {
    long errors = counts->errors;
    status = fetch_one(&r, &urls[i]);
    /* the URL's own failures are counted as errors; a bad record of a good URL is too, and
    ** makes it count as failed: it is fetched again sooner, which does no harm */
    if (failed) failed[i] = counts->errors > errors;
  }
  fetcher_close(r.fetcher);
  polite_free(r.polite);
  if (status == NEWSIDX_OK && stop_requested(&r)) return NEWSIDX_INTERRUPTED;
  return status;
}
