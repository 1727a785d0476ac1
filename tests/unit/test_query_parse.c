/*
** test_query_parse.c — the newsq query language: tokens and their columns, the syntax tree of
** each construct, what pasted text becomes, the forgiving repairs, and every error with the
** column it points at. (What each tree compiles to is in tests/golden/query_fts.test.)
*/
#include "test_util.h"

#include "query_lex.h"
#include "query_parse.h"

/* Relative dates count from 2026-03-10 12:00 UTC. */
#define NOW ((time_t)1773144000)

/* The tree of `query` as an S-expression; fails the test on a parse error. */
static char *tree(const char *query) {
  query_ast *ast = NULL;
  newsidx_error err = {0};
  if (query_parse(query, NOW, NULL, &ast, &err) != NEWSIDX_OK)
    fail_msg("%s: unexpected error: %s", query, err.message);
  char *s = query_ast_describe(ast);
  query_ast_free(ast);
  return s;
}

static void assert_tree(const char *query, const char *expected) {
  char *got = tree(query);
  if (strcmp(got, expected) != 0)
    fail_msg("%s\n  expected %s\n  got      %s", query, expected, got);
  free(got);
}

/* Parsing `query` must fail with exactly `message`. */
static void assert_error(const char *query, const char *message) {
  query_ast *ast = NULL;
  newsidx_error err = {0};
  newsidx_status_t status = query_parse(query, NOW, NULL, &ast, &err);
  if (status == NEWSIDX_OK) {
    char *s = query_ast_describe(ast);
    query_ast_free(ast);
    fail_msg("%s: parsed as %s, wanted the error %s", query, s, message);
  }
  assert_null(ast);
  assert_int_equal(status, NEWSIDX_QUERY);
  if (strcmp(err.message, message) != 0)
    fail_msg("%s\n  expected %s\n  got      %s", query, message, err.message);
}

static void tokens_have_positions_and_columns(void **state) {
  const char *q = "“São” -Paulo title:x NEAR/3 (a*";
  query_lexer lx;
  query_lex_init(&lx, q, (int)strlen(q));
  static const struct {
    query_token_kind kind;
    int column; /* of the token's first character, quote or '-' included */
    const char *text;
  } want[] = {{QTOK_PHRASE, 1, "São"},    {QTOK_NOT, 7, "-"},   {QTOK_WORD, 8, "Paulo"},
              {QTOK_FIELD, 14, "title:"}, {QTOK_WORD, 20, "x"}, {QTOK_NEAR, 22, "NEAR/3"},
              {QTOK_LPAREN, 29, "("},     {QTOK_WORD, 30, "a"}, {QTOK_END, 32, ""}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    query_token tok;
    assert_int_equal(query_lex_next(&lx, 0, &tok, NULL), NEWSIDX_OK);
    assert_int_equal(tok.kind, want[i].kind);
    assert_int_equal(query_column(q, tok.pos), want[i].column);
    assert_int_equal(tok.end - tok.start, (int)strlen(want[i].text));
    assert_memory_equal(q + tok.start, want[i].text, strlen(want[i].text));
    if (tok.kind == QTOK_NEAR) assert_int_equal(tok.distance, 3);
    if (tok.kind == QTOK_FIELD) assert_int_equal(tok.field, QFIELD_TITLE);
    if (i == 7) assert_true(tok.prefix);
  }
}

static void commas_are_tokens_only_inside_near(void **state) {
  const char *q = "1,250 b,";
  query_lexer lx;
  query_token tok;
  query_lex_init(&lx, q, (int)strlen(q));
  assert_int_equal(query_lex_next(&lx, 0, &tok, NULL), NEWSIDX_OK);
  assert_int_equal(tok.end - tok.start, 5); /* "1,250" is one word */
  assert_int_equal(query_lex_next(&lx, 1, &tok, NULL), NEWSIDX_OK);
  assert_int_equal(tok.kind, QTOK_WORD); /* "b" */
  assert_int_equal(tok.end - tok.start, 1);
  assert_int_equal(query_lex_next(&lx, 1, &tok, NULL), NEWSIDX_OK);
  assert_int_equal(tok.kind, QTOK_COMMA);
}

