/*
** pages.c — the HTML pages of newsq serve: search, timeline, article, monitoring. Each runs
** the newsq commands the API runs, reads their JSON and draws it; every value goes through
** web_html() (text and attributes) or web_url_value() (links), and a link out of the server
** is made only for an http or https URL. Forms and links only: no script.
*/
#include "web.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE_SIZE 10
#define MAX_PAGE  1000 /* paging stops here: 10,000 results are enough to read */

/* The timeline's drawing, in SVG user units (pixels). */
#define CHART_W      860
#define CHART_H      260
#define CHART_LEFT   56 /* room for the count axis */
#define CHART_BOTTOM 40 /* room for the period labels */
#define CHART_TOP    10
#define CHART_LABELS 12 /* period labels drawn at most, evenly spread */

/* A page in memory, handed to web_page() at the end. */
typedef struct page {
  char *text;
  size_t n;
  FILE *out;
} page;

static int page_open(page *p) {
  memset(p, 0, sizeof *p);
  p->out = open_memstream(&p->text, &p->n);
  return p->out ? 0 : -1;
}

static void page_close(page *p, web_request *r, const char *title, const char *active) {
  fclose(p->out);
  web_page(r, title, active, p->text);
  free(p->text);
}

void web_page_error(web_request *r, int status, const char *message) {
  r->status = status;
  r->content_type = "text/html; charset=utf-8";
  page p;
  if (page_open(&p) != 0) return;
  fputs("<p class=\"error\">", p.out);
  web_html(p.out, message);
  fputs("</p>\n", p.out);
  page_close(&p, r, "error", "");
}

/* The string member `name` of o, or NULL. */
static const char *str(json_t *o, const char *name) {
  return json_string_value(json_object_get(o, name));
}

static json_int_t num(json_t *o, const char *name) {
  return json_integer_value(json_object_get(o, name));
}

/* Writes href="/path?q=Q…" for query q plus `more` (a filter, appended with a space). */
static void link_query(FILE *out, const char *path, const char *q, const char *more,
                       const char *sort) {
  fprintf(out, "<a href=\"%s?q=", path);
  web_url_value(out, q);
  if (more && *q) web_url_value(out, " ");
  if (more) web_url_value(out, more);
  if (sort) {
    fputs("&amp;sort=", out);
    web_url_value(out, sort);
  }
  fputs("\">", out);
}

/* The query error box: the message, then the query with a caret under the column it names. */
static void query_error(FILE *out, const char *q, const char *message) {
  fputs("<div class=\"error\"><p>", out);
  web_html(out, message);
  fputs("</p>", out);
  const char *at = strstr(message, "column ");
  long column = at ? strtol(at + 7, NULL, 10) : 0;
  if (column > 0) {
    fputs("<pre class=\"caret\">", out);
    web_html(out, q);
    fputc('\n', out);
    for (long i = 1; i < column; i++)
      fputc(' ', out);
    fputs("^</pre>", out);
  }
  fputs("</div>\n", out);
}

/* The error box of a page whose command `o` failed (its query refused, its time over), as a
** new string (free() it), with the response's status set; NULL when the command went well. */
static char *error_html(web_request *r, const char *q, const web_output *o) {
  if (web_status_for(o->code) == MHD_HTTP_OK) return NULL;
  char *error = NULL;
  size_t n = 0;
  FILE *e = open_memstream(&error, &n);
  if (e) query_error(e, q, o->message);
  if (e) fclose(e);
  r->status = web_status_for(o->code);
  return error;
}

/* The search form, with the controls (HTML) after the box and the error (HTML) under it. */
static void search_form(FILE *out, const char *action, const char *q, const char *controls,
                        const char *error) {
  char *escaped = NULL;
  size_t n = 0;
  FILE *e = open_memstream(&escaped, &n);
  if (!e) return;
  web_html(e, q);
  fclose(e);
  const char *names[] = {"action", "q", "controls", "error"};
  const char *values[] = {action, escaped, controls ? controls : "", error ? error : ""};
  web_template(out, web_tpl_search_form_html, names, values, 4);
  free(escaped);
}

