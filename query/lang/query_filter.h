/*
** query_filter.h — metadata filters: date ranges, sources, tags, languages (internal to
** the query library).
**
** Filters come from two places: the query (`date:2026-03 source:Reuters -tag:sport`) and the
** command line (--since, --until, --source, --tag, --lang). Each filter is one field, an
** optional negation, and a list of alternatives: the values of one field given in the same
** place are alternatives (source:reuters source:ap means either), while filters from
** different places and on different fields must all hold. They compile to SQL conditions on
** the `articles` row, with every value bound as a parameter (sql_builder.h).
**
** Matching: sources compare whole and without regard to (ASCII) case; a tag matches one whole
** element of the article's comma-separated tag list, case aside; a language matches the stored
** code or its region variants (lang:en matches en, EN, en-GB, en_US); an author matches whole
** words of the stored author, case aside; a url matches the start of the article's URL (the
** scheme may be left out); a site matches the URL's host or a host under it (site:reuters.com
** matches www.reuters.com). Dates compare as ISO strings against the period [lo, hi). A
** negated filter keeps articles that lack the field.
*/
#ifndef NEWSIDX_QUERY_FILTER_H
#define NEWSIDX_QUERY_FILTER_H

#include "newsidx.h"
#include "query_dates.h"
#include "query_lex.h"
#include "sql_builder.h"

enum { QUERY_FROM_QUERY = 0, QUERY_FROM_OPTIONS = 1 };

typedef struct query_filter {
  query_field field; /* QFIELD_DATE, QFIELD_SOURCE, QFIELD_TAG, QFIELD_LANG, QFIELD_AUTHOR,
                     ** QFIELD_URL or QFIELD_SITE */
  int negated;
  int origin; /* QUERY_FROM_*: filters of different origins never merge */
  int n_values;
  char **values;            /* source, tag, lang: the alternatives */
  query_date_range *ranges; /* date: the alternatives */
} query_filter;

typedef struct query_filters {
  query_filter *items;
  int n, cap;
} query_filters;

/* Adds `value` (n bytes) as an alternative of the (field, negated, origin) filter, creating
** it if needed. Surrounding white space is trimmed; an empty value is ignored. Fails only with
** NEWSIDX_NOMEM. */
newsidx_status_t query_filters_add_text(query_filters *f, query_field field, int negated,
                                        int origin, const char *value, int n, newsidx_error *err);

/* Adds a date range as an alternative of the (date, negated, origin) filter. */
newsidx_status_t query_filters_add_range(query_filters *f, int negated, int origin,
                                         const query_date_range *range, newsidx_error *err);

void query_filters_free(query_filters *f);

/* Appends " AND (condition)" for each filter, on the articles row aliased `alias`. */
void query_filters_sql(const query_filters *f, const char *alias, sql_builder *b);

/* The same, without the date filters (checked in memory, below). */
void query_filters_sql_without_dates(const query_filters *f, const char *alias, sql_builder *b);

/* Does any filter need the articles row other than by its date? */
int query_filters_need_row(const query_filters *f);

/* ---- Date filters in memory ----------------------------------------------------------------
** The date filters as ranges of newsidx_when() numbers, which order dates as their strings do:
** a candidate's date is then checked from the document facts (newsidx_docinfo) without its
** row, exactly as the SQL condition would, and the positive filters narrow the ids to scan.
*/
typedef struct query_when_filter {
  int negated;
  int n_ranges;
  int64_t (*ranges)[2]; /* [lo, hi): lo <= when < hi */
} query_when_filter;

typedef struct query_date_check {
  query_when_filter *filters;
  int n;
} query_date_check;

/* Compiles the date filters of `f` into *out (query_date_check_free() it). Returns 0, or -1
** when out of memory or when a bound is in neither stored date form (the dates then stay in
** SQL). */
int query_date_check_compile(const query_filters *f, query_date_check *out);

/* Does a date (newsidx_when(), NEWSIDX_WHEN_UNDATED for none) pass every date filter? */
int query_date_check_passes(const query_date_check *c, int64_t when);

/* Narrows [*lo_id, *hi_id] to the ids whose dates can pass the positive filters, from the
** facts' order arrays (NEWSIDX_DOCINFO_ORDER): exact when ids follow dates, wider otherwise. */
void query_date_check_ids(const query_date_check *c, const newsidx_docinfo *info, int64_t *lo_id,
                          int64_t *hi_id);

void query_date_check_free(query_date_check *c);

/* Appends a readable form, one line per filter ("filter: source = reuters | ap"), in the
** order the filters were added: for tests and --explain. */
void query_filters_describe(const query_filters *f, strbuf *out);

/* Registers the SQL functions the conditions use (newsq_has_tag, newsq_lang_is,
** newsq_author_has, newsq_url_has, newsq_site_is) on the connection. Returns an SQLite code. */
int query_filters_register(sqlite3 *sqlite);

#endif
