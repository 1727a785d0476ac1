/*
** ledger.h — the new-term ledger (internal to core/).
**
** While an article is indexed, the snowball tokenizer shows every token to the ledger (its
** observer), which notes the stems and capitalized multi-word names ("Operation Pacific
** Viper", "Los Lobos") that the `terms` table does not know yet. At commit they are written
** there, with the article that first used them, its date, the time, the most common spelling
** in the batch, the number of articles of the batch that used them and that article's `seq`
** (articles.seq, so that consumers follow new terms as they follow articles). Known terms cost
** one probe of an in-memory set of 64-bit hashes; only new terms are written.
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

#include <stdint.h>

typedef struct newsidx_ledger newsidx_ledger;

enum { LEDGER_WORD = 0, LEDGER_NAME = 1 };

/* Creates the ledger of `db` and makes it the tokenizer's observer (once per connection).
** The set of known terms is loaded on the first article. */
newsidx_status_t ledger_open(newsidx_db *db, newsidx_error *err);
void ledger_close(newsidx_db *db);

/* Brackets the full-text insert of one article: the tokens seen in between are its own.
** `title` (may be NULL) is recognized when FTS5 tokenizes it, so that no names are taken from
** it. The strings must live until ledger_end_article(). */
newsidx_status_t ledger_begin_article(newsidx_db *db, int64_t id, const char *date,
                                      const char *title, const char *now, newsidx_error *err);
void ledger_end_article(newsidx_db *db);

/* Writes the terms found since the last flush into `terms` (inside the caller's transaction,
** just before COMMIT). ledger_discard() forgets them; ledger_forget() also forgets what is
** known, to be loaded again, after a ROLLBACK (terms of a flushed batch may be gone). */
newsidx_status_t ledger_flush(newsidx_db *db, newsidx_error *err);
void ledger_discard(newsidx_db *db);
void ledger_forget(newsidx_db *db);

#endif
