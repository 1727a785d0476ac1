/*
** test_output.c — the printers: each format's exact text for the same hits, CSV quoting
** (RFC 4180), JSON match offsets in code points, unique paths, counts, bar charts, and write
** errors.
*/
#include "test_util.h"

#include "output.h"
#include "snippet.h"

#include <errno.h>

/* Two hits and a duplicate of the first, as search_hits() would deliver them. */
static const search_hit hits[] = {
    {1, 17, 0, "/c/ecuador.txt", "/c/ecuador.txt", "2026-03-05", "Ecuador, \"narco\" state",
     "Ecuador, \"narco\" state", "Ecuador, \"narco\" state", "Reuters", "https://x.org/a", NULL,
     "en", "security, latam", "São Paulo: \001narco-terrorists\002 fled,\nsaid \001narco\002", 7.5},
    {2, 18, 0, "rec-2", "/c/feed.jsonl", NULL, NULL, NULL, "Opening words…", NULL, NULL, NULL, NULL,
     NULL, "plain", 3.25},
    {2, 19, 18, "rec-9", "/c/feed.jsonl", "2026-03-06", NULL, NULL, "Opening words…", "AP", NULL,
     NULL, NULL, NULL, "plain", 3.25},
};
#define N_HITS 3

/* Runs the hits through printer p (made on a memory stream) and returns what it wrote. */
static char *print_all(printer *(*make)(FILE *), highlight_style style, long total) {
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  assert_non_null(out);
  printer *p = make ? make(out) : printer_text_new(out, style);
  assert_non_null(p);
  for (int i = 0; i < N_HITS && p->needs_hits; i++)
    assert_int_equal(p->hit(p, &hits[i]), 0);
  assert_int_equal(p->finish(p, 2, total), 0);
  p->destroy(p);
  fclose(out);
  return text;
}

static void text_for_people(void **state) {
  char *text = print_all(NULL, HIGHLIGHT_PLAIN, -1);
  assert_string_equal(text, "1. 2026-03-05 · Reuters · Ecuador, \"narco\" state\n"
                            "   /c/ecuador.txt\n"
                            "   São Paulo: **narco-terrorists** fled, said **narco**\n"
                            "\n"
                            "2. Opening words…\n"
                            "   /c/feed.jsonl · rec-2\n"
                            "   plain\n"
                            "   = duplicate 2026-03-06 · AP · /c/feed.jsonl · rec-9\n");
  free(text);
  text = print_all(NULL, HIGHLIGHT_ANSI, -1);
  assert_non_null(strstr(text, "\033[1;31mnarco-terrorists\033[0m"));
  assert_null(strstr(text, "**"));
  free(text);
}

/* Hostile text from the index: a file name with a newline, ESC and a byte that is not UTF-8,
** a source with a C1 control (U+009B, CSI), a snippet with a bell. */
static const search_hit hostile = {1,
                                   5,
                                   0,
                                   "/in/a\nb\x1b[2J\xe9.txt",
                                   "/in/a\nb\x1b[2J\xe9.txt",
                                   NULL,
                                   NULL,
                                   NULL,
                                   "T\x1b]0;x\x07itle",
                                   "So\xc2\x9burce",
                                   NULL,
                                   NULL,
                                   NULL,
                                   NULL,
                                   "\001ring\002 \x07 bell",
                                   1};

/* Prints `hostile` through a new printer of `make` (NULL: text) and returns the output. */
static char *print_hostile(printer *(*make)(FILE *)) {
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  printer *p = make ? make(out) : printer_text_new(out, HIGHLIGHT_PLAIN);
  assert_int_equal(p->hit(p, &hostile), 0);
  assert_int_equal(p->finish(p, 1, 1), 0);
  p->destroy(p);
  fclose(out);
  return text;
}

static void hostile_text_is_escaped(void **state) {
  char *text = print_hostile(NULL);
  assert_string_equal(text, "1. So\\u009Burce · T\\x1B]0;x\\x07itle\n"
                            "   /in/a\\nb\\x1B[2J\\xE9.txt\n"
                            "   **ring** \\x07 bell\n");
  free(text);
  text = print_hostile(printer_json_new); /* valid JSON: U+FFFD, and the bytes in base64 */
  assert_non_null(strstr(text, "\"path\":\"/in/a\\nb\\u001B[2J\xef\xbf\xbd.txt\","
                               "\"path_base64\":\"L2luL2EKYhtbMkrpLnR4dA==\""));
  free(text);
  text = print_hostile(printer_csv_new); /* valid CSV: U+FFFD */
  assert_non_null(strstr(text, ",\"/in/a\nb\x1b[2J\xef\xbf\xbd.txt\","));
  free(text);
}

