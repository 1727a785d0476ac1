/*
** test_snippet.c — the body snippets newsq prints (query/snippet.c through search_hits()): which
** passage is shown, where it is cut and marked with "…", how many passages --fragments asks
** for, and that a short body is shown whole.
**
** The article is built so that the answer is known: the query is `cocoa ghana strike`; one
** paragraph holds "cocoa" five times (one distinct term), a later one holds all three terms
** once (three distinct terms), and neutral sentences surround both, so the passages are cut
** inside the text. A second article is one sentence of 70 words, where no sentence end is
** near a match, and a third one short sentence.
*/
#include "test_util.h"

#include "search.h"
#include "snippet.h"

#define QUERY "cocoa ghana strike"

/* Sentences of neutral words (no query term, nor a derived form of one) around the passages. */
static const char long_body[] =
    "Markets opened quietly on Monday morning across the region. Analysts expected little "
    "movement before the central bank meeting later in the week. Most traders stayed away "
    "from their desks.\n\n"
    "Cocoa dominated the talk in London: cocoa futures rose, cocoa stocks fell, cocoa buyers "
    "hesitated and cocoa sellers waited.\n\n"
    "Shipping rates climbed for the third straight session. Insurance costs also rose after "
    "storms over the Atlantic. Several vessels were delayed at sea for days.\n\n"
    "On Tuesday dockworkers in Ghana began a strike that halted cocoa shipments from the port "
    "of Tema.\n\n"
    "Officials promised talks with the unions by Friday. Farmers said the harvest itself looked "
    "healthy this year. Prices for other crops barely moved at all.";

static const char runon_body[] =
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu one two three "
    "four five six seven eight nine ten ghana cocoa strike eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty red orange yellow green blue indigo "
    "violet black white grey brown pink cyan magenta olive navy teal maroon";

/* runon_body with its passage's first and last words joined to their neighbours outside it. */
static const char joined_body[] =
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu one two three "
    "four-five six seven eight nine ten ghana cocoa strike eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty red orange yellow green O'blue indigo "
    "violet black white grey brown pink cyan magenta olive navy teal maroon";

static const char short_body[] = "The strike in Ghana held up cocoa.";

static int setup(void **state) {
  newsidx_db *db = test_open_memory("english");
  test_store(db, "long", NULL, "2026-03-01", "Reuters", long_body);
  test_store(db, "runon", NULL, "2026-03-03", "Reuters", runon_body);
  test_store(db, "joined", NULL, "2026-03-04", "Reuters", joined_body);
  test_store(db, "short", NULL, "2026-03-02", "Reuters", short_body);
  *state = db;
  return 0;
}

static int teardown(void **state) {
  newsidx_db_close(*state);
  return 0;
}

typedef struct found {
  const char *key; /* the article wanted */
  char *snippet;   /* its body snippet */
  int64_t id;
} found;

static int keep_snippet(void *ctx, const search_hit *hit) {
  found *f = ctx;
  if (hit->key && strcmp(hit->key, f->key) == 0) {
    assert_non_null(hit->snippet);
    f->snippet = strdup(hit->snippet);
    assert_non_null(f->snippet);
    f->id = hit->id;
  }
  return 0;
}

