/*
** fetch_run.c — fetching URLs and indexing what they give: ingest_urls(). See ingest.h.
**
** A thread of its own fetches the URLs in order, one request at a time: it waits for each
** URL's host (politeness.c) and GETs it conditionally with the validators of its last fetch
** (fetch.c), up to FETCH_AHEAD answers ahead. The calling thread, which alone uses the
** database, reads each 200's body with the readers that read files (readers/document.c) and
** stores the articles, the URL's input_files row and its fetched row (the new validators) in
** the same transaction. A transaction spans URLs while their answers are there (a batch of up
** to batch_articles articles, as for files) and is committed before waiting for the network:
** it is never held open across a request. A run killed before a commit left nothing of the
** URLs of that batch, validators included, and the next run fetches and reads them whole
** again; one killed after left all of them. A URL that fails records only its error, its
** validators kept.
*/
#include "fetch.h"
#include "ingest_report.h"
#include "reader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers fetched ahead of the one being stored, at most (each up to max_bytes). */
#define FETCH_AHEAD 2

/* One URL of the run: what the fetching thread needs (read before it starts), then what it
** brought back. */
typedef struct url_job {
  int valid; /* an http(s) URL with a host */
  char host[256];
  newsidx_fetch_state known; /* the last fetch's (strings in `owned`) */
  char *owned;
  newsidx_status_t status; /* of the GET: NEWSIDX_OK when an answer came */
  newsidx_error err;
  fetch_response res;
  long retried_after_s; /* the Retry-After waited for before the answer; 0 when none */
  long update_s;        /* the feed's own update interval, once read */
} url_job;

