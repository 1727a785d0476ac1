#!/usr/bin/python3
"""pages.py — how well newsidx reads HTML article pages: the figures of issue 16's page targets.

  bench/pages.py --html-records build/tests/html_records [--corpora DIR] [--baseline] [--json]
                 [--check] [--limit N] [--show NAME]

On ../shared/corpora/web/readability (each page's source.html, expected.html and
expected-metadata.json), runs html_records (html_parse() alone, reader_html.c) over every page and
reports:
  - main text: token-level F1 of the body against expected.html's text (tokens: \\w+ runs,
    lowercased; counted as multisets), the mean over the pages whose expected text is not
    empty, and how many pages gave an empty body where expected.html has text;
  - metadata, over the pages whose expected-metadata.json states the field: title (white space
    and case folded; "title" also agrees when the expected one is newsidx's headline followed
    by a separator and the site's name, which Readability keeps and newsidx cuts off;
    "title_strict" does not), lang (the primary subtag), date (the calendar day in UTC, as newsidx
    stores it), byline (folded, "by " cut; equal, or one holding the other);
  - speed: pages per second of html_parse() on one core (its CPU time, reading files
    excluded; run a Release build for the figure), over all pages and over those of 50-150 KB
    (typical news pages), and the largest resident set.
With --baseline, readability-lxml (Debian's python3-readability) is scored on the same pages
the same way. With --check, exits 1 when html_records failed or crashed on a page, 77 when the
corpora are absent (ctest's "skipped"); the figures are reported, not asserted.
"""
import argparse
import collections
import datetime
import html.parser
import json
import os
import re
import subprocess
import sys
import time

BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th",
          "blockquote", "pre", "section", "article", "ul", "ol", "dd", "dt", "figcaption",
          "table", "header", "footer", "figure"}


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(s):
    p = _Text()
    p.feed(s)
    p.close()
    return "".join(p.parts)


def tokens(text):
    return re.findall(r"\w+", (text or "").lower())


def f1(got, want):
    g, w = collections.Counter(tokens(got)), collections.Counter(tokens(want))
    common = sum((g & w).values())
    if not g and not w:
        return 1.0
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def fold(s):
    return " ".join((s or "").casefold().split())


SEPS = (" | ", " - ", " \u2013 ", " \u2014 ", " \u00b7 ", " :: ", " / ", " \u00bb ")


def same_title(got, want):
    """Equal, or the expected title is newsidx's headline with the site's name after it:
    Readability keeps "Headline | Site" where newsidx, as issue 16 asks, keeps the headline."""
    g, w = fold(got), fold(want)
    return bool(g) and (g == w or (w.startswith(g) and any(w[len(g):].startswith(s.strip()) or
                                                           w[len(g):].startswith(s)
                                                           for s in SEPS)))


def same_title_strict(got, want):
    return fold(got) == fold(want)


def same_lang(got, want):
    return bool(got) and re.split(r"[-_]", got.lower())[0] == re.split(r"[-_]", want.lower())[0]


def utc_day(s):
    """The UTC calendar day of an ISO 8601 date or date-time (its day as written without a
    zone), or None."""
    s = s.strip()
    try:
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        m = re.match(r"(\d{4}-\d\d-\d\d)", s)
        return m.group(1) if m else None
    if d.tzinfo:
        d = d.astimezone(datetime.timezone.utc)
    return d.date().isoformat()


def same_date(got, want):
    return bool(got) and got[:10] == utc_day(want)


def fold_byline(s):
    s = re.sub(r"[^\w\s]", " ", fold(s))
    s = re.sub(r"^by\s+", "", " ".join(s.split()))
    return s


def same_byline(got, want):
    g, w = fold_byline(got), fold_byline(want)
    return bool(g) and bool(w) and (g == w or g in w or w in g)


def pages(corpora):
    root = os.path.join(corpora, "web", "readability")
    out = []
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        src = os.path.join(d, "source.html")
        if not os.path.isfile(src):
            continue
        with open(os.path.join(d, "expected.html"), encoding="utf-8") as f:
            expected = html_text(f.read())
        meta_path = os.path.join(d, "expected-metadata.json")
        meta = json.load(open(meta_path, encoding="utf-8")) if os.path.exists(meta_path) else {}
        out.append((name, src, expected, meta))
    return out


