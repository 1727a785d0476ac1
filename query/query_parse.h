/*
** query_parse.h — the newsq query language, compiled to an FTS5 MATCH expression
** (internal to query/).
**
** Every word and phrase of the user's query becomes an FTS5 quoted string, so no text of
** the user's ever reaches FTS5 as syntax: FTS5 only sees the structure this parser builds.
*/
#ifndef NEWSIDX_QUERY_PARSE_H
#define NEWSIDX_QUERY_PARSE_H

#include "newsidx.h"

typedef struct query_plan {
  char *match; /* the FTS5 expression; NULL when the query has no searchable words */
} query_plan;

/* Compiles `query`. Words are ANDed; "double quotes" make a phrase; a trailing * makes a
** prefix. A word with no searchable characters ("$", "—") is dropped. Fails with
** NEWSIDX_QUERY and a message "query error at column N: why" (N counts characters from 1).
** Free the plan with query_plan_free(). */
newsidx_status_t query_compile(newsidx_db *db, const char *query, query_plan *plan,
                               newsidx_error *err);

void query_plan_free(query_plan *plan);

#endif
