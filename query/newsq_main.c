/*
** newsq_main.c — the newsq command: search an index built by newsidx.
**
**   newsq [--db FILE] [options] QUERY...
*/
#include "cli.h"
#include "output.h"
#include "search.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_DB, OPT_JSON, OPT_LIMIT, OPT_OFFSET, OPT_COLOR, OPT_FRAGMENTS, OPT_HELP, OPT_VERSION };

static const cli_option options[] = {
    {"db", 'd', OPT_DB, "FILE", "the index file (default: $NEWSIDX_DB or news.db)"},
    {"json", 'j', OPT_JSON, NULL, "JSON Lines: one object per result"},
    {"limit", 'n', OPT_LIMIT, "N", "show N results (default 10)"},
    {"offset", 0, OPT_OFFSET, "N", "skip the first N results"},
    {"fragments", 0, OPT_FRAGMENTS, "N", "snippet passages per result (default 2)"},
    {"color", 0, OPT_COLOR, "WHEN", "highlight with colour: auto, always, never (default auto)"},
    {"help", 'h', OPT_HELP, NULL, "show this help"},
    {"version", 'V', OPT_VERSION, NULL, "show the version"},
    {NULL, 0, 0, NULL, NULL},
};

typedef struct newsq_args {
  const char *db_path;
  int json;
  int color; /* 0 never, 1 always, 2 auto */
  search_options search;
} newsq_args;

static void usage(FILE *out) {
  fprintf(out, "Usage: newsq [--db FILE] [options] QUERY...\n\n"
               "Searches a news index built by newsidx and prints the best matches, ranked by\n"
               "BM25 (title above body), with highlighted snippets.\n\n"
               "Query: words (all must match), \"exact phrases\", prefix*.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 something matched, 1 nothing matched, 2 error.\n");
}

static int on_option(void *ctx, int id, const char *arg) {
  static const char *const colors[] = {"never", "always", "auto", NULL};
  newsq_args *a = ctx;
  long n = 0;
  int rc = 0;
  switch (id) {
  case OPT_DB: a->db_path = arg; break;
  case OPT_JSON: a->json = 1; break;
  case OPT_LIMIT:
    rc = cli_parse_int("newsq", "limit", arg, 0, 1000000, &n);
    a->search.limit = (int)n;
    break;
  case OPT_OFFSET:
    rc = cli_parse_int("newsq", "offset", arg, 0, 1000000000, &n);
    a->search.offset = (int)n;
    break;
  case OPT_FRAGMENTS:
    rc = cli_parse_int("newsq", "fragments", arg, 0, 16, &n);
    a->search.fragments = (int)n;
    break;
  case OPT_COLOR: rc = cli_parse_choice("newsq", "color", arg, colors, &a->color); break;
  case OPT_HELP: usage(stdout); return -1;
  case OPT_VERSION: printf("newsq %s\n", NEWSIDX_VERSION); return -1;
  }
  return rc;
}

/* Joins argv[first..argc) with spaces: `newsq narco terrorists` is one query. */
static char *join_words(int argc, char **argv, int first) {
  size_t n = 1;
  for (int i = first; i < argc; i++)
    n += strlen(argv[i]) + 1;
  char *query = malloc(n);
  if (!query) return NULL;
  size_t used = 0;
  for (int i = first; i < argc; i++) {
    size_t len = strlen(argv[i]);
    if (i > first) query[used++] = ' ';
    memcpy(query + used, argv[i], len);
    used += len;
  }
  query[used] = '\0';
  return query;
}

static int on_hit(void *ctx, const search_hit *hit) {
  printer *p = ctx;
  return p->hit(p, hit);
}

int main(int argc, char **argv) {
  newsq_args a = {NULL, 0, 2, {0}};
  int first;
  int rc = cli_parse("newsq", argc, argv, options, on_option, &a, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  if (first == argc) {
    usage(stderr);
    return CLI_EXIT_ERROR;
  }
  char *query = join_words(argc, argv, first);
  if (!query) return cli_error("newsq", "out of memory");
  a.search.query = query;

  newsidx_open_options open_options = {NEWSIDX_OPEN_READONLY, NULL, 0};
  newsidx_db *db;
  newsidx_error err = {0};
  if (newsidx_db_open(a.db_path ? a.db_path : newsidx_default_db_path(), &open_options, &db,
                      &err) != NEWSIDX_OK) {
    free(query);
    return cli_fail("newsq", &err);
  }

  int color = a.color;
  if (color == 2) color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
  printer *p = a.json ? printer_json_new(stdout)
                      : printer_text_new(stdout, color ? HIGHLIGHT_ANSI : HIGHLIGHT_PLAIN);
  long n_hits = 0;
  newsidx_status_t status = p ? search_run(db, &a.search, on_hit, p, &n_hits, &err)
                              : newsidx_error_set(&err, NEWSIDX_NOMEM, "out of memory");
  if (status == NEWSIDX_OK && p->finish(p, n_hits) != 0)
    status = newsidx_error_set(&err, NEWSIDX_IO, "writing the results failed");
  if (p) p->destroy(p);
  newsidx_db_close(db);
  free(query);
  if (status != NEWSIDX_OK) return cli_fail("newsq", &err);
  return n_hits > 0 ? CLI_EXIT_OK : CLI_EXIT_NONE;
}