def run_newsidx(bench, paths):
    """{path: record} from html_records, and its timing line; (None, why) on a failure."""
    p = subprocess.run([bench], input="\n".join(paths) + "\n", capture_output=True, text=True,
                       timeout=600)
    if p.returncode != 0:
        return None, "html_records exited %d: %s" % (p.returncode, p.stderr[-2000:])
    records = {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        records[r["path"]] = r
    return records, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""


def speed(bench, paths, repeat):
    p = subprocess.run([bench, "--quiet", "--repeat", str(repeat)],
                       input="\n".join(paths) + "\n", capture_output=True, text=True, timeout=900)
    m = re.search(r"pages_per_s ([\d.]+) max_rss_kib (\d+)", p.stderr)
    return (float(m.group(1)), int(m.group(2))) if m else (None, None)


def run_baseline(items):
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    import logging
    from readability import Document
    logging.getLogger("readability").setLevel(logging.ERROR)
    records = {}
    t0 = time.perf_counter()
    for name, src, _, _ in items:
        with open(src, "rb") as f:
            raw = f.read()
        try:
            doc = Document(raw)
            records[src] = {"title": doc.short_title(), "body": html_text(doc.summary())}
        except Exception:
            records[src] = {"title": None, "body": ""}
    return records, len(items) / (time.perf_counter() - t0)


def score(items, records):
    f1s, empty, per_page = [], [], {}
    agree = {k: [0, 0] for k in ("title", "title_strict", "lang", "date", "byline")}
    checks = {"title": ("title", "title", same_title),
              "title_strict": ("title", "title", same_title_strict),
              "lang": ("lang", "lang", same_lang),
              "date": ("publishedTime", "date", same_date),
              "byline": ("byline", "author", same_byline)}
    for name, src, expected, meta in items:
        r = records.get(src) or {}
        body = r.get("body") or ""
        if tokens(expected):
            f = f1(body, expected)
            f1s.append(f)
            per_page[name] = f
            if not tokens(body):
                empty.append(name)
        for k, (field, mine, same) in checks.items():
            if meta.get(field) and mine in r:
                agree[k][1] += 1
                agree[k][0] += bool(same(r.get(mine), meta[field]))
    return {
        "pages": len(items),
        "f1_mean": sum(f1s) / len(f1s) if f1s else 0.0,
        "f1_median": sorted(f1s)[len(f1s) // 2] if f1s else 0.0,
        "empty_bodies": empty,
        "agree": {k: {"agree": a, "of": n, "ratio": a / n if n else None}
                  for k, (a, n) in agree.items()},
        "per_page": per_page,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--html-records", required=True)
    ap.add_argument("--corpora", default=os.environ.get("NEWSIDX_CORPORA",
                                                        os.path.join(here, "..", "..", "shared",
                                                                     "corpora")))
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="parses per page for the speed figure")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages of lowest F1")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.corpora, "web", "readability")):
        print("pages.py: no corpora at %s" % a.corpora, file=sys.stderr)
        return 77
    items = pages(a.corpora)
    if a.limit:
        items = items[:a.limit]
    records, timing = run_newsidx(a.html_records, [src for _, src, _, _ in items])
    if records is None:
        print("pages.py: " + timing, file=sys.stderr)
        return 1
    errors = [r["path"] for r in records.values() if "error" in r]
    result = {"newsidx": score(items, records), "errors": errors}
    pps, rss = speed(a.html_records, [src for _, src, _, _ in items], a.repeat)
    result["newsidx"]["pages_per_s"], result["newsidx"]["max_rss_kib"] = pps, rss
    typical = [src for _, src, _, _ in items if 50 << 10 <= os.path.getsize(src) <= 150 << 10]
    if typical:
        result["newsidx"]["typical_pages"] = len(typical)
        result["newsidx"]["typical_pages_per_s"] = speed(a.html_records, typical, a.repeat)[0]
    if a.baseline:
        base, base_pps = run_baseline(items)
        result["readability_lxml"] = score(items, base)
        result["readability_lxml"]["pages_per_s"] = base_pps
    if a.json:
        print(json.dumps(result, indent=1))
    else:
        for who in ("newsidx", "readability_lxml"):
            if who not in result:
                continue
            s = result[who]
            print("%-17s pages %d  F1 mean %.3f median %.3f  empty bodies %d  %s pages/s" %
                  (who, s["pages"], s["f1_mean"], s["f1_median"], len(s["empty_bodies"]),
                   "%.0f" % s["pages_per_s"] if s.get("pages_per_s") else "-"))
            for k, v in s["agree"].items():
                if v["of"] and (who == "newsidx" or k.startswith("title")):
                    print("  %-12s %3d / %3d = %.3f" % (k, v["agree"], v["of"], v["ratio"]))
        s = result["newsidx"]
        if s.get("typical_pages_per_s"):
            print("newsidx on the %d pages of 50-150 KB: %.0f pages/s" %
                  (s["typical_pages"], s["typical_pages_per_s"]))
        if rss:
            print("newsidx max RSS %d KiB over %d pages" % (rss, len(items)))
        if errors:
            print("errors: %s" % ", ".join(errors))
        if a.worst:
            worst = sorted(result["newsidx"]["per_page"].items(), key=lambda kv: kv[1])
            for name, f in worst[:a.worst]:
                print("  worst %.3f %s" % (f, name))
    return 1 if (a.check and errors) else 0


if __name__ == "__main__":
    sys.exit(main())