static const char *choose(const char *value, const char *const *choices) {
  for (int i = 0; choices[i]; i++)
    if (strcmp(value, choices[i]) == 0) return choices[i];
  return choices[0];
}

/* A <select> of the choices with `chosen` selected (HTML into a buffer the caller frees). */
static char *select_html(const char *name, const char *const *choices, const char *chosen) {
  char *html = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&html, &n);
  if (!out) return NULL;
  fprintf(out, "<select name=\"%s\">", name);
  for (int i = 0; choices[i]; i++)
    fprintf(out, "<option%s>%s</option>", strcmp(choices[i], chosen) == 0 ? " selected" : "",
            choices[i]);
  fputs("</select>", out);
  fclose(out);
  return html;
}

/* ---- search -------------------------------------------------------------------------------- */

static void draw_hit(void *ctx, json_t *hit) {
  FILE *out = ctx;
  fprintf(out, "<div class=\"hit\" data-rank=\"%lld\" data-id=\"%lld\">\n<div class=\"title\">",
          (long long)num(hit, "rank"), (long long)num(hit, "id"));
  fprintf(out, "<a href=\"/article?id=%lld\">", (long long)num(hit, "id"));
  if (str(hit, "title"))
    web_html_marked(out, str(hit, "title"), json_object_get(hit, "title_matches"));
  else
    web_html(out, str(hit, "headline"));
  fputs("</a></div>\n<div class=\"meta\">", out);
  web_html(out, str(hit, "date") ? str(hit, "date") : "undated");
  if (str(hit, "source")) {
    fputs(" · ", out);
    web_html(out, str(hit, "source"));
  }
  const char *url = str(hit, "url");
  if (web_is_http_url(url)) {
    fputs(" · <a rel=\"noreferrer noopener\" href=\"", out);
    web_html(out, url);
    fputs("\">original</a>", out);
  }
  fputs("</div>\n<p class=\"snippet\">", out);
  web_html_marked(out, str(hit, "snippet"), json_object_get(hit, "matches"));
  fputs("</p></div>\n", out);
}

typedef struct facet_view {
  FILE *out;
  const char *q, *sort;
  char facet[16];
} facet_view;

static void draw_facet(void *ctx, json_t *row) {
  facet_view *v = ctx;
  const char *facet = str(row, "facet"), *value = str(row, "value");
  if (!facet || !value) return;
  if (strcmp(facet, v->facet) != 0) {
    fprintf(v->out, "%s<h3>%s</h3><ul>", v->facet[0] ? "</ul>" : "",
            strcmp(facet, "year") == 0 ? "dates" : facet);
    snprintf(v->facet, sizeof v->facet, "%s", facet);
  }
  /* The filter that narrows to this value, in the query language: date:1987, source:"X". */
  char filter[512] = "";
  if (strcmp(facet, "year") == 0)
    snprintf(filter, sizeof filter, "date:%s", value);
  else if (!strchr(value, '"'))
    snprintf(filter, sizeof filter, "%s:\"%s\"", facet, value);
  fputs("<li>", v->out);
  if (filter[0] && strlen(value) < sizeof filter - 16)
    link_query(v->out, "/search", v->q, filter, v->sort);
  web_html(v->out, value);
  if (filter[0] && strlen(value) < sizeof filter - 16) fputs("</a>", v->out);
  fprintf(v->out, " <span class=\"count\">%lld</span></li>\n", (long long)num(row, "count"));
}

