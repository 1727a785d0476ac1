/*
** reader_html.c — an HTML article page (.html, .htm), parsed with libxml2's HTML parser, as one
** article record. A pure function from bytes to a record: no database, no network.
**
** Safety: htmlReadMemory with HTML_PARSE_RECOVER | NOERROR | NOWARNING | NONET: nothing is
** fetched, broken markup is recovered, nothing is printed. A page is read up to its first
** HTML_PAGE_MAX bytes, and libxml2 keeps its depth limit (256 elements: what is nested deeper,
** and the rest of the page, is dropped with a warning); every walk over the tree is iterative.
**
** The body is the page's main text (html_extract.c). The metadata, each field from the first
** source that gives a usable value (newsidx(1), INPUT FORMATS):
**   title   JSON-LD headline, og:title, twitter:title, DC title, <meta name=title>, <title>
**           (the site's name cut off it), the first <h1>; the site's name (og:site_name, the
**           JSON-LD publisher) is cut off the end of any of them
**   date    JSON-LD datePublished, article:published_time, other <meta> dates (DC, itemprop,
**           pubdate...), <time datetime> (pubdate first), a visible dateline, the date in the
**           URL (/2020/06/07/); only then the date of the last change (dateModified...)
**   author  JSON-LD author names, <meta> author (author, article:author, DC creator...), a
**           visible byline (rel=author, itemprop=author, a "byline" or "author" class)
**   source  JSON-LD publisher name, og:site_name, application-name
**   lang    JSON-LD inLanguage, DC language or content-language, <html lang>, og:locale (last:
**           content systems often leave it at their en_US default)
**   tags    JSON-LD keywords, news_keywords, keywords, article:tag
**   url     <link rel=canonical>, og:url, JSON-LD url, made absolute against <base> or og:url
**   key     the url when there is one, else the page's path
** Encodings: bytes that are valid UTF-8 are read as UTF-8 whatever the page declares; others by
** the page's declaration (libxml2), or as Windows-1252 when it declares UTF-8, ISO-8859-1,
** ASCII or nothing; a declaration that the bytes contradict is a warning.
*/
#include "html_extract.h"
#include "html_text.h"
#include "jsonl_fields.h" /* joined, jsonl_append() */
#include "reader.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most bytes of a page read; the rest is cut (with a warning). */
#define HTML_PAGE_MAX (16u << 20)
/* The most bytes of a body, and of a metadata field. */
#define HTML_BODY_MAX  (8u << 20)
#define HTML_FIELD_MAX 4096
/* The most characters of a visible byline or dateline. */
#define HTML_LINE_MAX 100

enum { M_TITLE, M_DATE, M_AUTHOR, M_SOURCE, M_LANG, M_TAGS, M_URL, N_META };
enum { N_RANKS = 8 };

/* The candidates of each field, by rank (0 best): owned strings. */
typedef struct page_meta {
  char *field[N_META][N_RANKS];
  char *ld_name; /* the JSON-LD article's name, which some sites give where others a headline */
  char *base;    /* <base href> */
  int failed;
  int n_h1;
} page_meta;

static void offer(page_meta *m, int field, int rank, const char *value) {
  if (!value || m->field[field][rank]) return;
  while (*value == ' ' || *value == '\n' || *value == '\t' || *value == '\r')
    value++;
  if (!*value) return;
  if (!(m->field[field][rank] = strndup(value, HTML_FIELD_MAX))) m->failed = 1;
}

/* Appends to a list field (tags): several <meta> tags may each give some. */
static void offer_more(page_meta *m, int field, int rank, const char *value) {
  if (!value || !*value) return;
  if (!m->field[field][rank]) {
    offer(m, field, rank, value);
    return;
  }
  joined acc = {m->field[field][rank], strlen(m->field[field][rank]), 0};
  acc.cap = acc.n + 1;
  if (!jsonl_append(&acc, value, ",")) m->failed = 1;
  m->field[field][rank] = acc.text;
}

/* ---- <meta> ------------------------------------------------------------------------------ */

