# alerts_cli.sh — monitoring from the command line, on small feeds written here: newsq terms
# trending with a known answer (G² computed independently), terms new with its examples, and
# the alert rules: adding (and refusing), listing, showing, testing, removing; newsq alerts in
# every format, --peek, a full disk, exit codes, the index named before the command.
# (The replay of Reuters-21578 in several runs: alerts_reuters.sh.)
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
FEED=$WORK/feed.jsonl

# 30 articles from 1 to 30 January, 3 about wheat; 10 from 22 to 31 March: 6 about a locust
# swarm, 1 about wheat, 1 naming an operation. The window (the last 7 days) holds 7 of them.
py '
import json, sys
out = open(sys.argv[1], "w")
for i in range(30):
    body = "Market report number %d." % (i + 1) + (" Wheat harvest news." if i < 3 else "")
    out.write(json.dumps({"id": "b%d" % i, "date": "2026-01-%02d" % (i + 1), "body": body,
                          "source": "Farm Wire"}) + "\n")
for i in range(10):
    body = "Market report number %d." % (100 + i)
    if i >= 3 and i < 9: body += " Locusts swarm over the farms."
    if i == 9: body += " Wheat harvest news. Operation Pacific Viper began."
    out.write(json.dumps({"id": "w%d" % i, "date": "2026-03-%02d" % (22 + i), "body": body,
                          "source": "Farm Wire", "tags": ["farming"]}) + "\n")
' "$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "40 added"

# Trending: window 2026-03-25..31 (7 articles, locusts in 6), baseline the 90 days before
# (33 articles, locusts in none). Wheat: 1 in 7 against 3 in 33, a rise too, but smaller.
expect_exit 0 newsq --db "$DB" terms trending --json
py '
import json, math, sys
rows = [json.loads(l) for l in sys.stdin.read().splitlines()]
def g2(k1, n1, k2, n2):
    o = [k1, n1 - k1, k2, n2 - k2]
    rows_, cols, n = [n1, n2], [k1 + k2, n1 + n2 - k1 - k2], n1 + n2
    return 2 * sum(o[r * 2 + c] * math.log(o[r * 2 + c] / (rows_[r] * cols[c] / n))
                   for r in range(2) for c in range(2) if o[r * 2 + c] > 0)
top = rows[0]
assert top["docs"] == 6 and top["baseline_docs"] == 0, top
assert top["window_articles"] == 7 and top["baseline_articles"] == 33, top
assert top["term"] in ("locust", "swarm", "farm"), top
assert abs(top["score"] - g2(6, 7, 0, 33)) < 1e-3 * top["score"], (top, g2(6, 7, 0, 33))
scores = [r["score"] for r in rows]
assert scores == sorted(scores, reverse=True), scores
assert {"locust", "swarm", "farm"} <= {r["term"] for r in rows}, rows
assert all(r["term"] not in ("market", "report", "number") for r in rows), rows
wheat = [r for r in rows if r["term"] == "wheat"]
assert not wheat, wheat  # 1 article in the window: below the default --min-docs 3
' <<<"$OUT" || fail "terms trending"
expect_exit 0 newsq --db "$DB" terms top --json
assert_eq "$OUT" "$(newsq --db "$DB" terms trending --json)" "top = trending"
expect_exit 0 newsq --db "$DB" terms trending --csv --min-docs 1
assert_eq "$(head -1 <<<"$OUT" | tr -d '\r')" \
  "term,surface,kind,score,docs,baseline_docs,window_articles,baseline_articles" "csv header"
