/*
** search.c — ranked full-text search with snippets, counts and scans. See search.h.
**
** A page is found in two steps, inside one read transaction. The first finds only the ids of
** the page, in rank order: in memory with the document facts when it can (search_memory.c),
** else with one statement that selects ids and scores in rank order, with LIMIT and OFFSET
** (for relevance FTS5 itself consumes `ORDER BY rank`). The second step looks up each hit of
** the page by id: its metadata, and its snippets through a MATCH restricted to that rowid, so
** newsidx_snippet() runs for the page's rows only.
*/
#include "search.h"
#include "article.h"
#include "query_fts.h"
#include "search_internal.h"
#include "snippet.h"
#include "strbuf.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_STEPS 1000 /* SQLite VM steps between checks of the interrupt flag */
#define HEADLINE_MAX   100  /* bytes of a headline made from the body */
#define BODY_PREFIX    4000 /* bytes of the body read for headlines and leads */

static int on_progress(void *flag) { return *(volatile sig_atomic_t *)flag != 0; }

static newsidx_status_t register_functions(newsidx_db *db, newsidx_error *err) {
  sqlite3 *sqlite = newsidx_db_sqlite(db);
  int rc = snippet_register(newsidx_db_fts5(db));
  if (rc == SQLITE_OK) rc = query_filters_register(sqlite);
  if (rc == SQLITE_OK) rc = rank_register(sqlite, newsidx_db_fts5(db));
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, sqlite, rc, "registering SQL functions");
  return NEWSIDX_OK;
}

/* Adds the command line's filters to the plan. */
static newsidx_status_t add_option_filters(search *s, newsidx_error *err) {
  const search_options *o = &s->options;
  query_filters *f = &s->plan.filters;
  newsidx_status_t status = NEWSIDX_OK;
  if ((o->since && *o->since) || (o->until && *o->until)) {
    query_date_range range = {{0}, {0}};
    snprintf(range.lo, sizeof range.lo, "%s", o->since ? o->since : "");
    snprintf(range.hi, sizeof range.hi, "%s", o->until ? o->until : "");
    status = query_filters_add_range(f, 0, QUERY_FROM_OPTIONS, &range, err);
  }
  const struct {
    query_field field;
    const char *const *values;
    int n;
  } lists[] = {{QFIELD_SOURCE, o->sources, o->n_sources},
               {QFIELD_TAG, o->tags, o->n_tags},
               {QFIELD_LANG, o->langs, o->n_langs}};
  for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
    for (int i = 0; status == NEWSIDX_OK && i < lists[l].n; i++)
      status = query_filters_add_text(f, lists[l].field, 0, QUERY_FROM_OPTIONS, lists[l].values[i],
                                      (int)strlen(lists[l].values[i]), err);
  return status;
}

/* Nothing but white space? */
static int query_is_blank(const char *query) {
  for (; *query; query++)
    if (*query != ' ' && *query != '\t' && *query != '\n' && *query != '\r') return 0;
  return 1;
}

newsidx_status_t search_open(newsidx_db *db, const search_options *options, search **out,
                             newsidx_error *err) {
  *out = NULL;
  search *s = calloc(1, sizeof *s);
  if (!s) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  s->db = db;
  s->sqlite = newsidx_db_sqlite(db);
  s->options = *options;
  s->rank = (rank_options){options->sort, options->title_weight, options->body_weight,
                           options->half_life_days, ""};
  time_t now = options->now ? options->now : time(NULL);
  const char *query = options->query ? options->query : "";

  newsidx_status_t status = register_functions(db, err);
  if (status == NEWSIDX_OK) status = query_compile(db, query, now, &s->plan, err);
  if (status == NEWSIDX_OK) status = add_option_filters(s, err);
  if (status == NEWSIDX_OK && !s->plan.match && !s->plan.match_all && s->plan.filters.n == 0 &&
      !(options->empty_means_all && !s->plan.exclude && query_is_blank(query))) {
    if (s->plan.exclude)
      status = newsidx_error_set(err, NEWSIDX_QUERY,
                                 "query error at column %d: the query only excludes; add a word "
                                 "to search for, or a filter",
                                 query_column(query, s->plan.exclude_pos));
    else
      status =
          newsidx_error_set(err, NEWSIDX_QUERY, "query error at column 1: nothing to search for");
  }
  if (status == NEWSIDX_OK) status = rank_prepare(db, &s->rank, err);
  if (status != NEWSIDX_OK) {
    search_close(s);
    return status;
  }
  s->listing = s->plan.match == NULL;
  s->dates_in_memory = query_date_check_compile(&s->plan.filters, &s->dates) == 0;
  if (options->interrupted)
    sqlite3_progress_handler(s->sqlite, PROGRESS_STEPS, on_progress, (void *)options->interrupted);
  *out = s;
  return NEWSIDX_OK;
}

