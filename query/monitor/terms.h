/*
** terms.h — term statistics over the index (part of the query library's API): the terms
** the ledger first saw in a period ("new"), and the terms whose share of articles surged in a
** recent window against a baseline period ("trending").
**
** Periods are ranges of article dates: [since, until) as "YYYY-MM-DD" or full ISO dates.
** Restricting to a query means counting only the articles that match an FTS5 expression.
*/
#ifndef NEWSIDX_TERMS_H
#define NEWSIDX_TERMS_H

#include "newsidx.h"

/* Which terms a listing keeps. By default numbers, single letters and code-like tokens
** (letters mixed with digits: "x25", "4q87") are left out. */
enum {
  TERMS_WORDS = 0x01,     /* stemmed words */
  TERMS_NAMES = 0x02,     /* capitalized multi-word names */
  TERMS_ALL_TOKENS = 0x04 /* also numbers, single letters and codes */
};

/* Non-zero when `term` (a stem) is a number, a single letter or looks like a code. */
int terms_is_noise(const char *term);

typedef struct term_row {
  const char *term;    /* the stem, or for a name the stems joined by spaces */
  const char *surface; /* how people read it: "terrorism", "Los Lobos" */
  int is_name;
  long long n_docs;          /* articles using it: in the window for trending, in all for new */
  long long n_baseline;      /* trending: articles using it in the baseline */
  long long window_articles; /* trending: articles in the window, and in the baseline */
  long long baseline_articles;
  double score;              /* trending: the log-likelihood ratio G²; new: 0 */
  int64_t first_article;     /* new: the article that introduced it */
  const char *first_date;    /* new: that article's date */
  const char *first_indexed; /* new: when it was indexed, "YYYY-MM-DDTHH:MM:SSZ" */
  int64_t seq;               /* new: the articles.seq under which it came (see terms_new) */
} term_row;

/* Rows kept with copies of their strings (term, surface, first_date, first_indexed). */
typedef struct term_list {
  term_row *rows;
  size_t n, cap;
  char **owned; /* the copies */
  size_t n_owned, cap_owned;
} term_list;

/* Appends a copy of `row`. Returns 0, or -1 when out of memory. */
int term_list_add(term_list *list, const term_row *row);

/* Most articles first, then by term: the order of terms_new(). */
void term_list_sort_by_docs(term_list *list);

void term_list_free(term_list *list);

/* Receives rows in order; non-zero stops (a failed write) and gives NEWSIDX_IO. */
typedef int (*term_row_fn)(void *ctx, const term_row *row);

typedef struct terms_new_options {
  const char *since;  /* first article date at or after (NULL: no bound) */
  const char *until;  /* first article date before (NULL: no bound) */
  int64_t after_seq;  /* only terms that came with an articles.seq above this (0: all). A term
                      ** takes the seq its article had when the term was first indexed, so a
                      ** consumer that remembers the highest seq it saw gets exactly the terms
                      ** new since, those of changed articles (old ids) included */
  long long min_docs; /* at least this many articles (default 1) */
  const char *match;  /* FTS5 expression: only articles matching it count (NULL: all) */
  int flags;          /* TERMS_* (0 means words and names) */
  int limit;          /* rows at most (0: no limit) */
} terms_new_options;

/* Lists the terms first seen in the period, most used first (then by term). Counting uses the
** full-text index (articles that contain the stem, or the name as a phrase), as it is now. */
newsidx_status_t terms_new(newsidx_db *db, const terms_new_options *options, term_row_fn on_row,
                           void *ctx, long *n_rows, newsidx_error *err);

/* Calls on_row for every term terms_new() would consider, before min_docs and limit apply
** (both are ignored), in the order the terms came (seq, then term), each with its n_docs: for
** consumers that decide themselves (new-terms rules wait for terms to reach min_docs). Terms
** of a kind not asked for and noise are not delivered. A non-zero return from on_row stops
** the scan with NEWSIDX_IO. */
newsidx_status_t terms_scan_new(newsidx_db *db, const terms_new_options *options,
                                term_row_fn on_row, void *ctx, newsidx_error *err);

/* Writes to *snippet (free() it; NULL when no article has the term any more) a passage of
** about `words` words of an article that uses the term, with the term between SNIPPET_OPEN and
** SNIPPET_CLOSE (snippet.h): from the article that introduced it (row->first_article) when that
** article still has it, else from the oldest one that does. With `match`, only articles
** matching that FTS5 expression are taken. Costs one or two full-text lookups. */
newsidx_status_t terms_example(newsidx_db *db, const term_row *row, const char *match, int words,
                               char **snippet, newsidx_error *err);

typedef struct terms_trending_options {
  const char *window_since, *window_until;     /* the recent period */
  const char *baseline_since, *baseline_until; /* the period to compare with */
  long long min_docs;                          /* at least this many window articles (default 3) */
  const char *match; /* FTS5 expression restricting both periods (NULL: all) */
  int flags;         /* TERMS_ALL_TOKENS to keep numbers and codes */
  int limit;         /* rows at most (0 means 20) */
} terms_trending_options;

/* Lists the words whose share of articles is significantly higher in the window than in the
** baseline, by Dunning's log-likelihood ratio G² over the 2x2 table (articles with / without
** the term, window / baseline), highest first; only terms whose share rose are listed. Each
** article of both periods is tokenized once (its distinct stems counted), so the cost grows
** with the number of articles in the two periods. */
newsidx_status_t terms_trending(newsidx_db *db, const terms_trending_options *options,
                                term_row_fn on_row, void *ctx, long *n_rows, newsidx_error *err);

/* Dunning's G² for k1 of n1 (window) against k2 of n2 (baseline). */
double terms_log_likelihood(long long k1, long long n1, long long k2, long long n2);

#endif
