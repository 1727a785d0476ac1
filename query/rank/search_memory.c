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
**   relevance, hybrid  SELECT newsidx_rank(articles_fts, RUN) FROM … WHERE …, run to the end,
**                      scores every match (rank.h) and leaves the page in RUN's heap.
**   newest first       the same, ORDER BY rowid DESC: the heap keeps the K newest seen; once
**                      the K-th newest is at least as new as every id below the current one
**                      (the facts' newest_upto), no later row can enter it.
**
** The ranking also records where the query matched in the rows it keeps (matches.h), so that
** the page's snippets need no second MATCH.
*/
#include "search_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int search_in_memory(const search *s) {
  /* After a seq mark the articles_seq walk is cheaper: its cost follows the new articles. */
  return !s->listing && s->dates_in_memory && s->options.after_seq <= 0;
}

/* Appends " FROM … WHERE …" over the matches the facts can take: those whose ids can have a
** date that passes the date filters. `joined`: with the filters on the articles row too.
** *all_of_phrase is set when the statement visits every match and nothing else. */
static void append_candidates(const search *s, const newsidx_docinfo *info, int joined,
                              sql_builder *b, int *all_of_phrase) {
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

/* The ranking statement. Newest first walks the ids down and joins the row filters (it reads
** rows until the page is full); the rankings score every match, so their row filters are
** checked afterwards, in rank order, for as many as the page needs (lazy_filters()). */
static void build_statement(const search *s, const newsidx_docinfo *info, rank_run *run,
                            sql_builder *b, int *all_of_phrase) {
  int newest = s->rank.sort == SEARCH_SORT_DATE;
  if (newest) {
    sql_text(b, "SELECT newsidx_rank(articles_fts, ");
    sql_bind_pointer(b, run, RANK_RUN_POINTER);
    sql_text(b, ")");
    append_candidates(s, info, query_filters_need_row(&s->plan.filters), b, all_of_phrase);
    sql_text(b, " ORDER BY articles_fts.rowid DESC");
  } else {
    /* In WHERE, as a condition that never holds: one sqlite3_step() runs it on every match,
    ** and no row comes back. (Only FTS5's own constraints precede it: no join.) */
    sql_text(b, "SELECT 1");
    append_candidates(s, info, 0, b, all_of_phrase);
    sql_text(b, " AND newsidx_rank(articles_fts, ");
    sql_bind_pointer(b, run, RANK_RUN_POINTER);
    sql_text(b, ")");
  }
}

/* Newest first can stop once the page's oldest is at least as new as every id below the last
** row seen (equal dates lose on the id). */
static int newest_is_complete(const rank_run *run) {
  if (!topk_full(&run->top)) return 0;
  int64_t id = run->last_id;
  int64_t below = id > 0 ? run->info->newest_upto[id - 1] : NEWSIDX_WHEN_ABSENT;
  return topk_worst(&run->top)->key >= (double)below;
}

/* Moves the best of `ranked` that pass the row filters into `page`, up to its capacity. */
static newsidx_status_t lazy_filters(search *s, topk *ranked, topk *page, newsidx_error *err) {
  sql_builder b = {0};
  sql_text(&b, "SELECT 1 FROM articles a WHERE a.id = ");
  sql_bind_int(&b, 0);
  query_filters_sql_without_dates(&s->plan.filters, "a", &b);
  sqlite3_stmt *stmt = NULL;
  newsidx_status_t status = sql_prepare(&b, s->sqlite, "the filters", &stmt, err);
  topk_item item;
  while (status == NEWSIDX_OK && !topk_full(page) && topk_pop_best(ranked, &item)) {
    int row = 0;
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, item.id);
    status = search_step(s, stmt, &row, "filtering", err);
    if (status == NEWSIDX_OK && row && topk_add(page, item.key, item.id) != 0)
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  if (status == NEWSIDX_OK) topk_sort(page);
  return status;
}

newsidx_status_t search_memory_page(search *s, long k, match_store *matches, topk *page, int *done,
                                    newsidx_error *err) {
  *done = 1;
  topk_init(page, 0, TOPK_TIES_LOW_ID_FIRST);
  int newest = s->rank.sort == SEARCH_SORT_DATE;
  const newsidx_docinfo *info = NULL;
  newsidx_status_t status =
      newsidx_docinfo_get(s->db, newest || s->dates.n ? NEWSIDX_DOCINFO_ORDER : 0, &info, err);
  if (status != NEWSIDX_OK) return status;

  /* Rankings with row filters keep every score and record the positions of more than the
  ** page: most of the page's hits should be among them after the filters. */
  int lazy = !newest && query_filters_need_row(&s->plan.filters);
  long capture = lazy && k >= 0 ? (4 * k > 256 ? 4 * k : 256) : k;
  rank_run run;
  sql_builder b = {0};
  int all_of_phrase = 0;
  build_statement(s, info, &run, &b, &all_of_phrase);
  rank_run_init(&run, &s->rank, info, s->dates.n ? &s->dates : NULL, all_of_phrase, lazy ? -1 : k,
                matches, capture);
  int64_t *phrase_docs = NULL;
  if (!newest)
    status = query_phrase_docs(s->db, s->plan.match, &phrase_docs, &run.n_phrase_docs, err);
  if (status != NEWSIDX_OK) {
    rank_run_free(&run);
    sql_builder_free(&b);
    return status;
  }
  run.phrase_docs = phrase_docs;
  sqlite3_stmt *stmt = NULL;
  newsidx_error step_err = {0};
  /* The statement's errors, its preparation's included (an interrupt can stop that too), go to
  ** step_err, which is err's only when the facts were usable. */
  status = sql_prepare(&b, s->sqlite, "the ranking", &stmt, &step_err);
  int row = 1;
  while (status == NEWSIDX_OK && row) {
    status = search_step(s, stmt, &row, "ranking", &step_err);
    if (newest && status == NEWSIDX_OK && row && newest_is_complete(&run)) break;
  }
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
  if (status == NEWSIDX_OK && *done && rank_run_finish(&run) != 0)
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (status == NEWSIDX_OK && *done && lazy) {
    topk_init(page, k, TOPK_TIES_LOW_ID_FIRST);
    status = lazy_filters(s, &run.top, page, err);
  } else if (status == NEWSIDX_OK && *done) {
    topk_sort(&run.top);
    *page = run.top;
    topk_init(&run.top, 0, TOPK_TIES_LOW_ID_FIRST); /* handed over */
    if (newest)
      for (long i = 0; i < page->n; i++)
        page->items[i].key = 0.0; /* no relevance score: that would need every match scored */
  }
  rank_run_free(&run);
  free(phrase_docs);
  if (status != NEWSIDX_OK || !*done) topk_free(page);
  return status;
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
  if (s->rank.sort != SEARCH_SORT_DATE && query_filters_need_row(&s->plan.filters))
    strbuf_puts(text, "filters: checked on the best-ranked rows until the page is full\n");
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
