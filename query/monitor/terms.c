/*
** terms.c — new and trending terms. See terms.h.
*/
#include "terms.h"
#include "snippet.h"
#include "strbuf.h"
#include "util/alloc.h"

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

int terms_is_noise(const char *term) {
  size_t n = strlen(term);
  if (n <= 1) return 1;
  for (const char *p = term; *p; p++)
    if (isdigit((unsigned char)*p)) return 1; /* numbers and codes like x25, 4q87 */
  return 0;
}

static double xlogx(double x) { return x > 0 ? x * log(x) : 0.0; }

double terms_log_likelihood(long long k1, long long n1, long long k2, long long n2) {
  double a = (double)k1, b = (double)(n1 - k1), c = (double)k2, d = (double)(n2 - k2);
  double g = xlogx(a) + xlogx(b) + xlogx(c) + xlogx(d) - xlogx(a + c) - xlogx(b + d) -
             xlogx(a + b) - xlogx(c + d) + xlogx(a + b + c + d);
  return g > 0 ? 2.0 * g : 0.0;
}

/* ---- collected rows ---------------------------------------------------------------------- */

static char *keep(term_list *list, const char *s) {
  if (!s) return NULL;
  if (list->n_owned == list->cap_owned) {
    size_t cap = list->cap_owned ? list->cap_owned * 2 : 64;
    char **grown = realloc(list->owned, cap * sizeof *grown);
    if (!grown) return NULL;
    list->owned = grown;
    list->cap_owned = cap;
  }
  char *copy = strdup(s);
  if (copy) list->owned[list->n_owned++] = copy;
  return copy;
}

static term_row *add_row(term_list *list) {
  if (list->n == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 64;
    term_row *grown = realloc(list->rows, cap * sizeof *grown);
    if (!grown) return NULL;
    list->rows = grown;
    list->cap = cap;
  }
  term_row *row = &list->rows[list->n++];
  memset(row, 0, sizeof *row);
  return row;
}

void term_list_free(term_list *list) {
  for (size_t i = 0; i < list->n_owned; i++)
    free(list->owned[i]);
  free(list->owned);
  free(list->rows);
}

/* Delivers up to `limit` rows (0: all); returns the status. */
static newsidx_status_t deliver(term_list *list, int limit, term_row_fn on_row, void *ctx,
                                long *n_rows, newsidx_error *err) {
  *n_rows = 0;
  for (size_t i = 0; i < list->n && (limit <= 0 || *n_rows < limit); i++) {
    (*n_rows)++;
    if (on_row(ctx, &list->rows[i]))
      return newsidx_error_set(err, NEWSIDX_IO, "writing the terms failed");
  }
  return NEWSIDX_OK;
}

/* ---- new terms --------------------------------------------------------------------------- */

/* The FTS5 expression for articles that use the term: its surface form as a quoted string
** (the tokenizer turns it into exactly the indexed stem, or a name's stems as a phrase), and
** with `match` also matching that. NULL when out of memory. */
static char *term_expression(const term_row *row, const char *match) {
  strbuf b = {0};
  strbuf_putc(&b, '"');
  for (const char *p = row->surface; *p; p++) {
    if (*p == '"') strbuf_putc(&b, '"');
    strbuf_putc(&b, *p);
  }
  strbuf_putc(&b, '"');
  if (match) strbuf_printf(&b, " AND (%s)", match);
  char *expression = strbuf_take(&b);
  strbuf_free(&b);
  return expression;
}

/* Counts the articles that use the term (see term_expression), with `count` prepared as
** "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1". */
static newsidx_status_t count_articles(sqlite3 *sqlite, sqlite3_stmt *count, const term_row *row,
                                       const char *match, long long *n, newsidx_error *err) {
  char *expression = term_expression(row, match);
  if (!expression) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  sqlite3_reset(count);
  sqlite3_bind_text(count, 1, expression, -1, SQLITE_STATIC);
  int rc = sqlite3_step(count);
  *n = rc == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
  sqlite3_reset(count);
  sqlite3_clear_bindings(count);
  free(expression);
  if (rc != SQLITE_ROW) return newsidx_error_sqlite(err, sqlite, rc, "counting a term");
  return NEWSIDX_OK;
}

