# full_disk.sh — the disk fills up while newsidx writes. It stops with one line naming the
# index, "disk is full", and exit 2; the batch it was writing is rolled back and the batches
# before it are kept: the index passes `newsidx check` and holds exactly the first articles of
# an uninterrupted run, in whole batches, and its summary line counts those. Run again once
# there is room, newsidx completes the index.
#
#   full_disk.sh        the disk fills through tests/fault/enospc.c, an LD_PRELOAD shim that
#                       makes writes to the index fail with ENOSPC after N bytes: any user, and
#                       the same bytes fail every time
#   full_disk.sh tmpfs  a real file system of 4 MB (tmpfs, mounted here: root only; the test is
#                       skipped when mounting fails)
source "$(dirname "$0")/lib.sh"
mode=${1:-shim}

# Input: 300 text files and a feed of 200 records, all different, generated here.
mkdir -p "$WORK/a" "$WORK/b"
py 'import json, os, sys
w = sys.argv[1]
def body(i): return "Article %d with word w%d and " % (i, i) + " ".join("x%dy%d" % (i, j) for j in range(150)) + "."
for i in range(300):
    with open(os.path.join(w, "a" if i < 60 else "b", "s%04d.txt" % i), "w") as f:
        f.write("Story Number %d Title\n\n%s\n" % (i, body(i)))
with open(os.path.join(w, "feed.jsonl"), "w") as f:
    for i in range(300, 500):
        f.write(json.dumps({"id": "r%d" % i, "title": "Record %d" % i, "body": body(i)}) + "\n")' "$WORK"
INPUTS=("$WORK/b" "$WORK/feed.jsonl")

# The reference: the same runs, never interrupted.
expect_exit 0 newsidx --db "$WORK/ref.db" "$WORK/a"
expect_exit 0 newsidx --db "$WORK/ref.db" "${INPUTS[@]}"
keys() { sqlite3 "$1" "SELECT key FROM article_keys ORDER BY id"; }
keys "$WORK/ref.db" >"$WORK/ref.keys"
assert_eq "$(wc -l <"$WORK/ref.keys")" 500 "articles in the reference"
snapshot() { # what an index holds, without ids and times
  sqlite3 "$1" "SELECT k.key, content_hash, date, title FROM articles JOIN article_keys k USING (id)
    ORDER BY k.key;
                SELECT path, size, mtime_ns, offset, lines, window_hash FROM input_files ORDER BY path"
}

# check_partial DB BATCH KEPT OUT ERR: the run stopped on a full disk, and DB is as after its
# whole batches of BATCH articles, on top of the KEPT articles of b/ and the feed that earlier
# runs left: its articles are the reference's first ones, and the summary counts those.
# Prints how many articles of b/ and the feed the index holds.
check_partial() {
  local db=$1 batch=$2 kept=$3 out=$4 err=$5
  assert_eq "$err" "newsidx: $db: disk is full; the index is as after its last complete batch (run again once there is room)" "stderr"
  expect_exit 0 newsidx check --db "$db"
  keys "$db" >"$WORK/got.keys"
  local n=$(($(wc -l <"$WORK/got.keys") - 60)) # the 60 of a/ came before
  ((n >= kept && n < 440)) || fail "$n articles of b/ and the feed in the index"
  (((n - kept) % batch == 0)) || fail "$((n - kept)) articles added: not whole batches of $batch"
  head -n "$((n + 60))" "$WORK/ref.keys" | diff -q - "$WORK/got.keys" >/dev/null ||
    fail "the index is not the reference's first $((n + 60)) articles: $(head -n "$((n + 60))" "$WORK/ref.keys" | diff - "$WORK/got.keys" | head -5)"
  assert_contains "$out" "$((n - kept)) added, 0 updated, " "summary of the failed run"
  echo "$n"
}

# complete DB: a run with room to spare completes the index.
complete() {
  expect_exit 0 newsidx --db "$1" "${INPUTS[@]}"
  echo "completing run: $OUT"
  expect_exit 0 newsidx check --db "$1"
  snapshot "$1" >"$WORK/got.snap"
  snapshot "$WORK/ref.db" | diff -q - "$WORK/got.snap" >/dev/null ||
    fail "after the full disk the index differs from the reference"
}

if [[ $mode == tmpfs ]]; then
  MNT=$WORK/mnt
  mkdir "$MNT"
  if ! mount -t tmpfs -o size=4m newsidx-full "$MNT" 2>"$WORK/mount.err"; then
    echo "SKIP: cannot mount a tmpfs here (needs root): $(cat "$WORK/mount.err")"
    exit 77
  fi
  trap 'umount "$MNT" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  DB=$MNT/news.db
  expect_exit 0 newsidx --db "$DB" "$WORK/a"
  expect_exit 2 newsidx --db "$DB" --batch 20 "${INPUTS[@]}"
  n=$(check_partial "$DB" 20 0 "$OUT" "$ERR")
  ((n > 0)) || fail "nothing committed before the tmpfs filled up"
  echo "a 4 MB tmpfs filled up after $n articles in batches of 20 ($(df -k --output=used "$MNT" | tail -1) kB used)"
  expect_exit 0 newsq --db "$DB" --count w0 # searches go on on the full disk
  mount -o remount,size=64m "$MNT"
  complete "$DB"
  echo "ok"
  exit 0
fi

: "${NEWSIDX_FAULT_ENOSPC:?the shim is built by tests/CMakeLists.txt}"
DB=$WORK/news.db
# enospc RUN...: runs a command with writes to the index failing after $BUDGET bytes. The shim
# is loaded first; ASan, which wants to be, is told not to mind (it still intercepts after it).
enospc() {
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    LD_PRELOAD=$NEWSIDX_FAULT_ENOSPC NEWSIDX_FAULT_ENOSPC_AFTER=$BUDGET \
    NEWSIDX_FAULT_FILES="$DB:$DB-wal" "$@"
}
expect_exit 0 newsidx --db "$DB" "$WORK/a"
sqlite3 "$DB" .dump >"$WORK/before.sql"

# The first batch fails: the index is exactly as before the run, to the byte of its dump.
BUDGET=0
expect_exit 2 enospc newsidx --db "$DB" "${INPUTS[@]}"
assert_eq "$(check_partial "$DB" 2000 0 "$OUT" "$ERR")" 0 "articles of the failed run"
sqlite3 "$DB" .dump | diff -q "$WORK/before.sql" - >/dev/null ||
  fail "the failed batch changed the index: $(sqlite3 "$DB" .dump | diff "$WORK/before.sql" - | head -5)"
echo "full at the first batch: the index is as before, dump for dump"

# Full after some batches of 25, in the text files; again from where that run stopped, into
# the feed; then with room to spare.
kept=0
for BUDGET in 2000000 4000000; do
  expect_exit 2 enospc newsidx --db "$DB" --batch 25 "${INPUTS[@]}"
  n=$(check_partial "$DB" 25 "$kept" "$OUT" "$ERR")
  ((n > kept)) || fail "nothing committed before the disk filled ($BUDGET bytes)"
  echo "full after $BUDGET bytes written: $((n - kept)) more articles kept, in batches of 25"
  kept=$n
done
complete "$DB"
echo "ok"
