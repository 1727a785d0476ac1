/*
** test_readers.c — the text and JSON Lines readers and the file loader.
*/
#include "test_util.h"

#include "reader.h"

#include <fcntl.h>
#include <sys/stat.h>

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
      /* headlines with closing punctuation: abbreviations, dates, questions (Reuters) */
      {"China Calls For Better Trade Deal With U.S.\n\nBody.",
       "China Calls For Better Trade Deal With U.S."},
      {"Delta Group <Dltl.L> Year To Jan 3.\n\nBody.", "Delta Group <Dltl.L> Year To Jan 3."},
      {"Will World Recession Follow Stock Market Plunge?\n\nBody.",
       "Will World Recession Follow Stock Market Plunge?"},
      {"COMMODITY RESEARCH BUREAU PRICES INDEX   New York,\n\nBody.",
       "COMMODITY RESEARCH BUREAU PRICES INDEX   New York,"},
      {"Trams return to Lisbon streets.\n\nBody.", NULL},
      {"The Fed said so.\n\nBody.", NULL},
      {"Yes.\n\nBody.", NULL},
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
  assert_int_equal(jsonl_open(f, "feed.jsonl", 0, &r, NULL), NEWSIDX_OK);
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

/* The names of the body and the tags that jsonl_field_mapping does not use: "article", and
** "categories" as a list. */
static void jsonl_other_field_names(void **state) {
  const char *lines = "{\"uid\": \"u-7\", \"article\": \"From article.\", \"categories\": "
                      "[\"markets\", \"energy\"]}\n";
  FILE *f = memory_file(lines);
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "other.jsonl", 0, &r, NULL), NEWSIDX_OK);
  newsidx_article a;
  const char *warning;
  newsidx_error err;
  assert_int_equal(jsonl_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_string_equal(a.key, "u-7");
  assert_string_equal(a.body, "From article.");
  assert_string_equal(a.tags, "markets,energy");
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
  assert_int_equal(jsonl_open(f, "bad.jsonl", 0, &r, NULL), NEWSIDX_OK);
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

static void jsonl_partial_last_line_is_left_for_the_next_run(void **state) {
  const char *first = "{\"id\": 1, \"body\": \"one\"}\n";
  char lines[256];
  snprintf(lines, sizeof lines, "%s{\"id\": 2, \"body\": \"half a rec", first);
  newsidx_article a;
  newsidx_error err;

  /* a file being appended to: the half line is not consumed and not an error */
  FILE *f = memory_file(lines);
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "live.jsonl", JSONL_LEAVE_PARTIAL_LINE, &r, NULL), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_NOT_FOUND);
  assert_int_equal(jsonl_bytes(r), strlen(first));
  assert_int_equal(jsonl_line(r), 1);
  assert_int_equal(jsonl_partial(r), strlen(lines) - strlen(first));
  jsonl_close(r);
  fclose(f);

  /* standard input has ended: the same line is an error */
  f = memory_file(lines);
  assert_int_equal(jsonl_open(f, "-", 0, &r, NULL), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "-:2: malformed JSON"));
  jsonl_close(r);
  fclose(f);

  /* a whole object without a newline is a record */
  snprintf(lines, sizeof lines, "%s{\"id\": 2, \"body\": \"two\"}", first);
  f = memory_file(lines);
  assert_int_equal(jsonl_open(f, "live.jsonl", JSONL_LEAVE_PARTIAL_LINE, &r, NULL), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_string_equal(a.body, "two");
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_NOT_FOUND);
  assert_int_equal(jsonl_bytes(r), strlen(lines));
  assert_int_equal(jsonl_partial(r), 0);
  jsonl_close(r);
  fclose(f);
}

