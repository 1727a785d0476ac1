/*
** server.c — the HTTP side of newsq serve: libmicrohttpd parses HTTP and runs WEB_THREADS
** threads; each request borrows one of as many read-only connections to the index (a slot),
** runs its route and gets its answer with the same security headers as every other.
**
** Time limit: a watchdog thread looks at the busy slots every WATCH_MS; once a request has run
** longer than --timeout it sets the slot's flag (which searches check, like newsq's own
** --timeout) and interrupts the connection's statement, so the command stops and the request
** answers 503.
*/
#include "web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WATCH_MS 10

/* Idle seconds after which a connection is closed (MHD_OPTION_CONNECTION_TIMEOUT). */
#define IDLE_TIMEOUT_S 30

typedef struct web_slot {
  newsidx_db *db;
  volatile sig_atomic_t interrupted;
  double deadline; /* cli_now() at which the request runs out of time; 0: idle */
  int busy;
} web_slot;

struct web_server {
  struct MHD_Daemon *daemon;
  web_slot slots[WEB_THREADS];
  pthread_mutex_t lock;
  pthread_cond_t freed;
  pthread_t watchdog;
  int watching, stopping;
  long timeout_ms;
};

static web_slot *slot_take(web_server *s) {
  pthread_mutex_lock(&s->lock);
  web_slot *slot = NULL;
  while (!slot) {
    for (int i = 0; i < WEB_THREADS && !slot; i++)
      if (!s->slots[i].busy) slot = &s->slots[i];
    if (!slot) pthread_cond_wait(&s->freed, &s->lock);
  }
  slot->busy = 1;
  slot->interrupted = 0;
  slot->deadline = s->timeout_ms > 0 ? cli_now() + (double)s->timeout_ms / 1000 : 0;
  pthread_mutex_unlock(&s->lock);
  return slot;
}

static void slot_give(web_server *s, web_slot *slot) {
  pthread_mutex_lock(&s->lock);
  slot->busy = 0;
  slot->deadline = 0;
  pthread_cond_signal(&s->freed);
  pthread_mutex_unlock(&s->lock);
}

static void *watch(void *arg) {
  web_server *s = arg;
  for (;;) {
    pthread_mutex_lock(&s->lock);
    int stopping = s->stopping;
    double now = cli_now();
    for (int i = 0; i < WEB_THREADS; i++) {
      web_slot *slot = &s->slots[i];
      if (slot->busy && !slot->interrupted &&
          (stopping || (slot->deadline && now > slot->deadline))) {
        slot->interrupted = 1;
        newsidx_db_interrupt(slot->db);
      }
    }
    pthread_mutex_unlock(&s->lock);
    if (stopping) return NULL;
    nanosleep(&(struct timespec){0, WATCH_MS * 1000 * 1000}, NULL);
  }
}

const char *web_param(web_request *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_param_or(web_request *r, const char *name, const char *fallback) {
  const char *v = web_param(r, name);
  return v && *v ? v : fallback;
}

int web_run(web_request *r, int argc, const char *const *argv, web_output *o) {
  memset(o, 0, sizeof *o);
  char *err_text = NULL;
  size_t n_err = 0;
  FILE *out = open_memstream(&o->text, &o->n_text);
  FILE *diag = open_memstream(&err_text, &n_err);
  if (!out || !diag) {
    if (out) fclose(out);
    if (diag) fclose(diag);
    free(o->text);
    free(err_text);
    o->text = NULL;
    o->code = CLI_EXIT_ERROR;
    o->message = strdup("out of memory");
    return o->code;
  }
  newsq_session session = r->session;
  session.out = out;
  session.diagnostics = diag;
  newsq_session_set(&session);
  /* The commands take char **argv as main() gives it; they do not write to it. */
  const cli_command *cmd = cli_find_command(newsq_commands, argv[0]);
  o->code = cmd ? cmd->run(argc, (char **)argv) : CLI_EXIT_ERROR;
  newsq_session_set(NULL);
  fclose(out);
  fclose(diag);
  /* The first message, without "newsq…: " and its line end. */
  char *line = err_text;
  size_t n = strcspn(line, "\n");
  line[n] = '\0';
  const char *colon = strstr(line, ": ");
  o->message = strdup(colon ? colon + 2 : line);
  free(err_text);
  return o->code;
}

void web_output_free(web_output *o) {
  free(o->text);
  free(o->message);
  memset(o, 0, sizeof *o);
}

int web_status_for(int code) {
  if (code == CLI_EXIT_OK || code == CLI_EXIT_NONE) return MHD_HTTP_OK;
  if (code == CLI_EXIT_INTERRUPTED) return MHD_HTTP_SERVICE_UNAVAILABLE;
  return MHD_HTTP_BAD_REQUEST;
}

/* The headers every answer has: nothing may load from another host or run inline. */
static void add_headers(struct MHD_Response *response, const char *content_type) {
  MHD_add_response_header(response, "Content-Type", content_type);
  MHD_add_response_header(response, "Content-Security-Policy", "default-src 'self'");
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(response, "X-Frame-Options", "DENY");
  MHD_add_response_header(response, "Cache-Control", "no-store");
}

/* Queues the n bytes at data (freed here when `owned`, else static) as the answer. */
static enum MHD_Result answer(struct MHD_Connection *conn, int status, const char *type, char *data,
                              size_t n, int owned) {
  struct MHD_Response *response = MHD_create_response_from_buffer(
      n, data, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!response) {
    if (owned) free(data);
    return MHD_NO;
  }
  add_headers(response, type);
  enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, response);
  MHD_destroy_response(response);
  return rc;
}

