/*
** search.h — running a query: ranked, paged hits with highlighted titles and snippets
** (internal to query/).
*/
#ifndef NEWSIDX_SEARCH_H
#define NEWSIDX_SEARCH_H

#include "newsidx.h"

typedef struct search_options {
  const char *query;
  int limit;           /* hits to return; 0 means 10 */
  int offset;          /* hits to skip */
  int fragments;       /* snippet passages; 0 means 2 */
  int fragment_tokens; /* words per passage; 0 means 24 */
  double title_weight; /* BM25 column weights; 0 means 10 for the title, 1 for the body */
  double body_weight;
} search_options;

/* One hit. Strings live until the callback returns. `title_marked` and `snippet` carry
** SNIPPET_OPEN/SNIPPET_CLOSE around matching words (snippet.h). */
typedef struct search_hit {
  long rank; /* 1-based position in the whole result list */
  int64_t id;
  const char *key;
  const char *path;
  const char *date;
  const char *title; /* NULL when the article has none */
  const char *title_marked;
  const char *headline; /* the title, or the opening words of the body when there is none */
  const char *source;
  const char *url;
  const char *snippet;
  double score; /* BM25, higher is better */
} search_hit;

/* Receives each hit in rank order; a non-zero return stops the search (for example a
** failed write) and makes search_run() return NEWSIDX_IO. */
typedef int (*search_hit_fn)(void *ctx, const search_hit *hit);

/* Runs options->query and calls on_hit for each hit of the requested page. *n_hits gets the
** number of hits delivered. Fails with NEWSIDX_QUERY (message with the column),
** NEWSIDX_INTERRUPTED, or a database status. */
newsidx_status_t search_run(newsidx_db *db, const search_options *options, search_hit_fn on_hit,
                            void *ctx, long *n_hits, newsidx_error *err);

/* Registers the query module's SQL functions on `db` (done by search_run() as needed). */
newsidx_status_t search_register(newsidx_db *db, newsidx_error *err);

/* Writes the headline for an article without a title: the first sentence of `body`, cut at a
** word boundary to at most `max` bytes with "…" appended when cut. */
void search_headline_from_body(const char *body, char *out, size_t max);

#endif
