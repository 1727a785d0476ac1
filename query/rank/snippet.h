/*
** snippet.h — the newsidx_snippet() FTS5 auxiliary function (internal to the query library).
**
**     newsidx_snippet(articles_fts, COLUMN, FRAGMENTS, FRAGMENT_TOKENS)
**
** returns text of column COLUMN (0 title, 1 body) of the current match, with each matching
** word between SNIPPET_OPEN and SNIPPET_CLOSE:
**   - FRAGMENTS = 0: the whole column, highlighted (for titles);
**   - FRAGMENTS = N: up to N passages of about FRAGMENT_TOKENS words, chosen for the most
**     distinct query phrases (then the most matches), widened to whole sentences when one is
**     near, cut at word boundaries otherwise, in text order, with "…" where text is left out.
**     A row that matched only in other columns gets the opening of the column.
** Matching is FTS5's own (by stem, phrase and NEAR aware). Words whose stem is a derived form
** of a matched stem ("terror" + "ist", "ecuador" + "ian") are highlighted too, so a query for
** `terrorist` also marks "terrorism" in the passage; in a column with matches, derived forms
** count up to `FRAGMENT_TOKENS` words after the last match, and the text is tokenized only as
** far as a passage can reach. Line breaks become spaces.
**
** snippet_from_text() makes the same snippet without FTS5's cursor: from the article's text,
** tokenized with the index's chain, and the match positions the ranking recorded (matches.h).
*/
#ifndef NEWSIDX_SNIPPET_H
#define NEWSIDX_SNIPPET_H

#include "matches.h"
#include "newsidx.h"
#include "strbuf.h"

#define SNIPPET_OPEN  '\x01'
#define SNIPPET_CLOSE '\x02'

/* Registers newsidx_snippet with the connection's FTS5. Returns an SQLite code. */
int snippet_register(fts5_api *api);

/* The match positions of one row. */
typedef struct snippet_matches {
  const match_instance *instances;
  int n_instances;
  const int *phrase_size; /* tokens of each phrase of the query */
  int n_phrases;
} snippet_matches;

/* Tokenizes n_text bytes of text into `tokens` (a column_tokens of snippet.c); returns an
** SQLite code, SQLITE_DONE when it was stopped on purpose. */
typedef int (*snippet_tokenizer)(void *source, const char *text, int n_text, void *tokens);

/* Appends to `out` what newsidx_snippet(articles_fts, COL, N_FRAGMENTS, LENGTH) returns for a
** row whose column `col` holds `text` (n_text bytes) and which matched at `m`. Fails with
** NEWSIDX_NOMEM or NEWSIDX_ERROR (the tokenizer failed). */
newsidx_status_t snippet_from_text(newsidx_db *db, const char *text, int n_text, int col,
                                   const snippet_matches *m, int n_fragments, int length,
                                   strbuf *out, newsidx_error *err);

/* Non-zero when text[i] (of n_text bytes) ends a sentence: a line break, or '.', '!' or '?'
** followed by white space or a closing quote, but not the dot of "U.S", "Lt." or "Dr.". */
int snippet_sentence_ends(const char *text, int n_text, int i);

/* Appends the opening of `text` to `out`: its first `max_words` words, ending at the last
** sentence end in their second half when there is one, with " …" when text is left out and
** white space runs as single spaces. For hits that matched no text (a listing by filters). */
void snippet_lead(const char *text, int max_words, strbuf *out);

/* Non-zero when stem b (n_b bytes) is stem a plus a derivational suffix, or the reverse. */
int snippet_stems_related(const char *a, int n_a, const char *b, int n_b);

#endif