/* The body snippet of article `key` for QUERY with `fragments` passages of 24 words (free()
** it), as search_hits() hands it to newsq's printers. It is checked to be what
** newsidx_snippet() makes on FTS5's cursor too, the other way newsq makes snippets, so that
** every assertion below holds for both. */
static char *snippet_of(newsidx_db *db, const char *key, int fragments) {
  search_options o = {0};
  o.query = QUERY;
  o.fragments = fragments;
  o.fragment_tokens = 24;
  search *s = NULL;
  newsidx_error err = {0};
  found f = {key, NULL, 0};
  long n = 0;
  if (search_open(db, &o, &s, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  if (search_hits(s, keep_snippet, &f, &n, &err) != NEWSIDX_OK) fail_msg("%s", err.message);
  search_close(s);
  if (!f.snippet) fail_msg("no hit %s for %s", key, QUERY);

  sqlite3_stmt *stmt = NULL;
  assert_int_equal(sqlite3_prepare_v2(newsidx_db_sqlite(db),
                                      "SELECT newsidx_snippet(articles_fts, 1, ?1, 24)"
                                      " FROM articles_fts WHERE articles_fts MATCH ?2"
                                      " AND rowid = ?3",
                                      -1, &stmt, NULL),
                   SQLITE_OK);
  sqlite3_bind_int(stmt, 1, fragments);
  sqlite3_bind_text(stmt, 2, QUERY, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 3, f.id);
  assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(stmt, 0), f.snippet);
  sqlite3_finalize(stmt);
  return f.snippet;
}

#define ELLIPSIS "…"

/* The passages of a snippet, without highlights: the text between the "…" marks. */
typedef struct passages {
  int n;
  char text[8][512];
  int cut_before[8], cut_after[8]; /* a "…" stands before / after the passage */
} passages;

static void split_passages(const char *snippet, passages *p) {
  memset(p, 0, sizeof *p);
  char plain[2048];
  size_t n = 0;
  for (const char *c = snippet; *c; c++) /* drop the highlight marks */
    if (*c != SNIPPET_OPEN && *c != SNIPPET_CLOSE && n + 1 < sizeof plain) plain[n++] = *c;
  plain[n] = '\0';
  const char *at = plain;
  int cut = 0;
  while (*at) {
    if (strncmp(at, ELLIPSIS, strlen(ELLIPSIS)) == 0) {
      cut = 1;
      at += strlen(ELLIPSIS);
      if (*at == ' ') at++;
      continue;
    }
    const char *mark = strstr(at, " " ELLIPSIS);
    size_t len = mark ? (size_t)(mark - at) : strlen(at);
    assert_true(p->n < 8 && len < sizeof p->text[0]);
    memcpy(p->text[p->n], at, len);
    p->cut_before[p->n] = cut;
    p->cut_after[p->n] = mark != NULL;
    p->n++;
    cut = 0;
    at += len;
    if (mark) at++; /* the space before the "…" */
  }
}

/* `text` with each run of white space as one space, as snippets show it. */
static void squeeze(const char *text, char *out, size_t size) {
  size_t n = 0;
  for (const char *c = text; *c && n + 1 < size; c++) {
    int space = *c == ' ' || *c == '\n' || *c == '\t';
    if (space && n > 0 && out[n - 1] == ' ') continue;
    out[n++] = space ? ' ' : *c;
  }
  out[n] = '\0';
}

/* Each passage is a run of whole words of `body`, and a "…" stands exactly where text is left
** out: before a passage that does not start the body, after one that does not end it. */
static void assert_cut_at_words(const char *snippet, const char *body) {
  char text[2048];
  squeeze(body, text, sizeof text);
  passages p;
  split_passages(snippet, &p);
  assert_true(p.n > 0);
  for (int i = 0; i < p.n; i++) {
    const char *at = strstr(text, p.text[i]);
    if (!at) fail_msg("passage \"%s\" is not a piece of the body", p.text[i]);
    size_t end = (size_t)(at - text) + strlen(p.text[i]);
    if (at > text && at[-1] != ' ') fail_msg("\"%s\" starts inside a word", p.text[i]);
    if (text[end] && text[end] != ' ') fail_msg("\"%s\" ends inside a word", p.text[i]);
    assert_int_equal(p.cut_before[i], at > text);
    assert_int_equal(p.cut_after[i], text[end] != '\0');
  }
}

/* The highlighted words of a snippet, joined with "|" (static buffer); each highlight must
** wrap whole words: no letter right outside its marks. */
static const char *marked_words(const char *snippet) {
  static char words[512];
  words[0] = '\0';
  for (const char *c = snippet; (c = strchr(c, SNIPPET_OPEN)); c++) {
    const char *close = strchr(c, SNIPPET_CLOSE);
    assert_non_null(close);
    assert_null(memchr(c + 1, SNIPPET_OPEN, (size_t)(close - c - 1))); /* not nested */
    if (c > snippet && ((c[-1] | 0x20) >= 'a' && (c[-1] | 0x20) <= 'z'))
      fail_msg("a highlight starts inside a word: %s", snippet);
    if ((close[1] | 0x20) >= 'a' && (close[1] | 0x20) <= 'z')
      fail_msg("a highlight ends inside a word: %s", snippet);
    if (words[0]) strncat(words, "|", sizeof words - strlen(words) - 1);
    size_t n = strlen(words), len = (size_t)(close - c - 1);
    if (n + len < sizeof words) {
      memcpy(words + n, c + 1, len);
      words[n + len] = '\0';
    }
  }
  return words;
}

/* "cocoa" five times in one paragraph scores less than three distinct terms in another: with
** one passage, the one shown is the three-term one, widened to the sentences around it. */
static void one_fragment_shows_the_most_distinct_terms(void **state) {
  char *s = snippet_of(*state, "long", 1);
  assert_string_equal(s,
                      ELLIPSIS " Several vessels were delayed at sea for days. On Tuesday "
                               "dockworkers in \001Ghana\002 began a \001strike\002 that halted "
                               "\001cocoa\002 shipments from the port of Tema. Officials promised "
                               "talks with the unions by Friday. " ELLIPSIS);
  assert_null(strstr(s, "London")); /* the paragraph with the most matches is not shown */
  free(s);
}

/* Highlights wrap exactly the matched words, every occurrence in the shown text, and no
** other word. */
static void highlights_wrap_the_matched_words(void **state) {
  char *s = snippet_of(*state, "long", 1);
  assert_string_equal(marked_words(s), "Ghana|strike|cocoa");
  free(s);
  s = snippet_of(*state, "long", 2);
  assert_string_equal(marked_words(s), "Cocoa|cocoa|cocoa|cocoa|cocoa|Ghana|strike|cocoa");
  free(s);
  s = snippet_of(*state, "short", 2);
  assert_string_equal(marked_words(s), "strike|Ghana|cocoa");
  free(s);
}

/* Passages are whole words of the body with "…" where text is left out; near a sentence end
** they are widened to whole sentences, else cut after `fragment_tokens` words. */
static void passages_are_cut_at_words_and_sentences(void **state) {
  char text[2048];
  squeeze(long_body, text, sizeof text);
  passages p;
  for (int n = 1; n <= 2; n++) {
    char *s = snippet_of(*state, "long", n);
    assert_cut_at_words(s, long_body);
    split_passages(s, &p);
    for (int i = 0; i < p.n; i++) { /* whole sentences: from after a sentence's full stop... */
      const char *at = strstr(text, p.text[i]);
      assert_true(at && at - text >= 2 && at[-2] == '.');
      assert_int_equal(p.text[i][strlen(p.text[i]) - 1], '.'); /* ...to a full stop */
    }
    free(s);
  }
  /* One sentence of 70 words: no sentence end near, so the passage is cut at words, 24 of
  ** them from 6 before the first match, "…" on both sides. */
  char *s = snippet_of(*state, "runon", 1);
  assert_cut_at_words(s, runon_body);
  assert_string_equal(s,
                      ELLIPSIS " five six seven eight nine ten \001ghana cocoa strike\002 "
                               "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                               "nineteen twenty red orange yellow green blue " ELLIPSIS);
  free(s);
}

/* A cut never splits a word joined by a hyphen or an apostrophe: where runon's passage starts
** at "five" and ends at "blue", "four-five" and "O'blue" are shown whole. */
static void hyphenated_words_are_not_split(void **state) {
  char *s = snippet_of(*state, "joined", 1);
  assert_cut_at_words(s, joined_body);
  assert_string_equal(s,
                      ELLIPSIS " four-five six seven eight nine ten \001ghana cocoa strike\002 "
                               "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                               "nineteen twenty red orange yellow green O'blue " ELLIPSIS);
  free(s);
}

/* --fragments 1 shows one passage, 2 shows two in text order (the runner-up, earlier in the
** body, first), and more than there are passages with matches adds none without. */
static void fragments_give_that_many_passages(void **state) {
  passages p;
  char *s = snippet_of(*state, "long", 1);
  split_passages(s, &p);
  assert_int_equal(p.n, 1);
  assert_non_null(strstr(p.text[0], "dockworkers in Ghana"));
  free(s);

  s = snippet_of(*state, "long", 2);
  split_passages(s, &p);
  assert_int_equal(p.n, 2);
  assert_non_null(strstr(p.text[0], "cocoa futures rose"));
  assert_non_null(strstr(p.text[1], "dockworkers in Ghana"));
  assert_non_null(strstr(s, ". " ELLIPSIS " ")); /* the left-out text between them */
  free(s);

  s = snippet_of(*state, "long", 3);
  split_passages(s, &p);
  assert_int_equal(p.n, 2);
  free(s);
}

/* A one-sentence body fits a passage: it is shown whole, highlighted, with no "…". */
static void a_short_body_is_shown_whole(void **state) {
  for (int n = 1; n <= 2; n++) {
    char *s = snippet_of(*state, "short", n);
    assert_string_equal(s, "The \001strike\002 in \001Ghana\002 held up \001cocoa\002.");
    assert_cut_at_words(s, short_body);
    free(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(one_fragment_shows_the_most_distinct_terms, setup, teardown),
      cmocka_unit_test_setup_teardown(highlights_wrap_the_matched_words, setup, teardown),
      cmocka_unit_test_setup_teardown(passages_are_cut_at_words_and_sentences, setup, teardown),
      cmocka_unit_test_setup_teardown(fragments_give_that_many_passages, setup, teardown),
      cmocka_unit_test_setup_teardown(hyphenated_words_are_not_split, setup, teardown),
      cmocka_unit_test_setup_teardown(a_short_body_is_shown_whole, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
