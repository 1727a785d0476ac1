/*
** newsq_interrupt.c — stopping newsq: Ctrl-C (exit 130) and --timeout (exit 2), and the exit
** code of a failed call. See newsq.h.
**
** Both set newsq_interrupted, which searches check between rows and, through SQLite's progress
** handler, while a statement runs; and both interrupt the statement running on the watched
** connection (sqlite3_interrupt), so that code that runs its own statements stops too. A
** statement that starts after the interrupt is not stopped by it (SQLite forgets an interrupt
** once no statement runs), so after the first signal a timer interrupts the connection again
** every INTERRUPT_AGAIN_MS until newsq is done.
*/
#include "newsq.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>

#define INTERRUPT_AGAIN_MS 10

volatile sig_atomic_t newsq_interrupted = 0;

static volatile sig_atomic_t timed_out; /* the interrupt was the --timeout */
static newsidx_db *volatile watched;    /* the connection to interrupt, or NULL */
static long timeout_ms;                 /* --timeout, for the message */
static int timer_started;               /* the --timeout counts already */

/* Arms the real-time timer: SIGALRM in `first_ms`, then every INTERRUPT_AGAIN_MS (0: disarms). */
static void arm(long first_ms) {
  struct itimerval t;
  memset(&t, 0, sizeof t);
  if (first_ms > 0) {
    t.it_value.tv_sec = first_ms / 1000;
    t.it_value.tv_usec = (first_ms % 1000) * 1000;
    t.it_interval.tv_usec = INTERRUPT_AGAIN_MS * 1000;
  }
  setitimer(ITIMER_REAL, &t, NULL);
}

static void interrupt_watched(void) {
  newsidx_db *db = watched;
  if (db) newsidx_db_interrupt(db);
}

static void on_interrupt(int signal) {
  newsq_interrupted = 1;
  interrupt_watched();
  arm(INTERRUPT_AGAIN_MS);
}

static void on_alarm(int signal) {
  if (!newsq_interrupted) timed_out = 1;
  newsq_interrupted = 1;
  interrupt_watched();
}

void newsq_signals(void) {
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART; /* a write to a slow reader goes on; the next row stops */
  sa.sa_handler = on_interrupt;
  sigaction(SIGINT, &sa, NULL);
  /* SIGTERM (kill, systemd, cron's timeout) stops as Ctrl-C does: its default action would end
  ** the process inside a write(2), and the kernel may then leave an alert's line cut where it
  ** crosses a page of the file it is appended to. */
  sigaction(SIGTERM, &sa, NULL);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
}

void newsq_start_timeout(long ms) {
  if (timer_started || ms <= 0 || newsq_interrupted) return;
  timeout_ms = ms;
  timer_started = 1;
  arm(ms);
}

void newsq_watch(newsidx_db *db, long ms) {
  if (!db) {
    arm(0);
    watched = NULL;
    timer_started = 0;
    return;
  }
  watched = db;
  if (newsq_interrupted)
    interrupt_watched();
  else
    newsq_start_timeout(ms);
}

void newsq_close(newsidx_db *db) {
  newsq_session *s = newsq_session_get();
  if (db && s && db == s->db) return; /* the server's connection: it stays open */
  if (db && db == watched) newsq_watch(NULL, 0);
  newsidx_db_close(db);
}

int newsq_fail(const newsidx_error *err) {
  /* Once interrupted, a failure is the interrupt's doing whatever SQLite called it: a statement
  ** being prepared when it came fails as "vtable constructor failed", for one. */
  int interrupted = err->status == NEWSIDX_INTERRUPTED || *newsq_interrupt_flag();
  if (interrupted && timed_out)
    return cli_error("newsq", "query timed out after %ld ms", timeout_ms);
  if (interrupted) {
    cli_message("newsq", "", "interrupted");
    return CLI_EXIT_INTERRUPTED;
  }
  return cli_fail("newsq", err);
}
