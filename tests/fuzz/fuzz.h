/*
** fuzz.h — what the fuzz targets of tests/fuzz share.
**
** Each target is one file, fuzz_<name>.c, defining LLVMFuzzerTestOneInput (and, when it
** needs an index, LLVMFuzzerInitialize). It is linked twice:
**   - with libFuzzer (-fsanitize=fuzzer) in a clang build configured with NEWSIDX_FUZZ=ON,
**     where scripts/fuzz.sh runs it;
**   - with replay.c in the normal build, where ctest feeds it the seed corpus and every
**     regression file, so a crash once found stays fixed even without clang.
** A broken invariant prints one line naming it and aborts, which both drivers report.
*/
#ifndef NEWSIDX_FUZZ_H
#define NEWSIDX_FUZZ_H

#include "newsidx.h"

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry points. LLVMFuzzerTestOneInput returns 0; LLVMFuzzerInitialize is
** optional (weak in replay.c) and runs once before the first input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints "fuzz invariant failed at FILE:LINE: CONDITION: DETAIL" and aborts. */
void fuzz_fail(const char *file, int line, const char *condition, const char *format, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

/* Aborts unless `condition` holds; the remaining arguments are a printf-style detail. */
#define FUZZ_CHECK(condition, ...)                                                                 \
  do {                                                                                             \
    if (!(condition)) fuzz_fail(__FILE__, __LINE__, #condition, __VA_ARGS__);                      \
  } while (0)

/* A NUL-terminated copy of the input (free() it). An inner NUL ends the string early, as it
** would for any C caller. Never NULL: aborts when out of memory. */
char *fuzz_cstring(const uint8_t *data, size_t size);

/* Opens a fresh in-memory index (english). Aborts on failure. */
newsidx_db *fuzz_open_index(void);

/* Checks the library's promise for a failure message: non-empty, one line, and no control
** characters (input quoted in a message must not drive the terminal it is printed on). */
void fuzz_check_message(const newsidx_error *err);

/* Checks that `s` is valid UTF-8; `what` names it in the failure message. */
void fuzz_check_utf8(const char *s, const char *what);

/* Checks that `date` has a normalized form ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") and that
** newsidx_date_normalize() gives it back unchanged. */
void fuzz_check_date(const char *date);

/* Checks a record a reader gave for the file `name` (NULL: a reader that names records its
** own way, as a page by its canonical URL): a non-empty key, a body, `name` as its path, valid
** UTF-8 everywhere, one-line metadata fields and a normalized date. */
void fuzz_check_record(const newsidx_article *a, const char *name);

#endif
