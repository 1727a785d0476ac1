/*
** test_reader_html.c — the HTML page reader (reader_html.c) and its main-text extraction
** (html_extract.c): small pages to the records expected.
*/
#include "test_util.h"

#include "reader.h"

/* Parses `html` as the page "/p/page.html"; the caller frees *out. */
static newsidx_status_t parse(const char *html, feed_result *out) {
  return html_parse(html, strlen(html), "/p/page.html", out, NULL);
}

/* A news page with everything a site puts around its article. */
static const char news_page[] =
    "<!DOCTYPE html><html lang=\"en-GB\"><head>\n"
    "<title>Harbour reopens after storm | The Coast Times</title>\n"
    "<meta property=\"og:title\" content=\"OG title loses to JSON-LD\">\n"
    "<meta property=\"og:site_name\" content=\"The Coast Times\">\n"
    "<meta property=\"article:published_time\" content=\"2001-01-01T00:00:00Z\">\n"
    "<meta name=\"author\" content=\"Meta Author\">\n"
    "<meta name=\"keywords\" content=\"storm,harbour\">\n"
    "<link rel=\"canonical\" href=\"/2021/03/04/harbour.html\">\n"
    "<meta property=\"og:url\" content=\"https://coast.example/2021/03/04/harbour.html?x=1\">\n"
    "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
    "{\"@type\":\"WebSite\",\"name\":\"Coast\"},{\"@type\":[\"NewsArticle\"],"
    "\"headline\":\"Harbour reopens after storm\",\"datePublished\":\"2021-03-04T09:30:00+01:00\","
    "\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Silva\"},{\"name\":\"Bo Li\"}],"
    "\"publisher\":{\"name\":\"The Coast Times\"},\"inLanguage\":\"en\","
    "\"keywords\":[\"storm\",\"ports\"]}]}</script>\n"
    "</head><body>\n"
    "<div id=\"cookie-banner\">We use cookies to improve your experience, accept them all now "
    "please.</div>\n"
    "<header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">"
    "Sport</a></nav></header>\n"
    "<article><h1>Harbour reopens after storm</h1>\n"
    "<div class=\"share-tools\"><a href=\"#\">Share on a network</a> <a href=\"#\">Mail it to a "
    "friend of yours</a></div>\n"
    "<p>The harbour reopened on Thursday, three days after the storm closed it, the port "
    "authority said.</p>\n"
    "<h2>Damage to the piers</h2>\n"
    "<p>Two piers were damaged, and repairs will take weeks, according to engineers, who "
    "inspected them.</p>\n"
    "<ul><li>Pier one: the railings, the lights, the deck</li><li>Pier two: the pilings, "
    "mostly</li></ul>\n"
    "<blockquote>We were lucky, frankly, that nobody was hurt, said the harbour "
    "master.</blockquote>\n"
    "<p>Ferries run again from Friday, on the usual timetable, the operator said.</p>\n"
    "</article>\n"
    "<aside class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/a\">Storm hits the "
    "coast in the night</a></li><li><a href=\"/b\">Ferries cancelled for "
    "days</a></li></ul></aside>\n"
    "<section id=\"comments\"><p>First comment here, which is long enough to be a paragraph, "
    "really.</p></section>\n"
    "<footer><p>Copyright The Coast Times, all rights reserved, since the year 1901.</p></footer>\n"
    "</body></html>\n";

static void news_page_record(void **state) {
  feed_result page;
  assert_int_equal(parse(news_page, &page), NEWSIDX_OK);
  assert_int_equal(page.n, 1);
  assert_string_equal(page.warning, "");
  const newsidx_article *a = &page.records[0].article;
  /* the canonical URL, made absolute against og:url, is the url and the key */
  assert_string_equal(a->url, "https://coast.example/2021/03/04/harbour.html");
  assert_string_equal(a->key, "https://coast.example/2021/03/04/harbour.html");
  assert_string_equal(a->path, "/p/page.html");
  assert_string_equal(a->title, "Harbour reopens after storm"); /* JSON-LD's headline */
  assert_string_equal(a->date, "2021-03-04T08:30:00Z");         /* datePublished wins */
  assert_string_equal(a->author, "Ana Silva, Bo Li");
  assert_string_equal(a->source, "The Coast Times");
  assert_string_equal(a->lang, "en");
  assert_string_equal(a->tags, "storm,ports");
  /* the article's text in order, its title heading and everything around it left out */
  assert_string_equal(
      a->body, "The harbour reopened on Thursday, three days after the storm closed it, the port "
               "authority said.\n\n"
               "Damage to the piers\n\n"
               "Two piers were damaged, and repairs will take weeks, according to engineers, who "
               "inspected them.\n\n"
               "Pier one: the railings, the lights, the deck\n\n"
               "Pier two: the pilings, mostly\n\n"
               "We were lucky, frankly, that nobody was hurt, said the harbour master.\n\n"
               "Ferries run again from Friday, on the usual timetable, the operator said.");
  feed_result_free(&page);
  (void)state;
}