/* <meta name|property|itemprop=...>: the field and rank of each name (lowercased). */
static const struct {
  const char *name;
  int field, rank;
} meta_names[] = {
    {"og:title", M_TITLE, 1},
    {"twitter:title", M_TITLE, 2},
    {"dc.title", M_TITLE, 3},
    {"dcterms.title", M_TITLE, 3},
    {"dc:title", M_TITLE, 3},
    {"title", M_TITLE, 4},
    {"headline", M_TITLE, 4},
    {"sailthru.title", M_TITLE, 4},
    {"parsely-title", M_TITLE, 4},
    {"article:published_time", M_DATE, 1},
    {"og:published_time", M_DATE, 1},
    {"datepublished", M_DATE, 2},
    {"dc.date", M_DATE, 2},
    {"dc.date.issued", M_DATE, 2},
    {"dcterms.created", M_DATE, 2},
    {"dcterms.issued", M_DATE, 2},
    {"dcterms.date", M_DATE, 2},
    {"date", M_DATE, 2},
    {"pubdate", M_DATE, 2},
    {"publishdate", M_DATE, 2},
    {"publish-date", M_DATE, 2},
    {"publish_date", M_DATE, 2},
    {"article.published", M_DATE, 2},
    {"sailthru.date", M_DATE, 2},
    {"parsely-pub-date", M_DATE, 2},
    {"citation_publication_date", M_DATE, 2},
    {"article:modified_time", M_DATE, 7},
    {"og:updated_time", M_DATE, 7},
    {"datemodified", M_DATE, 7},
    {"dcterms.modified", M_DATE, 7},
    {"author", M_AUTHOR, 1},
    {"article:author", M_AUTHOR, 1},
    {"dc.creator", M_AUTHOR, 1},
    {"dcterms.creator", M_AUTHOR, 1},
    {"dc:creator", M_AUTHOR, 1},
    {"parsely-author", M_AUTHOR, 1},
    {"sailthru.author", M_AUTHOR, 1},
    {"byl", M_AUTHOR, 1},
    {"og:site_name", M_SOURCE, 1},
    {"application-name", M_SOURCE, 2},
    {"dc.language", M_LANG, 1},
    {"dcterms.language", M_LANG, 1},
    {"language", M_LANG, 1},
    {"content-language", M_LANG, 1},
    {"og:locale", M_LANG, 3},
    {"news_keywords", M_TAGS, 1},
    {"keywords", M_TAGS, 1},
    {"article:tag", M_TAGS, 1},
    {"og:url", M_URL, 1},
};

static void read_meta(page_meta *m, const xmlNode *node) {
  const char *content = html_attr(node, "content");
  if (!content) return;
  const char *keys[] = {html_attr(node, "property"), html_attr(node, "name"),
                        html_attr(node, "itemprop"), html_attr(node, "http-equiv")};
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    if (!keys[k]) continue;
    /* property="og:title twitter:title": each name of a space-separated list */
    char list[128];
    snprintf(list, sizeof list, "%s", keys[k]);
    for (char *save = NULL, *name = strtok_r(list, " ", &save); name;
         name = strtok_r(NULL, " ", &save)) {
      for (size_t i = 0; i < sizeof meta_names / sizeof meta_names[0]; i++) {
        if (strcasecmp(name, meta_names[i].name) != 0) continue;
        int field = meta_names[i].field;
        if (field == M_AUTHOR && input_is_url(content)) continue; /* a profile's URL */
        if (field == M_TAGS)
          offer_more(m, field, meta_names[i].rank, content);
        else
          offer(m, field, meta_names[i].rank, content);
      }
    }
  }
}

/* ---- JSON-LD ----------------------------------------------------------------------------- */

static int is_article_type(const char *type) {
  static const char *const types[] = {"Article",
                                      "NewsArticle",
                                      "ReportageNewsArticle",
                                      "AnalysisNewsArticle",
                                      "OpinionNewsArticle",
                                      "ReviewNewsArticle",
                                      "BackgroundNewsArticle",
                                      "AskPublicNewsArticle",
                                      "SatiricalArticle",
                                      "ScholarlyArticle",
                                      "TechArticle",
                                      "Report",
                                      "BlogPosting",
                                      "LiveBlogPosting",
                                      "SocialMediaPosting",
                                      "DiscussionForumPosting",
                                      NULL};
  const char *slash = strrchr(type, '/'); /* "http://schema.org/NewsArticle" */
  if (slash) type = slash + 1;
  for (int i = 0; types[i]; i++)
    if (strcmp(type, types[i]) == 0) return 1;
  return 0;
}

static int has_article_type(const json_t *obj) {
  const json_t *type = json_object_get(obj, "@type");
  if (json_is_string(type)) return is_article_type(json_string_value(type));
  size_t i;
  const json_t *t;
  json_array_foreach(type, i,
                     t) if (json_is_string(t) && is_article_type(json_string_value(t))) return 1;
  return 0;
}

