/*
** analysis.c — the index's analysis chain for callers outside FTS5: tokenizing text the way
** the index does (snippets, the term ledger, tests), the language list, the tokenize= spec.
*/
#include "db_internal.h"

#include <libstemmer.h>
#include <stdio.h>
#include <string.h>

const char **newsidx_languages(void) { return sb_stemmer_list(); }

void newsidx_tokenizer_spec(const char *language, char *buf, size_t size) {
  snprintf(buf, size, "snowball %s unicode61 remove_diacritics 2", language);
}

newsidx_status_t newsidx_language_check(const char *language, newsidx_error *err) {
  const char **list = sb_stemmer_list();
  for (const char **l = list; *l; l++)
    if (strcmp(*l, language) == 0) return NEWSIDX_OK;
  char names[400] = "";
  size_t used = 0;
  for (const char **l = list; *l && used < sizeof names; l++)
    used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", l == list ? "" : ", ", *l);
  return newsidx_error_set(err, NEWSIDX_BAD_LANGUAGE, "unknown language \"%s\"; available: %s",
                           language, names);
}

int newsidx_register_tokenizer(sqlite3 *sqlite) {
  fts5_api *api = newsidx_fts5_api_of(sqlite);
  if (!api) return SQLITE_ERROR;
  return newsidx_snowball_register(api, NULL);
}

newsidx_status_t newsidx_tokenizer_open(newsidx_db *db, newsidx_snowball_module *module,
                                        fts5_tokenizer *methods, Fts5Tokenizer **out,
                                        newsidx_error *err) {
  void *user_data = NULL;
  int rc = db->fts5->xFindTokenizer(db->fts5, "snowball", &user_data, methods);
  const char *args[] = {db->language, "unicode61", "remove_diacritics", "2"};
  if (rc == SQLITE_OK) rc = methods->xCreate(module ? module : user_data, args, 4, out);
  if (rc == SQLITE_OK) return NEWSIDX_OK;
  *out = NULL;
  /* the language comes from the file (meta), which newsidx check also reads: say which */
  if (newsidx_language_check(db->language, NULL) != NEWSIDX_OK)
    return newsidx_error_set(err, NEWSIDX_CORRUPT, "%s: " NEWSIDX_NO_STEMMER, db->path,
                             db->language);
  return newsidx_error_sqlite(err, NULL, rc, "creating the snowball tokenizer");
}

/* Creates db->analysis, an instance of the index's tokenizer chain. */
static newsidx_status_t open_analysis(newsidx_db *db, newsidx_error *err) {
  return newsidx_tokenizer_open(db, NULL, &db->analysis_methods, &db->analysis, err);
}

void newsidx_analysis_close(newsidx_db *db) {
  if (db->analysis) db->analysis_methods.xDelete(db->analysis);
  db->analysis = NULL;
}

typedef struct token_relay {
  newsidx_token_fn on_token;
  void *ctx;
} token_relay;

static int relay_token(void *ctx, int tflags, const char *token, int n, int start, int end) {
  token_relay *relay = ctx;
  return relay->on_token(relay->ctx, token, n, start, end) ? SQLITE_ABORT : SQLITE_OK;
}

newsidx_status_t newsidx_tokenize(newsidx_db *db, const char *text, int n_text,
                                  newsidx_token_fn on_token, void *ctx, newsidx_error *err) {
  if (!db->analysis) {
    newsidx_status_t status = open_analysis(db, err);
    if (status != NEWSIDX_OK) return status;
  }
  token_relay relay = {on_token, ctx};
  int rc = db->analysis_methods.xTokenize(db->analysis, &relay, FTS5_TOKENIZE_AUX, text, n_text,
                                          relay_token);
  if (rc == SQLITE_ABORT) return newsidx_error_set(err, NEWSIDX_ERROR, "tokenizing stopped");
  if (rc != SQLITE_OK) return newsidx_error_sqlite(err, NULL, rc, "tokenizing");
  return NEWSIDX_OK;
}
