/*
** test_fetch.c — what the fetcher hands the readers and reads itself, without the network:
** which reader a document with a content type goes to (readers/document.c) and what it gives,
** subscription lists (fetch/subscriptions.c), hosts of URLs and the per-host delay
** (fetch/fetch.c, fetch/politeness.c). The HTTP side is e2e.fetch's, against a local server.
*/
#include "test_util.h"

#include "fetch.h"
#include "reader.h"

#include <time.h>

static const char rss[] = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
                          "<item><title>One</title><guid>g1</guid><description>Body one."
                          "</description></item></channel></rss>";

static void kinds_by_type_and_bytes(void **state) {
  (void)state;
  const char *u = "http://127.0.0.1/x";
  /* a feed is a feed whatever the server calls it */
  assert_int_equal(document_kind_of("text/html", u, rss, strlen(rss)), DOCUMENT_FEED);
  assert_int_equal(document_kind_of(NULL, u, rss, strlen(rss)), DOCUMENT_FEED);
  const char *line = "{\"title\": \"a\"}\n";
  assert_int_equal(document_kind_of("application/x-ndjson", u, line, strlen(line)), DOCUMENT_JSONL);
  assert_int_equal(
      document_kind_of("application/octet-stream", "http://h/a.jsonl", line, strlen(line)),
      DOCUMENT_JSONL);
  assert_int_equal(document_kind_of("text/plain; charset=utf-8", u, "Hello", 5), DOCUMENT_TEXT);
  assert_int_equal(document_kind_of("TEXT/HTML;charset=utf-8", u, "<p>x", 4), DOCUMENT_PAGE);
  const char *page = "\xEF\xBB\xBF  <!DOCTYPE html><html></html>";
  assert_int_equal(document_kind_of("text/plain", u, page, strlen(page)), DOCUMENT_PAGE);
  assert_int_equal(document_kind_of("application/octet-stream", u, "\x01\x02", 2), DOCUMENT_OTHER);
  assert_int_equal(document_kind_of("text/plainish", u, "x", 1), DOCUMENT_OTHER);
  assert_int_equal(document_page_supported(), 1);
}

/* Collects what document_read() reports: "key|path|title|body" a line. */
typedef struct collected {
  char text[2048];
  int n_bad;
  long update_s; /* the document's own update interval */
} collected;

static newsidx_status_t collect(void *ctx, const newsidx_article *a, const char *where,
                                const char *warning) {
  (void)where, (void)warning;
  collected *c = ctx;
  size_t used = strlen(c->text);
  snprintf(c->text + used, sizeof c->text - used, "%s|%s|%s|%s\n", a->key, a->path,
           a->title ? a->title : "", a->body);
  return NEWSIDX_OK;
}

static void count_bad(void *ctx, const char *message) {
  (void)message;
  ((collected *)ctx)->n_bad++;
}

static newsidx_status_t read_doc(const char *bytes, document_kind kind, collected *c,
                                 newsidx_error *err) {
  char *copy = strdup(bytes);
  assert_non_null(copy);
  *c = (collected){{0}, 0, 0};
  document_info info;
  newsidx_status_t status =
      document_read(copy, strlen(copy), kind, "http://h/doc", collect, count_bad, c, &info, err);
  c->update_s = info.update_s;
  free(copy);
  return status;
}