/* Without structured data: <title> with the site's name cut, the path as key, a visible
** dateline, <html lang>, a byline by its class, <meta> keywords. */
static void plain_page_record(void **state) {
  const char *html =
      "<html lang=\"de\"><head><title>Neue Br\xc3\xbc"
      "cke \xc3\xbc"
      "ber den Fluss er\xc3\xb6"
      "ffnet - "
      "Stadtblatt</title><meta name=\"keywords\" content=\"Verkehr, Stadt\"></head><body>"
      "<div class=\"main\"><span class=\"byline\">By Jo Weber</span>"
      "<div class=\"dateline\">Published 7 June 2020, 10:15</div>"
      "<div class=\"story\"><p>Die neue Br\xc3\xbc"
      "cke wurde am Sonntag er\xc3\xb6"
      "ffnet, nach "
      "drei Jahren Bauzeit, wie die Stadt mitteilte.</p><p>Sie verbindet, so die Planer, die "
      "Altstadt mit dem Hafen.</p></div></div></body></html>";
  feed_result page;
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  const newsidx_article *a = &page.records[0].article;
  assert_string_equal(a->key, "/p/page.html");
  assert_null(a->url);
  assert_string_equal(a->title, "Neue Br\xc3\xbc"
                                "cke \xc3\xbc"
                                "ber den Fluss er\xc3\xb6"
                                "ffnet");
  assert_string_equal(a->date, "2020-06-07");
  assert_string_equal(a->author, "Jo Weber");
  assert_string_equal(a->lang, "de");
  assert_string_equal(a->tags, "Verkehr, Stadt");
  assert_non_null(strstr(a->body, "Bauzeit, wie die Stadt mitteilte.\n\nSie verbindet"));
  assert_null(strstr(a->body, "Jo Weber"));
  feed_result_free(&page);
  (void)state;
}

/* The date in the URL is the last resort; a publication date always wins over a change. */
static void date_order(void **state) {
  const char *html = "<html><head><link rel=canonical href=\"https://x.example/news/2019/12/31/"
                     "a-story\"><meta property=\"article:modified_time\" content=\"2020-02-02\">"
                     "</head><body><p>Text of the story, long enough to be a paragraph.</p>"
                     "</body></html>";
  feed_result page;
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  assert_string_equal(page.records[0].article.date, "2019-12-31");
  feed_result_free(&page);
  html = "<html><head><meta name=\"date\" content=\"sometime soon\"></head><body><p>Text.</p>"
         "</body></html>";
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  assert_null(page.records[0].article.date);
  assert_non_null(page.records[0].warning);
  feed_result_free(&page);
  (void)state;
}