/* Reads every line of `lines` with the given flags into one description of what came out:
** each record's fields, or each error message. */
static char *read_all(const char *lines, int flags) {
  FILE *f = memory_file(lines);
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "x.jsonl", flags, &r, NULL), NEWSIDX_OK);
  size_t cap = 1 << 16, n = 0;
  char *out = calloc(1, cap);
  assert_non_null(out);
  for (;;) {
    newsidx_article a;
    const char *warning;
    newsidx_error err = {0};
    newsidx_status_t status = jsonl_next(r, &a, &warning, &err);
    if (status == NEWSIDX_NOT_FOUND) break;
    const char *fields[] = {a.key,    a.title,  a.body, a.date, a.url,
                            a.source, a.author, a.tags, a.lang, warning};
    n += (size_t)snprintf(out + n, cap - n, "%d|", (int)status);
    if (status != NEWSIDX_OK)
      n += (size_t)snprintf(out + n, cap - n, "%s\n", err.message);
    else
      for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", fields[i] ? fields[i] : "(null)",
                              i + 1 < sizeof fields / sizeof fields[0] ? "|" : "\n");
    assert_true(n < cap);
  }
  jsonl_close(r);
  fclose(f);
  return out;
}

/* The common case is read with yajl's events, the rest with jansson's tree: every line gives
** what jansson alone gives, records and errors alike. */
static void jsonl_fast_reading_matches_jansson(void **state) {
  const char *lines =
      "{\"id\": \"a\", \"title\": \"T\", \"body\": \"B \\u00e9\\n\\\"q\\\" \\/ \\ud83d\\ude00\"}\n"
      "{\"id\": -0, \"body\": \"int id\"}\n"
      "{\"id\": 9223372036854775807, \"body\": \"max id\"}\n"
      "{\"id\": 9223372036854775808, \"body\": \"too big\"}\n"
      "{\"id\": 1.5, \"uid\": 7, \"body\": \"real id falls through\"}\n"
      "{\"id\": 1e999, \"body\": \"real overflow\"}\n"
      "{\"id\": true, \"guid\": null, \"body\": \"no usable id\"}\n"
      "{\"body\": \"dup\", \"body\": \"keys\"}\n"
      "{\"body\": \"nested dup\", \"x\": {\"a\": 1, \"a\": 2}}\n"
      "{\"body\": \"nested ok\", \"x\": {\"a\": 1, \"b\": {\"a\": 2}}, \"y\": {\"a\": 3}}\n"
      "{\"body\": \"nul \\u0000 escape\"}\n"
      "{\"body\": \"lone \\udc00 low\"}\n"
      "{\"body\": \"escaped backslash \\\\u0000 is text\"}\n"
      "{\"body\": [\"a\", \"\", [\"b\", [], [\"c\"]], 3, 2.5, null, {\"name\": \"d\"}, "
      "{\"name\": 4}, {\"name\": [\"e\"]}, {\"x\": \"f\"}], \"tags\": [[\"t1\"], \"t2\"]}\n"
      "{\"text\": [], \"content\": \"empty list falls through\"}\n"
      "{\"body\": {\"name\": \"object body\", \"other\": [1]}, \"author\": {\"x\": 1}, "
      "\"authors\": \"second name used\"}\n"
      "{\"body\": {\"name\": \"\"}, \"title\": \"empty name\"}\n"
      "{\"source\": {\"name\": {\"name\": \"deep\"}}, \"body\": \"name not a string\"}\n"
      "{\"body\": \"x\"} trailing\n"
      "{\"body\": \"x\"} \"unfinished\n"
      "{\"body\": \"x\"}  \t \n"
      "{\"body\": \"x\"}{\"body\": \"y\"}\n"
      "[{\"body\": \"list\"}]\n"
      "\"just a string\"\n"
      "42\n"
      "{\"body\": \"bad\" \"json\"}\n"
      "{\"body\": \"ctrl \t char\"}\n"
      "{\"title\": \"only title\", \"date\": \"1987-02-26\", \"lang\": \"en\", "
      "\"keywords\": \"a,b\", \"site\": \"S\", \"link\": \"L\"}\n"
      "{\"url\": \"no text\"}\n"
      "{\"\": \"empty key\", \"body\": \"ok\", \"id\": \"\"}\n";
  char *fast = read_all(lines, 0), *slow = read_all(lines, JSONL_JANSSON_ONLY);
  assert_string_equal(fast, slow);
  assert_non_null(strstr(fast, "a, b, c, 3, d"));       /* the joined list, as jansson joins it */
  assert_non_null(strstr(fast, "9223372036854775807")); /* a 64-bit integer, exactly */
  free(fast);
  free(slow);

  /* Deep nesting: yajl reads as deep as it is told, jansson stops at 2048. */
  size_t depth = 3000;
  char *deep = malloc(2 * depth + 64);
  assert_non_null(deep);
  size_t n = (size_t)snprintf(deep, 64, "{\"body\": \"deep\", \"x\": ");
  for (size_t i = 0; i < depth; i++)
    deep[n++] = '[';
  for (size_t i = 0; i < depth; i++)
    deep[n++] = ']';
  memcpy(deep + n, "}\n", 3);
  fast = read_all(deep, 0);
  slow = read_all(deep, JSONL_JANSSON_ONLY);
  assert_string_equal(fast, slow);
  free(fast);
  free(slow);
  free(deep);
}

