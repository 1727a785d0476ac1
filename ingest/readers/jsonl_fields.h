/*
** jsonl_fields.h — the fields of a JSON Lines record and the names each may go by, shared by
** the two ways a record is read (internal to the ingest library): jansson's tree
** (reader_jsonl.c) and yajl's events for the common case (jsonl_fast.c); CSV's header names
** the same fields (reader_csv.c).
*/
#ifndef NEWSIDX_JSONL_FIELDS_H
#define NEWSIDX_JSONL_FIELDS_H

#include "newsidx.h"

#include <stddef.h>
#include <stdint.h>

enum { F_TITLE, F_BODY, F_DATE, F_URL, F_SOURCE, F_AUTHOR, F_TAGS, F_LANG, F_KEY, N_FIELDS };

#define JSONL_MAX_NAMES 5

/* Each field's names, the first present and usable one wins; NULL-terminated rows. */
extern const char *const jsonl_field_names[N_FIELDS][JSONL_MAX_NAMES];

/* A list's items joined into one string: n bytes used of cap (text NULL while empty). */
typedef struct joined {
  char *text;
  size_t n, cap;
} joined;

/* Appends `s` to the list, separated by `sep`. Returns 0 when out of memory. */
int jsonl_append(joined *acc, const char *s, const char *sep);

/* Reads the fields of the record on one line (`text`, n bytes of valid UTF-8) into `fields`
** (all NULL on entry; each set one is owned by the caller) as jansson's reading would give
** them. Returns 1 when it did; 0, with `fields` untouched, when the line is left to jansson:
** not a JSON object, not JSON, or one of the cases jansson reads its own way. */
int jsonl_fast_fields(const char *text, size_t n, char *fields[N_FIELDS]);

/* Makes the record of `field` (each owned and NULL or set; cleaned in place): one-line
** metadata, a key (else "sha:" and `hash`, the record's text's), the date normalized into
** `date`. `name` and `line` place messages ("name:line: why"). Fills *out, whose strings point
** into `field`, `date` and `name`. Fails with NEWSIDX_INPUT when there is neither a body nor a
** title, NEWSIDX_NOMEM. *warning (may be NULL) gets a date that did not parse. */
newsidx_status_t jsonl_make_record(char *field[N_FIELDS], const char *name, long line,
                                   uint64_t hash, char date[NEWSIDX_DATE_MAX], newsidx_article *out,
                                   const char **warning, newsidx_error *err);

#endif
