/*
** rank.c — the ranking formulas. See rank.h.
*/
#include "rank.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNDATED_HALF_LIVES 10.0
#define BM25_K1            1.2 /* FTS5's bm25() constants */
#define BM25_B             0.75
#define BM25_MIN_IDF       1e-6 /* what bm25() takes for an IDF that is not positive */

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

/* Relevance × 2^(−age / half-life), with age the days from `date` to `reference` (NAN when
** there is no date: ten half-lives). */
static double recency(double relevance, double date, double reference, double half_life) {
  double age = isnan(date) || isnan(reference) ? UNDATED_HALF_LIVES * half_life : reference - date;
  if (age < 0) age = 0;
  return relevance * exp2(-age / half_life);
}

/* newsq_hybrid(BM25, DATE, REFERENCE, HALF_LIFE): FTS5's bm25 (negative, lower is better)
** turned into the hybrid score. */
static void hybrid(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  sqlite3_result_double(ctx, recency(-sqlite3_value_double(args[0]),
                                     days_of((const char *)sqlite3_value_text(args[1])),
                                     days_of((const char *)sqlite3_value_text(args[2])),
                                     sqlite3_value_double(args[3])));
}

/* ---- newsidx_rank() ------------------------------------------------------------------------ */

void rank_run_init(rank_run *run, const rank_options *rank, const newsidx_docinfo *info,
                   const query_date_check *dates, int scans_one_phrase, long k,
                   match_store *matches, long capture) {
  memset(run, 0, sizeof *run);
  run->rank = rank;
  run->info = info;
  run->dates = dates;
  run->scans_one_phrase = scans_one_phrase;
  topk_ties ties =
      rank->sort == SEARCH_SORT_DATE ? TOPK_TIES_HIGH_ID_FIRST : TOPK_TIES_LOW_ID_FIRST;
  topk_init(&run->top, k, ties);
  run->matches = matches;
  run->separate_capture = matches && capture != k;
  topk_init(&run->captured, run->separate_capture ? capture : 0, ties);
  run->reference_days = days_of(rank->reference[0] ? rank->reference : NULL);
}

void rank_run_free(rank_run *run) {
  topk_free(&run->top);
  topk_free(&run->captured);
  free(run->idf);
  run->idf = NULL;
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *n) {
  (*(sqlite3_int64 *)n)++;
  return SQLITE_OK;
}

/* The first row of a statement: N, avgdl and the IDFs, as bm25() computes them, and the check
** that the facts describe the same index. */
static int start_run(const Fts5ExtensionApi *api, Fts5Context *fts, rank_run *run) {
  sqlite3_int64 n_rows = 0, n_tokens = 0;
  int rc = api->xRowCount(fts, &n_rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &n_tokens);
  if (rc != SQLITE_OK) return rc;
  if (n_rows != run->info->n_indexed || n_tokens != run->info->total_tokens) {
    run->stale = 1;
    return SQLITE_ABORT;
  }
  run->avgdl = (double)n_tokens / (double)n_rows;
  run->started = 1;
  if (run->rank->sort == SEARCH_SORT_DATE) return SQLITE_OK; /* no scores */
  run->n_phrases = api->xPhraseCount(fts);
  run->idf = calloc((size_t)(run->n_phrases > 0 ? run->n_phrases : 1), sizeof *run->idf);
  if (!run->idf) return SQLITE_NOMEM;
  /* With one phrase every score is its IDF times the rest: the order does not depend on it,
  ** and when the statement visits exactly that phrase's rows, their number is n. */
  run->defer_idf =
      run->n_phrases == 1 && run->scans_one_phrase && run->rank->sort == SEARCH_SORT_RELEVANCE;
  for (int i = 0; rc == SQLITE_OK && i < run->n_phrases; i++) {
    sqlite3_int64 n_hit = 0;
    if (run->defer_idf) {
      run->idf[i] = 1.0;
      continue;
    }
    /* a stored count when there is one for this phrase (one word: size 1), else counted */
    if (run->n_phrase_docs == run->n_phrases && run->phrase_docs[i] >= 0 &&
        api->xPhraseSize(fts, i) == 1)
      n_hit = run->phrase_docs[i];
    else
      rc = api->xQueryPhrase(fts, i, &n_hit, count_row);
    double idf = log((n_rows - n_hit + 0.5) / (n_hit + 0.5));
    run->idf[i] = idf <= 0.0 ? BM25_MIN_IDF : idf;
  }
  return rc;
}