static void json_lines(void **state) {
  char *text = print_all(printer_json_new, HIGHLIGHT_PLAIN, -1);
  char *second = strchr(text, '\n') + 1;
  second[-1] = '\0';
  /* "São Paulo: " is 11 code points (13 bytes): offsets count characters */
  assert_string_equal(
      text, "{\"rank\":1,\"id\":17,\"duplicate_of\":null,\"key\":\"/c/ecuador.txt\",\"path\":\"/c/"
            "ecuador.txt\",\"date\":\"2026-03-05\",\"title\":\"Ecuador, \\\"narco\\\" state\","
            "\"headline\":\"Ecuador, \\\"narco\\\" state\",\"source\":\"Reuters\",\"url\":"
            "\"https://x.org/a\",\"author\":null,\"lang\":\"en\",\"tags\":[\"security\",\"latam\"],"
            "\"score\":7.5,\"snippet\":\"São Paulo: narco-terrorists fled,\\nsaid narco\","
            "\"matches\":[[11,27],[39,44]],\"title_matches\":[]}");
  assert_non_null(strstr(second, "\"duplicate_of\":null"));
  assert_non_null(strstr(strchr(second, '\n') + 1, "\"duplicate_of\":18"));
  free(text);
}

static void csv_rfc4180(void **state) {
  char *text = print_all(printer_csv_new, HIGHLIGHT_PLAIN, -1);
  assert_string_equal(text,
                      "rank,id,duplicate_of,key,path,date,title,source,url,score,snippet\r\n"
                      "1,17,,/c/ecuador.txt,/c/ecuador.txt,2026-03-05,\"Ecuador, \"\"narco\"\" "
                      "state\",Reuters,https://x.org/a,7.5,\"São Paulo: narco-terrorists fled,\n"
                      "said narco\"\r\n"
                      "2,18,,rec-2,/c/feed.jsonl,,,,,3.25,plain\r\n"
                      "2,19,18,rec-9,/c/feed.jsonl,2026-03-06,,AP,,3.25,plain\r\n");
  free(text);
}