newsidx_status_t terms_scan_new(newsidx_db *db, const terms_new_options *o, term_row_fn on_row,
                                void *ctx, newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  int flags =
      o->flags & (TERMS_WORDS | TERMS_NAMES) ? o->flags : o->flags | TERMS_WORDS | TERMS_NAMES;
  sqlite3_stmt *stmt = NULL, *count = NULL;
  int rc = sqlite3_prepare_v2(sqlite,
                              "SELECT term, kind, surface, first_article, first_when,"
                              " first_indexed, seq FROM terms"
                              " WHERE (?1 IS NULL OR first_when >= ?1)"
                              " AND (?2 IS NULL OR first_when < ?2) AND seq > ?3"
                              " AND ((kind = 0 AND ?4) OR (kind = 1 AND ?5))"
                              " ORDER BY seq, term, kind",
                              -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(sqlite, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
                            -1, &count, NULL);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return newsidx_error_sqlite(err, sqlite, rc, "listing new terms");
  }
  /* the bounds are dates in the stored forms, so their numbers compare as the strings would */
  if (o->since) sqlite3_bind_int64(stmt, 1, newsidx_when(o->since));
  if (o->until) sqlite3_bind_int64(stmt, 2, newsidx_when(o->until));
  sqlite3_bind_int64(stmt, 3, o->after_seq);
  sqlite3_bind_int(stmt, 4, (flags & TERMS_WORDS) != 0);
  sqlite3_bind_int(stmt, 5, (flags & TERMS_NAMES) != 0);

  newsidx_status_t status = NEWSIDX_OK;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    term_row row = {0};
    row.term = (const char *)sqlite3_column_text(stmt, 0);
    row.is_name = sqlite3_column_int(stmt, 1) == 1;
    row.surface = (const char *)sqlite3_column_text(stmt, 2);
    row.first_article = sqlite3_column_int64(stmt, 3);
    char first_date[NEWSIDX_DATE_MAX], first_indexed[NEWSIDX_DATE_MAX];
    if (sqlite3_column_type(stmt, 4) != SQLITE_NULL &&
        newsidx_when_text(sqlite3_column_int64(stmt, 4), first_date) == 0)
      row.first_date = first_date;
    /* first_indexed is in Unix seconds: twice that is the `when` of that date-time */
    if (sqlite3_column_type(stmt, 5) != SQLITE_NULL &&
        newsidx_when_text(2 * sqlite3_column_int64(stmt, 5), first_indexed) == 0)
      row.first_indexed = first_indexed;
    row.seq = sqlite3_column_int64(stmt, 6);
    if (!row.is_name && !(flags & TERMS_ALL_TOKENS) && terms_is_noise(row.term)) continue;
    status = count_articles(sqlite, count, &row, o->match, &row.n_docs, err);
    if (status == NEWSIDX_OK && on_row(ctx, &row))
      status = newsidx_error_set(err, NEWSIDX_IO, "writing the terms failed");
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, sqlite, rc, "listing new terms");
  sqlite3_finalize(stmt);
  sqlite3_finalize(count);
  return status;
}

static int by_docs_then_term(const void *a, const void *b) {
  const term_row *x = a, *y = b;
  if (x->n_docs != y->n_docs) return x->n_docs < y->n_docs ? 1 : -1;
  int c = strcmp(x->term, y->term);
  return c ? c : x->is_name - y->is_name;
}

int term_list_add(term_list *list, const term_row *row) {
  term_row *kept = add_row(list);
  if (!kept) return -1;
  *kept = *row;
  kept->term = keep(list, row->term);
  kept->surface = keep(list, row->surface);
  kept->first_date = keep(list, row->first_date);
  kept->first_indexed = keep(list, row->first_indexed);
  if (!kept->term || !kept->surface || (row->first_date && !kept->first_date) ||
      (row->first_indexed && !kept->first_indexed))
    return -1;
  return 0;
}

void term_list_sort_by_docs(term_list *list) {
  if (list->n > 1) qsort(list->rows, list->n, sizeof *list->rows, by_docs_then_term);
}

typedef struct new_collector {
  term_list *list;
  long long min_docs;
} new_collector;

/* Keeps a copy of each row that reaches min_docs. */
static int collect_new(void *ctx, const term_row *row) {
  new_collector *c = ctx;
  return row->n_docs >= c->min_docs && term_list_add(c->list, row) != 0;
}

newsidx_status_t terms_new(newsidx_db *db, const terms_new_options *o, term_row_fn on_row,
                           void *ctx, long *n_rows, newsidx_error *err) {
  term_list list = {0};
  new_collector collector = {&list, o->min_docs > 0 ? o->min_docs : 1};
  *n_rows = 0;
  newsidx_status_t status = terms_scan_new(db, o, collect_new, &collector, err);
  if (status == NEWSIDX_IO) /* collect_new only fails when out of memory */
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (status == NEWSIDX_OK) {
    term_list_sort_by_docs(&list);
    status = deliver(&list, o->limit, on_row, ctx, n_rows, err);
  }
  term_list_free(&list);
  return status;
}

