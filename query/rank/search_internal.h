/*
** search_internal.h — what search.c and search_memory.c share (internal to the query library).
**
** search.c runs a page in two steps: the ids of the page in order, then each hit's row and
** snippets. The first step is done in memory when it can (search_memory.c): with the document
** facts (newsidx_docinfo), newsidx_rank() scores every match and keeps the page in a heap for
** relevance and hybrid, and newest first walks the matches by descending id and stops as soon
** as no older id can enter the page. Otherwise SQLite orders the matches (rank.h's SQL).
*/
#ifndef NEWSIDX_SEARCH_INTERNAL_H
#define NEWSIDX_SEARCH_INTERNAL_H

#include "matches.h"
#include "lang/query_fts.h"
#include "search.h"
#include "topk.h"

#include <sqlite3.h>

struct search {
  newsidx_db *db;
  sqlite3 *sqlite;
  search_options options;
  query_plan plan; /* the query's match, exclusions and filters, plus the options' filters */
  rank_options rank;
  int listing;            /* no text to match: list what the filters keep */
  query_date_check dates; /* the date filters as numbers ... */
  int dates_in_memory;    /* ... when every bound is in a stored form */
};

/* Steps `stmt` for one row: NEWSIDX_OK with *row set or cleared, or the error. The interrupt
** flag is checked first, so that a short statement that never reaches the progress handler
** still stops between rows. FTS5's own syntax errors become NEWSIDX_QUERY. */
newsidx_status_t search_step(search *s, sqlite3_stmt *stmt, int *row, const char *what,
                             newsidx_error *err);

/* Can the first step of this search be done in memory? */
int search_in_memory(const search *s);

/* The first step in memory: writes the best `k` (negative: all) ids, best first, to *page
** (topk_free() it) with their scores as keys (0 for newest first), and, with `matches`, the
** match positions of (at least) the page's rows there. *done is cleared when the document
** facts turned out not to describe the index (a writer that does not keep them): the caller
** then orders with SQL. */
newsidx_status_t search_memory_page(search *s, long k, match_store *matches, topk *page, int *done,
                                    newsidx_error *err);

/* Appends the plan of the in-memory statement (EXPLAIN QUERY PLAN lines) to `text`. */
newsidx_status_t search_memory_explain(search *s, strbuf *text, newsidx_error *err);

#endif
