/*
** ledger.h — the new-term ledger (internal to core/).
**
** While an article is indexed, the snowball tokenizer shows every token to the ledger (its
** observer), which notes the stems and capitalized multi-word names ("Operation Pacific
** Viper", "Los Lobos") that the ledger does not know yet. At commit they are written, a row
** of term_origins per article that first used some (below): its `seq` (articles.seq, so that
** consumers follow new terms as they follow articles), id and date, and each term with the
** most common spelling in the batch and the number of articles of the batch that used it; the
** batch's time is in `batches`. Known terms cost one probe of an in-memory set of 64-bit
** hashes, which is also what keeps each term once; only new terms are written.
**
** Names are runs of two to six capitalized words separated by single spaces (lower-case
** particles such as "de", "la", "of", "van" may join them), outside titles (headlines
** capitalize every word), with leading function words and honorifics ("The", "In",
** "President", "Dr") dropped. A name's key is the stems of its words joined by spaces, which
** is also the FTS5 phrase that finds it.
*/
#ifndef NEWSIDX_LEDGER_H
#define NEWSIDX_LEDGER_H

#include "newsidx.h"
#include "termset.h"

#include <stdint.h>

typedef struct newsidx_ledger newsidx_ledger;

/* ---- the terms of one column of one article (ledger_collect.c) ---------------------------- */

/* A spelling of a term: `n` bytes at `text` in the list's strings, seen `count` times; `next`
** is the index of the term's next spelling in order of first use, -1 after the last. */
typedef struct ledger_spelling {
  uint32_t text, n;
  int count;
  int next;
} ledger_spelling;

/* A distinct term: its hash (termset_hash()), kind (TERM_WORD, TERM_NAME), key (n_key bytes
** at `key` in the strings: a stem, or a name's stems joined by spaces) and its spellings. */
typedef struct ledger_term {
  uint64_t hash;
  int kind;
  uint32_t key, n_key;
  int first_spelling, last_spelling;
} ledger_term;

/* The terms of a column in order of first use. */
typedef struct ledger_term_list {
  const ledger_term *terms;
  size_t n_terms;
  const ledger_spelling *spellings;
  size_t n_spellings;
  const char *strings;
  size_t n_strings;
} ledger_term_list;

typedef struct ledger_collector ledger_collector;

/* A collector keeps its own state: one per thread. Fails with NEWSIDX_NOMEM, NEWSIDX_ERROR
** (no C.UTF-8 locale). */
newsidx_status_t ledger_collector_new(ledger_collector **out, newsidx_error *err);
void ledger_collector_free(ledger_collector *c);

/* Starts collecting the column value `text` (n_text bytes) of an article titled `title` (may
** be NULL): when the text is the title, no names are taken from it. */
void ledger_collect_column(ledger_collector *c, const char *text, int n_text, const char *title);

/* One token of the column: its stem and its byte range [start, end) in `text`. Returns 0, or
** -1 when out of memory (the list is then incomplete). */
int ledger_collect_token(ledger_collector *c, const char *stem, int n_stem, const char *text,
                         int start, int end);

/* Ends the column and writes its terms to *out, which points into the collector and lives
** until the next ledger_collect_column(). Returns 0, or -1 when memory ran out on the way. */
int ledger_collect_finish(ledger_collector *c, ledger_term_list *out);

/* A copy of `list` in one allocation (free() it); NULL when out of memory. */
ledger_term_list *ledger_term_list_copy(const ledger_term_list *list);

/* ---- the ledger's rows (ledger_origins.c) -------------------------------------------------
** term_origins(seq INTEGER PRIMARY KEY, article, first_when, terms) has one row per article
** version that brought new terms (schema.c, version 12): its articles.seq, id and date
** (newsidx_when), and `terms`, a JSON array with one element per term it brought: the term
** itself when its spelling is the term and one article of its batch used it, else
** [term, spelling] when one article used it (since version 13), else [term, spelling, articles
** of the batch]. A term that holds a space is a name. The view `terms` reads them back, a row
** per term; in SQL over json_each(terms) j, the term, its spelling and its articles are: */
#define LEDGER_SQL_TERM                                                                            \
  "CASE j.type WHEN 'text' THEN j.value ELSE json_extract(j.value, '$[0]') END"