static void jsonl_byte_order_mark(void **state) {
  /* A byte-order mark starts the file, and only the file: later it is a JSON error. */
  FILE *f = memory_file("\xEF\xBB\xBF{\"id\": \"a\", \"body\": \"first\"}\n"
                        "\xEF\xBB\xBF{\"id\": \"b\", \"body\": \"second\"}\n");
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "bom.jsonl", 0, &r, NULL), NEWSIDX_OK);
  newsidx_article a;
  newsidx_error err;
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_string_equal(a.key, "a");
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "bom.jsonl:2: malformed JSON"));
  jsonl_close(r);
  fclose(f);
}

static void jsonl_resume_keeps_line_numbers_and_offsets(void **state) {
  const char *lines = "{\"id\": 1, \"body\": \"one\"}\n"
                      "{\"id\": 2, \"body\": \"two\"}\n"
                      "{broken\n"
                      "{\"id\": 4, \"body\": \"four\"}\n";
  long offset = (long)(strchr(strchr(lines, '\n') + 1, '\n') + 1 - lines); /* line 3 */
  FILE *f = memory_file(lines);
  assert_int_equal(fseek(f, offset, SEEK_SET), 0);
  jsonl_reader *r;
  assert_int_equal(jsonl_open(f, "feed.jsonl", JSONL_LEAVE_PARTIAL_LINE, &r, NULL), NEWSIDX_OK);
  jsonl_resume(r, 2, offset);
  newsidx_article a;
  newsidx_error err;
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "feed.jsonl:3: malformed JSON"));
  assert_int_equal(jsonl_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_string_equal(a.key, "4");
  assert_int_equal(jsonl_line(r), 4);
  assert_int_equal(jsonl_bytes(r), strlen(lines));
  jsonl_close(r);
  fclose(f);
}

/* The window hash at offset `offset` of the file at `path`. */
static newsidx_status_t window_hash_of(const char *path, int64_t offset, int64_t *hash) {
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  newsidx_error err;
  newsidx_status_t status = input_window_hash(fd, path, offset, hash, &err);
  close(fd);
  return status;
}

