/*
** cmd_serve.c — `newsq serve [--db FILE] [--listen ADDR:PORT] [--open] [--allow-remote]`: the
** index as local web pages and a JSON API (src/newsq/web/), until Ctrl-C or SIGTERM.
**
** It binds 127.0.0.1 unless told otherwise; any other address needs --allow-remote, and a
** warning says that anyone who reaches the port can then read the whole index. The index is
** opened read-only and nothing is changed (alerts are shown, not marked read).
*/
#include "newsq.h"
#include "web/web.h"

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

enum { OPT_LISTEN = NEWSQ_OPT_COMMAND, OPT_OPEN, OPT_ALLOW_REMOTE };

#define DEFAULT_TIMEOUT_MS 10000

static const cli_option options[] = {
    NEWSQ_DB_OPTION,
    {"listen", 0, OPT_LISTEN, "ADDR:PORT",
     "IPv4 address and port (default 127.0.0.1:8080; port 0: any)"},
    {"open", 0, OPT_OPEN, NULL, "open the search page in the browser (xdg-open)"},
    {"allow-remote", 0, OPT_ALLOW_REMOTE, NULL, "allow an address other than 127.x.x.x"},
    {"timeout", 0, NEWSQ_OPT_TIMEOUT, "MS",
     "give up on a request after MS milliseconds (default 10000)"},
    NEWSQ_HELP_OPTIONS,
    {NULL, 0, 0, NULL, NULL},
};

typedef struct serve_args {
  newsq_common common;
  char host[64];
  long port;
  int open, allow_remote;
} serve_args;

static void usage(FILE *out) {
  fprintf(out,
          "Usage: newsq serve [options]\n\n"
          "Serves the index as web pages (search, timeline, articles, monitoring) and a\n"
          "JSON API (/api/search, /api/timeline, /api/facets, /api/show, /api/rules,\n"
          "/api/terms) until Ctrl-C. Read-only: nothing in the index is changed.\n\nOptions:\n");
  cli_print_options(out, options);
  fprintf(out, "\nExit status: 0 stopped by Ctrl-C or SIGTERM, 2 error.\n");
}

/* "127.0.0.1:8080" into host and port. */
static int parse_listen(serve_args *a, const char *arg) {
  const char *colon = strrchr(arg, ':');
  size_t n = colon ? (size_t)(colon - arg) : 0;
  if (!colon || n == 0 || n >= sizeof a->host)
    return cli_error("newsq serve", "--listen needs ADDRESS:PORT, like 127.0.0.1:8080, not '%s'",
                     arg);
  memcpy(a->host, arg, n);
  a->host[n] = '\0';
  return cli_parse_int("newsq serve", "listen", colon + 1, 0, 65535, &a->port);
}

static int on_option(void *ctx, int id, const char *arg) {
  serve_args *a = ctx;
  switch (id) {
  case OPT_LISTEN: return parse_listen(a, arg);
  case OPT_OPEN: a->open = 1; return 0;
  case OPT_ALLOW_REMOTE: a->allow_remote = 1; return 0;
  default: return newsq_common_option(&a->common, id, arg, usage);
  }
}

static volatile sig_atomic_t stop;

static void on_stop(int signal) { stop = 1; }

/* Starts the desktop's browser on url; a failure is only reported. */
static pid_t open_browser(const char *url) {
  pid_t pid = 0;
  char *argv[] = {"xdg-open", (char *)url, NULL};
  if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0) {
    cli_error("newsq serve", "--open: cannot run xdg-open; open %s yourself", url);
    return 0;
  }
  return pid;
}

static int serve(serve_args *a) {
  int loopback = strncmp(a->host, "127.", 4) == 0;
  if (!loopback && !a->allow_remote)
    return cli_error("newsq serve",
                     "--listen %s is not a loopback address: add --allow-remote to serve it",
                     a->host);
  web_options o = {a->common.db_path ? a->common.db_path : newsidx_default_db_path(), a->host,
                   (int)a->port, a->common.timeout_ms ? a->common.timeout_ms : DEFAULT_TIMEOUT_MS};
  struct sigaction sa; /* before the URL is out: whoever reads it may stop the server at once */
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  web_server *server = NULL;
  int port = 0;
  int rc = web_server_start(&o, &server, &port);
  if (rc) return rc;
  if (!loopback)
    fprintf(stderr,
            "newsq serve: warning: listening on %s: anyone who can reach this port can "
            "read the whole index\n",
            a->host);
  char url[128];
  snprintf(url, sizeof url, "http://%s:%d/", a->host, port);
  printf("newsq serve: %s (Ctrl-C stops)\n", url);
  fflush(stdout);
  pid_t browser = a->open ? open_browser(url) : 0;
  while (!stop && !newsq_interrupted)
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
  web_server_stop(server);
  if (browser > 0) waitpid(browser, NULL, WNOHANG);
  return CLI_EXIT_OK;
}

int cmd_serve(int argc, char **argv) {
  serve_args a;
  memset(&a, 0, sizeof a);
  snprintf(a.host, sizeof a.host, "127.0.0.1");
  a.port = 8080;
  char **words = NULL;
  int n_words = 0;
  int rc = newsq_common_init(&a.common);
  if (rc == 0)
    rc = newsq_parse_words("newsq serve", argc, argv, options, on_option, &a, &words, &n_words);
  if (rc == 0 && n_words) rc = cli_error("newsq serve", "unexpected '%s'", words[0]);
  if (rc == 0) rc = serve(&a);
  free(words);
  newsq_common_free(&a.common);
  return rc < 0 ? CLI_EXIT_OK : rc;
}
