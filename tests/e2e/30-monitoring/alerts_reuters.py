"""alerts_reuters.py — newsq alerts over Reuters-21578 replayed in date order, in several indexing
runs, checked against an independent reading of the JSON Lines.

Run by alerts_reuters.sh: python3 alerts_reuters.py NEWSIDX NEWSQ WORKDIR JSONL

The records are sorted by date and split at day boundaries into CHUNKS parts; each run appends a
part to a feed and indexes it, then runs `newsq alerts --json`. Checked:
  - each query rule reports, at each run, exactly the originals of that run's part that match
    it (so each matching article exactly once over the runs, and never a duplicate);
  - `--peek` prints what the real run then prints, and changes nothing in the database;
  - an output that fails (/dev/full) exits 2, changes nothing, and the next run reports all;
  - the words a new-terms rule reports at each run are exactly the stems absent from every
    earlier part (names: each reported once, introduced by an article of that run's part —
    checked loosely, as finding capitalized runs independently would repeat the ledger);
  - a changed record that newly matches alerts once, one that still matches does not, and a
    duplicate of a reported article does not;
  - `newsq terms new` over the last days lists exactly the stems first seen in them, with their
    article counts.
The scan reads text as the index does (scan.py).
"""
import collections
import json
import os
import sqlite3
import subprocess
import sys

from scan import FAILURES, STEMMER, check, stems as tokens

NEWSIDX, NEWSQ, WORK, JSONL = sys.argv[1:5]
DB = os.path.join(WORK, "replay.db")
FEED = os.path.join(WORK, "feed.jsonl")
CHUNKS = 8


def noise(term):  # terms.c: a number, a single letter, or letters mixed with digits
    return len(term) <= 1 or any(c.isdigit() for c in term)


def run(*args, ok=(0,)):
    p = subprocess.run(list(args), capture_output=True, text=True)
    check(p.returncode in ok, f"{args[1:]}: exit {p.returncode}: {p.stderr.strip()}")
    return p


def newsq(*args, ok=(0,)):
    return run(NEWSQ, "--db", DB, *args, ok=ok)


def state():
    """What alerts may change: the rules' marks and runs, and what they reported."""
    with sqlite3.connect(DB) as c:
        return (c.execute("SELECT name, cursor, last_run_at FROM rules ORDER BY name").fetchall(),
                c.execute("SELECT count(*) FROM rule_hits").fetchone(),
                c.execute("SELECT count(*) FROM rule_terms").fetchone())


# --- The records, in replay order, and the parts. --------------------------------------------
records = [json.loads(line) for line in open(JSONL, encoding="utf-8")]
records.sort(key=lambda d: d.get("date") or "9999")  # stable: undated last, in file order
days = collections.OrderedDict()
for d in records:
    days.setdefault((d.get("date") or "")[:10], []).append(d)
parts, part = [], []
for day in days.values():
    part.extend(day)
    if len(part) >= len(records) / CHUNKS and len(parts) < CHUNKS - 1:
        parts.append(part)
        part = []
parts.append(part)


class Article:
    """One record as the index holds it: its text's stems by column, its text key."""

    def __init__(self, d):
        self.d = d
        self.key = d["id"]
        self.columns = [tokens(d.get("title")), tokens(d.get("body"))]
        self.stems = set(self.columns[0]) | set(self.columns[1])
        self.text = " ".join((d.get("title") or "").split()) + "\x1e" + \
            " ".join((d.get("body") or "").split())
        self.topics = [t.lower() for t in d.get("topics") or []]


def has_phrase(a, phrase):
    n = len(phrase)
    return any(col[i:i + n] == phrase for col in a.columns for i in range(len(col)))


RULES = {  # name: (newsq rule add arguments, the scan's test for an original)
    "cocoa": (["cocoa"], lambda a: "cocoa" in a.stems),
    "rates": (['"interest rates"'], lambda a: has_phrase(a, ["interest", "rate"])),
    "oil": (["oil source:Reuters"], lambda a: "oil" in a.stems and a.d.get("source") == "Reuters"),
    "grain": (["--tag", "grain"], lambda a: "grain" in a.topics),
}
texts = {}  # text key -> the key of the original holding it
current = {}  # key -> its Article, as indexed now
seen_stems = set()

