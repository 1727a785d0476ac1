/*
** api.c — the JSON API and the route table. Each endpoint turns its parameters into the
** command line of the newsq command that answers it and returns that command's output as it
** is: the CLI's versioned JSON Lines, byte for byte (newsq-json(5)).
**
**   /api/search?q=Q&sort=relevance|date|hybrid&limit=N&offset=N   newsq --json …
**   /api/timeline?q=Q&by=auto|day|week|month|year                  newsq timeline --json …
**   /api/facets?q=Q&top=N                                          newsq facets --json …
**   /api/show?id=ID|KEY                                            newsq show --json …
**   /api/rules                                                     newsq rule list --json
**   /api/terms?kind=new|trending&limit=N                           newsq terms KIND --json …
**
** A parameter's value is one argument, after "--" for the query: it can never become an
** option. The command validates it as it validates a command line.
*/
#include "web.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#define JSON_LINES "application/x-ndjson; charset=utf-8"

void web_api_error(web_request *r, int status, const char *message) {
  json_t *o = json_pack("{s:s}", "error", message ? message : "error");
  r->status = status;
  r->content_type = "application/json; charset=utf-8";
  if (o) json_dumpf(o, r->body, JSON_COMPACT);
  fputc('\n', r->body);
  json_decref(o);
}

/* Checks the query parameter; returns it, or NULL after answering 400 (too long). */
static const char *query_param(web_request *r, int page) {
  const char *q = web_param_or(r, "q", "");
  if (strlen(q) <= WEB_MAX_QUERY) return q;
  if (page)
    web_page_error(r, MHD_HTTP_BAD_REQUEST, "the query is too long");
  else
    web_api_error(r, MHD_HTTP_BAD_REQUEST, "the query is too long");
  return NULL;
}

/* Runs argv and answers with its output, or with its error. */
static void run_api(web_request *r, int argc, const char *const *argv) {
  web_output o;
  web_run(r, argc, argv, &o);
  int status = web_status_for(o.code);
  if (status != MHD_HTTP_OK) {
    web_api_error(r, status, o.message);
  } else {
    r->content_type = JSON_LINES;
    fwrite(o.text, 1, o.n_text, r->body);
  }
  web_output_free(&o);
}

void web_api_search(web_request *r) {
  const char *q = query_param(r, 0);
  if (!q) return;
  if (!*q) {
    web_api_error(r, MHD_HTTP_BAD_REQUEST, "nothing to search for (q=)");
    return;
  }
  const char *argv[] = {"search",   "--json",
                        "--sort",   web_param_or(r, "sort", "relevance"),
                        "--limit",  web_param_or(r, "limit", "10"),
                        "--offset", web_param_or(r, "offset", "0"),
                        "--",       q};
  run_api(r, 10, argv);
}

void web_api_timeline(web_request *r) {
  const char *q = query_param(r, 0);
  if (!q) return;
  const char *argv[] = {"timeline", "--json", "--by", web_param_or(r, "by", "auto"), "--", q};
  run_api(r, 6, argv);
}

void web_api_facets(web_request *r) {
  const char *q = query_param(r, 0);
  if (!q) return;
  const char *argv[] = {"facets", "--json", "--top", web_param_or(r, "top", "10"), "--", q};
  run_api(r, 6, argv);
}

void web_api_show(web_request *r) {
  const char *id = web_param_or(r, "id", "");
  if (!*id) {
    web_api_error(r, MHD_HTTP_BAD_REQUEST, "which article? (id=)");
    return;
  }
  web_output o;
  const char *argv[] = {"show", "--json", "--", id};
  web_run(r, 4, argv, &o);
  if (o.code == CLI_EXIT_NONE) {
    web_api_error(r, MHD_HTTP_NOT_FOUND, o.message);
  } else if (o.code != CLI_EXIT_OK) {
    web_api_error(r, web_status_for(o.code), o.message);
  } else {
    r->content_type = JSON_LINES;
    fwrite(o.text, 1, o.n_text, r->body);
  }
  web_output_free(&o);
}

void web_api_rules(web_request *r) {
  const char *argv[] = {"rule", "list", "--json"};
  run_api(r, 3, argv);
}

void web_api_terms(web_request *r) {
  const char *kind = web_param_or(r, "kind", "new");
  if (strcmp(kind, "new") != 0 && strcmp(kind, "trending") != 0) {
    web_api_error(r, MHD_HTTP_BAD_REQUEST, "kind is new or trending");
    return;
  }
  const char *argv[] = {"terms", kind, "--json", "--limit", web_param_or(r, "limit", "20")};
  run_api(r, 5, argv);
}

static void style_css(web_request *r) {
  r->content_type = "text/css; charset=utf-8";
  fputs(web_tpl_style_css, r->body);
}

web_route_fn web_route(const char *path) {
  static const struct {
    const char *path;
    web_route_fn fn;
  } routes[] = {
      {"/", web_page_search},           {"/search", web_page_search},
      {"/timeline", web_page_timeline}, {"/article", web_page_article},
      {"/monitor", web_page_monitor},   {"/style.css", style_css},
      {"/api/search", web_api_search},  {"/api/timeline", web_api_timeline},
      {"/api/facets", web_api_facets},  {"/api/show", web_api_show},
      {"/api/rules", web_api_rules},    {"/api/terms", web_api_terms},
  };
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
    if (strcmp(routes[i].path, path) == 0) return routes[i].fn;
  return NULL;
}

/* query_param() for the pages. */
const char *web_query_param(web_request *r) { return query_param(r, 1); }
