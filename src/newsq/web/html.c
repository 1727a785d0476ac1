/*
** html.c — everything that puts text into a page: the one escaping function (web_html_n),
** URL values, the check that a link is http or https, highlighted snippets and the templates.
** See web.h.
*/
#include "web.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Escapes valid UTF-8: the five characters HTML gives a meaning to, and control characters
** (C0 but tab and line ends, DEL, C1), which have no business in a page. */
static void escape_valid(FILE *out, const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    switch (c) {
    case '&': fputs("&amp;", out); continue;
    case '<': fputs("&lt;", out); continue;
    case '>': fputs("&gt;", out); continue;
    case '"': fputs("&quot;", out); continue;
    case '\'': fputs("&#39;", out); continue;
    case '\t':
    case '\n':
    case '\r': putc(c, out); continue;
    default: break;
    }
    if (c < 0x20 || c == 0x7F || (c == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] < 0xA0)) {
      fputs(REPLACEMENT, out);
      if (c == 0xC2) i++;
      continue;
    }
    putc(c, out);
  }
}

void web_html_n(FILE *out, const char *s, size_t n) {
  if (!s) return;
  if (newsidx_utf8_valid(s, n)) {
    escape_valid(out, (const unsigned char *)s, n);
    return;
  }
  size_t n_fixed = 0;
  char *fixed = newsidx_utf8_repair(s, n, &n_fixed); /* bad bytes as U+FFFD */
  if (fixed) escape_valid(out, (const unsigned char *)fixed, n_fixed);
  free(fixed);
}

void web_html(FILE *out, const char *s) {
  if (s) web_html_n(out, s, strlen(s));
}

void web_url_value(FILE *out, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p))
      putc(*p, out);
    else
      fprintf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
  }
}

int web_is_http_url(const char *url) {
  if (!url) return 0;
  size_t scheme = strncasecmp(url, "http://", 7) == 0    ? 7
                  : strncasecmp(url, "https://", 8) == 0 ? 8
                                                         : 0;
  if (!scheme || !url[scheme]) return 0;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++)
    if (*p <= 0x20 || *p == 0x7F) return 0;
  return 1;
}

/* Byte offset of code point `index` in text (its end when shorter). */
static size_t byte_at(const char *text, size_t n, long index) {
  size_t i = 0;
  for (long k = 0; i < n; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80 && k++ == index) break;
  return i;
}

void web_html_marked(FILE *out, const char *text, json_t *matches) {
  if (!text) return;
  size_t n = strlen(text), done = 0;
  size_t i;
  json_t *m;
  json_array_foreach(matches, i, m) {
    size_t start = byte_at(text, n, (long)json_integer_value(json_array_get(m, 0)));
    size_t end = byte_at(text, n, (long)json_integer_value(json_array_get(m, 1)));
    if (start < done || end < start) continue; /* out of order: shown unmarked */
    web_html_n(out, text + done, start - done);
    fputs("<mark>", out);
    web_html_n(out, text + start, end - start);
    fputs("</mark>", out);
    done = end;
  }
  web_html_n(out, text + done, n - done);
}

void web_template(FILE *out, const char *tpl, const char *const *names, const char *const *values,
                  int n) {
  const char *p = tpl;
  for (const char *open; (open = strstr(p, "{{"));) {
    const char *close = strstr(open + 2, "}}");
    if (!close) break;
    fwrite(p, 1, (size_t)(open - p), out);
    size_t len = (size_t)(close - open - 2);
    for (int k = 0; k < n; k++)
      if (strlen(names[k]) == len && memcmp(names[k], open + 2, len) == 0) fputs(values[k], out);
    p = close + 2;
  }
  fputs(p, out);
}

void web_page(web_request *r, const char *title, const char *active, const char *content) {
  static const char *const pages[] = {"search", "timeline", "monitor"};
  char *escaped = NULL, *nav = NULL;
  size_t n_escaped = 0, n_nav = 0;
  FILE *t = open_memstream(&escaped, &n_escaped);
  FILE *v = open_memstream(&nav, &n_nav);
  if (t) web_html(t, title);
  for (size_t i = 0; v && i < sizeof pages / sizeof pages[0]; i++)
    fprintf(v, "<a href=\"/%s\"%s>%s</a> ", strcmp(pages[i], "search") == 0 ? "" : pages[i],
            strcmp(pages[i], active) == 0 ? " class=\"active\"" : "", pages[i]);
  if (t) fclose(t);
  if (v) fclose(v);
  const char *names[] = {"title", "nav", "content"};
  const char *values[] = {escaped ? escaped : "", nav ? nav : "", content ? content : ""};
  web_template(r->body, web_tpl_layout_html, names, values, 3);
  free(escaped);
  free(nav);
}
