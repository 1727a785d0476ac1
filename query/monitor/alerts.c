/*
** alerts.c — running alert rules over one snapshot of the index. See alerts.h.
*/
#include "alerts.h"
#include "query_fts.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One run: the index, its snapshot's highest seq, and what relative dates count from. */
typedef struct alert_run {
  newsidx_db *db;
  time_t now;
  int64_t snapshot_seq;
} alert_run;

/* Starts a run: a read transaction whose first read (the highest seq) fixes the snapshot that
** every rule then sees. */
static newsidx_status_t run_begin(alert_run *run, newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(run->db);
  int rc = sqlite3_exec(sqlite, "BEGIN", NULL, NULL, NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, sqlite, rc, "starting a run");
  return rules_max_seq(run->db, &run->snapshot_seq, err);
}

/* Ends the snapshot (a read transaction: nothing to keep or lose). */
static void run_end(alert_run *run) {
  sqlite3 *sqlite = newsidx_db_sqlite(run->db);
  if (!sqlite3_get_autocommit(sqlite)) sqlite3_exec(sqlite, "COMMIT", NULL, NULL, NULL);
}

newsidx_status_t alerts_search_options(const rule *r, time_t now, alert_date_bounds *bounds,
                                       search_options *o, newsidx_error *err) {
  memset(o, 0, sizeof *o);
  memset(bounds, 0, sizeof *bounds);
  o->query = r->query;
  o->now = now;
  newsidx_error why = {0};
  if (r->since && query_date_since(r->since, now, bounds->since, &why) != NEWSIDX_OK)
    return newsidx_error_set(err, NEWSIDX_INPUT, "--since: %s", why.message);
  if (r->until && query_date_until(r->until, now, bounds->until, &why) != NEWSIDX_OK)
    return newsidx_error_set(err, NEWSIDX_INPUT, "--until: %s", why.message);
  o->since = r->since ? bounds->since : NULL;
  o->until = r->until ? bounds->until : NULL;
  o->sources = (const char *const *)r->sources;
  o->n_sources = r->n_sources;
  o->tags = (const char *const *)r->tags;
  o->n_tags = r->n_tags;
  o->langs = (const char *const *)r->langs;
  o->n_langs = r->n_langs;
  o->sort = SEARCH_SORT_DATE;
  o->limit = -1;
  return NEWSIDX_OK;
}

/* Compiles a new-terms rule's query into its FTS5 expression (*match, NULL when the query is
** empty). Filters cannot restrict terms, and a query must search for something. */
static newsidx_status_t terms_match(newsidx_db *db, const rule *r, time_t now, char **match,
                                    newsidx_error *err) {
  *match = NULL;
  if (!r->query || !*r->query) return NEWSIDX_OK;
  query_plan plan = {0};
  newsidx_status_t status = query_compile(db, r->query, now, &plan, err);
  if (status == NEWSIDX_OK && plan.filters.n > 0)
    status = newsidx_error_set(err, NEWSIDX_QUERY,
                               "query error: new terms are counted in the articles the query "
                               "matches, so it takes words, not filters (date:, source:, tag:, "
                               "lang:)");
  else if (status == NEWSIDX_OK && !plan.match)
    status = newsidx_error_set(err, NEWSIDX_QUERY,
                               "query error at column 1: nothing to search for (add a word)");
  if (status == NEWSIDX_OK && !(*match = strdup(plan.match)))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  query_plan_free(&plan);
  return status;
}

newsidx_status_t alerts_check_rule(newsidx_db *db, const rule *r, time_t now, char **match,
                                   newsidx_error *err) {
  if (match) *match = NULL;
  if (r->kind == RULE_NEW_TERMS) {
    char *compiled = NULL;
    newsidx_status_t status = terms_match(db, r, now, &compiled, err);
    if (match)
      *match = compiled;
    else
      free(compiled);
    return status;
  }
  alert_date_bounds bounds;
  search_options o;
  newsidx_status_t status = alerts_search_options(r, now, &bounds, &o, err);
  search *s = NULL;
  if (status == NEWSIDX_OK) status = search_open(db, &o, &s, err);
  search_close(s);
  return status;
}

/* ---- query rules -------------------------------------------------------------------------- */

typedef struct query_pass {
  const rule *r;
  rule_seen *seen;
  rule_ack *ack;
  const alert_sink *sink;
  long n;
  newsidx_error inner; /* why the pass stopped, when it was not the output */
  int failed;
} query_pass;

