"""query_reuters.py — newsq's answers over Reuters-21578 against an independent scan.

Run by query_reuters.sh: python3 query_reuters.py NEWSQ DB JSONL EXTENSION

The scan reads the JSON Lines itself: it lowercases, folds diacritics, splits on
non-alphanumerics (as FTS5's unicode61 does) and stems with PyStemmer, Debian's wrapper of the
Snowball stemmers. Duplicates (same text under another id) are not in the full-text index, so
searches are compared with --all-duplicates, which lists every record whose text matched.
"""
import csv
import io
import json
import math
import os
import subprocess
import sys

from scan import FAILURES, STEM, check, stems, words

NEWSQ, DB, JSONL, EXTENSION = sys.argv[1:5]


class Record:
    def __init__(self, d):
        self.key = d["id"]
        self.date = d.get("date")
        self.topics = d.get("topics") or []
        self.columns = [stems(d.get("title")), stems(d.get("body"))]
        self.words = set(words(d.get("title"))) | set(words(d.get("body")))


RECORDS = []
for line in open(JSONL, encoding="utf-8"):
    d = json.loads(line)
    if (d.get("title") or "").strip() or (d.get("body") or "").strip():
        RECORDS.append(Record(d))
assert len(RECORDS) == 18813 + 230, len(RECORDS)


def newsq(*args, env=None):
    """Exit code, stdout and stderr of newsq with args; line ends are kept as written."""
    e = dict(os.environ, NO_COLOR="1")
    e.pop("NEWSQ_NOW", None)
    e.update(env or {})
    p = subprocess.run([NEWSQ, "--db", DB, *args], capture_output=True, env=e)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def hits(*args, env=None):
    """The JSON objects newsq prints for args (all of them), after checking the exit code."""
    rc, out, err = newsq("--json", "--limit", "100000", *args, env=env)
    lines = [json.loads(line) for line in out.splitlines()]
    check(rc == (0 if lines else 1), f"exit {rc} for {args} with {len(lines)} hits: {err}")
    check(err == "", f"stderr for {args}: {err}")
    return lines


def keys(*args, env=None):
    return {h["key"] for h in hits("--all-duplicates", *args, env=env)}