open(FEED, "w").close()
run(NEWSIDX, "--db", DB, FEED)  # an empty index, for the rules
for name, (args, _) in RULES.items():
    newsq("rule", "add", name, *args)
newsq("rule", "add", "fresh", "--new-terms", "--words-only")
newsq("rule", "add", "names", "--new-terms", "--names-only")


def index(lines):
    with open(FEED, "a", encoding="utf-8") as out:
        for d in lines:
            out.write(json.dumps(d) + "\n")
    run(NEWSIDX, "--db", DB, "--quiet", FEED)


def store(d):
    """Follows what the index does with a record; returns the Article if it is a new or
    changed original, else None."""
    if not ((d.get("title") or "").strip() or (d.get("body") or "").strip()):
        return None  # empty: skipped
    a = Article(d)
    old = current.get(a.key)
    if old and old.text == a.text:
        return None
    if old and texts.get(old.text) == a.key:
        del texts[old.text]  # (no duplicates of changed originals in this replay)
    current[a.key] = a
    if a.text in texts:
        return None  # a duplicate
    texts[a.text] = a.key
    return a


def alerts(what, output=None):
    """The alerts of `newsq alerts --json` (run now, unless its output is given) by rule,
    after checking their form."""
    by_rule = collections.defaultdict(list)
    for line in (output if output is not None else newsq("alerts", "--json").stdout).splitlines():
        alert = json.loads(line)
        by_rule[alert["rule"]].append(alert)
    for name, hits in by_rule.items():
        if name in RULES:
            check([h["rank"] for h in hits] == list(range(1, len(hits) + 1)), f"{what}: ranks")
            order = [(h["date"] or "", h["id"]) for h in hits]
            check(order == sorted(order, reverse=True), f"{what} {name}: not newest first")
    return by_rule


def check_articles(what, by_rule, new_originals):
    for name, (_, matches) in RULES.items():
        got = [h["key"] for h in by_rule.get(name, [])]
        want = {a.key for a in new_originals if matches(a)}
        check(len(got) == len(set(got)), f"{what} {name}: an article twice")
        check(set(got) == want, f"{what} {name}: {len(got)} alerts, the scan {len(want)}; "
              f"missing {sorted(want - set(got))[:5]}, extra {sorted(set(got) - want)[:5]}")


reported_names = set()
id_to_key = {}


def check_terms(what, by_rule, new_originals):
    global seen_stems
    part_stems = set().union(*(a.stems for a in new_originals)) if new_originals else set()
    want = {s for s in part_stems - seen_stems if not noise(s)}
    got = [t["term"] for t in by_rule.get("fresh", [])]
    check(len(got) == len(set(got)), f"{what}: a new term twice")
    check(set(got) == want, f"{what}: {len(got)} new terms, the scan {len(want)}; "
          f"missing {sorted(want - set(got))[:8]}, extra {sorted(set(got) - want)[:8]}")
    check(all(t["kind"] == "word" and t["docs"] >= 1 for t in by_rule.get("fresh", [])),
          f"{what}: fresh rows")
    seen_stems |= part_stems
    keys = {a.key for a in new_originals}
    with sqlite3.connect(DB) as c:
        id_to_key.update(c.execute("SELECT id, key FROM articles").fetchall())
    for t in by_rule.get("names", []):
        check(t["kind"] == "name" and t["term"] not in reported_names, f"{what}: {t['surface']}")
        reported_names.add(t["term"])
        first = current.get(id_to_key.get(t["first_article"]))
        check(first is not None and first.key in keys and set(t["term"].split()) <= first.stems,
              f"{what}: name {t['surface']} does not come from its article")
    check(what == "the changes" or len(by_rule.get("names", [])) > 20, f"{what}: few names")