static void window_hash_tells_appended_from_rewritten(void **state) {
  char *dir = test_tmpdir();
  /* 200 KiB: the head and tail windows do not overlap */
  size_t n = 200 * 1024;
  char *data = malloc(n + 16);
  assert_non_null(data);
  for (size_t i = 0; i < n; i++)
    data[i] = (char)('a' + i % 23);
  char *path = test_write_file(dir, "feed.jsonl", data, n);
  int64_t before, after;
  assert_int_equal(window_hash_of(path, (int64_t)n, &before), NEWSIDX_OK);

  memcpy(data + n, "appended\n", 9); /* appended: the bytes before the offset are the same */
  free(test_write_file(dir, "feed.jsonl", data, n + 9));
  assert_int_equal(window_hash_of(path, (int64_t)n, &after), NEWSIDX_OK);
  assert_int_equal(before, after);

  data[10] = '!'; /* rewritten at the start */
  free(test_write_file(dir, "feed.jsonl", data, n + 9));
  assert_int_equal(window_hash_of(path, (int64_t)n, &after), NEWSIDX_OK);
  assert_int_not_equal(before, after);
  data[10] = 'k';

  data[n - 1] = '!'; /* rewritten just before the offset */
  free(test_write_file(dir, "feed.jsonl", data, n + 9));
  assert_int_equal(window_hash_of(path, (int64_t)n, &after), NEWSIDX_OK);
  assert_int_not_equal(before, after);

  free(test_write_file(dir, "feed.jsonl", data, 100)); /* truncated */
  assert_int_equal(window_hash_of(path, (int64_t)n, &after), NEWSIDX_IO);

  free(data);
  free(path);
  test_tmpdir_remove(dir);
}

static void file_encodings(void **state) {
  char *dir = test_tmpdir();
  char *text;
  size_t n;
  input_encoding enc;
  newsidx_error err;
  int64_t size, mtime;

  char *utf8 = test_write_file(dir, "u.txt", "\xef\xbb\xbfS\xc3\xa3o Paulo\r\n", 14);
  assert_int_equal(input_read_file(utf8, &text, &n, &enc, &size, &mtime, &err), NEWSIDX_OK);
  assert_int_equal(enc, INPUT_UTF8);
  /* the size and time of the file as it was opened, what a re-run compares with stat() */
  struct stat st;
  assert_int_equal(stat(utf8, &st), 0);
  assert_int_equal(size, 14);
  assert_true(mtime == (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
  assert_string_equal(text, "São Paulo");
  free(text);

  char *latin = test_write_file(dir, "l.txt", "Z\xfcrich \x93news\x94", 13);
  assert_int_equal(input_read_file(latin, &text, &n, &enc, &size, &mtime, &err), NEWSIDX_OK);
  assert_int_equal(enc, INPUT_CP1252);
  assert_string_equal(text, "Zürich “news”");
  free(text);

  char *binary = test_write_file(dir, "b.txt", "PK\x03\x04\x00\x00zip", 9);
  assert_int_equal(input_read_file(binary, &text, &n, &enc, &size, &mtime, &err), NEWSIDX_INPUT);
  assert_int_equal(size, 9); /* a binary file's too: it is skipped until it changes */
  assert_non_null(strstr(err.message, "b.txt"));
  assert_non_null(strstr(err.message, "binary"));

  assert_int_equal(input_read_file(dir, &text, &n, &enc, &size, &mtime, &err), NEWSIDX_IO);
  char missing[512];
  snprintf(missing, sizeof missing, "%s/missing.txt", dir);
  assert_int_equal(input_read_file(missing, &text, &n, &enc, &size, &mtime, &err), NEWSIDX_IO);
  assert_int_equal(size, -1);
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
      cmocka_unit_test(jsonl_other_field_names),
      cmocka_unit_test(jsonl_bad_lines_are_reported_and_skipped),
      cmocka_unit_test(jsonl_fast_reading_matches_jansson),
      cmocka_unit_test(jsonl_partial_last_line_is_left_for_the_next_run),
      cmocka_unit_test(jsonl_resume_keeps_line_numbers_and_offsets),
      cmocka_unit_test(window_hash_tells_appended_from_rewritten),
      cmocka_unit_test(jsonl_byte_order_mark),
      cmocka_unit_test(file_encodings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
