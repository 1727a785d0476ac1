# crash.sh — crash safety: newsidx killed with SIGKILL at random moments, again and again,
# leaves an index that passes `newsidx check`, and the next run completes it: in the end the
# same articles as one uninterrupted run, no key twice, each JSON Lines file read to its end.
# Ctrl-C (SIGINT) and SIGTERM finish the batch, print the summary and exit 130.
source "$(dirname "$0")/lib.sh"
need_corpora reuters21578
R=$CORPORA/reuters21578

# Part of the corpus, built here: 4,000 text files (symlinks) and 4,000 JSON Lines records.
mkdir -p "$WORK/txt"
files=("$R"/txt/*.txt)
ln -s -t "$WORK/txt" "${files[@]:0:4000}"
tail -n 4000 "$R/reuters21578.jsonl" >"$WORK/feed.jsonl"
INPUTS=("$WORK/txt" "$WORK/feed.jsonl")

# The reference: one uninterrupted run.
REF=$WORK/ref.db
expect_exit 0 newsidx --db "$REF" "${INPUTS[@]}"
echo "reference: $OUT"
snapshot() { # the articles of an index as "key content_hash original-key" lines, sorted
  sqlite3 "$1" "SELECT a.key, a.content_hash, coalesce(o.key, '') FROM articles a
                LEFT JOIN articles o ON o.id = a.dup_of ORDER BY a.key"
}
snapshot "$REF" >"$WORK/ref.txt"
[[ $(wc -l <"$WORK/ref.txt") -gt 6000 ]] || fail "reference index too small"

DB=$WORK/news.db
seed=${CRASH_SEED:-$RANDOM}
RANDOM=$seed
echo "random seed $seed (CRASH_SEED=$seed repeats these delays)"
for round in 1 2 3 4 5 6; do
  delay=0.$((RANDOM % 9 + 1)) # not in $(...): a subshell would reseed RANDOM
  newsidx --db "$DB" --batch 40 "${INPUTS[@]}" >"$WORK/run.out" 2>"$WORK/run.err" &
  pid=$!
  sleep "$delay"
  what="killed after $delay s"
  kill -KILL "$pid" 2>/dev/null || what="finished within $delay s"
  wait "$pid" 2>/dev/null || true
  [[ -e $DB ]] || continue
  expect_exit 0 newsidx check --db "$DB"
  n=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
  echo "round $round: $what; $n articles, check ok"
done

# The next run completes the index.
expect_exit 0 newsidx --db "$DB" "${INPUTS[@]}"
echo "completing run: $OUT"
expect_exit 0 newsidx check --db "$DB"
snapshot "$DB" >"$WORK/final.txt"
diff -q "$WORK/ref.txt" "$WORK/final.txt" >/dev/null ||
  fail "after the kills the index differs from the reference: $(diff "$WORK/ref.txt" "$WORK/final.txt" | head -5)"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) - count(DISTINCT key) FROM articles")" 0 "keys twice"
size=$(stat -c %s "$WORK/feed.jsonl")
assert_eq "$(sqlite3 "$DB" "SELECT offset FROM input_files WHERE path = '$WORK/feed.jsonl'")" \
  "$size" "JSON Lines offset"
expect_exit 0 newsidx --db "$DB" "${INPUTS[@]}"
[[ $OUT == "0 added, 0 updated, "* ]] || fail "a run after the completing one changed things: $OUT"

# SIGINT and SIGTERM: the current batch is committed, the summary printed, exit 130; the
# next run goes on from there.
for signal in INT TERM; do
  rm -f "$DB" "$DB-wal" "$DB-shm"
  newsidx --db "$DB" --batch 40 "${INPUTS[@]}" >"$WORK/run.out" 2>"$WORK/run.err" &
  pid=$!
  sleep 0.5
  kill -s "$signal" "$pid"
  rc=0
  wait "$pid" || rc=$?
  assert_eq "$rc" 130 "exit status after SIG$signal"
  assert_contains "$(cat "$WORK/run.out")" " added, 0 updated, " "summary after SIG$signal"
  assert_contains "$(cat "$WORK/run.err")" "interrupted"
  expect_exit 0 newsidx check --db "$DB"
  before=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
  [[ $before -gt 0 && $before -lt $(wc -l <"$WORK/ref.txt") ]] ||
    fail "SIG$signal after 0.5 s left $before articles: not a partial index"
  expect_exit 0 newsidx --db "$DB" "${INPUTS[@]}"
  snapshot "$DB" >"$WORK/final.txt"
  diff -q "$WORK/ref.txt" "$WORK/final.txt" >/dev/null || fail "index after SIG$signal differs"
  echo "SIG$signal: exit 130 with $before articles kept; the next run completed the index"
done
echo "ok"
