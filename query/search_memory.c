/*
** search_memory.c — the first step of a page in memory, with the document facts. See
** search_internal.h.
**
** Both kinds of statement read FTS5's matches in rowid order, restricted to the ids whose
** dates can pass the positive date filters (a rowid range FTS5 applies while it reads its
** doclists; exact when articles were added in date order, wider otherwise), and join the
** articles row only for the filters that need it (source, tag, language): the exact date check
** is done per match from the facts.
**
**   relevance, hybrid  SELECT count(newsidx_rank(articles_fts, RUN)) FROM … WHERE … : one step
**                      scores every match (rank.h) and leaves the page in RUN's heap.
**   newest first       SELECT rowid FROM … WHERE … ORDER BY rowid DESC: the heap keeps the K
**                      newest seen; once the K-th newest is at least as new as every id below
**                      the current one (the facts' newest_upto), no later row can enter it.
*/
#include "search_internal.h"

#include <stdio.h>
#include <string.h>

int search_in_memory(const search *s) { return !s->listing && s->dates_in_memory; }

/* Appends " FROM … WHERE …" over the matches the facts can take. *all_of_phrase is set when
** the statement visits every match of the query and nothing else (no filter, no range). */
static void append_candidates(const search *s, const newsidx_docinfo *info, sql_builder *b,
                              int *all_of_phrase) {
  int joined = query_filters_need_row(&s->plan.filters);
  sql_text(b, joined ? " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                     : " FROM articles_fts");
  sql_text(b, " WHERE articles_fts MATCH ");
  sql_bind_text(b, s->plan.match);
  int64_t lo = 0, hi = info->n_ids - 1;
  if (s->dates.n) {
    query_date_check_ids(&s->dates, info, &lo, &hi);
    sql_text(b, " AND articles_fts.rowid BETWEEN ");
    sql_bind_int(b, lo);
    sql_text(b, " AND ");
    sql_bind_int(b, hi);
  }
  if (joined) query_filters_sql_without_dates(&s->plan.filters, "a", b);
  *all_of_phrase = !joined && s->dates.n == 0;
}

/* The statement of the first step; `run` is bound for the rankings (may be NULL to explain). */
static void build_statement(const search *s, const newsidx_docinfo *info, rank_run *run,
                            sql_builder *b, int *all_of_phrase) {
  if (s->rank.sort == SEARCH_SORT_DATE) {
    sql_text(b, "SELECT articles_fts.rowid");
    append_candidates(s, info, b, all_of_phrase);
    sql_text(b, " ORDER BY articles_fts.rowid DESC");
  } else {
    sql_text(b, "SELECT newsidx_rank(articles_fts, ");
    sql_bind_pointer(b, run, RANK_RUN_POINTER);
    sql_text(b, ")");
    append_candidates(s, info, b, all_of_phrase);
  }
}

/* Relevance and hybrid: one step of the aggregate runs newsidx_rank() over every match. */
static newsidx_status_t ranked_page(search *s, const newsidx_docinfo *info, long k, topk *page,
                                    int *done, newsidx_error *err) {
  rank_run run;
  sql_builder b = {0};
  int all_of_phrase = 0;
  build_statement(s, info, &run, &b, &all_of_phrase);
  rank_run_init(&run, &s->rank, info, s->dates.n ? &s->dates : NULL, all_of_phrase, k);
  sqlite3_stmt *stmt = NULL;
  int row = 0;
  newsidx_error step_err = {0};
  newsidx_status_t status = sql_prepare(&b, s->sqlite, "the ranking", &stmt, err);
  do
    if (status == NEWSIDX_OK) status = search_step(s, stmt, &row, "ranking", &step_err);
  while (status == NEWSIDX_OK && row);
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  if (run.stale) { /* the facts describe another index: let SQLite rank */
    *done = 0;
    status = NEWSIDX_OK;
  } else if (run.failed && status != NEWSIDX_INTERRUPTED) {
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  } else if (status != NEWSIDX_OK && err) {
    *err = step_err;
  }
  if (status == NEWSIDX_OK && *done) {
    rank_run_finish(&run);
    *page = run.top;
    topk_init(&run.top, 0, TOPK_TIES_LOW_ID_FIRST); /* handed over */
  }
  rank_run_free(&run);
  return status;
}

/* Newest first: the matches by descending id, until no older one can enter the page. */
static newsidx_status_t newest_page(search *s, const newsidx_docinfo *info, long k, topk *page,
                                    int *done, newsidx_error *err) {
  sql_builder b = {0};
  int all_of_phrase = 0;
  build_statement(s, info, NULL, &b, &all_of_phrase);
  sqlite3_stmt *stmt = NULL;
  topk_init(page, k, TOPK_TIES_HIGH_ID_FIRST);
  newsidx_status_t status = sql_prepare(&b, s->sqlite, "the newest matches", &stmt, err);
  int row = 0;
  while (status == NEWSIDX_OK &&
         (status = search_step(s, stmt, &row, "searching", err)) == NEWSIDX_OK && row) {
    int64_t id = sqlite3_column_int64(stmt, 0);
    if (id < 0 || id >= info->n_ids || info->when[id] == NEWSIDX_WHEN_ABSENT) {
      *done = 0; /* the facts do not know this match: let SQLite order */
      break;
    }
    int64_t when = info->when[id];
    /* `when` values are below 2^53 in magnitude (years 1 to 9999), exact as doubles; the
    ** undated and absent values both become -2^63, below every date. */
    if ((!s->dates.n || query_date_check_passes(&s->dates, when)) &&
        topk_add(page, (double)when, id) != 0) {
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
      break;
    }
    /* Every id below this one is at most newest_upto[id - 1]; equal dates lose on the id. */
    int64_t below = id > 0 ? info->newest_upto[id - 1] : NEWSIDX_WHEN_ABSENT;
    if (topk_full(page) && topk_worst(page)->key >= (double)below) break;
  }
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  if (status == NEWSIDX_OK && *done) {
    topk_sort(page);
    for (long i = 0; i < page->n; i++)
      page->items[i].key = 0.0; /* no relevance score: that would need every match scored */
  }
  if (status != NEWSIDX_OK || !*done) topk_free(page);
  return status;
}

newsidx_status_t search_memory_page(search *s, long k, topk *page, int *done, newsidx_error *err) {
  *done = 1;
  topk_init(page, 0, TOPK_TIES_LOW_ID_FIRST);
  const newsidx_docinfo *info = NULL;
  int flags = s->rank.sort == SEARCH_SORT_DATE || s->dates.n ? NEWSIDX_DOCINFO_ORDER : 0;
  newsidx_status_t status = newsidx_docinfo_get(s->db, flags, &info, err);
  if (status != NEWSIDX_OK) return status;
  if (s->rank.sort == SEARCH_SORT_DATE) return newest_page(s, info, k, page, done, err);
  return ranked_page(s, info, k, page, done, err);
}

newsidx_status_t search_memory_explain(search *s, strbuf *text, newsidx_error *err) {
  const newsidx_docinfo *info = NULL;
  newsidx_status_t status = newsidx_docinfo_get(s->db, NEWSIDX_DOCINFO_ORDER, &info, err);
  if (status != NEWSIDX_OK) return status;
  sql_builder b = {0};
  int all_of_phrase = 0;
  sql_text(&b, "EXPLAIN QUERY PLAN ");
  build_statement(s, info, NULL, &b, &all_of_phrase);
  strbuf_puts(text, s->rank.sort == SEARCH_SORT_DATE
                        ? "order: newest first by descending id, stopping early (document facts)\n"
                        : "order: newsidx_rank() with the document facts, the page in a heap\n");
  sqlite3_stmt *stmt = NULL;
  status = sql_prepare(&b, s->sqlite, "the query plan", &stmt, err);
  int row = 0;
  while (status == NEWSIDX_OK &&
         (status = search_step(s, stmt, &row, "explaining", err)) == NEWSIDX_OK && row)
    strbuf_printf(text, "sqlite: %s\n", (const char *)sqlite3_column_text(stmt, 3));
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  return status;
}
