# watch.sh — newsidx watch: files already there are indexed at the start; files copied in,
# moved in, written into a folder created (or moved in whole) after the start, and JSON Lines
# appended to (a half-written line waits) are indexed in batches; --then runs after each batch
# that changed the index, with NEWSIDX_* in its environment; --prune removes what is deleted
# or moved away; SIGHUP re-scans; an index file deleted under the watcher is made again;
# SIGTERM and SIGINT stop it with exit 0 and a final line; errors that cannot heal exit 2.
# Every wait polls for its outcome (up to 20 s): no test depends on how fast the machine is.
source "$(dirname "$0")/lib.sh"

ROOT=$(cd "$WORK" && pwd -P)
NEWS=$ROOT/news
DB=$ROOT/news.db
THEN_LOG=$ROOT/then.log
A=$NEWSIDX_SOURCE/corpus/articles
mkdir -p "$NEWS" "$ROOT/staging"
q() { [[ -e $DB ]] && sqlite3 "$DB" "$1"; } # sqlite3 would create a missing file
articles() { q "SELECT count(*) FROM articles"; }

# wait_for WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds; fails after 20 s.
wait_for() {
  local what=$1 i
  shift
  for ((i = 0; i < 200; i++)); do
    if "$@" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for $what
watcher stdout: $(cat "$ROOT/watch.out" 2>/dev/null)
watcher stderr: $(cat "$ROOT/watch.err" 2>/dev/null)"
}
count_is() { [[ $(articles) == "$1" ]]; }
has_key() { [[ $(q "SELECT count(*) FROM article_keys WHERE key = '$1'") == 1 ]]; }
lacks_key() { [[ $(q "SELECT count(*) FROM article_keys WHERE key = '$1'") == 0 ]]; }
out_has() { grep -q -- "$1" "$ROOT/watch.out"; }
batches() { grep -c " batch " "$ROOT/watch.out" || true; }

# exited PID: the process is gone or a zombie.
exited() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status"; }

# stop_watcher PID SIGNAL: sends SIGNAL and waits (up to 20 s) for the watcher to exit 0.
stop_watcher() {
  kill -s "$2" "$1"
  wait_for "the watcher to exit after SIG$2" exited "$1"
  local rc=0
  wait "$1" || rc=$?
  assert_eq "$rc" 0 "exit status after SIG$2 ($(cat "$ROOT/watch.err"))"
}

# ---- usage and errors that cannot heal: exit 2 ----------------------------------------------
expect_exit 2 newsidx watch --db "$DB"
assert_contains "$ERR" "name the folders to watch"
expect_exit 2 newsidx watch --db "$DB" "$ROOT/missing"
assert_contains "$ERR" "$ROOT/missing"
cp "$A/2025-11-28-reykjavik-eruption.txt" "$ROOT/file.txt"
expect_exit 2 newsidx watch --db "$DB" "$ROOT/file.txt"
assert_contains "$ERR" "not a folder"
expect_exit 2 newsidx watch --db "$DB" --then-always "$NEWS"
expect_exit 2 newsidx watch --db "$DB" --settle soon "$NEWS"
expect_exit 0 newsidx --db "$ROOT/future.db" "$ROOT/file.txt"
sqlite3 "$ROOT/future.db" "PRAGMA user_version = 99"
expect_exit 2 newsidx watch --db "$ROOT/future.db" "$NEWS"
assert_contains "$ERR" "newer"
expect_exit 0 newsidx watch --help
assert_contains "$OUT" "--max-delay MS"
assert_contains "$OUT" "--then COMMAND"
[[ ! -e $DB ]] || fail "a refused watch created the index"

# ---- the start: what is already there is indexed at once ----------------------------------
cp "$A"/2025-11-1*.txt "$NEWS/" # 2 files
cp "$A/2025-11-21-cocoa-prices-ease-on-rains.txt" "$NEWS/cocoa.txt"
newsidx watch --db "$DB" --settle 150 --max-delay 3000 --prune \
  --then "echo \"\$NEWSIDX_BATCH \$NEWSIDX_ADDED \$NEWSIDX_UPDATED \$NEWSIDX_REMOVED \$NEWSIDX_DB\" >> '$THEN_LOG'" \
  "$NEWS" >"$ROOT/watch.out" 2>"$ROOT/watch.err" &