const char *search_notice(const search *s) { return s->plan.notice; }

void search_close(search *s) {
  if (!s) return;
  if (s->options.interrupted) sqlite3_progress_handler(s->sqlite, 0, NULL, NULL);
  query_plan_free(&s->plan);
  query_date_check_free(&s->dates);
  free(s);
}

/* The id column of the matches: the articles row when joined, else the FTS5 rowid. */
static const char *id_column(const search *s, int joined) {
  return joined || s->listing || s->plan.filters.n || s->options.after_seq > 0
             ? "a.id"
             : "articles_fts.rowid";
}

/* Appends the FROM and the MATCH for articles changed since options.after_seq: CROSS JOIN
** keeps the articles as the outer loop, read through the articles_seq index (named, so that
** an ORDER BY date cannot lure the planner into the date index), and FTS5 is asked only
** whether each of them matches (a rowid lookup), never for all its matches. */
static void append_after_seq(const search *s, sql_builder *b) {
  sql_text(b, " FROM articles a INDEXED BY articles_seq CROSS JOIN articles_fts"
              " ON articles_fts.rowid = a.id WHERE a.seq > ");
  sql_bind_int(b, s->options.after_seq);
  sql_text(b, " AND articles_fts MATCH ");
  sql_bind_text(b, s->plan.match);
}

/* Appends " FROM … WHERE …" selecting the matching articles. `joined`: the articles row must
** be available as `a` (filters and listings have it anyway). */
static void append_matches(const search *s, int joined, sql_builder *b) {
  if (s->listing) {
    sql_text(b, s->options.after_seq > 0 ? " FROM articles a INDEXED BY articles_seq"
                                         : " FROM articles a");
    sql_text(b, " WHERE a.dup_of IS NULL");
    if (s->plan.exclude) {
      sql_text(b, " AND a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ");
      sql_bind_text(b, s->plan.exclude);
      sql_text(b, ")");
    }
    if (s->options.after_seq > 0) {
      sql_text(b, " AND a.seq > ");
      sql_bind_int(b, s->options.after_seq);
    }
  } else if (s->options.after_seq > 0) {
    append_after_seq(s, b);
  } else {
    sql_text(b, joined || s->plan.filters.n
                    ? " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                    : " FROM articles_fts");
    sql_text(b, " WHERE articles_fts MATCH ");
    sql_bind_text(b, s->plan.match);
  }
  query_filters_sql(&s->plan.filters, "a", b);
}

newsidx_status_t search_step(search *s, sqlite3_stmt *stmt, int *row, const char *what,
                             newsidx_error *err) {
  *row = 0;
  if (s->options.interrupted && *s->options.interrupted)
    return newsidx_error_set(err, NEWSIDX_INTERRUPTED, "%s: interrupted", what);
  int rc = sqlite3_step(stmt);
  *row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return NEWSIDX_OK;
  /* FTS5 reports its own syntax errors and limits; the compiler should leave none, but if one
  ** slips through it is the query's fault, not the database's. */
  const char *message = sqlite3_errmsg(s->sqlite);
  if ((rc & 0xff) == SQLITE_ERROR && strncmp(message, "fts5: ", 6) == 0)
    return newsidx_error_set(err, NEWSIDX_QUERY,
                             "query error: the full-text index cannot run it (%s)", message);
  return newsidx_error_sqlite(err, s->sqlite, rc, what);
}

void search_headline_from_body(const char *body, char *out, size_t max) {
  int n_body = (int)strlen(body);
  size_t n = 0, cut = 0;
  int was_cut = 0;
  if (max < 8) max = 8;
  for (; body[n]; n++) {
    if (snippet_sentence_ends(body, n_body, (int)n)) {
      if (body[n] != '\n') n++; /* keep the full stop */
      break;
    }
    if (n + 4 >= max) { /* room for "…" and the NUL */
      was_cut = 1;
      break;
    }
    if (body[n] == ' ') cut = n;
  }
  if (was_cut && cut > 0)
    n = cut;
  else if (was_cut) /* one long word: cut at a character boundary */
    while (n > 0 && ((unsigned char)body[n] & 0xC0) == 0x80)
      n--;
  memcpy(out, body, n);
  if (was_cut)
    memcpy(out + n, "…", 4);
  else
    out[n] = '\0';
}

/* Statements of the second step, prepared once per page. */
/* Statements of the second step, prepared once per page, and where the matches are known. */
typedef struct page_statements {
  sqlite3_stmt *meta;       /* metadata of one article */
  sqlite3_stmt *snippet;    /* title and body snippets of one hit, through FTS5 */
  sqlite3_stmt *duplicates; /* duplicates of one hit */
  int want_snippets;
  const match_store *matches;        /* the match positions the ranking recorded, or NULL */
  strbuf title_marked, body_snippet; /* snippets made from them */
} page_statements;

static const char snippet_sql[] =
    "SELECT newsidx_snippet(articles_fts, 0, 0, 0), newsidx_snippet(articles_fts, 1, ?3, ?4)"
    " FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2";

static int fragments_of(const search *s) {
  return s->options.fragments > 0 ? s->options.fragments : 2;
}

static int fragment_tokens_of(const search *s) {
  return s->options.fragment_tokens > 0 ? s->options.fragment_tokens : 24;
}

/* The FTS5 snippet statement, prepared for the first hit whose matches are not known. */
static int prepare_snippet(search *s, page_statements *st) {
  int rc = sqlite3_prepare_v2(s->sqlite, snippet_sql, -1, &st->snippet, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st->snippet, 1, s->plan.match, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st->snippet, 3, fragments_of(s));
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st->snippet, 4, fragment_tokens_of(s));
  return rc;
}

