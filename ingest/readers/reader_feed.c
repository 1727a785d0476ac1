/*
** reader_feed.c — RSS 2.0, RSS 1.0 (RDF), RSS 0.9x and Atom 1.0 (and 0.3) feeds, parsed with
** libxml2: each <item> or <entry> becomes an article record. A pure function from bytes to
** records: no database, no network.
**
** Safety: xmlReadMemory with XML_PARSE_NONET | XML_PARSE_RECOVER, never XML_PARSE_NOENT,
** XML_PARSE_DTDLOAD or XML_PARSE_HUGE: nothing is fetched, no external entity is read (libxml2
** parses an external entity's content only with NOENT or DTDVALID), libxml2's own limits on
** entity amplification, depth (256) and text size stay on, and the text of an entity defined
** in the document is read here with a budget of nodes and bytes, so an entity bomb that the
** parser let through costs at most FEED_FIELD_MAX bytes a field.
**
** The mapping (README, "Feeds"), the first present and usable source of each field winning:
**   key     the feed's name + "#" + guid / atom:id; else + link; else + "sha:" and a hash of
**           the item's title, link, date and body
**   title   title (HTML in it flattened to one line)
**   url     link; Atom link rel="alternate" (or no rel), text/html first; else a guid that is
**           a permalink URL; relative URLs resolved against xml:base
**   date    pubDate, atom:published, dc:date, atom:issued, dcterms:issued, dcterms:created,
**           atom:updated, atom:modified, dcterms:modified: the publication date wins over the
**           date of the last change
**   author  author, dc:creator, atom:author/name (several joined with ", ")
**   tags    category, atom:category@term, dc:subject (joined with ",")
**   lang    xml:lang of the item or its feed, else the channel's language / dc:language
**   source  the item's source (RSS <source>, atom:source/title), else the feed's title
**   body    content:encoded, atom:content, description, atom:summary, dc:description: as text,
**           HTML turned into paragraphs (html_text.c), entities decoded, CDATA read
** Encodings: libxml2 reads the declared encoding and a byte-order mark; bytes that are UTF-8
** though declared as ISO-8859-1, Windows-1252 or ASCII are read as UTF-8, and bytes that are
** not UTF-8 though declared (or taken by default) as UTF-8, or declared as ISO-8859-1 or ASCII,
** as Windows-1252 (which browsers also read for ISO-8859-1), each with a warning.
*/
#include "html_text.h"
#include "jsonl_fields.h" /* joined, jsonl_append() */
#include "reader.h"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

/* The most bytes of one field's text; more is dropped. */
#define FEED_FIELD_MAX (8u << 20)
/* The most nodes the text of one field visits (entities defined in the document included). */
#define FEED_FIELD_NODES 1000000
/* How deep entity references in entity definitions are followed. */
#define FEED_ENTITY_DEPTH 4

typedef enum feed_ns { NS_NONE, NS_ATOM, NS_DC, NS_DCTERMS, NS_CONTENT, NS_SY, NS_OTHER } feed_ns;

