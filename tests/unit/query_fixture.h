/*
** query_fixture.h — a small index in memory for the query module's tests: six articles with
** the metadata the filters and rankings look at, one of them a duplicate.
**
**   key  date                  source   tags                lang   text
**   a1   2026-03-01            Reuters  cocoa,commodities   en     cocoa prices
**   a2   2026-03-05T10:00:00Z  AP       Coffee, Brazil      en-GB  coffee in São Paulo
**   a3   2026-02-20            reuters  security            es     narco-terrorism
**   a4   (none)                (none)   (none)              (none) cocoa, undated
**   a5   2026-03-02            AFP      cocoa               en     the text of a1: a duplicate
**   a6   2025-12-31            Reuters  sugar               fr     sugar, cocoa in passing
*/
#ifndef NEWSIDX_QUERY_FIXTURE_H
#define NEWSIDX_QUERY_FIXTURE_H

#include "test_util.h"

typedef struct fixture_article {
  const char *key, *date, *source, *tags, *lang, *title, *body;
} fixture_article;

static const fixture_article fixture_articles[] = {
    {"a1", "2026-03-01", "Reuters", "cocoa,commodities", "en", "Cocoa prices rise",
     "Cocoa futures rose in London after rains in Ghana. Traders said cocoa stocks were low."},
    {"a2", "2026-03-05T10:00:00Z", "AP", "Coffee, Brazil", "en-GB", "Coffee harvest in São Paulo",
     "The coffee harvest in São Paulo started early. Growers expect a large crop of coffee."},
    {"a3", "2026-02-20", "reuters", "security", "es", "Terrorists attack a convoy",
     "Officials blamed narco-terrorism. The terrorists fled, and U.S. Marines joined the "
     "search."},
    {"a4", NULL, NULL, NULL, NULL, "Undated cocoa note", "A note about cocoa without a date."},
    {"a5", "2026-03-02", "AFP", "cocoa", "en", "Cocoa prices rise",
     "Cocoa futures rose in London after rains in Ghana. Traders said cocoa stocks were low."},
    {"a6", "2025-12-31", "Reuters", "sugar", "fr", "Sugar beet harvest",
     "Sugar beet farmers had a good year; cocoa was mentioned only in passing."},
};

#define FIXTURE_N ((int)(sizeof fixture_articles / sizeof fixture_articles[0]))

/* Opens an index in memory holding the fixture articles, stored in order (ids 1..6). */
static inline newsidx_db *fixture_open(void) {
  newsidx_db *db = test_open_memory("english");
  newsidx_error err = {0};
  assert_int_equal(newsidx_begin(db, &err), NEWSIDX_OK);
  for (int i = 0; i < FIXTURE_N; i++) {
    const fixture_article *f = &fixture_articles[i];
    newsidx_article a = {f->key, f->key, f->date, f->title, f->body, f->source,
                         NULL,   NULL,   f->lang, f->tags,  -1,      -1};
    newsidx_store_outcome outcome;
    if (newsidx_store_article(db, &a, &outcome, NULL, &err) != NEWSIDX_OK)
      fail_msg("%s", err.message);
    assert_int_equal(outcome, i == 4 ? NEWSIDX_STORED_DUPLICATE : NEWSIDX_STORED_ADDED);
  }
  assert_int_equal(newsidx_commit(db, &err), NEWSIDX_OK);
  return db;
}

#endif