/* Runs the route of `url` on a slot and answers with what it built. */
static enum MHD_Result serve(web_server *s, struct MHD_Connection *conn, const char *url) {
  web_route_fn route = web_route(url);
  web_request r;
  memset(&r, 0, sizeof r);
  r.conn = conn;
  r.status = MHD_HTTP_OK;
  r.content_type = "text/html; charset=utf-8";
  char *data = NULL;
  size_t n = 0;
  r.body = open_memstream(&data, &n);
  if (!r.body) return MHD_NO;
  web_slot *slot = route ? slot_take(s) : NULL;
  if (slot) {
    r.session.db = slot->db;
    r.session.interrupted = &slot->interrupted;
    route(&r);
    slot_give(s, slot);
  } else {
    web_page_error(&r, MHD_HTTP_NOT_FOUND, "no such page");
  }
  if (fclose(r.body) != 0) {
    free(data);
    return MHD_NO;
  }
  return answer(conn, r.status, r.content_type, data, n, 1);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state) {
  static int first_call;
  if (*state != &first_call) { /* headers only so far: answer on the next call */
    *state = &first_call;
    return MHD_YES;
  }
  if (*upload_size) return MHD_NO; /* nothing takes a body */
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    static char refused[] = "only GET and HEAD\n";
    return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", refused,
                  sizeof refused - 1, 0);
  }
  return serve(cls, conn, url);
}

static int open_slots(web_server *s, const char *path) {
  newsidx_open_options options = {NEWSIDX_OPEN_READONLY, NULL, 0};
  for (int i = 0; i < WEB_THREADS; i++) {
    newsidx_error err = {0};
    if (newsidx_db_open(path, &options, &s->slots[i].db, &err) != NEWSIDX_OK)
      return cli_fail("newsq serve", &err);
  }
  return 0;
}

int web_server_start(const web_options *o, web_server **out, int *port) {
  *out = NULL;
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)o->port);
  if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1)
    return cli_error("newsq serve", "--listen: '%s' is not an IPv4 address", o->host);
  web_server *s = calloc(1, sizeof *s);
  if (!s) return cli_error("newsq serve", "out of memory");
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->freed, NULL);
  s->timeout_ms = o->timeout_ms;
  int rc = open_slots(s, o->db_path);
  if (rc == 0 && pthread_create(&s->watchdog, NULL, watch, s) != 0)
    rc = cli_error("newsq serve", "cannot start a thread");
  s->watching = rc == 0;
  if (rc == 0) {
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)WEB_THREADS, MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_END);
    if (!s->daemon)
      rc = cli_error("newsq serve", "cannot listen on %s:%d: %s", o->host, o->port,
                     strerror(errno ? errno : EADDRINUSE));
  }
  if (rc) {
    web_server_stop(s);
    return rc;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  *port = info ? info->port : o->port;
  *out = s;
  return 0;
}

void web_server_stop(web_server *s) {
  if (!s) return;
  if (s->watching) { /* interrupts what still runs, so that stopping does not wait for it */
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->watchdog, NULL);
  }
  if (s->daemon) MHD_stop_daemon(s->daemon);
  for (int i = 0; i < WEB_THREADS; i++)
    newsidx_db_close(s->slots[i].db);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->freed);
  free(s);
}