/* Passes on the hits the rule has not reported before, numbered anew. */
static int pass_hit(void *ctx, const search_hit *hit) {
  query_pass *q = ctx;
  int seen = rule_seen_article(q->seen, hit->id, &q->inner);
  if (seen < 0) return q->failed = 1;
  if (seen) return 0;
  if (rule_ack_article(q->ack, hit->id) != 0) {
    newsidx_error_set(&q->inner, NEWSIDX_NOMEM, "out of memory");
    return q->failed = 1;
  }
  search_hit numbered = *hit;
  numbered.rank = ++q->n;
  return q->sink->hit(q->sink->ctx, q->r, &numbered);
}

/* Delivers what query rule r reports, and notes it and the new mark in *ack. */
static newsidx_status_t run_query(alert_run *run, const rule *r, const alert_sink *sink,
                                  rule_ack *ack, long *n_hits, newsidx_error *err) {
  ack->cursor = run->snapshot_seq;
  alert_date_bounds bounds;
  search_options o;
  newsidx_status_t status = alerts_search_options(r, run->now, &bounds, &o, err);
  o.want = sink->want ? sink->want : SEARCH_WANT_META;
  o.after_seq = r->cursor; /* 0 (a backfilled rule's first run): everything */
  o.interrupted = sink->interrupted;
  query_pass pass = {r, NULL, ack, sink, 0, {0}, 0};
  search *s = NULL;
  long n = 0;
  if (status == NEWSIDX_OK) status = rule_seen_open(run->db, r, &pass.seen, err);
  if (status == NEWSIDX_OK) status = search_open(run->db, &o, &s, err);
  if (status == NEWSIDX_OK) status = search_hits(s, pass_hit, &pass, &n, err);
  if (pass.failed) status = newsidx_error_set(err, pass.inner.status, "%s", pass.inner.message);
  search_close(s);
  rule_seen_close(pass.seen);
  *n_hits = pass.n;
  return status;
}

/* ---- new-terms rules ---------------------------------------------------------------------- */

typedef struct terms_pass {
  const rule *r;
  rule_seen *seen;
  term_list reported;
  char cutoff[NEWSIDX_DATE_MAX]; /* terms first indexed before this are no longer waited for */
  int64_t mark;                  /* below the oldest term still waited for */
  newsidx_error inner;
  int failed;
} terms_pass;

/* Sorts each candidate: seen before, reported now, waited for, or given up on. */
static int pass_term(void *ctx, const term_row *row) {
  terms_pass *t = ctx;
  int seen = rule_seen_term(t->seen, row->term, row->is_name, &t->inner);
  if (seen < 0) return t->failed = 1;
  if (seen) return 0;
  if (row->n_docs >= (t->r->min_docs > 0 ? t->r->min_docs : 1)) {
    if (term_list_add(&t->reported, row) == 0) return 0;
    newsidx_error_set(&t->inner, NEWSIDX_NOMEM, "out of memory");
    return t->failed = 1;
  }
  if (row->first_indexed && strcmp(row->first_indexed, t->cutoff) >= 0 && row->seq - 1 < t->mark)
    t->mark = row->seq - 1;
  return 0;
}

/* Delivers the reported terms, most used first, the first max_examples with a passage. */
static newsidx_status_t deliver_terms(alert_run *run, terms_pass *t, const char *match,
                                      const alert_sink *sink, rule_ack *ack, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  term_list_sort_by_docs(&t->reported);
  for (size_t i = 0; status == NEWSIDX_OK && i < t->reported.n; i++) {
    const term_row *row = &t->reported.rows[i];
    char *snippet = NULL;
    if ((long)i < sink->max_examples)
      status = terms_example(run->db, row, match, 24, &snippet, err);
    if (status == NEWSIDX_OK && rule_ack_term(ack, row->term, row->is_name, row->seq) != 0)
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    if (status == NEWSIDX_OK && sink->term(sink->ctx, t->r, row, snippet))
      status = newsidx_error_set(err, NEWSIDX_IO, "writing the results failed");
    free(snippet);
  }
  return status;
}