static void draw_paging(FILE *out, const char *q, const char *sort, long page_no, long total) {
  fputs("<p class=\"paging\">", out);
  if (page_no > 1) {
    link_query(out, "/search", q, NULL, sort);
    fputs("first</a>", out);
    fprintf(out, "<a href=\"/search?q=");
    web_url_value(out, q);
    fprintf(out, "&amp;sort=%s&amp;page=%ld\">previous</a>", sort, page_no - 1);
  }
  if (page_no * PAGE_SIZE < total && page_no < MAX_PAGE) {
    fprintf(out, "<a href=\"/search?q=");
    web_url_value(out, q);
    fprintf(out, "&amp;sort=%s&amp;page=%ld\">next</a>", sort, page_no + 1);
  }
  fputs("</p>\n", out);
}

/* The results, the count and the facets of q, once the search ran without error. */
static void draw_results(web_request *r, FILE *out, const char *q, const char *sort, long page_no,
                         const web_output *hits) {
  web_output count, facets;
  const char *count_argv[] = {"search", "--count", "--", q};
  const char *facets_argv[] = {"facets", "--json", "--top", "10", "--", q};
  web_run(r, 4, count_argv, &count);
  web_run(r, 6, facets_argv, &facets);
  long total = count.text ? strtol(count.text, NULL, 10) : 0;
  fprintf(out, "<div class=\"layout\"><div class=\"results\">\n<p class=\"count\">%ld match%s",
          total, total == 1 ? "" : "es");
  if (total > 0) {
    fputs(" · ", out);
    link_query(out, "/timeline", q, NULL, NULL);
    fputs("timeline</a>", out);
  }
  fputs("</p>\n", out);
  web_json_lines(hits->text, hits->n_text, draw_hit, out);
  draw_paging(out, q, sort, page_no, total);
  fputs("</div>\n<div class=\"facets\">", out);
  facet_view v = {out, q, sort, ""};
  if (web_status_for(facets.code) == MHD_HTTP_OK)
    web_json_lines(facets.text, facets.n_text, draw_facet, &v);
  fprintf(out, "%s</div></div>\n", v.facet[0] ? "</ul>" : "");
  web_output_free(&count);
  web_output_free(&facets);
}

void web_page_search(web_request *r) {
  static const char *const sorts[] = {"relevance", "date", "hybrid", NULL};
  const char *q = web_query_param(r);
  if (!q) return;
  const char *sort = choose(web_param_or(r, "sort", "relevance"), sorts);
  long page_no = strtol(web_param_or(r, "page", "1"), NULL, 10);
  if (page_no < 1 || page_no > MAX_PAGE) page_no = 1;
  page p;
  if (page_open(&p) != 0) return;
  char *controls = select_html("sort", sorts, sort);
  web_output hits = {0};
  char *error = NULL;
  if (*q) {
    char offset[32], limit[32];
    snprintf(offset, sizeof offset, "%ld", (page_no - 1) * PAGE_SIZE);
    snprintf(limit, sizeof limit, "%d", PAGE_SIZE);
    const char *argv[] = {"search", "--json",   "--sort", sort, "--limit",
                          limit,    "--offset", offset,   "--", q};
    web_run(r, 10, argv, &hits);
    error = error_html(r, q, &hits);
  }
  search_form(p.out, "/search", q, controls, error);
  if (*q && !error) draw_results(r, p.out, q, sort, page_no, &hits);
  free(controls);
  free(error);
  web_output_free(&hits);
  page_close(&p, r, *q ? q : "search", "search");
}

/* ---- timeline ------------------------------------------------------------------------------ */

typedef struct bar {
  char period[24], start[16], last[16]; /* last: the period's last day, for date:START..LAST */
  long count;
} bar;

typedef struct bars {
  bar *v;
  size_t n, cap;
  long undated, max;
} bars;

