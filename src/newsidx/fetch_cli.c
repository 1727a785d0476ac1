/*
** fetch_cli.c — the options of the commands that fetch URLs, and the URLs of a run: those
** named as operands and those of a subscription list (--feeds). See commands.h.
*/
#include "commands.h"

#include <stdlib.h>
#include <string.h>

int fetch_cli_option(fetch_cli *c, const char *program, int id, const char *arg) {
  long n = 0;
  int rc = 0;
  switch (id) {
  case FETCH_OPT_FEEDS: c->feeds_path = arg; return 0;
  case FETCH_OPT_CONNECT_TIMEOUT:
    rc = cli_parse_int(program, "connect-timeout", arg, 1, 3600, &n);
    c->options.connect_timeout_s = n;
    return rc;
  case FETCH_OPT_TIMEOUT:
    rc = cli_parse_int(program, "timeout", arg, 1, 86400, &n);
    c->options.timeout_s = n;
    return rc;
  case FETCH_OPT_MAX_SIZE:
    rc = cli_parse_int(program, "max-size", arg, 1, 4096, &n);
    c->options.max_bytes = (long long)n << 20;
    return rc;
  case FETCH_OPT_DELAY:
    rc = cli_parse_int(program, "delay", arg, 0, 3600000, &n);
    c->options.delay_ms = n;
    return rc;
  }
  return 0;
}

int fetch_cli_take_urls(const fetch_cli *c, char **operands, int n, int *n_paths,
                        fetch_cli_urls *out) {
  *out = (fetch_cli_urls){0};
  *n_paths = 0;
  newsidx_error err = {0};
  if (c->feeds_path &&
      ingest_read_subscriptions(c->feeds_path, &out->subscriptions, &err) != NEWSIDX_OK) {
    fetch_cli_urls_free(out);
    return cli_fail("newsidx", &err);
  }
  int n_urls = 0;
  for (int i = 0; i < n; i++)
    n_urls += ingest_is_url(operands[i]);
  size_t total = (size_t)n_urls + (size_t)out->subscriptions.n;
  out->urls = calloc(total ? total : 1, sizeof *out->urls);
  if (!out->urls) {
    fetch_cli_urls_free(out);
    return cli_error("newsidx", "out of memory");
  }
  for (int i = 0; i < n; i++) {
    if (ingest_is_url(operands[i]))
      out->urls[out->n++] = (ingest_url){operands[i], NULL, NULL};
    else
      operands[(*n_paths)++] = operands[i];
  }
  for (int i = 0; i < out->subscriptions.n; i++)
    out->urls[out->n++] = out->subscriptions.urls[i];
  return 0;
}

void fetch_cli_urls_free(fetch_cli_urls *urls) {
  free(urls->urls);
  ingest_subscriptions_free(&urls->subscriptions);
  *urls = (fetch_cli_urls){0};
}
