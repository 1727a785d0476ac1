# busy.sh — concurrency on one index: a second newsidx waits for the write lock and succeeds,
# or, with a --busy-timeout shorter than the lock is held, fails with one clear line, exit 2,
# having changed nothing; two indexers at once both finish and the index holds each article
# once; searches and stats keep working while an indexer writes.
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"
base=$(sqlite3 "$DB" "SELECT count(*) FROM articles")

# A writer holding the lock for 3 s: newsidx waits (busy timeout) instead of failing.
(echo "BEGIN IMMEDIATE; INSERT INTO meta VALUES('busy-test', 'x');"; sleep 3; echo "COMMIT;") |
  sqlite3 "$DB" &
holder=$!
sleep 0.5
printf '{"id": "while-locked", "body": "Written after the lock was released."}\n' >"$WORK/one.jsonl"
expect_exit 0 newsidx --db "$DB" "$WORK/one.jsonl"
assert_contains "$OUT" "1 added"
wait "$holder"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM meta WHERE key = 'busy-test'")" 1 "the holder's write"

# The same with --busy-timeout 300: the second writer gives up with one line and exit 2, and
# nothing of its input is in the index; run again once the lock is gone, it succeeds.
dump() { sqlite3 "$DB" "SELECT k.key, content_hash FROM articles JOIN article_keys k USING (id) ORDER BY k.key; SELECT * FROM input_files ORDER BY path"; }
before=$(dump)
(echo "BEGIN IMMEDIATE; INSERT INTO meta VALUES('busy-test-2', 'x');"; sleep 3; echo "COMMIT;") |
  sqlite3 "$DB" &
holder=$!
sleep 0.5
printf '{"id": "gave-up", "body": "Refused while the index was locked."}\n' >"$WORK/two.jsonl"
started=$(date +%s%N)
expect_exit 2 newsidx --db "$DB" --busy-timeout 300 "$WORK/two.jsonl"
waited_ms=$((($(date +%s%N) - started) / 1000000))
assert_eq "$ERR" "newsidx: $DB: another process kept the index locked for more than 300 ms"
((waited_ms >= 300 && waited_ms < 2500)) || fail "the second writer gave up after $waited_ms ms"
wait "$holder"
assert_eq "$(dump)" "$before" "the index after the writer that gave up"
expect_exit 0 newsidx --db "$DB" "$WORK/two.jsonl"
assert_contains "$OUT" "1 added"

# Two indexers at once, on overlapping inputs, in small batches so that they interleave; and
# searches and stats in a loop meanwhile, every one of which must succeed.
# 3,000 articles as files and the same 3,000 as JSON Lines records: Reuters-21578's, or without
# the shared corpora ones generated from this project's own.
mkdir -p "$WORK/txt"
if has_corpora reuters21578; then
  files=("$CORPORA"/reuters21578/txt/*.txt)
  ln -s -t "$WORK/txt" "${files[@]:0:3000}"
  head -n 3000 "$CORPORA/reuters21578/reuters21578.jsonl" >"$WORK/feed.jsonl"
else
  generate_corpus 3000 "$WORK/feed.jsonl" "$WORK/txt"
fi
newsidx --db "$DB" --batch 25 "$WORK/txt" "$WORK/feed.jsonl" >"$WORK/a.out" 2>"$WORK/a.err" &
a=$!
newsidx --db "$DB" --batch 25 "$WORK/feed.jsonl" "$WORK/txt" >"$WORK/b.out" 2>"$WORK/b.err" &
b=$!
searches=0
while kill -0 "$a" 2>/dev/null || kill -0 "$b" 2>/dev/null; do
  expect_exit 0 newsq --db "$DB" --limit 3 strike
  expect_exit 0 newsidx stats --db "$DB" --json
  searches=$((searches + 1))
done
rc=0; wait "$a" || rc=$?
assert_eq "$rc" 0 "exit status of the first indexer ($(cat "$WORK/a.err"))"
rc=0; wait "$b" || rc=$?
assert_eq "$rc" 0 "exit status of the second indexer ($(cat "$WORK/b.err"))"
echo "first:  $(cat "$WORK/a.out")"
echo "second: $(cat "$WORK/b.out")"
echo "$searches searches and stats ran while they wrote"
((searches > 0)) || fail "no search ran during indexing"

# Each article once: the same as indexing the inputs alone, in one run.
expect_exit 0 newsidx --db "$WORK/ref.db" "$NEWSIDX_SOURCE/corpus" "$WORK/one.jsonl" "$WORK/two.jsonl" \
  "$WORK/txt" "$WORK/feed.jsonl"
want=$(sqlite3 "$WORK/ref.db" "SELECT count(*) FROM articles")
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM articles")" "$want" "articles"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) - count(DISTINCT key) FROM article_keys")" 0 "keys twice"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")" \
  "$(sqlite3 "$WORK/ref.db" "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")" "duplicates"
expect_exit 0 newsidx check --db "$DB"
[[ $want -gt $base ]] || fail "nothing was indexed"
echo "ok"
