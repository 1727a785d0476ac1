/*
** cmd_feeds.c — `newsidx feeds`: what the last fetch of each URL left (newsidx_fetch_state_list()),
** one line a URL for people or one JSON object a line, so that a broken feed is visible.
*/
#include "commands.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FEEDS_JSON 1 /* --json */

static const cli_option options[] = {
    CMD_COMMON_OPTIONS,
    {"json", 'j', CMD_FLAG(FEEDS_JSON), NULL, "one JSON object a URL instead of text"},
    {NULL, 0, 0, NULL, NULL},
};

/* JSON cannot hold bytes that are not UTF-8: a stored string is repaired (U+FFFD) first. */
static json_t *text_or_null(const char *s) {
  if (!s) return json_null();
  char *clean = newsidx_utf8_repair(s, strlen(s), NULL);
  json_t *value = clean ? json_string(clean) : NULL;
  free(clean);
  return value;
}

static int print_json(void *ctx, const newsidx_fetch_state *s) {
  (void)ctx;
  json_t *object = json_pack(
      "{s:o, s:o, s:i, s:o, s:o, s:o, s:i, s:I, s:o}", "url", text_or_null(s->url), "fetched_at",
      text_or_null(s->fetched_at), "http_status", s->http_status, "etag", text_or_null(s->etag),
      "last_modified", text_or_null(s->last_modified), "final_url", text_or_null(s->final_url),
      "redirects", s->redirects, "items", (json_int_t)s->items, "error", text_or_null(s->error));
  char *text = object ? json_dumps(object, JSON_COMPACT) : NULL;
  if (text) printf("%s\n", text);
  free(text);
  json_decref(object);
  return 0;
}

/* Prints `label` and `s` escaped for the terminal (a URL, a server's ETag or message). */
static void print_safe(const char *label, const char *s) {
  if (!s) return;
  char *safe = newsidx_text_escaped(s, strlen(s), NEWSIDX_ESCAPE_NAME);
  printf("%s%s", label, safe ? safe : "");
  free(safe);
}

/* "FETCHED_AT STATUS ITEMS URL", then the ETag and the last error when there are. */
static int print_text(void *ctx, const newsidx_fetch_state *s) {
  (void)ctx;
  printf("%s  %3d  %5lld  ", s->fetched_at ? s->fetched_at : "-", s->http_status,
         (long long)s->items);
  print_safe("", s->url);
  print_safe("  etag ", s->etag);
  print_safe("  error: ", s->error);
  printf("\n");
  return 0;
}

int cmd_feeds(int argc, char **argv) {
  int flags = 0;
  const cmd_spec spec = {
      "feeds",
      "",
      "Lists every URL the index fetched, with what its last fetch left: when it was, the\n"
      "HTTP status (0 when no answer came), the articles its last good fetch gave, its ETag\n"
      "and its last error. A line: FETCHED_AT STATUS ITEMS URL [etag ETAG] [error: WHY].",
      "0 done, 2 error.",
      options,
      cmd_set_flag,
      &flags};
  newsidx_db *db;
  int first;
  int rc = cmd_start(&spec, argc, argv, NEWSIDX_OPEN_READONLY, &db, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  newsidx_error err = {0};
  newsidx_status_t status =
      newsidx_fetch_state_list(db, (flags & FEEDS_JSON) ? print_json : print_text, NULL, &err);
  newsidx_db_close(db);
  if (status != NEWSIDX_OK) return cli_fail("newsidx feeds", &err);
  return CLI_EXIT_OK;
}