static void csv_fields(void **state) {
  static const struct {
    const char *in, *out;
  } cases[] = {{"plain", "plain"},
               {"a,b", "\"a,b\""},
               {"say \"hi\"", "\"say \"\"hi\"\"\""},
               {"two\nlines", "\"two\nlines\""},
               {"cr\rhere", "\"cr\rhere\""},
               {"", ""},
               {"'single'", "'single'"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *text = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    output_csv_field(out, cases[i].in);
    fclose(out);
    assert_string_equal(text, cases[i].out);
    free(text);
  }
}

static void lists_for_pipelines(void **state) {
  char *text = print_all(printer_ids_new, HIGHLIGHT_PLAIN, -1);
  assert_string_equal(text, "17\n18\n19\n");
  free(text);
  text = print_all(printer_paths_new, HIGHLIGHT_PLAIN, -1); /* each file once */
  assert_string_equal(text, "/c/ecuador.txt\n/c/feed.jsonl\n");
  free(text);
  text = print_all(printer_count_new, HIGHLIGHT_PLAIN, 1234); /* the total, not the page */
  assert_string_equal(text, "1234\n");
  free(text);
}

static void many_paths_stay_unique(void **state) {
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  printer *p = printer_paths_new(out);
  for (int round = 0; round < 3; round++)
    for (int i = 0; i < 500; i++) {
      char path[32];
      snprintf(path, sizeof path, "/c/%d.txt", i);
      search_hit hit = {0};
      hit.path = path;
      assert_int_equal(p->hit(p, &hit), 0);
    }
  p->finish(p, 1500, -1);
  p->destroy(p);
  fclose(out);
  int lines = 0;
  for (char *c = text; *c; c++)
    lines += *c == '\n';
  assert_int_equal(lines, 500);
  free(text);
}

static void write_errors_are_reported(void **state) {
  FILE *full = fopen("/dev/full", "w");
  if (!full) skip();
  setvbuf(full, NULL, _IONBF, 0);
  printer *p = printer_json_new(full);
  assert_int_equal(p->hit(p, &hits[0]), -1);
  assert_int_equal(p->error, ENOSPC);
  p->destroy(p);
  fclose(full);
}

static char *tally(tally_printer *(*make)(FILE *), const tally_row *rows, int n_rows) {
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  tally_printer *p = make ? make(out) : tally_text_new(out, 40, HIGHLIGHT_PLAIN);
  for (int i = 0; i < n_rows; i++)
    assert_int_equal(p->row(p, &rows[i]), 0);
  assert_int_equal(p->finish(p), 0);
  p->destroy(p);
  fclose(out);
  return text;
}

static void bar_charts(void **state) {
  const tally_row rows[] = {{NULL, "1987-03", "1987-03-01", "1987-04-01", 100},
                            {NULL, "1987-04", "1987-04-01", "1987-05-01", 50},
                            {NULL, "1987-05", "1987-05-01", "1987-06-01", 0},
                            {NULL, "1987-06", "1987-06-01", "1987-07-01", 1}};
  char *text = tally(NULL, rows, 4);
  /* 40 columns: label 7, two spaces, 27 for the bar, a space, the count in 3 */
  assert_string_equal(text, "1987-03  ███████████████████████████ 100\n"
                            "1987-04  █████████████▌               50\n"
                            "1987-05                                0\n"
                            "1987-06  ▎                             1\n");
  free(text);
  const tally_row facets[] = {{"source", "Reuters", NULL, NULL, 4},
                              {"source", "AP", NULL, NULL, 1},
                              {"tag", "cocoa", NULL, NULL, 2}};
  text = tally(NULL, facets, 3);
  assert_string_equal(text, "source\n"
                            "  Reuters  ███████████████████████████ 4\n"
                            "  AP       ██████▊                     1\n"
                            "\n"
                            "tag\n"
                            "  cocoa  █████████████████████████████ 2\n");
  free(text);
  text = tally(tally_json_new, rows, 2);
  assert_string_equal(text,
                      "{\"period\":\"1987-03\",\"start\":\"1987-03-01\",\"end\":\"1987-04-01\","
                      "\"count\":100}\n{\"period\":\"1987-04\",\"start\":\"1987-04-01\",\"end\":"
                      "\"1987-05-01\",\"count\":50}\n");
  free(text);
  text = tally(tally_json_new, facets, 1);
  assert_string_equal(text, "{\"facet\":\"source\",\"value\":\"Reuters\",\"count\":4}\n");
  free(text);
  text = tally(tally_csv_new, rows, 1);
  assert_string_equal(text, "period,start,end,count\r\n1987-03,1987-03-01,1987-04-01,100\r\n");
  free(text);
  const tally_row odd[] = {{"source", "Smith, Jones & \"Co\"", NULL, NULL, 3}};
  text = tally(tally_csv_new, odd, 1);
  assert_string_equal(text, "facet,value,count\r\nsource,\"Smith, Jones & \"\"Co\"\"\",3\r\n");
  free(text);
}

/* Alerts name their rule: a first field in JSON, a first column in CSV. */
static void alerts_name_the_rule(void **state) {
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  printer *json = printer_json_new(out);
  json->rule = "narco";
  assert_int_equal(json->hit(json, &hits[1]), 0);
  json->destroy(json);
  fflush(out);
  assert_true(strncmp(text, "{\"rule\":\"narco\",\"rank\":2,\"id\":18,", 33) == 0);
  printer *csv = printer_csv_new(out);
  csv->rule = "a,b";
  assert_int_equal(csv->finish(csv, 0, 0), 0); /* no hit: still the header, with the column */
  csv->destroy(csv);
  fclose(out);
  assert_non_null(strstr(text, "\nrule,rank,id,duplicate_of,"));
  free(text);
}

static const term_row term_rows[] = {
    {.term = "viper",
     .surface = "Viper",
     .n_docs = 3,
     .first_article = 812,
     .first_date = "1987-03-02",
     .first_indexed = "2026-01-01T10:00:00Z",
     .seq = 9},
    {.term = "oper pacif viper",
     .surface = "Operation Pacific Viper",
     .is_name = 1,
     .n_docs = 2,
     .first_article = 812,
     .first_indexed = "2026-01-01T10:00:00Z",
     .seq = 9},
};

enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

/* Prints the rows (the first with `snippet`) in a format and returns the text. */
static char *print_terms(int format, term_columns columns, const char *rule, const term_row *rows,
                         int n_rows, const char *snippet) {
  char *text = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&text, &n);
  term_printer *p = format == FORMAT_JSON  ? term_json_new(out, columns)
                    : format == FORMAT_CSV ? term_csv_new(out, columns)
                                           : term_text_new(out, columns, HIGHLIGHT_PLAIN);
  p->rule = rule;
  for (int i = 0; i < n_rows; i++)
    assert_int_equal(p->row(p, &rows[i], i ? NULL : snippet), 0);
  assert_int_equal(p->finish(p), 0);
  p->destroy(p);
  fclose(out);
  return text;
}

