/*
** rules.c — the store of alert rules and of what they reported. See rules.h.
**
** rules.options is a JSON object with what a rule has besides its query:
**   query rules      {"since":"7d","until":null,"sources":["Reuters"],"tags":[],"langs":[]}
**   new-terms rules  {"min_docs":3,"words":true,"names":true,"all_tokens":false,"wait_days":7}
*/
#include "rules.h"
#include "terms.h"
#include "util/alloc.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

void rule_free(rule *r) {
  if (!r) return;
  free(r->name);
  free(r->query);
  free(r->since);
  free(r->until);
  char **lists[] = {r->sources, r->tags, r->langs};
  int counts[] = {r->n_sources, r->n_tags, r->n_langs};
  for (int l = 0; l < 3; l++) {
    for (int i = 0; i < counts[l]; i++)
      free(lists[l][i]);
    free(lists[l]);
  }
  free(r->created_at);
  free(r->last_run_at);
  free(r);
}

void rules_free_all(rule **rules, int n) {
  for (int i = 0; i < n; i++)
    rule_free(rules[i]);
  free(rules);
}

int rule_name_valid(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > RULE_NAME_MAX || name[0] == '-' || name[0] == '.') return 0;
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '_' || *p == '.'))
      return 0;
  return 1;
}

/* ---- options as JSON ---------------------------------------------------------------------- */

static json_t *string_list(char *const *values, int n) {
  json_t *list = json_array();
  for (int i = 0; list && i < n; i++)
    json_array_append_new(list, json_string(values[i]));
  return list;
}

/* The JSON text of r's options (free() it), or NULL when out of memory. */
static char *options_json(const rule *r) {
  json_t *o;
  if (r->kind == RULE_NEW_TERMS) {
    int flags = r->term_flags & (TERMS_WORDS | TERMS_NAMES)
                    ? r->term_flags
                    : r->term_flags | TERMS_WORDS | TERMS_NAMES;
    o = json_pack("{s:I, s:b, s:b, s:b, s:i}", "min_docs", (json_int_t)r->min_docs, "words",
                  (flags & TERMS_WORDS) != 0, "names", (flags & TERMS_NAMES) != 0, "all_tokens",
                  (flags & TERMS_ALL_TOKENS) != 0, "wait_days", r->wait_days);
  } else {
    o = json_pack("{s:s?, s:s?, s:o, s:o, s:o}", "since", r->since, "until", r->until, "sources",
                  string_list(r->sources, r->n_sources), "tags", string_list(r->tags, r->n_tags),
                  "langs", string_list(r->langs, r->n_langs));
  }
  char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(o);
  return text;
}

/* Copies a JSON list of strings into *values (n of them). Returns 0, or -1 out of memory. */
static int read_list(json_t *list, char ***values, int *n) {
  *values = NULL;
  *n = 0;
  size_t size = json_array_size(list);
  if (!size) return 0;
  if (!(*values = calloc(size, sizeof **values))) return -1;
  for (size_t i = 0; i < size; i++) {
    const char *s = json_string_value(json_array_get(list, i));
    if (!s) continue;
    if (!((*values)[*n] = strdup(s))) return -1;
    (*n)++;
  }
  return 0;
}

static int copy_or_null(const char *s, char **out) {
  *out = s ? strdup(s) : NULL;
  return s && !*out ? -1 : 0;
}

/* Fills r's settings from the options text. Unknown keys are ignored (a later newsq may add
** some); missing ones take their defaults. Returns 0, or -1 when the text is not a JSON
** object or memory ran out. */
static int read_options(rule *r, const char *text) {
  json_t *o = json_loads(text ? text : "{}", 0, NULL);
  if (!json_is_object(o)) {
    json_decref(o);
    return -1;
  }
  int rc = 0;
  json_t *min_docs = json_object_get(o, "min_docs"), *wait = json_object_get(o, "wait_days");
  r->min_docs = json_is_integer(min_docs) ? (long long)json_integer_value(min_docs) : 1;
  r->wait_days = json_is_integer(wait) ? (int)json_integer_value(wait) : 7;
  r->term_flags = (json_is_false(json_object_get(o, "words")) ? 0 : TERMS_WORDS) |
                  (json_is_false(json_object_get(o, "names")) ? 0 : TERMS_NAMES) |
                  (json_is_true(json_object_get(o, "all_tokens")) ? TERMS_ALL_TOKENS : 0);
  rc |= copy_or_null(json_string_value(json_object_get(o, "since")), &r->since);
  rc |= copy_or_null(json_string_value(json_object_get(o, "until")), &r->until);
  rc |= read_list(json_object_get(o, "sources"), &r->sources, &r->n_sources);
  rc |= read_list(json_object_get(o, "tags"), &r->tags, &r->n_tags);
  rc |= read_list(json_object_get(o, "langs"), &r->langs, &r->n_langs);
  json_decref(o);
  return rc ? -1 : 0;
}

/* ---- reading and writing rules ------------------------------------------------------------ */

