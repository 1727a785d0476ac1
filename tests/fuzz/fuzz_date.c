/*
** fuzz_date.c — newsidx_date_normalize() on any text.
**
** Invariants: it accepts or refuses with NEWSIDX_INPUT and a one-line message; what it
** accepts comes out in a normalized form that normalizes to itself, and that newsidx_when()
** numbers and newsidx_when_text() gives back.
*/
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_cstring(data, size);
  char date[NEWSIDX_DATE_MAX];
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_date_normalize(text, date, &err);
  if (status == NEWSIDX_OK) {
    fuzz_check_date(date);
  } else {
    FUZZ_CHECK(status == NEWSIDX_INPUT, "status %d", (int)status);
    fuzz_check_message(&err);
  }
  free(text);
  return 0;
}
