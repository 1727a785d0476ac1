/*
** subscriptions.c — reading a subscription list: OPML, or a plain list of URLs. See ingest.h.
**
** OPML is read with libxml2, without the network and without expanding external entities
** (XML_PARSE_NONET, no XML_PARSE_NOENT or XML_PARSE_DTDLOAD), as feeds are.
*/
#include "ingest.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The biggest subscription file read: an OPML of 10,000 feeds is about 2 MB. */
#define SUBSCRIPTIONS_MAX_BYTES (64 << 20)

/* Appends a URL (the strings copied; NULL ones stay NULL). Returns 0 when out of memory. */
static int add_url(ingest_subscriptions *subs, const char *url, const char *source,
                   const char *tags) {
  ingest_url *urls = realloc(subs->urls, (size_t)(subs->n + 1) * sizeof *urls);
  if (!urls) return 0;
  subs->urls = urls;
  ingest_url u = {strdup(url), source && *source ? strdup(source) : NULL,
                  tags && *tags ? strdup(tags) : NULL};
  if (!u.url || (source && *source && !u.source) || (tags && *tags && !u.tags)) {
    free((char *)u.url);
    free((char *)u.source);
    free((char *)u.tags);
    return 0;
  }
  subs->urls[subs->n++] = u;
  return 1;
}

void ingest_subscriptions_free(ingest_subscriptions *subs) {
  for (int i = 0; i < subs->n; i++) {
    free((char *)subs->urls[i].url);
    free((char *)subs->urls[i].source);
    free((char *)subs->urls[i].tags);
  }
  free(subs->urls);
  *subs = (ingest_subscriptions){0};
}

/* Appends `tag` to the comma-separated `tags` (size bytes), without a leading '/' (OPML's
** categories are paths: "/News/World") and only when there is room. */
static void append_tag(char *tags, size_t size, const char *tag, size_t n) {
  while (n > 0 && (*tag == '/' || *tag == ' '))
    tag++, n--;
  while (n > 0 && (tag[n - 1] == ' ' || tag[n - 1] == '/'))
    n--;
  size_t used = strlen(tags);
  if (n == 0 || used + n + 2 > size) return;
  snprintf(tags + used, size - used, "%s%.*s", used ? "," : "", (int)n, tag);
}

/* Appends each of OPML's comma-separated categories. */
static void append_categories(char *tags, size_t size, const char *categories) {
  while (categories && *categories) {
    const char *comma = strchr(categories, ',');
    size_t n = comma ? (size_t)(comma - categories) : strlen(categories);
    append_tag(tags, size, categories, n);
    categories = comma ? comma + 1 : NULL;
  }
}

/* The outlines under `node`: those with an xmlUrl are feeds, the others folders whose titles
** (in `parents`, comma-separated) become their feeds' tags. Returns 0 when out of memory. */
static int walk_outlines(xmlNode *node, const char *parents, ingest_subscriptions *subs) {
  for (xmlNode *n = node; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || strcasecmp((const char *)n->name, "outline") != 0) {
      if (n->type == XML_ELEMENT_NODE && !walk_outlines(n->children, parents, subs)) return 0;
      continue;
    }
    xmlChar *url = xmlGetProp(n, BAD_CAST "xmlUrl");
    xmlChar *title = xmlGetProp(n, BAD_CAST "title");
    if (!title) title = xmlGetProp(n, BAD_CAST "text");
    xmlChar *category = xmlGetProp(n, BAD_CAST "category");
    char tags[1024];
    snprintf(tags, sizeof tags, "%s", parents);
    append_categories(tags, sizeof tags, (const char *)category);
    int ok = 1;
    if (url && *url) {
      ok = add_url(subs, (const char *)url, (const char *)title, tags);
    } else {
      if (title) append_tag(tags, sizeof tags, (const char *)title, strlen((char *)title));
      ok = walk_outlines(n->children, tags, subs);
    }
    xmlFree(url);
    xmlFree(title);
    xmlFree(category);
    if (!ok) return 0;
  }
  return 1;
}

/* Reads the OPML document; *is_opml is 0 when the bytes are not one (a plain list). */
static newsidx_status_t read_opml(const char *path, const char *bytes, size_t n, int *is_opml,
                                  ingest_subscriptions *subs, newsidx_error *err) {
  *is_opml = 0;
  const char *start = bytes;
  while (start < bytes + n && (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n'))
    start++;
  if (start == bytes + n || *start != '<') return NEWSIDX_OK; /* a list of URLs */
  xmlDoc *doc = xmlReadMemory(bytes, (int)n, path, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  newsidx_status_t status = NEWSIDX_OK;
  if (!root || strcasecmp((const char *)root->name, "opml") != 0) {
    const xmlError *e = xmlGetLastError();
    status = newsidx_error_set(err, NEWSIDX_INPUT, "%s: not an OPML file%s%s", path,
                               root ? "" : ": ", root ? "" : (e && e->message ? e->message : "?"));
  } else {
    *is_opml = 1;
    if (!walk_outlines(root->children, "", subs))
      status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  xmlFreeDoc(doc);
  return status;
}

/* Reads one URL a line; blank lines and those starting with '#' are skipped. */
static newsidx_status_t read_list(const char *path, char *bytes, ingest_subscriptions *subs,
                                  newsidx_error *err) {
  long line = 0;
  for (char *s = bytes, *next; s; s = next) {
    line++;
    next = strchr(s, '\n');
    if (next) *next++ = '\0';
    while (*s == ' ' || *s == '\t')
      s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
      s[--n] = '\0';
    if (n == 0 || *s == '#') continue;
    if (!ingest_is_url(s))
      return newsidx_error_set(err, NEWSIDX_INPUT, "%s:%ld: not an http or https URL: %.200s", path,
                               line, s);
    if (!add_url(subs, s, NULL, NULL))
      return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  return NEWSIDX_OK;
}

newsidx_status_t ingest_read_subscriptions(const char *path, ingest_subscriptions *out,
                                           newsidx_error *err) {
  *out = (ingest_subscriptions){0};
  FILE *in = fopen(path, "rb");
  if (!in) return newsidx_error_set(err, NEWSIDX_IO, "%s: %s", path, strerror(errno));
  char *bytes = malloc(SUBSCRIPTIONS_MAX_BYTES + 1);
  size_t n = bytes ? fread(bytes, 1, SUBSCRIPTIONS_MAX_BYTES + 1, in) : 0;
  int failed = ferror(in);
  fclose(in);
  newsidx_status_t status = NEWSIDX_OK;
  if (!bytes)
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  else if (failed)
    status = newsidx_error_set(err, NEWSIDX_IO, "%s: read error", path);
  else if (n > SUBSCRIPTIONS_MAX_BYTES)
    status = newsidx_error_set(err, NEWSIDX_INPUT, "%s: larger than %d MB", path,
                               SUBSCRIPTIONS_MAX_BYTES >> 20);
  int is_opml = 0;
  if (status == NEWSIDX_OK) {
    bytes[n] = '\0';
    status = read_opml(path, bytes, n, &is_opml, out, err);
  }
  if (status == NEWSIDX_OK && !is_opml) status = read_list(path, bytes, out, err);
  free(bytes);
  return status;
}