#define RULE_COLUMNS "id, name, kind, query, options, cursor, created_at, last_run_at"

/* A new rule from a row of RULE_COLUMNS; NULL when out of memory or the options are bad. */
static rule *rule_from_row(sqlite3_stmt *stmt, newsidx_error *err) {
  rule *r = calloc(1, sizeof *r);
  const char *name = (const char *)sqlite3_column_text(stmt, 1);
  if (r) {
    r->id = sqlite3_column_int64(stmt, 0);
    r->kind = sqlite3_column_int(stmt, 2) == RULE_NEW_TERMS ? RULE_NEW_TERMS : RULE_QUERY;
    r->cursor = sqlite3_column_int64(stmt, 5);
  }
  if (!r || copy_or_null(name, &r->name) ||
      copy_or_null((const char *)sqlite3_column_text(stmt, 3), &r->query) ||
      copy_or_null((const char *)sqlite3_column_text(stmt, 6), &r->created_at) ||
      copy_or_null((const char *)sqlite3_column_text(stmt, 7), &r->last_run_at)) {
    rule_free(r);
    newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
    return NULL;
  }
  if (read_options(r, (const char *)sqlite3_column_text(stmt, 4)) != 0) {
    rule_free(r);
    newsidx_error_set(err, NEWSIDX_CORRUPT, "rule '%s': its options are not valid JSON",
                      name ? name : "?");
    return NULL;
  }
  return r;
}

newsidx_status_t rules_max_seq(newsidx_db *db, int64_t *seq, newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite,
                              "SELECT max(coalesce((SELECT max(seq) FROM articles), 0),"
                              " coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                              " WHERE key = 'seq_floor'), 0))",
                              -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) return newsidx_error_sqlite(err, sqlite, rc, "reading the newest seq");
  return NEWSIDX_OK;
}

newsidx_status_t rules_add(newsidx_db *db, rule *r, int backfill, newsidx_error *err) {
  if (!rule_name_valid(r->name))
    return newsidx_error_set(err, NEWSIDX_INPUT,
                             "bad rule name '%s': use up to %d letters, digits, '-', '_' and '.'",
                             r->name, RULE_NAME_MAX);
  char *options = options_json(r);
  if (!options) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  char now[NEWSIDX_DATE_MAX];
  newsidx_now_iso(now);
  int64_t cursor = 0, id = 0;
  newsidx_status_t status = newsidx_begin(db, err);
  if (status == NEWSIDX_OK && !backfill) status = rules_max_seq(db, &cursor, err);
  if (status == NEWSIDX_OK)
    status = newsidx_rule_add(db, r->name, r->kind, r->query, options, cursor, now, &id, err);
  if (status == NEWSIDX_OK) {
    r->id = id;
    r->cursor = cursor;
    free(r->created_at);
    if (!(r->created_at = strdup(now)))
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  if (status == NEWSIDX_OK)
    status = newsidx_commit(db, err);
  else
    newsidx_rollback(db);
  free(options);
  return status;
}

newsidx_status_t rules_get(newsidx_db *db, const char *name, rule **out, newsidx_error *err) {
  *out = NULL;
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, "SELECT " RULE_COLUMNS " FROM rules WHERE name = ?1", -1,
                              &stmt, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
  }
  newsidx_status_t status = NEWSIDX_OK;
  if (rc == SQLITE_ROW) {
    if (!(*out = rule_from_row(stmt, err))) status = err ? err->status : NEWSIDX_NOMEM;
  } else if (rc == SQLITE_DONE) {
    status = newsidx_error_set(err, NEWSIDX_NOT_FOUND, "no rule named '%s'", name);
  } else {
    status = newsidx_error_sqlite(err, sqlite, rc, "reading a rule");
  }
  sqlite3_finalize(stmt);
  return status;
}

newsidx_status_t rules_list(newsidx_db *db, rule ***out, int *n, newsidx_error *err) {
  *out = NULL;
  *n = 0;
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, "SELECT " RULE_COLUMNS " FROM rules ORDER BY name", -1, &stmt,
                              NULL);
  newsidx_status_t status = NEWSIDX_OK;
  rule **rules = NULL;
  int cap = 0;
  while (status == NEWSIDX_OK && rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      rule **grown = realloc(rules, (size_t)cap * sizeof *grown);
      if (!grown) {
        status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
        break;
      }
      rules = grown;
    }
    if (!(rules[*n] = rule_from_row(stmt, err)))
      status = err ? err->status : NEWSIDX_NOMEM;
    else
      (*n)++;
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, sqlite, rc, "listing rules");
  sqlite3_finalize(stmt);
  if (status != NEWSIDX_OK) {
    rules_free_all(rules, *n);
    *n = 0;
    return status;
  }
  *out = rules;
  return NEWSIDX_OK;
}

newsidx_status_t rules_remove(newsidx_db *db, const char *name, newsidx_error *err) {
  newsidx_status_t status = newsidx_begin(db, err);
  if (status == NEWSIDX_OK) status = newsidx_rule_remove(db, name, err);
  if (status == NEWSIDX_OK) return newsidx_commit(db, err);
  newsidx_rollback(db);
  return status;
}