assert_contains "$OUT" "wheat,Wheat,word,"
expect_exit 0 newsq --db "$DB" terms trending
assert_contains "$OUT" "window 2026-03-25 to 2026-03-31, against 2025-12-25 to 2026-03-24"
assert_contains "$OUT" "Locusts"
# A window that ends before the swarm sees none of it; a query narrows both periods.
expect_exit 1 newsq --db "$DB" terms trending --until 2026-03-24 --window 2w
expect_exit 0 newsq --db "$DB" terms trending --json --query "wheat OR locusts" --min-docs 1
assert_contains "$OUT" '"window_articles":7'
expect_exit 2 newsq --db "$DB" terms trending --window soon
assert_contains "$ERR" "--window takes a length like 7d"
# An empty period is refused, not answered with nothing.
expect_exit 2 newsq --db "$DB" terms trending --baseline 0d
assert_contains "$ERR" "--baseline takes a length of at least one day, not '0d'"
expect_exit 2 newsq --db "$DB" terms trending --window 0w
assert_contains "$ERR" "--window takes a length of at least one day, not '0w'"
expect_exit 2 newsq --db "$DB" terms trending --query "source:x"
# --baseline sets the period just before the window: 30 days are 2026-02-23 to 03-24, with 3
# articles (22 to 24 March), none about locusts or wheat. The default is 90 days (above).
expect_exit 0 newsq --db "$DB" terms trending --json --min-docs 1 --baseline 30d
py '
import json, math, sys
rows = {r["term"]: r for r in map(json.loads, sys.stdin.read().splitlines())}
def g2(k1, n1, k2, n2):
    o = [k1, n1 - k1, k2, n2 - k2]
    rows_, cols, n = [n1, n2], [k1 + k2, n1 + n2 - k1 - k2], n1 + n2
    return 2 * sum(o[r * 2 + c] * math.log(o[r * 2 + c] / (rows_[r] * cols[c] / n))
                   for r in range(2) for c in range(2) if o[r * 2 + c] > 0)
assert all(r["window_articles"] == 7 and r["baseline_articles"] == 3 for r in rows.values()), rows
locust, wheat = rows["locust"], rows["wheat"]
assert locust["docs"] == 6 and locust["baseline_docs"] == 0, locust
assert abs(locust["score"] - g2(6, 7, 0, 3)) < 1e-3 * locust["score"], (locust, g2(6, 7, 0, 3))
assert wheat["docs"] == 1 and wheat["baseline_docs"] == 0, wheat
assert abs(wheat["score"] - g2(1, 7, 0, 3)) < 1e-3 * wheat["score"], (wheat, g2(1, 7, 0, 3))
' <<<"$OUT" || fail "terms trending --baseline 30d"
expect_exit 0 newsq --db "$DB" terms trending --baseline 30d
assert_contains "$OUT" "window 2026-03-25 to 2026-03-31, against 2026-02-23 to 2026-03-24"
assert_contains "$OUT" "over 7 window and 3 baseline articles"
expect_exit 0 newsq --db "$DB" terms trending --json --baseline 90d
assert_eq "$OUT" "$(newsq --db "$DB" terms trending --json)" "--baseline 90d = the default"
# Its first day, exactly: 80 days start on 4 January, after the 3 wheat reports; 81 on the 3rd.
baseline_of() { # prints "BASELINE_ARTICLES BASELINE_DOCS" of wheat with --baseline $1
  expect_exit 0 newsq --db "$DB" terms trending --json --min-docs 1 --baseline "$1"
  py '
import json, sys
wheat = [r for r in map(json.loads, sys.stdin.read().splitlines()) if r["term"] == "wheat"]
print(wheat[0]["baseline_articles"], wheat[0]["baseline_docs"])
' <<<"$OUT"
}
assert_eq "$(baseline_of 80d)" "30 0" "wheat against --baseline 80d"
assert_eq "$(baseline_of 81d)" "31 1" "wheat against --baseline 81d"
expect_exit 2 newsq --db "$DB" terms trending --baseline soon
assert_contains "$ERR" "--baseline takes a length like 7d"

