/*
** search.h — running a query: ranked, paged hits with highlighted titles and snippets, their
** full count, and every match for aggregates (part of the query library's API).
**
** The API speaks of options and hits, never SQL: how matches are found and ranked (rank.h)
** may change without its callers noticing.
**
**   search *s;
**   if (search_open(db, &options, &s, &err) == NEWSIDX_OK) {
**     search_hits(s, on_hit, ctx, &n, &err);     // the page, in rank order
**     search_count(s, &total, &err);             // all matches, not just the page
**   }
**   search_close(s);
**
** What a query means when it has no text to match: with filters (from the query or the
** options) it lists the articles they keep, newest first, minus any it excludes
** (`-sport source:Reuters`); without filters it is an error ("nothing to search for"), unless
** the options say that it means every article.
**
** Duplicates (articles whose text repeats an earlier one) are not in the full-text index, so
** each text is found once, as its original. With `all_duplicates`, each hit is followed by
** its duplicates (same rank, score and snippet; duplicate_of set), and counts include them.
** Filters apply to the original article's metadata.
*/
#ifndef NEWSIDX_SEARCH_H
#define NEWSIDX_SEARCH_H

#include "newsidx.h"
#include "rank.h"

#include <signal.h>
#include <time.h>

/* What the caller needs of each hit; less is faster (--ids needs neither). */
enum {
  SEARCH_WANT_META = 0x01,   /* key, path, date, title, source, url, author, lang, tags */
  SEARCH_WANT_SNIPPET = 0x02 /* title_marked, snippet (implies META) */
};

typedef struct search_options {
  const char *query; /* the user's query; NULL or "" for a listing by filters */
  time_t now;        /* what relative dates count from; 0 means the clock */

  /* Filters from the command line, all borrowed; each list's values are alternatives. */
  const char *since; /* first date inside ("YYYY-MM-DD" or ISO date-time), NULL for none */
  const char *until; /* first date after, NULL for none (see query_date_until()) */
  const char *const *sources;
  int n_sources;
  const char *const *tags;
  int n_tags;
  const char *const *langs;
  int n_langs;

  search_sort sort;
  double title_weight; /* BM25 column weights; 0 means 10 for the title, 1 for the body */
  double body_weight;
  double half_life_days; /* hybrid sort; 0 means 30 */

  long limit;          /* hits on the page; 0 means 10, negative means all */
  long offset;         /* hits to skip */
  int fragments;       /* snippet passages; 0 means 2 */
  int fragment_tokens; /* words per passage; 0 means 24 */
  int want;            /* SEARCH_WANT_*; 0 means everything */
  int all_duplicates;  /* list each hit's duplicates after it */
  int empty_means_all; /* a query with neither text nor filters lists every article, instead
                       ** of failing (timelines and facets of the whole index) */

  /* When > 0, only articles whose articles.seq is above it: those added or changed since a
  ** consumer (an alert rule) last looked. The statement then walks the articles_seq index and
  ** probes the full-text index for each of those articles, so its cost follows the number of
  ** new articles, not the size of the index. 0: no restriction. */
  int64_t after_seq;

  /* When not NULL, checked while SQLite works: once it is non-zero, the running call stops
  ** with NEWSIDX_INTERRUPTED. A signal handler or a timer sets it. */
  volatile sig_atomic_t *interrupted;
} search_options;

/* One hit. Strings live until the callback returns; those not asked for (want) are NULL.
** `title_marked` and `snippet` carry SNIPPET_OPEN/SNIPPET_CLOSE around matching words
** (snippet.h). */
typedef struct search_hit {
  long rank; /* 1-based position in the whole result list */
  int64_t id;
  int64_t duplicate_of; /* the hit this one duplicates, or 0 */
  const char *key;
  const char *path;
  const char *date;
  const char *title; /* NULL when the article has none */
  const char *title_marked;
  const char *headline; /* the title, or the opening words of the body when there is none */
  const char *source;
  const char *url;
  const char *author;
  const char *lang;
  const char *tags; /* comma-separated */
  const char *snippet;
  double score; /* higher is better; 0 in a listing */
} search_hit;

/* Receives each hit in rank order; a non-zero return stops the search, which then returns
** NEWSIDX_IO ("writing the results failed"). */
typedef int (*search_hit_fn)(void *ctx, const search_hit *hit);

/* One matching article, for aggregates. Strings may be NULL and live until the callback
** returns. */
typedef struct search_match {
  int64_t id;
  const char *date;
  const char *source;
  const char *tags;
  const char *lang;
} search_match;

typedef int (*search_match_fn)(void *ctx, const search_match *match);

typedef struct search search;

/* Compiles options->query and the option filters. Fails with NEWSIDX_QUERY ("query error at
** column N: …"; "nothing to search for" for a query with neither text nor filters), NOMEM or
** a database status. On failure *out is NULL. The options are copied; `db` must outlive the
** search. */
newsidx_status_t search_open(newsidx_db *db, const search_options *options, search **out,
                             newsidx_error *err);

/* Calls on_hit for each hit of the requested page, in rank order (duplicates after their
** hit when asked). *n_hits gets the number of hits delivered, duplicates not counted. */
newsidx_status_t search_hits(search *s, search_hit_fn on_hit, void *ctx, long *n_hits,
                             newsidx_error *err);

/* The number of matching articles (with their duplicates when all_duplicates is set),
** regardless of limit and offset. */
newsidx_status_t search_count(search *s, long *total, newsidx_error *err);

/* Calls on_match for every matching article (and its duplicates when all_duplicates is set),
** in no particular order. A non-zero return stops the scan with NEWSIDX_IO. */
newsidx_status_t search_scan(search *s, search_match_fn on_match, void *ctx, newsidx_error *err);

/* Writes to *out (free() it) the compiled query in readable lines (see query_plan_describe())
** followed by SQLite's plan for the page, one "sqlite: …" line per step (EXPLAIN QUERY PLAN):
** for --explain, and for tests that check which plans SQLite picks. */
newsidx_status_t search_explain(search *s, char **out, newsidx_error *err);

/* A line the query's compiler has for the user (a field name the index has not: "note: subject:
** is not a field here…"), or NULL. The search owns it. */
const char *search_notice(const search *s);

/* Frees the search; NULL is allowed. */
void search_close(search *s);

/* Writes the headline for an article without a title: the first sentence of `body`, cut at a
** word boundary to at most `max` bytes with "…" appended when cut. */
void search_headline_from_body(const char *body, char *out, size_t max);

#endif
