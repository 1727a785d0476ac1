#!/usr/bin/python3
"""baseline_xapian.py — the Xapian 1.4 baseline (Debian's python3-xapian; run it with
/usr/bin/python3, the Python that has Debian's modules).

    baseline_xapian.py build ARTICLES.jsonl DB        index, then compact into DB (a folder)
    baseline_xapian.py bench DB QUERIES.txt [ranked|newest] [--warmup N --min-reps N
                       --max-reps N --budget-ms MS]   in-process latency, JSON on stdout
    baseline_xapian.py search DB QUERY               one query, printed (whole-process timing)

Index: each article with a title or a body becomes a document. TermGenerator with the English
Snowball stemmer indexes stems with positions (STEM_ALL_Z: the same thing newsidx and raw FTS5
index, so all three answer the same question); the title is indexed twice: with prefix S for
`title:` queries, and in the body's term space with wdf 10, the 10:1 weight newsidx gives the
title. Tags and the source are boolean terms (K, XS), the date is value slot 0 (ISO text,
which sorts by time), and the title, body and date are the document data (JSON), from which
snippets are made. Queries: BM25, top 10, MSet.snippet() of the title and the body.

Queries are translated from newsq's syntax (querylang) into explicit Query objects: words as
stemmed Z terms, phrases and NEAR as positional operators over them, prefixes as OP_WILDCARD,
`title:` over the S-prefixed terms, `tag:`/`source:` and `date:` as weightless filters (a value
range for dates). NEAR(a b, N), "at most N words between", is a window of N + 2 positions.
"""

import argparse
import datetime
import json
import os
import shutil
import sys
import time

import xapian

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import querylang  # noqa: E402
from articles import read_articles  # noqa: E402
import stats  # noqa: E402

TITLE_WEIGHT = 10  # wdf of each title word in the body's term space
SNIPPET_BYTES = 300  # about the 2 x 24 words newsidx shows
SLOT_DATE = 0
STEMMER = xapian.Stem("english")


def build(jsonl, db_path):
    """Indexes every article of `jsonl` with a title or a body into a temporary database, then
    compacts it into `db_path` (as one would before serving it). Prints the document count."""
    scratch = db_path + ".tmp"
    shutil.rmtree(scratch, ignore_errors=True)
    db = xapian.WritableDatabase(scratch, xapian.DB_CREATE_OR_OVERWRITE)
    generator = xapian.TermGenerator()
    generator.set_stemmer(STEMMER)
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_ALL_Z)
    n = 0
    for article in read_articles(jsonl):
        doc = xapian.Document()
        generator.set_document(doc)
        generator.index_text(article.title, 1, "S")
        generator.increase_termpos()
        generator.index_text(article.title, TITLE_WEIGHT)
        generator.increase_termpos()
        generator.index_text(article.body)
        for tag in article.tags:
            doc.add_boolean_term("K" + tag.lower())
        if article.source:
            doc.add_boolean_term("XS" + article.source.lower())
        doc.add_value(SLOT_DATE, article.date)
        doc.set_data(json.dumps({"t": article.title, "b": article.body, "d": article.date}))
        db.add_document(doc)
        n += 1
    db.commit()
    db.close()
    shutil.rmtree(db_path, ignore_errors=True)
    xapian.Database(scratch).compact(db_path)
    shutil.rmtree(scratch)
    print(f"{n} documents")


class NotExpressible(Exception):
    pass


def term(word, prefix):
    """The stemmed term of `word` as STEM_ALL_Z writes it (the stemmer gives bytes)."""
    return "Z" + prefix + STEMMER(word).decode()


def to_query(node, prefix=""):
    """The Xapian Query of a querylang tree; `prefix` is "S" inside title:."""
    kind = node[0]
    if kind == "word":
        return xapian.Query(term(node[1], prefix))
    if kind == "prefix":
        return xapian.Query(xapian.Query.OP_WILDCARD, "Z" + prefix + node[1], 0,
                            xapian.Query.WILDCARD_LIMIT_ERROR, xapian.Query.OP_SYNONYM)
    if kind == "phrase":
        terms = [term(w, prefix) for w in node[1]]
        if len(terms) == 1:
            return xapian.Query(terms[0])
        return xapian.Query(xapian.Query.OP_PHRASE, terms, len(terms))
    if kind == "near":
        if any(leaf[0] != "word" for leaf in node[1]):
            raise NotExpressible("NEAR over phrases")
        terms = [term(leaf[1], prefix) for leaf in node[1]]
        return xapian.Query(xapian.Query.OP_NEAR, terms, node[2] + len(terms))
    if kind == "field":
        name, leaf = node[1], node[2]
        if name == "title":
            return to_query(leaf, "S")
        if leaf[0] != "word":
            raise NotExpressible(f"{name}: with a phrase or prefix")
        boolean = xapian.Query(("K" if name == "tag" else "XS") + leaf[1])
        return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, boolean, 0)
    if kind == "or":
        return xapian.Query(xapian.Query.OP_OR, [to_query(c, prefix) for c in node[1]])
    if kind == "and":
        positive = [to_query(c, prefix) for c in node[1] if c[0] != "not"]
        negative = [to_query(c[1], prefix) for c in node[1] if c[0] == "not"]
        if not positive:
            raise NotExpressible("only negative terms")
        query = xapian.Query(xapian.Query.OP_AND, positive)
        if negative:
            query = xapian.Query(xapian.Query.OP_AND_NOT, query,
                                 xapian.Query(xapian.Query.OP_OR, negative))
        return query
    raise NotExpressible(f"{kind} inside the text query")