# New terms of the window: each with its count and an example from its first article.
expect_exit 0 newsq --db "$DB" terms new --json --since 2026-03-25
py '
import json, sys
rows = {r["term"]: r for r in map(json.loads, sys.stdin.read().splitlines())}
assert rows["locust"]["docs"] == 6 and rows["locust"]["first_date"] == "2026-03-25", rows["locust"]
assert "Locusts" in rows["locust"]["snippet"], rows["locust"]
viper = rows["oper pacif viper"]
assert viper["kind"] == "name" and viper["surface"] == "Operation Pacific Viper", viper
assert "wheat" not in rows and "market" not in rows, rows.keys()
assert not any(t.isdigit() for t in rows), rows.keys()
' <<<"$OUT" || fail "terms new"
expect_exit 0 newsq --db "$DB" terms new --json --since 2026-03-25 --all
assert_contains "$OUT" '"term":"109"'
expect_exit 0 newsq --db "$DB" terms new --names-only --since 2026-03-01
assert_contains "$OUT" "Operation Pacific Viper (name)"
assert_not_contains "$OUT" "Locusts"
expect_exit 1 newsq --db "$DB" terms new --since 2026-04-01
# A relative --since counts back from today (here $NEWSQ_NOW, 3 April): 7d is 27 March. Without
# --since the window is the --window (7 days) ending with the newest article's day, whatever
# today is: 25 to 31 March. The numbers kept by --all (report 100+i on 22+i March) show its days.
numbers_of() { # the numbers among the terms of `terms new --json --all` in $OUT
  py '
import json, sys
print(" ".join(sorted(r["term"] for r in map(json.loads, sys.stdin.read().splitlines())
                      if r["term"].isdigit())))
' <<<"$OUT"
}
NEWSQ_NOW=2026-04-03 expect_exit 0 newsq --db "$DB" terms new --json --all --since 7d
assert_eq "$(numbers_of)" "105 106 107 108 109" "terms new --since 7d"
assert_eq "$OUT" "$(newsq --db "$DB" terms new --json --all --since 2026-03-27)" "--since 7d = 2026-03-27"
assert_not_contains "$OUT" '"term":"locust"' "terms new --since 7d"
NEWSQ_NOW=2026-04-03 expect_exit 0 newsq --db "$DB" terms new --json --all
assert_eq "$(numbers_of)" "103 104 105 106 107 108 109" "terms new without --since"
assert_eq "$OUT" "$(newsq --db "$DB" terms new --json --all --since 2026-03-25 --until 2026-03-31)" \
  "the default window = 2026-03-25..31"
assert_contains "$OUT" '"term":"locust"' "terms new without --since"
NEWSQ_NOW=2026-04-03 expect_exit 0 newsq --db "$DB" terms new
assert_contains "$OUT" "terms first seen in articles dated 2026-03-25 to 2026-03-31"
expect_exit 0 newsq --db "$DB" terms new --json --all --window 3d
assert_eq "$(numbers_of)" "107 108 109" "terms new --window 3d"

# Rules: made, refused, listed. The index may be named before the command.
expect_exit 0 newsq --db "$DB" rule add locusts locusts OR locust
assert_contains "$OUT" "added rule 'locusts'"
expect_exit 0 newsq rule add --db "$DB" farming --tag farming --source "Farm Wire" --since 2026
expect_exit 0 newsq --db "$DB" rule add fresh --new-terms --words-only
expect_exit 2 newsq --db "$DB" rule add locusts other
assert_contains "$ERR" "a rule named 'locusts' exists"
expect_exit 2 newsq --db "$DB" rule add "bad name" x
assert_contains "$ERR" "bad rule name 'bad name'"
expect_exit 2 newsq --db "$DB" rule add broken 'locusts date:2026-13'
assert_contains "$ERR" "query error at column 14: bad date '2026-13'"
expect_exit 2 newsq --db "$DB" rule add t2 --new-terms --source x
expect_exit 2 newsq --db "$DB" rule add t3 --new-terms --query "source:x"
assert_contains "$ERR" "not filters"
expect_exit 2 newsq --db "$DB" rule add t4 x --min-docs 2
expect_exit 2 newsq --db "$DB" rule add t5 x --since soon
expect_exit 0 newsq --db "$DB" rule list --json
py '
import json, sys
rules = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert [r["name"] for r in rules] == ["farming", "fresh", "locusts"], rules
assert all(r["pending"] == 0 and r["last_run_at"] is None for r in rules), rules
farming = rules[0]
assert farming["sources"] == ["Farm Wire"] and farming["tags"] == ["farming"], farming
assert farming["since"] == "2026" and farming["kind"] == "articles", farming
assert rules[1]["kind"] == "new-terms" and rules[1]["words"] and not rules[1]["names"], rules[1]
' <<<"$OUT" || fail "rule list"
expect_exit 0 newsq --db "$DB" rule show locusts
assert_contains "$OUT" "definition locusts OR locust"
assert_contains "$OUT" "last run   never"
expect_exit 2 newsq --db "$DB" rule show nothing
assert_contains "$ERR" "no rule named 'nothing'"
# A rule tested over the whole index: what it would have found, touching nothing.
expect_exit 0 newsq --db "$DB" rule test locusts --count
assert_eq "$OUT" 6 "rule test --count"
expect_exit 0 newsq --db "$DB" rule test fresh --json -n 3
assert_eq "$(wc -l <<<"$OUT")" 3 "rule test of a new-terms rule"

