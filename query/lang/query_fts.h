/*
** query_fts.h — compiling a query's syntax tree into an FTS5 MATCH expression and a list of
** metadata filters (internal to the query library).
**
** Nothing the user typed reaches FTS5 as syntax: every word and phrase becomes an FTS5 quoted
** string ("…" with inner quotes doubled), and the operators are written by this module. Each
** string is run through the index's tokenizer first (newsidx_tokenize), and one with no
** searchable characters ("$", "—", "&") is dropped, with whatever operator held it (the parser
** leaves such words out first, so that the operators around them bind to what is left).
**
** The expression is fully determined by the tree:
**   TERM, PHRASE     "text"                   punctuation inside makes FTS5 read a phrase:
**                                             "narco-terrorism" is narco + terrorism, adjacent
**   PREFIX           "text" *
**   AND              a AND b; NOT children become (a AND b) NOT c NOT d
**   OR               a OR b
**   NEAR             NEAR("a" "b", N + k - 3) for the user's N over k phrases (see
**                    compile_near()); a NEAR over (a OR b) is an OR of NEARs
**   ALL              nothing: AND drops it, OR and fields become it, and alone it sets
**                    match_all (`*`, `* -ghana`: a listing)
**   FIELD            title : x, x a phrase, a NEAR group or (…)
** Filters (date:, source:, tag:, lang:, author:, url:, site:) are taken out of the tree into
*`filters`; they apply
** to the whole query, so they may stand only where every enclosing operator is AND (or a NOT
** directly over the filter, which negates it). A query whose only text terms are negated
** (`-sport source:Reuters`) compiles to `exclude`, for a listing of what the filters keep.
**
** Errors (NEWSIDX_QUERY, "query error at column N: why"): a NOT inside OR or with nothing to
** exclude from, a filter inside OR, NEAR or a field,
** more than QUERY_MAX_TERMS distinct terms or QUERY_MAX_WORDS words in them (the column is
** that of the first one over the limit; a term written again is not counted again), a NEAR
** over groups that makes more than QUERY_MAX_TERMS NEAR groups.
** An empty query is not an error here: search.c decides (filters alone make a listing).
*/
#ifndef NEWSIDX_QUERY_FTS_H
#define NEWSIDX_QUERY_FTS_H

#include "newsidx.h"
#include "query_filter.h"
#include "query_parse.h"

/* The most terms (words, phrases and prefixes: FTS5 phrases) a query may have, and the most
** words in them, a phrase's words each counted. FTS5's bm25() does work for every pair of
** phrases in every matching row: on Reuters-21578, 64 terms that each match 15,000 articles
** rank in about 2 s, 256 in 25 s, 1,000 in 8 minutes. Words inside one phrase cost less but
** grow too (a phrase of 2,000 words: 6 s). Google stops at 32 words. */
#define QUERY_MAX_TERMS 64
#define QUERY_MAX_WORDS 256

typedef struct query_plan {
  char *match;           /* the FTS5 expression; NULL when nothing is searched for */
  char *exclude;         /* with match NULL: what must not match, or NULL */
  int exclude_pos;       /* byte of the first negation, for messages */
  int match_all;         /* with match NULL: the query asked for every article (*, *:*) */
  char *notice;          /* a line for the user (a field name this index has not), or NULL */
  query_filters filters; /* from the query; the caller may add its own (QUERY_FROM_OPTIONS) */
} query_plan;

/* Parses and compiles `query` (see query_parse()). On failure the plan is empty. Free the plan
** with query_plan_free() in every case. */
newsidx_status_t query_compile(newsidx_db *db, const char *query, time_t now, query_plan *plan,
                               newsidx_error *err);

/* Compiles a parsed tree; the same contract as query_compile(). */
newsidx_status_t query_compile_ast(newsidx_db *db, const query_ast *ast, query_plan *plan,
                                   newsidx_error *err);

void query_plan_free(query_plan *plan);

/* For each FTS5 phrase of `match` (an expression query_compile() wrote), in FTS5's order (that
** of its strings), writes to (*out)[i] the number of indexed articles that hold it when it is
** one word, not a prefix, and the expression has no column filter, as newsidx_term_docs()
** stores it; else -1 (also when the stored counts are behind). *n_out is the number of
** phrases; free(*out). For the ranking, which would otherwise count each phrase's rows. */
newsidx_status_t query_phrase_docs(newsidx_db *db, const char *match, int64_t **out, int *n_out,
                                   newsidx_error *err);

/* The plan in readable lines ("match: …", "exclude: …", "filter: …"), for tests and
** --explain. A malloc()ed string, or NULL when out of memory. */
char *query_plan_describe(const query_plan *plan);

#endif
