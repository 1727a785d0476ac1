/*
** rules.h — the store of alert rules and of what each has reported (internal to the query library).
**
** Tables `rules`, `rule_hits` and `rule_terms` (schema version 4; newsidx-schema(5)).
** A rule's id is never given to another rule (AUTOINCREMENT since version 14): what was read
** of a rule is written back to that rule or to none.
** A rule is a saved query (kind RULE_QUERY) or a watch for new terms (RULE_NEW_TERMS), with
** filters and settings kept as JSON in rules.options, and a mark, `cursor`:
**
**   query rule       the highest articles.seq examined; the next run looks above it.
**   new-terms rule   the seq up to which every term is settled (reported, or too old to be
**                    waited for); terms above it and not in rule_terms are looked at again.
**
** What was reported is remembered (rule_hits, rule_terms) so that no article or term is
** reported twice by a rule, even when an article changes and comes back with a new seq. Marks
** move only through rules_ack(), which the caller invokes once the alerts were delivered.
**
** Ownership: a rule returned by this module is the caller's, freed with rule_free(); its
** strings are its own. A rule passed in is borrowed.
*/
#ifndef NEWSIDX_RULES_H
#define NEWSIDX_RULES_H

#include "newsidx.h"

#include <stddef.h>

typedef enum rule_kind { RULE_QUERY = 0, RULE_NEW_TERMS = 1 } rule_kind;

#define RULE_NAME_MAX 64 /* bytes */

typedef struct rule {
  int64_t id; /* set by rules_add() */
  char *name;
  rule_kind kind;
  char *query; /* as typed; "" when a new-terms rule has none */

  /* Filters of a query rule, as typed: relative dates ("7d") count from each run's now. */
  char *since, *until; /* NULL for none */
  char **sources, **tags, **langs;
  int n_sources, n_tags, n_langs;

  /* New-terms rules. */
  long long min_docs; /* a term is reported once this many articles use it (>= 1) */
  int term_flags;     /* TERMS_* of terms.h: words, names, all tokens */
  int wait_days;      /* how long after it was first indexed a term may take to get there */

  /* State. */
  int64_t cursor;
  char *created_at;  /* ISO 8601 UTC */
  char *last_run_at; /* NULL until the first acknowledged run */
} rule;

/* Frees a rule and its strings; NULL is allowed. */
void rule_free(rule *r);

/* Non-zero when `name` may name a rule: 1 to RULE_NAME_MAX bytes of ASCII letters, digits,
** '-', '_' and '.', not starting with '-' or '.'. */
int rule_name_valid(const char *name);

/* Stores a new rule (r->name, kind, query, filters, settings; the caller has validated the
** query) in one write transaction and sets r->id, r->cursor and r->created_at. Its mark starts
** at the newest article (it reports what is indexed from now on), or with `backfill` at the
** beginning (its first run reports every match already indexed). Fails with NEWSIDX_INPUT for
** a bad name or a name already taken ("a rule named 'x' exists"), or a database status. */
newsidx_status_t rules_add(newsidx_db *db, rule *r, int backfill, newsidx_error *err);

/* Reads the rule called `name` into a new *out. NEWSIDX_NOT_FOUND: "no rule named 'x'". */
newsidx_status_t rules_get(newsidx_db *db, const char *name, rule **out, newsidx_error *err);

/* Reads every rule, in name order, into a new array *out of *n rules (free with
** rules_free_all()). */
newsidx_status_t rules_list(newsidx_db *db, rule ***out, int *n, newsidx_error *err);
void rules_free_all(rule **rules, int n);

/* Removes the rule called `name` and what it reported, in one write transaction.
** NEWSIDX_NOT_FOUND when there is none. */
newsidx_status_t rules_remove(newsidx_db *db, const char *name, newsidx_error *err);

/* How many articles and terms the rule has reported and kept (rule_hits, rule_terms). */
newsidx_status_t rules_reported(newsidx_db *db, const rule *r, int64_t *n_articles,
                                int64_t *n_terms, newsidx_error *err);

/* The highest articles.seq, or the deleted ones' floor when higher (0 for an empty index): the
** mark of "everything indexed so far". */
newsidx_status_t rules_max_seq(newsidx_db *db, int64_t *seq, newsidx_error *err);

/* ---- during a run: has the rule reported this already? ---- */

typedef struct rule_seen rule_seen;

newsidx_status_t rule_seen_open(newsidx_db *db, const rule *r, rule_seen **out, newsidx_error *err);
/* 1 when the rule reported the article (or term) already, 0 when not; -1 on a database error,
** with the message in err. */
int rule_seen_article(rule_seen *seen, int64_t article_id, newsidx_error *err);
int rule_seen_term(rule_seen *seen, const char *term, int is_name, newsidx_error *err);
void rule_seen_close(rule_seen *seen);

/* ---- acknowledging a run ---- */

/* A term reported, as newsidx_rule_record_run() takes it; `term` is owned (rule_ack_term()). */
typedef newsidx_rule_term rule_term_ref;

/* What one rule's run delivered, and where its mark goes. Filled by alerts.c. */
typedef struct rule_ack {
  int64_t rule_id;
  int64_t cursor; /* the new mark */
  int64_t *articles;
  size_t n_articles, cap_articles;
  rule_term_ref *terms;
  size_t n_terms, cap_terms;
} rule_ack;

/* Appends to an ack. Return 0, or -1 when out of memory. */
int rule_ack_article(rule_ack *ack, int64_t article_id);
int rule_ack_term(rule_ack *ack, const char *term, int is_name, int64_t seq);
void rule_ack_free(rule_ack *ack);

/* Records the runs, all in one write transaction (waiting for a running indexer): the reported
** articles and terms, and each rule's new mark and last run time (`now`, ISO 8601). A rule
** removed meanwhile is skipped (a rule added since has another id), and so is an article
** deleted meanwhile. On failure nothing is
** recorded. */
newsidx_status_t rules_ack(newsidx_db *db, const rule_ack *acks, int n_acks, const char *now,
                           newsidx_error *err);

#endif
