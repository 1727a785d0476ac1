/*
** jsonl_fast.c — the fields of a JSON Lines record read with yajl's event parser, five times
** cheaper than building jansson's tree (the Reuters file: 0.04 s against 0.25 s).
**
** It gives exactly what reader_jsonl.c takes from jansson's tree (see there): for each field,
** the first of its names whose value is usable — a string; an integer, printed; an object's
** "name" string; a list's usable items joined. Lines that jansson would refuse, or might read
** otherwise, are left to jansson, which then reads them, or says why not, as before: lines
** that are not objects or not JSON, duplicate keys, \u0000 and surrogate escapes, integers
** beyond 64 bits, reals beyond a double, nesting deeper than JSONL_FAST_MAX_DEPTH, and vertical
** tabs or form feeds (white space to yajl only).
*/
#include "jsonl_fields.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <yajl/yajl_parse.h>

/* jansson stops at a depth of 2048; below that both agree, above it jansson says why. */
#define JSONL_FAST_MAX_DEPTH 1024
/* An object with more keys is left to jansson (the duplicate check here is quadratic). */
#define MAX_KEYS_PER_OBJECT 64

enum { SLOTS = N_FIELDS * JSONL_MAX_NAMES };

/* What a container is to the record's fields. */
enum {
  C_TOP,        /* the record itself */
  C_IGNORED,    /* nothing in it is taken */
  C_LIST,       /* a list whose usable items are joined (at any depth of lists) */
  C_NAMED,      /* an object whose "name" string is taken */
  C_NAMED_ITEM, /* the same, as an item of a C_LIST */
};

typedef struct fast_state {
  int depth;
  unsigned char kind[JSONL_FAST_MAX_DEPTH + 1]; /* C_* of each open container, by depth */
  int slot;                                     /* the field slot of the top-level key read last */
  int list_slot;                                /* the slot a C_LIST/C_NAMED belongs to */
  int name_next;  /* the next value is the "name" of the C_NAMED* being read */
  char *name;     /* that name, owned, or NULL */
  joined list;    /* the C_LIST being joined */
  int list_first; /* (list.text NULL: no usable item yet) */
  char *values[SLOTS];
  /* the keys of the open objects, for duplicates: hashes, with the depth they belong to */
  struct key {
    uint64_t hash;
    int depth;
  } * keys;
  size_t n_keys, keys_cap;
  int refused; /* left to jansson */
  int nomem;
  yajl_handle parser;
  size_t end; /* the offset after the record's closing brace */
} fast_state;

static int slot_of(const unsigned char *key, size_t n) {
  for (int f = 0; f < N_FIELDS; f++)
    for (int k = 0; k < JSONL_MAX_NAMES && jsonl_field_names[f][k]; k++)
      if (strlen(jsonl_field_names[f][k]) == n && memcmp(jsonl_field_names[f][k], key, n) == 0)
        return f * JSONL_MAX_NAMES + k;
  return -1;
}

static const char *separator(int slot) { return slot / JSONL_MAX_NAMES == F_TAGS ? "," : ", "; }

/* Takes a scalar value for the container being read: `s` (n bytes, not NUL-terminated) is
** its text when it is usable there (a string, or an integer printed), NULL when it is not;
** `is_string` says which. */
static void take(fast_state *st, const char *s, size_t n, int is_string) {
  int kind = st->kind[st->depth];
  int name_next = st->name_next;
  st->name_next = 0;
  if (!s) return;
  if (kind == C_TOP) {
    if (st->slot < 0 || st->values[st->slot]) return;
    if (!(st->values[st->slot] = strndup(s, n))) st->nomem = 1;
  } else if (kind == C_LIST) {
    if (n == 0) return;
    char *item = strndup(s, n);
    if (!item || !jsonl_append(&st->list, item, separator(st->list_slot))) st->nomem = 1;
    free(item);
  } else if ((kind == C_NAMED || kind == C_NAMED_ITEM) && name_next && is_string) {
    free(st->name);
    if (!(st->name = strndup(s, n))) st->nomem = 1;
  }
}

