/*
** test_readers.c — the text and JSON Lines readers and the file loader.
*/
#include "test_util.h"

#include "reader.h"

static void seed_header_and_no_title(void **state) {
  char text[] =
      " date 2026-03-05 US Southern Command on Tuesday stated that the US military acted.\n\n"
      "Second paragraph.\n";
  text_article a;
  const char *warning;
  assert_int_equal(text_parse(text, &a, &warning, NULL), NEWSIDX_OK);
  assert_null(warning);
  assert_string_equal(a.article.date, "2026-03-05");
  assert_null(a.article.title);
  assert_true(strncmp(a.article.body, "US Southern Command", 19) == 0);
  assert_non_null(strstr(a.article.body, "Second paragraph."));
}

static void short_first_line_is_the_title(void **state) {
  char text[] = " date 1987-02-26 Bahia Cocoa Review\n\nShowers continued throughout the week.\n";
  text_article a;
  assert_int_equal(text_parse(text, &a, NULL, NULL), NEWSIDX_OK);
  assert_string_equal(a.article.date, "1987-02-26");
  assert_string_equal(a.article.title, "Bahia Cocoa Review");
  assert_string_equal(a.article.body, "Showers continued throughout the week.\n");
}

static void title_rules(void **state) {
  static const struct {
    const char *text;
    const char *title; /* NULL: no title */
  } cases[] = {
      {"Copper Climbs As Mines Pause\n\nBody text here.", "Copper Climbs As Mines Pause"},
      {"A sentence that ends.\n\nBody text here.", NULL},
      {"He said \"no.\"\n\nBody.", NULL},
      {"Is it over?\n\nBody.", NULL},
      {"Two lines\nin the first paragraph\n\nBody.", NULL},
      {"Only one line, nothing after", NULL},
      {"Prices rise… again\n\nBody.", "Prices rise… again"},
      {"Markets wait…\n\nBody.", NULL},
      {"Plain text without header\n\n  \nBody after a blank line with spaces.",
       "Plain text without header"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *text = strdup(cases[i].text);
    text_article a;
    assert_int_equal(text_parse(text, &a, NULL, NULL), NEWSIDX_OK);
    if (cases[i].title) {
      if (!a.article.title) fail_msg("case %zu: no title", i);
      assert_string_equal(a.article.title, cases[i].title);
    } else if (a.article.title) {
      fail_msg("case %zu: unexpected title \"%s\"", i, a.article.title);
    }
    assert_null(a.article.date);
    free(text);
  }
  /* a first line longer than TEXT_TITLE_MAX is not a title */
  char long_line[TEXT_TITLE_MAX + 40];
  memset(long_line, 'x', sizeof long_line);
  memcpy(long_line + TEXT_TITLE_MAX + 20, "\n\nBody.", 8);
  text_article a;
  assert_int_equal(text_parse(long_line, &a, NULL, NULL), NEWSIDX_OK);
  assert_null(a.article.title);
}

static void bad_header_and_empty_text(void **state) {
  char bad_date[] = " date 2026-02-30 Text follows.";
  text_article a;
  const char *warning;
  assert_int_equal(text_parse(bad_date, &a, &warning, NULL), NEWSIDX_OK);
  assert_non_null(warning);
  assert_null(a.article.date);
  assert_string_equal(a.article.body, "Text follows.");

  char not_header[] = "date of the vote was set.";
  assert_int_equal(text_parse(not_header, &a, &warning, NULL), NEWSIDX_OK);
  assert_null(warning);
  assert_string_equal(a.article.body, "date of the vote was set.");

  char empty[] = "  \n\n ";
  assert_int_equal(text_parse(empty, &a, NULL, NULL), NEWSIDX_OK);
  assert_true(reader_article_empty(&a.article));
  char header_only[] = " date 2026-03-05 ";
  assert_int_equal(text_parse(header_only, &a, NULL, NULL), NEWSIDX_OK);
  assert_true(reader_article_empty(&a.article));
  assert_string_equal(a.article.date, "2026-03-05");
}

static FILE *memory_file(const char *text) {
  FILE *f = fmemopen((void *)text, strlen(text), "r");
  assert_non_null(f);
  return f;
}

static void jsonl_field_mapping(void **state) {
  const char *lines =
      "{\"id\": \"r-1\", \"title\": \"Bahia Cocoa Review\", \"body\": \"Showers.\\n\\nMore.\", "
      "\"date\": \"1987-02-26T15:01:01Z\", \"source\": \"Reuters\", \"topics\": [\"cocoa\", "
      "\"grain\"]}\n"
      "\n"
      "{\"guid\": 42, \"headline\": \"Feed item\", \"text\": \"Text body.\", \"pubDate\": "
      "\"Tue, 03 Feb 2026 08:15:00 +0100\", \"link\": \"https://example.org/x\", \"publisher\": "
      "{\"name\": \"Example\"}, \"authors\": [\"Ana\", {\"name\": \"José\"}], \"keywords\": \"a, "
      "b\", "
      "\"language\": \"en\"}\n"
      "{\"content\": \"No id here.\", \"published_at\": \"2026-02-03\"}\n";
  FILE *f = memory_file(lines);
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "feed.jsonl", &r, NULL), NEWSIDX_OK);
  newsidx_article a;
  const char *warning;
  newsidx_error err;

  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_string_equal(a.key, "r-1");
  assert_string_equal(a.title, "Bahia Cocoa Review");
  assert_string_equal(a.body, "Showers.\n\nMore.");
  assert_string_equal(a.date, "1987-02-26T15:01:01Z");
  assert_string_equal(a.source, "Reuters");
  assert_string_equal(a.tags, "cocoa,grain");
  assert_string_equal(a.path, "feed.jsonl");
  assert_int_equal(jsonl_line(r), 1);

  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_int_equal(jsonl_line(r), 3); /* the blank line is skipped */
  assert_string_equal(a.key, "42");
  assert_string_equal(a.title, "Feed item");
  assert_string_equal(a.date, "2026-02-03T07:15:00Z");
  assert_string_equal(a.url, "https://example.org/x");
  assert_string_equal(a.source, "Example");
  assert_string_equal(a.author, "Ana, José");
  assert_string_equal(a.tags, "a, b");
  assert_string_equal(a.lang, "en");

  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_true(strncmp(a.key, "sha:", 4) == 0);
  assert_string_equal(a.date, "2026-02-03");

  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_NOT_FOUND);
  jsonl_close(r);
  fclose(f);
}

