/*
** html_text.h — the text of HTML as paragraphs (internal to the ingest library), for the HTML
** inside feed items and for article pages (html_extract.c).
**
** libxml2 parses; this file only walks the tree it builds. Block elements (p, div, li, h1-h6,
** blockquote, pre, tr, ...) end a paragraph: paragraphs are separated by one blank line ("\n\n"),
** <br> is a line break ("\n"), and white space inside a paragraph becomes one space. What a
** reader does not read is left out: script, style, noscript, template, head, iframe, object,
** svg, select, button. Entities are decoded by the parser. The result is UTF-8 without leading
** or trailing white space.
*/
#ifndef NEWSIDX_HTML_TEXT_H
#define NEWSIDX_HTML_TEXT_H

#include <libxml/tree.h>
#include <stddef.h>

/* A growing text: n bytes used of cap, NUL-terminated once non-empty; at most `max` bytes are
** kept (the rest is dropped, `truncated` set). `failed` is set when out of memory. */
typedef struct html_text {
  char *text;
  size_t n, cap, max;
  int pending;  /* before the next text: 0 nothing, 1 a space, 2 a line break, 3 a paragraph */
  int one_line; /* every break is one space: for a title */
  int truncated, failed;
} html_text;

/* Appends the text of the tree under `node` (itself included; an HTML or an XHTML tree: names
** are compared without case or namespace) to `out`. Iterative: any depth. */
void html_text_append_tree(html_text *out, const xmlNode *node);

/* Says whether an element (and what is under it) is read: non-zero to read it. */
typedef int (*html_text_keep_fn)(const xmlNode *element, void *arg);

/* As html_text_append_tree(), leaving out the elements for which `keep` returns 0 (with what
** they hold); `keep` NULL keeps all. */
void html_text_append_tree_if(html_text *out, const xmlNode *node, html_text_keep_fn keep,
                              void *arg);

/* Appends `s` (n bytes of UTF-8), collapsing its white space as inside a paragraph. */
void html_text_append(html_text *out, const char *s, size_t n);

/* Marks a paragraph break before the next text appended. */
void html_text_break(html_text *out);

/* The text of the HTML fragment or page `html` (n bytes of UTF-8), parsed with htmlReadMemory
** (recovering, no errors printed, nothing fetched), at most `max` bytes: a malloc()ed string
** ("" when it has no text), or NULL when out of memory. */
char *html_text_of_markup(const char *html, size_t n, size_t max);

/* The node after `node` in document order inside the tree under `root`: its first child when
** `descend` is set and it has children, else its next sibling or that of its nearest ancestor
** below `root`; NULL at the end of the tree. For walks without recursion, at any depth. */
xmlNode *html_next(xmlNode *node, const xmlNode *root, int descend);

/* Non-zero when `node` is the element `name` (lowercase; compared without case). */
int html_is(const xmlNode *node, const char *name);

/* Non-zero when the element's name is one of `names` (lowercase, NULL-terminated). */
int html_name_in(const xmlNode *node, const char *const *names);

/* The value of the attribute `name` (compared without case) of an element: "" when it has no
** value, NULL when it has no such attribute. */
const char *html_attr(const xmlNode *node, const char *name);

/* Takes the text out of `out` (free() it): "" when empty, NULL when out of memory. */
char *html_text_take(html_text *out);

#endif