# Nothing new yet: exit 1, no output.
expect_exit 1 newsq --db "$DB" alerts
assert_eq "$OUT" "" "no alerts"

# New articles: two about locusts (one tagged farming), one of them a duplicate of an old text.
py '
import json, sys
with open(sys.argv[1], "a") as out:
    for rec in [
        {"id": "n1", "date": "2026-04-01", "body": "Locusts reach Zeppelinia.", "tags": ["farming"],
         "source": "Farm Wire"},
        {"id": "n2", "date": "2026-04-02", "body": "Locusts swarm over farms, again."},
        {"id": "n3", "date": "2026-04-02", "body": "Market report number 104. Locusts swarm over the farms."},
    ]:
        out.write(json.dumps(rec) + "\n")
' "$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "2 added"
assert_contains "$OUT" "1 duplicates"

expect_exit 0 newsq --db "$DB" alerts --peek --json
PEEK=$OUT
py '
import json, sys
alerts = [json.loads(l) for l in sys.stdin.read().splitlines()]
hits = [(a["rule"], a["key"], a["rank"]) for a in alerts if "key" in a]
assert hits == [("farming", "n1", 1), ("locusts", "n2", 1), ("locusts", "n1", 2)], hits
terms = {a["term"] for a in alerts if "term" in a}
assert terms == {"zeppelinia", "reach", "again"}, terms
assert all(a["rule"] == "fresh" for a in alerts if "term" in a), alerts
' <<<"$PEEK" || fail "alerts --peek"
expect_exit 0 newsq --db "$DB" alerts --count
assert_eq "$OUT" 6 "alerts --count"
# A full disk: exit 2, and nothing moves.
expect_exit 2 bash -c "newsq --db '$DB' alerts --json > /dev/full"
assert_contains "$ERR" "writing the alerts failed: No space left on device; no rule's mark was moved"
# A closed pipe loses alerts: an error too, except with --peek (a reader that stops early).
closed_pipe() { # runs newsq with standard output on a pipe nobody reads; prints its exit code
  py '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, p.stderr.decode().strip())
' newsq --db "$DB" "$@"
}
assert_eq "$(closed_pipe alerts --peek)" "0 " "--peek into a closed pipe"
assert_eq "$(closed_pipe alerts --csv)" \
  "2 newsq: writing the alerts failed: Broken pipe; no rule's mark was moved" "a closed pipe"
expect_exit 2 newsq --db "$DB" alerts --csv fresh
assert_contains "$ERR" "rule 'fresh' reports new terms"
# Only rules that report articles in CSV: they are consumed, the new-terms rule is not.
expect_exit 0 newsq --db "$DB" alerts --csv
assert_eq "$(head -1 <<<"$OUT" | tr -d '\r')" \
  "rule,rank,id,duplicate_of,key,path,date,title,source,url,score,snippet" "alerts csv header"