/* Prepares the page's statements; with `matches`, snippets are made from the text. */
static newsidx_status_t prepare_page(search *s, int want, const match_store *matches,
                                     page_statements *st, newsidx_error *err) {
  /* formats for article_prepare(): the two %s are the key and the path */
  static const char meta_sql[] = "SELECT %s, %s, date, title, source, url, author, lang, tags,"
                                 " substr(body, 1, ?2)"
                                 " FROM articles WHERE id = ?1";
  static const char duplicates_sql[] = "SELECT id, %s, %s, date, title, source, url, author, lang,"
                                       " tags FROM articles WHERE dup_of = ?1 ORDER BY id";
  const search_options *o = &s->options;
  int rc = SQLITE_OK;
  st->want_snippets = (want & SEARCH_WANT_SNIPPET) && !s->listing;
  st->matches = st->want_snippets ? matches : NULL;
  if (want & (SEARCH_WANT_META | SEARCH_WANT_SNIPPET)) {
    rc = article_prepare(s->sqlite, meta_sql, &st->meta);
    /* snippets made from the text need all of it, headlines only its opening */
    if (rc == SQLITE_OK) rc = sqlite3_bind_int(st->meta, 2, st->matches ? INT_MAX : BODY_PREFIX);
  }
  if (rc == SQLITE_OK && o->all_duplicates)
    rc = article_prepare(s->sqlite, duplicates_sql, &st->duplicates);
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, s->sqlite, rc, "preparing the page");
  return NEWSIDX_OK;
}

static void finalize_page(page_statements *st) {
  strbuf_free(&st->title_marked);
  strbuf_free(&st->body_snippet);
  sqlite3_finalize(st->meta);
  sqlite3_finalize(st->snippet);
  sqlite3_finalize(st->duplicates);
}

static const char *text_column(sqlite3_stmt *stmt, int i) {
  return (const char *)sqlite3_column_text(stmt, i);
}

/* Fills the hit's metadata from columns [first, first + 9) of stmt: key, path, date, title,
** source, url, author, lang, tags. */
static void hit_metadata(search_hit *hit, sqlite3_stmt *stmt, int first) {
  hit->key = text_column(stmt, first);
  hit->path = text_column(stmt, first + 1);
  hit->date = text_column(stmt, first + 2);
  hit->title = text_column(stmt, first + 3);
  hit->source = text_column(stmt, first + 4);
  hit->url = text_column(stmt, first + 5);
  hit->author = text_column(stmt, first + 6);
  hit->lang = text_column(stmt, first + 7);
  hit->tags = text_column(stmt, first + 8);
}