static void new_terms_in_every_format(void **state) {
  const char *snippet = "the \001Viper\002 strikes";
  char *text = print_terms(FORMAT_TEXT, TERM_COLUMNS_NEW, NULL, term_rows, 2, snippet);
  assert_string_equal(text,
                      "     3  Viper · first 1987-03-02 · article 812\n"
                      "        the **Viper** strikes\n"
                      "     2  Operation Pacific Viper (name) · first undated · article 812\n");
  free(text);
  text = print_terms(FORMAT_JSON, TERM_COLUMNS_NEW, "ops", term_rows, 2, snippet);
  char *second = strchr(text, '\n') + 1;
  second[-1] = '\0';
  assert_string_equal(text, "{\"rule\":\"ops\",\"term\":\"viper\",\"surface\":\"Viper\",\"kind\":"
                            "\"word\",\"docs\":3,\"first_article\":812,\"first_date\":"
                            "\"1987-03-02\",\"first_indexed\":\"2026-01-01T10:00:00Z\","
                            "\"snippet\":\"the Viper strikes\",\"matches\":[[4,9]]}");
  assert_non_null(strstr(second, "\"kind\":\"name\""));
  assert_non_null(strstr(second, "\"first_date\":null,"));
  assert_non_null(strstr(second, "\"snippet\":null"));
  free(text);
  text = print_terms(FORMAT_CSV, TERM_COLUMNS_NEW, NULL, term_rows, 2, snippet);
  assert_string_equal(text, "term,surface,kind,docs,first_article,first_date,snippet\r\n"
                            "viper,Viper,word,3,812,1987-03-02,the Viper strikes\r\n"
                            "oper pacif viper,Operation Pacific Viper,name,2,812,,\r\n");
  free(text);
  text = print_terms(FORMAT_CSV, TERM_COLUMNS_NEW, "ops", term_rows, 0, NULL);
  assert_string_equal(text, "rule,term,surface,kind,docs,first_article,first_date,snippet\r\n");
  free(text);
}

static void trending_terms_in_every_format(void **state) {
  term_row row = {.term = "locust",
                  .surface = "locusts",
                  .n_docs = 10,
                  .n_baseline = 0,
                  .window_articles = 20,
                  .baseline_articles = 100,
                  .score = 41.5};
  char *text = print_terms(FORMAT_TEXT, TERM_COLUMNS_TRENDING, NULL, &row, 1, NULL);
  assert_string_equal(text, "     score         window       baseline  term (G² over 20 window and "
                            "100 baseline articles)\n"
                            "      41.5      10  50.0%       0   0.0%  locusts\n");
  free(text);
  text = print_terms(FORMAT_JSON, TERM_COLUMNS_TRENDING, NULL, &row, 1, NULL);
  assert_string_equal(text, "{\"term\":\"locust\",\"surface\":\"locusts\",\"kind\":\"word\","
                            "\"score\":41.5,\"docs\":10,\"baseline_docs\":0,\"window_articles\":20,"
                            "\"baseline_articles\":100}\n");
  free(text);
  text = print_terms(FORMAT_CSV, TERM_COLUMNS_TRENDING, NULL, &row, 1, NULL);
  assert_string_equal(text, "term,surface,kind,score,docs,baseline_docs,window_articles,"
                            "baseline_articles\r\nlocust,locusts,word,41.5,10,0,20,100\r\n");
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(text_for_people),
      cmocka_unit_test(json_lines),
      cmocka_unit_test(hostile_text_is_escaped),
      cmocka_unit_test(csv_rfc4180),
      cmocka_unit_test(csv_fields),
      cmocka_unit_test(lists_for_pipelines),
      cmocka_unit_test(many_paths_stay_unique),
      cmocka_unit_test(write_errors_are_reported),
      cmocka_unit_test(bar_charts),
      cmocka_unit_test(alerts_name_the_rule),
      cmocka_unit_test(new_terms_in_every_format),
      cmocka_unit_test(trending_terms_in_every_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