static void encodings(void **state) {
  /* UTF-8 bytes declared as ISO-8859-1: read as UTF-8, with a warning */
  const char *wrong_latin = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xc3\xa9 "
                            "cr\xc3\xa8me, a paragraph that is long enough.</p></body></html>";
  feed_result page;
  assert_int_equal(parse(wrong_latin, &page), NEWSIDX_OK);
  assert_non_null(strstr(page.records[0].article.body, "Caf\xc3\xa9 cr\xc3\xa8me"));
  assert_non_null(strstr(page.warning, "declared as iso-8859-1, but is UTF-8"));
  feed_result_free(&page);
  /* Windows-1252 bytes declared as UTF-8: read as Windows-1252, with a warning */
  const char *wrong_utf8 = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                           "charset=utf-8\"></head><body><p>Caf\xe9 \x93quoted\x94, a paragraph "
                           "long enough.</p></body></html>";
  assert_int_equal(parse(wrong_utf8, &page), NEWSIDX_OK);
  assert_non_null(
      strstr(page.records[0].article.body, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d"));
  assert_non_null(strstr(page.warning, "but is not UTF-8; read as Windows-1252"));
  feed_result_free(&page);
  /* undeclared and not UTF-8: Windows-1252, quietly */
  const char *undeclared = "<p>na\xefve text</p>";
  assert_int_equal(parse(undeclared, &page), NEWSIDX_OK);
  assert_string_equal(page.records[0].article.body, "na\xc3\xafve text");
  assert_string_equal(page.warning, "");
  feed_result_free(&page);
  (void)state;
}

/* Broken markup is recovered; a page without text gives an empty body, never a failure; bytes
** with no element at all are not a page. */
static void broken_and_empty(void **state) {
  feed_result page;
  assert_int_equal(parse("<html><body><p>Unclosed <b>bold <i>and <p>next para", &page), NEWSIDX_OK);
  assert_string_equal(page.records[0].article.body, "Unclosed bold and\n\nnext para");
  feed_result_free(&page);
  assert_int_equal(parse("<html><body><nav><a href=/>Home</a></nav></body></html>", &page),
                   NEWSIDX_OK);
  assert_string_equal(page.records[0].article.body, "");
  feed_result_free(&page);
  newsidx_error err = {0};
  assert_int_equal(html_parse("", 0, "/p/e.html", &page, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "/p/e.html: not an HTML page (no element)");
  feed_result_free(&page);
  (void)state;
}

/* What real pages do to their metadata: JSON-LD wrapped in CDATA, a summary given as the
** JSON-LD headline, the site's name after the headline, a menu in an "author" class. */
static void metadata_quirks(void **state) {
  const char *html =
      "<html><head><title>Hermitian matrix - Wikipedia</title>"
      "<link rel=\"canonical\" href=\"https://en.wikipedia.org/wiki/Hermitian_matrix\">"
      "<script type=\"application/ld+json\">\n<![CDATA[\n{\"@type\":\"Article\",\"name\":"
      "\"Hermitian matrix\",\"headline\":\"matrix equal to its conjugate-transpose\","
      "\"datePublished\":\"2003-02-28T21:51:08Z\"}\n]]>\n</script></head><body>"
      "<div class=\"author-tools\">Sign In | Sign Up | Subscribe</div>"
      "<p>A square matrix that is equal to its own conjugate transpose, in mathematics.</p>"
      "</body></html>";
  feed_result page;
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  const newsidx_article *a = &page.records[0].article;
  assert_string_equal(a->title, "Hermitian matrix");
  assert_string_equal(a->date, "2003-02-28T21:51:08Z");
  assert_null(a->author);
  feed_result_free(&page);
  /* the site's name known only from the host; a short part after a pipe */
  html = "<html><head><title>How to Build a Terrarium | eHow</title><link rel=\"canonical\" "
         "href=\"https://www.ehow.com/x\"></head><body><p>Text.</p></body></html>";
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  assert_string_equal(page.records[0].article.title, "How to Build a Terrarium");
  feed_result_free(&page);
  html = "<html><head><meta property=\"og:title\" content=\"Markets rally as the Fed holds - "
         "what it means\"><meta property=\"og:title\" content=\"x\"></head><body><p>Text.</p>"
         "</body></html>";
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  assert_string_equal(page.records[0].article.title,
                      "Markets rally as the Fed holds - what it means");
  feed_result_free(&page);
  (void)state;
}

/* A story in several blocks, each wrapped alone in another element: all of them are the
** article, not the best one alone. */
static void story_in_blocks(void **state) {
  char html[8192];
  size_t n = (size_t)snprintf(html, sizeof html, "<html><body><div id=\"wrap\">");
  for (int i = 1; i <= 4; i++)
    n += (size_t)snprintf(html + n, sizeof html - n,
                          "<section><div class=\"part\"><p>Part %d opens, with a sentence, which "
                          "goes on for a while, as sentences do.</p><p>Part %d closes, with "
                          "another sentence, just as long, give or take.</p></div></section>"
                          "<div class=\"ad\"><a href=\"/x\">Buy now</a></div>",
                          i, i);
  snprintf(html + n, sizeof html - n, "</div></body></html>");
  feed_result page;
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  const char *body = page.records[0].article.body;
  for (int i = 1; i <= 4; i++) {
    char opens[32];
    snprintf(opens, sizeof opens, "Part %d opens", i);
    assert_non_null(strstr(body, opens));
  }
  assert_null(strstr(body, "Buy now"));
  feed_result_free(&page);
  (void)state;
}

/* Inside the article, a numbered list of steps that link to their tools stays (conditional
** cleaning is for link lists and widgets in <div>, <ul>, <table>), a <ul> of links goes. */
static void numbered_steps_kept(void **state) {
  const char *html =
      "<html><body><article><p>Building a terrarium takes an afternoon, a jar, and some soil, "
      "the gardeners say.</p><p>Here is how to go about it, step by step, in order, as the "
      "gardeners do it.</p><ol><li><a href=\"/jar\">Choose a glass jar</a> first</li>"
      "<li><a href=\"/soil\">Layer the soil</a> next</li><li><a href=\"/plants\">Add the "
      "plants</a> last</li></ol><ul><li><a href=\"/more\">More gardening stories</a></li>"
      "<li><a href=\"/top\">Top ten houseplants</a></li></ul></article></body></html>";
  feed_result page;
  assert_int_equal(parse(html, &page), NEWSIDX_OK);
  const char *body = page.records[0].article.body;
  assert_non_null(strstr(body, "Choose a glass jar first\n\nLayer the soil next"));
  assert_null(strstr(body, "More gardening stories"));
  feed_result_free(&page);
  (void)state;
}

static void sniffing(void **state) {
  assert_true(html_sniff("\n  <!DOCTYPE html><html>", 23));
  assert_true(html_sniff("\xef\xbb\xbf<HTML lang=en>", 18));
  assert_false(html_sniff("<?xml version=\"1.0\"?><rss>", 26));
  assert_false(html_sniff("plain text <html>", 17));
  (void)state;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(news_page_record), cmocka_unit_test(plain_page_record),
      cmocka_unit_test(date_order),       cmocka_unit_test(metadata_quirks),
      cmocka_unit_test(story_in_blocks),  cmocka_unit_test(numbered_steps_kept),
      cmocka_unit_test(encodings),        cmocka_unit_test(broken_and_empty),
      cmocka_unit_test(sniffing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
