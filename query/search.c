/*
** search.c — ranked full-text search with snippets. See search.h.
*/
#include "search.h"
#include "query_fts.h"

#include <time.h>
#include "snippet.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

newsidx_status_t search_register(newsidx_db *db, newsidx_error *err) {
  int rc = snippet_register(newsidx_db_fts5(db));
  if (rc != SQLITE_OK)
    return newsidx_error_sqlite(err, newsidx_db_sqlite(db), rc, "registering newsidx_snippet");
  return NEWSIDX_OK;
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

static const char search_sql[] =
    "SELECT a.id, a.key, a.path, a.date, a.title, a.source, a.url, -articles_fts.rank,"
    " newsidx_snippet(articles_fts, 0, 0, 0),"
    " newsidx_snippet(articles_fts, 1, ?3, ?4),"
    " substr(a.body, 1, 400)"
    " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
    " WHERE articles_fts MATCH ?1 AND articles_fts.rank MATCH ?2"
    " ORDER BY articles_fts.rank LIMIT ?5 OFFSET ?6";

newsidx_status_t search_run(newsidx_db *db, const search_options *options, search_hit_fn on_hit,
                            void *ctx, long *n_hits, newsidx_error *err) {
  *n_hits = 0;
  newsidx_status_t status = search_register(db, err);
  if (status != NEWSIDX_OK) return status;
  query_plan plan;
  status = query_compile(db, options->query, time(NULL), &plan, err);
  if (status != NEWSIDX_OK) return status;
  if (!plan.match) {
    query_plan_free(&plan);
    return newsidx_error_set(err, NEWSIDX_QUERY, "query error at column 1: nothing to search for");
  }

  char rank_spec[80];
  snprintf(rank_spec, sizeof rank_spec, "bm25(%g, %g)",
           options->title_weight > 0 ? options->title_weight : 10.0,
           options->body_weight > 0 ? options->body_weight : 1.0);

  sqlite3 *sqlite = newsidx_db_sqlite(db);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(sqlite, search_sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) {
    query_plan_free(&plan);
    return newsidx_error_sqlite(err, sqlite, rc, "preparing the search");
  }
  sqlite3_bind_text(stmt, 1, plan.match, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, rank_spec, -1, SQLITE_STATIC);
  sqlite3_bind_int(stmt, 3, options->fragments > 0 ? options->fragments : 2);
  sqlite3_bind_int(stmt, 4, options->fragment_tokens > 0 ? options->fragment_tokens : 24);
  sqlite3_bind_int(stmt, 5, options->limit > 0 ? options->limit : 10);
  sqlite3_bind_int(stmt, 6, options->offset > 0 ? options->offset : 0);

  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    char headline[160];
    search_hit hit = {0};
    hit.rank = options->offset + *n_hits + 1;
    hit.id = sqlite3_column_int64(stmt, 0);
    hit.key = (const char *)sqlite3_column_text(stmt, 1);
    hit.path = (const char *)sqlite3_column_text(stmt, 2);
    hit.date = (const char *)sqlite3_column_text(stmt, 3);
    hit.title = (const char *)sqlite3_column_text(stmt, 4);
    hit.source = (const char *)sqlite3_column_text(stmt, 5);
    hit.url = (const char *)sqlite3_column_text(stmt, 6);
    hit.score = sqlite3_column_double(stmt, 7);
    hit.title_marked = (const char *)sqlite3_column_text(stmt, 8);
    hit.snippet = (const char *)sqlite3_column_text(stmt, 9);
    if (hit.title) {
      hit.headline = hit.title;
    } else {
      const char *body = (const char *)sqlite3_column_text(stmt, 10);
      search_headline_from_body(body ? body : "", headline, 100);
      hit.headline = headline;
    }
    (*n_hits)++;
    if (on_hit(ctx, &hit)) {
      status = newsidx_error_set(err, NEWSIDX_IO, "writing the results failed");
      break;
    }
  }
  if (status == NEWSIDX_OK && rc != SQLITE_DONE) {
    /* FTS5 reports its own syntax errors; our parser should leave none, but say so plainly. */
    status = newsidx_error_sqlite(err, sqlite, rc, "searching");
  }
  sqlite3_finalize(stmt);
  query_plan_free(&plan);
  return status;
}