static const struct {
  const char *uri;
  feed_ns ns;
} namespaces[] = {
    {"http://purl.org/rss/1.0/", NS_NONE},
    {"http://my.netscape.com/rdf/simple/0.9/", NS_NONE},
    {"http://backend.userland.com/rss2", NS_NONE},
    {"http://backend.userland.com/rss", NS_NONE},
    {"http://www.w3.org/2005/Atom", NS_ATOM},
    {"http://purl.org/atom/ns#", NS_ATOM},
    {"http://purl.org/dc/elements/1.1/", NS_DC},
    {"http://purl.org/dc/terms/", NS_DCTERMS},
    {"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
    {"http://purl.org/rss/1.0/modules/syndication/", NS_SY},
};

typedef struct feed_ctx {
  int atom; /* an Atom feed: elements without a namespace are Atom's */
  const xmlDoc *doc;
} feed_ctx;

static feed_ns ns_of(const feed_ctx *ctx, const xmlNode *node) {
  if (!node->ns || !node->ns->href) return ctx->atom ? NS_ATOM : NS_NONE;
  for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
    if (strcmp((const char *)node->ns->href, namespaces[i].uri) == 0) return namespaces[i].ns;
  return NS_OTHER;
}

static int is(const feed_ctx *ctx, const xmlNode *node, feed_ns ns, const char *name) {
  return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0 &&
         ns_of(ctx, node) == ns;
}

/* ---- text of an element ------------------------------------------------------------------ */

typedef struct raw_text {
  html_text buf; /* used as a plain growing buffer: append_raw() */
  long nodes_left;
} raw_text;

static void append_raw(raw_text *out, const char *s, size_t n) {
  html_text *b = &out->buf;
  if (b->failed || b->truncated) return;
  if (b->n + n > FEED_FIELD_MAX) {
    b->truncated = 1;
    return;
  }
  if (b->n + n + 1 > b->cap) {
    size_t cap = 2 * (b->n + n + 1);
    char *grown = realloc(b->text, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->text = grown;
    b->cap = cap;
  }
  memcpy(b->text + b->n, s, n);
  b->n += n;
  b->text[b->n] = '\0';
}

/* Writes code point c as UTF-8 to out (4 bytes); returns the bytes written. */
static size_t utf8_put(unsigned c, char *out) {
  if (c < 0x80) return (size_t)(out[0] = (char)c, 1);
  if (c < 0x800) {
    out[0] = (char)(0xC0 | c >> 6);
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | c >> 12);
    out[1] = (char)(0x80 | (c >> 6 & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | c >> 18);
  out[1] = (char)(0x80 | (c >> 12 & 0x3F));
  out[2] = (char)(0x80 | (c >> 6 & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

static void collect(raw_text *out, const xmlNode *first, int entity_depth);

/* An entity reference: one defined in the document is read (within the budget); an undefined
** one, which feeds write when they mean HTML's (&nbsp; &eacute;), is HTML's when it names one.
** External entities are never read. */
static void collect_entity(raw_text *out, const xmlNode *ref, int entity_depth) {
  const xmlEntity *ent = (const xmlEntity *)ref->children;
  if (ent && ent->type == XML_ENTITY_DECL) {
    if (ent->etype != XML_INTERNAL_GENERAL_ENTITY || entity_depth >= FEED_ENTITY_DEPTH) return;
    if (ent->children)
      collect(out, ent->children, entity_depth + 1);
    else if (ent->content)
      append_raw(out, (const char *)ent->content, strlen((const char *)ent->content));
    return;
  }
  const htmlEntityDesc *html = ref->name ? htmlEntityLookup(ref->name) : NULL;
  if (html) {
    char utf8[4];
    append_raw(out, utf8, utf8_put(html->value, utf8));
  }
}

/* Appends the text of the nodes from `first` on and of their descendants. */
static void collect(raw_text *out, const xmlNode *first, int entity_depth) {
  for (const xmlNode *c = first; c && out->nodes_left > 0; c = c->next) {
    out->nodes_left--;
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) append_raw(out, (const char *)c->content, strlen((const char *)c->content));
    } else if (c->type == XML_ELEMENT_NODE) {
      collect(out, c->children, entity_depth); /* the parser keeps depth to 256 */
    } else if (c->type == XML_ENTITY_REF_NODE) {
      collect_entity(out, c, entity_depth);
    }
  }
}

/* The raw text inside `node` (entities decoded, CDATA read), trimmed; NULL when out of memory. */
static char *raw_text_of(const xmlNode *node) {
  raw_text out = {.nodes_left = FEED_FIELD_NODES};
  collect(&out, node->children, 0);
  char *text = html_text_take(&out.buf);
  if (!text) return NULL;
  size_t start = strspn(text, " \t\r\n"), n = strlen(text);
  while (n > start && strchr(" \t\r\n", text[n - 1]))
    n--;
  memmove(text, text + start, n - start);
  text[n - start] = '\0';
  return text;
}

typedef enum text_kind { TEXT_PLAIN, TEXT_HTML, TEXT_XHTML } text_kind;

/* How an element's content is written: Atom's type (and Atom 0.3's mode) say it, text when
** they do not; RSS's text may hold HTML, escaped, and is taken as HTML when it has a '<' or an
** '&' after decoding (as feedparser does). */
static text_kind kind_of(const feed_ctx *ctx, const xmlNode *node, const char *raw) {
  if (ns_of(ctx, node) == NS_ATOM) {
    xmlChar *type = xmlGetProp(node, (const xmlChar *)"type");
    xmlChar *mode = xmlGetProp(node, (const xmlChar *)"mode");
    text_kind kind = TEXT_PLAIN;
    if (type && (strcasecmp((char *)type, "xhtml") == 0 || strstr((char *)type, "xhtml")))
      kind = TEXT_XHTML;
    else if (type && strstr((char *)type, "html"))
      kind = TEXT_HTML;
    if (mode && strcasecmp((char *)mode, "escaped") == 0) kind = TEXT_HTML;
    xmlFree(type);
    xmlFree(mode);
    return kind;
  }
  return raw && strpbrk(raw, "<&") ? TEXT_HTML : TEXT_PLAIN;
}

/* Plain text into paragraphs: a blank line ends one. */
static void plain_paragraphs(html_text *out, const char *s) {
  while (*s) {
    size_t n = strcspn(s, "\n");
    const char *line = s;
    s += n + (s[n] == '\n');
    size_t blank = strspn(line, " \t\r");
    if (blank >= n && out->n > 0)
      html_text_break(out);
    else
      html_text_append(out, line, n);
  }
}

/* The text of `node` as the field wants it: one line (`one_line`) or paragraphs. NULL when out
** of memory; "" when empty. */
static char *text_of(const feed_ctx *ctx, const xmlNode *node, int one_line) {
  char *raw = raw_text_of(node);
  if (!raw) return NULL;
  text_kind kind = kind_of(ctx, node, raw);
  html_text out = {.max = FEED_FIELD_MAX, .one_line = one_line};
  if (kind == TEXT_HTML) {
    char *text = html_text_of_markup(raw, strlen(raw), FEED_FIELD_MAX);
    free(raw);
    if (!text || !one_line) return text;
    html_text_append(&out, text, strlen(text));
    free(text);
    return html_text_take(&out);
  }
  if (kind == TEXT_XHTML) {
    for (const xmlNode *c = node->children; c; c = c->next)
      html_text_append_tree(&out, c);
  } else if (one_line) {
    html_text_append(&out, raw, strlen(raw));
  } else {
    plain_paragraphs(&out, raw);
  }
  free(raw);
  return html_text_take(&out);
}

/* ---- one item ---------------------------------------------------------------------------- */

/* The sources of the date, best first (see the top). */
enum {
  D_PUBDATE,
  D_PUBLISHED,
  D_DC,
  D_ISSUED,
  D_DCT_ISSUED,
  D_DCT_CREATED,
  D_UPDATED,
  D_MODIFIED,
  D_DCT_MODIFIED,
  N_DATES
};

/* The sources of the body, best first. */
enum { B_ENCODED, B_CONTENT, B_DESCRIPTION, B_SUMMARY, B_DC_DESCRIPTION, N_BODIES };

typedef struct item_nodes {
  const xmlNode *title, *link, *atom_link, *guid, *id, *source;
  const xmlNode *date[N_DATES];
  const xmlNode *body[N_BODIES];
  int atom_link_rank; /* of atom_link: 2 alternate text/html, 1 alternate, 0 none yet */
} item_nodes;

static void keep_first(const xmlNode **slot, const xmlNode *node) {
  if (!*slot) *slot = node;
}

/* An Atom link's worth as the item's URL: alternate (or no rel) of type HTML 2, else
** alternate 1, anything else 0. */
static int link_rank(const xmlNode *link) {
  xmlChar *rel = xmlGetProp(link, (const xmlChar *)"rel");
  xmlChar *type = xmlGetProp(link, (const xmlChar *)"type");
  xmlChar *href = xmlGetProp(link, (const xmlChar *)"href");
  int rank = 0;
  if (href && (!rel || strcmp((char *)rel, "alternate") == 0))
    rank = !type || strstr((char *)type, "html") ? 2 : 1;
  xmlFree(rel);
  xmlFree(type);
  xmlFree(href);
  return rank;
}

/* Sorts the children of an item into the slots of `nodes`. */
static void find_nodes(const feed_ctx *ctx, const xmlNode *item, item_nodes *nodes) {
  static const struct {
    feed_ns ns;
    const char *name;
    int date, body;
  } slots[] = {
      {NS_NONE, "pubDate", D_PUBDATE, -1},
      {NS_ATOM, "published", D_PUBLISHED, -1},
      {NS_DC, "date", D_DC, -1},
      {NS_ATOM, "issued", D_ISSUED, -1},
      {NS_DCTERMS, "issued", D_DCT_ISSUED, -1},
      {NS_DCTERMS, "created", D_DCT_CREATED, -1},
      {NS_ATOM, "updated", D_UPDATED, -1},
      {NS_ATOM, "modified", D_MODIFIED, -1},
      {NS_DCTERMS, "modified", D_DCT_MODIFIED, -1},
      {NS_CONTENT, "encoded", -1, B_ENCODED},
      {NS_ATOM, "content", -1, B_CONTENT},
      {NS_NONE, "description", -1, B_DESCRIPTION},
      {NS_ATOM, "summary", -1, B_SUMMARY},
      {NS_DC, "description", -1, B_DC_DESCRIPTION},
  };
  for (const xmlNode *c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    feed_ns ns = ns_of(ctx, c);
    const char *name = (const char *)c->name;
    if ((ns == NS_NONE || ns == NS_ATOM || ns == NS_DC) && strcmp(name, "title") == 0)
      keep_first(&nodes->title, c);
    else if (ns == NS_NONE && strcmp(name, "link") == 0)
      keep_first(&nodes->link, c);
    else if (ns == NS_ATOM && strcmp(name, "link") == 0) {
      int rank = link_rank(c);
      if (rank > nodes->atom_link_rank) {
        nodes->atom_link = c;
        nodes->atom_link_rank = rank;
      }
    } else if (ns == NS_NONE && strcmp(name, "guid") == 0)
      keep_first(&nodes->guid, c);
    else if (ns == NS_ATOM && strcmp(name, "id") == 0)
      keep_first(&nodes->id, c);
    else if ((ns == NS_NONE || ns == NS_ATOM) && strcmp(name, "source") == 0)
      keep_first(&nodes->source, c);
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
      if (slots[i].ns == ns && strcmp(slots[i].name, name) == 0) {
        if (slots[i].date >= 0) keep_first(&nodes->date[slots[i].date], c);
        if (slots[i].body >= 0) keep_first(&nodes->body[slots[i].body], c);
      }
  }
}

/* `href` resolved against the xml:base in scope at `node` (a copy; NULL when out of memory). */
static char *resolve(const feed_ctx *ctx, const xmlNode *node, const char *href) {
  xmlChar *base = xmlNodeGetBase(ctx->doc, node);
  xmlChar *full = base ? xmlBuildURI((const xmlChar *)href, base) : NULL;
  char *out = strdup(full ? (const char *)full : href);
  xmlFree(base);
  xmlFree(full);
  return out;
}

/* The item's URL (NULL when it has none); *failed on out of memory. */
static char *item_url(const feed_ctx *ctx, const item_nodes *nodes, int *failed) {
  char *url = NULL;
  if (nodes->link) {
    char *raw = raw_text_of(nodes->link);
    if (!raw) return (*failed = 1, NULL);
    url = *raw ? resolve(ctx, nodes->link, raw) : NULL;
    free(raw);
  }
  if (!url && nodes->atom_link) {
    xmlChar *href = xmlGetProp(nodes->atom_link, (const xmlChar *)"href");
    if (href && *href) url = resolve(ctx, nodes->atom_link, (const char *)href);
    xmlFree(href);
  }
  if (!url && nodes->guid) {
    xmlChar *permalink = xmlGetProp(nodes->guid, (const xmlChar *)"isPermaLink");
    char *raw = raw_text_of(nodes->guid);
    if (raw && input_is_url(raw) && (!permalink || strcasecmp((char *)permalink, "false")))
      url = raw;
    else
      free(raw);
    xmlFree(permalink);
  }
  return url;
}

/* Joins the texts of the item's children that `want` picks, with `sep`. */
typedef char *(*pick_fn)(const feed_ctx *ctx, const xmlNode *node);

static char *join_children(const feed_ctx *ctx, const xmlNode *item, pick_fn pick, const char *sep,
                           int *failed) {
  joined acc = {0};
  for (const xmlNode *c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    char *s = pick(ctx, c);
    if (s && *s && !jsonl_append(&acc, s, sep)) *failed = 1;
    free(s);
  }
  return acc.text;
}

static char *pick_author(const feed_ctx *ctx, const xmlNode *c) {
  if (is(ctx, c, NS_NONE, "author") || is(ctx, c, NS_DC, "creator")) return text_of(ctx, c, 1);
  if (!is(ctx, c, NS_ATOM, "author")) return NULL;
  const xmlNode *email = NULL;
  for (const xmlNode *d = c->children; d; d = d->next) {
    if (is(ctx, d, NS_ATOM, "name")) return text_of(ctx, d, 1);
    if (is(ctx, d, NS_ATOM, "email")) email = d;
  }
  return email ? text_of(ctx, email, 1) : NULL;
}

static char *pick_tag(const feed_ctx *ctx, const xmlNode *c) {
  if (is(ctx, c, NS_ATOM, "category")) {
    xmlChar *term = xmlGetProp(c, (const xmlChar *)"term");
    if (!term) term = xmlGetProp(c, (const xmlChar *)"label");
    char *tag = term ? strdup((const char *)term) : NULL;
    xmlFree(term);
    if (tag) {
      for (char *p = tag; *p; p++)
        if (*p == ',') *p = ' '; /* the separator of tags */
    }
    return tag;
  }
  if (is(ctx, c, NS_NONE, "category") || is(ctx, c, NS_DC, "subject")) {
    char *tag = text_of(ctx, c, 1);
    if (tag) {
      for (char *p = tag; *p; p++)
        if (*p == ',') *p = ' ';
    }
    return tag;
  }
  return NULL;
}

/* What the items of a feed share. */
typedef struct feed_info {
  char *title, *lang;
  long ttl_min;   /* RSS <ttl>, minutes; 0 when none */
  long period_s;  /* sy:updatePeriod, seconds; 0 when none */
  long frequency; /* sy:updateFrequency: times per period; 0 when none (1) */
} feed_info;

/* The seconds of an sy:updatePeriod, 0 for anything else. */
static long period_seconds(const char *period) {
  static const struct {
    const char *name;
    long seconds;
  } periods[] = {{"hourly", 3600},
                 {"daily", 86400},
                 {"weekly", 7 * 86400},
                 {"monthly", 30 * 86400},
                 {"yearly", 365 * 86400}};
  for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
    if (strcasecmp(period, periods[i].name) == 0) return periods[i].seconds;
  return 0;
}

/* The whole number in an element's text, in [1, max]; 0 when it is not one. */
static long number_of(const xmlNode *node, long max) {
  char *text = raw_text_of(node);
  char *end = NULL;
  long n = text ? strtol(text, &end, 10) : 0;
  int whole = text && end != text && strspn(end, " \t\r\n") == strlen(end);
  free(text);
  return whole && n >= 1 && n <= max ? n : 0;
}

/* The first date that parses, best first; *warning when some were given and none parsed. */
static void item_date(const item_nodes *nodes, feed_record *rec, int *failed) {
  int seen = 0;
  for (int i = 0; i < N_DATES && !rec->article.date; i++) {
    if (!nodes->date[i]) continue;
    char *raw = raw_text_of(nodes->date[i]);
    if (!raw) {
      *failed = 1;
      return;
    }
    seen = 1;
    char date[NEWSIDX_DATE_MAX];
    if (newsidx_date_normalize(raw, date, NULL) == NEWSIDX_OK &&
        !(rec->article.date = strdup(date)))
      *failed = 1;
    free(raw);
  }
  if (seen && !rec->article.date) rec->warning = "unrecognized date; indexed without a date";
}

static char *item_source(const feed_ctx *ctx, const item_nodes *nodes, const feed_info *info) {
  if (nodes->source) {
    const xmlNode *title = NULL;
    for (const xmlNode *c = nodes->source->children; c && !title; c = c->next)
      if (is(ctx, c, NS_ATOM, "title")) title = c;
    char *s = text_of(ctx, title ? title : nodes->source, 1);
    if (!s || *s) return s;
    free(s);
  }
  return info->title && *info->title ? strdup(info->title) : NULL;
}

/* The item's key: name#guid, name#link, or name#sha:hash. */
static char *item_key(const feed_ctx *ctx, const char *name, const item_nodes *nodes,
                      const newsidx_article *a) {
  const xmlNode *id = nodes->guid ? nodes->guid : nodes->id;
  char *own = id ? raw_text_of(id) : NULL;
  char hash[40];
  const char *part = own && *own ? own : a->url;
  if (!part) {
    XXH3_state_t *state = XXH3_createState();
    if (!state) return (free(own), NULL);
    XXH3_64bits_reset(state);
    const char *fields[] = {a->title, a->url, a->date, a->body};
    for (int i = 0; i < 4; i++)
      XXH3_64bits_update(state, fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) + 1 : 1);
    snprintf(hash, sizeof hash, "sha:%016llx", (unsigned long long)XXH3_64bits_digest(state));
    XXH3_freeState(state);
    part = hash;
  }
  (void)ctx;
  size_t n = strlen(name) + 1 + strlen(part) + 1;
  char *key = malloc(n);
  if (key) snprintf(key, n, "%s#%s", name, part);
  free(own);
  return key;
}

/* Fills `rec` from the <item> or <entry> `item`. Returns 0 when out of memory. */
static int read_item(const feed_ctx *ctx, const char *name, const xmlNode *item,
                     const feed_info *info, feed_record *rec) {
  item_nodes nodes = {0};
  find_nodes(ctx, item, &nodes);
  newsidx_article *a = &rec->article;
  int failed = 0;
  a->path = name;
  a->file_size = a->file_mtime = -1;
  rec->line = xmlGetLineNo(item);
  if (nodes.title && !(a->title = text_of(ctx, nodes.title, 1))) failed = 1;
  for (int i = 0; i < N_BODIES && !failed && (!a->body || !*a->body); i++) {
    if (!nodes.body[i]) continue;
    free((char *)a->body);
    if (!(a->body = text_of(ctx, nodes.body[i], 0))) failed = 1;
  }
  if (!a->body && !failed && !(a->body = strdup(""))) failed = 1;
  if (!failed) a->url = item_url(ctx, &nodes, &failed);
  item_date(&nodes, rec, &failed);
  if (!failed) a->author = join_children(ctx, item, pick_author, ", ", &failed);
  if (!failed) a->tags = join_children(ctx, item, pick_tag, ",", &failed);
  xmlChar *lang = xmlNodeGetLang(item);
  a->lang = lang && *lang ? strdup((const char *)lang) : info->lang ? strdup(info->lang) : NULL;
  xmlFree(lang);
  if (!failed) a->source = item_source(ctx, &nodes, info);
  if (!failed && !(a->key = item_key(ctx, name, &nodes, a))) failed = 1;
  /* one-line fields, and clean UTF-8 everywhere (libxml2 gives UTF-8; control bytes go) */
  char *fields[] = {(char *)a->title, (char *)a->url,    (char *)a->author, (char *)a->tags,
                    (char *)a->lang,  (char *)a->source, (char *)a->key};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (fields[i]) {
      newsidx_text_clean(fields[i]);
      for (char *p = fields[i]; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    }
  if (a->body) newsidx_text_clean((char *)a->body);
  return !failed;
}

static void record_free(feed_record *rec) {
  newsidx_article *a = &rec->article;
  char *owned[] = {(char *)a->key,  (char *)a->title,  (char *)a->body,
                   (char *)a->url,  (char *)a->source, (char *)a->author,
                   (char *)a->tags, (char *)a->lang,   (char *)a->date};
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
    free(owned[i]);
}

/* ---- the document ------------------------------------------------------------------------ */

/* The first error libxml2 reported, and how many; the HTML entities the feed used. */
typedef struct parse_errors {
  int n;
  int line;
  char why[200];
  xmlDocPtr html_entities; /* a document that holds them, or NULL */
} parse_errors;

/* An entity the document does not declare, such as &nbsp; or &eacute;, which feeds write for
** HTML's: libxml2 asks its getEntity handler, which here answers with HTML's entity, declared
** in a document of its own (the feed's is not changed). Anything else stays undefined. */
static xmlEntityPtr get_entity(void *data, const xmlChar *name) {
  xmlParserCtxtPtr ctxt = data;
  parse_errors *errors = ctxt->_private;
  xmlEntityPtr ent = xmlSAX2GetEntity(data, name);
  if (ent || ctxt->inSubset) return ent;
  const htmlEntityDesc *html = htmlEntityLookup(name);
  if (!html) return NULL;
  if (!errors->html_entities) {
    errors->html_entities = xmlNewDoc((const xmlChar *)"1.0");
    if (!errors->html_entities ||
        !xmlCreateIntSubset(errors->html_entities, (const xmlChar *)"html", NULL, NULL))
      return NULL;
  }
  ent = xmlGetDocEntity(errors->html_entities, name);
  if (ent) return ent;
  char utf8[5] = {0};
  utf8_put(html->value, utf8);
  return xmlNewEntity(errors->html_entities, name, XML_INTERNAL_GENERAL_ENTITY, NULL, NULL,
                      (const xmlChar *)utf8);
}

static void on_error(void *data, xmlErrorPtr error) {
  xmlParserCtxtPtr ctxt = data;
  parse_errors *errors = ctxt ? ctxt->_private : NULL;
  if (!errors || !error || error->level < XML_ERR_ERROR) return;
  if (errors->n++ == 0) {
    errors->line = error->line;
    snprintf(errors->why, sizeof errors->why, "%s", error->message ? error->message : "error");
    size_t n = strlen(errors->why);
    while (n > 0 && (errors->why[n - 1] == '\n' || errors->why[n - 1] == ' '))
      errors->why[--n] = '\0';
  }
}

/* Parses the bytes; errors->html_entities must outlive the document (xmlFreeDoc() it after). */
static xmlDocPtr parse(const char *bytes, size_t n, const char *encoding, parse_errors *errors) {
  xmlDocPtr entities = errors->html_entities;
  *errors = (parse_errors){.html_entities = entities};
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return NULL;
  ctxt->_private = errors;
  ctxt->sax->serror = on_error;
  ctxt->sax->getEntity = get_entity;
  xmlDocPtr doc =
      xmlCtxtReadMemory(ctxt, bytes, n > 0x7fffffff ? 0x7fffffff : (int)n, NULL, encoding,
                        XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_BIG_LINES |
                            XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  xmlFreeParserCtxt(ctxt);
  return doc;
}

static int encoding_is(const char *declared, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (strcasecmp(declared, names[i]) == 0) return 1;
  return 0;
}

/* The encoding to read the bytes with instead of the declared one (NULL: the declared one),
** and a warning in *why. See the top. */
static const char *override_encoding(const char *declared, const char *bytes, size_t n,
                                     const char **why) {
  static const char *const single_byte[] = {"iso-8859-1",  "latin1", "iso_8859-1",   "l1",
                                            "us-ascii",    "ascii",  "windows-1252", "cp1252",
                                            "iso-8859-15", NULL};
  static const char *const latin1[] = {"iso-8859-1", "latin1", "iso_8859-1", "l1",
                                       "us-ascii",   "ascii",  NULL};
  *why = NULL;
  if (n >= 2 && ((bytes[0] == '\0') != (bytes[1] == '\0'))) return NULL; /* UTF-16 or 32 */
  if (n >= 2 && ((unsigned char)bytes[0] == 0xFE || (unsigned char)bytes[0] == 0xFF)) return NULL;
  int utf8 = newsidx_utf8_valid(bytes, n);
  int high = 0;
  for (size_t i = 0; i < n && !high; i++)
    high = (unsigned char)bytes[i] >= 0x80;
  if (!declared || strcasecmp(declared, "utf-8") == 0 || strcasecmp(declared, "utf8") == 0) {
    if (utf8) return NULL;
    *why = "not UTF-8; read as Windows-1252";
    return "windows-1252";
  }
  if (utf8 && high && encoding_is(declared, single_byte)) {
    *why = "declared as a single-byte encoding, but is UTF-8; read as UTF-8";
    return "UTF-8";
  }
  if (!utf8 && encoding_is(declared, latin1)) return "windows-1252"; /* a superset, quietly */
  return NULL;
}

typedef enum feed_format { FORMAT_NONE, FORMAT_RSS, FORMAT_RDF, FORMAT_ATOM } feed_format;

static feed_format format_of(const xmlNode *root) {
  if (!root || root->type != XML_ELEMENT_NODE) return FORMAT_NONE;
  const char *name = (const char *)root->name;
  if (strcmp(name, "rss") == 0 || strcmp(name, "channel") == 0) return FORMAT_RSS;
  if (strcmp(name, "RDF") == 0) return FORMAT_RDF;
  if (strcmp(name, "feed") == 0) return FORMAT_ATOM;
  return FORMAT_NONE;
}

/* The feed's title and language, from the channel (RSS) or the feed (Atom). */
static int read_info(const feed_ctx *ctx, const xmlNode *channel, feed_info *info) {
  for (const xmlNode *c = channel ? channel->children : NULL; c; c = c->next) {
    if (!info->title && (is(ctx, c, NS_NONE, "title") || is(ctx, c, NS_ATOM, "title") ||
                         is(ctx, c, NS_DC, "title"))) {
      if (!(info->title = text_of(ctx, c, 1))) return 0;
    } else if (is(ctx, c, NS_NONE, "ttl")) {
      info->ttl_min = number_of(c, 366L * 24 * 60);
    } else if (is(ctx, c, NS_SY, "updatePeriod")) {
      char *period = raw_text_of(c);
      if (period) info->period_s = period_seconds(period);
      free(period);
    } else if (is(ctx, c, NS_SY, "updateFrequency")) {
      info->frequency = number_of(c, 1000000);
    } else if (!info->lang && (is(ctx, c, NS_NONE, "language") || is(ctx, c, NS_DC, "language"))) {
      if (!(info->lang = raw_text_of(c))) return 0;
      if (!*info->lang) {
        free(info->lang);
        info->lang = NULL;
      }
    }
  }
  return 1;
}

static int add_record(feed_result *out, size_t *cap) {
  if (out->n < *cap) return 1;
  size_t grown_cap = *cap ? 2 * *cap : 16;
  feed_record *grown = realloc(out->records, grown_cap * sizeof *grown);
  if (!grown) return 0;
  out->records = grown;
  *cap = grown_cap;
  return 1;
}

/* Reads every item under `parent` (the channel, or the root of RSS 1.0 and Atom). */
static int read_items(const feed_ctx *ctx, const char *name, const xmlNode *parent,
                      const char *item_name, const feed_info *info, feed_result *out, size_t *cap) {
  for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, item_name) != 0) continue;
    if (!add_record(out, cap)) return 0;
    feed_record *rec = &out->records[out->n];
    memset(rec, 0, sizeof *rec);
    if (!read_item(ctx, name, c, info, rec)) {
      record_free(rec);
      return 0;
    }
    out->n++;
  }
  return 1;
}

static const xmlNode *child_named(const xmlNode *parent, const char *name) {
  for (const xmlNode *c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
  return NULL;
}

int feed_sniff(const char *bytes, size_t n) {
  /* The first element: past a byte-order mark, the XML declaration, comments, a DOCTYPE and
  ** processing instructions; only its name is looked at. */
  size_t i = n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n) {
    const char *lt = memchr(bytes + i, '<', n - i);
    if (!lt) return 0;
    i = (size_t)(lt - bytes) + 1;
    if (i < n && (bytes[i] == '?' || bytes[i] == '!')) continue;
    static const char *const roots[] = {"rss", "feed", "rdf:RDF", "RDF", NULL};
    for (int r = 0; roots[r]; r++) {
      size_t k = strlen(roots[r]);
      if (i + k < n && memcmp(bytes + i, roots[r], k) == 0 && strchr(" \t\r\n>/", bytes[i + k]))
        return 1;
    }
    return 0;
  }
  return 0;
}

void feed_result_free(feed_result *out) {
  for (size_t i = 0; i < out->n; i++)
    record_free(&out->records[i]);
  free(out->records);
  free(out->title);
  *out = (feed_result){0};
}

newsidx_status_t feed_parse(const char *bytes, size_t n, const char *name, feed_result *out,
                            newsidx_error *err) {
  *out = (feed_result){0};
  xmlInitParser();
  parse_errors errors = {0};
  xmlDocPtr doc = parse(bytes, n, NULL, &errors);
  const char *why_encoding = NULL;
  const char *encoding =
      override_encoding(doc ? (const char *)doc->encoding : NULL, bytes, n, &why_encoding);
  if (encoding) {
    xmlFreeDoc(doc);
    doc = parse(bytes, n, encoding, &errors);
  }
  const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  feed_format format = format_of(root);
  if (format == FORMAT_NONE) {
    newsidx_status_t status =
        errors.n ? newsidx_error_set(err, NEWSIDX_INPUT, "%s: line %d: %s", name, errors.line,
                                     errors.why)
        : root   ? newsidx_error_set(err, NEWSIDX_INPUT, "%s: not a feed (root element <%s>)", name,
                                     (const char *)root->name)
                 : newsidx_error_set(err, NEWSIDX_INPUT, "%s: not a feed (no root element)", name);
    xmlFreeDoc(doc);
    xmlFreeDoc(errors.html_entities);
    return status;
  }
  if (errors.n)
    snprintf(out->warning, sizeof out->warning, "%s: line %d: %s; recovered (%d errors)", name,
             errors.line, errors.why, errors.n);
  else if (why_encoding)
    snprintf(out->warning, sizeof out->warning, "%s: %s", name, why_encoding);
  feed_ctx ctx = {format == FORMAT_ATOM, doc};
  const xmlNode *channel = format == FORMAT_RSS && strcmp((const char *)root->name, "rss") == 0
                               ? child_named(root, "channel")
                           : format == FORMAT_RDF ? child_named(root, "channel")
                                                  : root;
  feed_info info = {0};
  size_t cap = 0;
  int ok = read_info(&ctx, channel, &info);
  const char *item_name = format == FORMAT_ATOM ? "entry" : "item";
  if (ok) ok = read_items(&ctx, name, channel, item_name, &info, out, &cap);
  if (ok && channel != root) ok = read_items(&ctx, name, root, item_name, &info, out, &cap);
  out->title = info.title;
  /* how often the feed says it changes: sy:updatePeriod / sy:updateFrequency, else <ttl> */
  out->update_s =
      info.period_s ? info.period_s / (info.frequency ? info.frequency : 1) : info.ttl_min * 60;
  free(info.lang);
  xmlFreeDoc(doc);
  xmlFreeDoc(errors.html_entities);
  if (!ok) {
    feed_result_free(out);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "%s: out of memory", name);
  }
  return NEWSIDX_OK;
}
