/*
** test_reader_feed.c — the feed reader (reader_feed.c) and the HTML text of html_text.c: input
** bytes to the records expected.
*/
#include "test_util.h"

#include "html_text.h"
#include "reader.h"

/* Parses `xml` as the feed "/f.xml"; the caller frees *out. */
static newsidx_status_t parse(const char *xml, feed_result *out, newsidx_error *err) {
  return feed_parse(xml, strlen(xml), "/f.xml", out, err);
}

static void rss_field_mapping(void **state) {
  const char *xml =
      "<?xml version=\"1.0\"?>\n"
      "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
      " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "<channel><title>The Daily &amp; Co</title><language>en-gb</language>\n"
      "<item>\n"
      "  <title>Tram strike &lt;b&gt;ends&lt;/b&gt;</title>\n"
      "  <link>https://example.com/a</link>\n"
      "  <guid isPermaLink=\"false\">id-1</guid>\n"
      "  <pubDate>Tue, 05 Apr 2022 06:27 EDT</pubDate>\n"
      "  <dc:date>2000-01-01</dc:date>\n"
      "  <dc:creator>Ana Silva</dc:creator><author>b@example.com (Bo)</author>\n"
      "  <category>Transport</category><category>Lisbon, Portugal</category>\n"
      "  <description>short</description>\n"
      "  <content:encoded><![CDATA[<p>First &eacute; para.</p><script>x()</script>"
      "<p>Second<br>line</p>]]></content:encoded>\n"
      "</item>\n"
      "<item><title>No guid</title><link>https://example.com/b</link>"
      "<source url=\"https://wire.example\">The Wire</source>"
      "<description>Plain one.\n\nPlain two.</description></item>\n"
      "<item><title>Nothing but a title</title></item>\n"
      "</channel></rss>\n";
  feed_result feed;
  assert_int_equal(parse(xml, &feed, NULL), NEWSIDX_OK);
  assert_string_equal(feed.warning, "");
  assert_int_equal(feed.n, 3);
  const newsidx_article *a = &feed.records[0].article;
  assert_string_equal(a->key, "/f.xml#id-1");
  assert_string_equal(a->path, "/f.xml");
  assert_string_equal(a->title, "Tram strike ends");
  assert_string_equal(a->url, "https://example.com/a");
  assert_string_equal(a->date, "2022-04-05T10:27:00Z"); /* pubDate wins over dc:date */
  assert_string_equal(a->author, "Ana Silva, b@example.com (Bo)");
  assert_string_equal(a->tags, "Transport,Lisbon  Portugal");
  assert_string_equal(a->lang, "en-gb");
  assert_string_equal(a->source, "The Daily & Co");
  assert_string_equal(a->body, "First \xc3\xa9 para.\n\nSecond\nline"); /* content:encoded wins */
  assert_int_equal(feed.records[0].line, 4);
  a = &feed.records[1].article;
  assert_string_equal(a->key, "/f.xml#https://example.com/b"); /* no guid: the link */
  assert_string_equal(a->source, "The Wire");                  /* the item's own source */
  assert_string_equal(a->body, "Plain one.\n\nPlain two.");
  assert_null(a->date);
  a = &feed.records[2].article;
  assert_true(strncmp(a->key, "/f.xml#sha:", 11) == 0); /* neither: a hash of the item */
  assert_string_equal(a->body, "");
  feed_result_free(&feed);
}

