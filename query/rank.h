/*
** rank.h — how hits are ordered: one place for the ranking formulas (internal to query/).
**
**   relevance  FTS5's BM25 with column weights (title 10, body 1 by default), consumed by
**              FTS5 itself through `ORDER BY rank` so that SQLite never sorts.
**   date       newest first: date descending, then id descending (undated articles last).
**   hybrid     relevance × 2^(−age / half-life), where age is the number of days between the
**              article's date and the newest date in the index (never negative), and
**              half-life is --half-life DAYS (default 30). An article without a date counts
**              as ten half-lives old. Counting age from the newest article rather than from
**              today orders the hits the same way (the factor for today is a constant) and
**              keeps the scores readable on archives.
**
** Queries with no text to match (a listing by filters) are always newest first.
**
** The functions below write SQL pieces for search.c: the score column, the extra condition
** FTS5 needs for its ranking, and ORDER BY. Only rank.c knows these formulas; a faster
** ranking (its own FTS5 rank function, document lengths in memory) replaces this file.
*/
#ifndef NEWSIDX_RANK_H
#define NEWSIDX_RANK_H

#include "newsidx.h"
#include "sql_builder.h"

typedef enum search_sort {
  SEARCH_SORT_RELEVANCE = 0,
  SEARCH_SORT_DATE = 1,
  SEARCH_SORT_HYBRID = 2
} search_sort;

#define RANK_TITLE_WEIGHT 10.0
#define RANK_BODY_WEIGHT  1.0
#define RANK_HALF_LIFE    30.0 /* days */

typedef struct rank_options {
  search_sort sort;
  double title_weight, body_weight; /* > 0 */
  double half_life_days;            /* > 0 */
  char reference[NEWSIDX_DATE_MAX]; /* hybrid: the newest date in the index ("" if none) */
} rank_options;

/* Fills in defaults for zero values and, for hybrid, reads the reference date. */
newsidx_status_t rank_prepare(newsidx_db *db, rank_options *rank, newsidx_error *err);

/* Registers newsq_hybrid() on the connection. Returns an SQLite code. */
int rank_register(sqlite3 *sqlite);

/* The score of a hit as an SQL expression, higher is better. `listing`: no MATCH in the
** statement (the score is 0). `joined`: the articles row is available as `a`. */
void rank_score_sql(const rank_options *rank, int listing, sql_builder *b);

/* Appends what the WHERE clause needs for the ranking (" AND articles_fts.rank MATCH ?"). */
void rank_where_sql(const rank_options *rank, int listing, sql_builder *b);

/* Appends " ORDER BY …". */
void rank_order_sql(const rank_options *rank, int listing, sql_builder *b);

/* Does this ranking need the articles row (a.date) in the page query? */
int rank_needs_article(const rank_options *rank, int listing);

#endif
