#!/usr/bin/python3
"""feeds.py — how well newsidx reads real feeds: the figures of issue 16's feed targets.

  bench/feeds.py --newsidx build/bin/newsidx [--corpora DIR] [--json] [--check]

Indexes, each set in one run of newsidx into a scratch index, and reads the records back from
the index (articles of each feed's file, in the order stored, which is the feed's):
  - sample-feeds/real-world: the 24 real feeds, each item's title, link and date (UTC) against
    feedparser's parse in expected.json, and the number of items;
  - feedparser/wellformed: every feed read without an error, and entries[0]'s title and link
    where the feed's Expect: comment states them;
  - feedparser/illformed (and encoding, entities): no crash and no hang (the run ends within the
    time limit with exit code 0), and how many feeds gave an error line.
Prints one line per figure (or, with --json, one object). With --check, exits 1 when a run
crashed or hung, 77 when the corpora are absent (ctest's "skipped"); the figures themselves are
reported, not asserted: they are what bench/README records.
"""
import argparse
import ast
import html.parser
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

TIMEOUT = 300

# Where newsidx disagrees with feedparser for a reason (expected.json is a reference, not an
# oracle): feedparser leaves "&#163;" of a doubly escaped title as it is; newsidx decodes the
# HTML of a title, as a reader sees it.
KNOWN = {("b50cfa0fa67a27325debb5bce9a55401", "title"): "feedparser keeps a doubly escaped &#163;"}


def one_line(s):
    """White space collapsed, as newsidx writes a title (feedparser keeps double spaces)."""
    return " ".join(s.split()) if s else None


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(s):
    """The text of feedparser's (sanitized) HTML: newsidx indexes text, not markup."""
    p = _Text()
    p.feed(s)
    p.close()
    return one_line("".join(p.parts)) or ""