static void atom_field_mapping(void **state) {
  const char *xml =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\""
      " xml:base=\"https://example.org/news/\">\n"
      "<title type=\"html\">Le &lt;i&gt;Journal&lt;/i&gt;</title>\n"
      "<entry>\n"
      "  <id>tag:example.org,2024:1</id>\n"
      "  <title>Gr\xc3\xa8ve</title>\n"
      "  <link rel=\"enclosure\" href=\"a.mp3\"/><link rel=\"alternate\" href=\"2024/greve\"/>\n"
      "  <updated>2024-01-15T14:20:22+01:00</updated>\n"
      "  <published>2024-01-14T23:30:00+01:00</published>\n"
      "  <author><name>Jean</name></author><author><name>Marie</name></author>\n"
      "  <category term=\"social\"/>\n"
      "  <summary>Short</summary>\n"
      "  <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Un</p>"
      "<p>Deux <b>gras</b></p></div></content>\n"
      "</entry>\n"
      "<entry xml:lang=\"de\"><id>2</id><title type=\"text\">a &lt;b&gt; c</title>"
      "<updated>2024-01-16T10:00:00Z</updated>"
      "<summary type=\"html\">&lt;p&gt;S&lt;/p&gt;</summary></entry>\n"
      "</feed>";
  feed_result feed;
  assert_int_equal(parse(xml, &feed, NULL), NEWSIDX_OK);
  assert_int_equal(feed.n, 2);
  const newsidx_article *a = &feed.records[0].article;
  assert_string_equal(a->key, "/f.xml#tag:example.org,2024:1");
  assert_string_equal(a->title, "Gr\xc3\xa8ve");
  assert_string_equal(a->url, "https://example.org/news/2024/greve"); /* resolved, alternate */
  assert_string_equal(a->date, "2024-01-14T22:30:00Z");               /* published wins */
  assert_string_equal(a->author, "Jean, Marie");
  assert_string_equal(a->tags, "social");
  assert_string_equal(a->lang, "fr");
  assert_string_equal(a->source, "Le Journal");
  assert_string_equal(a->body, "Un\n\nDeux gras");
  a = &feed.records[1].article;
  assert_string_equal(a->title, "a <b> c"); /* type="text": not HTML */
  assert_string_equal(a->date, "2024-01-16T10:00:00Z");
  assert_string_equal(a->lang, "de");
  assert_string_equal(a->body, "S");
  feed_result_free(&feed);
}

static void rdf_items_beside_the_channel(void **state) {
  const char *xml =
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
      " xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<channel><title>RDF</title><dc:language>nl</dc:language></channel>"
      "<item rdf:about=\"http://e.com/1\"><title>One</title><link>http://e.com/1</link>"
      "<dc:date>2022-03-01T10:00:00+00:00</dc:date><dc:subject>x</dc:subject></item>"
      "</rdf:RDF>";
  feed_result feed;
  assert_int_equal(parse(xml, &feed, NULL), NEWSIDX_OK);
  assert_int_equal(feed.n, 1);
  assert_string_equal(feed.records[0].article.date, "2022-03-01T10:00:00Z");
  assert_string_equal(feed.records[0].article.lang, "nl");
  assert_string_equal(feed.records[0].article.tags, "x");
  assert_string_equal(feed.records[0].article.source, "RDF");
  feed_result_free(&feed);
}

static void encodings(void **state) {
  feed_result feed;
  /* UTF-8 bytes declared as ISO-8859-1: read as UTF-8, with a warning */
  const char *wrong = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item>"
                      "<title>Caf\xc3\xa9</title></item></channel></rss>";
  assert_int_equal(parse(wrong, &feed, NULL), NEWSIDX_OK);
  assert_string_equal(feed.records[0].article.title, "Caf\xc3\xa9");
  assert_non_null(strstr(feed.warning, "but is UTF-8"));
  feed_result_free(&feed);
  /* Windows-1252 undeclared */
  const char *cp =
      "<rss><channel><item><title>\x93Quote\x94 caf\xe9</title></item></channel></rss>";
  assert_int_equal(parse(cp, &feed, NULL), NEWSIDX_OK);
  assert_string_equal(feed.records[0].article.title, "\xe2\x80\x9cQuote\xe2\x80\x9d caf\xc3\xa9");
  assert_non_null(strstr(feed.warning, "Windows-1252"));
  feed_result_free(&feed);
  /* declared ISO-8859-1, and it is: no warning */
  const char *latin = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><item>"
                      "<title>caf\xe9</title></item></channel></rss>";
  assert_int_equal(parse(latin, &feed, NULL), NEWSIDX_OK);
  assert_string_equal(feed.records[0].article.title, "caf\xc3\xa9");
  assert_string_equal(feed.warning, "");
  feed_result_free(&feed);
  /* a UTF-8 byte-order mark */
  const char *bom = "\xef\xbb\xbf<rss><channel><item><title>B</title></item></channel></rss>";
  assert_int_equal(parse(bom, &feed, NULL), NEWSIDX_OK);
  assert_string_equal(feed.records[0].article.title, "B");
  feed_result_free(&feed);
}

