# fetch.sh — newsidx URL... and --feeds against a small HTTP server this test starts on
# 127.0.0.1 (tests/e2e/http_server.py, which logs every request): feeds, JSON Lines and text
# fetched and indexed under their URLs; a second run sends conditional requests and indexes
# nothing; a changed feed adds exactly its new item; redirects (at most 5, recorded), gzip,
# 404, refused connections, timeouts, truncated and too large responses, pages and other
# bodies: one line each and the rest goes on, exit 1; a 429's Retry-After and the delay
# between requests to a host are kept (the server's log says when each request came); a run
# killed during a fetch loses nothing and doubles nothing; OPML and plain subscription lists
# give sources and tags; `newsidx feeds` lists what each URL's last fetch left.
# No request leaves the machine: the server binds 127.0.0.1, the URLs name only 127.0.0.1.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
ROOT=$WORK/www
LOG=$WORK/requests.jsonl
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86

mkdir "$ROOT"
cp "$NEWSIDX_SOURCE/tests/data/feeds/harbour.rss" "$NEWSIDX_SOURCE/tests/data/feeds/volcano.atom" \
  "$ROOT/"
printf '%s\n' '{"id": "wire-1", "title": "Ferry strike ends", "body": "Crews return on Monday."}' \
  '{"id": "wire-2", "title": "Port traffic up", "body": "Container traffic rose by a tenth."}' \
  >"$ROOT/wire.jsonl"
printf 'Tide tables revised\n\nThe harbour office publishes new tide tables for winter.\n' \
  >"$ROOT/notes.txt"
printf '%s' '<!DOCTYPE html><html><head><title>Quay works</title></head><body><article><p>The' \
  ' quay is rebuilt over the winter, and ferries berth at the north pier until March.</p>' \
  '</article></body></html>' >"$ROOT/page.html"