W=$!
wait_for "the first batch" out_has "batch 1 (scan): 3 added"
assert_eq "$(articles)" 3 "articles after the scan"
wait_for "the first --then" test -s "$THEN_LOG"
assert_eq "$(cat "$THEN_LOG")" "1 3 0 0 $DB" "--then after the scan"

# ---- files copied in, a folder made after the start, a folder moved in whole -------------
cp "$A"/2025-11-2[58]*.txt "$A"/2025-12-0*.txt "$NEWS/" # 4 files
wait_for "4 files copied in" count_is 7
mkdir "$NEWS/2026-01"
cp "$A"/2026-01-*.txt "$NEWS/2026-01/" # 4 files in a folder that did not exist
wait_for "a new folder's files" count_is 11
mkdir -p "$ROOT/staging/feb/week1"
cp "$A"/2026-02-1*.txt "$ROOT/staging/feb/week1/" # 2 files
mv "$ROOT/staging/feb" "$NEWS/"                   # moved in whole, files already inside
wait_for "a folder moved in whole" count_is 13
cp "$A/2026-02-24-cordoba-heatwave-crops.txt" "$NEWS/feb/week1/"
wait_for "a file in a folder under the one moved in" count_is 14
has_key "$NEWS/feb/week1/2026-02-24-cordoba-heatwave-crops.txt" || fail "key of the nested file"

# ---- a file moved in with mv; names the walk skips are skipped here too ------------------
cp "$A/2026-03-04-krakow-measles-vaccination.txt" "$ROOT/staging/"
echo "Hidden." >"$NEWS/.hidden.txt"
echo "Backup." >"$NEWS/notes.txt~"
echo "Not an article." >"$NEWS/picture.png"
mv "$ROOT/staging/2026-03-04-krakow-measles-vaccination.txt" "$NEWS/"
wait_for "a file moved in" has_key "$NEWS/2026-03-04-krakow-measles-vaccination.txt"
assert_eq "$(q "SELECT count(*) FROM article_keys WHERE key LIKE '%hidden%' OR key LIKE '%~'
               OR key LIKE '%.png'")" 0 "skipped names"
assert_eq "$(articles)" 15 "articles"

# ---- JSON Lines appended to: a half-written last line waits for its end -------------------
FEED=$NEWS/feed.jsonl
printf '{"id": "w-1", "title": "Tram Drivers Vote", "body": "Lisbon tram drivers voted."}\n{"id": "w-2", "body": "Half' >>"$FEED"
wait_for "the first line of the feed" has_key w-1
lacks_key w-2 || fail "a half-written line was indexed"
printf ' written, then finished."}\n' >>"$FEED"
wait_for "the finished line" has_key w-2
assert_eq "$(q "SELECT body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'w-2')")" "Half written, then finished." "w-2"
# A writer that keeps the file open (no close event): its lines are read as they come.
exec 3>>"$FEED"
printf '{"id": "w-3", "body": "From a writer that keeps the feed open."}\n' >&3
wait_for "a line from an open writer" has_key w-3
exec 3>&-
assert_eq "$(articles)" 18 "articles after the feed"
expect_exit 0 newsq --db "$DB" --json finished
assert_contains "$OUT" '"key":"w-2"'

# ---- --prune: deleted and moved-away files lose their articles; a rename keeps its text ----
rm "$NEWS/cocoa.txt"
wait_for "a deleted file's article to go" lacks_key "$NEWS/cocoa.txt"
mv "$NEWS/2026-01" "$ROOT/staging/"
wait_for "a moved-away folder's articles to go" count_is 13
mv "$NEWS/2025-11-14-lisbon-tram-strike.txt" "$NEWS/feb/renamed.txt"
wait_for "a renamed file" has_key "$NEWS/feb/renamed.txt"
wait_for "the old name to go" lacks_key "$NEWS/2025-11-14-lisbon-tram-strike.txt"
assert_eq "$(articles)" 13 "articles after the rename"
assert_eq "$(q "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")" 0 "duplicates left"
# Files in the folder moved away are no longer watched there.
cp "$A/2026-04-07-hanoi-battery-startup.txt" "$ROOT/staging/2026-01/"