def sqlite(sql):
    p = subprocess.run(["sqlite3", DB, f".load {EXTENSION}", sql], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return [line.split("|") for line in p.stdout.splitlines()]


def has_term(r, stem):
    return any(stem in column for column in r.columns)


def has_phrase(r, phrase):
    n = len(phrase)
    return any(column[i:i + n] == phrase for column in r.columns for i in range(len(column)))


def has_near(r, a, b, distance):
    """NEAR/N of two words, as Xapian reads it: in one column, at most `distance` words apart."""
    return has_window(r, [a, b], distance)


def has_window(r, words, distance):
    """Xapian's NEAR/N over k words: all of them in one column within N + k - 1 words."""
    for column in r.columns:
        where = [[i for i, s in enumerate(column) if s == w] for w in words]
        if not all(where):
            continue
        events = sorted((i, k) for k, places in enumerate(where) for i in places)
        last = {}
        for i, k in events:  # the window ending at each position: the latest of every word
            last[k] = i
            if len(last) == len(words) and i - min(last.values()) <= distance + len(words) - 2:
                return True
    return False


# --- Single terms: exactly the records with a token of that stem. ---------------------------
for term in ["cocoa", "tonnes", "strikes", "terrorists", "yen", "Shipping"]:
    stem = STEM(term.lower())
    expected = {r.key for r in RECORDS if has_term(r, stem)}
    check(len(expected) > 5, f"{term}: only {len(expected)} records in the scan")
    all_hits = hits("--all-duplicates", term)
    got = {h["key"] for h in all_hits}
    check(got == expected, f"{term}: {len(got)} keys, scan {len(expected)}; "
          f"missing {sorted(expected - got)[:5]}, extra {sorted(got - expected)[:5]}")
    originals = [h for h in all_hits if h["duplicate_of"] is None]
    rc, out, _ = newsq("--count", term)
    check(rc == 0 and out == f"{len(originals)}\n", f"{term}: --count {out!r}, {len(originals)} hits")
    rc, out, _ = newsq("--count", "--all-duplicates", term)
    check(out == f"{len(expected)}\n", f"{term}: --count --all-duplicates {out!r}")
    rc, out, _ = newsq("--ids", term)
    check(out.split() == [str(h["id"]) for h in originals], f"{term}: --ids differ from --json")
    # every highlighted word in a snippet is the term or a form derived from its stem
    for h in originals:
        for start, end in h["matches"]:
            for s in stems(h["snippet"][start:end]):
                check(s.startswith(stem[:4]), f"{term}: '{h['snippet'][start:end]}' highlighted")

# --- Phrases, pasted text, NEAR. -------------------------------------------------------------
for query, phrase in [('"interest rates"', ["interest", "rate"]), ("9-1/4", ["9", "1", "4"]),
                      ("mln-dlr", ["mln", "dlr"]), ("“crude oil”", ["crude", "oil"])]:
    expected = {r.key for r in RECORDS if has_phrase(r, phrase)}
    got = keys(query)
    check(len(expected) > 20 and got == expected,
          f"{query}: {len(got)} keys, scan {len(expected)}; missing {sorted(expected - got)[:5]}")

# --- A prefix matches the stems that begin with it or with its own stem; numbers and initials
# are one token (issue 18: prices* found 0, US 331 and U.S. 3,950, "1.4" matched 9-1/4). -----
for prefix in ["prices", "economy", "stocks", "trading", "rates"]:
    starts = (prefix, STEM(prefix))
    expected = {r.key for r in RECORDS if any(s.startswith(starts) for c in r.columns for s in c)}
    holding = {r.key for r in RECORDS if prefix in r.words}
    got = keys(prefix + "*")
    check(len(holding) > 20 and holding <= got == expected,
          f"{prefix}*: {len(got)} keys, scan {len(expected)}, {len(holding)} hold '{prefix}'")
check(keys("price*") == {r.key for r in RECORDS if any(s.startswith("price") for c in r.columns
                                                       for s in c)}, "price*: stems as before")
us = {r.key for r in RECORDS if has_term(r, "us")}
for query in ["U.S.", "US", "u.s.", "us"]:
    got = keys(query)
    check(len(us) > 3000 and got == us, f"{query}: {len(got)} keys, scan {len(us)}")
for query, word in [('"1.4"', "1.4"), ("3.15", "3.15"),
                    ("10,000", "10000"), ("10000", "10000"), ("1.5%", "1.5"),
                    ("U.K.", "uk"), ("N.Y.", "ny")]:
    expected = {r.key for r in RECORDS if word in r.words}
    got = keys(query)
    check(len(expected) > 0 and got == expected, f"{query}: {len(got)} keys, scan {len(expected)}")
check(not keys('"1.4"') & {r.key for r in RECORDS if has_phrase(r, ["9", "1", "4"]) and
                           "1.4" not in r.words}, '"1.4" matches none of 9-1/4')
check(keys('"J.C. Penney"') == {r.key for r in RECORDS if has_phrase(r, ["jc", "penney"])},
      "J.C. Penney")

for query in ["NEAR(cocoa ghana, 5)", "cocoa NEAR/5 ghana", "NEAR(ghana, cocoa, 5)"]:
    expected = {r.key for r in RECORDS if has_near(r, "cocoa", "ghana", 5)}
    got = keys(query)
    check(len(expected) > 5 and got == expected,
          f"{query}: {len(got)} keys, scan {len(expected)}; missing {sorted(expected - got)[:5]}, "
          f"extra {sorted(got - expected)[:5]}")
# A NEAR chain is one window of its largest N (Xapian's reading), not pair by pair.
for query, words, distance in [("oil NEAR/6 prices NEAR crude", ["oil", "price", "crude"], 6),
                               ("NEAR(oil prices crude, 3)", ["oil", "price", "crude"], 3)]:
    expected = {r.key for r in RECORDS if has_window(r, words, distance)}
    got = keys(query)
    check(len(expected) > 2 and got == expected,
          f"{query}: {len(got)} keys, scan {len(expected)}; missing {sorted(expected - got)[:5]}, "
          f"extra {sorted(got - expected)[:5]}")
# NEAR before a group: an OR of NEARs.
expected = {r.key for r in RECORDS
            if has_near(r, "cocoa", "ghana", 5) or has_near(r, "cocoa", "ivori", 5)}
got = keys("cocoa NEAR/5 (ghana OR ivory)")
check(len(expected) > 5 and got == expected, f"NEAR (a OR b): {len(got)} keys, scan {len(expected)}")
near = keys("NEAR(cocoa ghana, 5)")
check(near < keys("cocoa ghana"), "NEAR is narrower than AND")

expected = {r.key for r in RECORDS if has_term(r, "cocoa") and not has_term(r, "ghana")}
check(keys("cocoa -ghana") == expected == keys("cocoa NOT ghana"), "cocoa -ghana")
# A NOT next to what has nothing searchable still excludes the next word (it once became AND).
for query in ["cocoa NOT ) ghana", "cocoa NOT $ ghana", 'cocoa NOT "" ghana', "cocoa NOT $ -ghana"]:
    got = keys(query)
    check(got == expected, f"{query}: {len(got)} keys, scan {len(expected)}")
expected = {r.key for r in RECORDS if has_term(r, "cocoa") or has_term(r, "coffe")}
check(keys("cocoa OR coffee") == expected, "cocoa OR coffee")
expected = {r.key for r in RECORDS if "cocoa" in r.columns[0]}
check(keys("title:cocoa") == expected, "title:cocoa")

# --- Filters: each keeps exactly the hits whose metadata fits. --------------------------------
base = hits("cocoa")


def kept(fits):
    return [h["id"] for h in base if fits(h)]


def filtered(*args, env=None):
    return sorted(h["id"] for h in hits(*args, env=env))


def date_in(h, lo, hi):
    return h["date"] is not None and (not lo or h["date"] >= lo) and (not hi or h["date"] < hi)


for args, fits in [
    (["cocoa date:1987-03"], lambda h: date_in(h, "1987-03-01", "1987-04-01")),
    (["cocoa date:1987-03-05..1987-03-10"], lambda h: date_in(h, "1987-03-05", "1987-03-11")),
    (["cocoa date:..1987-03-01"], lambda h: date_in(h, None, "1987-03-02")),
    (["cocoa -date:1987-03"], lambda h: not date_in(h, "1987-03-01", "1987-04-01")),
    (["--since", "1987-04", "--until", "1987-04", "cocoa"],
     lambda h: date_in(h, "1987-04-01", "1987-05-01")),
    (["--since", "1987-06-01", "cocoa"], lambda h: date_in(h, "1987-06-01", None)),
    (["cocoa tag:coffee"], lambda h: "coffee" in h["tags"]),
    (["cocoa tag:coffee,sugar"], lambda h: "coffee" in h["tags"] or "sugar" in h["tags"]),
    (["cocoa -tag:cocoa"], lambda h: "cocoa" not in h["tags"]),
    (["--tag", "COCOA", "cocoa"], lambda h: "cocoa" in h["tags"]),
    (["cocoa source:REUTERS"], lambda h: True),
    (["--source", "reuters", "cocoa"], lambda h: True),
    (["cocoa -lang:en"], lambda h: True),
]:
    want = sorted(kept(fits))
    got = filtered(*args)
    check(got == want, f"{args}: {len(got)} hits, wanted {len(want)}")
    check(0 < len(want) <= len(base), f"{args}: a filter test that filters nothing or everything")
for args in [["cocoa source:ap"], ["cocoa lang:en"], ["--source", "AP", "cocoa"]]:
    rc, out, err = newsq(*args)
    check(rc == 1 and out == "" and err == "", f"{args}: exit {rc}, wanted 1 and no output")

# relative dates count from $NEWSQ_NOW
now = {"NEWSQ_NOW": "1987-03-10T12:00:00Z"}
check(filtered("cocoa", "--since", "7d", "--until", "today", env=now) ==
      sorted(kept(lambda h: date_in(h, "1987-03-03", "1987-03-11"))), "--since 7d")
check(filtered("cocoa date:yesterday", env=now) ==
      sorted(kept(lambda h: date_in(h, "1987-03-09", "1987-03-10"))), "date:yesterday")
check(filtered("cocoa date:2w..", env=now) ==
      sorted(kept(lambda h: date_in(h, "1987-02-24", None))), "date:2w..")

# filters alone list articles newest first, as a plain SQL query over the table does
listing = hits("date:1987-03-02")
rows = sqlite("SELECT id, key FROM articles WHERE dup_of IS NULL AND date >= '1987-03-02'"
              " AND date < '1987-03-03' ORDER BY date DESC, id DESC")
check([str(h["id"]) for h in listing] == [r[0] for r in rows] and len(rows) > 50,
      f"listing of 1987-03-02: {len(listing)} hits, SQL {len(rows)}")
check(all(h["score"] == 0 and h["snippet"] for h in listing), "listings have leads, no scores")
excluded = hits("date:1987-03-02 -oil")
check([h["id"] for h in excluded] ==
      [h["id"] for h in listing if h["id"] not in {x["id"] for x in hits("oil date:1987-03-02")}],
      "a listing minus an exclusion")

# --- Sorts. -----------------------------------------------------------------------------------
for weights in ["10,1", "1,1", "2.5,7"]:
    t, b = weights.split(",")
    ranked = hits("--weights", weights, "cocoa")
    cli = {int(i): float(s) for i, s in sqlite(
        f"SELECT rowid, -bm25(articles_fts, {t}, {b}) FROM articles_fts"
        " WHERE articles_fts MATCH '\"cocoa\"'")}
    check({h["id"] for h in ranked} == set(cli), f"weights {weights}: the ids differ from sqlite3")
    check(all(abs(h["score"] - cli[h["id"]]) <= 1e-5 * abs(cli[h["id"]]) for h in ranked),
          f"weights {weights}: scores differ from bm25() in sqlite3")
    check(all(a["score"] >= b["score"] for a, b in zip(ranked, ranked[1:])),
          f"weights {weights}: not in descending score order")

by_date = hits("--sort", "date", "cocoa")
check([h["id"] for h in by_date] == [int(r[0]) for r in sqlite(
    "SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
    " WHERE articles_fts MATCH '\"cocoa\"' ORDER BY a.date DESC, a.id DESC")], "--sort date")
check(all(a["date"] >= b["date"] for a, b in zip(by_date, by_date[1:])), "dates descend")


def days(iso):
    y, m, d = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
    h, mi, s = (int(iso[11:13]), int(iso[14:16]), int(iso[17:19])) if len(iso) > 10 else (0, 0, 0)
    import datetime
    t = datetime.datetime(y, m, d, h, mi, s, tzinfo=datetime.timezone.utc)
    return t.timestamp() / 86400


reference = days(sqlite("SELECT max(date) FROM articles")[0][0])
relevance = {h["id"]: h["score"] for h in hits("cocoa")}
hybrid = hits("--sort", "hybrid", "--half-life", "20", "cocoa")
for h in hybrid:
    want = relevance[h["id"]] * 2 ** (-(reference - days(h["date"])) / 20)
    check(math.isclose(h["score"], want, rel_tol=1e-5, abs_tol=1e-300),
          f"hybrid score of {h['id']}: {h['score']}, formula {want}")
check(all(a["score"] >= b["score"] for a, b in zip(hybrid, hybrid[1:])), "hybrid order")
check([h["id"] for h in hybrid] != [h["id"] for h in base], "hybrid differs from relevance")

# paging: --offset and --limit cut the same list
page = hits("--offset", "5", "cocoa")
rc, out, _ = newsq("--json", "--limit", "3", "--offset", "5", "cocoa")
check([json.loads(line)["id"] for line in out.splitlines()] == [h["id"] for h in page[:3]],
      "--limit 3 --offset 5")
check([json.loads(line)["rank"] for line in out.splitlines()] == [6, 7, 8], "ranks of a page")

# --- Output formats, parsed back. ---------------------------------------------------------------
rc, out, _ = newsq("--csv", "--limit", "100000", "cocoa")
rows = list(csv.reader(io.StringIO(out, newline="")))
check(rows[0] == ["rank", "id", "duplicate_of", "key", "path", "date", "title", "source", "url",
                  "score", "snippet"], f"CSV header {rows[0]}")
check([int(r[1]) for r in rows[1:]] == [h["id"] for h in base], "CSV ids")
check(all(r[3] == h["key"] and r[5] == h["date"] and r[6] == (h["title"] or "") and
          math.isclose(float(r[9]), h["score"], rel_tol=1e-5) for r, h in zip(rows[1:], base)),
      "CSV fields equal the JSON ones")
check(out.count("\r\n") == len(rows) + sum(r[10].count("\r\n") for r in rows), "CSV lines end CRLF")
rc, out, _ = newsq("--paths", "cocoa")
check(rc == 0 and out == JSONL + "\n", f"--paths: {out[:200]!r}")
rc, out, _ = newsq("--limit", "2", "cocoa")
check(rc == 0 and out.startswith("1. 1987-") and "**cocoa**" in out.lower(), f"text: {out[:300]}")

rc, out, _ = newsq("--count", "cocoa")
total = int(out)
timeline_rows = [json.loads(line) for line in
                 subprocess.run([NEWSQ, "timeline", "--db", DB, "--json", "cocoa"],
                                capture_output=True, text=True).stdout.splitlines()]
check(sum(r["count"] for r in timeline_rows) == total, "timeline counts add up to --count")
check(all(r["start"] < r["end"] for r in timeline_rows), "timeline periods")
weekly = [r for r in timeline_rows if r["count"]]
check(all(sum(1 for h in base if r["start"] <= h["date"] < r["end"]) == r["count"]
          for r in weekly), "each week's count")
p = subprocess.run([NEWSQ, "timeline", "--db", DB, "--csv", "--by", "month", "cocoa"],
                   capture_output=True, text=True)
months = list(csv.DictReader(io.StringIO(p.stdout, newline="")))
check(p.returncode == 0 and months[0]["period"] == "1987-02" and
      sum(int(m["count"]) for m in months) == total, "timeline --by month --csv")
p = subprocess.run([NEWSQ, "timeline", "--db", DB, "cocoa"], capture_output=True, text=True)
check(p.returncode == 0 and "█" in p.stdout and str(max(r["count"] for r in timeline_rows))
      in p.stdout, "timeline bars")

p = subprocess.run([NEWSQ, "facets", "--db", DB, "--json", "--top", "0", "cocoa"],
                   capture_output=True, text=True)
facets = [json.loads(line) for line in p.stdout.splitlines()]
check({(f["facet"], f["value"]): f["count"] for f in facets if f["facet"] != "tag"} ==
      {("source", "Reuters"): total, ("year", "1987"): total}, "facets: source and year")
tag_counts = {}
for h in base:
    for t in h["tags"]:
        tag_counts[t] = tag_counts.get(t, 0) + 1
check({f["value"]: f["count"] for f in facets if f["facet"] == "tag"} == tag_counts, "tag facet")
counts = [f["count"] for f in facets if f["facet"] == "tag"]
check(counts == sorted(counts, reverse=True), "tags by count")
p = subprocess.run([NEWSQ, "facets", "--db", DB, "--top", "2", "cocoa", "date:1987-03"],
                   capture_output=True, text=True)
check(p.returncode == 0 and p.stdout.count("\n  ") == 4, f"facets text: {p.stdout}")

# --- Exit codes and errors. -----------------------------------------------------------------------
rc, out, err = newsq("zyzzyvaqx")
check((rc, out, err) == (1, "", ""), "no match: exit 1, nothing printed")
rc, out, err = newsq("--count", "zyzzyvaqx")
check((rc, out) == (1, "0\n"), "--count of nothing")
# Pasted text is searched, not refused: a quote left open closes at the end, empty parentheses
# vanish, a NAME: that is not a field is text.
for query, same_as in [("cocoa “prices", "cocoa prices"), ("cocoa ()", "cocoa"),
                       ("cocoa (*) prices", "cocoa prices"), ("Ghana:cocoa", '"ghana cocoa"')]:
    got = keys(query)
    check(len(got) > 0 and got == keys(same_as), f"{query}: {len(got)} keys, as {same_as}")
# What other engines' users type (issue 18): +word is required, * lists everything, a word
# written again is one term, subject: (no field here) searches its value with a notice.
expected = {r.key for r in RECORDS if "cocoa" in r.columns[0]}
check(keys("+title:cocoa") == expected, "+title:cocoa")
expected = {r.key for r in RECORDS if has_term(r, "cocoa") and not has_term(r, "ghana")}
check(keys("cocoa +-ghana") == expected, "cocoa +-ghana")
rc, out, _ = newsq("--count", "--all-duplicates", "*")
check(out == f"{len(RECORDS)}\n", f"*: {out!r}, {len(RECORDS)} records")
expected = {r.key for r in RECORDS if not has_term(r, "ghana")}
check(keys("* -ghana") == expected == keys("*:* NOT ghana"), "* -ghana")
check(keys(" ".join(["oil"] * 70)) == keys("oil"), "oil written 70 times")
rc, out, err = newsq("--count", "subject:cocoa")
check(rc == 0 and out == newsq("--count", "cocoa")[1] and err.startswith(
    "newsq: note: subject: is not a field here") and err.count("\n") == 1, f"subject: {err!r}")
check(len(keys("date:1987.03.12..")) > 1000 and keys("date:1987.03.12..") == keys(
    "date:1987-03-12.."), "date:1987.03.12..")
check(keys("date:1987-03-01..date:1987-03-31") == keys("date:1987-03"), "date:A..date:B")
for query, message in [
    ('""', "newsq: query error at column 1: nothing to search for\n"),
    ("AND OR", "newsq: query error at column 1: nothing to search for\n"),
    ("cocoa date:87-03", "newsq: query error at column 12: bad date '87-03' (use YYYY, "
                         "YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)\n"),
    ("cocoa NEAR/x ghana", "newsq: query error at column 12: NEAR distance is not a number\n"),
    ("-cocoa", "newsq: query error at column 1: the query only excludes; add a word to search "
               "for, or a filter\n"),
]:
    rc, out, err = newsq(query)
    check((rc, out, err) == (2, "", message), f"{query}: exit {rc}, stderr {err!r}")
p = subprocess.run([NEWSQ, "--db", DB + ".absent", "cocoa"], capture_output=True, text=True)
check(p.returncode == 2 and ".absent" in p.stderr, "a missing index is an error")

# a reader that stops early (`newsq … | head -1`) is normal: no message, exit 0
p = subprocess.Popen([NEWSQ, "--db", DB, "--json", "--limit", "100000", "said"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
first = p.stdout.readline()
p.stdout.close()
err = p.stderr.read()
rc = p.wait()
check(json.loads(first)["rank"] == 1 and rc == 0 and err == b"", f"closed pipe: exit {rc} {err}")

if FAILURES:
    sys.exit(f"{len(FAILURES)} checks failed")
print("all checks passed")