head -c 3000 /dev/urandom >"$ROOT/blob.bin"
touch -d '2025-12-01 00:00:00' "$ROOT"/*
: >"$LOG"

"$PY" "$NEWSIDX_SOURCE/tests/e2e/http_server.py" --root "$ROOT" --log "$LOG" \
  --port-file "$WORK/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [[ -s $WORK/port ]] && break; sleep 0.1; done
[[ -s $WORK/port ]] || fail "the test server did not start"
BASE=http://127.0.0.1:$(cat "$WORK/port")

# requests [FIELD...]: the log's requests since the mark, "path status field..." per line.
# A request is logged when its answer ends: those held back on purpose (/slow/) and those
# newsidx gave up (hung-up) may end inside a later run's window, and are left out.
mark() { LOG_MARK=$(wc -l <"$LOG"); }
since_mark() { tail -n +$((LOG_MARK + 1)) "$LOG" | grep -v -e '"path": "/slow/' -e '"hung-up"' || true; }
requests() { since_mark | py 'import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(" ".join(str(r[k]) for k in ["path", "status"] + sys.argv[1:]))' "$@"; }
sql() { py 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))' "$DB" "$1"; }

# ---- a first run: each URL's articles, keyed under the URL, and the URL an input -------------
mark
expect_exit 0 newsidx --db "$DB" "$BASE/harbour.rss" "$BASE/volcano.atom" "$BASE/wire.jsonl" \
  "$BASE/notes.txt"
assert_contains "$OUT" "6 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 errors" \
  "first run"
assert_eq "$ERR" "" "stderr of the first run"
assert_eq "$(sql "SELECT key FROM article_keys ORDER BY key")" \
  "$BASE/harbour.rss#https://harbour.example/2025/12/04/tugs
$BASE/harbour.rss#shared-guid-1
$BASE/notes.txt
$BASE/volcano.atom#shared-guid-1
wire-1
wire-2" "the keys of what the URLs gave"
assert_eq "$(sql "SELECT path FROM input_files ORDER BY path")" "$BASE/harbour.rss
$BASE/notes.txt
$BASE/volcano.atom
$BASE/wire.jsonl" "the URLs are the inputs"
assert_eq "$(sql "SELECT source FROM articles WHERE title LIKE 'Gdansk%'")" "Harbour Gazette" \
  "the feed's own title is the source"
assert_eq "$(requests user_agent | awk '{print $3, $4}' | sort -u)" \
  "newsidx/$(newsidx --version | cut -d' ' -f2) (+https://example.invalid/newsidx)" "User-Agent"
assert_eq "$(requests if_none_match | awk '{print $3}' | sort -u)" "None" \
  "nothing conditional the first time"
# One request at a time to the host, and the default 1 s between the end of one and the next.
since_mark | py 'import json, sys
rs = [json.loads(l) for l in sys.stdin]
for a, b in zip(rs, rs[1:]):
    assert b["start"] >= a["end"] + 0.8, ("less than the delay between requests", a, b)' ||
  fail "the default per-host delay was not kept"

# ---- the same run again: conditional requests, one each, and nothing indexed ----------------
mark
expect_exit 0 newsidx --db "$DB" --delay 0 "$BASE/harbour.rss" "$BASE/volcano.atom" \
  "$BASE/wire.jsonl" "$BASE/notes.txt"
assert_contains "$OUT" "0 added, 0 updated, 6 unchanged, 0 duplicates, 0 skipped, 0 errors" \
  "an unchanged server"
assert_eq "$(requests | awk '{print $2}' | tr '\n' ' ')" "304 304 304 304 " \
  "one conditional request per URL, each a 304"
assert_not_contains "$(requests if_none_match if_modified_since)" "None" \
  "both validators sent"

# ---- a changed feed adds exactly its new item --------------------------------------------------
sed -i 's|</channel>|  <item><title>Ferry named Baltic Star</title><guid>new-item-3</guid><description>The first hybrid ferry gets its name.</description></item>\n</channel>|' \
  "$ROOT/harbour.rss"
mark
expect_exit 0 newsidx --db "$DB" --delay 0 "$BASE/harbour.rss" "$BASE/volcano.atom"
assert_contains "$OUT" "1 added, 0 updated, 3 unchanged, 0 duplicates" "a changed feed"
assert_eq "$(requests | awk '{print $2}' | tr '\n' ' ')" "200 304 " "the changed feed and the other"
assert_eq "$(sql "SELECT count(*) FROM articles WHERE key = '$BASE/harbour.rss#new-item-3'")" 1 \
  "the new item"

# ---- redirects, gzip ---------------------------------------------------------------------------
cp "$ROOT/volcano.atom" "$ROOT/volcano2.atom"
sed -i 's|<id>[^<]*</id>|<id>other-feed</id>|; s|Eruption near Grindavik eases|Eruption near Grindavik ends|' \
  "$ROOT/volcano2.atom"
mark
expect_exit 0 newsidx --db "$DB" --delay 0 "$BASE/redirect/2/wire.jsonl" "$BASE/gzip/volcano2.atom"
assert_contains "$OUT" "1 added, 0 updated, 2 unchanged" "redirected JSON Lines and a gzip feed"
assert_eq "$(sql "SELECT redirects, final_url, http_status FROM fetched WHERE url = '$BASE/redirect/2/wire.jsonl'")" \
  "2|$BASE/wire.jsonl|200" "the redirects are recorded"
assert_contains "$(requests accept_encoding | grep gzip/)" "gzip" "gzip accepted"
assert_eq "$(sql "SELECT count(*) FROM articles WHERE title = 'Eruption near Grindavik ends'")" 1 \
  "the gzip feed decoded"

# ---- failures: one line naming each URL, exit 1, and the other URLs go on ----------------------
closed_port=$(py 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' '{"id": "wire-3", "title": "Dredging starts", "body": "The channel is dredged."}' \
  >>"$ROOT/wire.jsonl"
mark
expect_exit 1 newsidx --db "$DB" --delay 0 --timeout 2 --max-size 1 \
  "$BASE/status/404" "http://127.0.0.1:$closed_port/feed.rss" "$BASE/redirect/6/wire.jsonl" \
  "$BASE/page.html" "$BASE/blob.bin" "$BASE/slow/4/notes.txt" "$BASE/truncated/harbour.rss" \
  "$BASE/big/2" "$BASE/stream/2" "$BASE/wire.jsonl"
assert_contains "$OUT" "2 added, 0 updated, 2 unchanged, 0 duplicates, 0 skipped, 8 errors" \
  "the good URLs (a page, JSON Lines) among eight bad ones"
assert_eq "$(wc -l <<<"$ERR")" 8 "one line per failed URL"
assert_contains "$ERR" "newsidx: $BASE/status/404: HTTP status 404" "a 404"
assert_contains "$ERR" "newsidx: http://127.0.0.1:$closed_port/feed.rss: " "a refused connection"
assert_contains "$ERR" "newsidx: $BASE/redirect/6/wire.jsonl: Maximum (5) redirects followed" \
  "too many redirects"
assert_eq "$(sql "SELECT a.title FROM article_keys k JOIN articles a USING (id) WHERE k.key = '$BASE/page.html'")" \
  "Quay works" "a page is one article, keyed by its URL"
assert_contains "$ERR" "newsidx: $BASE/blob.bin: neither a feed nor a page (content type application/octet-stream)" \
  "a body no reader takes"
assert_contains "$ERR" "newsidx: $BASE/slow/4/notes.txt: Operation timed out" "a timeout"
assert_contains "$ERR" "newsidx: $BASE/truncated/harbour.rss: " "a truncated body"
assert_contains "$ERR" "newsidx: $BASE/big/2: response larger than 1048576 bytes, not read" \
  "a body over the cap (Content-Length)"
assert_contains "$ERR" "newsidx: $BASE/stream/2: response larger than 1048576 bytes, not read" \
  "a body over the cap (no Content-Length)"
assert_eq "$(sql "SELECT http_status, error FROM fetched WHERE url = '$BASE/status/404'")" \
  "404|$BASE/status/404: HTTP status 404" "a failure is recorded"

# ---- a failure keeps the validators of the last fetch that worked ------------------------------
etag=$(sql "SELECT etag FROM fetched WHERE url = '$BASE/volcano.atom'")
mv "$ROOT/volcano.atom" "$ROOT/volcano.gone"
expect_exit 1 newsidx --db "$DB" --delay 0 "$BASE/volcano.atom"
mv "$ROOT/volcano.gone" "$ROOT/volcano.atom"
assert_eq "$(sql "SELECT etag, http_status FROM fetched WHERE url = '$BASE/volcano.atom'")" \
  "$etag|404" "the validators after a 404"
mark
expect_exit 0 newsidx --db "$DB" --delay 0 "$BASE/volcano.atom"
assert_eq "$(requests | awk '{print $2}')" 304 "conditional again after the failure"
assert_eq "$(sql "SELECT count(*) FROM articles WHERE key LIKE '$BASE/volcano.atom#%'")" 1 \
  "a failed fetch removes nothing"

# ---- 429 with Retry-After: waited for, and asked once more -------------------------------------
mark
expect_exit 0 newsidx --db "$DB" --delay 0 "$BASE/retry/notes.txt"
assert_eq "$(requests | awk '{print $2}' | tr '\n' ' ')" "429 200 " "a 429, then the retry"
since_mark | py 'import json, sys
a, b = [json.loads(l) for l in sys.stdin]
assert b["start"] >= a["end"] + 0.9, (a, b)' || fail "Retry-After was not waited for"

# ---- the per-host delay as asked ---------------------------------------------------------------
mark
expect_exit 0 newsidx --db "$DB" --delay 400 "$BASE/type/text/plain/notes.txt" "$BASE/redirect/1/notes.txt" \
  "$BASE/notes.txt"
since_mark | py 'import json, sys
rs = [json.loads(l) for l in sys.stdin]
assert len(rs) == 4, rs
ends = [r for r in rs if r["status"] != 302]
for a, b in zip(ends, ends[1:]):
    assert b["start"] >= a["end"] + 0.3, (a, b)' || fail "--delay 400 was not kept"

# ---- a run killed during a fetch loses nothing and doubles nothing ------------------------------
mkdir "$ROOT/kill"
for i in 1 2 3 4; do
  sed "s|<guid isPermaLink=\"false\">shared-guid-1</guid>|<guid>k$i-1</guid>|; s|<guid>https://harbour.example/2025/12/04/tugs</guid>|<guid>k$i-2</guid>|; s|Gdansk shipyard|Gdansk yard $i|; s|pilots ask|pilots $i ask|; s|zzpilotword|zzpilot$i|" \
    "$NEWSIDX_SOURCE/tests/data/feeds/harbour.rss" >"$ROOT/kill/f$i.rss"
done
before=$(sql "SELECT count(*) FROM articles")
mark
newsidx --db "$DB" --delay 0 "$BASE/kill/f1.rss" "$BASE/kill/f2.rss" "$BASE/slow/30/kill/f3.rss" \
  "$BASE/kill/f4.rss" >"$WORK/killed.out" 2>&1 &
pid=$!
for _ in $(seq 200); do
  [[ $(tail -n +$((LOG_MARK + 1)) "$LOG" | grep -c '"status": 200') -ge 2 ]] && break
  sleep 0.05
done
sleep 0.5 # f3's request is in flight (the server holds it for 30 s)
kill -KILL $pid
wait $pid 2>/dev/null || true
assert_eq "$(( $(sql "SELECT count(*) FROM articles") - before ))" 4 "what the killed run committed"
mark
expect_exit 0 newsidx --db "$DB" --delay 0 --timeout 5 "$BASE/kill/f1.rss" "$BASE/kill/f2.rss" \
  "$BASE/kill/f3.rss" "$BASE/kill/f4.rss"
assert_contains "$OUT" "4 added, 0 updated, 4 unchanged, 0 duplicates, 0 skipped, 0 errors" \
  "the run after the kill"
assert_eq "$(requests | awk '{print $1, $2}' | tr '\n' ' ')" \
  "/kill/f1.rss 304 /kill/f2.rss 304 /kill/f3.rss 200 /kill/f4.rss 200 " \
  "the URLs done before the kill are not read again"
assert_eq "$(sql "SELECT count(*) - count(DISTINCT key) FROM article_keys")" 0 "nothing doubled"
assert_eq "$(( $(sql "SELECT count(*) FROM articles") - before ))" 8 "nothing lost"

# ---- subscriptions: OPML (title → source when the feed has none, categories and folders →
# tags) and a plain list --------------------------------------------------------------------
mkdir "$ROOT/subs"
sed '/^  <title>Harbour Gazette<\/title>$/d; s|<guid isPermaLink="false">shared-guid-1</guid>|<guid>s-1</guid>|; s|<guid>https://harbour.example/2025/12/04/tugs</guid>|<guid>s-2</guid>|; s|Gdansk shipyard|Szczecin shipyard|; s|zzpilotword|zzsubsword|' \
  "$NEWSIDX_SOURCE/tests/data/feeds/harbour.rss" >"$ROOT/subs/untitled.rss"
cat >"$WORK/subs.opml" <<OPML
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="Baltic">
    <outline text="Ports" title="Port News" type="rss" xmlUrl="$BASE/subs/untitled.rss"
             category="/Shipping,/Europe/Poland"/>
  </outline>
  <outline text="Volcano" xmlUrl="$BASE/volcano.atom"/>
</body></opml>
OPML
expect_exit 0 newsidx --db "$DB" --delay 0 --feeds "$WORK/subs.opml"
assert_contains "$OUT" "2 added, 0 updated, 1 unchanged" "the OPML's feeds"
assert_eq "$(sql "SELECT source, tags FROM articles WHERE key = '$BASE/subs/untitled.rss#s-1'")" \
  "Port News|Shipbuilding,Baltic,Shipping,Europe/Poland" \
  "the outline's title as source, its category and folder as tags"
assert_eq "$(sql "SELECT source FROM articles WHERE key = '$BASE/volcano.atom#shared-guid-1'")" \
  "Island Wire" "a feed's own title stays its source"
printf '# my feeds\n\n  %s  \n%s\n' "$BASE/kill/f1.rss" "$BASE/notes.txt" >"$WORK/subs.txt"
mark
expect_exit 0 newsidx --db "$DB" --delay 0 --feeds "$WORK/subs.txt" "$BASE/kill/f2.rss"
assert_eq "$(requests | awk '{print $1, $2}' | tr '\n' ' ')" \
  "/kill/f2.rss 304 /kill/f1.rss 304 /notes.txt 304 " "a plain list, after the URLs named"
printf '%s\nnot-a-url\n' "$BASE/notes.txt" >"$WORK/bad.txt"
expect_exit 2 newsidx --db "$DB" --feeds "$WORK/bad.txt"
assert_eq "$ERR" "newsidx: $WORK/bad.txt:2: not an http or https URL: not-a-url" "a bad list"

# ---- newsidx feeds: what each URL's last fetch left ------------------------------------------
expect_exit 0 newsidx feeds --db "$DB"
assert_contains "$OUT" "  304      2  $BASE/kill/f1.rss  etag \"" "a URL that answered 304"
assert_contains "$OUT" "  404      0  $BASE/status/404  error: $BASE/status/404: HTTP status 404" \
  "a broken URL"
expect_exit 0 newsidx feeds --db "$DB" --json
py 'import json, sys
rows = {r["url"]: r for r in map(json.loads, sys.stdin.read().splitlines())}
base = sys.argv[1]
r = rows[base + "/redirect/2/wire.jsonl"]
assert (r["http_status"], r["redirects"], r["final_url"], r["items"], r["error"]) == \
    (200, 2, base + "/wire.jsonl", 2, None), r
r = rows[base + "/big/2"]
assert r["http_status"] == 0 and "larger than" in r["error"] and r["etag"] is None, r
assert rows[base + "/kill/f3.rss"]["etag"].startswith("\""), rows[base + "/kill/f3.rss"]
assert all(x["fetched_at"].endswith("Z") for x in rows.values())' "$BASE" <<<"$OUT" ||
  fail "newsidx feeds --json"

# ---- newsidx watch --feeds: an item added to a served feed is indexed within one interval,
# and --then runs; SIGHUP reads the list again; a failing feed is asked less and less often, and
# one that says it changes hourly (sy:updatePeriod) is not asked every --every ------------------
mkdir "$ROOT/watch"
cp "$ROOT/kill/f4.rss" "$ROOT/watch/w.rss"
sed -i 's|k4-|w-|g; s|yard 4|watched yard|; s|pilots 4|watched pilots|; s|zzpilot4|zzwatchword|' "$ROOT/watch/w.rss"
printf '%s\n' '<?xml version="1.0"?>' \
  '<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>' \
  '<title>Hourly</title><sy:updatePeriod>hourly</sy:updatePeriod><item><title>Once an hour</title>' \
  '<guid>h-1</guid><description>Polled as often as it says it changes.</description></item>' \
  '</channel></rss>' >"$ROOT/watch/hourly.rss"
printf '%s\n' "$BASE/watch/w.rss" "$BASE/status/500" "$BASE/watch/hourly.rss" >"$WORK/watch.txt"
mark
newsidx watch --db "$DB" --delay 0 --feeds "$WORK/watch.txt" --every 2s \
  --then "echo \"then \$NEWSIDX_ADDED\" >>'$WORK/then.log'" >"$WORK/watch.out" 2>"$WORK/watch.err" &
watcher=$!
wait_for() { # wait_for WHAT COMMAND...: up to 30 s for COMMAND to succeed
  local what=$1; shift
  for _ in $(seq 300); do "$@" && return 0; sleep 0.1; done
  fail "watch --feeds: $what; stdout: $(cat "$WORK/watch.out"); stderr: $(cat "$WORK/watch.err")"
}
wait_for "the first cycle" grep -q "then 3" "$WORK/then.log"
sed -i 's|</channel>|  <item><title>Watched item arrives</title><guid>w-3</guid><description>Indexed within one interval.</description></item>\n</channel>|' \
  "$ROOT/watch/w.rss"
added_at=$(date +%s.%N)
wait_for "the added item" grep -q "then 1" "$WORK/then.log"
indexed_at=$(date +%s.%N)
py 'import sys; assert float(sys.argv[2]) - float(sys.argv[1]) < 5, sys.argv' "$added_at" "$indexed_at" ||
  fail "the added item took longer than an interval and a half"
assert_eq "$(sql "SELECT count(*) FROM articles WHERE key = '$BASE/watch/w.rss#w-3'")" 1 \
  "the watched feed's new item"
printf '%s\n' "$BASE/watch/w.rss" "$BASE/status/500" "$BASE/watch/hourly.rss" "$BASE/kill/f1.rss" \
  >"$WORK/watch.txt"
kill -HUP $watcher
logged() { since_mark | grep -q "$1"; }
wait_for "the list read again" logged '"path": "/kill/f1.rss"'
sleep 3 # more cycles: the unchanged feeds are asked conditionally, the failing one later
kill -TERM $watcher
wait $watcher || fail "watch --feeds did not stop with exit 0 on SIGTERM"
assert_contains "$(cat "$WORK/watch.out")" "stopped: 4 added" "the totals of watch --feeds"
assert_eq "$(grep -c 'then' "$WORK/then.log")" 2 "--then ran after the cycles that changed the index"
since_mark | py 'import json, sys
rs = [json.loads(l) for l in sys.stdin]
w = [r for r in rs if r["path"] == "/watch/w.rss"]
assert len(w) >= 3 and all(r["status"] == 304 for r in w[2:] if r["start"] > w[1]["end"]), w
gaps = [b["start"] - a["start"] for a, b in zip(w, w[1:])]
assert all(g >= 1.8 for g in gaps), ("polled more often than --every", gaps)
bad = [r["start"] for r in rs if r["path"] == "/status/500"]
assert len(bad) >= 2 and bad[1] - bad[0] >= 3.8, ("no backoff for a failing feed", bad)
hourly = [r for r in rs if r["path"] == "/watch/hourly.rss"]
assert len(hourly) == 1, ("an hourly feed polled every --every", hourly)' ||
  fail "watch --feeds: what the server received"

echo "fetch: OK"
