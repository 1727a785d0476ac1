/*
** test_reader_csv.c — the CSV and TSV reader: bytes in, article records out.
*/
#include "test_util.h"

#include "reader.h"

/* A reader over `bytes` (n bytes) in memory; the FILE goes to *f (fclose() it). */
static csv_reader *open_bytes(const char *bytes, size_t n, char delimiter, int flags, FILE **f) {
  *f = fmemopen((void *)bytes, n, "r");
  assert_non_null(*f);
  csv_reader *r;
  assert_int_equal(csv_open(*f, "t.csv", delimiter, flags, &r, NULL), NEWSIDX_OK);
  return r;
}

static csv_reader *open_text(const char *text, int flags, FILE **f) {
  return open_bytes(text, strlen(text), ',', flags, f);
}

static void header_maps_the_jsonl_field_names(void **state) {
  const char *text = "\xEF\xBB\xBF Id ,Headline,TEXT,published,link,Publisher,Authors,topics,"
                     "language,ignored\r\n"
                     "r-1,Cocoa Review,Showers.,1987-02-26T15:01:01Z,https://x.org/1,Reuters,Ana,"
                     "\"cocoa,grain\",en,zzz\r\n";
  FILE *f;
  csv_reader *r = open_text(text, 0, &f);
  newsidx_article a;
  const char *warning;
  newsidx_error err;
  assert_int_equal(csv_next(r, &a, &warning, &err), NEWSIDX_OK);
  assert_null(warning);
  assert_string_equal(a.key, "r-1");
  assert_string_equal(a.title, "Cocoa Review");
  assert_string_equal(a.body, "Showers.");
  assert_string_equal(a.date, "1987-02-26T15:01:01Z");
  assert_string_equal(a.url, "https://x.org/1");
  assert_string_equal(a.source, "Reuters");
  assert_string_equal(a.author, "Ana");
  assert_string_equal(a.tags, "cocoa,grain");
  assert_string_equal(a.lang, "en");
  assert_string_equal(a.path, "t.csv");
  assert_int_equal(csv_row_line(r), 2);
  assert_int_equal(csv_next(r, &a, &warning, &err), NEWSIDX_NOT_FOUND);
  assert_int_equal(csv_bytes(r), (long long)strlen(text));
  csv_close(r);
  fclose(f);
}

/* The first name whose cell is not empty wins: an empty "title" gives way to "headline". */
static void empty_cells_give_way_to_the_next_name(void **state) {
  const char *text = "title,headline,body,text,id\n"
                     ",Second name,,From text,\n"
                     ",,,,\n";
  FILE *f;
  csv_reader *r = open_text(text, 0, &f);
  newsidx_article a;
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_string_equal(a.title, "Second name");
  assert_string_equal(a.body, "From text");
  assert_true(strncmp(a.key, "sha:", 4) == 0); /* an empty id: a hash of the row */
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_true(reader_article_empty(&a)); /* an empty row is an empty article, not an error */
  csv_close(r);
  fclose(f);
}

/* Quoted fields hold delimiters, doubled quotes and line ends; the row's line is where it
** starts; blank lines are skipped. */
static void quoted_fields_span_lines(void **state) {
  const char *text = "id,title,body\n"
                     "1,\"A, b\",\"Line one\n\nsaid \"\"hi\"\"\r\nend\"\n"
                     "\n"
                     "2,5\" screen,plain\n";
  FILE *f;
  csv_reader *r = open_text(text, 0, &f);
  newsidx_article a;
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_string_equal(a.title, "A, b");
  assert_non_null(strstr(a.body, "Line one"));
  assert_non_null(strstr(a.body, "said \"hi\""));
  assert_non_null(strstr(a.body, "end"));
  assert_int_equal(csv_row_line(r), 2);
  assert_int_equal(csv_line(r), 5);
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_string_equal(a.title, "5\" screen"); /* a quote inside an unquoted field is text */
  assert_int_equal(csv_row_line(r), 7);
  csv_close(r);
  fclose(f);
}

/* Each bad row says file:line: why, and the next call goes on with the next row. */
static void bad_rows_are_reported_and_skipped(void **state) {
  static const char text[] = "id,body\n"
                             "1,one\n"
                             "2,two,extra\n"
                             "3,\"closed\"then text\n"
                             "4,nul\0byte\n"
                             "5,five\n"
                             "6,\"never closed\n"
                             "7,swallowed\n";
  FILE *f;
  csv_reader *r = open_bytes(text, sizeof text - 1, ',', 0, &f);
  newsidx_article a;
  newsidx_error err;
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "t.csv:3: 3 fields, the header has 2");
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "t.csv:4: text after a closing quote");
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "t.csv:5: NUL byte in the row");
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_string_equal(a.body, "five");
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "t.csv:7: quoted field not closed");
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_NOT_FOUND);
  csv_close(r);
  fclose(f);
}

