/*
** query_parse.c — compiling a newsq query into an FTS5 expression. See query_parse.h.
*/
#include "query_parse.h"

#include <stdlib.h>
#include <string.h>

typedef struct buffer {
  char *data;
  size_t n, cap;
  int failed;
} buffer;

static void put(buffer *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->n + n + 1) * 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->n, s, n);
  b->n += n;
  b->data[b->n] = '\0';
}

static int count_token(void *ctx, const char *stem, int n_stem, int start, int end) {
  (*(int *)ctx)++;
  return 0;
}

/* Appends `text` (n bytes) as an FTS5 string: "..." with inner quotes doubled. */
static void put_quoted(buffer *b, const char *text, size_t n) {
  put(b, "\"", 1);
  for (size_t i = 0; i < n; i++)
    put(b, text[i] == '"' ? "\"\"" : text + i, text[i] == '"' ? 2 : 1);
  put(b, "\"", 1);
}

/* Number of UTF-8 characters in the first n bytes of s, for column numbers. */
static int column_of(const char *s, size_t n) {
  int col = 1;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) col++;
  return col;
}

newsidx_status_t query_compile(newsidx_db *db, const char *query, query_plan *plan,
                               newsidx_error *err) {
  memset(plan, 0, sizeof *plan);
  buffer b = {0};
  const char *p = query;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if (!*p) break;
    const char *start, *end;
    int prefix = 0;
    if (*p == '"') {
      start = ++p;
      end = strchr(p, '"');
      if (!end) {
        free(b.data);
        return newsidx_error_set(err, NEWSIDX_QUERY, "query error at column %d: unclosed quote",
                                 column_of(query, (size_t)(start - 1 - query)));
      }
      p = end + 1;
    } else {
      start = p;
      while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '"')
        p++;
      end = p;
      if (end > start && end[-1] == '*') {
        prefix = 1;
        end--;
      }
    }
    int n_tokens = 0;
    newsidx_status_t status =
        newsidx_tokenize(db, start, (int)(end - start), count_token, &n_tokens, err);
    if (status != NEWSIDX_OK) {
      free(b.data);
      return status;
    }
    if (n_tokens == 0) continue;
    if (b.n) put(&b, " AND ", 5);
    put_quoted(&b, start, (size_t)(end - start));
    if (prefix) put(&b, " *", 2);
  }
  if (b.failed) {
    free(b.data);
    return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  }
  plan->match = b.data;
  return NEWSIDX_OK;
}

void query_plan_free(query_plan *plan) {
  free(plan->match);
  plan->match = NULL;
}
