/*
** test_text.c — UTF-8 validation, Windows-1252 decoding, text cleaning, and dates.
*/
#include "test_util.h"
#include "util/alloc.h"

#include <sys/mman.h>
#include <unistd.h>

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
  char d[] = "C1 \xc2\x9b"
             "31m and NEL \xc2\x85 go, \xc2\xa0 and \xc2\xbb stay";
  newsidx_text_clean(d);
  assert_string_equal(d, "C1 31m and NEL  go, \xc2\xa0 and \xc2\xbb stay");
}

/* Escapes `s` and checks the result and the length it reports. */
static void check_escape(const char *s, int flags, const char *want) {
  char out[256];
  size_t need = newsidx_text_escape(s, strlen(s), flags, out, sizeof out);
  assert_string_equal(out, want);
  assert_int_equal(need, strlen(want));
  char *copy = newsidx_text_escaped(s, strlen(s), flags);
  assert_string_equal(copy, want);
  free(copy);
}

static void escaping_for_terminals(void **state) {
  check_escape("plain /path/Zürich 東京.txt", NEWSIDX_ESCAPE_NAME, "plain /path/Zürich 東京.txt");
  check_escape("new\nline\ttab\rcr", NEWSIDX_ESCAPE_NAME, "new\\nline\\ttab\\rcr");
  check_escape("new\nline\ttab\rcr", NEWSIDX_ESCAPE_PROSE, "new line tab cr");
  check_escape("\x1b[2J\x07\x7f\x01", NEWSIDX_ESCAPE_PROSE, "\\x1B[2J\\x07\\x7F\\x01");
  check_escape("csi \xc2\x9b"
               "31m nel \xc2\x85 nbsp \xc2\xa0",
               NEWSIDX_ESCAPE_NAME, "csi \\u009B31m nel \\u0085 nbsp \xc2\xa0");
  check_escape("latin caf\xe9 \xc0\xaf \xed\xa0\x80 \xe2\x82", NEWSIDX_ESCAPE_NAME,
               "latin caf\\xE9 \\xC0\\xAF \\xED\\xA0\\x80 \\xE2\\x82");
  check_escape("back\\slash stays", NEWSIDX_ESCAPE_NAME, "back\\slash stays");

  /* A small buffer: cut before the piece that does not fit, never inside one; the length
  ** reported is the whole. */
  char out[8];
  assert_int_equal(newsidx_text_escape("ab\x1b"
                                       "cdef",
                                       7, 0, out, sizeof out),
                   10);
  assert_string_equal(out, "ab\\x1Bc");
  assert_int_equal(newsidx_text_escape("abcd\x1b", 5, 0, out, 6), 8);
  assert_string_equal(out, "abcd");
  assert_int_equal(newsidx_text_escape("x\xe2\x82\xac", 4, 0, out, 4), 4); /* x€ */
  assert_string_equal(out, "x");
  assert_int_equal(newsidx_text_escape("anything", 8, 0, NULL, 0), 8);
}