static void jsonl_bad_lines_are_reported_and_skipped(void **state) {
  const char *lines = "{\"id\": 1, \"body\": \"good one\"}\n"
                      "{\"id\": 2, \"body\": \"unterminated\n"
                      "[1, 2, 3]\n"
                      "{\"id\": 4, \"url\": \"no text field\"}\n"
                      "{\"id\": 5, \"body\": \"bad date\", \"date\": \"someday\"}\n"
                      "{\"id\": 6, \"body\": \"good two\"}\n"
                      "{\"id\": 7, \"title\": \"\", \"body\": \"  \"}\n"
                      "{\"id\": 8, \"title\": \"Headline only\"}\n";
  FILE *f = memory_file(lines);
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "bad.jsonl", &r, NULL), NEWSIDX_OK);
  newsidx_article a;
  const char *warning;
  newsidx_error err;
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "bad.jsonl:2:"));
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "bad.jsonl:3: not a JSON object"));
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "bad.jsonl:4: no text field"));
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_non_null(warning);
  assert_null(a.date);
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_string_equal(a.body, "good two");
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK); /* blank text: empty article */
  assert_true(reader_article_empty(&a));
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK); /* a title alone is an article */
  assert_false(reader_article_empty(&a));
  assert_string_equal(a.title, "Headline only");
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_NOT_FOUND);
  jsonl_close(r);
  fclose(f);
}

static void jsonl_byte_order_mark(void **state) {
  /* A byte-order mark starts the file, and only the file: later it is a JSON error. */
  FILE *f = memory_file("\xEF\xBB\xBF{\"id\": \"a\", \"body\": \"first\"}\n"
                        "\xEF\xBB\xBF{\"id\": \"b\", \"body\": \"second\"}\n");
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "bom.jsonl", &r, NULL), NEWSIDX_OK);
  newsidx_article a;
  newsidx_error err;
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_string_equal(a.key, "a");
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "bom.jsonl:2: malformed JSON"));
  jsonl_close(r);
  fclose(f);
}

static void file_encodings(void **state) {
  char *dir = test_tmpdir();
  char *text;
  size_t n;
  input_encoding enc;
  newsidx_error err;

  char *utf8 = test_write_file(dir, "u.txt", "\xef\xbb\xbfS\xc3\xa3o Paulo\r\n", 14);
  assert_int_equal(input_read_file(utf8, &text, &n, &enc, &err), NEWSIDX_OK);
  assert_int_equal(enc, INPUT_UTF8);
  assert_string_equal(text, "São Paulo");
  free(text);

  char *latin = test_write_file(dir, "l.txt", "Z\xfcrich \x93news\x94", 13);
  assert_int_equal(input_read_file(latin, &text, &n, &enc, &err), NEWSIDX_OK);
  assert_int_equal(enc, INPUT_CP1252);
  assert_string_equal(text, "Zürich “news”");
  free(text);

  char *binary = test_write_file(dir, "b.txt", "PK\x03\x04\x00\x00zip", 9);
  assert_int_equal(input_read_file(binary, &text, &n, &enc, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "b.txt"));
  assert_non_null(strstr(err.message, "binary"));

  assert_int_equal(input_read_file(dir, &text, &n, &enc, &err), NEWSIDX_IO);
  char missing[512];
  snprintf(missing, sizeof missing, "%s/missing.txt", dir);
  assert_int_equal(input_read_file(missing, &text, &n, &enc, &err), NEWSIDX_IO);
  assert_non_null(strstr(err.message, "missing.txt"));

  free(utf8);
  free(latin);
  free(binary);
  test_tmpdir_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seed_header_and_no_title),
      cmocka_unit_test(short_first_line_is_the_title),
      cmocka_unit_test(title_rules),
      cmocka_unit_test(bad_header_and_empty_text),
      cmocka_unit_test(jsonl_field_mapping),
      cmocka_unit_test(jsonl_bad_lines_are_reported_and_skipped),
      cmocka_unit_test(jsonl_byte_order_mark),
      cmocka_unit_test(file_encodings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