/* The article object of a JSON-LD value: itself, in an array, in @graph; or NULL. Iterative
** over arrays of the top two levels, which is where sites put it. */
static const json_t *find_article(const json_t *v, int depth) {
  if (json_is_object(v)) {
    if (has_article_type(v)) return v;
    const json_t *graph = json_object_get(v, "@graph");
    return graph && depth < 3 ? find_article(graph, depth + 1) : NULL;
  }
  size_t i;
  const json_t *item;
  json_array_foreach(v, i, item) {
    const json_t *found = depth < 3 ? find_article(item, depth + 1) : NULL;
    if (found) return found;
  }
  return NULL;
}

/* A string, or the "name" of an object, or those of an array's items joined with ", ". */
static void offer_names(page_meta *m, int field, int rank, const json_t *v) {
  if (json_is_string(v)) {
    offer_more(m, field, rank, json_string_value(v));
    return;
  }
  if (json_is_object(v)) {
    offer_names(m, field, rank, json_object_get(v, "name"));
    return;
  }
  size_t i;
  const json_t *item;
  json_array_foreach(v, i, item) if (!json_is_array(item)) offer_names(m, field, rank, item);
}

static void offer_json_string(page_meta *m, int field, int rank, const json_t *v) {
  if (json_is_string(v)) offer(m, field, rank, json_string_value(v));
}

/* Reads the JSON in a <script> (what is before its first { or [ and after its last } or ],
** such as the <![CDATA[ ]]> or <!-- --> that pages wrap it in, left out). */
static void read_json_ld(page_meta *m, const char *text) {
  const char *open = strstr(text, "<![CDATA[");
  if (open) text = open + 9;
  size_t start = strcspn(text, "{["), end = strlen(text);
  const char *close = strstr(text + start, "]]>");
  if (!close) close = strstr(text + start, "-->");
  if (close) end = (size_t)(close - text);
  while (end > start && text[end - 1] != '}' && text[end - 1] != ']')
    end--;
  json_t *root = end > start ? json_loadb(text + start, end - start, 0, NULL) : NULL;
  const json_t *a = root ? find_article(root, 0) : NULL;
  if (a) {
    offer_json_string(m, M_TITLE, 0, json_object_get(a, "headline"));
    offer_json_string(m, M_TITLE, 4, json_object_get(a, "name"));
    const json_t *ld_name = json_object_get(a, "name");
    if (json_is_string(ld_name) && !m->ld_name &&
        !(m->ld_name = strdup(json_string_value(ld_name))))
      m->failed = 1;
    offer_json_string(m, M_DATE, 0, json_object_get(a, "datePublished"));
    offer_json_string(m, M_DATE, 6, json_object_get(a, "dateModified"));
    /* authors joined with ", " (offer_more joins with ","; see below) */
    const json_t *author = json_object_get(a, "author");
    joined names = {0};
    size_t i;
    const json_t *item;
    if (json_is_array(author)) {
      json_array_foreach(author, i, item) {
        const json_t *name = json_is_object(item) ? json_object_get(item, "name") : item;
        if (json_is_string(name) && *json_string_value(name) &&
            !jsonl_append(&names, json_string_value(name), ", "))
          m->failed = 1;
      }
      offer(m, M_AUTHOR, 0, names.text);
      free(names.text);
    } else {
      offer_names(m, M_AUTHOR, 0, author);
    }
    const json_t *publisher = json_object_get(a, "publisher");
    if (json_is_object(publisher))
      offer_json_string(m, M_SOURCE, 0, json_object_get(publisher, "name"));
    const json_t *lang = json_object_get(a, "inLanguage");
    offer_json_string(m, M_LANG, 0, json_is_object(lang) ? json_object_get(lang, "name") : lang);
    offer_names(m, M_TAGS, 0, json_object_get(a, "keywords"));
    offer_json_string(m, M_URL, 2, json_object_get(a, "url"));
  }
  json_decref(root);
}

/* ---- visible dates ----------------------------------------------------------------------- */

