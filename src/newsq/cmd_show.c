/*
** cmd_show.c — `newsq show [options] ID|KEY...`: each article whole, its metadata and its full
** text; --json one object per article with every field; --text the body alone. An article is
** named by its key (a text file's path, a record's id, a feed item's "feed#guid") or its id.
*/
#include "newsq.h"
#include "newsidx_query.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_TEXT = NEWSQ_OPT_COMMAND };

static const cli_option options[] = {
    NEWSQ_DB_OPTION,
    {"json", 'j', NEWSQ_OPT_JSON, NULL, "one JSON object per article, with every field"},
    {"text", 0, OPT_TEXT, NULL, "the body alone"},
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

typedef struct show_args {
  newsq_common common;
  int text_only;
} show_args;

static void usage(FILE *out) {
  fprintf(out, "Usage: newsq show [options] ID|KEY...\n\n"
               "Prints each article whole: its metadata, then its full text.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 every article shown, 1 one was not found, 2 error.\n");
}

static int on_option(void *ctx, int id, const char *arg) {
  show_args *a = ctx;
  if (id == OPT_TEXT) {
    a->text_only = 1;
    return 0;
  }
  return newsq_common_option(&a->common, id, arg, usage);
}

/* The fields in the order shown, with their names in text and JSON. */
#define SHOW_FIELDS(a)                                                                             \
  {                                                                                                \
    {"key", (a)->key}, {"path", (a)->path}, {"date", (a)->date}, {"title", (a)->title},            \
        {"source", (a)->source}, {"url", (a)->url}, {"author", (a)->author}, {"lang", (a)->lang},  \
        {"tags", (a)->tags},                                                                       \
  }

typedef struct show_field {
  const char *name, *value;
} show_field;

/* Returns 0, or -1 when writing failed. */
static int print_json(FILE *out, const query_article *a) {
  json_t *o = json_object();
  if (!o) return -1;
  json_object_set_new(o, "id", json_integer(a->id));
  show_field fields[] = SHOW_FIELDS(a);
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    json_object_set_new(o, fields[i].name,
                        fields[i].value ? json_string(fields[i].value) : json_null());
  json_object_set_new(o, "duplicate_of", a->dup_of ? json_integer(a->dup_of) : json_null());
  json_object_set_new(o, "body", json_string(a->body ? a->body : ""));
  int rc = json_dumpf(o, out, JSON_COMPACT) == 0 ? 0 : -1;
  json_decref(o);
  return rc == 0 && fputc('\n', out) != EOF ? 0 : -1;
}

static int print_text(FILE *out, const query_article *a, int first) {
  if (!first) fputs("\n", out);
  fprintf(out, "id: %lld\n", (long long)a->id);
  show_field fields[] = SHOW_FIELDS(a);
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (fields[i].value && *fields[i].value)
      fprintf(out, "%s: %s\n", fields[i].name, fields[i].value);
  if (a->dup_of) fprintf(out, "duplicate of: %lld\n", (long long)a->dup_of);
  fprintf(out, "\n%s\n", a->body ? a->body : "");
  return ferror(out) ? -1 : 0;
}

int cmd_show(int argc, char **argv) {
  show_args a;
  memset(&a, 0, sizeof a);
  char **words = NULL;
  int n_words = 0;
  newsidx_db *db = NULL;
  int rc = newsq_common_init(&a.common);
  if (rc == 0)
    rc = newsq_parse_words("newsq show", argc, argv, options, on_option, &a, &words, &n_words);
  if (rc == 0 && n_words == 0) {
    usage(stderr);
    rc = CLI_EXIT_ERROR;
  }
  if (rc == 0) rc = newsq_open(&a.common, 0, &db);
  int missing = 0;
  for (int i = 0; rc == 0 && i < n_words; i++) {
    query_article article;
    newsidx_error err;
    newsidx_status_t status = query_article_load(db, words[i], &article, &err);
    if (status == NEWSIDX_NOT_FOUND) {
      cli_message("newsq", "", err.message);
      missing = 1;
      continue;
    }
    if (status != NEWSIDX_OK) {
      rc = newsq_fail(&err);
      break;
    }
    FILE *out = a.common.out;
    int failed = a.common.format == NEWSQ_JSON ? print_json(out, &article)
                 : a.text_only ? (fprintf(out, "%s\n", article.body ? article.body : ""),
                                  ferror(out) ? -1 : 0)
                               : print_text(out, &article, i == 0);
    query_article_free(&article);
    if (failed || fflush(out) != 0) rc = newsq_output_failed(errno, CLI_EXIT_OK);
  }
  newsq_close(db);
  free(words);
  newsq_common_free(&a.common);
  if (rc < 0) return CLI_EXIT_OK;
  return rc ? rc : missing ? CLI_EXIT_NONE : CLI_EXIT_OK;
}