/* The day before `end` ("YYYY-MM-DD"), into last. */
static void day_before(const char *end, char *last, size_t size) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  snprintf(last, size, "%s", end);
  if (!end || sscanf(end, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_hour = 12;
  time_t t = timegm(&tm) - 86400;
  gmtime_r(&t, &tm);
  strftime(last, size, "%Y-%m-%d", &tm);
}

static void add_bar(void *ctx, json_t *row) {
  bars *b = ctx;
  const char *period = str(row, "period");
  if (!period) return;
  if (!str(row, "start")) { /* "undated" */
    b->undated = (long)num(row, "count");
    return;
  }
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    bar *grown = realloc(b->v, cap * sizeof *grown);
    if (!grown) return;
    b->v = grown;
    b->cap = cap;
  }
  bar *x = &b->v[b->n++];
  snprintf(x->period, sizeof x->period, "%s", period);
  snprintf(x->start, sizeof x->start, "%s", str(row, "start"));
  day_before(str(row, "end"), x->last, sizeof x->last);
  x->count = (long)num(row, "count");
  if (x->count > b->max) b->max = x->count;
}

/* The chart: one bar per period (a link that narrows the search to it, its count in a
** <title> for the hover), a count axis with 0 and the largest count, and period labels. */
static void draw_chart(FILE *out, const bars *b, const char *q) {
  int plot_w = CHART_W - CHART_LEFT - 10, plot_h = CHART_H - CHART_TOP - CHART_BOTTOM;
  double step = b->n ? (double)plot_w / (double)b->n : 0;
  long max = b->max > 0 ? b->max : 1;
  fprintf(out,
          "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
          "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
          CHART_W, CHART_H, CHART_W, CHART_H);
  int base = CHART_TOP + plot_h;
  fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", CHART_LEFT, CHART_TOP,
          CHART_LEFT, base);
  fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", CHART_LEFT, base,
          CHART_LEFT + plot_w, base);
  fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%ld</text>\n", CHART_LEFT - 4,
          CHART_TOP + 10, b->max);
  fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", CHART_LEFT - 4, base);
  size_t every = b->n > CHART_LABELS ? (b->n + CHART_LABELS - 1) / CHART_LABELS : 1;
  for (size_t i = 0; i < b->n; i++) {
    const bar *x = &b->v[i];
    double h = (double)x->count * plot_h / (double)max;
    double bx = CHART_LEFT + step * (double)i + (step > 3 ? 1 : 0);
    char filter[64];
    snprintf(filter, sizeof filter, "date:%s..%s", x->start, x->last);
    link_query(out, "/search", q, filter, NULL);
    fprintf(out,
            "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "data-period=\"",
            bx, base - h, step > 3 ? step - 2 : step, h);
    web_html(out, x->period);
    fprintf(out, "\" data-count=\"%ld\"><title>", x->count);
    web_html(out, x->period);
    fprintf(out, ": %ld</title></rect></a>\n", x->count);
    if (i % every == 0) {
      fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", bx + step / 2, base + 16);
      web_html(out, x->period);
      fputs("</text>\n", out);
    }
  }
  fputs("</svg>\n", out);
}

void web_page_timeline(web_request *r) {
  static const char *const units[] = {"auto", "day", "week", "month", "year", NULL};
  const char *q = web_query_param(r);
  if (!q) return;
  const char *by = choose(web_param_or(r, "by", "auto"), units);
  page p;
  if (page_open(&p) != 0) return;
  const char *argv[] = {"timeline", "--json", "--by", by, "--", q};
  web_output o;
  web_run(r, 6, argv, &o);
  char *controls = select_html("by", units, by), *error = error_html(r, q, &o);
  search_form(p.out, "/timeline", q, controls, error);
  if (!error) {
    bars b = {0};
    web_json_lines(o.text, o.n_text, add_bar, &b);
    long total = b.undated;
    for (size_t i = 0; i < b.n; i++)
      total += b.v[i].count;
    fprintf(p.out, "<p class=\"count\">%ld article%s%s</p>\n", total, total == 1 ? "" : "s",
            *q ? " match" : "");
    draw_chart(p.out, &b, q);
    if (b.undated) fprintf(p.out, "<p class=\"count\">undated: %ld</p>\n", b.undated);
    free(b.v);
  }
  free(controls);
  free(error);
  web_output_free(&o);
  page_close(&p, r, *q ? q : "timeline", "timeline");
}

