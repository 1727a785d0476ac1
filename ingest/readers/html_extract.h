/*
** html_extract.h — the main text of an article page (internal to the ingest library).
**
** The page's blocks are scored (html_extract.c: text length, commas, link density, class and
** id names, <article>/<main>) and the best block, with those of its siblings that
** score near it, is the article; inside it, what is not the article's text (share widgets,
** related-story lists, forms, link lists) is left out again by the same measures. The kept
** text is paragraphs: headings, list items, block quotes and table cells each end one.
*/
#ifndef NEWSIDX_HTML_EXTRACT_H
#define NEWSIDX_HTML_EXTRACT_H

#include <libxml/tree.h>
#include <stddef.h>

/* The main text of the HTML page `doc` as paragraphs separated by "\n\n", at most `max` bytes:
** a malloc()ed string, "" when the page has no text, NULL when out of memory. `title` (may be
** NULL) is the article's title: a heading at the top of the text that repeats it is left out,
** since the record holds the title already. Uses the nodes' _private field while it runs. */
char *html_extract_body(xmlDoc *doc, const char *title, size_t max);

#endif
