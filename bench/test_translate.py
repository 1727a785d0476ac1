#!/usr/bin/python3
"""test_translate.py — ctest bench.translate: the query set parses, and each baseline's
translation of newsq's syntax says what the query means (golden cases below). Xapian cases
run only where python3-xapian is installed (bench/run.sh installs it)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baseline_fts5  # noqa: E402
import querylang  # noqa: E402

# newsq query -> FTS5 MATCH expression, or the start of the reason it is n/a.
FTS5 = [
    ("dollar", '"dollar"'),
    ("oil prices", '("oil" AND "prices")'),
    ("wheat OR corn", '("wheat" OR "corn")'),
    ("(sugar OR cocoa) prices", '(("sugar" OR "cocoa") AND "prices")'),
    ('"interest rates"', '"interest rates"'),
    ("NEAR(opec output, 10)", 'NEAR("opec" "output", 10)'),
    ("oil NEAR/5 embargo", 'NEAR("oil" "embargo", 5)'),
    ("export*", '"export"*'),
    ("title:coffee", 'title : "coffee"'),
    ('title:"money market" rates', '(title : "money market" AND "rates")'),
    ("oil -opec", '("oil") NOT "opec"'),
    ("gold NOT mining", '("gold") NOT "mining"'),
    ("U.S. dollar", '("u s" AND "dollar")'),
    ('say "it\'s"', '("say" AND "it s")'),
    ("tag:crude opec", "n/a: tag: has no column"),
    ("-opec", "n/a: NOT without a positive term"),
]

# Date filters become rowid ranges over a table in date order (rowid r has dates[r - 1]).
DATES = ["1987-02-26", "1987-03-01", "1987-03-31", "1987-04-30", "1987-05-01", "1988-01-02"]
RANGES = [
    ("dollar date:1987-03..1987-04", "rowid BETWEEN 2 AND 4"),
    ("dollar date:1987-03", "rowid BETWEEN 2 AND 3"),
    ("dollar date:1987", "rowid BETWEEN 1 AND 5"),
    ("dollar date:1987-05-01..", "rowid BETWEEN 5 AND 6"),
    ("dollar date:..1987-02", "rowid BETWEEN 1 AND 1"),
    ("dollar date:1990..1991", "rowid BETWEEN 7 AND 6"),  # nothing in range
]

# newsq query -> str() of the Xapian Query (terms are Snowball stems with Z, title S).
XAPIAN = [
    ("rates", "Query(Zrate)"),
    ('"interest rates"', "Query((Zinterest PHRASE 2 Zrate))"),
    ("NEAR(opec output, 10)", "Query((Zopec NEAR 12 Zoutput))"),
    ("title:coffee", "Query(ZScoffe)"),
    ("export*", "Query(WILDCARD SYNONYM Zexport)"),
    ("oil -opec", "Query((Zoil AND_NOT Zopec))"),
    ("tag:crude", "Query(0 * Kcrude)"),
    ("dollar date:1987-03..1987-04",
     "Query(((Zdollar FILTER VALUE_GE 0 1987-03-01) FILTER VALUE_LE 0 1987-04-30~))"),
]


def fts5(query):
    try:
        return baseline_fts5.to_fts5(querylang.split_filters(querylang.parse(query))[0])
    except baseline_fts5.NotExpressible as e:
        return f"n/a: {e}"


def main():
    failures = []
    for query, want in FTS5:
        got = fts5(query)
        if not got.startswith(want) or (not want.startswith("n/a") and got != want):
            failures.append(f"FTS5 {query!r}: {got!r}, wanted {want!r}")
    for query, want in RANGES:
        got = baseline_fts5.where_clause(query, DATES)
        if not got.endswith(want):
            failures.append(f"range {query!r}: {got!r}, wanted ... {want!r}")
    for bad in ('"unclosed', "NEAR(a b, 10", "()", "date:1987-13"):
        try:
            querylang.parse(bad)
            failures.append(f"{bad!r} parsed")
        except (querylang.QueryError, ValueError):
            pass
    queries = querylang.load_queries(os.path.join(os.path.dirname(__file__), "queries.txt"))
    kinds = {kind for _, kind, _ in queries}
    if len(queries) < 40 or len(kinds) < 9:
        failures.append(f"query set: {len(queries)} queries of {len(kinds)} types")
    for query_id, _, text in queries:
        querylang.parse(text)  # every query of the set parses
    try:
        import baseline_xapian
    except ImportError:
        baseline_xapian = None
        print("python3-xapian is not installed: Xapian translations not checked")
    if baseline_xapian:
        for query, want in XAPIAN:
            got = str(baseline_xapian.compile_query(querylang.parse(query)))
            if got != want:
                failures.append(f"Xapian {query!r}: {got}, wanted {want}")
        for query_id, _, text in queries:
            baseline_xapian.compile_query(querylang.parse(text))
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print(f"ok: {len(FTS5) + len(RANGES)} FTS5 and {len(XAPIAN)} Xapian translations, "
              f"{len(queries)} queries parse")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