/* Makes the hit's snippets from its title and body (the meta row) and the match positions the
** ranking recorded: what newsidx_snippet() would return, without a MATCH per hit. */
static newsidx_status_t snippets_from_text(search *s, page_statements *st, search_hit *hit,
                                           const match_instance *inst, int n_inst, const char *body,
                                           newsidx_error *err) {
  snippet_matches m = {inst, n_inst, st->matches->phrase_size, st->matches->n_phrases};
  strbuf_reset(&st->title_marked);
  strbuf_reset(&st->body_snippet);
  newsidx_status_t status = NEWSIDX_OK;
  if (hit->title)
    status = snippet_from_text(s->db, hit->title, (int)strlen(hit->title), 0, &m, 0, 0,
                               &st->title_marked, err);
  if (status == NEWSIDX_OK)
    status = snippet_from_text(s->db, body ? body : "", body ? (int)strlen(body) : 0, 1, &m,
                               fragments_of(s), fragment_tokens_of(s), &st->body_snippet, err);
  if (status == NEWSIDX_OK && (st->title_marked.failed || st->body_snippet.failed))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (status != NEWSIDX_OK) return status;
  hit->title_marked = hit->title ? (st->title_marked.data ? st->title_marked.data : "") : NULL;
  hit->snippet = st->body_snippet.data ? st->body_snippet.data : "";
  return NEWSIDX_OK;
}

/* Completes `hit` (id, rank and score set) with what `want` asks for, and delivers it and,
** when asked, its duplicates. */
static newsidx_status_t deliver(search *s, int want, page_statements *st, search_hit *hit,
                                search_hit_fn on_hit, void *ctx, newsidx_error *err) {
  newsidx_status_t status = NEWSIDX_OK;
  char headline[HEADLINE_MAX + 8];
  strbuf lead = {0};
  int row = 0, rc;
  if (st->meta) {
    sqlite3_bind_int64(st->meta, 1, hit->id);
    status = search_step(s, st->meta, &row, "reading an article", err);
    if (status == NEWSIDX_OK && row) {
      hit_metadata(hit, st->meta, 0);
      const char *body = text_column(st->meta, 9);
      if (!hit->title) search_headline_from_body(body ? body : "", headline, HEADLINE_MAX);
      hit->headline = hit->title ? hit->title : headline;
      if ((want & SEARCH_WANT_SNIPPET) && s->listing) {
        snippet_lead(body ? body : "",
                     (s->options.fragments > 0 ? s->options.fragments : 2) *
                         (s->options.fragment_tokens > 0 ? s->options.fragment_tokens : 24),
                     &lead);
        hit->snippet = lead.failed ? NULL : lead.data;
      }
    }
  }
  int n_inst = 0;
  const match_instance *inst =
      st->want_snippets && st->matches ? match_store_find(st->matches, hit->id, &n_inst) : NULL;
  if (status == NEWSIDX_OK && inst && row)
    status = snippets_from_text(s, st, hit, inst, n_inst, text_column(st->meta, 9), err);
  if (status == NEWSIDX_OK && st->want_snippets && !inst && !st->snippet &&
      (rc = prepare_snippet(s, st)) != SQLITE_OK)
    status = newsidx_error_sqlite(err, s->sqlite, rc, "preparing the snippets");
  if (status == NEWSIDX_OK && st->want_snippets && !inst) {
    sqlite3_bind_int64(st->snippet, 2, hit->id);
    status = search_step(s, st->snippet, &row, "making snippets", err);
    if (status == NEWSIDX_OK && row) {
      hit->title_marked = text_column(st->snippet, 0);
      hit->snippet = text_column(st->snippet, 1);
    }
  }
  if (status == NEWSIDX_OK && on_hit(ctx, hit))
    status = newsidx_error_set(err, NEWSIDX_IO, "writing the results failed");
  if (status == NEWSIDX_OK && st->duplicates) {
    sqlite3_bind_int64(st->duplicates, 1, hit->id);
    search_hit dup = *hit;
    dup.duplicate_of = hit->id;
    while (status == NEWSIDX_OK &&
           (status = search_step(s, st->duplicates, &row, "reading duplicates", err)) ==
               NEWSIDX_OK &&
           row) {
      dup.id = sqlite3_column_int64(st->duplicates, 0);
      hit_metadata(&dup, st->duplicates, 1);
      if (dup.title) dup.headline = dup.title;
      if (on_hit(ctx, &dup))
        status = newsidx_error_set(err, NEWSIDX_IO, "writing the results failed");
    }
    sqlite3_reset(st->duplicates);
  }
  if (st->meta) sqlite3_reset(st->meta);
  if (st->snippet) sqlite3_reset(st->snippet);
  strbuf_free(&lead);
  return status;
}