assert_eq "$(tail -n +2 <<<"$OUT" | cut -d, -f1,2,5 | tr '\n' ' ')" \
  "farming,1,n1 locusts,1,n2 locusts,2,n1 " "alerts csv rows"
expect_exit 1 newsq --db "$DB" alerts --csv
expect_exit 0 newsq --db "$DB" alerts --json
assert_eq "$OUT" "$(grep '"term"' <<<"$PEEK")" "the new-terms rule's alerts, left for a JSON run"
expect_exit 1 newsq --db "$DB" alerts --json
expect_exit 0 newsq --db "$DB" rule show locusts --json
assert_contains "$OUT" '"reported":2'
assert_contains "$OUT" '"pending":0'
assert_not_contains "$OUT" '"last_run_at":null'

# A changed article that now matches alerts once; the text output has a heading per rule.
py '
import json, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps({"id": "b5", "date": "2026-01-06", "body": "Market report: locusts."}) + "\n")
' "$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "1 updated"
# Testing rules that have run (marks moved, hits and terms kept) while an alert is pending
# changes none of their state; the pending alert is still there after (below).
rules_state() { sqlite3 "$DB" "SELECT * FROM rules; SELECT * FROM rule_hits; SELECT * FROM rule_terms"; }
assert_eq "$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM rule_hits),
  (SELECT count(*) FROM rules WHERE cursor > 0 AND last_run_at IS NOT NULL)")" "3|3" "rules that ran"
BEFORE=$(rules_state)
sleep 1 # a run now would write a later last_run_at (in seconds)
expect_exit 0 newsq --db "$DB" rule test locusts --ids
assert_contains "$OUT" "$(sqlite3 "$DB" "SELECT id FROM article_keys WHERE key = 'b5'")" "rule test locusts"
expect_exit 0 newsq --db "$DB" rule test locusts
expect_exit 0 newsq --db "$DB" rule test farming --json
expect_exit 0 newsq --db "$DB" rule test fresh --json
assert_eq "$(rules_state)" "$BEFORE" "the rules' state after rule test"
expect_exit 0 newsq --db "$DB" alerts --ids locusts
assert_eq "$OUT" "$(sqlite3 "$DB" "SELECT id FROM article_keys WHERE key = 'b5'")" "changed article"
expect_exit 1 newsq --db "$DB" alerts locusts

# A run while another process holds the write lock (an indexer's batch) waits for it.
py '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(2)
c.execute("COMMIT")
' "$DB" "$WORK/locked" &
while [[ ! -e $WORK/locked ]]; do sleep 0.05; done
started=$SECONDS
expect_exit 1 newsq --db "$DB" alerts
wait
(( SECONDS - started >= 1 )) || fail "alerts did not wait for the write lock"

# Removing: the rule and its hits; a name not there makes the exit status 1.
expect_exit 1 newsq --db "$DB" rule rm locusts nothing
assert_contains "$OUT" "removed rule 'locusts'"
assert_contains "$ERR" "no rule named 'nothing'"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM rule_hits WHERE rule_id NOT IN (SELECT id FROM rules)")" 0 "hits of removed rules"
expect_exit 2 newsq --db "$DB" alerts locusts
# A new-terms rule waiting for a term keeps the terms it reported (rule_terms): rule test
# leaves those too. "wombat" in 2 articles is reported, "quokka" in 1 waits for --min-docs 2.
expect_exit 0 newsq --db "$DB" rule add slow --new-terms --min-docs 2
py '
import json, sys
with open(sys.argv[1], "a") as out:
    for i, body in enumerate(["Quokka and wombat seen.", "A wombat again."]):
        out.write(json.dumps({"id": "z%d" % i, "date": "2026-04-03", "body": body}) + "\n")
