/*
** web.h — the web layer of `newsq serve` (internal to src/newsq/web/): an HTTP server
** (libmicrohttpd), a fixed table of routes, the JSON API and the HTML pages.
**
** There is no second query engine and no second output path: every route runs newsq's own
** commands (cmd_search, cmd_timeline, …) as a session (newsq.h) on a read-only connection,
** with their output captured in memory. The API returns that output as it is, so it is the
** CLI's JSON byte for byte; the pages read the same JSON and draw it as HTML, every value
** through web_html().
**
** Ownership: strings returned by web_* functions are malloc'ed and the caller frees them;
** `web_param()`'s are libmicrohttpd's and live as long as the request.
*/
#ifndef NEWSIDX_WEB_H
#define NEWSIDX_WEB_H

#include "../newsq.h"

#include <jansson.h>
#include <stdio.h>

/* Longest query text a request may carry, in bytes: far above what anyone types, far below
** what would let one request tie up the server. */
#define WEB_MAX_QUERY 4096

/* Connections served at once (MHD_OPTION_CONNECTION_LIMIT): more wait in the kernel's backlog
** or are refused. */
#define WEB_MAX_CONNECTIONS 128

/* Threads that answer requests, each with its own read-only connection to the index. */
#define WEB_THREADS 4

typedef struct web_server web_server;

typedef struct web_options {
  const char *db_path;
  const char *host; /* an IPv4 address */
  int port;         /* 0: any free port */
  long timeout_ms;  /* each request's limit */
} web_options;

/* Opens WEB_THREADS read-only connections to the index and starts serving. Returns 0, or
** prints the error and returns an exit code. *port gets the port bound. */
int web_server_start(const web_options *o, web_server **out, int *port);

/* Stops serving (requests under way are interrupted and finish) and closes the index. */
void web_server_stop(web_server *s);

/* One request: its connection to the index, its parameters, the response it builds. */
typedef struct web_request {
  void *conn; /* struct MHD_Connection */
  newsq_session session;
  int status;               /* HTTP status of the response (200 unless set) */
  const char *content_type; /* of the response */
  FILE *body;               /* the response body, in memory */
} web_request;

/* The query parameter `name` (decoded), or NULL. */
const char *web_param(web_request *r, const char *name);

/* The query parameter `name`, or `fallback` when it is absent or empty. */
const char *web_param_or(web_request *r, const char *name, const char *fallback);

/* The output of one command run. */
typedef struct web_output {
  int code;      /* its exit code (cli.h) */
  char *text;    /* what it wrote to standard output ("" when nothing) */
  size_t n_text; /* bytes */
  char *message; /* what it would have written to stderr, without "newsq: " and the line end */
} web_output;

/* Runs the newsq command argv[0..argc) ("timeline", "--json", "--", "cocoa") as a session on
** r's connection, and collects its output in *o (web_output_free()). Returns o->code. */
int web_run(web_request *r, int argc, const char *const *argv, web_output *o);

void web_output_free(web_output *o);

/* Calls fn for each JSON object of JSON Lines `text`. */
void web_json_lines(const char *text, size_t n, void (*fn)(void *ctx, json_t *o), void *ctx);

/* ---- html.c: the one escaping function, URLs, the templates ---- */

/* Writes the n bytes at s as HTML text or as an attribute value between double quotes: & < > "
** ' as entities, control characters (but tab and line ends) and bytes that are not UTF-8 as
** U+FFFD, so that nothing from an article, a query or a rule can open an element, end an
** attribute or hide in the page. */
void web_html_n(FILE *out, const char *s, size_t n);

/* web_html_n() of a string; NULL writes nothing. */
void web_html(FILE *out, const char *s);

/* Writes s percent-encoded as a URL query value (every byte but A-Z a-z 0-9 - . _ ~). The
** result holds no character HTML treats specially, so it can go into an href as it is. */
void web_url_value(FILE *out, const char *s);

/* Is `url` one to link to: http:// or https://, with no control character or space? Anything
** else (javascript:, data:, a relative path) is shown as text only. */
int web_is_http_url(const char *url);

/* Writes the marked text (JSON "snippet" and "matches": [start, end) in code points) as HTML
** with each match in <mark>. */
void web_html_marked(FILE *out, const char *text, json_t *matches);

/* Fills the page layout around `content` (HTML, already escaped) into r's body: the title
** (text, escaped here) and the navigation with `active` ("search", "timeline", "monitor")
** marked. */
void web_page(web_request *r, const char *title, const char *active, const char *content);

/* Fills template `tpl`: each {{name}} is replaced with the value of that name in
** names/values[0..n) (HTML, written as it is). */
void web_template(FILE *out, const char *tpl, const char *const *names, const char *const *values,
                  int n);

/* The templates, compiled in from src/newsq/web/templates/ (web_templates.c, generated). */
extern const char web_tpl_layout_html[];
extern const char web_tpl_search_form_html[];
extern const char web_tpl_style_css[];

/* ---- routes: api.c and pages.c ---- */

typedef void (*web_route_fn)(web_request *r);

/* The route for `path`, or NULL: a fixed table, nothing is read from disk. */
web_route_fn web_route(const char *path);

void web_api_search(web_request *r);
void web_api_timeline(web_request *r);
void web_api_facets(web_request *r);
void web_api_show(web_request *r);
void web_api_rules(web_request *r);
void web_api_terms(web_request *r);

void web_page_search(web_request *r);
void web_page_timeline(web_request *r);
void web_page_article(web_request *r);
void web_page_monitor(web_request *r);

/* The q parameter, or NULL after answering 400 when it is longer than WEB_MAX_QUERY. */
const char *web_query_param(web_request *r);

/* Answers with status and a one-line error: a JSON object {"error": message} for the API, a
** page for the rest. */
void web_api_error(web_request *r, int status, const char *message);
void web_page_error(web_request *r, int status, const char *message);

/* The HTTP status for a command's exit code: 200 for results or none, 400 for a bad request,
** 503 when it ran out of time. */
int web_status_for(int code);

#endif
