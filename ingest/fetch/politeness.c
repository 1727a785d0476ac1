/*
** politeness.c — when each host may be asked next. See fetch.h.
**
** Requests go one at a time, so no host ever has two in flight; between two requests to the
** same host there is at least the delay (default 1 s), longer when the host said so with a
** Retry-After. Hosts are few (a subscription list names tens to thousands): a list, searched
** from the host added last, is enough.
*/
#include "fetch.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct host_slot {
  char *host;
  double next_at; /* CLOCK_MONOTONIC seconds: not before then */
} host_slot;

struct polite {
  long delay_ms;
  host_slot *hosts;
  size_t n, size;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

polite *polite_new(long delay_ms) {
  polite *p = calloc(1, sizeof *p);
  if (p) p->delay_ms = delay_ms;
  return p;
}

void polite_free(polite *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++)
    free(p->hosts[i].host);
  free(p->hosts);
  free(p);
}

/* The slot of `host`, made when `make`; NULL when absent (or out of memory: then the host is
** asked without waiting, which only a failing malloc can cause). */
static host_slot *slot_of(polite *p, const char *host, int make) {
  for (size_t i = p->n; i-- > 0;)
    if (strcmp(p->hosts[i].host, host) == 0) return &p->hosts[i];
  if (!make) return NULL;
  if (p->n == p->size) {
    size_t size = p->size ? 2 * p->size : 16;
    host_slot *hosts = realloc(p->hosts, size * sizeof *hosts);
    if (!hosts) return NULL;
    p->hosts = hosts;
    p->size = size;
  }
  char *copy = strdup(host);
  if (!copy) return NULL;
  p->hosts[p->n] = (host_slot){copy, 0};
  return &p->hosts[p->n++];
}

int polite_wait(polite *p, const char *host, volatile sig_atomic_t *stop,
                volatile sig_atomic_t *quit) {
  host_slot *s = slot_of(p, host, 0);
  for (;;) {
    if ((stop && *stop) || (quit && *quit)) return 0;
    double left = s ? s->next_at - now_s() : 0;
    if (left <= 0) return 1;
    if (left > 0.1) left = 0.1; /* look at the flags ten times a second */
    struct timespec ts = {0, (long)(left * 1e9)};
    nanosleep(&ts, NULL);
  }
}

void polite_done(polite *p, const char *host, long at_least_ms) {
  host_slot *s = slot_of(p, host, 1);
  long ms = at_least_ms > p->delay_ms ? at_least_ms : p->delay_ms;
  if (s) s->next_at = now_s() + (double)ms / 1000.0;
}