static void documents_read_as_files_are(void **state) {
  (void)state;
  collected c;
  newsidx_error err;
  assert_int_equal(read_doc(rss, DOCUMENT_FEED, &c, &err), NEWSIDX_OK);
  assert_string_equal(c.text, "http://h/doc#g1|http://h/doc|One|Body one.\n");
  assert_int_equal(read_doc("{\"id\": \"r1\", \"title\": \"A\", \"body\": \"B\"}\nnot json\n"
                            "{\"id\": \"r2\", \"title\": \"C\", \"body\": \"D\"}\n",
                            DOCUMENT_JSONL, &c, &err),
                   NEWSIDX_OK);
  assert_string_equal(c.text, "r1|http://h/doc|A|B\nr2|http://h/doc|C|D\n");
  assert_int_equal(c.n_bad, 1);
  assert_int_equal(read_doc("Short Title\n\nThe text of it.\n", DOCUMENT_TEXT, &c, &err),
                   NEWSIDX_OK);
  /* the body as text_parse() leaves it for a file, its last newline kept */
  assert_string_equal(c.text, "http://h/doc|http://h/doc|Short Title|The text of it.\n\n");
  /* a page is one article, keyed by its canonical URL, else the URL it came from */
  assert_int_equal(read_doc("<html><head><title>Harbour news</title></head><body><article><p>"
                            "The harbour office publishes new tide tables for the winter, with "
                            "the times of every high and low tide.</p></article></body></html>",
                            DOCUMENT_PAGE, &c, &err),
                   NEWSIDX_OK);
  assert_string_equal(c.text, "http://h/doc|http://h/doc|Harbour news|The harbour office publishes "
                              "new tide tables for the winter, with the times of every high and "
                              "low tide.\n");
  assert_int_equal(read_doc("\x01", DOCUMENT_OTHER, &c, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "http://h/doc: neither a feed nor a page");
  assert_int_equal(read_doc("<rss><channel></channel></rss>", DOCUMENT_FEED, &c, &err), NEWSIDX_OK);
  assert_string_equal(c.text, ""); /* a feed without items gives nothing, and is no error */
  assert_int_equal(c.update_s, 0);
  /* how often a feed says it changes: <ttl> minutes, or sy:updatePeriod / updateFrequency */
  assert_int_equal(
      read_doc("<rss><channel><ttl> 90 </ttl></channel></rss>", DOCUMENT_FEED, &c, &err),
      NEWSIDX_OK);
  assert_int_equal(c.update_s, 90 * 60);
  assert_int_equal(read_doc("<rss xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">"
                            "<channel><ttl>5</ttl><sy:updatePeriod>daily</sy:updatePeriod>"
                            "<sy:updateFrequency>4</sy:updateFrequency></channel></rss>",
                            DOCUMENT_FEED, &c, &err),
                   NEWSIDX_OK);
  assert_int_equal(c.update_s, 86400 / 4);
  assert_int_equal(
      read_doc("<rss><channel><ttl>soon</ttl></channel></rss>", DOCUMENT_FEED, &c, &err),
      NEWSIDX_OK);
  assert_int_equal(c.update_s, 0);
}

static void subscription_lists(void **state) {
  (void)state;
  char *dir = test_tmpdir();
  const char opml[] = "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head/><body>\n"
                      "<outline text=\"News\"><outline text=\"World\">\n"
                      "  <outline text=\"W\" title=\"World Wire\" xmlUrl=\"http://127.0.0.1/w.rss\""
                      " category=\"/A/B, /C\"/>\n"
                      "</outline></outline>\n"
                      "<outline text=\"Plain\" xmlUrl=\"https://127.0.0.1/p.atom\"/>\n"
                      "<outline text=\"no feed\" htmlUrl=\"http://127.0.0.1/\"/>\n"
                      "</body></opml>\n";
  char *path = test_write_file(dir, "subs.opml", opml, strlen(opml));
  ingest_subscriptions subs;
  newsidx_error err;
  assert_int_equal(ingest_read_subscriptions(path, &subs, &err), NEWSIDX_OK);
  assert_int_equal(subs.n, 2);
  assert_string_equal(subs.urls[0].url, "http://127.0.0.1/w.rss");
  assert_string_equal(subs.urls[0].source, "World Wire");
  assert_string_equal(subs.urls[0].tags, "News,World,A/B,C");
  assert_string_equal(subs.urls[1].url, "https://127.0.0.1/p.atom");
  assert_string_equal(subs.urls[1].source, "Plain"); /* no title: its text */
  assert_null(subs.urls[1].tags);
  ingest_subscriptions_free(&subs);
  free(path);

  const char list[] = "# feeds\n\n  http://127.0.0.1/a.rss \r\nHTTPS://127.0.0.1/b\n";
  path = test_write_file(dir, "subs.txt", list, strlen(list));
  assert_int_equal(ingest_read_subscriptions(path, &subs, &err), NEWSIDX_OK);
  assert_int_equal(subs.n, 2);
  assert_string_equal(subs.urls[0].url, "http://127.0.0.1/a.rss");
  assert_null(subs.urls[0].source);
  assert_string_equal(subs.urls[1].url, "HTTPS://127.0.0.1/b");
  ingest_subscriptions_free(&subs);
  free(path);

  const char bad[] = "http://127.0.0.1/a.rss\nftp://127.0.0.1/b\n";
  path = test_write_file(dir, "bad.txt", bad, strlen(bad));
  assert_int_equal(ingest_read_subscriptions(path, &subs, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "bad.txt:2: not an http or https URL: ftp://127.0.0.1/b"));
  ingest_subscriptions_free(&subs);
  free(path);

  const char not_opml[] = "<html><body>x</body></html>";
  path = test_write_file(dir, "page.opml", not_opml, strlen(not_opml));
  assert_int_equal(ingest_read_subscriptions(path, &subs, &err), NEWSIDX_INPUT);
  assert_non_null(strstr(err.message, "not an OPML file"));
  ingest_subscriptions_free(&subs);
  free(path);
  test_tmpdir_remove(dir);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hosts_and_delays(void **state) {
  (void)state;
  char host[256];
  assert_true(fetch_host("http://User@127.0.0.1:8080/a?b#c", host, sizeof host));
  assert_string_equal(host, "127.0.0.1");
  assert_true(fetch_host("https://LOCALHOST/feed", host, sizeof host));
  assert_string_equal(host, "localhost");
  assert_false(fetch_host("not a url", host, sizeof host));
  assert_true(ingest_is_url("HTTP://x") && ingest_is_url("https://x"));
  assert_false(ingest_is_url("file:///etc/passwd") || ingest_is_url("/news/http://x"));

  polite *p = polite_new(200);
  assert_non_null(p);
  double t0 = now_s();
  assert_true(polite_wait(p, "a", NULL, NULL)); /* a host never asked: at once */
  polite_done(p, "a", 0);
  assert_true(polite_wait(p, "b", NULL, NULL)); /* another host: at once */
  assert_true(now_s() - t0 < 0.15);
  assert_true(polite_wait(p, "a", NULL, NULL)); /* the same host: after the delay */
  assert_true(now_s() - t0 >= 0.19);
  polite_done(p, "a", 400); /* a Retry-After longer than the delay */
  double t1 = now_s();
  assert_true(polite_wait(p, "a", NULL, NULL));
  assert_true(now_s() - t1 >= 0.39);
  volatile sig_atomic_t stop = 1;
  polite_done(p, "a", 0);
  assert_false(polite_wait(p, "a", &stop, NULL)); /* a stop ends the wait */
  assert_false(polite_wait(p, "a", NULL, &stop));
  polite_free(p);
  assert_string_equal(ingest_user_agent(),
                      "newsidx/" NEWSIDX_VERSION " (+https://example.invalid/newsidx)");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(kinds_by_type_and_bytes),
      cmocka_unit_test(documents_read_as_files_are),
      cmocka_unit_test(subscription_lists),
      cmocka_unit_test(hosts_and_delays),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