# ---- SIGHUP re-scans: a file the index forgot (no file event) comes back ------------------
GDANSK=$NEWS/2025-12-05-gdansk-shipyard-contract.txt
expect_exit 0 newsidx rm --db "$DB" --path "$GDANSK"
assert_eq "$(articles)" 12 "articles after rm"
scans=$(grep -c "(scan)" "$ROOT/watch.out")
kill -HUP "$W"
wait_for "the re-scan" has_key "$GDANSK"
assert_eq "$(grep -c "(scan)" "$ROOT/watch.out")" $((scans + 1)) "scan lines"
assert_eq "$(articles)" 13 "articles after the re-scan"
lacks_key "$ROOT/staging/2026-01/2026-04-07-hanoi-battery-startup.txt" ||
  fail "a file under a folder moved away was indexed"

# ---- an index file deleted under the watcher is made again, and everything re-indexed -----
n_before=$(batches)
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$A/2026-04-07-gdansk-baltic-exercise.txt" "$NEWS/"
wait_for "the index to be made again" count_is 14
grep -q "index file was deleted or replaced" "$ROOT/watch.err" || fail "no warning: $(cat "$ROOT/watch.err")"

# ---- SIGTERM: exit 0, the totals, a sound index ------------------------------------------
stop_watcher "$W" TERM
last=$(tail -n 1 "$ROOT/watch.out")
assert_contains "$last" " stopped: "
assert_contains "$last" " batches over "
expect_exit 0 newsidx check --db "$DB"
[[ $(batches) -gt $n_before ]] || fail "no batch after the index was deleted"
echo "watcher output:"
cat "$ROOT/watch.out"

# --then ran once after each batch that changed the index (and after the first), with that
# batch's numbers: compare the summary lines with the lines it wrote.
py '
import re, sys
summaries = {}
for line in open(sys.argv[1]):
    m = re.search(r" batch (\d+)(?: \(scan\))?: (\d+) added, (\d+) updated, \d+ unchanged, (\d+) duplicates, \d+ skipped, \d+ errors(?:, (\d+) removed)?", line)
    if m:
        n, added, updated, dups, removed = (int(g or 0) for g in m.groups())
        summaries[n] = (added, updated, removed, added + updated + dups + removed > 0 or n == 1)
ran = [line.split() for line in open(sys.argv[2])]
numbers = [int(r[0]) for r in ran]
assert numbers == sorted(set(numbers)), ("--then ran twice for a batch", numbers)
want = [n for n in sorted(summaries) if summaries[n][3]]
assert numbers == want, ("--then ran after batches", numbers, "wanted", want)
for n, added, updated, removed, db in ran:
    assert (int(added), int(updated), int(removed)) == summaries[int(n)][:3], (n, summaries[int(n)])
    assert db == sys.argv[3], db
assert len(ran) >= 10, ran
' "$ROOT/watch.out" "$THEN_LOG" "$DB" || fail "--then runs do not match the batches"

# ---- SIGINT; a failing --then is reported and watching goes on; --then-always -------------
newsidx watch --db "$DB" --settle 100 --then-always --then "echo ran >> '$ROOT/then2.log'; exit 3" \
  "$NEWS" >"$ROOT/watch.out" 2>"$ROOT/watch.err" &
W=$!
wait_for "the scan of the second watcher" out_has "batch 1 (scan): 0 added"
wait_for "the failing --then to be reported" grep -q "exited with status 3" "$ROOT/watch.err"
: >>"$NEWS/feed.jsonl" # opened and closed unchanged: a batch that changes nothing
wait_for "a batch that changed nothing" out_has "batch 2: 0 added, 0 updated, 3 unchanged"
wait_for "--then after it (--then-always)" eval '[[ $(wc -l <"$ROOT/then2.log") == 2 ]]'
stop_watcher "$W" INT
assert_contains "$(tail -n 1 "$ROOT/watch.out")" "stopped: 0 added, 0 updated, 17 unchanged"
expect_exit 0 newsidx check --db "$DB"

# ---- --max-delay: a steady stream of events is indexed while it goes on ---------------------
# (--settle 2000 alone would wait until it stops); a locked index is retried later.
NEWS2=$ROOT/news2
DB2=$ROOT/news2.db
mkdir -p "$NEWS2"
newsidx watch --db "$DB2" --settle 2000 --max-delay 400 --busy-timeout 200 \
  --then "echo \$NEWSIDX_ADDED >> '$ROOT/then3.log'" "$NEWS2" >"$ROOT/watch.out" 2>"$ROOT/watch.err" &