/* Writes a copy of the example passage of the first article that `sql` selects (its columns:
** the body's passage and the highlighted title) to *snippet: the passage, or the title when
** the term is only there. *snippet stays NULL when no article is selected. */
static newsidx_status_t first_snippet(sqlite3 *sqlite, const char *sql, const char *expression,
                                      int64_t rowid, int words, char **snippet,
                                      newsidx_error *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, expression, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, words > 0 ? words : 24);
    if (rowid) sqlite3_bind_int64(stmt, 3, rowid);
    rc = sqlite3_step(stmt);
  }
  newsidx_status_t status = NEWSIDX_OK;
  if (rc == SQLITE_ROW) {
    const char *body = (const char *)sqlite3_column_text(stmt, 0);
    const char *title = (const char *)sqlite3_column_text(stmt, 1);
    const char *text = title && strchr(title, SNIPPET_OPEN) && !(body && strchr(body, SNIPPET_OPEN))
                           ? title
                           : body;
    if (text && !(*snippet = strdup(text)))
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  } else if (rc != SQLITE_DONE) {
    status = newsidx_error_sqlite(err, sqlite, rc, "finding an example");
  }
  sqlite3_finalize(stmt);
  return status;
}

newsidx_status_t terms_example(newsidx_db *db, const term_row *row, const char *match, int words,
                               char **snippet, newsidx_error *err) {
  *snippet = NULL;
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  if (snippet_register(newsidx_db_fts5(db)) != SQLITE_OK)
    return newsidx_error_sqlite(err, sqlite, SQLITE_ERROR, "registering snippets");
  char *expression = term_expression(row, match);
  if (!expression) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
#define EXAMPLE_COLUMNS                                                                            \
  "SELECT newsidx_snippet(articles_fts, 1, 1, ?2), newsidx_snippet(articles_fts, 0, 0, 0)"         \
  " FROM articles_fts WHERE articles_fts MATCH ?1"
  newsidx_status_t status = first_snippet(sqlite, EXAMPLE_COLUMNS " AND rowid = ?3", expression,
                                          row->first_article, words, snippet, err);
  if (status == NEWSIDX_OK && !*snippet) /* the first article changed or went */
    status = first_snippet(sqlite, EXAMPLE_COLUMNS " ORDER BY rowid LIMIT 1", expression, 0, words,
                           snippet, err);
#undef EXAMPLE_COLUMNS
  free(expression);
  return status;
}

/* ---- trending ---------------------------------------------------------------------------- */

/* Stem → article counts in the window and the baseline, with a marker for the article last
** counted so that each article counts once. Open addressing over FNV-1a hashes. */
typedef struct stem_count {
  char *stem;
  char *surface; /* the ledger's spelling, for the stems that may be listed */
  uint32_t hash;
  long long window, baseline;
  long last_doc;
} stem_count;

typedef struct stem_table {
  stem_count *slots;
  size_t cap, n;
  int failed;
} stem_table;

