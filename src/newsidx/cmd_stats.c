/*
** cmd_stats.c — `newsidx stats`: what the index holds (newsidx_stats_get()), for people or,
** with --json, as one JSON object. Both formats print the same JSON object, so they never
** disagree: text is that object, one field a line.
*/
#include "commands.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define TOP_SOURCES 10
#define STATS_JSON  1 /* --json */

static const cli_option options[] = {
    CMD_COMMON_OPTIONS,
    {"json", 'j', CMD_FLAG(STATS_JSON), NULL, "one JSON object instead of text"},
    {NULL, 0, 0, NULL, NULL},
};

static json_t *text_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* The statistics as a JSON object; NULL when out of memory. The index's file name may hold
** bytes that are not UTF-8, which JSON cannot: they show as U+FFFD. */
static json_t *stats_object(const char *file, const newsidx_stats *s) {
  char *path = newsidx_utf8_repair(file, strlen(file), NULL);
  if (!path) return NULL;
  json_t *sources = json_array();
  for (int i = 0; sources && i < s->n_top_sources; i++)
    json_array_append_new(sources, json_pack("{s:s, s:I}", "source", s->top_sources[i].name,
                                             "articles", (json_int_t)s->top_sources[i].articles));
  json_t *object =
      json_pack("{s:s, s:i, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:I,"
                " s:I, s:I}",
                "index", path, "schema_version", s->schema_version, "language", s->language,
                "articles", (json_int_t)s->articles, "originals", (json_int_t)s->originals,
                "duplicates", (json_int_t)s->duplicates, "input_files", (json_int_t)s->input_files,
                "first_date", text_or_null(s->first_date), "last_date", text_or_null(s->last_date),
                "undated", (json_int_t)s->undated, "last_indexed", text_or_null(s->last_indexed),
                "terms", (json_int_t)s->terms, "sources", (json_int_t)s->sources, "top_sources",
                sources, "db_bytes", (json_int_t)s->db_bytes, "wal_bytes", (json_int_t)s->wal_bytes,
                "free_bytes", (json_int_t)s->free_bytes);
  free(path);
  return object;
}

/* Labels for text where the JSON name does not read well; others lose their underscores. */
static const char *label(const char *key, char *buf, size_t size) {
  static const char *const labels[][2] = {
      {"originals", "searched (originals)"}, {"db_bytes", "database file"},
      {"wal_bytes", "write-ahead log"},      {"free_bytes", "free inside the file"},
      {"undated", "without a date"},         {"terms", "distinct terms"}};
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
    if (strcmp(key, labels[i][0]) == 0) return labels[i][1];
  snprintf(buf, size, "%s", key);
  for (char *p = buf; *p; p++)
    if (*p == '_') *p = ' ';
  return buf;
}

/* Prints a string of the object, escaped for the terminal (a file name, a source). */
static void print_safe(const char *s) {
  if (!s) return;
  char *safe = newsidx_text_escaped(s, strlen(s), NEWSIDX_ESCAPE_NAME);
  fputs(safe ? safe : "", stdout);
  free(safe);
}

static void print_text(json_t *object) {
  const char *key;
  json_t *value;
  json_object_foreach(object, key, value) {
    char name[64], n[32];
    printf("%-22s ", label(key, name, sizeof name));
    size_t n_key = strlen(key);
    if (json_is_integer(value) && n_key > 6 && strcmp(key + n_key - 6, "_bytes") == 0)
      printf("%s\n", cli_bytes(json_integer_value(value), n, sizeof n));
    else if (json_is_integer(value))
      printf("%s\n", cli_thousands(json_integer_value(value), n, sizeof n));
    else if (json_is_string(value)) {
      print_safe(json_string_value(value));
      putchar('\n');
    } else if (json_is_array(value)) {
      size_t i;
      json_t *item;
      json_array_foreach(value, i, item) {
        printf("%s%10s  ", i ? "                       " : "",
               cli_thousands(json_integer_value(json_object_get(item, "articles")), n, sizeof n));
        print_safe(json_string_value(json_object_get(item, "source")));
        putchar('\n');
      }
      if (json_array_size(value) == 0) printf("-\n");
    } else
      printf("-\n");
  }
}

int cmd_stats(int argc, char **argv) {
  int json = 0;
  const cmd_spec spec = {"stats",
                         "",
                         "Shows what the index holds: articles, duplicates, dates, sources,\n"
                         "distinct terms, size on disk, schema version and language. Reads\n"
                         "without waiting for a running indexer.",
                         "0 done, 2 error.",
                         options,
                         cmd_set_flag,
                         &json};
  newsidx_db *db;
  int first;
  int rc = cmd_start(&spec, argc, argv, NEWSIDX_OPEN_READONLY, &db, &first);
  if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
  newsidx_stats *stats;
  newsidx_error err = {0};
  newsidx_status_t status = newsidx_stats_get(db, TOP_SOURCES, &stats, &err);
  json_t *object = status == NEWSIDX_OK ? stats_object(newsidx_db_path(db), stats) : NULL;
  if (status == NEWSIDX_OK) newsidx_stats_free(stats);
  newsidx_db_close(db);
  if (status != NEWSIDX_OK) return cli_fail("newsidx stats", &err);
  if (!object) return cli_error("newsidx stats", "out of memory");
  if (json) {
    char *text = json_dumps(object, JSON_COMPACT);
    if (text) printf("%s\n", text);
    free(text);
  } else {
    print_text(object);
  }
  json_decref(object);
  return CLI_EXIT_OK;
}