/* The first step of a page: ids and scores in rank order, LIMIT and OFFSET applied. */
static void build_page(const search *s, sql_builder *b) {
  const search_options *o = &s->options;
  int joined = rank_needs_article(&s->rank, s->listing);
  sql_text(b, "SELECT ");
  sql_text(b, id_column(s, joined));
  sql_text(b, ", ");
  rank_score_sql(&s->rank, s->listing, b);
  append_matches(s, joined, b);
  rank_where_sql(&s->rank, s->listing, b);
  rank_order_sql(&s->rank, s->listing, b);
  sql_text(b, " LIMIT ");
  sql_bind_int(b, o->limit == 0 ? 10 : o->limit < 0 ? -1 : o->limit);
  sql_text(b, " OFFSET ");
  sql_bind_int(b, o->offset > 0 ? o->offset : 0);
}

/* The first step with SQL; each row goes to the second step. */
static newsidx_status_t sql_page(search *s, int want, page_statements *st, search_hit_fn on_hit,
                                 void *ctx, long *n_hits, newsidx_error *err) {
  const search_options *o = &s->options;
  sql_builder b = {0};
  build_page(s, &b);
  sqlite3_stmt *stmt = NULL;
  newsidx_status_t status = sql_prepare(&b, s->sqlite, "the search", &stmt, err);
  int row = 0;
  while (status == NEWSIDX_OK &&
         (status = search_step(s, stmt, &row, "searching", err)) == NEWSIDX_OK && row) {
    search_hit hit = {0};
    hit.rank = (o->offset > 0 ? o->offset : 0) + *n_hits + 1;
    hit.id = sqlite3_column_int64(stmt, 0);
    hit.score = sqlite3_column_double(stmt, 1);
    (*n_hits)++;
    status = deliver(s, want, st, &hit, on_hit, ctx, err);
  }
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  return status;
}