/* A header without a text column makes the whole file one error; nothing else is read. */
static void header_without_text_column(void **state) {
  const char *text = "id,date\n1,2026-01-01\n2,2026-01-02\n";
  FILE *f;
  csv_reader *r = open_text(text, 0, &f);
  newsidx_article a;
  newsidx_error err;
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "t.csv:1: no text column in the header"));
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_NOT_FOUND);
  assert_int_equal(csv_bytes(r), (long long)strlen(text)); /* consumed: not read until changed */
  csv_close(r);
  fclose(f);
}

/* Windows-1252 rows are decoded, with a warning; a bad date is a warning too. */
static void windows_1252_and_bad_dates(void **state) {
  const char *text = "title,body,date\n"
                     "Caf\xe9,na\xefve,2026-03-05\n"
                     "Ok,fine,not a date\n";
  FILE *f;
  csv_reader *r = open_text(text, 0, &f);
  newsidx_article a;
  const char *warning;
  assert_int_equal(csv_next(r, &a, &warning, NULL), NEWSIDX_OK);
  assert_string_equal(a.title, "Caf\xc3\xa9");
  assert_string_equal(a.body, "na\xc3\xafve");
  assert_non_null(warning);
  assert_non_null(strstr(warning, "Windows-1252"));
  assert_int_equal(csv_next(r, &a, &warning, NULL), NEWSIDX_OK);
  assert_null(a.date);
  assert_non_null(strstr(warning, "date"));
  csv_close(r);
  fclose(f);
}

static void tsv_uses_tabs(void **state) {
  const char *text = "title\tbody\n"
                     "A, b\t\"tab\there\"\n";
  FILE *f;
  csv_reader *r = open_bytes(text, strlen(text), '\t', 0, &f);
  newsidx_article a;
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_string_equal(a.title, "A, b");
  assert_string_equal(a.body, "tab\there");
  csv_close(r);
  fclose(f);
}

/* With CSV_LEAVE_PARTIAL_ROW, a last row that is not whole waits: fewer fields, or a quoted
** field open (also across lines). A whole one without its line end is taken. */
static void partial_last_row_waits(void **state) {
  static const char *const partial[] = {
      "id,body,title\n1,one,One\n2,tw",
      "id,body,title\n1,one,One\n2,\"two\nlines",
      "id,body,title\n1,one,One\n2,two,\"Tw",
  };
  for (size_t i = 0; i < sizeof partial / sizeof partial[0]; i++) {
    FILE *f;
    csv_reader *r = open_text(partial[i], CSV_LEAVE_PARTIAL_ROW, &f);
    newsidx_article a;
    assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
    assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_NOT_FOUND);
    assert_int_equal(csv_bytes(r), 24); /* the end of row 1 */
    assert_int_equal(csv_line(r), 2);
    assert_int_equal(csv_partial(r), (long long)strlen(partial[i]) - 24);
    csv_close(r);
    fclose(f);
  }
  const char *whole = "id,body,title\n1,one,One\n2,two,\"Two\"";
  FILE *f;
  csv_reader *r = open_text(whole, CSV_LEAVE_PARTIAL_ROW, &f);
  newsidx_article a;
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_OK);
  assert_string_equal(a.title, "Two");
  assert_int_equal(csv_next(r, &a, NULL, NULL), NEWSIDX_NOT_FOUND);
  assert_int_equal(csv_partial(r), 0);
  assert_int_equal(csv_bytes(r), (long long)strlen(whole));
  csv_close(r);
  fclose(f);
}

/* Resuming reads the header from the start, then goes on at the offset with its line
** numbers. */
static void resume_reads_the_header_then_goes_on(void **state) {
  const char *text = "body,id\none,1\ntwo,2\n\"three\nlines\",3\n";
  FILE *f;
  csv_reader *r = open_text(text, CSV_LEAVE_PARTIAL_ROW, &f);
  assert_int_equal(csv_resume(r, 3, 20, NULL), NEWSIDX_OK);
  newsidx_article a;
  newsidx_error err;
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_OK);
  assert_string_equal(a.key, "3");
  assert_string_equal(a.body, "three\nlines");
  assert_int_equal(csv_row_line(r), 4);
  assert_int_equal(csv_line(r), 5);
  assert_int_equal(csv_next(r, &a, NULL, &err), NEWSIDX_NOT_FOUND);
  assert_int_equal(csv_bytes(r), (long long)strlen(text));
  csv_close(r);
  fclose(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(header_maps_the_jsonl_field_names),
      cmocka_unit_test(empty_cells_give_way_to_the_next_name),
      cmocka_unit_test(quoted_fields_span_lines),
      cmocka_unit_test(bad_rows_are_reported_and_skipped),
      cmocka_unit_test(header_without_text_column),
      cmocka_unit_test(windows_1252_and_bad_dates),
      cmocka_unit_test(tsv_uses_tabs),
      cmocka_unit_test(partial_last_row_waits),
      cmocka_unit_test(resume_reads_the_header_then_goes_on),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