static void malformed_xml(void **state) {
  feed_result feed;
  newsidx_error err;
  /* recovered: an unescaped ampersand and an unclosed item */
  const char *bozo = "<rss><channel><item><title>A & B</title>\n<description>x</description>"
                     "</channel></rss>";
  assert_int_equal(parse(bozo, &feed, NULL), NEWSIDX_OK);
  assert_true(feed.n >= 1);
  assert_true(strncmp(feed.warning, "/f.xml: line 1: ", 16) == 0);
  assert_non_null(strstr(feed.warning, "recovered"));
  feed_result_free(&feed);
  /* not XML at all */
  assert_int_equal(parse("just text", &feed, &err), NEWSIDX_INPUT);
  assert_true(strncmp(err.message, "/f.xml: line 1: ", 16) == 0);
  feed_result_free(&feed);
  /* XML, but not a feed */
  assert_int_equal(parse("<urlset><url/></urlset>", &feed, &err), NEWSIDX_INPUT);
  assert_string_equal(err.message, "/f.xml: not a feed (root element <urlset>)");
  feed_result_free(&feed);
}

static void entities_are_contained(void **state) {
  feed_result feed;
  /* HTML's entities, undeclared, as feeds write them; a declared internal entity */
  const char *html = "<!DOCTYPE rss [<!ENTITY who \"the &#233;diteur\">]><rss><channel><item>"
                     "<title>a&nbsp;b &who;</title></item></channel></rss>";
  assert_int_equal(parse(html, &feed, NULL), NEWSIDX_OK);
  assert_string_equal(feed.records[0].article.title, "a b the \xc3\xa9"
                                                     "diteur");
  feed_result_free(&feed);
  /* an external entity is never read */
  const char *xxe = "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss><channel>"
                    "<item><title>t&x;</title><description>d</description></item></channel></rss>";
  newsidx_status_t status = parse(xxe, &feed, NULL);
  if (status == NEWSIDX_OK && feed.n > 0)
    assert_null(strstr(feed.records[0].article.title, "root"));
  feed_result_free(&feed);
  /* billion laughs: refused or contained, never expanded */
  char lol[4096];
  size_t at = (size_t)snprintf(lol, sizeof lol,
                               "<!DOCTYPE rss [<!ENTITY l0 \"lollollollollollollollollollol\">");
  for (int i = 1; i < 10; i++) {
    at += (size_t)snprintf(lol + at, sizeof lol - at, "<!ENTITY l%d \"", i);
    for (int k = 0; k < 10; k++)
      at += (size_t)snprintf(lol + at, sizeof lol - at, "&l%d;", i - 1);
    at += (size_t)snprintf(lol + at, sizeof lol - at, "\">");
  }
  snprintf(lol + at, sizeof lol - at,
           "]><rss><channel><item><title>&l9;</title></item></channel></rss>");
  status = parse(lol, &feed, NULL);
  for (size_t i = 0; status == NEWSIDX_OK && i < feed.n; i++)
    assert_true(!feed.records[i].article.title ||
                strlen(feed.records[i].article.title) <= (8u << 20));
  feed_result_free(&feed);
}

static void html_paragraphs(void **state) {
  const char *html = "<div><h2>Head</h2><p>One   two\n three</p><ul><li>i</li><li>j</li></ul>"
                     "<style>p{}</style><p>&amp; done&nbsp;here</p></div>";
  char *text = html_text_of_markup(html, strlen(html), 0);
  assert_string_equal(text, "Head\n\nOne two three\n\ni\n\nj\n\n& done here");
  free(text);
  text = html_text_of_markup("plain &lt;words&gt;", 19, 0);
  assert_string_equal(text, "plain <words>");
  free(text);
}

static void sniffing(void **state) {
  const char *yes[] = {"<?xml version=\"1.0\"?>\n<!-- c --><rss version=\"2.0\">",
                       "\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                       "<!DOCTYPE x><rdf:RDF xmlns:rdf=\"r\">"};
  for (size_t i = 0; i < 3; i++)
    assert_true(feed_sniff(yes[i], strlen(yes[i])));
  const char *no[] = {"<html><body>", "plain text", "<rssx>", "<feedback/>"};
  for (size_t i = 0; i < 4; i++)
    assert_false(feed_sniff(no[i], strlen(no[i])));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rss_field_mapping),
      cmocka_unit_test(atom_field_mapping),
      cmocka_unit_test(rdf_items_beside_the_channel),
      cmocka_unit_test(encodings),
      cmocka_unit_test(malformed_xml),
      cmocka_unit_test(entities_are_contained),
      cmocka_unit_test(html_paragraphs),
      cmocka_unit_test(sniffing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
