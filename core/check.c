/*
** check.c — checking an index: SQLite's own checks, FTS5's, and the invariants newsidx keeps
** (store.c): duplicates point at originals with their text, one original per text.
*/
#include "db_internal.h"
#include "docinfo.h"
#include "termdocs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Problems of one kind beyond this many are reported as one count. */
#define MAX_REPORTED 20

typedef struct checker {
  newsidx_db *db;
  newsidx_problem_fn on_problem;
  void *ctx;
  int64_t n_problems;
} checker;

static void problem(checker *c, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void problem(checker *c, const char *format, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(line, sizeof line, format, ap);
  va_end(ap);
  c->n_problems++;
  if (c->on_problem) c->on_problem(c->ctx, line);
}

/* A damaged file makes queries fail with SQLITE_CORRUPT: that is a finding, not a failure
** of the check. Returns NEWSIDX_OK after reporting it, or the error for anything else. */
static newsidx_status_t corrupt_is_a_problem(checker *c, int rc, const char *what,
                                             newsidx_error *err) {
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
    problem(c, "%s: %s", what, sqlite3_errmsg(c->db->sqlite));
    return NEWSIDX_OK;
  }
  return newsidx_error_sqlite(err, c->db->sqlite, rc, what);
}

/* PRAGMA integrity_check / quick_check: one row "ok", or one row per problem. */
static newsidx_status_t check_sqlite(checker *c, int quick, newsidx_error *err) {
  const char *what = quick ? "quick_check" : "integrity_check";
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(c->db->sqlite,
                              quick ? "PRAGMA quick_check(100)" : "PRAGMA integrity_check(100)", -1,
                              &stmt, NULL);
  if (rc != SQLITE_OK) return corrupt_is_a_problem(c, rc, what, err);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *row = (const char *)sqlite3_column_text(stmt, 0);
    if (row && strcmp(row, "ok") != 0) problem(c, "SQLite %s: %s", what, row);
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? NEWSIDX_OK : corrupt_is_a_problem(c, rc, what, err);
}

/* FTS5's integrity-check with rank 1 also compares the index with its content, the view
** articles_text: every original indexed with exactly its title and body, nothing else. */
static newsidx_status_t check_fts(checker *c, newsidx_error *err) {
  int rc = sqlite3_exec(c->db->sqlite,
                        "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
                        NULL, NULL, NULL);
  if (rc == SQLITE_OK) return NEWSIDX_OK;
  if ((rc & 0xff) == SQLITE_CORRUPT) {
    problem(c,
            "the full-text index does not match the articles (%s); rebuild it with: "
            "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')",
            sqlite3_errmsg(c->db->sqlite));
    return NEWSIDX_OK;
  }
  return corrupt_is_a_problem(c, rc, "full-text integrity-check", err);
}

/* One invariant: `sql` selects the offending rows, `describe` turns a row into a message. */
typedef void (*describe_fn)(checker *c, sqlite3_stmt *row);

static newsidx_status_t check_rows(checker *c, const char *sql, describe_fn describe,
                                   const char *what, newsidx_error *err) {
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(c->db->sqlite, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) return corrupt_is_a_problem(c, rc, what, err);
  int64_t n = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    if (++n <= MAX_REPORTED) describe(c, stmt);
  sqlite3_finalize(stmt);
  if (n > MAX_REPORTED) {
    char line[256];
    snprintf(line, sizeof line, "%lld more like the above (%s)", (long long)(n - MAX_REPORTED),
             what);
    c->n_problems += n - MAX_REPORTED;
    if (c->on_problem) c->on_problem(c->ctx, line);
  }
  return rc == SQLITE_DONE ? NEWSIDX_OK : corrupt_is_a_problem(c, rc, what, err);
}

static void describe_orphan(checker *c, sqlite3_stmt *row) {
  long long id = sqlite3_column_int64(row, 0), original = sqlite3_column_int64(row, 1);
  if (sqlite3_column_int(row, 2))
    problem(c, "article %lld is a duplicate of article %lld, which does not exist", id, original);
  else if (sqlite3_column_int(row, 3))
    problem(c, "article %lld is a duplicate of article %lld, which is itself a duplicate", id,
            original);
  else
    problem(c, "article %lld is recorded as a duplicate of article %lld, but their texts differ",
            id, original);
}