for number, lines in enumerate(parts):
    what = f"run {number + 1}"
    new_originals = [a for a in map(store, lines) if a]
    index(lines)
    if number in (1, 4):  # --peek shows what the run will show, and changes nothing
        before = state()
        peek = newsq("alerts", "--peek", "--json").stdout
        check(state() == before, f"{what}: --peek changed the database")
    if number == 2:  # a failed output changes nothing; the next run has everything
        before = state()
        with open("/dev/full", "w") as full:
            p = subprocess.run([NEWSQ, "--db", DB, "alerts", "--json"], stdout=full,
                               stderr=subprocess.PIPE, text=True)
        check(p.returncode == 2 and "no rule's mark was moved" in p.stderr,
              f"{what}: /dev/full gave {p.returncode} {p.stderr}")
        check(state() == before, f"{what}: a failed output changed the database")
    output = newsq("alerts", "--json").stdout
    if number in (1, 4):
        check(output == peek, f"{what}: --peek printed something else than the run")
    by_rule = alerts(what, output)
    check_articles(what, by_rule, new_originals)
    check_terms(what, by_rule, new_originals)
    print(f"{what}: {len(lines)} records, {len(new_originals)} originals, "
          f"{sum(len(v) for v in by_rule.values())} alerts", file=sys.stderr)

check(len(texts) == 18813, f"{len(texts)} originals, not 18,813")
newsq("alerts", ok=(1,))

# --- terms new over the last two days of the replay, against the scan. -----------------------
last_days = sorted(d for d in days if d)[-2:]
docs = collections.Counter(s for k in texts.values() for s in current[k].stems)
first_seen = {}
for d in records:  # replay order: the first original that used each stem
    a = current.get(d["id"])
    if a is None or texts.get(a.text) != a.key:
        continue
    for s in a.stems:
        first_seen.setdefault(s, (d.get("date") or "")[:10])
want = {s: docs[s] for s, day in first_seen.items() if day in last_days and not noise(s)}
p = newsq("terms", "new", "--json", "--words-only", "--since", last_days[0], "--limit", "1000000")
rows = {r["term"]: r for r in map(json.loads, p.stdout.splitlines())}
check(set(rows) == set(want), f"terms new: {len(rows)} terms, the scan {len(want)}; "
      f"missing {sorted(set(want) - set(rows))[:8]}, extra {sorted(set(rows) - set(want))[:8]}")
check(all(rows[s]["docs"] == want[s] for s in set(rows) & set(want)), "terms new: counts")
check(all(r["first_date"][:10] in last_days for r in rows.values()), "terms new: dates")
examples = [r for r in rows.values() if r["snippet"]]
check(len(examples) >= min(50, len(rows)), f"terms new: {len(examples)} examples")
check(all(r["surface"].lower() in r["snippet"].lower() for r in examples), "terms new: examples")

# --- Changed records, and a duplicate. -------------------------------------------------------
originals = sorted(texts.values())
cocoa_reported = [k for k in originals if "cocoa" in current[k].stems][0]
plain = [k for k in originals  # an article no rule ever reported
         if current[k].d.get("date") and not any(m(current[k]) for _, m in RULES.values())][0]
changes = [
    dict(current[cocoa_reported].d, body="Cocoa prices, revised: " + current[cocoa_reported].d["body"]),
    dict(current[plain].d, body="Cocoa growers test zeppelinium sacks."),
    {"id": "new-1", "date": "1987-10-21", "title": current[cocoa_reported].d.get("title"),
     "body": "Cocoa prices, revised: " + current[cocoa_reported].d["body"], "source": "Reuters"},
    {"id": "new-2", "date": "1987-10-21", "body": "Quokkaburger cocoa futures debut."},
]
new_originals = [a for a in map(store, changes) if a]
index(changes)
by_rule = alerts("the changes")
check(sorted(h["key"] for h in by_rule.get("cocoa", [])) == sorted(["new-2", plain]),
      f"the changes: cocoa alerts {[h['key'] for h in by_rule.get('cocoa', [])]}")
check_articles("the changes", by_rule, [a for a in new_originals if a.key != cocoa_reported])
check_terms("the changes", by_rule, new_originals)
check(set(STEMMER.stemWords(["zeppelinium", "quokkaburger"])) <= {t["term"] for t in by_rule.get("fresh", [])},
      "the changes: new words")
newsq("alerts", ok=(1,))

if FAILURES:
    sys.exit(f"{len(FAILURES)} failures")
print("ok")
