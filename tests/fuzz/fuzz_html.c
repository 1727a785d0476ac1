/*
** fuzz_html.c — the HTML page reader on any bytes, as newsidx reads a page: html_parse().
**
** Invariants: it returns NEWSIDX_OK or NEWSIDX_INPUT (with a message naming the page); a page
** read gives one record with a key (its URL, else the page's name), the page's name as its
** path, a body, and valid UTF-8 in every field; one-line fields hold no line break; a date is
** in normalized form.
*/
#include "fuzz.h"
#include "reader.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  feed_result page;
  newsidx_error err = {0};
  newsidx_status_t status = html_parse((const char *)data, size, "/p.html", &page, &err);
  FUZZ_CHECK(status == NEWSIDX_OK || status == NEWSIDX_INPUT, "status %d: %s", status, err.message);
  if (status == NEWSIDX_INPUT)
    FUZZ_CHECK(strncmp(err.message, "/p.html: ", 9) == 0, "message \"%s\"", err.message);
  if (status == NEWSIDX_OK) {
    FUZZ_CHECK(page.n == 1, "%zu records", page.n);
    const newsidx_article *a = &page.records[0].article;
    FUZZ_CHECK(a->key && (strcmp(a->key, "/p.html") == 0 || (a->url && !strcmp(a->key, a->url))),
               "key %s", a->key ? a->key : "NULL");
    FUZZ_CHECK(a->path && strcmp(a->path, "/p.html") == 0, "path");
    fuzz_check_record(a, NULL);
  }
  feed_result_free(&page);
  return 0;
}