def compile_query(tree):
    """The Query for a parsed query, with a date filter as a value range on slot 0."""
    text, date = querylang.split_filters(tree)
    query = to_query(text)
    if date:
        _, first, after = date
        ranges = []
        if first:
            ranges.append(xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_DATE, first))
        if after:  # the last day, with any time of day ('~' sorts after 'T')
            last = (datetime.date.fromisoformat(after) - datetime.timedelta(days=1)).isoformat()
            ranges.append(xapian.Query(xapian.Query.OP_VALUE_LE, SLOT_DATE, last + "~"))
        for value_range in ranges:
            query = xapian.Query(xapian.Query.OP_FILTER, query, value_range)
    return query


def top10(db, tree, newest):
    """Runs the query and makes the snippets, as a search front end would; returns the hits
    as (docid, weight, title snippet, body snippet)."""
    enquire = xapian.Enquire(db)
    enquire.set_query(compile_query(tree))
    enquire.set_weighting_scheme(xapian.BM25Weight())
    if newest:
        enquire.set_sort_by_value_then_relevance(SLOT_DATE, True)
    mset = enquire.get_mset(0, 10)
    hits = []
    for match in mset:
        data = json.loads(match.document.get_data())
        hits.append((match.docid, match.weight,
                     mset.snippet(data["t"], 1000, STEMMER, 0, "[", "]", "…").decode(),
                     mset.snippet(data["b"], SNIPPET_BYTES, STEMMER,
                                  xapian.MSet.SNIPPET_EXHAUSTIVE, "[", "]", "…").decode()))
    return hits


def bench(db_path, queries_path, mode, warmup, min_reps, max_reps, budget_ms):
    db = xapian.Database(db_path)
    records = []
    for query_id, _, text in querylang.load_queries(queries_path):
        try:
            tree = querylang.parse(text)
            compile_query(tree)
        except (NotExpressible, querylang.QueryError) as e:
            records.append({"id": query_id, "na": str(e)})
            continue
        samples, hits = stats.time_repeatedly(lambda: top10(db, tree, mode == "newest"),
                                              warmup, min_reps, max_reps, budget_ms,
                                              time.perf_counter)
        records.append(stats.query_record(query_id, samples, len(hits)))
    json.dump(stats.latency_report("xapian", records), sys.stdout)
    print()


def search(db_path, text):
    db = xapian.Database(db_path)
    hits = top10(db, querylang.parse(text), False)
    for rank, (docid, weight, title, body) in enumerate(hits, 1):
        print(f"{rank}. {title}  (doc {docid}, {weight:.2f})\n   {body}")
    return 0 if hits else 1


def main():
    parser = argparse.ArgumentParser(description="The Xapian baseline of bench/run.sh.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build")
    p.add_argument("jsonl")
    p.add_argument("db")
    p = sub.add_parser("bench")
    p.add_argument("db")
    p.add_argument("queries")
    p.add_argument("mode", nargs="?", choices=("ranked", "newest"), default="ranked")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--min-reps", type=int, default=10)
    p.add_argument("--max-reps", type=int, default=1000)
    p.add_argument("--budget-ms", type=float, default=500)
    p = sub.add_parser("search")
    p.add_argument("db")
    p.add_argument("query")
    args = parser.parse_args()
    if args.command == "build":
        build(args.jsonl, args.db)
    elif args.command == "bench":
        bench(args.db, args.queries, args.mode, args.warmup, args.min_reps,
              max(args.max_reps, args.min_reps), args.budget_ms)
    else:
        sys.exit(search(args.db, args.query))


if __name__ == "__main__":
    main()