static void words_phrases_prefixes(void **state) {
  assert_tree("cocoa", "(TERM \"cocoa\")");
  assert_tree("cocoa prices", "(AND (TERM \"cocoa\") (TERM \"prices\"))");
  assert_tree("\"cocoa prices\"", "(PHRASE \"cocoa prices\")");
  assert_tree("terror*", "(PREFIX \"terror\")");
  assert_tree("\"narco terror\"*", "(PREFIX \"narco terror\")");
  assert_tree("\"narco terror*\"", "(PREFIX \"narco terror\")");
}

static void operators_and_precedence(void **state) {
  /* NOT binds tighter than AND, AND (written or not) tighter than OR */
  assert_tree("a AND b", "(AND (TERM \"a\") (TERM \"b\"))");
  assert_tree("a OR b c", "(OR (TERM \"a\") (AND (TERM \"b\") (TERM \"c\")))");
  assert_tree("a b OR c", "(OR (AND (TERM \"a\") (TERM \"b\")) (TERM \"c\"))");
  assert_tree("NOT a b", "(AND (NOT (TERM \"a\")) (TERM \"b\"))");
  assert_tree("a -b", "(AND (TERM \"a\") (NOT (TERM \"b\")))");
  assert_tree("a -\"b c\"", "(AND (TERM \"a\") (NOT (PHRASE \"b c\")))");
  assert_tree("a -(b OR c)", "(AND (TERM \"a\") (NOT (OR (TERM \"b\") (TERM \"c\"))))");
  assert_tree("(a OR b) c", "(AND (OR (TERM \"a\") (TERM \"b\")) (TERM \"c\"))");
  assert_tree("NOT NOT a", "(TERM \"a\")");
  assert_tree("a OR b OR c", "(OR (TERM \"a\") (TERM \"b\") (TERM \"c\"))");
}

static void lowercase_operators_are_words(void **state) {
  assert_tree("rock and roll", "(AND (TERM \"rock\") (TERM \"and\") (TERM \"roll\"))");
  assert_tree("or not near", "(AND (TERM \"or\") (TERM \"not\") (TERM \"near\"))");
}

static void near_forms(void **state) {
  assert_tree("NEAR(a b, 5)", "(NEAR/5 (TERM \"a\") (TERM \"b\"))");
  assert_tree("NEAR(a \"b c\" d*)", "(NEAR/10 (TERM \"a\") (PHRASE \"b c\") (PREFIX \"d\"))");
  assert_tree("a NEAR b", "(NEAR/10 (TERM \"a\") (TERM \"b\"))");
  assert_tree("a NEAR/3 b", "(NEAR/3 (TERM \"a\") (TERM \"b\"))");
  assert_tree("a NEAR/3 b NEAR/3 c", "(NEAR/3 (TERM \"a\") (TERM \"b\") (TERM \"c\"))");
  /* a chain is one window, of the largest distance written (Xapian's reading) */
  assert_tree("a NEAR/3 b NEAR/5 c", "(NEAR/5 (TERM \"a\") (TERM \"b\") (TERM \"c\"))");
  assert_tree("a NEAR/6 b NEAR c", "(NEAR/6 (TERM \"a\") (TERM \"b\") (TERM \"c\"))");
  assert_tree("kraan NEAR (a OR b)", "(NEAR/10 (TERM \"kraan\") (OR (TERM \"a\") (TERM \"b\")))");
}

static void fields(void **state) {
  assert_tree("title:iran", "(FIELD title (TERM \"iran\"))");
  assert_tree("Body:\"oil price\"", "(FIELD body (PHRASE \"oil price\"))");
  assert_tree("title:(oil OR gas)", "(FIELD title (OR (TERM \"oil\") (TERM \"gas\")))");
  assert_tree("title:-sport", "(NOT (FIELD title (TERM \"sport\")))");
  assert_tree("-title:sport", "(NOT (FIELD title (TERM \"sport\")))");
  assert_tree("title:OR", "(FIELD title (TERM \"OR\"))");
  /* text before a colon that is not a field is text */
  assert_tree("http://example.org 10:30", "(AND (TERM \"http://example.org\") (TERM \"10:30\"))");
  assert_tree("Update: calm", "(AND (TERM \"Update:\") (TERM \"calm\"))");
  assert_tree("mailto:ana@example.org", "(TERM \"mailto:ana@example.org\")");
}