newsidx_status_t search_hits(search *s, search_hit_fn on_hit, void *ctx, long *n_hits,
                             newsidx_error *err) {
  *n_hits = 0;
  const search_options *o = &s->options;
  int want = o->want ? o->want : SEARCH_WANT_META | SEARCH_WANT_SNIPPET;
  if (want & SEARCH_WANT_SNIPPET) want |= SEARCH_WANT_META;

  /* One snapshot for the document facts, the order and the rows of the page. */
  newsidx_status_t status = NEWSIDX_OK;
  int began = sqlite3_get_autocommit(s->sqlite);
  if (began) {
    int rc = sqlite3_exec(s->sqlite, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      began = 0;
      status = newsidx_error_sqlite(err, s->sqlite, rc, "starting a read transaction");
    }
  }
  long offset = o->offset > 0 ? o->offset : 0;
  long k = o->limit < 0 ? -1 : offset + (o->limit == 0 ? 10 : o->limit);
  topk page = {0};
  match_store matches = {0};
  int done = 0;
  if (status == NEWSIDX_OK && search_in_memory(s))
    status =
        search_memory_page(s, k, (want & SEARCH_WANT_SNIPPET) ? &matches : NULL, &page, &done, err);
  page_statements st = {0};
  if (status == NEWSIDX_OK) status = prepare_page(s, want, done ? &matches : NULL, &st, err);
  for (long i = offset; status == NEWSIDX_OK && done && i < page.n; i++) {
    search_hit hit = {0};
    hit.rank = i + 1;
    hit.id = page.items[i].id;
    hit.score = page.items[i].key;
    (*n_hits)++;
    status = deliver(s, want, &st, &hit, on_hit, ctx, err);
  }
  if (status == NEWSIDX_OK && !done) status = sql_page(s, want, &st, on_hit, ctx, n_hits, err);
  finalize_page(&st);
  topk_free(&page);
  match_store_free(&matches);
  if (began && sqlite3_exec(s->sqlite, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec(s->sqlite, "ROLLBACK", NULL, NULL, NULL);
  return status;
}

/* Runs a statement that returns one integer. */
static newsidx_status_t one_integer(search *s, sql_builder *b, long *out, newsidx_error *err) {
  sqlite3_stmt *stmt = NULL;
  int row = 0;
  newsidx_status_t status = sql_prepare(b, s->sqlite, "the count", &stmt, err);
  if (status == NEWSIDX_OK) status = search_step(s, stmt, &row, "counting", err);
  *out = status == NEWSIDX_OK && row ? (long)sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  sql_builder_free(b);
  return status;
}

/* Appends "(SELECT count(*) FROM articles d WHERE d.dup_of IN (SELECT id …matches…))". */
static void append_duplicate_count(const search *s, sql_builder *b) {
  sql_text(b, "(SELECT count(*) FROM articles d WHERE d.dup_of IN (SELECT ");
  sql_text(b, id_column(s, 0));
  append_matches(s, 0, b);
  sql_text(b, "))");
}

newsidx_status_t search_count(search *s, long *total, newsidx_error *err) {
  sql_builder b = {0};
  sql_text(&b, "SELECT (SELECT count(*)");
  append_matches(s, 0, &b);
  sql_text(&b, ")");
  if (s->options.all_duplicates) {
    sql_text(&b, " + ");
    append_duplicate_count(s, &b);
  }
  return one_integer(s, &b, total, err);
}

newsidx_status_t search_scan(search *s, search_match_fn on_match, void *ctx, newsidx_error *err) {
  sql_builder b = {0};
  sql_text(&b, "SELECT a.id, a.date, a.source, a.tags, a.lang");
  append_matches(s, 1, &b);
  if (s->options.all_duplicates) {
    sql_text(&b, " UNION ALL SELECT d.id, d.date, d.source, d.tags, d.lang FROM articles d"
                 " WHERE d.dup_of IN (SELECT a.id");
    append_matches(s, 1, &b);
    sql_text(&b, ")");
  }
  sqlite3_stmt *stmt = NULL;
  newsidx_status_t status = sql_prepare(&b, s->sqlite, "the scan", &stmt, err);
  int row = 0;
  while (status == NEWSIDX_OK &&
         (status = search_step(s, stmt, &row, "scanning", err)) == NEWSIDX_OK && row) {
    search_match m = {sqlite3_column_int64(stmt, 0), text_column(stmt, 1), text_column(stmt, 2),
                      text_column(stmt, 3), text_column(stmt, 4)};
    if (on_match(ctx, &m))
      status = newsidx_error_set(err, NEWSIDX_IO, "writing the results failed");
  }
  sqlite3_finalize(stmt);
  sql_builder_free(&b);
  return status;
}

newsidx_status_t search_explain(search *s, char **out, newsidx_error *err) {
  *out = NULL;
  strbuf text = {0};
  char *plan = query_plan_describe(&s->plan);
  if (plan) strbuf_puts(&text, plan);
  free(plan);
  newsidx_status_t status = NEWSIDX_OK;
  if (search_in_memory(s)) {
    status = search_memory_explain(s, &text, err);
  } else {
    sql_builder b = {0};
    sql_text(&b, "EXPLAIN QUERY PLAN ");
    build_page(s, &b);
    sqlite3_stmt *stmt = NULL;
    status = sql_prepare(&b, s->sqlite, "the query plan", &stmt, err);
    int row = 0;
    while (status == NEWSIDX_OK &&
           (status = search_step(s, stmt, &row, "explaining", err)) == NEWSIDX_OK && row)
      strbuf_printf(&text, "sqlite: %s\n", text_column(stmt, 3));
    sqlite3_finalize(stmt);
    sql_builder_free(&b);
  }
  if (status == NEWSIDX_OK && !(*out = strbuf_take(&text)))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  strbuf_free(&text);
  return status;
}