static uint32_t fnv(const char *s, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* Finds `stem`; adds it when `add` is set. NULL when absent (or out of memory). */
static stem_count *stem_find(stem_table *t, const char *stem, int n, int add) {
  if (add && (t->n + 1) * 2 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 4096;
    stem_count *grown = newsidx_zeroed(cap, sizeof *grown);
    if (!grown) {
      t->failed = 1;
      return NULL;
    }
    for (size_t i = 0; i < t->cap; i++) {
      if (!t->slots[i].stem) continue;
      size_t j = t->slots[i].hash & (cap - 1);
      while (grown[j].stem)
        j = (j + 1) & (cap - 1);
      grown[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = grown;
    t->cap = cap;
  }
  if (!t->cap) return NULL;
  uint32_t h = fnv(stem, n);
  size_t j = h & (t->cap - 1);
  for (; t->slots[j].stem; j = (j + 1) & (t->cap - 1))
    if (t->slots[j].hash == h && strncmp(t->slots[j].stem, stem, (size_t)n) == 0 &&
        t->slots[j].stem[n] == '\0')
      return &t->slots[j];
  if (!add) return NULL;
  if (!(t->slots[j].stem = strndup(stem, (size_t)n))) {
    t->failed = 1;
    return NULL;
  }
  t->slots[j].hash = h;
  t->slots[j].last_doc = -1;
  t->n++;
  return &t->slots[j];
}

typedef struct count_pass {
  stem_table *table;
  int window; /* 1: counting the window (adds stems); 0: the baseline (known stems only) */
  long doc;
} count_pass;

static int count_stem(void *ctx, const char *stem, int n_stem, int start, int end) {
  count_pass *pass = ctx;
  stem_count *c = stem_find(pass->table, stem, n_stem, pass->window);
  if (!c || c->last_doc == pass->doc) return pass->table->failed;
  c->last_doc = pass->doc;
  if (pass->window)
    c->window++;
  else
    c->baseline++;
  return 0;
}

/* Tokenizes every original article dated in [since, until) (matching `match` when given) and
** counts its distinct stems; *n_docs gets the number of articles. */
static newsidx_status_t count_period(newsidx_db *db, const char *since, const char *until,
                                     const char *match, count_pass *pass, long long *n_docs,
                                     newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(
      sqlite,
      match
          ? "SELECT a.title, a.body FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ?3 AND (?1 IS NULL OR a.date >= ?1)"
            " AND (?2 IS NULL OR a.date < ?2)"
          : "SELECT title, body FROM articles WHERE dup_of IS NULL"
            " AND (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date < ?2)",
      -1, &stmt, NULL);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, sqlite, rc, "reading a period");
  if (since) sqlite3_bind_text(stmt, 1, since, -1, SQLITE_STATIC);
  if (until) sqlite3_bind_text(stmt, 2, until, -1, SQLITE_STATIC);
  if (match) sqlite3_bind_text(stmt, 3, match, -1, SQLITE_STATIC);
  newsidx_status_t status = NEWSIDX_OK;
  *n_docs = 0;
  while (status == NEWSIDX_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    pass->doc++;
    (*n_docs)++;
    for (int col = 0; col < 2 && status == NEWSIDX_OK; col++) {
      const char *text = (const char *)sqlite3_column_text(stmt, col);
      if (text)
        status = newsidx_tokenize(db, text, sqlite3_column_bytes(stmt, col), count_stem, pass, err);
    }
    if (pass->table->failed) status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE)
    status = newsidx_error_sqlite(err, sqlite, rc, "reading a period");
  sqlite3_finalize(stmt);
  return status;
}

static int by_score(const void *a, const void *b) {
  const term_row *x = a, *y = b;
  if (x->score != y->score) return x->score < y->score ? 1 : -1;
  return strcmp(x->term, y->term);
}

/* Gives the stems counted at least min_docs times in the window their ledger spelling, in one
** pass over the ledger (which keeps its terms by the article that brought them, not by stem). */
static newsidx_status_t read_surfaces(newsidx_db *db, stem_table *table, long long min_docs,
                                      newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc =
      sqlite3_prepare_v2(sqlite, "SELECT term, surface FROM terms WHERE kind = 0", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    const char *term = (const char *)sqlite3_column_text(stmt, 0);
    const char *surface = (const char *)sqlite3_column_text(stmt, 1);
    stem_count *c = term ? stem_find(table, term, sqlite3_column_bytes(stmt, 0), 0) : NULL;
    if (!c || c->window < min_docs || c->surface || !surface) continue;
    if (!(c->surface = strdup(surface))) rc = SQLITE_NOMEM;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return newsidx_error_sqlite(err, sqlite, rc, "reading spellings");
  return NEWSIDX_OK;
}

newsidx_status_t terms_trending(newsidx_db *db, const terms_trending_options *o, term_row_fn on_row,
                                void *ctx, long *n_rows, newsidx_error *err) {
  stem_table table = {0};
  count_pass pass = {&table, 1, 0};
  long long n_window = 0, n_baseline = 0;
  newsidx_status_t status =
      count_period(db, o->window_since, o->window_until, o->match, &pass, &n_window, err);
  pass.window = 0;
  if (status == NEWSIDX_OK)
    status =
        count_period(db, o->baseline_since, o->baseline_until, o->match, &pass, &n_baseline, err);

  term_list list = {0};
  long long min_docs = o->min_docs > 0 ? o->min_docs : 3;
  if (status == NEWSIDX_OK && n_window > 0 && n_baseline > 0)
    status = read_surfaces(db, &table, min_docs, err);
  for (size_t i = 0; status == NEWSIDX_OK && i < table.cap && n_window > 0 && n_baseline > 0; i++) {
    stem_count *c = &table.slots[i];
    if (!c->stem || c->window < min_docs) continue;
    if (!(o->flags & TERMS_ALL_TOKENS) && terms_is_noise(c->stem)) continue;
    /* only terms whose share rose: window share above baseline share */
    if ((double)c->window * (double)n_baseline <= (double)c->baseline * (double)n_window) continue;
    term_row *row = add_row(&list);
    if (!row) {
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
      break;
    }
    row->term = c->stem;
    row->surface = keep(&list, c->surface);
    if (!row->surface) row->surface = c->stem;
    row->n_docs = c->window;
    row->n_baseline = c->baseline;
    row->window_articles = n_window;
    row->baseline_articles = n_baseline;
    row->score = terms_log_likelihood(c->window, n_window, c->baseline, n_baseline);
  }
  if (status == NEWSIDX_OK) {
    if (list.n > 1) qsort(list.rows, list.n, sizeof *list.rows, by_score);
    status = deliver(&list, o->limit > 0 ? o->limit : 20, on_row, ctx, n_rows, err);
  }
  term_list_free(&list);
  for (size_t i = 0; i < table.cap; i++) {
    free(table.slots[i].stem);
    free(table.slots[i].surface);
  }
  free(table.slots);
  return status;
}
