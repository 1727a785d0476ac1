/*
** test_rules.c — alert rules: the store (names, options, duplicates, removal), validation with
** the parser's errors, and the consumer's semantics of newsq alerts: each matching article
** once, across changes and duplicates; --peek and a failed output move nothing; new terms once,
** waiting for min_docs.
*/
#include "test_util.h"

#include "alerts.h"
#include "rules.h"
#include "terms.h"

#include <time.h>

static int setup(void **state) {
  *state = test_open_memory("english");
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

/* Stores an article in a transaction of its own, with a source and tags. */
static newsidx_store_outcome put(newsidx_db *db, const char *key, const char *source,
                                 const char *body) {
  return test_store(db, key, NULL, "2026-03-01", source, body);
}

/* Adds a rule; returns its status. */
static newsidx_status_t add_rule(newsidx_db *db, const char *name, rule_kind kind,
                                 const char *query, const char *source, int backfill,
                                 newsidx_error *err) {
  rule r = {0};
  char *sources[] = {(char *)source};
  r.name = (char *)name;
  r.kind = kind;
  r.query = (char *)query;
  r.sources = source ? sources : NULL;
  r.n_sources = source ? 1 : 0;
  r.min_docs = 1;
  r.wait_days = 7;
  newsidx_status_t status = alerts_check_rule(db, &r, time(NULL), NULL, err);
  if (status == NEWSIDX_OK) status = rules_add(db, &r, backfill, err);
  free(r.created_at);
  return status;
}

/* What a run delivered: "rule:key" or "rule:surface" entries separated by spaces. */
typedef struct delivered {
  char text[4096];
  int fail_after; /* a write fails after this many alerts (0: never) */
  int fail_finish;
  int n;
  char last_rule[RULE_NAME_MAX + 1];
  long rank; /* the rank the next hit of last_rule must have */
} delivered;

static int note(delivered *d, const char *rule_name, const char *what) {
  size_t used = strlen(d->text);
  snprintf(d->text + used, sizeof d->text - used, "%s%s:%s", used ? " " : "", rule_name, what);
  d->n++;
  return d->fail_after && d->n >= d->fail_after;
}

/* Hits are ranked 1, 2, … within each rule. */
static int on_hit(void *ctx, const rule *r, const search_hit *hit) {
  delivered *d = ctx;
  if (strcmp(d->last_rule, r->name) != 0) {
    snprintf(d->last_rule, sizeof d->last_rule, "%s", r->name);
    d->rank = 1;
  }
  assert_int_equal(hit->rank, d->rank++);
  return note(ctx, r->name, hit->key);
}

static int on_term(void *ctx, const rule *r, const term_row *row, const char *snippet) {
  return note(ctx, r->name, row->surface);
}

static int on_finish(void *ctx) { return ((delivered *)ctx)->fail_finish; }

static alert_sink sink_of(delivered *d, int kinds) {
  return (alert_sink){kinds, SEARCH_WANT_META, 0, on_hit, on_term, on_finish, d, NULL};
}

/* Runs the rules (all when name is NULL) and returns what was delivered. */
static const char *run(newsidx_db *db, const char *name, int flags, delivered *d,
                       newsidx_status_t want) {
  alert_sink sink = sink_of(d, 1 << RULE_QUERY | 1 << RULE_NEW_TERMS);
  long n = 0;
  newsidx_error err = {0};
  const char *names[] = {name};
  newsidx_status_t status = alerts_run(db, names, name ? 1 : 0, time(NULL), flags, &sink, &n, &err);
  if (status != want) fail_msg("alerts_run: %d (%s), wanted %d", status, err.message, want);
  if (status == NEWSIDX_OK) assert_int_equal(n, d->n);
  return d->text;
}

static const char *alerts(newsidx_db *db, const char *name) {
  static delivered d;
  memset(&d, 0, sizeof d);
  return run(db, name, 0, &d, NEWSIDX_OK);
}

static void rules_are_stored_with_their_options(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(add_rule(db, "cocoa", RULE_QUERY, "cocoa prices", "Reuters", 0, &err),
                   NEWSIDX_OK);
  assert_int_equal(add_rule(db, "b.terms_1", RULE_NEW_TERMS, "", NULL, 0, &err), NEWSIDX_OK);
  assert_int_equal(add_rule(db, "cocoa", RULE_QUERY, "other", NULL, 0, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "a rule named 'cocoa' exists");
  const char *bad_names[] = {"", "-x", ".x", "a b", "a/b", "é"};
  for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
    assert_int_equal(add_rule(db, bad_names[i], RULE_QUERY, "x", NULL, 0, &err), NEWSIDX_INPUT);
    assert_non_null(strstr(err.message, "bad rule name"));
  }
  rule *r = NULL;
  assert_int_equal(rules_get(db, "cocoa", &r, &err), NEWSIDX_OK);
  assert_string_equal(r->query, "cocoa prices");
  assert_int_equal(r->kind, RULE_QUERY);
  assert_int_equal(r->n_sources, 1);
  assert_string_equal(r->sources[0], "Reuters");
  assert_null(r->last_run_at);
  rule_free(r);
  rule **all = NULL;
  int n = 0;
  assert_int_equal(rules_list(db, &all, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 2);
  assert_string_equal(all[0]->name, "b.terms_1");
  assert_int_equal(all[0]->kind, RULE_NEW_TERMS);
  assert_int_equal(all[0]->term_flags, TERMS_WORDS | TERMS_NAMES);
  rules_free_all(all, n);
  assert_int_equal(rules_remove(db, "cocoa", &err), NEWSIDX_OK);
  assert_int_equal(rules_remove(db, "cocoa", &err), NEWSIDX_NOT_FOUND);
  assert_string_equal(err.message, "no rule named 'cocoa'");
  assert_int_equal(rules_get(db, "cocoa", &r, &err), NEWSIDX_NOT_FOUND);
}

/* A rule is checked as a search would be: the parser's message, with its column. */
static void bad_rules_are_refused(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(add_rule(db, "q", RULE_QUERY, "cocoa NEAR/x prices", NULL, 0, &err),
                   NEWSIDX_QUERY);
  assert_string_equal(err.message, "query error at column 12: NEAR distance is not a number");
  assert_int_equal(add_rule(db, "q", RULE_QUERY, "", NULL, 0, &err), NEWSIDX_QUERY);
  assert_int_equal(add_rule(db, "q", RULE_QUERY, "date:2026-13", NULL, 0, &err), NEWSIDX_QUERY);
  assert_int_equal(add_rule(db, "t", RULE_NEW_TERMS, "source:Reuters", NULL, 0, &err),
                   NEWSIDX_QUERY);
  assert_non_null(strstr(err.message, "not filters"));
  assert_int_equal(add_rule(db, "t", RULE_NEW_TERMS, "cocoa OR coffee", NULL, 0, &err), NEWSIDX_OK);
  assert_int_equal(add_rule(db, "s", RULE_QUERY, "", "Reuters", 0, &err), NEWSIDX_OK);
  rule **all = NULL;
  int n = 0;
  assert_int_equal(rules_list(db, &all, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 2); /* nothing refused was stored */
  rules_free_all(all, n);
}

/* Each matching article once: from the rule's creation on, across runs, changes, duplicates. */
static void each_article_is_reported_once(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  put(db, "old", "Reuters", "Cocoa before the rule.");
  assert_int_equal(add_rule(db, "cocoa", RULE_QUERY, "cocoa", NULL, 0, &err), NEWSIDX_OK);
  assert_int_equal(add_rule(db, "reuters", RULE_QUERY, "", "Reuters", 0, &err), NEWSIDX_OK);
  assert_string_equal(alerts(db, NULL), "");
  put(db, "a", "Reuters", "Cocoa rises.");
  put(db, "b", "AP", "Coffee falls.");
  assert_string_equal(alerts(db, NULL), "cocoa:a reuters:a");
  assert_string_equal(alerts(db, NULL), "");

  put(db, "a", "Reuters", "Cocoa rises again, revised."); /* still matches: not again */
  put(db, "b", "AP", "Coffee falls; cocoa too.");         /* newly matches */
  put(db, "c", "AFP", "Cocoa rises.");                    /* a's old text: new again */
  put(db, "d", "AFP", "Cocoa rises again, revised.");     /* a duplicate of a: never */
  assert_string_equal(alerts(db, NULL), "cocoa:c cocoa:b");
  put(db, "b", "Reuters", "Coffee falls; cocoa too."); /* metadata only: now from Reuters */
  assert_string_equal(alerts(db, NULL), "reuters:b");
  assert_string_equal(alerts(db, NULL), "");

  /* deleting the newest article (b, just changed) does not let the next one hide under its
  ** seq, and takes b's hits with it */
  int64_t id = 0;
  assert_int_equal(newsidx_lookup_key(db, "b", &id, NULL, NULL, &err), NEWSIDX_OK);
  assert_int_equal(
      test_query_int(newsidx_db_sqlite(db), "SELECT max(seq) FROM articles"),
      test_query_int(
          newsidx_db_sqlite(db),
          "SELECT seq FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'b')"));
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_delete_article(db, id, &err), NEWSIDX_OK);
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  put(db, "e", "UPI", "Cocoa harvest.");
  assert_string_equal(alerts(db, "cocoa"), "cocoa:e");
  rule *r = NULL;
  assert_int_equal(rules_get(db, "cocoa", &r, &err), NEWSIDX_OK);
  int64_t n_articles = 0, n_terms = 0;
  assert_int_equal(rules_reported(db, r, &n_articles, &n_terms, &err), NEWSIDX_OK);
  assert_int_equal(n_articles, 3); /* a, c, e */
  assert_non_null(r->last_run_at);
  rule_free(r);
}

/* A backfilled rule starts from the beginning; only the kinds of rules an output takes run. */
static void backfill_reports_what_is_there(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  put(db, "a", "Reuters", "Cocoa one.");
  put(db, "b", "Reuters", "Cocoa two.");
  assert_int_equal(add_rule(db, "all", RULE_QUERY, "cocoa", NULL, 1, &err), NEWSIDX_OK);
  assert_int_equal(add_rule(db, "words", RULE_NEW_TERMS, "", NULL, 0, &err), NEWSIDX_OK);
  delivered d = {0};
  alert_sink articles_only = sink_of(&d, 1 << RULE_QUERY);
  long n = 0;
  assert_int_equal(alerts_run(db, NULL, 0, time(NULL), 0, &articles_only, &n, &err), NEWSIDX_OK);
  assert_string_equal(d.text, "all:b all:a");
  assert_int_equal(
      alerts_run(db, (const char *[]){"words"}, 1, time(NULL), 0, &articles_only, &n, &err),
      NEWSIDX_MISUSE);
  assert_int_equal(
      alerts_run(db, (const char *[]){"nope"}, 1, time(NULL), 0, &articles_only, &n, &err),
      NEWSIDX_NOT_FOUND);
  assert_string_equal(alerts(db, "all"), "");
  put(db, "c", "Reuters", "Three, and cocoa.");
  memset(&d, 0, sizeof d); /* a rule named twice runs once */
  assert_int_equal(alerts_run(db, (const char *[]){"all", "all"}, 2, time(NULL), ALERTS_PEEK,
                              &articles_only, &n, &err),
                   NEWSIDX_OK);
  assert_int_equal(n, 1);
  assert_string_equal(alerts(db, NULL), "all:c words:and words:Three");
}

/* --peek delivers and moves nothing; a failed write or flush moves nothing either. */
static void peek_and_failed_output_move_nothing(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(add_rule(db, "cocoa", RULE_QUERY, "cocoa", NULL, 0, &err), NEWSIDX_OK);
  assert_int_equal(add_rule(db, "words", RULE_NEW_TERMS, "", NULL, 0, &err), NEWSIDX_OK);
  put(db, "a", "Reuters", "Cocoa zeppelins.");
  put(db, "b", "Reuters", "Cocoa again.");
  delivered d = {0};
  assert_string_equal(run(db, NULL, ALERTS_PEEK, &d, NEWSIDX_OK),
                      "cocoa:b cocoa:a words:Cocoa words:again words:zeppelins");
  delivered failing = {0};
  failing.fail_after = 2;
  run(db, NULL, 0, &failing, NEWSIDX_IO);
  delivered unflushed = {0};
  unflushed.fail_finish = 1;
  run(db, NULL, 0, &unflushed, NEWSIDX_IO);
  assert_int_equal(unflushed.n, 5);
  assert_string_equal(alerts(db, NULL), d.text);
  assert_string_equal(alerts(db, NULL), "");
}

/* What a run's sink does once its alerts are written, before they are acknowledged: the
** rule it ran is removed and another added, as `newsq rule rm x; newsq rule add y --backfill`
** in another terminal would. */
typedef struct replacing {
  delivered d;
  newsidx_db *db;
} replacing;

static int replace_rule(void *ctx) {
  replacing *r = ctx;
  newsidx_error err = {0};
  assert_int_equal(rules_remove(r->db, "x", &err), NEWSIDX_OK);
  assert_int_equal(add_rule(r->db, "y", RULE_QUERY, "cocoa", NULL, 1, &err), NEWSIDX_OK);
  return 0;
}

/* A rule removed and another added while a run is being written: the run's acknowledgment
** does not reach the new rule (it would take the removed rule's id without AUTOINCREMENT),
** which then reports everything it was asked to backfill. */
static void a_replaced_rule_keeps_its_own_mark(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(add_rule(db, "x", RULE_QUERY, "cocoa", NULL, 1, &err), NEWSIDX_OK);
  put(db, "a", "Reuters", "Cocoa one.");
  put(db, "b", "Reuters", "Cocoa two.");
  replacing r = {.db = db};
  alert_sink sink = sink_of(&r.d, 1 << RULE_QUERY);
  sink.finish = replace_rule;
  sink.ctx = &r;
  long n = 0;
  assert_int_equal(alerts_run(db, NULL, 0, time(NULL), 0, &sink, &n, &err), NEWSIDX_OK);
  assert_string_equal(r.d.text, "x:b x:a");
  rule *y = NULL;
  assert_int_equal(rules_get(db, "y", &y, &err), NEWSIDX_OK);
  assert_int_equal(y->cursor, 0);
  assert_null(y->last_run_at);
  int64_t n_articles = -1, n_terms = -1;
  assert_int_equal(rules_reported(db, y, &n_articles, &n_terms, &err), NEWSIDX_OK);
  assert_int_equal(n_articles, 0);
  rule_free(y);
  assert_string_equal(alerts(db, NULL), "y:b y:a");
}

/* New terms once; a term short of min_docs is looked at again until it gets there, or until
** wait_days have passed; a changed article's new words count. */
static void new_terms_wait_for_min_docs(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  put(db, "a", "Reuters", "Copper prices.");
  rule r = {0};
  r.name = "twice";
  r.kind = RULE_NEW_TERMS;
  r.query = "";
  r.min_docs = 2;
  r.wait_days = 7;
  r.term_flags = TERMS_WORDS;
  assert_int_equal(rules_add(db, &r, 0, &err), NEWSIDX_OK);
  free(r.created_at);
  put(db, "b", "Reuters", "Lithium prices. Operation Pacific Viper.");
  assert_string_equal(alerts(db, NULL), "");
  put(db, "c", "Reuters", "Lithium again, and cobalt.");
  assert_string_equal(alerts(db, NULL), "twice:Lithium");
  put(db, "a", "Reuters", "Copper prices with cobalt."); /* changed: cobalt reaches 2 */
  assert_string_equal(alerts(db, NULL), "twice:cobalt");
  assert_string_equal(alerts(db, NULL), "");

  /* "operation", "again", "with"... have one article each: the mark waits below them... */
  rule *stored = NULL;
  assert_int_equal(rules_get(db, "twice", &stored, &err), NEWSIDX_OK);
  int64_t max_seq = 0;
  assert_int_equal(rules_max_seq(db, &max_seq, &err), NEWSIDX_OK);
  assert_true(stored->cursor < max_seq);
  rule_free(stored);
  /* ...until they are older than wait_days: then it passes them */
  delivered d = {0};
  alert_sink sink = sink_of(&d, 1 << RULE_NEW_TERMS);
  long n = 0;
  assert_int_equal(alerts_run(db, NULL, 0, time(NULL) + 8 * 86400, 0, &sink, &n, &err), NEWSIDX_OK);
  assert_int_equal(n, 0);
  assert_int_equal(rules_get(db, "twice", &stored, &err), NEWSIDX_OK);
  assert_int_equal(stored->cursor, max_seq);
  rule_free(stored);
  assert_int_equal(test_query_int(newsidx_db_sqlite(db), "SELECT count(*) FROM rule_terms"), 0);
}

/* A new-terms rule with a query counts only the articles that match it. */
static void new_terms_within_a_query(void **state) {
  newsidx_db *db = *state;
  newsidx_error err = {0};
  assert_int_equal(add_rule(db, "metals", RULE_NEW_TERMS, "metal OR mine", NULL, 0, &err),
                   NEWSIDX_OK);
  put(db, "a", "Reuters", "Metal traders fear Viper.");
  put(db, "b", "Reuters", "Football fans cheer.");
  delivered d = {0};
  run(db, NULL, 0, &d, NEWSIDX_OK);
  assert_non_null(strstr(d.text, "metals:Viper"));
  assert_null(strstr(d.text, "Football"));
  assert_null(strstr(d.text, "cheer"));
  put(db, "c", "Reuters", "The mine is near Viper and the fans."); /* fans: now in a match */
  const char *second = alerts(db, NULL);
  assert_non_null(strstr(second, "metals:fans"));
  assert_non_null(strstr(second, "metals:mine"));
  assert_null(strstr(second, "Viper"));
  assert_null(strstr(second, "cheer"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(rules_are_stored_with_their_options, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_rules_are_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(each_article_is_reported_once, setup, teardown),
      cmocka_unit_test_setup_teardown(backfill_reports_what_is_there, setup, teardown),
      cmocka_unit_test_setup_teardown(peek_and_failed_output_move_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(a_replaced_rule_keeps_its_own_mark, setup, teardown),
      cmocka_unit_test_setup_teardown(new_terms_wait_for_min_docs, setup, teardown),
      cmocka_unit_test_setup_teardown(new_terms_within_a_query, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