/* A scalar as the whole line is not an object: jansson says so. */
static int refuse_top_level(fast_state *st) {
  if (st->depth > 0) return 0;
  st->refused = 1;
  return 1;
}

static int on_null(void *ctx) {
  fast_state *st = ctx;
  if (refuse_top_level(st)) return 0;
  take(st, NULL, 0, 0);
  return 1;
}

static int on_boolean(void *ctx, int value) { return on_null(ctx); }

static int on_number(void *ctx, const char *s, size_t n) {
  fast_state *st = ctx;
  if (refuse_top_level(st)) return 0;
  char text[64];
  int integer = 1;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') integer = 0;
  if (n >= sizeof text) { /* a number that long: overflow, or digits jansson reads its own way */
    st->refused = 1;
    return 0;
  }
  memcpy(text, s, n);
  text[n] = '\0';
  errno = 0;
  if (integer) {
    long long value = strtoll(text, NULL, 10);
    if (errno == ERANGE) {
      st->refused = 1; /* "too big integer" */
      return 0;
    }
    int m = snprintf(text, sizeof text, "%lld", value);
    take(st, text, (size_t)m, 0);
  } else {
    strtod(text, NULL);
    if (errno == ERANGE) { /* overflow is jansson's error; underflow too, to be safe */
      st->refused = 1;
      return 0;
    }
    take(st, NULL, 0, 0); /* a real is not usable */
  }
  return !st->nomem;
}

static int on_string(void *ctx, const unsigned char *s, size_t n) {
  fast_state *st = ctx;
  if (refuse_top_level(st)) return 0;
  if (memchr(s, '\0', n)) { /* \u0000: jansson's error */
    st->refused = 1;
    return 0;
  }
  take(st, (const char *)s, n, 1);
  return !st->nomem;
}

static int open_container(fast_state *st, int is_list) {
  int parent = st->kind[st->depth];
  if (st->depth == JSONL_FAST_MAX_DEPTH) {
    st->refused = 1;
    return 0;
  }
  int kind = C_IGNORED;
  if (st->depth == 0)
    kind = is_list ? C_IGNORED : C_TOP;
  else if (parent == C_TOP && st->slot >= 0 && !st->values[st->slot]) {
    kind = is_list ? C_LIST : C_NAMED;
    st->list_slot = st->slot;
  } else if (parent == C_LIST)
    kind = is_list ? C_LIST : C_NAMED_ITEM;
  if (st->depth == 0 && is_list) { /* not an object: jansson says so */
    st->refused = 1;
    return 0;
  }
  st->kind[++st->depth] = (unsigned char)kind;
  st->name_next = 0;
  return 1;
}

static int on_start_map(void *ctx) { return open_container(ctx, 0); }
static int on_start_array(void *ctx) { return open_container(ctx, 1); }

/* Closes the container at the current depth, handing its value to its parent. */
static int close_container(fast_state *st) {
  int kind = st->kind[st->depth];
  while (st->n_keys > 0 && st->keys[st->n_keys - 1].depth >= st->depth)
    st->n_keys--;
  st->depth--;
  if (st->depth == 0) st->end = yajl_get_bytes_consumed(st->parser);
  if (kind == C_NAMED || kind == C_NAMED_ITEM) {
    char *name = st->name;
    st->name = NULL;
    if (kind == C_NAMED) {
      st->values[st->list_slot] = name;
    } else {
      if (name && *name && !jsonl_append(&st->list, name, separator(st->list_slot))) st->nomem = 1;
      free(name);
    }
  } else if (kind == C_LIST && st->kind[st->depth] == C_TOP) {
    st->values[st->list_slot] = st->list.text;
    st->list = (joined){0};
  }
  st->name_next = 0;
  return !st->nomem;
}

