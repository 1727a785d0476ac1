"""baseline_fts5.py — the raw SQLite FTS5 baseline: what a hand-rolled SQLite script does with
the same articles, built by the stock `sqlite3` shell and queried with plain SQL.

    prepare(jsonl, queries, folder)   untimed: articles.csv, import.sql, and the SQL of every
                                      query (ranked, and newest-first), written to `folder`
    build_command(db, folder)         the command the harness times: sqlite3 .import of the CSV
                                      into fts5(title, body, tokenize='porter unicode61
                                      remove_diacritics 2'), streaming, one transaction
    cli_command(db, sql)              one whole-process query with the sqlite3 shell

The CSV holds every article with a title or a body (the articles newsidx indexes, duplicates
included: the raw table has no notion of them), in date order, so that rowid order is date
order: a date filter then becomes a rowid range that FTS5 applies inside the MATCH scan, the
way a careful SQLite user would do it. Queries are translated from newsq's syntax (querylang)
into FTS5's: every word quoted, `title:` as a column filter, NEAR() and prefixes as they are;
`tag:` and `source:` have no column here and are n/a.
"""

import bisect
import csv
import os

import querylang
from articles import read_articles

TOKENIZE = "porter unicode61 remove_diacritics 2"
SNIPPET_TOKENS = 48  # newsidx shows 2 passages of 24 tokens; FTS5's snippet() makes one

# Ranked top 10 with a highlighted title and a body snippet; the same weights as newsidx (title
# 10, body 1). {where} is the MATCH and, for a date filter, the rowid range.
RANKED_SQL = ("SELECT rowid, -rank, highlight(articles, 0, '[', ']'),"
              f" snippet(articles, 1, '[', ']', '…', {SNIPPET_TOKENS}) FROM articles"
              " WHERE {where} AND rank MATCH 'bm25(10.0, 1.0)' ORDER BY rank LIMIT 10")
# Newest first: rowids follow dates (see above), so no ranking is needed.
NEWEST_SQL = ("SELECT rowid, highlight(articles, 0, '[', ']'),"
              f" snippet(articles, 1, '[', ']', '…', {SNIPPET_TOKENS}) FROM articles"
              " WHERE {where} ORDER BY rowid DESC LIMIT 10")


class NotExpressible(Exception):
    pass


def fts5_string(text):
    return '"' + text.replace('"', '""') + '"'


def to_fts5(node):
    """The FTS5 MATCH expression of a querylang tree; raises NotExpressible."""
    kind = node[0]
    if kind == "word":
        return fts5_string(node[1])
    if kind == "prefix":
        return fts5_string(node[1]) + "*"
    if kind == "phrase":
        return fts5_string(" ".join(node[1]))
    if kind == "near":
        return "NEAR(" + " ".join(to_fts5(leaf) for leaf in node[1]) + f", {node[2]})"
    if kind == "field":
        if node[1] != "title":
            raise NotExpressible(f"{node[1]}: has no column in the raw FTS5 table")
        return "title : " + to_fts5(node[2])
    if kind == "or":
        return "(" + " OR ".join(to_fts5(child) for child in node[1]) + ")"
    if kind == "and":
        positive = [to_fts5(c) for c in node[1] if c[0] != "not"]
        negative = [to_fts5(c[1]) for c in node[1] if c[0] == "not"]
        if not positive:
            raise NotExpressible("only negative terms")
        return "(" + " AND ".join(positive) + ")" + "".join(" NOT " + n for n in negative)
    if kind == "not":
        raise NotExpressible("NOT without a positive term")
    raise NotExpressible(f"{kind} inside the text query")


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


def where_clause(query, dates):
    """The WHERE condition for `query` over a table whose rowid r has date dates[r - 1]."""
    text, date = querylang.split_filters(querylang.parse(query))
    where = "articles MATCH " + sql_literal(to_fts5(text))
    if date:
        _, first, after = date
        low = bisect.bisect_left(dates, first) + 1 if first else 1
        high = bisect.bisect_left(dates, after) if after else len(dates)
        where += f" AND rowid BETWEEN {low} AND {high}"
    return where


def prepare(jsonl, queries, folder):
    """Writes articles.csv (date order), import.sql and queries.json to `folder`; returns
    {"articles": n, "text_bytes": n, "queries": {id: {"ranked": sql, "newest": sql} or
    {"na": why}}}. Holds the whole corpus in memory only when the input is not in date
    order (Reuters); a generated corpus is, and streams."""
    dates = [a.date[:10] for a in read_articles(jsonl)]
    rows = ((a.date[:10], a.title, a.body) for a in read_articles(jsonl))
    if dates != sorted(dates):
        rows = sorted(rows, key=lambda row: row[0])  # stable: same-day order kept
        dates.sort()
    text_bytes = 0
    with open(os.path.join(folder, "articles.csv"), "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for _, title, body in rows:
            writer.writerow((title, body))
            text_bytes += len(title.encode()) + len(body.encode())
    with open(os.path.join(folder, "import.sql"), "w", encoding="utf-8") as f:
        f.write(f"CREATE VIRTUAL TABLE articles USING fts5(title, body, tokenize='{TOKENIZE}');\n"
                f".import --csv {os.path.join(folder, 'articles.csv')} articles\n")
    translated = {}
    for query_id, _, text in queries:
        try:
            where = where_clause(text, dates)
            translated[query_id] = {"ranked": RANKED_SQL.format(where=where),
                                    "newest": NEWEST_SQL.format(where=where)}
        except (NotExpressible, querylang.QueryError) as e:
            translated[query_id] = {"na": str(e)}
    return {"articles": len(dates), "text_bytes": text_bytes, "queries": translated}


def build_command(db, folder):
    return ["sqlite3", "-batch", db, ".read " + os.path.join(folder, "import.sql")]


def cli_command(db, sql):
    return ["sqlite3", "-batch", "-readonly", db, sql]