static void filters(void **state) {
  assert_tree("date:2026-03..2026-04", "(FILTER date [2026-03-01, 2026-05-01))");
  assert_tree("date:2026-03-05", "(FILTER date [2026-03-05, 2026-03-06))");
  assert_tree("date:..2026-01", "(FILTER date [-, 2026-02-01))");
  assert_tree("date:7d..", "(FILTER date [2026-03-03, -))");
  assert_tree("date:7d", "(FILTER date [2026-03-03, -))");
  assert_tree("date:yesterday", "(FILTER date [2026-03-09, 2026-03-10))");
  assert_tree("source:Reuters", "(FILTER source \"Reuters\")");
  assert_tree("source:\"New York Times\"", "(FILTER source \"New York Times\")");
  assert_tree("tag:cocoa,coffee", "(FILTER tag \"cocoa,coffee\")");
  assert_tree("lang:en iran", "(AND (FILTER lang \"en\") (TERM \"iran\"))");
  assert_tree("-source:ap", "(NOT (FILTER source \"ap\"))");
}

/* The pasted-text cases of the issue: each stays one word (a phrase of its parts for FTS5). */
static void pasted_text(void **state) {
  assert_tree("narco-terrorism", "(TERM \"narco-terrorism\")");
  assert_tree("U.S.", "(TERM \"U.S.\")");
  assert_tree("Lt. Gen.", "(AND (TERM \"Lt.\") (TERM \"Gen.\"))");
  assert_tree("$11.1bn", "(TERM \"$11.1bn\")");
  assert_tree("76%", "(TERM \"76%\")");
  assert_tree("O'Brien", "(TERM \"O'Brien\")");
  assert_tree("O’Brien", "(TERM \"O’Brien\")");
  assert_tree("the bank's", "(AND (TERM \"the\") (TERM \"bank's\"))");
  assert_tree("'90s", "(TERM \"'90s\")");
  /* quotes of every kind */
  assert_tree("“curly”", "(PHRASE \"curly\")");
  assert_tree("„German“", "(PHRASE \"German\")");
  assert_tree("«French»", "(PHRASE \"French\")");
  assert_tree("‘single curly’", "(PHRASE \"single curly\")");
  assert_tree("'single straight'", "(PHRASE \"single straight\")");
  assert_tree("rock 'n' roll", "(AND (TERM \"rock\") (PHRASE \"n\") (TERM \"roll\"))");
  /* no-break spaces separate words */
  assert_tree("Lt.\xc2\xa0Gen.", "(AND (TERM \"Lt.\") (TERM \"Gen.\"))");
}

static void stray_operators_and_parentheses_are_repaired(void **state) {
  assert_tree("AND foo", "(TERM \"foo\")");
  assert_tree("foo OR", "(TERM \"foo\")");
  assert_tree("OR OR foo AND AND", "(TERM \"foo\")");
  assert_tree("foo NOT", "(TERM \"foo\")");
  assert_tree("NEAR foo", "(TERM \"foo\")");
  assert_tree("foo NEAR", "(TERM \"foo\")");
  assert_tree("(a OR b", "(OR (TERM \"a\") (TERM \"b\"))");
  assert_tree("a) b", "(AND (TERM \"a\") (TERM \"b\"))");
  assert_tree("a OR b) c", "(OR (TERM \"a\") (AND (TERM \"b\") (TERM \"c\")))");
  assert_tree("foo (", "(TERM \"foo\")");
  assert_tree("((a))", "(TERM \"a\")");
  assert_tree("", "()");
  assert_tree("   ", "()");
}

/* What used to be refused is searched: a quote left open closes at the end, empty parentheses
** vanish, a NAME: that is not a field is text. */
static void pasted_text_is_never_refused(void **state) {
  assert_tree("\"unclosed", "(PHRASE \"unclosed\")");
  assert_tree("Noboa said “narco trafficking",
              "(AND (TERM \"Noboa\") (TERM \"said\") (PHRASE \"narco trafficking\"))");
  assert_tree("19\" rack", "(AND (TERM \"19\") (PHRASE \" rack\"))");
  assert_tree("“oil pri*", "(PREFIX \"oil pri\")");
  assert_tree("php date()", "(AND (TERM \"php\") (TERM \"date\"))");
  assert_tree("a (()) -() b", "(AND (TERM \"a\") (TERM \"b\"))");
  assert_tree("a NOT () b", "(AND (TERM \"a\") (NOT (TERM \"b\")))");
  assert_tree("author:smith", "(FILTER author \"smith\")");
  assert_tree("author::foo", "(TERM \"author::foo\")");
  assert_tree("subject:cocoa", "(TERM \"cocoa\")");
  assert_tree("+title:cocoa +-ghana",
              "(AND (FIELD title (TERM \"cocoa\")) (NOT (TERM \"ghana\")))");
  assert_tree("history.go(-1)", "(AND (TERM \"history.go\") (TERM \"-1\"))");
  assert_tree("* -ghana", "(AND (ALL) (NOT (TERM \"ghana\")))");
  assert_tree("*:*", "(ALL)");
  assert_tree("São Paulo re:invent", "(AND (TERM \"São\") (TERM \"Paulo\") (TERM \"re:invent\"))");
  assert_tree("ERROR:root:failed", "(TERM \"ERROR:root:failed\")");
}