static int on_map_key(void *ctx, const unsigned char *key, size_t n) {
  fast_state *st = ctx;
  if (memchr(key, '\0', n)) {
    st->refused = 1;
    return 0;
  }
  uint64_t hash = XXH3_64bits(key, n);
  size_t in_object = 0;
  for (size_t i = st->n_keys; i > 0 && st->keys[i - 1].depth == st->depth; i--, in_object++)
    if (st->keys[i - 1].hash == hash) { /* a duplicate (or a hash collision): jansson decides */
      st->refused = 1;
      return 0;
    }
  if (in_object == MAX_KEYS_PER_OBJECT) {
    st->refused = 1;
    return 0;
  }
  if (st->n_keys == st->keys_cap) {
    size_t cap = st->keys_cap ? 2 * st->keys_cap : 64;
    struct key *grown = realloc(st->keys, cap * sizeof *grown);
    if (!grown) {
      st->nomem = 1;
      return 0;
    }
    st->keys = grown;
    st->keys_cap = cap;
  }
  st->keys[st->n_keys++] = (struct key){hash, st->depth};
  int kind = st->kind[st->depth];
  if (kind == C_TOP) st->slot = slot_of(key, n);
  st->name_next =
      (kind == C_NAMED || kind == C_NAMED_ITEM) && n == 4 && memcmp(key, "name", 4) == 0;
  return 1;
}

static int on_end(void *ctx) { return close_container(ctx); }

static const yajl_callbacks callbacks = {
    on_null,      on_boolean, NULL,   NULL,           on_number, on_string,
    on_start_map, on_map_key, on_end, on_start_array, on_end,
};

/* Does the text hold an escape that yajl decodes otherwise than jansson accepts: \u0000 or a
** surrogate (\uD800-\uDFFF)? */
static int has_doubtful_escape(const char *text, size_t n) {
  for (const char *p = memchr(text, '\\', n); p; p = memchr(p, '\\', (size_t)(text + n - p))) {
    if (p + 1 < text + n && p[1] == '\\') {
      p += 2; /* an escaped backslash */
      continue;
    }
    if (p + 5 < text + n && p[1] == 'u' &&
        (((p[2] == 'd' || p[2] == 'D') && strchr("89abcdefABCDEF", p[3]) && p[3]) ||
         memcmp(p + 2, "0000", 4) == 0))
      return 1;
    p++;
  }
  return 0;
}

int jsonl_fast_fields(const char *text, size_t n, char *fields[N_FIELDS]) {
  if (has_doubtful_escape(text, n)) return 0;
  /* yajl takes vertical tab and form feed for white space, JSON does not (nor does jansson);
  ** in a string they are raw control characters, which neither allows. */
  if (memchr(text, '\v', n) || memchr(text, '\f', n)) return 0;
  fast_state *st = calloc(1, sizeof *st);
  if (!st) return 0;
  st->slot = -1;
  int ok = 0;
  yajl_handle parser = st->parser = yajl_alloc(&callbacks, NULL, st);
  if (parser && yajl_parse(parser, (const unsigned char *)text, n) == yajl_status_ok &&
      yajl_complete_parse(parser) == yajl_status_ok && !st->refused && !st->nomem && st->end)
    ok = 1;
  /* yajl overlooks an unfinished token after the record ('{...} "abc'): only white space may
  ** follow the closing brace. */
  for (size_t i = st->end; ok && i < n; i++)
    ok = text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n';
  if (parser) yajl_free(parser);
  if (ok) {
    for (int f = 0; f < N_FIELDS; f++)
      for (int k = 0; k < JSONL_MAX_NAMES && !fields[f]; k++) {
        fields[f] = st->values[f * JSONL_MAX_NAMES + k];
        st->values[f * JSONL_MAX_NAMES + k] = NULL;
      }
  }
  for (int i = 0; i < SLOTS; i++)
    free(st->values[i]);
  free(st->name);
  free(st->list.text);
  free(st->keys);
  free(st);
  return ok;
}
