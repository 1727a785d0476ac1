/*
** rank.c — the ranking formulas. See rank.h.
*/
#include "rank.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define UNDATED_HALF_LIVES 10.0

newsidx_status_t rank_prepare(newsidx_db *db, rank_options *rank, newsidx_error *err) {
  if (rank->title_weight <= 0) rank->title_weight = RANK_TITLE_WEIGHT;
  if (rank->body_weight <= 0) rank->body_weight = RANK_BODY_WEIGHT;
  if (rank->half_life_days <= 0) rank->half_life_days = RANK_HALF_LIFE;
  rank->reference[0] = '\0';
  if (rank->sort != SEARCH_SORT_HYBRID) return NEWSIDX_OK;
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, "SELECT max(date) FROM articles", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *date = (const char *)sqlite3_column_text(stmt, 0);
    if (date) snprintf(rank->reference, sizeof rank->reference, "%s", date);
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, sqlite, rc, "reading the newest date");
  return NEWSIDX_OK;
}

/* Days since 1970-01-01 of an ISO date or date-time; NAN when it is neither. */
static double days_of(const char *date) {
  struct tm tm = {0};
  int y, m, d, h = 0, mi = 0, s = 0;
  if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3) return NAN;
  if (strlen(date) > 10) sscanf(date + 10, "T%2d:%2d:%2d", &h, &mi, &s);
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return (double)timegm(&tm) / 86400.0;
}

/* newsq_hybrid(BM25, DATE, REFERENCE, HALF_LIFE): FTS5's bm25 (negative, lower is better)
** turned into relevance × 2^(−age / half-life). */
static void hybrid(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  double relevance = -sqlite3_value_double(args[0]);
  double date = days_of((const char *)sqlite3_value_text(args[1]));
  double reference = days_of((const char *)sqlite3_value_text(args[2]));
  double half_life = sqlite3_value_double(args[3]);
  double age = isnan(date) || isnan(reference) ? UNDATED_HALF_LIVES * half_life : reference - date;
  if (age < 0) age = 0;
  sqlite3_result_double(ctx, relevance * exp2(-age / half_life));
}

int rank_register(sqlite3 *sqlite) {
  return sqlite3_create_function(sqlite, "newsq_hybrid", 4,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                 hybrid, NULL, NULL);
}

int rank_needs_article(const rank_options *rank, int listing) {
  return listing || rank->sort != SEARCH_SORT_RELEVANCE;
}

void rank_score_sql(const rank_options *rank, int listing, sql_builder *b) {
  if (listing) {
    sql_text(b, "0.0");
  } else if (rank->sort == SEARCH_SORT_RELEVANCE) {
    sql_text(b, "-articles_fts.rank");
  } else {
    sql_text(b, rank->sort == SEARCH_SORT_HYBRID ? "newsq_hybrid(bm25(articles_fts, "
                                                 : "-bm25(articles_fts, ");
    sql_bind_double(b, rank->title_weight);
    sql_text(b, ", ");
    sql_bind_double(b, rank->body_weight);
    if (rank->sort == SEARCH_SORT_HYBRID) {
      sql_text(b, "), a.date, ");
      sql_bind_text(b, rank->reference);
      sql_text(b, ", ");
      sql_bind_double(b, rank->half_life_days);
    }
    sql_text(b, ")");
  }
}

void rank_where_sql(const rank_options *rank, int listing, sql_builder *b) {
  if (listing || rank->sort != SEARCH_SORT_RELEVANCE) return;
  char spec[80];
  snprintf(spec, sizeof spec, "bm25(%.17g, %.17g)", rank->title_weight, rank->body_weight);
  sql_text(b, " AND articles_fts.rank MATCH ");
  sql_bind_text(b, spec);
}

void rank_order_sql(const rank_options *rank, int listing, sql_builder *b) {
  if (!listing && rank->sort == SEARCH_SORT_RELEVANCE)
    sql_text(b, " ORDER BY articles_fts.rank");
  else if (!listing && rank->sort == SEARCH_SORT_HYBRID)
    sql_text(b, " ORDER BY 2 DESC, 1 DESC"); /* the score column, then the id */
  else
    sql_text(b, " ORDER BY a.date DESC, a.id DESC");
}