' "$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "2 added"
expect_exit 0 newsq --db "$DB" alerts --json slow
assert_eq "$(sqlite3 "$DB" "SELECT term FROM rule_terms")" "wombat" "terms kept by a waiting rule"
BEFORE=$(rules_state)
sleep 1
expect_exit 0 newsq --db "$DB" rule test slow --json
assert_contains "$OUT" '"term":"wombat"'
assert_eq "$(rules_state)" "$BEFORE" "a waiting rule's state after rule test"
expect_exit 1 newsq --db "$DB" alerts slow
# Consumers take turns: while another holds the index's turn (flock on the file), newsq alerts
# waits, and goes on once it is released; --peek, which moves nothing, does not wait.
exec 9<"$DB"
flock 9
newsq --db "$DB" alerts slow >"$WORK/turn.out" 2>&1 9<&- &
TURN=$!
expect_exit 1 newsq --db "$DB" alerts --peek slow
sleep 0.5
kill -0 "$TURN" 2>/dev/null || fail "newsq alerts did not wait for its turn"
exec 9<&-
TURN_RC=0
wait "$TURN" || TURN_RC=$?
assert_eq "$TURN_RC $(cat "$WORK/turn.out")" "1 " "newsq alerts after its turn"
# Ctrl-C stops a run that waits for its turn (130), and it moves nothing.
exec 9<"$DB"
flock 9
newsq --db "$DB" alerts slow >"$WORK/turn.out" 2>&1 9<&- &
TURN=$!
sleep 0.3
kill -INT "$TURN"
for _ in $(seq 50); do kill -0 "$TURN" 2>/dev/null || break; sleep 0.1; done
STILL_WAITING=0
kill -0 "$TURN" 2>/dev/null && STILL_WAITING=1
exec 9<&- # released in any case, so that a run that did not stop ends
TURN_RC=0
wait "$TURN" || TURN_RC=$?
assert_eq "$STILL_WAITING" 0 "newsq alerts stopped by Ctrl-C while it waited"
assert_eq "$TURN_RC" 130 "newsq alerts interrupted while it waited"
# --timeout bounds the wait for the turn too (exit 2).
exec 9<"$DB"
flock 9
newsq --db "$DB" alerts --timeout 300 slow >"$WORK/turn.out" 2>&1 9<&- &
TURN=$!
for _ in $(seq 50); do kill -0 "$TURN" 2>/dev/null || break; sleep 0.1; done
exec 9<&- # released in any case, so that a run that did not stop ends
TURN_RC=0
wait "$TURN" || TURN_RC=$?
assert_eq "$TURN_RC $(cat "$WORK/turn.out")" "2 newsq: query timed out after 300 ms" \
  "newsq alerts --timeout while it waited"
expect_exit 1 newsq --db "$DB" alerts slow
# rule add and rule rm wait for the turn too: a running newsq alerts acknowledges the rules it
# read, never one added meanwhile in the place of one removed.
exec 9<"$DB"
flock 9
newsq --db "$DB" rule add late wheat --backfill >"$WORK/turn.out" 2>&1 9<&- &
TURN=$!
newsq --db "$DB" rule rm slow >"$WORK/turn_rm.out" 2>&1 9<&- &
TURN_RM=$!
sleep 0.5
kill -0 "$TURN" 2>/dev/null || fail "newsq rule add did not wait for its turn"
kill -0 "$TURN_RM" 2>/dev/null || fail "newsq rule rm did not wait for its turn"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM rules WHERE name IN ('late', 'slow')")" 1 \
  "rules while the turn is held"
exec 9<&-
TURN_RC=0
wait "$TURN" || TURN_RC=$?
assert_eq "$TURN_RC $(cat "$WORK/turn.out")" \
  "0 added rule 'late': reports new articles already indexed and to come" "rule add after its turn"
TURN_RC=0
wait "$TURN_RM" || TURN_RC=$?
assert_eq "$TURN_RC $(cat "$WORK/turn_rm.out")" "0 removed rule 'slow'" "rule rm after its turn"
expect_exit 0 newsq --db "$DB" rule rm late
expect_exit 0 newsq alerts --help
assert_contains "$OUT" "Exit status: 0 at least one alert"
expect_exit 2 newsq --db "$DB" rule frobnicate
echo "ok"