/* The BM25 score of the current row, whose length is D tokens. */
static int bm25_of_row(const Fts5ExtensionApi *api, Fts5Context *fts, const rank_run *run, double D,
                       double *out) {
  const double k1 = BM25_K1, b = BM25_B;
  double weight[2] = {run->rank->title_weight, run->rank->body_weight};
  double score = 0.0;
  for (int i = 0; i < run->n_phrases; i++) {
    Fts5PhraseIter iter;
    int col, offset;
    double freq = 0.0;
    int rc = api->xPhraseFirst(fts, i, &iter, &col, &offset);
    if (rc != SQLITE_OK) return rc;
    for (; col >= 0; api->xPhraseNext(fts, &iter, &col, &offset))
      freq += col < 2 ? weight[col] : 1.0;
    /* bm25()'s expression, term for term: the same rounding */
    score += run->idf[i] * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * D / run->avgdl)));
  }
  *out = score;
  return SQLITE_OK;
}

/* Offers the row to the heap, recording its match positions when it enters the captured
** rows; drops the positions of rows pushed out once they pile up. */
static int keep_row(const Fts5ExtensionApi *api, Fts5Context *fts, rank_run *run, double score,
                    int64_t id) {
  int rc = SQLITE_OK;
  topk *capture = run->separate_capture ? &run->captured : &run->top;
  int capturing = run->matches && topk_would_take(capture, score, id);
  if (capturing) rc = match_store_begin(run->matches, api, fts);
  if (capturing && rc == SQLITE_OK) rc = match_store_capture(run->matches, api, fts, id);
  if (rc == SQLITE_OK && capturing && run->separate_capture &&
      topk_add(&run->captured, score, id) != 0)
    rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK && topk_add(&run->top, score, id) != 0) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK && capturing && capture->k >= 0 &&
      run->matches->n_records > 4 * capture->k + 1024 &&
      match_store_keep(run->matches, capture->items, capture->n) != 0)
    rc = SQLITE_NOMEM;
  if (rc == SQLITE_NOMEM) run->failed = 1;
  return rc;
}

static void rank_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int n_args, sqlite3_value **args) {
  rank_run *run = n_args == 1 ? sqlite3_value_pointer(args[0], RANK_RUN_POINTER) : NULL;
  if (!run) {
    sqlite3_result_error(ctx, "newsidx_rank: expected (table, run pointer)", -1);
    return;
  }
  int rc = run->started ? SQLITE_OK : start_run(api, fts, run);
  int64_t id = api->xRowid(fts);
  const newsidx_docinfo *info = run->info;
  run->last_id = id;
  if (rc == SQLITE_OK && (id < 0 || id >= info->n_ids || info->when[id] == NEWSIDX_WHEN_ABSENT)) {
    run->stale = 1;
    rc = SQLITE_ABORT;
  }
  if (rc == SQLITE_OK && run->dates && !query_date_check_passes(run->dates, info->when[id])) {
    sqlite3_result_null(ctx);
    return;
  }
  double score = 0.0;
  if (rc == SQLITE_OK && run->rank->sort == SEARCH_SORT_DATE)
    /* `when` values are below 2^53 in magnitude (years 1 to 9999): exact as doubles; the
    ** undated and absent values both become -2^63, below every date */
    score = (double)info->when[id];
  else if (rc == SQLITE_OK)
    rc = bm25_of_row(api, fts, run, (double)info->n_tokens[id], &score);
  if (rc == SQLITE_OK && run->rank->sort == SEARCH_SORT_HYBRID) {
    int64_t when = info->when[id];
    double date = when > NEWSIDX_WHEN_UNDATED ? newsidx_when_seconds(when) / 86400.0 : NAN;
    score = recency(score, date, run->reference_days, run->rank->half_life_days);
  }
  if (rc == SQLITE_OK) rc = keep_row(api, fts, run, score, id);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  run->n_scored++;
  sqlite3_result_null(ctx);
}

int rank_run_finish(rank_run *run) {
  if (run->defer_idf) {
    /* n: every row of the phrase was visited and scored (no date filter when deferring) */
    double idf = log((run->info->n_indexed - run->n_scored + 0.5) / (run->n_scored + 0.5));
    if (idf <= 0.0) idf = BM25_MIN_IDF;
    for (long i = 0; i < run->top.n; i++)
      run->top.items[i].key = idf * run->top.items[i].key;
  }
  topk *capture = run->separate_capture ? &run->captured : &run->top;
  if (run->matches && match_store_keep(run->matches, capture->items, capture->n) != 0) return -1;
  return 0;
}

int rank_register(sqlite3 *sqlite, fts5_api *fts5) {
  int rc = sqlite3_create_function(sqlite, "newsq_hybrid", 4,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   hybrid, NULL, NULL);
  if (rc == SQLITE_OK) rc = fts5->xCreateFunction(fts5, "newsidx_rank", NULL, rank_function, NULL);
  return rc;
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
    sql_text(b, " ORDER BY 2 DESC, 1"); /* the score column, then the id */
  else
    sql_text(b, " ORDER BY a.date DESC, a.id DESC");
}
