/*
** query_filter.c — metadata filters and their SQL. See query_filter.h.
*/
#include "query_filter.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Finds or creates the (field, negated, origin) filter. NULL when out of memory. */
static query_filter *filter_for(query_filters *f, query_field field, int negated, int origin) {
  for (int i = 0; i < f->n; i++)
    if (f->items[i].field == field && f->items[i].negated == negated &&
        f->items[i].origin == origin)
      return &f->items[i];
  if (f->n == f->cap) {
    int cap = f->cap ? f->cap * 2 : 4;
    query_filter *grown = realloc(f->items, (size_t)cap * sizeof *grown);
    if (!grown) return NULL;
    f->items = grown;
    f->cap = cap;
  }
  query_filter *item = &f->items[f->n++];
  memset(item, 0, sizeof *item);
  item->field = field;
  item->negated = negated;
  item->origin = origin;
  return item;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

newsidx_status_t query_filters_add_text(query_filters *f, query_field field, int negated,
                                        int origin, const char *value, int n, newsidx_error *err) {
  while (n > 0 && is_blank(*value)) {
    value++;
    n--;
  }
  while (n > 0 && is_blank(value[n - 1]))
    n--;
  if (n == 0) return NEWSIDX_OK;
  query_filter *item = filter_for(f, field, negated, origin);
  char **grown = item ? realloc(item->values, (size_t)(item->n_values + 1) * sizeof *grown) : NULL;
  char *copy = grown ? strndup(value, (size_t)n) : NULL;
  if (grown) item->values = grown;
  if (!copy) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  item->values[item->n_values++] = copy;
  return NEWSIDX_OK;
}

newsidx_status_t query_filters_add_range(query_filters *f, int negated, int origin,
                                         const query_date_range *range, newsidx_error *err) {
  query_filter *item = filter_for(f, QFIELD_DATE, negated, origin);
  query_date_range *grown =
      item ? realloc(item->ranges, (size_t)(item->n_values + 1) * sizeof *grown) : NULL;
  if (!grown) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  item->ranges = grown;
  item->ranges[item->n_values++] = *range;
  return NEWSIDX_OK;
}

void query_filters_free(query_filters *f) {
  for (int i = 0; i < f->n; i++) {
    for (int k = 0; f->items[i].values && k < f->items[i].n_values; k++)
      free(f->items[i].values[k]);
    free(f->items[i].values);
    free(f->items[i].ranges);
  }
  free(f->items);
  memset(f, 0, sizeof *f);
}

/* The fields matched by an SQL function of (column, value), registered below. */
typedef struct match_function {
  query_field field;
  const char *name, *column;
} match_function;

static const match_function match_functions[] = {{QFIELD_TAG, "newsq_has_tag", "tags"},
                                                 {QFIELD_LANG, "newsq_lang_is", "lang"},
                                                 {QFIELD_AUTHOR, "newsq_author_has", "author"},
                                                 {QFIELD_URL, "newsq_url_has", "url"},
                                                 {QFIELD_SITE, "newsq_site_is", "url"}};

static const match_function *match_function_for(query_field field) {
  for (size_t i = 0; i < sizeof match_functions / sizeof match_functions[0]; i++)
    if (match_functions[i].field == field) return &match_functions[i];
  return NULL;
}

/* One alternative of `item` as an SQL condition on alias.column. */
static void alternative_sql(const query_filter *item, int k, const char *alias, sql_builder *b) {
  char column[64];
  switch (item->field) {
  case QFIELD_DATE: {
    const query_date_range *r = &item->ranges[k];
    snprintf(column, sizeof column, "%s.date", alias);
    sql_text(b, "(");
    sql_text(b, column);
    sql_text(b, " IS NOT NULL");
    if (r->lo[0]) {
      sql_text(b, " AND ");
      sql_text(b, column);
      sql_text(b, " >= ");
      sql_bind_text(b, r->lo);
    }
    if (r->hi[0]) {
      sql_text(b, " AND ");
      sql_text(b, column);
      sql_text(b, " < ");
      sql_bind_text(b, r->hi);
    }
    sql_text(b, ")");
    break;
  }
  case QFIELD_SOURCE:
    snprintf(column, sizeof column, "%s.source = ", alias);
    sql_text(b, column);
    sql_bind_text(b, item->values[k]);
    sql_text(b, " COLLATE NOCASE");
    break;
  default: {
    const match_function *f = match_function_for(item->field);
    if (!f) {
      sql_text(b, "1");
      break;
    }
    snprintf(column, sizeof column, "%s(%s.%s, ", f->name, alias, f->column);
    sql_text(b, column);
    sql_bind_text(b, item->values[k]);
    sql_text(b, ")");
    break;
  }
  }
}

static void filters_sql(const query_filters *f, const char *alias, int with_dates, sql_builder *b) {
  for (int i = 0; i < f->n; i++) {
    const query_filter *item = &f->items[i];
    if (item->n_values == 0 || (!with_dates && item->field == QFIELD_DATE)) continue;
    /* coalesce: a negated condition on a missing field (NULL) keeps the article. */
    sql_text(b, item->negated ? " AND NOT coalesce((" : " AND (");
    for (int k = 0; k < item->n_values; k++) {
      if (k) sql_text(b, " OR ");
      alternative_sql(item, k, alias, b);
    }
    sql_text(b, item->negated ? "), 0)" : ")");
  }
}

void query_filters_sql(const query_filters *f, const char *alias, sql_builder *b) {
  filters_sql(f, alias, 1, b);
}

void query_filters_sql_without_dates(const query_filters *f, const char *alias, sql_builder *b) {
  filters_sql(f, alias, 0, b);
}

int query_filters_need_row(const query_filters *f) {
  for (int i = 0; i < f->n; i++)
    if (f->items[i].n_values > 0 && f->items[i].field != QFIELD_DATE) return 1;
  return 0;
}

int query_date_check_compile(const query_filters *f, query_date_check *out) {
  *out = (query_date_check){NULL, 0};
  for (int i = 0; i < f->n; i++) {
    const query_filter *item = &f->items[i];
    if (item->field != QFIELD_DATE || item->n_values == 0) continue;
    query_when_filter *grown = realloc(out->filters, (size_t)(out->n + 1) * sizeof *grown);
    if (!grown) goto fail;
    out->filters = grown;
    query_when_filter *w = &out->filters[out->n++];
    *w = (query_when_filter){item->negated, 0, malloc((size_t)item->n_values * sizeof *w->ranges)};
    if (!w->ranges) goto fail;
    for (int k = 0; k < item->n_values; k++) {
      const query_date_range *r = &item->ranges[k];
      /* open ends: from the first date on, and up to anything */
      int64_t lo = r->lo[0] ? newsidx_when(r->lo) : NEWSIDX_WHEN_UNDATED + 1;
      int64_t hi = r->hi[0] ? newsidx_when(r->hi) : INT64_MAX;
      if (lo == NEWSIDX_WHEN_UNDATED || hi == NEWSIDX_WHEN_UNDATED) goto fail;
      w->ranges[w->n_ranges][0] = lo;
      w->ranges[w->n_ranges++][1] = hi;
    }
  }
  return 0;
fail:
  query_date_check_free(out);
  return -1;
}

int query_date_check_passes(const query_date_check *c, int64_t when) {
  for (int i = 0; i < c->n; i++) {
    const query_when_filter *w = &c->filters[i];
    int inside = 0;
    for (int k = 0; k < w->n_ranges && !inside; k++)
      inside = when >= w->ranges[k][0] && when < w->ranges[k][1];
    /* as in SQL: an undated article fails a filter and passes its negation */
    if (inside == w->negated) return 0;
  }
  return 1;
}

/* The first id whose newest_upto is >= lo (n when none): ids before it are all older. */
static int64_t first_not_older(const newsidx_docinfo *info, int64_t lo) {
  int64_t a = 0, b = info->n_ids;
  while (a < b) {
    int64_t mid = a + (b - a) / 2;
    if (info->newest_upto[mid] >= lo)
      b = mid;
    else
      a = mid + 1;
  }
  return a;
}

/* The last id whose oldest_from is < hi (-1 when none): ids after it are all at hi or later. */
static int64_t last_not_newer(const newsidx_docinfo *info, int64_t hi) {
  int64_t a = 0, b = info->n_ids; /* the first id with oldest_from >= hi */
  while (a < b) {
    int64_t mid = a + (b - a) / 2;
    if (info->oldest_from[mid] >= hi)
      b = mid;
    else
      a = mid + 1;
  }
  return a - 1;
}

void query_date_check_ids(const query_date_check *c, const newsidx_docinfo *info, int64_t *lo_id,
                          int64_t *hi_id) {
  for (int i = 0; i < c->n; i++) {
    const query_when_filter *w = &c->filters[i];
    if (w->negated) continue;
    int64_t lo = INT64_MAX, hi = -1;
    for (int k = 0; k < w->n_ranges; k++) {
      int64_t first = first_not_older(info, w->ranges[k][0]);
      int64_t last = last_not_newer(info, w->ranges[k][1]);
      if (first < lo) lo = first;
      if (last > hi) hi = last;
    }
    if (lo > *lo_id) *lo_id = lo;
    if (hi < *hi_id) *hi_id = hi;
  }
}

void query_date_check_free(query_date_check *c) {
  for (int i = 0; i < c->n; i++)
    free(c->filters[i].ranges);
  free(c->filters);
  *c = (query_date_check){NULL, 0};
}

void query_filters_describe(const query_filters *f, strbuf *out) {
  for (int i = 0; i < f->n; i++) {
    const query_filter *item = &f->items[i];
    strbuf_printf(out, "filter: %s%s%s", item->origin == QUERY_FROM_OPTIONS ? "(option) " : "",
                  item->negated ? "not " : "", query_field_name(item->field));
    for (int k = 0; k < item->n_values; k++) {
      strbuf_puts(out, k ? " | " : item->field == QFIELD_DATE ? " in " : " = ");
      if (item->field == QFIELD_DATE)
        strbuf_printf(out, "[%s, %s)", item->ranges[k].lo[0] ? item->ranges[k].lo : "-",
                      item->ranges[k].hi[0] ? item->ranges[k].hi : "-");
      else
        strbuf_puts(out, item->values[k]);
    }
    strbuf_putc(out, '\n');
  }
}

/* Is the element [s, s + n) equal to `want` (n_want bytes), white space around it aside and
** ASCII case ignored? */
static int element_is(const char *s, int n, const char *want, int n_want) {
  while (n > 0 && is_blank(*s)) {
    s++;
    n--;
  }
  while (n > 0 && is_blank(s[n - 1]))
    n--;
  return n == n_want && n > 0 && strncasecmp(s, want, (size_t)n) == 0;
}

/* newsq_has_tag(TAGS, TAG): 1 when TAG is one of the comma-separated TAGS. */
static void has_tag(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  const char *tags = (const char *)sqlite3_value_text(args[0]);
  const char *want = (const char *)sqlite3_value_text(args[1]);
  int found = 0;
  if (tags && want) {
    int n_want = (int)strlen(want);
    while (n_want > 0 && is_blank(want[n_want - 1]))
      n_want--;
    while (n_want > 0 && is_blank(*want)) {
      want++;
      n_want--;
    }
    for (const char *p = tags; !found;) {
      const char *comma = strchr(p, ',');
      int n = comma ? (int)(comma - p) : (int)strlen(p);
      found = element_is(p, n, want, n_want);
      if (!comma) break;
      p = comma + 1;
    }
  }
  sqlite3_result_int(ctx, found);
}

/* newsq_lang_is(LANG, WANT): 1 when LANG is WANT or WANT-region / WANT_region. */
static void lang_is(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  const char *lang = (const char *)sqlite3_value_text(args[0]);
  const char *want = (const char *)sqlite3_value_text(args[1]);
  int match = 0;
  if (lang && want) {
    size_t n = strlen(want);
    match =
        strncasecmp(lang, want, n) == 0 && (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_');
  }
  sqlite3_result_int(ctx, match);
}

static int is_word_byte(char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c & 0x80);
}

/* newsq_author_has(AUTHOR, WANT): 1 when WANT is in AUTHOR as whole words, ASCII case aside
** (author:smith matches "By John Smith", not "Smithson"). */
static void author_has(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  const char *author = (const char *)sqlite3_value_text(args[0]);
  const char *want = (const char *)sqlite3_value_text(args[1]);
  int found = 0;
  size_t n = want ? strlen(want) : 0;
  for (const char *p = author; p && *p && n && !found; p++)
    found = strncasecmp(p, want, n) == 0 && (p == author || !is_word_byte(p[-1])) &&
            !is_word_byte(p[n]);
  sqlite3_result_int(ctx, found);
}

/* The URL after its scheme ("http://"), or the URL when it has none. */
static const char *after_scheme(const char *url) {
  const char *p = url;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '+' || *p == '.' ||
         *p == '-')
    p++;
  return p > url && strncmp(p, "://", 3) == 0 ? p + 3 : url;
}

