/*
** watch_feeds.c — when each subscribed feed is due in `newsidx watch --feeds`. See commands.h.
**
** Every feed is polled every --every seconds, or at the interval it gives itself
** (sy:updatePeriod, <ttl>) when that is longer; one whose fetch failed waits twice as long
** each time it fails again, up to WATCH_FEEDS_BACKOFF_MAX_S, and a success brings it back to
** its interval (--every, or its own when longer). The subscription file is read at the start and
*again on SIGHUP: a feed that stays
** keeps its schedule, a new one is due at once.
*/
#include "commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A feed that keeps failing is asked at most this rarely (6 hours). */
#define WATCH_FEEDS_BACKOFF_MAX_S (6 * 3600.0)

typedef struct feed_slot {
  double update_s; /* the interval the feed gave itself when last read; 0: none */
  double due;      /* cli_now() seconds: asked again from then on */
  double backoff;  /* seconds until the next fetch after a failure; 0 after a success */
} feed_slot;

struct feed_poller {
  const char *path;
  double every_s;
  ingest_subscriptions subs;
  feed_slot *slots;           /* one per subs.urls[i] */
  ingest_url *taken;          /* the URLs of the last feed_poller_take() */
  int *taken_index;           /* their index in subs */
  ingest_url_result *results; /* and how each went */
  int n_taken;
};

/* Reads the subscription file into a new list and schedule; a URL the old list has keeps its
** slot. Returns 0, or prints why the file could not be read and returns the exit code. */
static int load(feed_poller *p, double now) {
  ingest_subscriptions subs;
  newsidx_error err = {0};
  if (ingest_read_subscriptions(p->path, &subs, &err) != NEWSIDX_OK) {
    ingest_subscriptions_free(&subs);
    return cli_fail("newsidx watch", &err);
  }
  size_t n = subs.n ? (size_t)subs.n : 1;
  feed_slot *slots = calloc(n, sizeof *slots);
  ingest_url *taken = calloc(n, sizeof *taken);
  int *taken_index = calloc(n, sizeof *taken_index);
  ingest_url_result *results = calloc(n, sizeof *results);
  if (!slots || !taken || !taken_index || !results) {
    free(slots), free(taken), free(taken_index), free(results);
    ingest_subscriptions_free(&subs);
    return cli_error("newsidx watch", "out of memory");
  }
  for (int i = 0; i < subs.n; i++) {
    slots[i] = (feed_slot){0, now, 0};
    for (int j = 0; j < p->subs.n; j++)
      if (strcmp(p->subs.urls[j].url, subs.urls[i].url) == 0) slots[i] = p->slots[j];
  }
  ingest_subscriptions_free(&p->subs);
  free(p->slots), free(p->taken), free(p->taken_index), free(p->results);
  p->subs = subs;
  p->slots = slots;
  p->taken = taken;
  p->taken_index = taken_index;
  p->results = results;
  p->n_taken = 0;
  return 0;
}

int feed_poller_open(const char *path, long every_s, feed_poller **out) {
  *out = calloc(1, sizeof **out);
  if (!*out) return cli_error("newsidx watch", "out of memory");
  (*out)->path = path;
  (*out)->every_s = (double)every_s;
  int rc = load(*out, cli_now());
  if (rc) {
    feed_poller_close(*out);
    *out = NULL;
  }
  return rc;
}

int feed_poller_reload(feed_poller *p) { return load(p, cli_now()); }

int feed_poller_count(const feed_poller *p) { return p->subs.n; }

double feed_poller_due(const feed_poller *p) {
  double due = -1;
  for (int i = 0; i < p->subs.n; i++)
    if (due < 0 || p->slots[i].due < due) due = p->slots[i].due;
  return due;
}

int feed_poller_take(feed_poller *p, double now, const ingest_url **urls,
                     ingest_url_result **results) {
  p->n_taken = 0;
  for (int i = 0; i < p->subs.n; i++)
    if (p->slots[i].due <= now) {
      p->taken_index[p->n_taken] = i;
      p->taken[p->n_taken++] = p->subs.urls[i];
    }
  *urls = p->taken;
  *results = p->results;
  return p->n_taken;
}

void feed_poller_done(feed_poller *p, double now) {
  for (int k = 0; k < p->n_taken; k++) {
    feed_slot *s = &p->slots[p->taken_index[k]];
    const ingest_url_result *result = &p->results[k];
    if (!result->failed) {
      if (result->update_s > 0) s->update_s = (double)result->update_s; /* a 304 says nothing */
      s->backoff = 0;
      s->due = now + (s->update_s > p->every_s ? s->update_s : p->every_s);
      continue;
    }
    s->backoff = s->backoff > 0 ? 2 * s->backoff : 2 * p->every_s;
    if (s->backoff > WATCH_FEEDS_BACKOFF_MAX_S) s->backoff = WATCH_FEEDS_BACKOFF_MAX_S;
    if (s->backoff < p->every_s) s->backoff = p->every_s; /* --every above the cap */
    s->due = now + s->backoff;
  }
  p->n_taken = 0;
}

void feed_poller_close(feed_poller *p) {
  if (!p) return;
  ingest_subscriptions_free(&p->subs);
  free(p->slots), free(p->taken), free(p->taken_index), free(p->results);
  free(p);
}

int feed_poller_parse_every(const char *arg, long *seconds) {
  char *end;
  errno = 0;
  long n = strtol(arg, &end, 10);
  long unit = *end == 's' || *end == '\0' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : 0;
  if (errno || end == arg || n < 1 || unit == 0 || (*end && end[1]) || n > 7 * 86400 / unit)
    return cli_error("newsidx watch",
                     "--every needs a duration such as 90s, 15m or 2h (at least 1 s, at most "
                     "a week), not '%s'",
                     arg);
  *seconds = n * unit;
  return 0;
}