W=$!
wait_for "the scan of the stream watcher" out_has "batch 1 (scan)"
exec 5>>"$NEWS2/stream.jsonl"
started=$(date +%s.%N)
for ((i = 1; i <= 30; i++)); do
  [[ $i == 30 ]] && during=$(grep -c " batch [0-9]*:" "$ROOT/watch.out" || true)
  printf '{"id": "s-%d", "body": "Line %d of a steady stream."}\n' "$i" "$i" >&5
  sleep 0.1
done
ended=$(date +%s.%N)
exec 5>&-
((during >= 1)) || fail "no batch while the stream went on: $(cat "$ROOT/watch.out")"
wait_for "the whole stream" eval '[[ $(sqlite3 "$DB2" "SELECT count(*) FROM articles") == 30 ]]'
n=$(grep -c " batch [0-9]*:" "$ROOT/watch.out")
py 'import sys; n, t = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2])
assert n <= t / 0.4 + 2, f"{n} batches in {t:.1f} s with --max-delay 400"' "$n" "$started" "$ended" ||
  fail "more batches than --max-delay allows: $(cat "$ROOT/watch.out")"
echo "a stream of 30 lines over $(py 'import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))' "$started" "$ended") s: $n batches, $during while it went on"

# A writer holds the index: the batch fails after --busy-timeout, is retried, and succeeds
# once the lock is gone. The batch only reads a half-written line (it records how far the
# feed was read), so it changes nothing: --then runs all the same, as the first success
# after a failure.
mkfifo "$ROOT/sql"
sqlite3 "$DB2" <"$ROOT/sql" >/dev/null &
holder=$!
exec 4>"$ROOT/sql"
echo "BEGIN IMMEDIATE; INSERT INTO meta VALUES ('lock-test', 'x');" >&4
echo ".shell touch '$ROOT/locked'" >&4
wait_for "the lock" test -e "$ROOT/locked"
n_then=$(wc -l <"$ROOT/then3.log")
printf '{"id": "s-31", "body": "Half' >>"$NEWS2/stream.jsonl"
wait_for "a batch to fail on the lock" grep -q "locked for more than 200 ms; trying again in" "$ROOT/watch.err"
echo "COMMIT;" >&4
exec 4>&-
wait "$holder"
wait_for "--then after the retried batch" eval '[[ $(wc -l <"$ROOT/then3.log") == $((n_then + 1)) ]]'
assert_eq "$(tail -n 1 "$ROOT/then3.log")" 0 "NEWSIDX_ADDED of the retried batch"
printf ' a line."}\n' >>"$NEWS2/stream.jsonl"
wait_for "the line finished after the lock" eval '[[ $(sqlite3 "$DB2" "SELECT count(*) FROM articles") == 31 ]]'
wait_for "--then after it" eval '[[ $(tail -n 1 "$ROOT/then3.log") == 1 ]]'
stop_watcher "$W" TERM
expect_exit 0 newsidx check --db "$DB2"

# ---- a watched folder that disappears is reported; with none left the watcher exits 2 -----
mkdir -p "$ROOT/short-lived"
newsidx watch --db "$DB" --quiet --verbose --then "echo \$NEWSIDX_ADDED >> '$ROOT/then4.log'" \
  "$ROOT/short-lived" >"$ROOT/watch.out" 2>"$ROOT/watch.err" &
W=$!
wait_for "the third watcher's scan" grep -q "re-scanning" "$ROOT/watch.err"
rmdir "$ROOT/short-lived"
wait_for "the watcher to exit" exited "$W"
rc=0
wait "$W" || rc=$?
assert_eq "$rc" 2 "exit status with no folder left"
assert_contains "$(cat "$ROOT/watch.err")" "short-lived: deleted; no longer watched"
assert_contains "$(cat "$ROOT/watch.err")" "no folder left to watch"
assert_eq "$(cat "$ROOT/watch.out")" "" "stdout with --quiet"
# Its first batch found nothing, and --then ran all the same (once).
assert_eq "$(cat "$ROOT/then4.log")" 0 "--then after a first batch that found nothing"
echo "ok"