static void describe_twin(checker *c, sqlite3_stmt *row) {
  problem(c, "articles %lld and %lld (%lld in all) have the same text but are both originals",
          (long long)sqlite3_column_int64(row, 0), (long long)sqlite3_column_int64(row, 1),
          (long long)sqlite3_column_int64(row, 2));
}

static void describe_empty(checker *c, sqlite3_stmt *row) {
  problem(c, "article %lld has neither title nor text", (long long)sqlite3_column_int64(row, 0));
}

static void describe_no_language(checker *c, sqlite3_stmt *row) {
  problem(c, "the index records no language (meta)");
}

static void describe_bad_number(checker *c, sqlite3_stmt *row) {
  problem(c, "meta '%s' is '%.40s', not a whole number of 0 or more",
          (const char *)sqlite3_column_text(row, 0), (const char *)sqlite3_column_text(row, 1));
}

static void describe_bad_origin(checker *c, sqlite3_stmt *row) {
  problem(c,
          "the ledger's row for seq %lld is not a JSON array of terms (\"term\","
          " [\"term\", \"spelling\"] or [\"term\", \"spelling\", articles])",
          (long long)sqlite3_column_int64(row, 0));
}

/* A text file's article names its folder in `files` (article_place.h). */
static void describe_no_folder(checker *c, sqlite3_stmt *row) {
  problem(c, "article %lld names folder %lld, which `files` does not hold as a folder",
          (long long)sqlite3_column_int64(row, 0), (long long)sqlite3_column_int64(row, 1));
}

/* One key, one article: only the writer keeps a file's path from being a record's key. */
static void describe_key_twice(checker *c, sqlite3_stmt *row) {
  problem(c, "articles %lld (a file) and %lld (stored under its key) have the same key '%s'",
          (long long)sqlite3_column_int64(row, 0), (long long)sqlite3_column_int64(row, 1),
          (const char *)sqlite3_column_text(row, 2));
}

/* The ledger keeps each term once only through the writer's set of known terms (ledger.h). */
static void describe_term_twice(checker *c, sqlite3_stmt *row) {
  problem(c, "the ledger has the term '%s' %lld times (brought by seqs %lld to %lld)",
          (const char *)sqlite3_column_text(row, 0), (long long)sqlite3_column_int64(row, 1),
          (long long)sqlite3_column_int64(row, 2), (long long)sqlite3_column_int64(row, 3));
}

