/*
** document.c — a document that came with a content type (a fetched URL) read by the readers
** that read files: feeds, JSON Lines, text and HTML pages.
** A pure function from bytes to records: no database, no network. See reader.h.
*/
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Non-zero when the media type of `content_type` ("text/html; charset=utf-8") is `type`. */
static int media_type_is(const char *content_type, const char *type) {
  size_t n = strlen(type);
  return content_type && strncasecmp(content_type, type, n) == 0 &&
         (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

static int name_ends_with(const char *name, const char *end) {
  size_t n = strlen(name), m = strlen(end);
  return n >= m && strcasecmp(name + n - m, end) == 0;
}

/* Non-zero when the first tag of the bytes (after a BOM and blanks) opens an HTML
** document: what a page served as text/plain or without a type starts with. */
static int looks_like_html(const char *bytes, size_t n) {
  size_t i = 0;
  if (n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < n && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
    i++;
  return (n - i >= 14 && strncasecmp(bytes + i, "<!doctype html", 14) == 0) ||
         (n - i >= 5 && strncasecmp(bytes + i, "<html", 5) == 0);
}

document_kind document_kind_of(const char *content_type, const char *name, const char *bytes,
                               size_t n) {
  if (feed_sniff(bytes, n)) return DOCUMENT_FEED;
  if (media_type_is(content_type, "application/x-ndjson") ||
      media_type_is(content_type, "application/jsonl") ||
      media_type_is(content_type, "application/jsonlines") ||
      media_type_is(content_type, "application/x-jsonlines") || name_ends_with(name, ".jsonl") ||
      name_ends_with(name, ".ndjson"))
    return DOCUMENT_JSONL;
  if (media_type_is(content_type, "text/html") ||
      media_type_is(content_type, "application/xhtml+xml") || looks_like_html(bytes, n))
    return DOCUMENT_PAGE;
  if (media_type_is(content_type, "text/plain") || (!content_type && name_ends_with(name, ".txt")))
    return DOCUMENT_TEXT;
  return DOCUMENT_OTHER;
}

/* HTML pages are read by reader_html.c. */
int document_page_supported(void) { return 1; }

/* Reports the records a feed or a page gave (feed_parse(), html_parse() and their status),
** each named "name: line N" (a feed's item) or "name" (a page), and frees them. */
static newsidx_status_t report_records(feed_result *records, newsidx_status_t status,
                                       const char *name, int with_lines, document_record_fn each,
                                       void *ctx, document_info *info) {
  if (status == NEWSIDX_OK) {
    snprintf(info->warning, sizeof info->warning, "%s", records->warning);
    info->update_s = records->update_s;
  }
  for (size_t i = 0; status == NEWSIDX_OK && i < records->n; i++) {
    char where[4200];
    if (with_lines)
      snprintf(where, sizeof where, "%s: line %ld", name, records->records[i].line);
    else
      snprintf(where, sizeof where, "%s", name);
    status = each(ctx, &records->records[i].article, where, records->records[i].warning);
  }
  feed_result_free(records);
  return status;
}

static newsidx_status_t read_feed(const char *bytes, size_t n, const char *name,
                                  document_record_fn each, void *ctx, document_info *info,
                                  newsidx_error *err) {
  feed_result feed;
  newsidx_status_t status = feed_parse(bytes, n, name, &feed, err);
  return report_records(&feed, status, name, 1, each, ctx, info);
}

/* A page is one article: its key is its canonical URL, else the URL it was fetched from. */
static newsidx_status_t read_page(const char *bytes, size_t n, const char *name,
                                  document_record_fn each, void *ctx, document_info *info,
                                  newsidx_error *err) {
  feed_result page;
  newsidx_status_t status = html_parse(bytes, n, name, &page, err);
  return report_records(&page, status, name, 0, each, ctx, info);
}

static newsidx_status_t read_jsonl(char *bytes, size_t n, const char *name, document_record_fn each,
                                   document_bad_fn bad, void *ctx, newsidx_error *err) {
  FILE *in = fmemopen(bytes, n, "r");
  if (!in) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  jsonl_reader *reader = NULL;
  newsidx_status_t status = jsonl_open(in, name, 0, &reader, err);
  while (status == NEWSIDX_OK) {
    newsidx_article article;
    const char *record_warning = NULL;
    newsidx_error local;
    status = jsonl_next(reader, &article, &record_warning, &local);
    if (status == NEWSIDX_INPUT) {
      bad(ctx, local.message);
      status = NEWSIDX_OK;
      continue;
    }
    if (status == NEWSIDX_NOT_FOUND) {
      status = NEWSIDX_OK;
      break;
    }
    if (status != NEWSIDX_OK) {
      if (err) *err = local;
      break;
    }
    char where[4200];
    snprintf(where, sizeof where, "%s:%ld", name, jsonl_line(reader));
    status = each(ctx, &article, where, record_warning);
  }
  jsonl_close(reader);
  fclose(in);
  return status;
}

static newsidx_status_t read_text(char *bytes, size_t n, const char *name, document_record_fn each,
                                  void *ctx, char *warning, size_t n_warning, newsidx_error *err) {
  if (memchr(bytes, '\0', n))
    return newsidx_error_set(err, NEWSIDX_INPUT, "%s: binary (NUL bytes), not text", name);
  char *owned = NULL;
  input_encoding encoding;
  char *text = input_decode(bytes, n, &owned, &encoding);
  if (!text) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (encoding == INPUT_CP1252)
    snprintf(warning, n_warning, "%s: not UTF-8; decoded as Windows-1252", name);
  text_article parsed;
  const char *record_warning = NULL;
  newsidx_status_t status = text_parse(text, &parsed, &record_warning, err);
  if (status == NEWSIDX_OK) {
    parsed.article.key = name;
    parsed.article.path = name;
    parsed.article.file_size = parsed.article.file_mtime = -1;
    status = each(ctx, &parsed.article, name, record_warning);
  }
  free(owned);
  return status;
}

newsidx_status_t document_read(char *bytes, size_t n, document_kind kind, const char *name,
                               document_record_fn each, document_bad_fn bad, void *ctx,
                               document_info *info, newsidx_error *err) {
  *info = (document_info){"", 0};
  switch (kind) {
  case DOCUMENT_FEED: return read_feed(bytes, n, name, each, ctx, info, err);
  case DOCUMENT_JSONL: return read_jsonl(bytes, n, name, each, bad, ctx, err);
  case DOCUMENT_TEXT:
    return read_text(bytes, n, name, each, ctx, info->warning, sizeof info->warning, err);
  case DOCUMENT_PAGE: return read_page(bytes, n, name, each, ctx, info, err);
  case DOCUMENT_OTHER: break;
  }
  return newsidx_error_set(err, NEWSIDX_INPUT, "%s: neither a feed nor a page", name);
}