static void errors_point_at_their_column(void **state) {
  assert_error("date:2026-13", "query error at column 6: bad date '2026-13' (use YYYY, YYYY-MM, "
                               "YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)");
  assert_error("x date:2026-04..2026-03",
               "query error at column 8: date range '2026-04..2026-03' ends before it starts");
  assert_error("a NEAR/x b", "query error at column 8: NEAR distance is not a number");
  assert_error("NEAR(a b, ten)", "query error at column 11: NEAR distance is not a number");
  assert_error("NEAR(a b, 3 c)", "query error at column 13: expected ')' after the NEAR distance");
  assert_error("NEAR(a OR b)", "query error at column 8: NEAR( ) takes only words and phrases");
  assert_error("(a b) NEAR c",
               "query error at column 7: NEAR needs a word, a \"phrase\" or (a OR b) on each side");
  assert_error("source:(a b)",
               "query error at column 8: source: takes one value (a word or \"quoted words\")");
}

static void limits(void **state) {
  /* 12 levels of parentheses are fine, 13 are not */
  char deep[512];
  size_t n = 0;
  for (int i = 0; i < QUERY_MAX_DEPTH; i++)
    deep[n++] = '(';
  deep[n++] = 'x';
  deep[n] = '\0';
  char *t = tree(deep);
  assert_string_equal(t, "(TERM \"x\")");
  free(t);
  memmove(deep + 1, deep, n + 1);
  deep[0] = '(';
  assert_error(deep, "query error at column 13: parentheses nested deeper than 12 levels");
  assert_error("title:(a title:(b title:(c title:(d title:(e title:(f title:g))))))",
               "query error at column 55: fields nested deeper than 12 levels");

  /* 10,000 bytes are fine, one more is not */
  char *big = malloc(QUERY_MAX_BYTES + 2);
  assert_non_null(big);
  for (int i = 0; i < QUERY_MAX_BYTES; i++)
    big[i] = i % 2 ? ' ' : 'a';
  big[QUERY_MAX_BYTES] = '\0';
  query_ast *ast = NULL;
  assert_int_equal(query_parse(big, NOW, NULL, &ast, NULL), NEWSIDX_OK);
  query_ast_free(ast);
  big[QUERY_MAX_BYTES] = 'b';
  big[QUERY_MAX_BYTES + 1] = '\0';
  assert_error(big, "query error at column 10001: the query is longer than 10000 bytes");
  free(big);

  /* a long NOT chain is a loop, not a recursion */
  char *nots = malloc(9001);
  assert_non_null(nots);
  for (int i = 0; i < 8000; i += 4) /* 2,000 of them */
    memcpy(nots + i, "NOT ", 4);
  memcpy(nots + 8000, "x", 2);
  t = tree(nots);
  assert_string_equal(t, "(TERM \"x\")"); /* an even number of NOTs cancels */
  free(t);
  free(nots);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tokens_have_positions_and_columns),
      cmocka_unit_test(commas_are_tokens_only_inside_near),
      cmocka_unit_test(words_phrases_prefixes),
      cmocka_unit_test(operators_and_precedence),
      cmocka_unit_test(lowercase_operators_are_words),
      cmocka_unit_test(near_forms),
      cmocka_unit_test(fields),
      cmocka_unit_test(filters),
      cmocka_unit_test(pasted_text),
      cmocka_unit_test(stray_operators_and_parentheses_are_repaired),
      cmocka_unit_test(pasted_text_is_never_refused),
      cmocka_unit_test(errors_point_at_their_column),
      cmocka_unit_test(limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