/* Month names by their first three letters (and the ASCII-only spellings of a few languages
** sites write dates in), 1-12. */
static int month_of(const char *word, size_t n) {
  static const char *const names[] = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",  "oct", "nov", "dec",
      "ene", "fev", "mär", "abr", "mai", "jui", "lug", "ago", "set",  "okt", "out", "dic",
      "gen", "fév", "mrt", "avr", "mag", "giu", "jul", "aoû", "sept", "ott", "dez", "déc"};
  static const int months[] = {1, 2, 3, 4,  5,  6,  7, 8, 9, 10, 11, 12, 1, 2, 3, 4,  5,  6,
                               7, 8, 9, 10, 11, 12, 1, 2, 3, 4,  5,  6,  7, 8, 9, 10, 12, 12};
  char low[8];
  if (n < 3) return 0;
  size_t k = 0;
  for (; k < n && k < 4; k++)
    low[k] = (char)((word[k] >= 'A' && word[k] <= 'Z') ? word[k] + 32 : word[k]);
  low[k] = '\0';
  if (strncmp(low, "juil", 4) == 0) return 7; /* juin / juillet */
  if (strncmp(low, "juin", 4) == 0) return 6;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strncmp(low, names[i], strlen(names[i]) < 3 ? 3 : 3) == 0) return months[i];
  return 0;
}

/* A date written for people ("June 7, 2020", "7 June 2020", "07.06.2020", "2020-06-07 ...")
** in `s` as "YYYY-MM-DD" in out (NEWSIDX_DATE_MAX); 0 when none. */
static int visible_date(const char *s, char *out) {
  int year = 0, month = 0, day = 0;
  const char *p = s;
  while (*p && !(year && month && day)) {
    if (*p >= '0' && *p <= '9') {
      char *end;
      long v = strtol(p, &end, 10);
      size_t digits = (size_t)(end - p);
      if (digits == 4 && *end == '-' && !year) { /* ISO: 2020-06-07 */
        int y, mo, d;
        if (sscanf(p, "%4d-%2d-%2d", &y, &mo, &d) == 3) {
          year = y, month = mo, day = d;
          break;
        }
      }
      if (digits <= 2 && (*end == '.' || *end == '/') && end[1] >= '0' && end[1] <= '9') {
        int d, mo, y; /* D.M.YYYY, as most of the world writes it */
        if (sscanf(p, "%2d.%2d.%4d", &d, &mo, &y) == 3 && y > 1900) {
          year = y, month = mo, day = d;
          break;
        }
      }
      if (digits == 4 && v >= 1990 && v <= 2100)
        year = (int)v;
      else if (digits <= 2 && v >= 1 && v <= 31 && !day)
        day = (int)v;
      p = end;
    } else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (unsigned char)*p >= 0x80) {
      const char *start = p;
      while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (unsigned char)*p >= 0x80)
        p++;
      if (!month) month = month_of(start, (size_t)(p - start));
    } else {
      p++;
    }
  }
  if (!(year && month && day)) return 0;
  char raw[16];
  snprintf(raw, sizeof raw, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
  return newsidx_date_normalize(raw, out, NULL) == NEWSIDX_OK;
}

/* The date in a URL's path: /2020/06/07/, /2020-06-07, /20200607/. */
static int url_date(const char *url, char *out) {
  for (const char *p = url ? strchr(url, '/') : NULL; p; p = strchr(p + 1, '/')) {
    int y, mo, d;
    char c;
    if ((sscanf(p, "/%4d/%2d/%2d%c", &y, &mo, &d, &c) == 4 && (c == '/' || c == '-')) ||
        sscanf(p, "/%4d-%2d-%2d", &y, &mo, &d) == 3 ||
        (sscanf(p, "/%4d%2d%2d%c", &y, &mo, &d, &c) == 4 && c == '/')) {
      if (y < 1990 || y > 2100) continue;
      char raw[16];
      snprintf(raw, sizeof raw, "%04d-%02d-%02d", y % 10000, mo % 100, d % 100);
      if (newsidx_date_normalize(raw, out, NULL) == NEWSIDX_OK) return 1;
    }
  }
  return 0;
}

/* ---- the walk ---------------------------------------------------------------------------- */

/* The text of an element on one line, at most HTML_FIELD_MAX bytes: malloc()ed or NULL. */
static char *line_of(const xmlNode *node) {
  html_text t = {.one_line = 1, .max = HTML_FIELD_MAX};
  html_text_append_tree(&t, node);
  return html_text_take(&t);
}

static void offer_text(page_meta *m, int field, int rank, const xmlNode *node) {
  if (m->field[field][rank]) return;
  char *text = line_of(node);
  if (!text) {
    m->failed = 1;
    return;
  }
  offer(m, field, rank, text);
  free(text);
}