/* ---- article ------------------------------------------------------------------------------- */

static void draw_article(void *ctx, json_t *a) {
  FILE *out = ctx;
  static const char *const fields[] = {"key", "path", "date", "source", "author", "lang", "tags"};
  fputs("<h1>", out);
  web_html(out, str(a, "title") ? str(a, "title") : "(no title)");
  fputs("</h1>\n<table class=\"meta\">\n", out);
  fprintf(out, "<tr><td>id</td><td>%lld</td></tr>\n", (long long)num(a, "id"));
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    const char *v = str(a, fields[i]);
    if (!v || !*v) continue;
    fprintf(out, "<tr><td>%s</td><td>", fields[i]);
    web_html(out, v);
    fputs("</td></tr>\n", out);
  }
  const char *url = str(a, "url");
  if (url && *url) {
    fputs("<tr><td>url</td><td>", out);
    if (web_is_http_url(url)) {
      fputs("<a rel=\"noreferrer noopener\" href=\"", out);
      web_html(out, url);
      fputs("\">", out);
    }
    web_html(out, url);
    fputs(web_is_http_url(url) ? "</a></td></tr>\n" : "</td></tr>\n", out);
  }
  if (num(a, "duplicate_of"))
    fprintf(out, "<tr><td>duplicate of</td><td><a href=\"/article?id=%lld\">%lld</a></td></tr>\n",
            (long long)num(a, "duplicate_of"), (long long)num(a, "duplicate_of"));
  fputs("</table>\n<div class=\"body\">", out);
  web_html(out, str(a, "body"));
  fputs("</div>\n", out);
}

void web_page_article(web_request *r) {
  const char *id = web_param_or(r, "id", "");
  web_output o;
  const char *argv[] = {"show", "--json", "--", id};
  if (!*id) {
    web_page_error(r, MHD_HTTP_BAD_REQUEST, "which article? (id=)");
    return;
  }
  web_run(r, 4, argv, &o);
  if (o.code != CLI_EXIT_OK) {
    web_page_error(r, o.code == CLI_EXIT_NONE ? MHD_HTTP_NOT_FOUND : web_status_for(o.code),
                   o.message);
  } else {
    page p;
    if (page_open(&p) == 0) {
      web_json_lines(o.text, o.n_text, draw_article, p.out);
      page_close(&p, r, "article", "");
    }
  }
  web_output_free(&o);
}

/* ---- monitoring ---------------------------------------------------------------------------- */

typedef struct monitor_view {
  web_request *r;
  FILE *out;
} monitor_view;

static void draw_alert(void *ctx, json_t *row) {
  FILE *out = ctx;
  fputs("<li>", out);
  if (str(row, "term")) { /* a new-terms rule */
    web_html(out, str(row, "surface"));
    fprintf(out, " <span class=\"count\">%lld articles</span>", (long long)num(row, "docs"));
  } else {
    fprintf(out, "<a href=\"/article?id=%lld\">", (long long)num(row, "id"));
    web_html(out, str(row, "title") ? str(row, "title") : str(row, "headline"));
    fputs("</a> <span class=\"count\">", out);
    web_html(out, str(row, "date"));
    fputs("</span>", out);
  }
  fputs("</li>\n", out);
}

static void draw_rule(void *ctx, json_t *row) {
  monitor_view *v = ctx;
  const char *name = str(row, "name");
  fputs("<tr><td>", v->out);
  web_html(v->out, name);
  fputs("</td><td>", v->out);
  web_html(v->out, str(row, "kind"));
  fputs("</td><td>", v->out);
  web_html(v->out, str(row, "query"));
  fprintf(v->out, "</td><td class=\"pending\">%lld</td><td>", (long long)num(row, "pending"));
  web_html(v->out, str(row, "last_run_at") ? str(row, "last_run_at") : "never");
  fputs("</td><td><ul>", v->out);
  /* What it would report now: rule test peeks, it moves no mark. */
  const char *argv[] = {"rule", "test", name ? name : "", "--json", "--limit", "5"};
  web_output o;
  web_run(v->r, 6, argv, &o);
  if (o.code == CLI_EXIT_OK) web_json_lines(o.text, o.n_text, draw_alert, v->out);
  web_output_free(&o);
  fputs("</ul></td></tr>\n", v->out);
}

