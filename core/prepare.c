/*
** prepare.c — the work of storing an article that needs no database, done ahead of time on
** any thread: the content hash, and the title and body run through an instance of the
** index's tokenizer chain of its own, giving their tokens and the terms the ledger notes.
** newsidx_store_prepared() (store.c) then has FTS5 replay the tokens. See newsidx.h.
*/
#include "db_internal.h"
#include "ledger.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

/* A growing array of n items of `size` bytes, cap allocated. */
typedef struct buffer {
  void *items;
  size_t n, cap;
} buffer;

struct newsidx_analyzer {
  newsidx_snowball_module module; /* a registration of its own: no observer, nothing to replay */
  fts5_tokenizer methods;
  Fts5Tokenizer *tok;
  ledger_collector *collector;
  /* the column being tokenized */
  buffer tokens; /* newsidx_token */
  buffer stems;  /* char */
  const char *text;
  int failed; /* out of memory */
};

newsidx_status_t newsidx_analyzer_open(newsidx_db *db, newsidx_analyzer **out, newsidx_error *err) {
  *out = NULL;
  newsidx_analyzer *an = calloc(1, sizeof *an);
  if (!an) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  an->module.api = db->fts5;
  newsidx_status_t status = newsidx_tokenizer_open(db, &an->module, &an->methods, &an->tok, err);
  if (status != NEWSIDX_OK) {
    newsidx_analyzer_close(an);
    return status;
  }
  status = ledger_collector_new(&an->collector, err);
  if (status != NEWSIDX_OK) {
    newsidx_analyzer_close(an);
    return status;
  }
  *out = an;
  return NEWSIDX_OK;
}

void newsidx_analyzer_close(newsidx_analyzer *an) {
  if (!an) return;
  if (an->tok) an->methods.xDelete(an->tok);
  ledger_collector_free(an->collector);
  free(an->tokens.items);
  free(an->stems.items);
  free(an);
}

/* Makes room for `more` items of `size` bytes; 0 when out of memory. */
static int reserve(buffer *b, size_t more, size_t size) {
  return newsidx_reserve(&b->items, &b->cap, b->n, more, size) == 0;
}

static int on_token(void *ctx, int tflags, const char *stem, int n_stem, int start, int end) {
  (void)tflags;
  newsidx_analyzer *an = ctx;
  if (!reserve(&an->tokens, 1, sizeof(newsidx_token)) || !reserve(&an->stems, (size_t)n_stem, 1) ||
      ledger_collect_token(an->collector, stem, n_stem, an->text, start, end) != 0) {
    an->failed = 1;
    return SQLITE_NOMEM;
  }
  newsidx_token *t = (newsidx_token *)an->tokens.items + an->tokens.n++;
  *t = (newsidx_token){(unsigned)an->stems.n, (unsigned)n_stem, start, end};
  memcpy((char *)an->stems.items + an->stems.n, stem, (size_t)n_stem);
  an->stems.n += (size_t)n_stem;
  return SQLITE_OK;
}

/* Tokenizes one column value (NULL or "" for none) into the analyzer's buffers and *terms. */
static newsidx_status_t tokenize_column(newsidx_analyzer *an, const char *text, const char *title,
                                        ledger_term_list **terms, newsidx_error *err) {
  int n_text = text ? (int)strlen(text) : 0;
  an->text = text;
  ledger_collect_column(an->collector, text, n_text, title);
  int rc = n_text
               ? an->methods.xTokenize(an->tok, an, FTS5_TOKENIZE_DOCUMENT, text, n_text, on_token)
               : SQLITE_OK;
  ledger_term_list list;
  if (ledger_collect_finish(an->collector, &list) != 0) an->failed = 1;
  if (an->failed) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, NULL, rc, "tokenizing");
  *terms = ledger_term_list_copy(&list);
  if (!*terms) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  return NEWSIDX_OK;
}

newsidx_status_t newsidx_prepare_article(newsidx_analyzer *an, const newsidx_article *article,
                                         newsidx_prepared **out, newsidx_error *err) {
  *out = NULL;
  newsidx_prepared *p = calloc(1, sizeof *p);
  if (!p) return newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  p->title = article->title;
  p->body = article->body;
  p->content_hash = newsidx_content_hash(article);
  an->tokens.n = an->stems.n = 0;
  an->failed = 0;

  /* Both columns' tokens go into the analyzer's buffers, then into one allocation. */
  const char *columns[2] = {article->title, article->body};
  size_t first_token[3] = {0};
  newsidx_status_t status = NEWSIDX_OK;
  for (int c = 0; c < 2 && status == NEWSIDX_OK; c++) {
    status = tokenize_column(an, columns[c], article->title, &p->terms[c], err);
    first_token[c + 1] = an->tokens.n;
  }
  size_t token_bytes = an->tokens.n * sizeof(newsidx_token);
  if (status == NEWSIDX_OK && !(p->storage = malloc(token_bytes + an->stems.n + 1)))
    status = newsidx_error_set(err, NEWSIDX_NOMEM, "out of memory");
  if (status != NEWSIDX_OK) {
    newsidx_prepared_free(p);
    return status;
  }
  if (token_bytes) memcpy(p->storage, an->tokens.items, token_bytes);
  if (an->stems.n) memcpy(p->storage + token_bytes, an->stems.items, an->stems.n);
  p->bytes = sizeof *p + token_bytes + an->stems.n;
  for (int c = 0; c < 2; c++) {
    const char *text = columns[c];
    /* What FTS5 is given for the column: store.c binds an empty value as NULL. */
    p->runs[c] = (newsidx_token_run){text && *text ? text : NULL,
                                     text ? (int)strlen(text) : 0,
                                     (newsidx_token *)p->storage + first_token[c],
                                     (int)(first_token[c + 1] - first_token[c]),
                                     p->storage + token_bytes,
                                     p->terms[c]};
    p->bytes += sizeof(ledger_term_list) + p->terms[c]->n_terms * sizeof(ledger_term) +
                p->terms[c]->n_spellings * sizeof(ledger_spelling) + p->terms[c]->n_strings;
  }
  *out = p;
  return NEWSIDX_OK;
}

size_t newsidx_prepared_size(const newsidx_prepared *p) { return p ? p->bytes : 0; }

void newsidx_prepared_free(newsidx_prepared *p) {
  if (!p) return;
  free(p->terms[0]);
  free(p->terms[1]);
  free(p->storage);
  free(p);
}
