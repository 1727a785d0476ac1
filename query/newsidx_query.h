/*
** newsidx_query.h — the querying flow's public header: what newsq (and any other client of
** the query library) may use. The library owns, one sub-folder each:
**
**   lang/       the query language: a query string to an FTS5 expression and SQL filters
**               (query_lex, query_parse, query_fts, query_dates, query_filter, sql_builder)
**   rank/       running a search: matches, BM25 in memory, top-k, snippets (search.h); one
**               whole article read back (article.h)
**   output/     printing hits and counts: one interface, one backend per format (output.h)
**   aggregate/  counts over the matches: timelines and facets (timeline.h, tally.h)
**   monitor/    saved rules, their alerts, new and trending terms (alerts.h, rules.h, terms.h)
**
** It reads the index through core's public header (newsidx.h) and never writes article data;
** the only rows it writes are the monitoring tables' (through core's functions for them).
** The headers included below are this API; the others in the sub-folders are the library's
** own, and scripts/checksrc.sh keeps the programs from including them.
*/
#ifndef NEWSIDX_QUERY_H
#define NEWSIDX_QUERY_H

#include "newsidx.h"
#include "strbuf.h"

#include "lang/query_dates.h"
#include "lang/query_fts.h"
#include "rank/article.h"
#include "rank/search.h"
#include "output/output.h"
#include "aggregate/tally.h"
#include "aggregate/timeline.h"
#include "monitor/alerts.h"
#include "monitor/terms.h"

#endif