static void utf8_repair(void **state) {
  size_t n;
  const char *bad = "caf\xe9 ok \xc0\xaf \xe2\x82\xac";
  char *s = newsidx_utf8_repair(bad, strlen(bad), &n);
  assert_string_equal(s, "caf\xef\xbf\xbd ok \xef\xbf\xbd\xef\xbf\xbd \xe2\x82\xac");
  assert_int_equal(n, strlen(s));
  assert_true(newsidx_utf8_valid(s, n));
  free(s);
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

/* The malformed dates real feeds carry, after feedparser's date tests (its test_date_parsers.py
** RFC 822 cases, and the dates of the shared corpus's feedparser feeds). */
static void malformed_feed_dates(void **state) {
  static const struct {
    const char *in, *out;
  } good[] = {
      {"Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},
      {"Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"},            /* two-digit year */
      {"Thu, 01 Jan 2004 19:48 GMT", "2004-01-01T19:48:00Z"},             /* no seconds */
      {"Fri, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},          /* a wrong day name */
      {"Thursday, 01 January 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"}, /* names in full */
      {"Thu 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},           /* no comma */
      {"Thu, 01 Sept 2004 19:48:21 GMT", "2004-09-01T19:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21", "2004-01-01T19:48:21Z"}, /* no zone: UTC */
      {"Thu, 01 Jan 2004 19:48:21 EST", "2004-01-02T00:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 PDT", "2004-01-02T02:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 ET", "2004-01-02T00:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 AST", "2004-01-01T23:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 CEST", "2004-01-01T17:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 MET", "2004-01-01T18:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 Z", "2004-01-01T19:48:21Z"}, /* military zones */
      {"Thu, 01 Jan 2004 19:48:21 A", "2004-01-01T20:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 M", "2004-01-02T07:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 N", "2004-01-01T18:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 Y", "2004-01-01T07:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 +01:00", "2004-01-01T18:48:21Z"}, /* ISO zone in RFC 822 */
      {"Thu, 01 Jan 2004 19:48:21 GMT+0100", "2004-01-01T18:48:21Z"},
      {"Thu, 01 Jan 2004 9:48:21 GMT", "2004-01-01T09:48:21Z"},  /* one-digit hour */
      {"Thu, Jan 01 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"}, /* month first */
      {"Jan 1, 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},
      {"Sat, 07 Sep 2002 00:00:01 GMT", "2002-09-07T00:00:01Z"},
      {"2002-10-17T17:00+01:00", "2002-10-17T16:00:00Z"}, /* W3C-DTF without seconds */
      {"2026-03-05 14:03", "2026-03-05T14:03:00Z"},       /* no T */
  };
  char out[NEWSIDX_DATE_MAX];
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    newsidx_error err = {0};
    if (newsidx_date_normalize(good[i].in, out, &err) != NEWSIDX_OK)
      fail_msg("%s: %s", good[i].in, err.message);
    if (strcmp(out, good[i].out) != 0) fail_msg("%s: %s, wanted %s", good[i].in, out, good[i].out);
  }
  static const char *const bad[] = {
      "Thu, 31 Jun 2004 19:48:21 GMT", /* no such day */
      "Thu, 01 Jan 2004 19:48:21 J",   /* J is no military zone */
      "Thu, 01 Janvier 2004 19:48:21 GMT", "Thu, 01 Jan 2004 19:48:21 XYZ",
      "Thu, 01 Jan 2004 19:61:21 GMT",     "Vorhersage Donnerstag, 06.09.2012",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (newsidx_date_normalize(bad[i], out, NULL) != NEWSIDX_INPUT) fail_msg("%s: taken", bad[i]);
}

/* Arrays grow by doubling from 64 items, as far as a request needs, and never overflow. */
static void reserving_room(void **state) {
  int *items = NULL;
  size_t cap = 0;
  assert_int_equal(newsidx_reserve((void **)&items, &cap, 0, 1, sizeof *items), 0);
  assert_int_equal(cap, 64);
  items[63] = 7;
  assert_int_equal(newsidx_reserve((void **)&items, &cap, 64, 1, sizeof *items), 0);
  assert_int_equal(cap, 128);
  assert_int_equal(items[63], 7); /* kept */
  assert_int_equal(newsidx_reserve((void **)&items, &cap, 100, 28, sizeof *items), 0);
  assert_int_equal(cap, 128); /* room enough: unchanged */
  assert_int_equal(newsidx_reserve((void **)&items, &cap, 100, 1000, sizeof *items), 0);
  assert_int_equal(cap, 2048);
  int *before = items;
  assert_int_equal(newsidx_reserve((void **)&items, &cap, 2048, SIZE_MAX / 2, sizeof *items), -1);
  assert_ptr_equal(items, before); /* left as it was */
  assert_int_equal(cap, 2048);
  free(items);
}

/* A zeroed table is all zeros and, unlike calloc()'s, already the process's own memory: every
** page is resident before anything reads it (see newsidx_zeroed() for why that matters). */
static void zeroed_tables_are_written(void **state) {
  size_t n = 1 << 18; /* 2 MiB of uint64_t: well above malloc's threshold for mmap() */
  uint64_t *table = newsidx_zeroed(n, sizeof *table);
  assert_non_null(table);
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t first = ((uintptr_t)table + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
  uintptr_t end = ((uintptr_t)(table + n)) & ~((uintptr_t)page - 1);
  size_t n_pages = (end - first) / (size_t)page;
  unsigned char *resident = malloc(n_pages);
  assert_non_null(resident);
  assert_int_equal(mincore((void *)first, end - first, resident), 0);
  size_t n_resident = 0;
  for (size_t i = 0; i < n_pages; i++)
    n_resident += resident[i] & 1;
  assert_int_equal(n_resident, n_pages);
  for (size_t i = 0; i < n; i++)
    if (table[i]) fail_msg("slot %zu is not zero", i);
  free(resident);
  free(table);
  assert_null(newsidx_zeroed(SIZE_MAX / 4, 8)); /* n * size overflows */
}

/* Decodes `in` (n bytes, after the mark) in pieces of `step` bytes; returns the UTF-8. */
static const char *wide_decoded(newsidx_wide_encoding encoding, const char *in, size_t n,
                                size_t step, long *n_replaced) {
  static char out[256];
  newsidx_wide_decoder d = {.encoding = encoding};
  size_t used = 0;
  for (size_t at = 0; at < n || at == 0; at += step) {
    size_t len = n - at < step ? n - at : step;
    used += newsidx_wide_decode(&d, in + at, len, out + used, at + len >= n);
    if (n == 0) break;
  }
  out[used] = '\0';
  *n_replaced = d.n_replaced;
  return out;
}

static void wide_decoding(void **state) {
  (void)state;
  size_t n_bom;
  assert_int_equal(newsidx_wide_sniff("\xFF\xFE\0\0x", 5, &n_bom), NEWSIDX_WIDE_UTF32LE);
  assert_int_equal(n_bom, 4);
  assert_int_equal(newsidx_wide_sniff("\0\0\xFE\xFF", 4, &n_bom), NEWSIDX_WIDE_UTF32BE);
  assert_int_equal(newsidx_wide_sniff("\xFF\xFEx\0", 4, &n_bom), NEWSIDX_WIDE_UTF16LE);
  assert_int_equal(n_bom, 2);
  assert_int_equal(newsidx_wide_sniff("\xFE\xFF", 2, &n_bom), NEWSIDX_WIDE_UTF16BE);
  assert_int_equal(newsidx_wide_sniff("\xEF\xBB\xBFx", 4, &n_bom), NEWSIDX_WIDE_NONE);
  assert_int_equal(n_bom, 0);
  long bad;
  /* "é原🐟" in UTF-16LE, in every size of piece: code units and the pair split across them */
  static const char le[] = "\xE9\x00\x9F\x53\x3D\xD8\x1F\xDC";
  for (size_t step = 1; step <= 8; step++) {
    assert_string_equal(wide_decoded(NEWSIDX_WIDE_UTF16LE, le, 8, step, &bad),
                        "é原\xF0\x9F\x90\x9F");
    assert_int_equal(bad, 0);
  }
  assert_string_equal(wide_decoded(NEWSIDX_WIDE_UTF16BE, "\x53\x9F\x00\x41", 4, 3, &bad), "原A");
  /* a high surrogate before a letter, a low one alone, a high one at the end, half a unit */
  assert_string_equal(wide_decoded(NEWSIDX_WIDE_UTF16LE,
                                   "\x3D\xD8"
                                   "A\0"
                                   "\x1F\xDC"
                                   "\x3D\xD8",
                                   8, 2, &bad),
                      "\xEF\xBF\xBD"
                      "A"
                      "\xEF\xBF\xBD"
                      "\xEF\xBF\xBD");
  assert_int_equal(bad, 3);
  assert_string_equal(wide_decoded(NEWSIDX_WIDE_UTF16LE, "A\0B", 3, 3, &bad), "A\xEF\xBF\xBD");
  assert_int_equal(bad, 1);
  /* UTF-32: beyond U+10FFFF and a surrogate are no characters */
  assert_string_equal(wide_decoded(NEWSIDX_WIDE_UTF32BE,
                                   "\0\x01\xF4\x1F"
                                   "\0\x11\0\0"
                                   "\0\0\xD8\0"
                                   "\0\0\0A",
                                   16, 5, &bad),
                      "\xF0\x9F\x90\x9F"
                      "\xEF\xBF\xBD"
                      "\xEF\xBF\xBD"
                      "A");
  assert_int_equal(bad, 2);
  assert_string_equal(wide_decoded(NEWSIDX_WIDE_UTF32LE, "", 0, 1, &bad), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(wide_decoding),
      cmocka_unit_test(utf8_validation),
      cmocka_unit_test(cp1252_decoding),
      cmocka_unit_test(zeroed_tables_are_written),
      cmocka_unit_test(cleaning),
      cmocka_unit_test(escaping_for_terminals),
      cmocka_unit_test(utf8_repair),
      cmocka_unit_test(date_normalization),
      cmocka_unit_test(malformed_feed_dates),
      cmocka_unit_test(reserving_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