/* Runs `sql` (one integer, ?1 bound to id) into *out. */
static newsidx_status_t count_of(sqlite3 *sqlite, const char *sql, int64_t id, int64_t *out,
                                 newsidx_error *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(stmt, 1, id);
    rc = sqlite3_step(stmt);
  }
  *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) return newsidx_error_sqlite(err, sqlite, rc, "counting what was reported");
  return NEWSIDX_OK;
}

newsidx_status_t rules_reported(newsidx_db *db, const rule *r, int64_t *n_articles,
                                int64_t *n_terms, newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  newsidx_status_t status =
      count_of(sqlite, "SELECT count(*) FROM rule_hits WHERE rule_id = ?1", r->id, n_articles, err);
  if (status == NEWSIDX_OK)
    status =
        count_of(sqlite, "SELECT count(*) FROM rule_terms WHERE rule_id = ?1", r->id, n_terms, err);
  return status;
}

/* ---- what a rule reported, during a run -------------------------------------------------- */

struct rule_seen {
  sqlite3 *sqlite;
  sqlite3_stmt *article, *term;
};

newsidx_status_t rule_seen_open(newsidx_db *db, const rule *r, rule_seen **out,
                                newsidx_error *err) {
  *out = NULL;
  rule_seen *seen = calloc(1, sizeof *seen);
  if (!seen) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  seen->sqlite = newsidx_db_sqlite(db);
  int rc = sqlite3_prepare_v2(seen->sqlite,
                              "SELECT 1 FROM rule_hits WHERE rule_id = ?1 AND article_id = ?2", -1,
                              &seen->article, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(seen->sqlite,
                            "SELECT 1 FROM rule_terms WHERE rule_id = ?1 AND term = ?2"
                            " AND kind = ?3",
                            -1, &seen->term, NULL);
  if (rc != SQLITE_OK) {
    newsidx_status_t status = newsidx_error_sqlite(err, seen->sqlite, rc, "reading the hits");
    rule_seen_close(seen);
    return status;
  }
  sqlite3_bind_int64(seen->article, 1, r->id);
  sqlite3_bind_int64(seen->term, 1, r->id);
  *out = seen;
  return NEWSIDX_OK;
}

/* Steps a lookup: 1 found, 0 not, -1 error. */
static int lookup(rule_seen *seen, sqlite3_stmt *stmt, newsidx_error *err) {
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  newsidx_error_sqlite(err, seen->sqlite, rc, "reading the hits");
  return -1;
}

int rule_seen_article(rule_seen *seen, int64_t article_id, newsidx_error *err) {
  sqlite3_bind_int64(seen->article, 2, article_id);
  return lookup(seen, seen->article, err);
}

int rule_seen_term(rule_seen *seen, const char *term, int is_name, newsidx_error *err) {
  sqlite3_bind_text(seen->term, 2, term, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(seen->term, 3, is_name ? 1 : 0);
  return lookup(seen, seen->term, err);
}

void rule_seen_close(rule_seen *seen) {
  if (!seen) return;
  sqlite3_finalize(seen->article);
  sqlite3_finalize(seen->term);
  free(seen);
}

/* ---- acknowledging ------------------------------------------------------------------------ */

int rule_ack_article(rule_ack *ack, int64_t article_id) {
  if (newsidx_reserve((void **)&ack->articles, &ack->cap_articles, ack->n_articles, 1,
                      sizeof *ack->articles) != 0)
    return -1;
  ack->articles[ack->n_articles++] = article_id;
  return 0;
}

int rule_ack_term(rule_ack *ack, const char *term, int is_name, int64_t seq) {
  char *copy = strdup(term);
  if (!copy ||
      newsidx_reserve((void **)&ack->terms, &ack->cap_terms, ack->n_terms, 1, sizeof *ack->terms)) {
    free(copy);
    return -1;
  }
  ack->terms[ack->n_terms++] = (rule_term_ref){copy, is_name, seq};
  return 0;
}

void rule_ack_free(rule_ack *ack) {
  for (size_t i = 0; i < ack->n_terms; i++)
    free((char *)ack->terms[i].term); /* rule_ack_term()'s copy */
  free(ack->terms);
  free(ack->articles);
  memset(ack, 0, sizeof *ack);
}

newsidx_status_t rules_ack(newsidx_db *db, const rule_ack *acks, int n_acks, const char *now,
                           newsidx_error *err) {
  newsidx_status_t status = newsidx_begin(db, err);
  for (int i = 0; status == NEWSIDX_OK && i < n_acks; i++)
    status = newsidx_rule_record_run(db, acks[i].rule_id, acks[i].articles, acks[i].n_articles,
                                     acks[i].terms, acks[i].n_terms, acks[i].cursor, now, err);
  if (status == NEWSIDX_OK) return newsidx_commit(db, err);
  newsidx_rollback(db);
  return status;
}
