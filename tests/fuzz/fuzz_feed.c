/*
** fuzz_feed.c — the feed reader on any bytes, as newsidx reads a feed file: feed_parse().
**
** Invariants: it returns NEWSIDX_OK or NEWSIDX_INPUT (with a message naming the feed); every
** record has a key that begins with the feed's name and '#', the feed's name as its path, a
** body, and valid UTF-8 in every field; one-line fields hold no line break; a date is in
** normalized form.
*/
#include "fuzz.h"
#include "reader.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  feed_result feed;
  newsidx_error err = {0};
  newsidx_status_t status = feed_parse((const char *)data, size, "/f.xml", &feed, &err);
  FUZZ_CHECK(status == NEWSIDX_OK || status == NEWSIDX_INPUT, "status %d: %s", status, err.message);
  if (status == NEWSIDX_INPUT)
    FUZZ_CHECK(strncmp(err.message, "/f.xml: ", 8) == 0, "message \"%s\"", err.message);
  for (size_t i = 0; status == NEWSIDX_OK && i < feed.n; i++) {
    const newsidx_article *a = &feed.records[i].article;
    FUZZ_CHECK(a->key && strncmp(a->key, "/f.xml#", 7) == 0, "key %s", a->key ? a->key : "NULL");
    FUZZ_CHECK(a->path && strcmp(a->path, "/f.xml") == 0, "path");
    fuzz_check_record(a, NULL);
  }
  feed_result_free(&feed);
  return 0;
}