/* newsq_url_has(URL, WANT): 1 when URL begins with WANT, which may leave out the scheme
** (url:www.reuters.com/article/ lists what is under that path). The host's case aside. */
static void url_has(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  const char *url = (const char *)sqlite3_value_text(args[0]);
  const char *want = (const char *)sqlite3_value_text(args[1]);
  int match = 0;
  if (url && want && *want) {
    if (after_scheme(want) == want) url = after_scheme(url);
    const char *rest = after_scheme(url);
    size_t host = (size_t)(rest - url) + strcspn(rest, "/?#"); /* the scheme and the host */
    size_t n = strlen(want), n_host = n < host ? n : host;
    match = strncasecmp(url, want, n_host) == 0 &&
            strncmp(url + n_host, want + n_host, n - n_host) == 0;
  }
  sqlite3_result_int(ctx, match);
}

/* newsq_site_is(URL, SITE): 1 when the URL's host is SITE or ends with "." SITE, case aside
** (site:reuters.com matches www.reuters.com, not notreuters.com). */
static void site_is(sqlite3_context *ctx, int n_args, sqlite3_value **args) {
  const char *url = (const char *)sqlite3_value_text(args[0]);
  const char *site = (const char *)sqlite3_value_text(args[1]);
  int match = 0;
  if (url && site && *site) {
    const char *host = after_scheme(url), *at = NULL;
    size_t n_host = strcspn(host, "/?#");
    for (size_t i = 0; i < n_host; i++) /* user@host */
      if (host[i] == '@') at = host + i;
    if (at) {
      n_host -= (size_t)(at + 1 - host);
      host = at + 1;
    }
    for (size_t i = 0; i < n_host; i++) /* host:port */
      if (host[i] == ':') n_host = i;
    size_t n = strlen(site);
    match = n <= n_host && strncasecmp(host + n_host - n, site, n) == 0 &&
            (n == n_host || host[n_host - n - 1] == '.');
  }
  sqlite3_result_int(ctx, match);
}

int query_filters_register(sqlite3 *sqlite) {
  static const struct {
    const char *name;
    void (*function)(sqlite3_context *, int, sqlite3_value **);
  } functions[] = {{"newsq_has_tag", has_tag},
                   {"newsq_lang_is", lang_is},
                   {"newsq_author_has", author_has},
                   {"newsq_url_has", url_has},
                   {"newsq_site_is", site_is}};
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, rc = SQLITE_OK;
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof functions / sizeof functions[0]; i++)
    rc = sqlite3_create_function(sqlite, functions[i].name, 2, flags, NULL, functions[i].function,
                                 NULL, NULL);
  return rc;
}
