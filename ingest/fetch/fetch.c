/*
** fetch.c — one GET at a time with libcurl's easy interface. See fetch.h.
**
** libcurl does all of HTTP: redirects (CURLOPT_FOLLOWLOCATION, at most FETCH_MAX_REDIRECTS),
** content encodings (CURLOPT_ACCEPT_ENCODING "": whatever this libcurl decodes), TLS, and
** the connection cache of the easy handle, reused for every request of the run. Only http and
** https are allowed, also as redirect targets: a feed cannot send newsidx to file:// or ftp://.
*/
#include "fetch.h"
#include "reader.h" /* input_is_url() */

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef NEWSIDX_PROJECT_URL
#define NEWSIDX_PROJECT_URL "https://example.invalid/newsidx"
#endif

struct fetcher {
  CURL *curl;
  ingest_fetch_options options;
  volatile sig_atomic_t *stop, *quit;
  char error[CURL_ERROR_SIZE];
};

/* The body as it arrives, capped. */
typedef struct body_buffer {
  char *bytes;
  size_t n, size;
  long long max;
  int too_big; /* the cap was reached: the transfer was aborted */
  int no_memory;
} body_buffer;

const char *ingest_user_agent(void) {
  return "newsidx/" NEWSIDX_VERSION " (+" NEWSIDX_PROJECT_URL ")";
}

int ingest_is_url(const char *arg) { return input_is_url(arg); }

static size_t on_body(char *data, size_t size, size_t count, void *ctx) {
  body_buffer *b = ctx;
  size_t n = size * count;
  if ((long long)(b->n + n) > b->max) {
    b->too_big = 1;
    return 0; /* CURLE_WRITE_ERROR ends the transfer */
  }
  if (b->n + n + 1 > b->size) {
    size_t size_new = b->size ? b->size : 65536;
    while (size_new < b->n + n + 1)
      size_new *= 2;
    char *bytes = realloc(b->bytes, size_new);
    if (!bytes) {
      b->no_memory = 1;
      return 0;
    }
    b->bytes = bytes;
    b->size = size_new;
  }
  memcpy(b->bytes + b->n, data, n);
  b->n += n;
  b->bytes[b->n] = '\0';
  return n;
}

/* libcurl asks this now and then during a transfer: non-zero aborts it (a signal came, or
** the run is over). */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow) {
  (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
  fetcher *f = ctx;
  return (f->stop && *f->stop) || (f->quit && *f->quit);
}

newsidx_status_t fetcher_open(const ingest_fetch_options *options, volatile sig_atomic_t *stop,
                              volatile sig_atomic_t *quit, fetcher **out, newsidx_error *err) {
  *out = NULL;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return newsidx_error_set(err, NEWSIDX_ERROR, "libcurl could not be initialized");
  fetcher *f = calloc(1, sizeof *f);
  if (!f || !(f->curl = curl_easy_init())) {
    free(f);
    curl_global_cleanup();
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  f->options = *options;
  f->stop = stop;
  f->quit = quit;
  *out = f;
  return NEWSIDX_OK;
}

void fetcher_close(fetcher *f) {
  if (!f) return;
  curl_easy_cleanup(f->curl);
  free(f);
  curl_global_cleanup();
}

/* Sets what every request of the fetcher shares; the easy handle was reset before. */
static void set_options(fetcher *f, const char *url, struct curl_slist *headers, body_buffer *b) {
  CURL *c = f->curl;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, f->options.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, f->options.timeout_s);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->options.max_bytes);
  curl_easy_setopt(c, CURLOPT_USERAGENT, ingest_user_agent());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, f);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, f->error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM around DNS: our signals stay ours */
}

/* The conditional request's headers, or NULL when there is nothing to send. */
static struct curl_slist *conditional_headers(const char *etag, const char *last_modified,
                                              int *no_memory) {
  struct curl_slist *list = NULL, *next;
  char line[1024];
  *no_memory = 0;
  if (etag && *etag) {
    snprintf(line, sizeof line, "If-None-Match: %s", etag);
    if (!(next = curl_slist_append(list, line))) goto oom;
    list = next;
  }
  if (last_modified && *last_modified) {
    snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
    if (!(next = curl_slist_append(list, line))) goto oom;
    list = next;
  }
  return list;
oom:
  *no_memory = 1;
  curl_slist_free_all(list);
  return NULL;
}

/* A copy of the value of response header `name` of the last response, or NULL. */
static char *header_copy(CURL *c, const char *name) {
  struct curl_header *h;
  if (curl_easy_header(c, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h->value) return NULL;
  return strdup(h->value);
}

/* Fills *out from the handle after an answer came. */
static void read_answer(fetcher *f, const char *url, fetch_response *out) {
  CURL *c = f->curl;
  const char *s = NULL;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s)
    out->content_type = strdup(s);
  curl_easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &out->redirects);
  s = NULL;
  if (out->redirects > 0 && curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s &&
      strcmp(s, url) != 0)
    out->final_url = strdup(s);
  out->etag = header_copy(c, "ETag");
  out->last_modified = header_copy(c, "Last-Modified");
  curl_off_t retry = 0;
  if ((out->status == 429 || out->status == 503) &&
      curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK && retry > 0)
    out->retry_after_s = (long)retry;
}

newsidx_status_t fetch_get(fetcher *f, const char *url, const char *etag, const char *last_modified,
                           fetch_response *out, newsidx_error *err) {
  *out = (fetch_response){.retry_after_s = -1};
  int no_memory;
  struct curl_slist *headers = conditional_headers(etag, last_modified, &no_memory);
  if (no_memory) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  body_buffer b = {.max = f->options.max_bytes};
  curl_easy_reset(f->curl); /* keeps the connections and the DNS cache */
  f->error[0] = '\0';
  set_options(f, url, headers, &b);
  CURLcode rc = curl_easy_perform(f->curl);
  curl_slist_free_all(headers);
  newsidx_status_t status = NEWSIDX_OK;
  if (b.no_memory)
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  else if (rc == CURLE_ABORTED_BY_CALLBACK)
    status = newsidx_error_set(err, NEWSIDX_INTERRUPTED, "%s: interrupted", url);
  else if (b.too_big || rc == CURLE_FILESIZE_EXCEEDED)
    status = newsidx_error_set(err, NEWSIDX_IO, "%s: response larger than %lld bytes, not read",
                               url, f->options.max_bytes);
  else if (rc != CURLE_OK)
    status = newsidx_error_set(err, NEWSIDX_IO, "%s: %s", url,
                               f->error[0] ? f->error : curl_easy_strerror(rc));
  if (status == NEWSIDX_OK) {
    read_answer(f, url, out);
    out->body = b.bytes ? b.bytes : strdup("");
    out->n = b.n;
    if (!out->body) status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  } else {
    free(b.bytes);
  }
  return status;
}

void fetch_response_free(fetch_response *r) {
  free(r->body);
  free(r->content_type);
  free(r->etag);
  free(r->last_modified);
  free(r->final_url);
  *r = (fetch_response){.retry_after_s = -1};
}

int fetch_host(const char *url, char *host, size_t size) {
  CURLU *u = curl_url();
  char *h = NULL;
  int ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
           curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && h;
  if (ok) {
    snprintf(host, size, "%s", h);
    for (char *p = host; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  }
  curl_free(h);
  curl_url_cleanup(u);
  return ok;
}