/* Counts one problem of a kind, reporting the first MAX_REPORTED. */
static void counted_problem(checker *c, int64_t *n_kind, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void counted_problem(checker *c, int64_t *n_kind, const char *format, ...) {
  if (++*n_kind > MAX_REPORTED) {
    c->n_problems++;
    return;
  }
  char line[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(line, sizeof line, format, ap);
  va_end(ap);
  problem(c, "%s", line);
}

#define FACTS_HINT "(newsidx optimize rebuilds them)"

/* The document facts (docinfo.h) hold copies: each indexed article's length as FTS5 counts it
** (its %_docsize row) and its date; every other id is absent. */
static newsidx_status_t check_docinfo(checker *c, newsidx_error *err) {
  newsidx_docinfo *info = NULL;
  newsidx_error load_err = {0};
  newsidx_status_t status = docinfo_load(c->db, &info, &load_err);
  if (status == NEWSIDX_CORRUPT) {
    problem(c, "%s " FACTS_HINT, load_err.message);
    return NEWSIDX_OK;
  }
  if (status != NEWSIDX_OK) {
    if (err) *err = load_err;
    return status;
  }
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(c->db->sqlite,
                              "SELECT d.id, d.sz, a.date FROM articles_fts_docsize d"
                              " LEFT JOIN articles a ON a.id = d.id ORDER BY d.id",
                              -1, &stmt, NULL);
  if (rc != SQLITE_OK) {
    docinfo_free(info);
    return corrupt_is_a_problem(c, rc, "reading the full-text lengths", err);
  }
  int64_t n_kind = 0, next = 0; /* ids below `next` are compared */
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(stmt, 0);
    for (; next < id && next < info->n_ids; next++)
      if (info->when[next] != NEWSIDX_WHEN_ABSENT)
        counted_problem(c, &n_kind,
                        "the document facts list article %lld, which is not in the full-text "
                        "index " FACTS_HINT,
                        (long long)next);
    if (next <= id) next = id + 1;
    int64_t tokens =
        docinfo_docsize_total(sqlite3_column_blob(stmt, 1), sqlite3_column_bytes(stmt, 1));
    const char *date = (const char *)sqlite3_column_text(stmt, 2);
    int64_t when = newsidx_when(date);
    if (date && when == NEWSIDX_WHEN_UNDATED)
      counted_problem(c, &n_kind,
                      "article %lld has the date '%.40s', in neither stored form (YYYY-MM-DD, "
                      "YYYY-MM-DDTHH:MM:SSZ): searches take it as undated",
                      (long long)id, date);
    if (id < 0 || id >= DOCINFO_MAX_ID) continue; /* not recorded; searches fall back */
    if (id >= info->n_ids || info->when[id] == NEWSIDX_WHEN_ABSENT)
      counted_problem(c, &n_kind,
                      "the document facts miss article %lld, which is in the full-text "
                      "index " FACTS_HINT,
                      (long long)id);
    else if (info->n_tokens[id] != tokens)
      counted_problem(c, &n_kind,
                      "the document facts give article %lld %lld tokens, the full-text index "
                      "%lld " FACTS_HINT,
                      (long long)id, (long long)info->n_tokens[id], (long long)tokens);
    else if (info->when[id] != when)
      counted_problem(
          c, &n_kind,
          "the document facts give article %lld another date than its own (%s) " FACTS_HINT,
          (long long)id, date ? date : "none");
  }
  for (; rc == SQLITE_DONE && next < info->n_ids; next++)
    if (info->when[next] != NEWSIDX_WHEN_ABSENT)
      counted_problem(c, &n_kind,
                      "the document facts list article %lld, which is not in the full-text "
                      "index " FACTS_HINT,
                      (long long)next);
  sqlite3_finalize(stmt);
  docinfo_free(info);
  if (n_kind > MAX_REPORTED) {
    char line[256];
    snprintf(line, sizeof line, "%lld more like the above (document facts)",
             (long long)(n_kind - MAX_REPORTED));
    if (c->on_problem) c->on_problem(c->ctx, line);
  }
  return rc == SQLITE_DONE ? NEWSIDX_OK
                           : corrupt_is_a_problem(c, rc, "reading the full-text lengths", err);
}

#define COUNTS_HINT "(newsidx optimize counts them again)"

typedef struct count_comparison {
  checker *c;
  int64_t n_kind, n_words;
} count_comparison;

/* One word of the full-text index: its stored count must be FTS5's. */
static newsidx_status_t compare_count(void *ctx, const char *term, int n_term, int64_t want,
                                      newsidx_error *err) {
  count_comparison *cc = ctx;
  int64_t got;
  newsidx_status_t status = newsidx_term_docs(cc->c->db, term, n_term, &got, err);
  if (status == NEWSIDX_OK && got >= 0 && got != want)
    counted_problem(cc->c, &cc->n_kind,
                    "the stored count of articles with '%.60s' is %lld, the full-text index "
                    "has %lld " COUNTS_HINT,
                    term, (long long)got, (long long)want);
  cc->n_words++;
  return status;
}

/* Compares the `n_stored` stored counts with FTS5's own, in the caller's snapshot. */
static newsidx_status_t compare_counts(checker *c, int64_t n_stored, newsidx_error *err) {
  count_comparison cc = {c, 0, 0};
  newsidx_error walk_err = {0};
  newsidx_status_t status = termdocs_each_indexed(c->db, compare_count, &cc, &walk_err);
  if (status == NEWSIDX_CORRUPT) { /* the full-text index itself: a problem to report */
    problem(c, "counting the articles of each word: %s", walk_err.message);
    return NEWSIDX_OK;
  }
  if (status != NEWSIDX_OK) {
    if (err) *err = walk_err;
    return status;
  }
  if (n_stored > cc.n_words)
    counted_problem(c, &cc.n_kind,
                    "%lld stored counts of articles are for words the full-text index does "
                    "not hold " COUNTS_HINT,
                    (long long)(n_stored - cc.n_words));
  return NEWSIDX_OK;
}

/* The stored number of articles per word (termdocs.h), when it is current, is FTS5's own. */
static newsidx_status_t check_term_docs(checker *c, newsidx_error *err) {
  /* One snapshot for both sides: an indexer may commit meanwhile. */
  int began = sqlite3_get_autocommit(c->db->sqlite) &&
              sqlite3_exec(c->db->sqlite, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  int64_t n_stored = -1;
  newsidx_error load_err = {0};
  newsidx_status_t status = termdocs_n_stored(c->db, &n_stored, &load_err);
  if (status == NEWSIDX_CORRUPT) {
    problem(c, "%s " COUNTS_HINT, load_err.message);
    status = NEWSIDX_OK;
    n_stored = -1;
  } else if (status != NEWSIDX_OK && err) {
    *err = load_err;
  }
  /* n_stored < 0: behind the index, so not read by anyone: nothing to compare */
  if (status == NEWSIDX_OK && n_stored >= 0) status = compare_counts(c, n_stored, err);
  if (began) sqlite3_exec(c->db->sqlite, "COMMIT", NULL, NULL, NULL);
  return status;
}

/* The invariants of the rows, each a query whose rows are the problems. */
static const struct row_check {
  const char *sql;
  describe_fn describe;
  const char *what;
} row_checks[] = {
    {"SELECT d.id, d.dup_of, o.id IS NULL, o.dup_of IS NOT NULL FROM articles d"
     " LEFT JOIN articles o ON o.id = d.dup_of WHERE d.dup_of IS NOT NULL"
     " AND (o.id IS NULL OR o.dup_of IS NOT NULL"
     " OR o.content_hash != d.content_hash) ORDER BY d.id",
     describe_orphan, "duplicates without their original"},
    {"SELECT min(id), max(id), count(*) FROM articles WHERE dup_of IS NULL"
     " GROUP BY content_hash HAVING count(*) > 1 ORDER BY 1",
     describe_twin, "texts with more than one original"},
    {"SELECT id FROM articles WHERE coalesce(title, '') = ''"
     " AND coalesce(body, '') = '' ORDER BY id",
     describe_empty, "articles without text"},
    {"SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'language' AND value != '')",
     describe_no_language, "the index's language"},
    /* the counters of meta (seq_floor: store.c; the generations: termdocs.h), which readers
    ** CAST: 'x' would read as 0, silently */
    {"SELECT key, value FROM meta WHERE key IN ('seq_floor', 'fts_generation',"
     " 'term_docs_generation') AND (CAST(CAST(value AS INTEGER) AS TEXT) IS NOT value"
     " OR CAST(value AS INTEGER) < 0) ORDER BY key",
     describe_bad_number, "counters of meta that are not numbers"},
    {"SELECT a.id, a.folder_id FROM articles a WHERE a.folder_id IS NOT NULL"
     " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.id = a.folder_id"
     " AND (f.path = '' OR substr(f.path, -1) = '/')) ORDER BY a.id",
     describe_no_folder, "articles without their folder"},
    {"SELECT a.id, r.id, f.path || a.key FROM files f"
     " JOIN articles a ON a.folder_id = f.id JOIN articles r"
     " ON r.key = f.path || a.key AND r.folder_id IS NULL ORDER BY a.id",
     describe_key_twice, "keys of more than one article"},
};

/* Compares what meta records of the language with what the index was made with. */
static void compare_language(checker *c, const char *language, const char *recorded,
                             const char *fts_sql) {
  if (!language || !*language) return; /* a row check's */
  if (newsidx_language_check(language, NULL) != NEWSIDX_OK) {
    problem(c, NEWSIDX_NO_STEMMER " (meta)", language);
    return;
  }
  char spec[160], option[180];
  newsidx_tokenizer_spec(language, spec, sizeof spec);
  snprintf(option, sizeof option, "tokenize='%s'", spec);
  if (!recorded || strcmp(recorded, spec) != 0)
    problem(c, "meta 'tokenizer' is '%.80s', not '%s' (the one of the language '%s')",
            recorded ? recorded : "(none)", spec, language);
  if (!fts_sql || !strstr(fts_sql, option))
    problem(c, "the full-text index was not made with %s (the language '%s')", option, language);
}

/* The language meta records must have a Snowball stemmer: searches make their snippets, and the
** indexer its terms, with it. And the tokenizer meta records, and the one the full-text index
** was made with (its tokenize=), must be the one that language gives: else queries and
** documents are stemmed apart. Read from the file, not db->language: it may have changed. */
static newsidx_status_t check_language(checker *c, newsidx_error *err) {
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(c->db->sqlite,
                              "SELECT (SELECT value FROM meta WHERE key = 'language'),"
                              " (SELECT value FROM meta WHERE key = 'tokenizer'),"
                              " (SELECT sql FROM sqlite_schema WHERE name = 'articles_fts')",
                              -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    compare_language(c, (const char *)sqlite3_column_text(stmt, 0),
                     (const char *)sqlite3_column_text(stmt, 1),
                     (const char *)sqlite3_column_text(stmt, 2));
    rc = SQLITE_DONE;
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? NEWSIDX_OK : corrupt_is_a_problem(c, rc, "the index's language", err);
}

newsidx_status_t newsidx_check(newsidx_db *db, int flags, newsidx_problem_fn on_problem, void *ctx,
                               int64_t *n_problems, newsidx_error *err) {
  checker c = {db, on_problem, ctx, 0};
  newsidx_status_t status = check_sqlite(&c, flags & NEWSIDX_CHECK_QUICK, err);
  if (status == NEWSIDX_OK) status = check_fts(&c, err);
  for (size_t i = 0; i < sizeof row_checks / sizeof row_checks[0] && status == NEWSIDX_OK; i++)
    status = check_rows(&c, row_checks[i].sql, row_checks[i].describe, row_checks[i].what, err);
  if (status == NEWSIDX_OK) status = check_language(&c, err);
  int64_t before = c.n_problems;
  if (status == NEWSIDX_OK)
    status = check_rows(&c,
                        "SELECT seq FROM term_origins WHERE CASE WHEN NOT json_valid(terms) THEN 1"
                        " WHEN json_type(terms) != 'array' THEN 1"
                        " ELSE EXISTS (SELECT 1 FROM json_each(terms) j WHERE NOT (j.type = 'text'"
                        " OR (j.type = 'array' AND json_type(j.value, '$[0]') = 'text'"
                        " AND json_type(j.value, '$[1]') = 'text'"
                        " AND json_array_length(j.value) IN (2, 3)"
                        " AND coalesce(json_type(j.value, '$[2]'), 'integer') = 'integer')))"
                        " END ORDER BY seq",
                        describe_bad_origin, "ledger rows that are not JSON", err);
  if (status == NEWSIDX_OK && c.n_problems == before) /* the view reads valid rows only */
    status = check_rows(&c,
                        "SELECT term, count(*), min(seq), max(seq) FROM terms GROUP BY term"
                        " HAVING count(*) > 1 ORDER BY term",
                        describe_term_twice, "terms in the ledger more than once", err);
  if (status == NEWSIDX_OK) status = check_docinfo(&c, err);
  if (status == NEWSIDX_OK) status = check_term_docs(&c, err);
  *n_problems = c.n_problems;
  return status;
}
