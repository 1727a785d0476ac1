/*
** html_text.c — the text of HTML as paragraphs. See html_text.h.
*/
#include "html_text.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Elements that end a paragraph before and after them. */
static const char *const block_names[] = {
    "address", "article", "aside", "blockquote", "caption",  "center",     "dd",     "details",
    "dialog",  "div",     "dl",    "dt",         "fieldset", "figcaption", "figure", "footer",
    "form",    "h1",      "h2",    "h3",         "h4",       "h5",         "h6",     "header",
    "hr",      "li",      "main",  "nav",        "ol",       "p",          "pre",    "section",
    "summary", "table",   "tbody", "td",         "th",       "thead",      "tfoot",  "tr",
    "ul",      "body",    "html",  NULL};

/* Elements whose content is not text a reader reads. */
static const char *const skipped_names[] = {"script", "style",  "noscript", "template", "head",
                                            "iframe", "object", "svg",      "select",   "button",
                                            "math",   "canvas", NULL};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* The first letters compared before the names: this runs for every element of a page. */
int html_name_in(const xmlNode *node, const char *const *names) {
  const char *name = (const char *)node->name;
  if (!name) return 0;
  int c = lower((unsigned char)name[0]);
  for (int i = 0; names[i]; i++)
    if (names[i][0] == c && strcasecmp(name, names[i]) == 0) return 1;
  return 0;
}

#define name_in html_name_in

/* Makes room for n more bytes and the NUL; 0 when out of memory or past out->max. */
static int reserve(html_text *out, size_t n) {
  if (out->failed) return 0;
  if (out->max && out->n + n > out->max) {
    out->truncated = 1;
    return 0;
  }
  if (out->n + n + 1 <= out->cap) return 1;
  size_t cap = 2 * (out->n + n + 1);
  if (cap < 256) cap = 256;
  char *grown = realloc(out->text, cap);
  if (!grown) {
    out->failed = 1;
    return 0;
  }
  out->text = grown;
  out->cap = cap;
  return 1;
}

static void put(html_text *out, const char *s, size_t n) {
  if (!reserve(out, n)) return;
  memcpy(out->text + out->n, s, n);
  out->n += n;
  out->text[out->n] = '\0';
}

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* U+00A0 (no-break space, "\xC2\xA0") is white space between words too: &nbsp; is how HTML
** writes indentation and empty paragraphs. */
static size_t space_at(const char *s, size_t i, size_t n) {
  if (is_space((unsigned char)s[i])) return 1;
  if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) return 2;
  return 0;
}

void html_text_append(html_text *out, const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t w = space_at(s, i, n);
    if (w) {
      if (out->pending < 1) out->pending = 1;
      i += w;
      continue;
    }
    size_t start = i;
    while (i < n && !space_at(s, i, n))
      i++;
    if (out->n > 0 && out->pending) {
      if (out->one_line) out->pending = 1;
      static const char *const seps[] = {"", " ", "\n", "\n\n"};
      put(out, seps[out->pending], strlen(seps[out->pending]));
    }
    out->pending = 0;
    put(out, s + start, i - start);
  }
}

void html_text_break(html_text *out) { out->pending = 3; }

static void line_break(html_text *out) {
  if (out->pending < 2) out->pending = 2;
}

/* What entering (or leaving) an element does to the text. */
static void element_edge(html_text *out, const xmlNode *node) {
  if (strcasecmp((const char *)node->name, "br") == 0)
    line_break(out);
  else if (name_in(node, block_names))
    html_text_break(out);
}

void html_text_append_tree(html_text *out, const xmlNode *root) {
  html_text_append_tree_if(out, root, NULL, NULL);
}

void html_text_append_tree_if(html_text *out, const xmlNode *root, html_text_keep_fn keep,
                              void *arg) {
  const xmlNode *node = root;
  while (node && !out->failed && !out->truncated) {
    int descend = 0;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content)
        html_text_append(out, (const char *)node->content, strlen((const char *)node->content));
    } else if (node->type == XML_ELEMENT_NODE && node->name && !name_in(node, skipped_names) &&
               (!keep || keep(node, arg))) {
      element_edge(out, node);
      descend = node->children != NULL;
    } else if (node->type == XML_ENTITY_REF_NODE && node->children &&
               node->children->type == XML_ENTITY_DECL) {
      /* an entity of an XHTML tree: its text as declared (never an external one's) */
      const xmlEntity *ent = (const xmlEntity *)node->children;
      if (ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content)
        html_text_append(out, (const char *)ent->content, strlen((const char *)ent->content));
    } else if (node->type == XML_DOCUMENT_NODE || node->type == XML_HTML_DOCUMENT_NODE) {
      descend = node->children != NULL;
    }
    if (descend) {
      node = node->children;
      continue;
    }
    /* Leave the elements that end here, then go on with the next sibling. */
    while (node && node != root && !node->next) {
      node = node->parent;
      if (node && node->type == XML_ELEMENT_NODE) element_edge(out, node);
    }
    if (!node || node == root) break;
    node = node->next;
  }
}

xmlNode *html_next(xmlNode *node, const xmlNode *root, int descend) {
  if (descend && node->children) return node->children;
  while (node && node != root && !node->next)
    node = node->parent;
  return !node || node == root ? NULL : node->next;
}

int html_is(const xmlNode *node, const char *name) {
  return node->type == XML_ELEMENT_NODE && node->name &&
         lower(node->name[0]) == (unsigned char)name[0] &&
         strcasecmp((const char *)node->name, name) == 0;
}

const char *html_attr(const xmlNode *node, const char *name) {
  for (const xmlAttr *a = node->properties; a; a = a->next)
    if (strcasecmp((const char *)a->name, name) == 0)
      return a->children && a->children->content ? (const char *)a->children->content : "";
  return NULL;
}

char *html_text_take(html_text *out) {
  if (out->failed) {
    free(out->text);
    return NULL;
  }
  char *text = out->text ? out->text : strdup("");
  *out = (html_text){0};
  return text;
}

char *html_text_of_markup(const char *html, size_t n, size_t max) {
  if (n > (size_t)0x7fffffff) n = 0x7fffffff;
  htmlDocPtr doc = htmlReadMemory(html, (int)n, NULL, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                      HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
  html_text out = {.max = max};
  if (doc) {
    for (const xmlNode *child = doc->children; child; child = child->next)
      html_text_append_tree(&out, child);
    xmlFreeDoc(doc);
  }
  return html_text_take(&out);
}
