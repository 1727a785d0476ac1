/*
** tokenizer.h — the `snowball` FTS5 tokenizer (internal to core/).
**
** The tokenizer wraps another FTS5 tokenizer, found with fts5_api.xFindTokenizer (unicode61
** unless the arguments name another), and replaces each token it emits with its Snowball stem.
** Arguments, as in tokenize= of CREATE VIRTUAL TABLE:
**
**     snowball [LANGUAGE [PARENT [PARENT-ARGS...]]]
**     snowball english unicode61 remove_diacritics 2
**
** LANGUAGE defaults to english and PARENT to "unicode61 remove_diacritics 2". An unknown
** language makes xCreate fail with SQLITE_ERROR (and an sqlite3_log() line naming it).
**
** Tokens of prefix queries (`terror*`) are passed through unstemmed (the query compiler adds
** the prefix of the stem beside them).
**
** Numbers and initials that unicode61 would split at each '.' or ',' are one token, in
** documents and queries alike: "3.15" and "$11.1bn" (as 11.1bn) keep their point, "10,000" is
** 10000 (groups of three digits after a first of one to three), and single letters joined by
** dots are one word: "U.S." and "u.s." are `us`, the same term as US and us. Tokens longer than
** NEWSIDX_TOKEN_MAX bytes are cut at a character boundary, and tokens longer than
** NEWSIDX_STEM_MAX bytes are not stemmed, so hostile input cannot make stemming expensive.
**
** A registration may carry a token observer: while documents are indexed (never for queries)
** it sees every token, stemmed, with the document text it came from. The new-term ledger uses
** it; it is per connection, not global. A registration may also replay tokens made ahead of
** time for the document being indexed (newsidx_token_run).
*/
#ifndef NEWSIDX_TOKENIZER_H
#define NEWSIDX_TOKENIZER_H

#include <stddef.h>

#define NEWSIDX_TOKEN_MAX 128
#define NEWSIDX_STEM_MAX  64

/* What the tokenizer makes of the text: recorded in meta 'tokenizer_version' of an index. An
** index made by an older version needs `newsidx rebuild` (1: numbers split at '.' and ','). */
#define NEWSIDX_TOKENIZER_VERSION 2

typedef struct fts5_api fts5_api;

/* Called for every token of an indexed document: the stem (n_stem bytes) and the token's byte
** range [start, end) in `text` (n_text bytes), the column value being indexed. Returns an
** SQLite code; an error stops the insert. */
typedef int (*newsidx_observer_fn)(void *ctx, const char *stem, int n_stem, const char *text,
                                   int n_text, int start, int end);

/* One token made ahead of time: its stem (n_stem bytes at `stem` in the run's stems) and its
** byte range [start, end) in the column text. */
typedef struct newsidx_token {
  unsigned stem, n_stem;
  int start, end;
} newsidx_token;

/* The tokens of one column value, made ahead of time by another instance of the tokenizer
** (prepare.c). When FTS5 asks to tokenize a document whose text is this very `text` (same
** pointer, same length), the tokens are replayed instead of made again. `observed` is what
** the observer takes instead of the tokens (on_replay below): without it, the run is not
** replayed while an observer listens. */
typedef struct newsidx_token_run {
  const char *text;
  int n_text;
  const newsidx_token *tokens;
  int n_tokens;
  const char *stems;
  const void *observed;
} newsidx_token_run;

/* Takes the place of the observer for a replayed run. Returns an SQLite code. */
typedef int (*newsidx_replay_fn)(void *ctx, const void *observed);

typedef struct newsidx_snowball_module {
  fts5_api *api;                /* the connection's FTS5, to find the parent tokenizer */
  newsidx_observer_fn observer; /* NULL when nobody listens */
  newsidx_replay_fn on_replay;
  void *observer_ctx;
  /* Runs that may be replayed, set by the writer around one insert (n_replay 0: none). */
  const newsidx_token_run *replay;
  int n_replay;
  long n_replayed; /* runs replayed so far, for tests */
} newsidx_snowball_module;

/* Registers `snowball` with `api`. When `module_out` is not NULL it receives the registration's
** module object, owned by the connection (freed when it closes), where an observer can be set.
** Returns an SQLite result code. */
int newsidx_snowball_register(fts5_api *api, newsidx_snowball_module **module_out);

/* Fetches the fts5_api object of a connection, or NULL when FTS5 is missing. */
struct sqlite3;
fts5_api *newsidx_fts5_api_of(struct sqlite3 *db);

#endif
