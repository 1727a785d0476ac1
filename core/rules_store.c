/*
** rules_store.c — the writes of the alert rules' tables (schema.c, versions 4 and 14), which
** core owns with their schema. What to report is newsq's (query/monitor/rules.c). See newsidx.h.
*/
#include "db_internal.h"

#include <assert.h>

/* Rule writes are few (one run of each rule per `newsq alerts`): prepared per call, so that
** they take none of the connection's cached statements, which the writer needs. */

/* Steps `stmt` to its end and finalizes it; `context` names the write in a message. */
static newsidx_status_t step_once(newsidx_db *db, sqlite3_stmt *stmt, const char *context,
                                  newsidx_error *err) {
  int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return NEWSIDX_OK;
  return newsidx_error_sqlite(err, db->sqlite, rc, context);
}

newsidx_status_t newsidx_rule_add(newsidx_db *db, const char *name, int kind, const char *query,
                                  const char *options, int64_t cursor, const char *created_at,
                                  int64_t *id, newsidx_error *err) {
  assert(!sqlite3_get_autocommit(db->sqlite)); /* inside the caller's transaction */
  sqlite3_stmt *stmt;
  newsidx_status_t status =
      newsidx_prepare(db,
                      "INSERT INTO rules(name, kind, query, options, cursor, created_at)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                      &stmt, "adding the rule", err);
  if (status != NEWSIDX_OK) return status;
  sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int(stmt, 2, kind);
  sqlite3_bind_text(stmt, 3, query ? query : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, options, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 5, cursor);
  sqlite3_bind_text(stmt, 6, created_at, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    status = newsidx_error_set(err, NEWSIDX_INPUT, "a rule named '%s' exists", name);
  else if (rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, db->sqlite, rc, "adding the rule");
  sqlite3_finalize(stmt);
  if (status == NEWSIDX_OK) *id = sqlite3_last_insert_rowid(db->sqlite);
  return status;
}

newsidx_status_t newsidx_rule_remove(newsidx_db *db, const char *name, newsidx_error *err) {
  assert(!sqlite3_get_autocommit(db->sqlite));
  static const char *const steps[] = {
      "DELETE FROM rule_hits WHERE rule_id = (SELECT id FROM rules WHERE name = ?1)",
      "DELETE FROM rule_terms WHERE rule_id = (SELECT id FROM rules WHERE name = ?1)",
      "DELETE FROM rules WHERE name = ?1", /* last: its changes say whether there was one */
  };
  newsidx_status_t status = NEWSIDX_OK;
  for (size_t i = 0; status == NEWSIDX_OK && i < sizeof steps / sizeof steps[0]; i++) {
    sqlite3_stmt *stmt;
    status = newsidx_prepare(db, steps[i], &stmt, "removing the rule", err);
    if (status != NEWSIDX_OK) break;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    status = step_once(db, stmt, "removing the rule", err);
  }
  if (status == NEWSIDX_OK && sqlite3_changes(db->sqlite) == 0)
    status = newsidx_error_set(err, NEWSIDX_NOT_FOUND, "no rule named '%s'", name);
  return status;
}

enum { RUN_HIT, RUN_TERM, RUN_MARK, RUN_PRUNE, N_RUN };

static const char *const run_sql[N_RUN] = {
    /* only for a rule and an article that still exist: a rule's id is never given again
    ** (AUTOINCREMENT, schema version 14), so a rule removed while its run was written is
    ** skipped, and never mistaken for a rule added after it */
    [RUN_HIT] = "INSERT OR IGNORE INTO rule_hits(rule_id, article_id, reported_at)"
                " SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM rules WHERE id = ?1)"
                " AND EXISTS (SELECT 1 FROM articles WHERE id = ?2)",
    [RUN_TERM] = "INSERT OR IGNORE INTO rule_terms(rule_id, term, kind, seq, reported_at)"
                 " SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM rules WHERE id = ?1)",
    [RUN_MARK] = "UPDATE rules SET cursor = max(cursor, ?2), last_run_at = ?3 WHERE id = ?1",
    [RUN_PRUNE] = "DELETE FROM rule_terms WHERE rule_id = ?1 AND seq <= ?2",
};

/* Steps and resets a prepared write. */
static newsidx_status_t step_write(newsidx_db *db, sqlite3_stmt *stmt, newsidx_error *err) {
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return newsidx_error_sqlite(err, db->sqlite, rc, "recording the alerts");
  return NEWSIDX_OK;
}

/* Records the run with the prepared statements st[N_RUN]. */
static newsidx_status_t record_run(newsidx_db *db, sqlite3_stmt **st, int64_t rule_id,
                                   const int64_t *articles, size_t n_articles,
                                   const newsidx_rule_term *terms, size_t n_terms, int64_t cursor,
                                   const char *now, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  for (size_t i = 0; status == NEWSIDX_OK && i < n_articles; i++) {
    sqlite3_bind_int64(st[RUN_HIT], 1, rule_id);
    sqlite3_bind_int64(st[RUN_HIT], 2, articles[i]);
    sqlite3_bind_text(st[RUN_HIT], 3, now, -1, SQLITE_STATIC);
    status = step_write(db, st[RUN_HIT], err);
  }
  for (size_t i = 0; status == NEWSIDX_OK && i < n_terms; i++) {
    sqlite3_bind_int64(st[RUN_TERM], 1, rule_id);
    sqlite3_bind_text(st[RUN_TERM], 2, terms[i].term, -1, SQLITE_STATIC);
    sqlite3_bind_int(st[RUN_TERM], 3, terms[i].is_name);
    sqlite3_bind_int64(st[RUN_TERM], 4, terms[i].seq);
    sqlite3_bind_text(st[RUN_TERM], 5, now, -1, SQLITE_STATIC);
    status = step_write(db, st[RUN_TERM], err);
  }
  if (status == NEWSIDX_OK) {
    sqlite3_bind_int64(st[RUN_MARK], 1, rule_id);
    sqlite3_bind_int64(st[RUN_MARK], 2, cursor);
    sqlite3_bind_text(st[RUN_MARK], 3, now, -1, SQLITE_STATIC);
    status = step_write(db, st[RUN_MARK], err);
  }
  if (status == NEWSIDX_OK) {
    sqlite3_bind_int64(st[RUN_PRUNE], 1, rule_id);
    sqlite3_bind_int64(st[RUN_PRUNE], 2, cursor);
    status = step_write(db, st[RUN_PRUNE], err);
  }
  return status;
}

newsidx_status_t newsidx_rule_record_run(newsidx_db *db, int64_t rule_id, const int64_t *articles,
                                         size_t n_articles, const newsidx_rule_term *terms,
                                         size_t n_terms, int64_t cursor, const char *now,
                                         newsidx_error *err) {
  assert(!sqlite3_get_autocommit(db->sqlite));
  sqlite3_stmt *st[N_RUN] = {NULL};
  newsidx_status_t status = NEWSIDX_OK;
  for (int i = 0; status == NEWSIDX_OK && i < N_RUN; i++)
    status = newsidx_prepare(db, run_sql[i], &st[i], "recording the alerts", err);
  if (status == NEWSIDX_OK)
    status = record_run(db, st, rule_id, articles, n_articles, terms, n_terms, cursor, now, err);
  for (int i = 0; i < N_RUN; i++)
    sqlite3_finalize(st[i]);
  return status;
}