static void draw_term(void *ctx, json_t *row) {
  FILE *out = ctx;
  fputs("<tr><td>", out);
  web_html(out, str(row, "surface"));
  if (json_object_get(row, "score"))
    fprintf(out, "</td><td>%.1f</td><td>%lld of %lld</td><td>%lld of %lld</td></tr>\n",
            json_real_value(json_object_get(row, "score")), (long long)num(row, "docs"),
            (long long)num(row, "window_articles"), (long long)num(row, "baseline_docs"),
            (long long)num(row, "baseline_articles"));
  else {
    fprintf(out, "</td><td>%lld</td><td>", (long long)num(row, "docs"));
    web_html(out, str(row, "first_date"));
    fputs("</td></tr>\n", out);
  }
}

/* One table of terms from `newsq terms KIND --json`. */
static void draw_terms(web_request *r, FILE *out, int argc, const char *const *argv,
                       const char *heading, const char *columns) {
  web_output o;
  web_run(r, argc, argv, &o);
  fprintf(out, "<h2>%s</h2>\n", heading);
  if (o.code == CLI_EXIT_OK && o.n_text) {
    fprintf(out, "<table class=\"list\"><tr>%s</tr>\n", columns);
    web_json_lines(o.text, o.n_text, draw_term, out);
    fputs("</table>\n", out);
  } else {
    fputs("<p class=\"count\">", out);
    web_html(out, o.code == CLI_EXIT_OK ? "none" : o.message);
    fputs("</p>\n", out);
  }
  web_output_free(&o);
}

void web_page_monitor(web_request *r) {
  page p;
  if (page_open(&p) != 0) return;
  const char *rules_argv[] = {"rule", "list", "--json"};
  web_output rules;
  web_run(r, 3, rules_argv, &rules);
  fputs("<h2>Alert rules</h2>\n<p class=\"count\">Shown, not marked read: "
        "<code>newsq alerts</code> still reports them.</p>\n",
        p.out);
  if (rules.code == CLI_EXIT_OK && rules.n_text) {
    fputs("<table class=\"list\"><tr><th>rule</th><th>reports</th><th>query</th>"
          "<th>pending</th><th>last run</th><th>latest</th></tr>\n",
          p.out);
    monitor_view v = {r, p.out};
    web_json_lines(rules.text, rules.n_text, draw_rule, &v);
    fputs("</table>\n", p.out);
  } else {
    fputs("<p class=\"count\">", p.out);
    web_html(p.out, rules.code == CLI_EXIT_OK ? "no rules (newsq rule add)" : rules.message);
    fputs("</p>\n", p.out);
  }
  web_output_free(&rules);
  const char *names_argv[] = {"terms", "new", "--names-only", "--json", "--limit", "20"};
  draw_terms(r, p.out, 6, names_argv, "New names of the last week",
             "<th>name</th><th>articles</th><th>first seen</th>");
  const char *trending_argv[] = {"terms", "trending", "--json", "--limit", "20"};
  draw_terms(r, p.out, 5, trending_argv, "Trending terms of the last week",
             "<th>term</th><th>score (G²)</th><th>articles in the week</th>"
             "<th>articles in the baseline</th>");
  page_close(&p, r, "monitoring", "monitor");
}

void web_json_lines(const char *text, size_t n, void (*fn)(void *ctx, json_t *o), void *ctx) {
  const char *end = text ? text + n : NULL;
  for (const char *line = text; line && line < end;) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
    json_t *o = len ? json_loadb(line, len, 0, NULL) : NULL;
    if (o) fn(ctx, o);
    json_decref(o);
    line += len + 1;
  }
}
