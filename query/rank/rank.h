/*
** rank.h — how hits are ordered: one place for the ranking formulas (internal to the
** query library).
**
**   relevance  FTS5's BM25 with column weights (title 10, body 1 by default); equal scores
**              in id order, the lowest first (as FTS5's own `ORDER BY rank` gives them).
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
** Two ways to the same order. Ranking in memory (newsidx_rank(), below) computes the scores
** with the document facts (newsidx_docinfo) and keeps the page in a heap. When the facts
** cannot be used, the SQL pieces further below make SQLite and FTS5's bm25() do it: the score
** column, the condition FTS5 needs for its ranking, and ORDER BY.
*/
#ifndef NEWSIDX_RANK_H
#define NEWSIDX_RANK_H

#include "matches.h"
#include "newsidx.h"
#include "lang/query_filter.h"
#include "lang/sql_builder.h"
#include "topk.h"

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

/* Registers newsq_hybrid() on the connection and newsidx_rank() with its FTS5. Returns an
** SQLite code. */
int rank_register(sqlite3 *sqlite, fts5_api *fts5);

/* ---- Ranking in memory ----------------------------------------------------------------------
** newsidx_rank(articles_fts, RUN) is an FTS5 auxiliary function that computes exactly what
** bm25(articles_fts, TITLE, BODY) computes, with the same formula in the same order of
** operations, from the same counts:
**
**   score = Σ over the query's phrases  idf × f × (k1 + 1) / (f + k1 × (1 − b + b × D / avgdl))
**   idf   = ln((N − n + 0.5) / (n + 0.5)), or 1e-6 when that is not positive
**
** with k1 = 1.2, b = 0.75, N the rows of the index and avgdl their mean length in tokens
** (FTS5's own totals), n the rows matching the phrase (counted with xQueryPhrase, as bm25()
** does), f the phrase's instances in the row, each weighing its column's weight, and D the
** row's length, which bm25() reads from %_docsize row by row and newsidx_rank() from the
** document facts. It returns NULL and keeps the best scores in the heap of RUN, a rank_run
** bound with sqlite3_bind_pointer(…, RANK_RUN_POINTER, NULL), so that a statement like
**
**   SELECT count(newsidx_rank(articles_fts, ?1)) FROM articles_fts WHERE articles_fts MATCH ?2
**
** run to its end leaves the page in RUN: SQLite neither sorts nor materializes the matches.
** Hybrid scores multiply by the recency factor of the date in the facts; the date filters of
** RUN are checked from the facts too. When the facts do not match FTS5's own totals (another
** writer, damage), the statement fails and `stale` is set: the caller ranks with bm25().
*/
#define RANK_RUN_POINTER "newsidx_rank_run"

typedef struct rank_run {
  /* Set by the caller (rank_run_init()). */
  const rank_options *rank;      /* relevance, hybrid, or date: newest first, no score */
  const newsidx_docinfo *info;   /* the facts of the snapshot the statement reads */
  const query_date_check *dates; /* date filters to check, or NULL */
  int scans_one_phrase;       /* the statement visits every row of its phrase and no other, when it
                              ** has one phrase: then n is the number of rows visited, and counting
                              ** it again is skipped (scores get the IDF at the end) */
  const int64_t *phrase_docs; /* each phrase's number of rows when known, else -1 (or NULL) */
  int n_phrase_docs;          /* (query_phrase_docs(); set after rank_run_init()) */
  topk top;                   /* the best offset + limit */
  match_store *matches;       /* where to record the match positions (snippets), or NULL ... */
  topk captured;              /* ... of the rows that enter this heap, when it is not `top` */
  int separate_capture;
  /* Results. */
  int64_t n_scored; /* rows scored (matches that passed the date filters) */
  int64_t last_id;  /* the last row seen */
  int stale;        /* the facts do not describe the index the statement reads */
  int failed;       /* out of memory */
  /* Per statement. */
  int started, n_phrases, defer_idf;
  double avgdl, reference_days;
  double *idf;
} rank_run;

/* Prepares `run` to keep the best `k` (negative: all) under `rank`, and, with `matches`, to
** record the match positions of the best `capture` (negative: all) in it. */
void rank_run_init(rank_run *run, const rank_options *rank, const newsidx_docinfo *info,
                   const query_date_check *dates, int scans_one_phrase, long k,
                   match_store *matches, long capture);

/* After the statement: completes the scores (a deferred IDF) and keeps the match positions
** of the rows still captured only; the heap is left to topk_sort() or topk_pop_best().
** Returns 0, or -1 when out of memory. */
int rank_run_finish(rank_run *run);

void rank_run_free(rank_run *run);

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
