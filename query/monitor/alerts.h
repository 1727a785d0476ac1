/*
** alerts.h — running alert rules: what each rule has to report since its mark (part of the
** query library's public API). The rules and their marks are kept by rules.h; the printing
** and the decision to acknowledge belong to the caller (newsq alerts).
**
**   alert_sink sink = {kinds, want, max_examples, on_hit, on_term, finish, ctx};
**   alerts_run(db, names, n_names, now, 0, &sink, &n_alerts, &err);
**
** runs the rules over one read snapshot, delivers their alerts to the sink, asks the sink to
** finish (flush and check its output), and only then, in one write transaction, records what
** was reported and moves the marks (rules_ack()). A failed output moves nothing.
**
** What a rule reports:
**
** A query rule reports the articles added or changed since its mark (articles.seq above the
** cursor) that match its query and filters now and that it has not reported before
** (rule_hits): each article once, even when it changes; a duplicate never (it is not in the
** full-text index). Its new mark is the highest seq of the snapshot.
**
** A new-terms rule reports the terms first indexed since its mark (terms.seq above the cursor)
** that pass its filters (words, names, noise), that at least min_docs articles use now (those
** matching its query, when it has one) and that it has not reported before. A term still short
** of min_docs is looked at again at later runs until wait_days have passed since it was first
** indexed, so the mark stops below the oldest such term; others settle at once.
*/
#ifndef NEWSIDX_ALERTS_H
#define NEWSIDX_ALERTS_H

#include "newsidx.h"
#include "rules.h"
#include "rank/search.h"
#include "terms.h"

#include <signal.h>
#include <time.h>

/* The dates a rule's --since and --until stand for at a given time. */
typedef struct alert_date_bounds {
  char since[NEWSIDX_DATE_MAX], until[NEWSIDX_DATE_MAX];
} alert_date_bounds;

/* Fills search options for rule r's query and filters, newest first, every match: for running
** a rule, for checking it and for running it over the whole index (newsq rule test). Strings
** and lists are borrowed from r, the dates from *bounds; both must outlive the options. Fails
** with NEWSIDX_INPUT for a bad date. */
newsidx_status_t alerts_search_options(const rule *r, time_t now, alert_date_bounds *bounds,
                                       search_options *o, newsidx_error *err);

/* Checks a rule before it is stored: a query rule's query and filters must compile (the
** parser's error otherwise, NEWSIDX_QUERY, or NEWSIDX_INPUT for a bad date); a new-terms
** rule's query may hold words, phrases and operators but no filters, and needs no text.
** When `match` is not NULL, a new-terms rule's compiled FTS5 expression (or NULL) is written
** there (free() it). */
newsidx_status_t alerts_check_rule(newsidx_db *db, const rule *r, time_t now, char **match,
                                   newsidx_error *err);

/* Where a run's alerts go: the printers of newsq alerts, or counters. Each callback returns
** non-zero when its output failed, which stops the run. */
typedef struct alert_sink {
  int kinds;        /* 1 << RULE_QUERY | 1 << RULE_NEW_TERMS: the kinds of rules it takes */
  int want;         /* SEARCH_WANT_* the hits need */
  int max_examples; /* new terms: how many of a rule's terms get an example passage */
  /* An article a query rule reports, ranked 1, 2, … within the rule, newest first. */
  int (*hit)(void *ctx, const rule *r, const search_hit *hit);
  /* A term a new-terms rule reports, most used first; snippet may be NULL. */
  int (*term)(void *ctx, const rule *r, const term_row *row, const char *snippet);
  /* After the last alert: writes what is pending, flushes, and says whether all of it was
  ** written. Only then are the marks moved. */
  int (*finish)(void *ctx);
  void *ctx;
  volatile sig_atomic_t *interrupted; /* when not NULL, searches stop once it is set */
} alert_sink;

enum {
  ALERTS_PEEK = 0x01 /* deliver, but move no mark and record nothing */
};

/* Runs the rules called names[0..n_names) (every rule the sink takes, in name order, when
** n_names is 0) over one read snapshot of the index, delivering their alerts to the sink.
** Then, unless ALERTS_PEEK, and only when every write and sink->finish() succeeded, records
** what was reported and moves every mark in one write transaction. *n_alerts gets the number
** of alerts delivered.
**
** Failures: NEWSIDX_NOT_FOUND (an unknown name) and NEWSIDX_MISUSE (a named rule of a kind the
** sink does not take) before anything is delivered; NEWSIDX_IO when the output failed
** (nothing is recorded: the next run reports the same alerts again); NEWSIDX_BUSY, NEWSIDX_FULL
** and others from the database, also with nothing recorded; NEWSIDX_INTERRUPTED. */
newsidx_status_t alerts_run(newsidx_db *db, const char *const *names, int n_names, time_t now,
                            int flags, const alert_sink *sink, long *n_alerts, newsidx_error *err);

#endif