/* "class id rel itemprop" of an element lowercased into buf. */
static void names_of(const xmlNode *node, char *buf, size_t size) {
  snprintf(buf, size, "%s %s %s %s", html_attr(node, "class") ? html_attr(node, "class") : "",
           html_attr(node, "id") ? html_attr(node, "id") : "",
           html_attr(node, "rel") ? html_attr(node, "rel") : "",
           html_attr(node, "itemprop") ? html_attr(node, "itemprop") : "");
  for (char *p = buf; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
}

static int word_count(const char *s, size_t n);

/* A visible byline: rel=author, itemprop=author, or a class or id naming the byline, with
** text short enough to be a name. "By " is cut off. */
static void offer_byline(page_meta *m, const xmlNode *node, const char *names) {
  if (m->field[M_AUTHOR][2]) return;
  if (!strstr(names, "byline") && !strstr(names, "author") && !strstr(names, "writtenby")) return;
  char *text = line_of(node);
  if (!text) {
    m->failed = 1;
    return;
  }
  size_t n = strlen(text);
  const char *name = text;
  if (strncasecmp(name, "by ", 3) == 0) name += 3;
  /* a name or a few: not a menu ("Sign in | Subscribe"), not a sentence */
  if (n >= 3 && n <= HTML_LINE_MAX && !strchr(name, '|') && word_count(name, strlen(name)) <= 10)
    offer(m, M_AUTHOR, 2, name);
  free(text);
}

/* A visible dateline: a class or id naming a date, with a date in its short text. */
static void offer_dateline(page_meta *m, const xmlNode *node, const char *names) {
  if (m->field[M_DATE][4]) return;
  if (!strstr(names, "date") && !strstr(names, "time") && !strstr(names, "publish")) return;
  char *text = line_of(node);
  if (!text) {
    m->failed = 1;
    return;
  }
  char date[NEWSIDX_DATE_MAX];
  if (strlen(text) <= HTML_LINE_MAX && visible_date(text, date)) offer(m, M_DATE, 4, date);
  free(text);
}

static void read_element(page_meta *m, const xmlNode *node) {
  const char *name = (const char *)node->name;
  if (strcasecmp(name, "meta") == 0) {
    read_meta(m, node);
  } else if (strcasecmp(name, "title") == 0) {
    offer_text(m, M_TITLE, 5, node);
  } else if (strcasecmp(name, "h1") == 0) {
    m->n_h1++;
    offer_text(m, M_TITLE, 6, node);
  } else if (strcasecmp(name, "link") == 0) {
    const char *rel = html_attr(node, "rel");
    if (rel && strcasecmp(rel, "canonical") == 0) offer(m, M_URL, 0, html_attr(node, "href"));
  } else if (strcasecmp(name, "base") == 0) {
    if (!m->base && html_attr(node, "href") && !(m->base = strdup(html_attr(node, "href"))))
      m->failed = 1;
  } else if (strcasecmp(name, "script") == 0) {
    const char *type = html_attr(node, "type");
    if (type && strcasecmp(type, "application/ld+json") == 0 && node->children &&
        node->children->content)
      read_json_ld(m, (const char *)node->children->content);
  } else if (strcasecmp(name, "time") == 0) {
    const char *when = html_attr(node, "datetime");
    /* a pubdate or itemprop=datePublished <time> first, else the page's first */
    const char *prop = html_attr(node, "itemprop");
    if (when && (html_attr(node, "pubdate") || (prop && strcasecmp(prop, "datePublished") == 0)))
      offer(m, M_DATE, 2, when);
    offer(m, M_DATE, 3, when);
  }
  if (!strcasecmp(name, "script") || !strcasecmp(name, "style") || !strcasecmp(name, "head"))
    return;
  if (!node->properties || (m->field[M_AUTHOR][2] && m->field[M_DATE][4])) return;
  char names[512];
  names_of(node, names, sizeof names);
  offer_byline(m, node, names);
  offer_dateline(m, node, names);
}

/* Reads the metadata of every element of the page. Iterative. */
static void read_page(page_meta *m, xmlNode *root) {
  const char *lang =
      html_attr(root, "lang") ? html_attr(root, "lang") : html_attr(root, "xml:lang");
  offer(m, M_LANG, 2, lang);
  xmlNode *node = root;
  while (node && !m->failed) {
    int descend = 0;
    if (node->type == XML_ELEMENT_NODE && node->name) {
      read_element(m, node);
      descend = node->children && strcasecmp((const char *)node->name, "script") != 0;
    }
    node = html_next(node, root, descend);
  }
}

/* ---- the record -------------------------------------------------------------------------- */

static const char *first(const page_meta *m, int field) {
  for (int r = 0; r < N_RANKS; r++)
    if (m->field[field][r]) return m->field[field][r];
  return NULL;
}

static int word_count(const char *s, size_t n) {
  int words = 0, in = 0;
  for (size_t i = 0; i < n; i++) {
    int space = s[i] == ' ';
    if (!space && !in) words++;
    in = !space;
  }
  return words;
}

/* The separators between a headline and a site's name in a page's <title>. */
static const char *const title_seps[] = {
    " | ",  " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " \xc2\xb7 ",
    " :: ", " / ", " \xc2\xbb ",     " \\ ",           NULL};

/* Non-zero when `part` of a title names the site: its name, or (its letters and digits, at
** least 3) a part of the host of `url` ("Wikipedia" of en.wikipedia.org). */
static int names_site(const char *part, const char *site, const char *url) {
  if (site && *site && strcasecmp(part, site) == 0) return 1;
  const char *host = url && strstr(url, "://") ? strstr(url, "://") + 3 : NULL;
  if (!host) return 0;
  char letters[64], in_host[256];
  size_t n = 0, h = 0;
  for (const char *p = part; *p && n + 1 < sizeof letters; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
      letters[n++] = *p;
    else if (*p >= 'A' && *p <= 'Z')
      letters[n++] = (char)(*p + 32);
    else if (*p != ' ' && *p != '.' && *p != '-')
      return 0; /* more than a name */
  for (const char *p = host; *p && *p != '/' && *p != ':' && h + 1 < sizeof in_host; p++)
    in_host[h++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
  letters[n] = in_host[h] = '\0';
  return n >= 3 && strstr(in_host, letters) != NULL;
}

/* Cuts the site's name off a title in place: "Headline | Site" or "Site - Headline" when Site
** names the site (names_site()); "Headline | Site" also when the site is not known, when at
** least 3 words stay and Site has at most 3 (a pipe seldom stands inside a headline); and for
** a <title> (`from_title_tag`), which sites end with their name, the part before the last
** separator of any kind, when that leaves at least 3 words. */
static void cut_site(char *title, const char *site, const char *url, int from_title_tag) {
  for (int i = 0; title_seps[i]; i++) {
    const char *sep = title_seps[i];
    size_t k = strlen(sep);
    char *first_sep = strstr(title, sep), *last = NULL;
    for (char *p = first_sep; p; p = strstr(p + 1, sep))
      last = p;
    if (!last) continue;
    size_t before = (size_t)(last - title);
    if (names_site(last + k, site, url) ||
        (i == 0 && word_count(title, before) >= 3 && word_count(last + k, strlen(last + k)) <= 3) ||
        (from_title_tag && word_count(title, before) >= 3)) {
      *last = '\0';
      return;
    }
    *first_sep = '\0';
    int site_first = names_site(title, site, url);
    *first_sep = sep[0];
    if (site_first) {
      memmove(title, first_sep + k, strlen(first_sep + k) + 1);
      return;
    }
  }
}

/* The title: the first source's, its site's name cut off. */
static char *pick_title(const page_meta *m, const char *url) {
  int rank = 0;
  while (rank < N_RANKS && !m->field[M_TITLE][rank])
    rank++;
  if (rank == N_RANKS) return NULL;
  const char *best = m->field[M_TITLE][rank];
  /* a JSON-LD headline that the page's <title> does not hold, where <title> begins with the
  ** JSON-LD name: the site wrote its summary as the headline (Wikipedia) */
  const char *tag = m->field[M_TITLE][5];
  if (rank == 0 && m->ld_name && tag && !strstr(tag, best) &&
      strncmp(tag, m->ld_name, strlen(m->ld_name)) == 0)
    best = m->ld_name;
  char *title = strdup(best);
  if (!title) return NULL;
  for (char *p = title; *p; p++)
    if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
  const char *site = first(m, M_SOURCE);
  cut_site(title, site, url, rank == 5);
  return title;
}

/* The first date that parses, best first; *warning when one was given and none parsed. */
static char *pick_date(page_meta *m, const char *url, const char **warning) {
  char date[NEWSIDX_DATE_MAX];
  int seen = 0;
  for (int r = 0; r < N_RANKS; r++) {
    if (r == 5) {
      if (url_date(url, date)) return strdup(date);
      continue;
    }
    const char *raw = m->field[M_DATE][r];
    if (!raw) continue;
    seen = 1;
    if (newsidx_date_normalize(raw, date, NULL) == NEWSIDX_OK || visible_date(raw, date))
      return strdup(date);
  }
  if (seen) *warning = "unrecognized date; indexed without a date";
  return NULL;
}

/* The page's URL made absolute (against <base>, then og:url), or NULL when it cannot be. */
static char *pick_url(const page_meta *m) {
  const char *bases[] = {m->base, m->field[M_URL][1]};
  for (int r = 0; r < N_RANKS; r++) {
    const char *u = m->field[M_URL][r];
    if (!u) continue;
    if (input_is_url(u)) return strdup(u);
    for (size_t b = 0; b < 2; b++) {
      if (!bases[b] || !input_is_url(bases[b])) continue;
      xmlChar *abs = xmlBuildURI((const xmlChar *)u, (const xmlChar *)bases[b]);
      char *url = abs && input_is_url((const char *)abs) ? strdup((const char *)abs) : NULL;
      xmlFree(abs);
      if (url) return url;
    }
  }
  return NULL;
}

/* A language tag as BCP 47 writes it: "en_US" becomes "en-US". */
static char *pick_lang(const page_meta *m) {
  const char *lang = first(m, M_LANG);
  char *copy = lang ? strndup(lang, 35) : NULL;
  for (char *p = copy; p && *p; p++)
    if (*p == '_') *p = '-';
  return copy;
}

static void meta_free(page_meta *m) {
  for (int f = 0; f < N_META; f++)
    for (int r = 0; r < N_RANKS; r++)
      free(m->field[f][r]);
  free(m->base);
  free(m->ld_name);
}

/* ---- encodings --------------------------------------------------------------------------- */

/* Parses n bytes in `encoding` (NULL: as the page declares). *too_deep is set when libxml2
** stopped at its depth limit (256 elements; never lifted with HTML_PARSE_HUGE), which drops
** the rest of the page. */
static xmlDocPtr parse(const char *bytes, size_t n, const char *encoding, int *too_deep) {
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt) return NULL;
  xmlDocPtr doc =
      htmlCtxtReadMemory(ctxt, bytes, (int)n, NULL, encoding,
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_NONET | HTML_PARSE_COMPACT);
  const xmlError *e = xmlCtxtGetLastError(ctxt);
  *too_deep = e && e->message && strstr(e->message, "Excessive depth");
  htmlFreeParserCtxt(ctxt);
  return doc;
}

/* The charset the page's <meta> declares, lowercased into buf ("" when none). */
static void declared_charset(xmlDocPtr doc, char *buf, size_t size) {
  buf[0] = '\0';
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  xmlNode *head = NULL;
  for (xmlNode *c = root ? root->children : NULL; c && !head; c = c->next)
    if (html_is(c, "head")) head = c;
  for (xmlNode *c = head ? head->children : NULL; c; c = c->next) {
    if (!html_is(c, "meta")) continue;
    const char *cs = html_attr(c, "charset");
    const char *content = html_attr(c, "content");
    if (!cs && content && strcasestr(content, "charset=")) cs = strcasestr(content, "charset=") + 8;
    if (!cs) continue;
    size_t k = 0;
    for (; cs[k] && cs[k] != ';' && cs[k] != ' ' && cs[k] != '"' && k + 1 < size; k++)
      buf[k] = (char)((cs[k] >= 'A' && cs[k] <= 'Z') ? cs[k] + 32 : cs[k]);
    buf[k] = '\0';
    return;
  }
}

static int charset_is(const char *cs, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (strcmp(cs, names[i]) == 0) return 1;
  return 0;
}

/* Parses the page in the encoding its bytes are in; a note on a wrong declaration in `warning`
** (size bytes; "" when none). NULL when libxml2 gave no document. */
static xmlDocPtr parse_page(const char *bytes, size_t n, char *warning, size_t size,
                            int *too_deep) {
  static const char *const utf8[] = {"utf-8", "utf8", "", NULL};
  static const char *const latin[] = {"iso-8859-1", "latin1",       "iso_8859-1", "us-ascii",
                                      "ascii",      "windows-1252", "cp1252",     NULL};
  char declared[40];
  warning[0] = '\0';
  if (n >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0)
    return parse(bytes + 3, n - 3, "UTF-8", too_deep);
  if (n >= 2 && (memcmp(bytes, "\xff\xfe", 2) == 0 || memcmp(bytes, "\xfe\xff", 2) == 0))
    return parse(bytes, n, NULL, too_deep); /* UTF-16: libxml2 reads its byte-order mark */
  if (newsidx_utf8_valid(bytes, n)) {
    xmlDocPtr doc = parse(bytes, n, "UTF-8", too_deep);
    declared_charset(doc, declared, sizeof declared);
    int high = 0;
    for (size_t i = 0; i < n && !high; i++)
      high = (unsigned char)bytes[i] >= 0x80;
    if (high && !charset_is(declared, utf8))
      snprintf(warning, size, "declared as %s, but is UTF-8; read as UTF-8", declared);
    return doc;
  }
  xmlDocPtr doc = parse(bytes, n, NULL, too_deep);
  declared_charset(doc, declared, sizeof declared);
  if (!charset_is(declared, utf8) && !charset_is(declared, latin)) return doc;
  if (declared[0] && charset_is(declared, utf8))
    snprintf(warning, size, "declared as %s, but is not UTF-8; read as Windows-1252", declared);
  xmlFreeDoc(doc);
  return parse(bytes, n, "windows-1252", too_deep);
}

/* ---- the page ---------------------------------------------------------------------------- */

/* Makes the owned string *field valid UTF-8: a field cut at its size limit may end inside a
** character. Returns 0 when out of memory. */
static int make_valid(const char **field) {
  char *s = (char *)*field;
  if (!s || newsidx_utf8_valid(s, strlen(s))) return 1;
  char *repaired = newsidx_utf8_repair(s, strlen(s), NULL);
  if (!repaired) return 0;
  free(s);
  *field = repaired;
  return 1;
}

static int fill_record(page_meta *m, xmlDocPtr doc, const char *name, feed_record *rec) {
  newsidx_article *a = &rec->article;
  char *url = pick_url(m);
  a->url = url;
  a->key = url ? strdup(url) : strdup(name);
  a->path = name;
  a->title = pick_title(m, url ? url : m->field[M_URL][1]);
  a->date = pick_date(m, url ? url : name, &rec->warning);
  a->author = first(m, M_AUTHOR) ? strdup(first(m, M_AUTHOR)) : NULL;
  a->source = first(m, M_SOURCE) ? strdup(first(m, M_SOURCE)) : NULL;
  a->lang = pick_lang(m);
  a->tags = first(m, M_TAGS) ? strdup(first(m, M_TAGS)) : NULL;
  a->body = html_extract_body(doc, a->title, HTML_BODY_MAX);
  if (!a->key || !a->body) return 0;
  const char **fields[] = {&a->title, &a->author, &a->source, &a->lang,
                           &a->tags,  &a->url,    &a->key,    &a->body};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (!make_valid(fields[i])) return 0;
  char *one_line[] = {(char *)a->title, (char *)a->author, (char *)a->source, (char *)a->lang,
                      (char *)a->tags,  (char *)a->url,    (char *)a->key};
  for (size_t i = 0; i < sizeof one_line / sizeof one_line[0]; i++) {
    if (!one_line[i]) continue;
    newsidx_text_clean(one_line[i]);
    for (char *p = one_line[i]; *p; p++)
      if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
  }
  newsidx_text_clean((char *)a->body);
  return 1;
}

newsidx_status_t html_parse(const char *bytes, size_t n, const char *name, feed_result *out,
                            newsidx_error *err) {
  *out = (feed_result){0};
  if (!(out->records = calloc(1, sizeof *out->records)))
    return newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory", name);
  char why[200] = "";
  if (n > HTML_PAGE_MAX) {
    n = HTML_PAGE_MAX;
    snprintf(why, sizeof why, "larger than %u MiB; only its start read", HTML_PAGE_MAX >> 20);
  }
  char enc_why[200];
  int too_deep = 0;
  xmlDocPtr doc = parse_page(bytes, n, enc_why, sizeof enc_why, &too_deep);
  if (!why[0] && enc_why[0]) snprintf(why, sizeof why, "%s", enc_why);
  if (!why[0] && too_deep)
    snprintf(why, sizeof why, "nested deeper than 256 elements; the rest of the page dropped");
  if (why[0]) snprintf(out->warning, sizeof out->warning, "%s: %s", name, why);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root) {
    xmlFreeDoc(doc);
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s: not an HTML page (no element)", name);
  }
  page_meta m = {0};
  read_page(&m, root);
  int ok = !m.failed && fill_record(&m, doc, name, &out->records[0]);
  out->n = 1;
  meta_free(&m);
  xmlFreeDoc(doc);
  return ok ? NEWSIDX_OK : newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory", name);
}

int html_sniff(const char *bytes, size_t n) {
  size_t i = 0;
  if (n >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0) i = 3;
  while (i < n && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t'))
    i++;
  static const char *const starts[] = {"<!doctype html", "<html", "<head", NULL};
  for (int k = 0; starts[k]; k++) {
    size_t len = strlen(starts[k]);
    if (n - i >= len && strncasecmp(bytes + i, starts[k], len) == 0) return 1;
  }
  return 0;
}