/* Delivers what new-terms rule r reports, and notes it and the new mark in *ack. */
static newsidx_status_t run_new_terms(alert_run *run, const rule *r, const alert_sink *sink,
                                      rule_ack *ack, long *n_terms, newsidx_error *err) {
  *n_terms = 0;
  terms_pass t = {r, NULL, {0}, {0}, run->snapshot_seq, {0}, 0};
  time_t cutoff = run->now - (time_t)r->wait_days * 86400;
  struct tm tm;
  strftime(t.cutoff, sizeof t.cutoff, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&cutoff, &tm));
  char *match = NULL;
  newsidx_status_t status = terms_match(run->db, r, run->now, &match, err);
  if (status == NEWSIDX_OK) status = rule_seen_open(run->db, r, &t.seen, err);
  if (status == NEWSIDX_OK) {
    terms_new_options o = {NULL, NULL, r->cursor, 0, match, r->term_flags, 0};
    status = terms_scan_new(run->db, &o, pass_term, &t, err);
    if (t.failed) status = newsidx_error_set(err, t.inner.status, "%s", t.inner.message);
  }
  if (status == NEWSIDX_OK) status = deliver_terms(run, &t, match, sink, ack, err);
  if (status == NEWSIDX_OK) *n_terms = (long)t.reported.n;
  ack->cursor = t.mark;
  rule_seen_close(t.seen);
  term_list_free(&t.reported);
  free(match);
  return status;
}

/* ---- a run -------------------------------------------------------------------------------- */

/* Reads the rules to run, inside the snapshot: those named, or all the sink takes. */
static newsidx_status_t read_rules(newsidx_db *db, const char *const *names, int n_names,
                                   const alert_sink *sink, rule ***rules, int *n_rules,
                                   newsidx_error *err) {
  if (n_names == 0) {
    newsidx_status_t status = rules_list(db, rules, n_rules, err);
    int kept = 0;
    for (int i = 0; status == NEWSIDX_OK && i < *n_rules; i++) {
      if (sink->kinds & (1 << (*rules)[i]->kind))
        (*rules)[kept++] = (*rules)[i];
      else
        rule_free((*rules)[i]);
    }
    *n_rules = kept;
    return status;
  }
  *n_rules = 0;
  if (!(*rules = calloc((size_t)n_names, sizeof **rules)))
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; status == NEWSIDX_OK && i < n_names; i++) {
    int again = 0; /* a name given twice runs once: its alerts are not recorded yet */
    for (int k = 0; k < i; k++)
      again |= strcmp(names[k], names[i]) == 0;
    if (again) continue;
    status = rules_get(db, names[i], &(*rules)[*n_rules], err);
    if (status != NEWSIDX_OK) break;
    rule *r = (*rules)[(*n_rules)++];
    if (!(sink->kinds & (1 << r->kind)))
      status = newsidx_error_set(err, NEWSIDX_MISUSE,
                                 "rule '%s' reports %s; this output takes only rules of %s",
                                 r->name, r->kind == RULE_NEW_TERMS ? "new terms" : "articles",
                                 r->kind == RULE_NEW_TERMS ? "articles" : "new terms");
  }
  return status;
}

newsidx_status_t alerts_run(newsidx_db *db, const char *const *names, int n_names, time_t now,
                            int flags, const alert_sink *sink, long *n_alerts, newsidx_error *err) {
  *n_alerts = 0;
  alert_run run = {db, now, 0};
  rule **rules = NULL;
  int n_rules = 0;
  rule_ack *acks = NULL;
  newsidx_status_t status = run_begin(&run, err);
  if (status == NEWSIDX_OK) status = read_rules(db, names, n_names, sink, &rules, &n_rules, err);
  if (status == NEWSIDX_OK && n_rules && !(acks = calloc((size_t)n_rules, sizeof *acks)))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  for (int i = 0; status == NEWSIDX_OK && i < n_rules; i++) {
    long n = 0;
    acks[i].rule_id = rules[i]->id;
    status = rules[i]->kind == RULE_NEW_TERMS
                 ? run_new_terms(&run, rules[i], sink, &acks[i], &n, err)
                 : run_query(&run, rules[i], sink, &acks[i], &n, err);
    *n_alerts += n;
  }
  run_end(&run);
  /* The output first; the marks only once it is all written. */
  if (status == NEWSIDX_OK && sink->finish(sink->ctx))
    status = newsidx_error_set(err, NEWSIDX_IO, "writing the results failed");
  if (status == NEWSIDX_OK && !(flags & ALERTS_PEEK)) {
    char stamp[NEWSIDX_DATE_MAX];
    newsidx_now_iso(stamp);
    status = rules_ack(db, acks, n_rules, stamp, err);
  }
  for (int i = 0; acks && i < n_rules; i++)
    rule_ack_free(&acks[i]);
  free(acks);
  rules_free_all(rules, n_rules);
  return status;
}
