/*
** test_text.c — UTF-8 validation, Windows-1252 decoding and text cleaning (dates: the golden
** cases of tests/golden/dates.test, run by test_dates.c).
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
      cmocka_unit_test(wide_decoding),   cmocka_unit_test(utf8_validation),
      cmocka_unit_test(cp1252_decoding), cmocka_unit_test(zeroed_tables_are_written),
      cmocka_unit_test(cleaning),        cmocka_unit_test(escaping_for_terminals),
      cmocka_unit_test(utf8_repair),     cmocka_unit_test(reserving_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
