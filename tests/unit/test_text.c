/*
** test_text.c — UTF-8 validation, Windows-1252 decoding, text cleaning, and dates.
*/
#include "test_util.h"

static void utf8_validation(void **state) {
  assert_true(newsidx_utf8_valid("", 0));
  assert_true(newsidx_utf8_valid("plain ascii", 11));
  assert_true(newsidx_utf8_valid("São Paulo, Zürich, Łódź, 東京, 🙂",
                                 strlen("São Paulo, Zürich, Łódź, 東京, 🙂")));
  static const char *const bad[] = {
      "\x80",             /* lone continuation */
      "\xc3",             /* truncated */
      "\xc0\xaf",         /* overlong '/' */
      "\xe0\x80\xaf",     /* overlong, 3 bytes */
      "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
      "\xed\xa0\x80",     /* UTF-16 surrogate */
      "\xf4\x90\x80\x80", /* above U+10FFFF */
      "\xff",             /* never valid */
      "caf\xe9",          /* Latin-1 */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_false(newsidx_utf8_valid(bad[i], strlen(bad[i])));
}

static void cp1252_decoding(void **state) {
  char *out;
  size_t n;
  const char in[] = "caf\xe9 \x93quoted\x94 \x80 5 \x85 na\xefve \x81";
  assert_int_equal(newsidx_cp1252_to_utf8(in, sizeof in - 1, &out, &n, NULL), NEWSIDX_OK);
  assert_string_equal(out, "café “quoted” € 5 … naïve \xef\xbf\xbd");
  assert_int_equal(n, strlen(out));
  assert_true(newsidx_utf8_valid(out, n));
  free(out);
}

static void cleaning(void **state) {
  char a[] = "\xef\xbb\xbfline one\r\nline two\rline three\x01\x07 end  \n\n";
  assert_int_equal(newsidx_text_clean(a), strlen("line one\nline two\nline three end"));
  assert_string_equal(a, "line one\nline two\nline three end");
  char b[] = "   \n\t ";
  assert_int_equal(newsidx_text_clean(b), 0); /* white space alone cleans to nothing */
  char c[] = "  indented\n";
  assert_int_equal(newsidx_text_clean(c), 10); /* leading space is kept; only the end is trimmed */
}

static void date_normalization(void **state) {
  static const struct {
    const char *in, *out;
  } good[] = {
      {"2026-03-05", "2026-03-05"},
      {" 2026-03-05 ", "2026-03-05"},
      {"2026-03-05T14:03:00Z", "2026-03-05T14:03:00Z"},
      {"2026-03-05T14:03:00+01:00", "2026-03-05T13:03:00Z"},
      {"2026-03-05T00:30:00+0200", "2026-03-04T22:30:00Z"},
      {"2026-03-05 14:03", "2026-03-05T14:03:00Z"},
      {"2026-03-05T14:03:00.123456-05:00", "2026-03-05T19:03:00Z"},
      {"2024-02-29", "2024-02-29"},
      {"Thu, 05 Mar 2026 14:03:00 +0100", "2026-03-05T13:03:00Z"},
      {"5 Mar 2026 14:03 GMT", "2026-03-05T14:03:00Z"},
      {"Thu, 5 Mar 2026 09:03:00 EST", "2026-03-05T14:03:00Z"},
      {"Thu, 05 Mar 2026 14:03:00 +0000 (UTC)", "2026-03-05T14:03:00Z"},
      {"Sat, 31 Dec 2022 23:30:00 -0100", "2023-01-01T00:30:00Z"},
      {"1987-02-26T15:01:01Z", "1987-02-26T15:01:01Z"},
      {"Thu, 26 Feb 87 15:01:01 EST", "1987-02-26T20:01:01Z"}, /* two-digit years */
      {"Sat, 07 Sep 02 00:00:01 GMT", "2002-09-07T00:00:01Z"},
      {"Mon, 31 Dec 49 12:00 +0000", "2049-12-31T12:00:00Z"},
      {"Fri, 1 Jan 50 12:00 +0000", "1950-01-01T12:00:00Z"},
      {"1 Mar 126 10:00 GMT", "2026-03-01T10:00:00Z"},
  };
  char out[NEWSIDX_DATE_MAX];
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    newsidx_error err = {0};
    if (newsidx_date_normalize(good[i].in, out, &err) != NEWSIDX_OK)
      fail_msg("%s: %s", good[i].in, err.message);
    assert_string_equal(out, good[i].out);
  }
  static const char *const bad[] = {"",
                                    "yesterday",
                                    "2026-13-01",
                                    "2026-02-30",
                                    "2023-02-29",
                                    "9999-99-99",
                                    "2026-03-05T25:00:00Z",
                                    "2026-03-05T12:00:00+",
                                    "2026-03-05 garbage",
                                    "Thu, 32 Mar 2026 10:00:00 +0000",
                                    "05 Foo 2026 10:00",
                                    "2026/03/05",
                                    "20260305"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    newsidx_error err = {0};
    assert_int_equal(newsidx_date_normalize(bad[i], out, &err), NEWSIDX_INPUT);
    assert_non_null(strstr(err.message, "date"));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(utf8_validation),
      cmocka_unit_test(cp1252_decoding),
      cmocka_unit_test(cleaning),
      cmocka_unit_test(date_normalization),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