typedef struct fetch_run {
  newsidx_db *db;
  const ingest_options *options;
  ingest_counts *counts;
  newsidx_error *err;
  fetcher *fetcher;
  polite *polite;
  long max_retry_wait_s;
  int in_batch;            /* a transaction is open */
  long batch_articles;     /* articles stored in it, */
  size_t batch_bytes;      /* and the bytes of the bodies they came from */
  ingest_counts committed; /* the counts as of the last commit */
  /* the fetching thread's side, under `lock` */
  url_job *jobs;
  int n_jobs;
  int n_fetched;              /* jobs[0..n_fetched) have their answer */
  int n_taken;                /* and those before this were stored: their answers freed */
  volatile sig_atomic_t quit; /* the storing side gave up: the fetching thread ends */
  pthread_mutex_t lock;
  pthread_cond_t changed;
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

static newsidx_status_t ensure_batch(fetch_run *r) {
  if (r->in_batch) return NEWSIDX_OK;
  newsidx_status_t status = newsidx_begin(r->db, r->err);
  r->in_batch = status == NEWSIDX_OK;
  r->batch_articles = 0;
  r->batch_bytes = 0;
  return status;
}

static newsidx_status_t end_batch(fetch_run *r) {
  if (!r->in_batch) return NEWSIDX_OK;
  r->in_batch = 0;
  newsidx_status_t status = newsidx_commit(r->db, r->err); /* rolls back when it fails */
  if (status == NEWSIDX_OK) r->committed = *r->counts;
  return status;
}

/* Records the state of a URL in the batch (a failure, a 304). */
static newsidx_status_t put_state_alone(fetch_run *r, const newsidx_fetch_state *state) {
  newsidx_status_t status = ensure_batch(r);
  if (status == NEWSIDX_OK) status = newsidx_fetch_state_put(r->db, state, r->err);
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

/* A 200: its document read and stored, with the URL's new state, in the batch. A body that no
** reader takes is the URL's failure, and nothing of it is stored (the readers refuse a body
** before they give a record: nothing of the URL is in the batch then). */
static newsidx_status_t url_fetched(fetch_run *r, const ingest_url *url, fetch_response *res,
                                    newsidx_fetch_state *state, long *update_s) {
  const char *name = url->url;
  document_kind kind = document_kind_of(res->content_type, name, res->body, res->n);
  url_store u = {r, url, 0};
  document_info info;
  newsidx_error local;
  newsidx_status_t status = ensure_batch(r);
  if (status != NEWSIDX_OK) return status;
  status =
      document_read(res->body, res->n, kind, name, store_record, bad_record, &u, &info, &local);
  *update_s = info.update_s;
  r->batch_articles += (long)u.items;
  r->batch_bytes += res->n;
  if (status == NEWSIDX_INPUT) {
    char message[1200];
    snprintf(message, sizeof message, "%s (content type %s)", local.message,
             res->content_type ? res->content_type : "none");
    return url_failed(r, state, res->status, message);
  }
  if (status == NEWSIDX_NOMEM && r->err) *r->err = local;
  if (status != NEWSIDX_OK) return status; /* the database's, or memory: the run ends */
  if (info.warning[0]) say(r, INGEST_WARNING, "%s", info.warning);
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
  return status;
}

/* GETs the URL once, or twice when a 429 or 503 asks to wait no longer than the run waits
** (*retried_after_s says how long). On the fetching thread: no message, no database. */
static newsidx_status_t get_politely(fetch_run *r, const char *url, const char *host,
                                     const newsidx_fetch_state *known, fetch_response *res,
                                     long *retried_after_s, newsidx_error *local) {
  *res = (fetch_response){.retry_after_s = -1};
  *retried_after_s = 0;
  for (int attempt = 0;; attempt++) {
    if (!polite_wait(r->polite, host, r->options->stop, &r->quit))
      return newsidx_error_set(local, NEWSIDX_INTERRUPTED, "%s: interrupted", url);
    newsidx_status_t status =
        fetch_get(r->fetcher, url, known->etag, known->last_modified, res, local);
    long wait_s = res->retry_after_s;
    /* the host is left alone as long as it asked, up to the longest wait the run accepts */
    long rest_s = wait_s > r->max_retry_wait_s ? r->max_retry_wait_s : wait_s;
    polite_done(r->polite, host, rest_s > 0 ? rest_s * 1000 : 0);
    if (status != NEWSIDX_OK || wait_s < 0 || attempt > 0 || wait_s > r->max_retry_wait_s)
      return status;
    *retried_after_s = wait_s;
    fetch_response_free(res);
  }
}

/* The fetching thread: every valid job's GET in order, at most FETCH_AHEAD ahead of the
** storing side, until the jobs are done, a stop, or `quit`. */
static void *fetch_ahead(void *arg) {
  fetch_run *r = arg;
  for (int i = 0; i < r->n_jobs; i++) {
    pthread_mutex_lock(&r->lock);
    while (i - r->n_taken >= FETCH_AHEAD && !r->quit)
      pthread_cond_wait(&r->changed, &r->lock);
    int quit = r->quit;
    pthread_mutex_unlock(&r->lock);
    if (quit) break;
    url_job *job = &r->jobs[i];
    job->status = NEWSIDX_OK;
    job->res = (fetch_response){.retry_after_s = -1};
    if (job->valid)
      job->status = get_politely(r, job->known.url, job->host, &job->known, &job->res,
                                 &job->retried_after_s, &job->err);
    pthread_mutex_lock(&r->lock);
    r->n_fetched = i + 1;
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
  }
  return NULL;
}

/* Waits for job i's answer. The batch is committed first when the answer is not there yet:
** no transaction waits for the network. Returns the commit's failure, else NEWSIDX_OK. */
static newsidx_status_t wait_for_answer(fetch_run *r, int i) {
  pthread_mutex_lock(&r->lock);
  int ready = r->n_fetched > i;
  pthread_mutex_unlock(&r->lock);
  newsidx_status_t status = ready ? NEWSIDX_OK : end_batch(r);
  if (status != NEWSIDX_OK) return status; /* the run ends: the transfer is aborted */
  pthread_mutex_lock(&r->lock);
  while (r->n_fetched <= i)
    pthread_cond_wait(&r->changed, &r->lock);
  pthread_mutex_unlock(&r->lock);
  return status;
}

/* Job i is stored: its answer is freed and the fetching thread may go one further. */
static void job_taken(fetch_run *r, int i) {
  fetch_response_free(&r->jobs[i].res);
  pthread_mutex_lock(&r->lock);
  r->n_taken = i + 1;
  pthread_cond_broadcast(&r->changed);
  pthread_mutex_unlock(&r->lock);
}

/* Stores what one URL's GET brought, or reports its failure. Returns a failure of the run
** (the database, memory, a stop), never the URL's own. */
static newsidx_status_t store_answer(fetch_run *r, const ingest_url *url, url_job *job) {
  if (!job->valid) {
    r->counts->errors++;
    say(r, INGEST_ERROR, "%s: not an http or https URL", url->url);
    return NEWSIDX_OK;
  }
  const newsidx_fetch_state *known = &job->known;
  fetch_response *res = &job->res;
  newsidx_status_t status = job->status;
  if (job->retried_after_s > 0)
    say(r, INGEST_VERBOSE, "%s: asked to retry after %ld s; retried", url->url,
        job->retried_after_s);
  newsidx_fetch_state state = {url->url,         known->etag,      known->last_modified, NULL, 0,
                               known->final_url, known->redirects, known->items,         NULL};
  char message[1200];
  if (status == NEWSIDX_IO) {
    status = url_failed(r, &state, 0, job->err.message);
  } else if (status != NEWSIDX_OK) {
    if (r->err) *r->err = job->err;
  } else if (res->status == 304) {
    state.http_status = 304;
    if (res->etag) state.etag = res->etag; /* a 304 may bring new validators */
    if (res->last_modified) state.last_modified = res->last_modified;
    int64_t n = 0;
    status = newsidx_count_from_path(r->db, url->url, &n, r->err);
    r->counts->unchanged += (long)n;
    if (status == NEWSIDX_OK) status = put_state_alone(r, &state);
  } else if (res->status < 200 || res->status >= 300) { /* >= 400 mostly; 3xx past redirects */
    snprintf(message, sizeof message, "%s: HTTP status %ld%s", url->url, res->status,
             res->retry_after_s >= 0 ? " (Retry-After longer than the run waits)" : "");
    status = url_failed(r, &state, res->status, message);
  } else {
    r->counts->bytes += (long long)res->n;
    status = url_fetched(r, url, res, &state, &job->update_s);
  }
  r->counts->files++;
  return status;
}

/* Reads what the fetching thread needs of every URL before it starts: its host and the
** validators of its last fetch. */
static newsidx_status_t prepare_jobs(fetch_run *r, const ingest_url *urls, int n) {
  for (int i = 0; i < n; i++) {
    url_job *job = &r->jobs[i];
    job->res = (fetch_response){.retry_after_s = -1};
    job->known = (newsidx_fetch_state){.url = urls[i].url};
    job->valid = ingest_is_url(urls[i].url) && fetch_host(urls[i].url, job->host, sizeof job->host);
    if (!job->valid) continue;
    newsidx_status_t status =
        newsidx_fetch_state_get(r->db, urls[i].url, &job->known, &job->owned, r->err);
    job->known.url = urls[i].url;
    if (status == NEWSIDX_NOT_FOUND)
      job->known = (newsidx_fetch_state){.url = urls[i].url};
    else if (status != NEWSIDX_OK)
      return status;
  }
  return NEWSIDX_OK;
}

/* Stores the answers in order, committing as batches fill and before waiting for one. */
static newsidx_status_t store_all(fetch_run *r, const ingest_url *urls,
                                  ingest_url_result *results) {
  long limit = r->options->batch_articles > 0 ? r->options->batch_articles : INGEST_DEFAULT_BATCH;
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; status == NEWSIDX_OK && i < r->n_jobs && !stop_requested(r); i++) {
    status = wait_for_answer(r, i);
    if (status == NEWSIDX_OK && r->jobs[i].status == NEWSIDX_INTERRUPTED) break; /* a stop */
    long errors = r->counts->errors;
    if (status == NEWSIDX_OK) status = store_answer(r, &urls[i], &r->jobs[i]);
    /* the URL's own failures are counted as errors; a bad record of a good URL is too, and
    ** makes it count as failed: it is fetched again sooner, which does no harm */
    if (results) results[i] = (ingest_url_result){r->counts->errors > errors, r->jobs[i].update_s};
    job_taken(r, i);
    if (status == NEWSIDX_OK &&
        (r->batch_articles >= limit || r->batch_bytes >= INGEST_BATCH_BYTES))
      status = end_batch(r);
  }
  if (status == NEWSIDX_OK) return end_batch(r); /* stopped: what was stored stays */
  if (r->in_batch) newsidx_rollback(r->db);
  r->in_batch = 0;
  return status;
}

newsidx_status_t ingest_urls(newsidx_db *db, const ingest_url *urls, int n_urls,
                             const ingest_options *options, const ingest_fetch_options *fetch,
                             ingest_counts *counts, ingest_url_result *results,
                             newsidx_error *err) {
  fetch_run r = {.db = db,
                 .options = options,
                 .counts = counts,
                 .err = err,
                 .polite = polite_new(fetch->delay_ms),
                 .max_retry_wait_s = fetch->max_retry_wait_s,
                 .committed = *counts,
                 .jobs = calloc(n_urls > 0 ? (size_t)n_urls : 1, sizeof(url_job)),
                 .n_jobs = n_urls};
  if (results) memset(results, 0, (size_t)n_urls * sizeof *results);
  newsidx_status_t status = r.polite && r.jobs
                                ? fetcher_open(fetch, options->stop, &r.quit, &r.fetcher, err)
                                : newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (status == NEWSIDX_OK) status = prepare_jobs(&r, urls, n_urls);
  pthread_t thread;
  int started = 0, locks = 0;
  if (status == NEWSIDX_OK) {
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.changed, NULL);
    locks = 1;
    int e = pthread_create(&thread, NULL, fetch_ahead, &r);
    started = e == 0;
    if (e)
      status =
          newsidx_error_set(err, NEWSIDX_ERROR, "starting the fetching thread: %s", strerror(e));
  }
  if (started) {
    status = store_all(&r, urls, results);
    pthread_mutex_lock(&r.lock);
    r.quit = 1; /* the run is over: a transfer still going is aborted */
    pthread_cond_broadcast(&r.changed);
    pthread_mutex_unlock(&r.lock);
    pthread_join(thread, NULL);
  }
  if (locks) {
    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.changed);
  }
  for (int i = 0; r.jobs && i < n_urls; i++) {
    fetch_response_free(&r.jobs[i].res);
    free(r.jobs[i].owned);
  }
  free(r.jobs);
  fetcher_close(r.fetcher);
  polite_free(r.polite);
  if (status != NEWSIDX_OK && status != NEWSIDX_INTERRUPTED) *counts = r.committed;
  if (status == NEWSIDX_OK && stop_requested(&r)) return NEWSIDX_INTERRUPTED;
  return status;
}