#define LEDGER_SQL_SPELLING                                                                        \
  "CASE j.type WHEN 'text' THEN j.value ELSE json_extract(j.value, '$[1]') END"
#define LEDGER_SQL_N_DOCS                                                                          \
  "CASE j.type WHEN 'text' THEN 1 ELSE coalesce(json_extract(j.value, '$[2]'), 1) END"

/* The view `terms` (schema.c, version 13; version 12's read only [term, spelling, articles]):
** every column the ledger's table had. Indexes keep the view as their migration made it: a
** change here needs a migration that makes it again. */
#define LEDGER_SQL_TERMS_VIEW                                                                      \
  "CREATE VIEW terms(term, kind, surface, first_article, first_when, first_indexed, n_docs,"       \
  "  seq) AS SELECT " LEDGER_SQL_TERM ", instr(" LEDGER_SQL_TERM ", ' ') > 0,"                     \
  " " LEDGER_SQL_SPELLING ", o.article, o.first_when, (SELECT b.at FROM batches b"                 \
  "  WHERE b.first_seq <= o.seq ORDER BY b.first_seq DESC LIMIT 1), " LEDGER_SQL_N_DOCS ","        \
  "  o.seq FROM term_origins o, json_each(o.terms) j"

/* A new term as the ledger writes it. */
typedef struct ledger_new_term {
  const char *key, *spelling;
  size_t n_key, n_spelling;
  int n_docs;
} ledger_new_term;

/* A growing text: the JSON of one origin's terms. */
typedef struct ledger_json {
  char *text;
  size_t n, cap;
} ledger_json;

/* Writes the JSON array of the n `terms` to *json, replacing what it held. Returns 0, or -1
** when out of memory. */
int ledger_terms_json(ledger_json *json, const ledger_new_term *terms, size_t n);
void ledger_json_free(ledger_json *json);

/* ---- the ledger of a connection (ledger.c) ------------------------------------------------ */

/* Creates the ledger of `db`, makes it the tokenizer's observer and a participant in the
** connection's transactions (db_internal.h): once per connection. The set of known terms is
** loaded on the first article. At newsidx_commit() the ledger writes the terms found since the
** last commit into `term_origins`, advances the index's generation when the transaction changed
** it, and writes the counts of articles per word when a second has passed since it last did;
** at newsidx_rollback() it forgets them and what it knows (terms of a flushed batch may be
** gone), to be loaded again; newsidx_settle() and newsidx_db_close() write counts not written
** yet, in a transaction of their own (given up when another writer holds the lock or changed
** the index meanwhile); newsidx_db_close() frees it. */
newsidx_status_t ledger_open(newsidx_db *db, newsidx_error *err);

/* Brackets the full-text insert of one article, `seq` its articles.seq: the tokens seen in
** between are its own. `title` (may be NULL) is recognized when FTS5 tokenizes it, so that no
** names are taken from it; it must live until ledger_end_article(). */
newsidx_status_t ledger_begin_article(newsidx_db *db, int64_t id, int64_t seq, const char *date,
                                      const char *title, newsidx_error *err);
void ledger_end_article(newsidx_db *db);

/* Forgets the terms found since the last commit (ledger_discard()), and also what is known
** (ledger_forget()), to be loaded again: after a ROLLBACK, or a rebuild of the term counts. */
void ledger_discard(newsidx_db *db);
void ledger_forget(newsidx_db *db);

/* ---- the counts of articles per word (termdocs.h) ------------------------------------------ */

/* The known words carry their number of articles: ledger_begin_article() counts the article it
** brackets. ledger_begin_counting() brackets any other full-text write of one document: sign
** -1 for an FTS5 'delete', +1 for an insert that is not an article of its own (a duplicate
** promoted); the words FTS5 tokenizes until ledger_end_counting() are counted once each. A
** word unindexed that was never counted leaves the counts unusable: they are not written. */
newsidx_status_t ledger_begin_counting(newsidx_db *db, int sign, newsidx_error *err);
void ledger_end_counting(newsidx_db *db);

/* Has the current transaction changed the full-text index? Then the stored counts describe the
** index before it, and readers on this connection must count. */
int ledger_changed(const newsidx_db *db);

#endif