def run_index(newsidx, db, paths):
    """Runs newsidx over `paths`; returns (exit code, stderr lines). -1: timed out."""
    env = dict(os.environ, ASAN_OPTIONS="exitcode=99:" + os.environ.get("ASAN_OPTIONS", ""),
               UBSAN_OPTIONS="halt_on_error=1:exitcode=99")
    try:
        p = subprocess.run([newsidx, "--db", db, "--verbose", *paths], capture_output=True,
                           text=True, errors="replace", timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return -1, []
    # 0: all read; 1: some inputs could not be (README, exit codes); anything else: a crash.
    return (0 if p.returncode in (0, 1) else p.returncode), p.stderr.splitlines()


def records(db):
    """{feed path: [row dicts in stored order]}."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out = {}
    for row in con.execute("SELECT a.title, a.url, a.date, a.key, f.path FROM articles a"
                           " JOIN files f ON f.id = a.file_id ORDER BY a.id"):
        out.setdefault(row["path"], []).append(dict(row))
    con.close()
    return out


def error_files(lines, root):
    """The files under `root` that an error line names ("path: line N: why", "path: why")."""
    bad = set()
    for line in lines:
        if not line.startswith(root) or "recovered" in line or "Windows-1252" in line:
            continue
        if " empty article" in line or "UTF-8; read as" in line or "reading it again" in line:
            continue
        bad.add(line.split(":", 1)[0])
    return bad


def real_world(newsidx, root, work):
    folder = os.path.join(root, "feeds/sample-feeds/real-world")
    feeds = sorted(d for d in os.listdir(folder) if os.path.isfile(os.path.join(folder, d, "feed.xml")))
    db = os.path.join(work, "real.db")
    rc, _ = run_index(newsidx, db, [os.path.join(folder, d, "feed.xml") for d in feeds])
    got = records(db) if rc == 0 else {}
    fig = {"feeds": len(feeds), "feeds_all_agree": 0, "items_expected": 0, "items_read": 0,
           "count_agree": 0, "title_agree": 0, "link_agree": 0, "date_agree": 0, "rc": rc,
           "disagreements": []}
    for d in feeds:
        expected = json.load(open(os.path.join(folder, d, "expected.json"), encoding="utf-8"))
        items = expected.get("items", [])
        ours = got.get(os.path.realpath(os.path.join(folder, d, "feed.xml")), [])
        fig["items_expected"] += len(items)
        fig["items_read"] += len(ours)
        same_count = len(items) == len(ours)
        fig["count_agree"] += same_count
        all_agree = same_count
        for e, o in zip(items, ours):
            checks = {"title": (one_line(e.get("title")), one_line(o["title"])),
                      "link": (e.get("link") or None, o["url"] or None),
                      "date": (e.get("date_utc"), o["date"])}
            for name, (want, have) in checks.items():
                if want == have or (d, name) in KNOWN:
                    fig[name + "_agree"] += 1
                else:
                    all_agree = False
                    fig["disagreements"].append(f"{d} {name}: {want!r} != {have!r}")
        if not same_count:
            fig["disagreements"].append(f"{d}: {len(items)} items expected, {len(ours)} read")
        fig["feeds_all_agree"] += all_agree
    return fig


EXPECT = re.compile(r"entries\[0\]\['(title|link)'\]\s*==\s*(u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\")")


def expectations(path):
    """What the Expect: comment states of entries[0]'s title and link."""
    head = open(path, "rb").read(4000).decode("utf-8", "replace")
    m = re.search(r"Expect:(.*?)-->", head, re.S)
    out = {}
    for field, literal in EXPECT.findall(m.group(1) if m else ""):
        try:
            out[field] = ast.literal_eval(literal.lstrip("u"))
        except (ValueError, SyntaxError):
            pass
    return out


def feedparser_set(newsidx, root, work, name):
    folder = os.path.join(root, "feeds/feedparser", name)
    files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(folder) for f in fs
                   if f.endswith((".xml", ".rdf", ".atom", ".rss")))
    db = os.path.join(work, name + ".db")
    rc, lines = run_index(newsidx, db, files)
    bad = error_files(lines, folder)
    got = records(db) if rc == 0 else {}
    fig = {"feeds": len(files), "read_without_error": len(files) - len(bad), "rc": rc,
           "stated": 0, "stated_agree": 0, "stated_no_text": 0, "errors": sorted(bad)[:20], "disagreements": []}
    if name != "wellformed":
        return fig
    for f in files:
        want = expectations(f)
        if not want:
            continue
        ours = got.get(os.path.realpath(f), [])
        for field, value in want.items():
            fig["stated"] += 1
            have = ours[0]["title" if field == "title" else "url"] if ours else None
            if not ours:
                fig["stated_no_text"] += 1  # an entry without text: not indexed (empty article)
            elif (have or "") in (value, html_text(value)):
                fig["stated_agree"] += 1
            else:
                fig["disagreements"].append(f"{os.path.relpath(f, folder)} {field}: {value!r} != {have!r}")
    return fig


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--newsidx", required=True)
    ap.add_argument("--corpora", default=os.environ.get("NEWSIDX_CORPORA", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "../../shared/corpora")))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list the disagreements")
    a = ap.parse_args()
    root = os.path.join(a.corpora, "web")
    if not os.path.isdir(os.path.join(root, "feeds")):
        print("feeds.py: no web corpora at " + root, file=sys.stderr)
        return 77 if a.check else 1
    with tempfile.TemporaryDirectory() as work:
        figures = {"real_world": real_world(a.newsidx, root, work)}
        for name in ("wellformed", "illformed", "encoding", "entities"):
            figures[name] = feedparser_set(a.newsidx, root, work, name)
    if a.json:
        print(json.dumps(figures, indent=1))
    else:
        r = figures["real_world"]
        print(f"real-world feeds: {r['feeds_all_agree']}/{r['feeds']} agree in every item;"
              f" items {r['items_read']}/{r['items_expected']}, counts {r['count_agree']}/{r['feeds']},"
              f" titles {r['title_agree']}, links {r['link_agree']}, dates {r['date_agree']}"
              f" of {r['items_expected']}")
        for name in ("wellformed", "illformed", "encoding", "entities"):
            f = figures[name]
            line = f"feedparser {name}: {f['read_without_error']}/{f['feeds']} read without an error"
            if name == "wellformed":
                line += (f"; stated titles and links {f['stated_agree']}/{f['stated']}"
                         f" ({f['stated_no_text']} of entries without text, not indexed)")
            line += f"; exit {f['rc']}" + (" (hung)" if f["rc"] == -1 else "")
            print(line)
        if a.verbose:
            for name, f in figures.items():
                for d in f["disagreements"]:
                    print(f"  {name}: {d}")
                for e in f.get("errors", []):
                    print(f"  {name} error: {e}")
    crashed = [n for n, f in figures.items() if f["rc"] != 0]
    if a.check and crashed:
        print("feeds.py: newsidx crashed or hung on " + ", ".join(crashed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
