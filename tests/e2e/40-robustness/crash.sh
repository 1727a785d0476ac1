# crash.sh — crash safety: newsidx killed with SIGKILL again and again, at points spread over a
# run, and restarted after each kill. After every kill `newsidx check` passes and no key is in
# the index twice; in the end the index holds the same as one uninterrupted run, and the next
# run finds nothing to do. Alert rules made before the first run report, across all the kills
# and restarts, each article that matches them exactly once.
#
#   - the whole Reuters-21578 feed (21,578 records) in batches of 200, killed 21 times: when
#     the index holds 1/22, 2/22, ... 21/22 of the articles, each after a further random delay
#     of up to 0.2 s, so that kills land in every phase of a batch (reading, storing, committing,
#     checkpointing). In the end: 18,813 originals and 230 duplicates, the feed read to its end.
#     Three alert rules exist before the first run and `newsq alerts --json` runs after every
#     kill: in the end each rule has reported every article that matches it, and each once;
#   - 3,000 text files of its folder form in batches of 40, killed 6 times the same way.
#
# Ctrl-C (SIGINT) and SIGTERM finish the batch, print the summary and exit 130; the next run
# goes on from there. CRASH_SEED=N repeats a run's delays. Without the shared corpora, 20,000
# articles generated from this project's own corpus/ stand in for the feed and its folder
# form, with rules on words they hold, and the counts are those of the uninterrupted run.
source "$(dirname "$0")/lib.sh"
if has_corpora reuters21578; then
  FEED=$CORPORA/reuters21578/reuters21578.jsonl
  TXT=$CORPORA/reuters21578/txt
  RULES=(oil "oil" cocoa "cocoa OR coffee" rates '"interest rates" OR "prime rate"')
else
  FEED=$WORK/generated.jsonl
  TXT=$WORK/generated
  generate_corpus 20000 "$FEED" "$TXT"
  RULES=(strike "strike" cocoa "cocoa OR coffee" rates '"interest rates" OR "policy rate"')
fi

seed=${CRASH_SEED:-$RANDOM}
RANDOM=$seed
echo "random seed $seed (CRASH_SEED=$seed repeats these delays)"

snapshot() { # the articles of an index as "key content_hash original-key" lines, sorted
  sqlite3 "$1" "SELECT k.key, a.content_hash, coalesce(o.key, '') FROM articles a
                JOIN article_keys k USING (id) LEFT JOIN article_keys o ON o.id = a.dup_of
                ORDER BY k.key"
}
count() { # articles in the index, read without creating it or waiting for the writer
  [[ -e $1 ]] || { echo 0; return; }
  sqlite3 -cmd ".timeout 5000" "file:$1?mode=ro" "SELECT count(*) FROM articles" 2>/dev/null || echo 0
}

# kill_spread DB KILLS TOTAL BATCH INPUTS...: runs newsidx on INPUTS into DB and kills it with
# SIGKILL once the index holds k/(KILLS+1) of TOTAL articles, for k = 1..KILLS, restarting it
# after each kill; after each, the index must pass `newsidx check` and hold each key once, and
# when $ALERTS names a file, `newsq alerts --json` appends the alerts to it. Once the index is
# complete (a run finished before its kill, or was killed after its last commit), the rounds
# left are not run: at least half of those planned must have killed a run.
kill_spread() {
  local db=$1 kills=$2 total=$3 batch=$4
  shift 4
  local k killed=0 rounds=0
  for ((k = 1; k <= kills; k++)); do
    (($(count "$db") < total)) || break
    rounds=$k
    local target=$((k * total / (kills + 1))) delay
    printf -v delay '0.%02d' $((RANDOM % 20)) # not in $(...): a subshell would reseed RANDOM
    newsidx --db "$db" --batch "$batch" "$@" >"$WORK/run.out" 2>"$WORK/run.err" &
    local pid=$! what="" n
    while kill -0 "$pid" 2>/dev/null; do
      if (($(count "$db") >= target)); then
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null && what="killed" && killed=$((killed + 1))
        break
      fi
      sleep 0.02
    done
    wait "$pid" 2>/dev/null || true
    [[ -n $what ]] || what="finished first ($(cat "$WORK/run.out"))"
    expect_exit 0 newsidx check --db "$db"
    assert_eq "$(sqlite3 "$db" "SELECT count(*) - count(DISTINCT key) FROM article_keys")" 0 "keys twice"
    n=$(count "$db")
    local alerts=""
    if [[ -n ${ALERTS:-} ]]; then
      local rc=0
      newsq --db "$db" alerts --json >>"$ALERTS" 2>"$WORK/alerts.err" || rc=$?
      [[ ($rc == 0 || $rc == 1) && ! -s $WORK/alerts.err ]] ||
        fail "newsq alerts: exit $rc: $(cat "$WORK/alerts.err")"
      alerts="; $(wc -l <"$ALERTS") alerts so far"
    fi
    echo "kill $k: at $target articles + $delay s: $what; $n articles, check ok$alerts"
  done
  ((killed >= rounds - 1 && killed >= kills / 2)) ||
    fail "only $killed of $rounds runs were killed before they finished (of $kills planned)"
}

# ---- The whole feed.
REF=$WORK/ref.db
expect_exit 0 newsidx --db "$REF" "$FEED"
echo "reference: $OUT"
snapshot "$REF" >"$WORK/ref.txt"
total=$(sqlite3 "$REF" "SELECT count(*) FROM articles")
originals=$(sqlite3 "$REF" "SELECT count(*) FROM articles WHERE dup_of IS NULL")
if [[ $FEED == */reuters21578.jsonl ]]; then # and what Reuters-21578 is known to hold
  assert_eq "$total $originals" "19043 18813" "the reference index of Reuters-21578"
fi

DB=$WORK/news.db
mkdir "$WORK/empty"
expect_exit 0 newsidx --db "$DB" "$WORK/empty" # an empty index, for the rules
for ((i = 0; i < ${#RULES[@]}; i += 2)); do
  expect_exit 0 newsq --db "$DB" rule add "${RULES[i]}" -- "${RULES[i + 1]}"
done
ALERTS=$WORK/alerts.jsonl
: >"$ALERTS"
kill_spread "$DB" 21 "$total" 200 "$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
echo "completing run: $OUT"
rc=0
newsq --db "$DB" alerts --json >>"$ALERTS" || rc=$?
[[ $rc == 0 || $rc == 1 ]] || fail "newsq alerts after the completing run: exit $rc"
ALERTS=""
# Each rule reported each article that matches it on the finished index, and each once.
for ((i = 0; i < ${#RULES[@]}; i += 2)); do
  name=${RULES[i]}
  want=$(newsq --db "$DB" --json --limit 100000 -- "${RULES[i + 1]}" |
    py 'import json, sys; print("\n".join(sorted(json.loads(l)["key"] for l in sys.stdin)))')
  got=$(py 'import json, sys
print("\n".join(sorted(a["key"] for a in map(json.loads, open(sys.argv[1])) if a["rule"] == sys.argv[2])))' \
    "$WORK/alerts.jsonl" "$name")
  assert_eq "$(sort -u <<<"$got" | wc -l)" "$(wc -l <<<"$got")" "articles alerted twice by $name"
  [[ $got == "$want" ]] || fail "rule $name: alerts and matches differ: $(diff <(echo "$want") <(echo "$got") | head -5)"
  echo "rule $name: $(wc -l <<<"$got") articles alerted, each once: all that match it"
done
expect_exit 0 newsidx check --db "$DB"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE dup_of IS NULL")" "$originals" \
  "originals"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")" \
  "$((total - originals))" "duplicates"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) - count(DISTINCT key) FROM article_keys")" 0 "keys twice"
snapshot "$DB" >"$WORK/final.txt"
diff -q "$WORK/ref.txt" "$WORK/final.txt" >/dev/null ||
  fail "after the kills the index differs from the reference: $(diff "$WORK/ref.txt" "$WORK/final.txt" | head -5)"
assert_eq "$(sqlite3 "$DB" "SELECT offset FROM input_files WHERE path = '$FEED'")" \
  "$(stat -c %s "$FEED")" "JSON Lines offset"
expect_exit 0 newsidx --db "$DB" "$FEED"
unchanged=$(py 'import sys; print(f"{int(sys.argv[1]):,}")' "$total")
[[ $OUT == "0 added, 0 updated, $unchanged unchanged, "* ]] ||
  fail "a run after the completing one changed things: $OUT"

# ---- A folder of text files (symlinks into the corpus).
mkdir -p "$WORK/txt"
mapfile -t files < <(find "$TXT" -name '*.txt' | LC_ALL=C sort | head -n 3000)
ln -s -t "$WORK/txt" "${files[@]}"
rm -f "$REF" "$DB"
expect_exit 0 newsidx --db "$REF" "$WORK/txt"
snapshot "$REF" >"$WORK/ref.txt"
total=$(wc -l <"$WORK/ref.txt")
kill_spread "$DB" 6 "$total" 40 "$WORK/txt"
expect_exit 0 newsidx --db "$DB" "$WORK/txt"
expect_exit 0 newsidx check --db "$DB"
snapshot "$DB" >"$WORK/final.txt"
diff -q "$WORK/ref.txt" "$WORK/final.txt" >/dev/null ||
  fail "after the kills the folder's index differs from the reference: $(diff "$WORK/ref.txt" "$WORK/final.txt" | head -5)"
expect_exit 0 newsidx --db "$DB" "$WORK/txt"
[[ $OUT == "0 added, 0 updated, "* ]] || fail "a run after the completing one changed things: $OUT"

# ---- SIGINT and SIGTERM: the current batch is committed, the summary printed, exit 130; the
# next run goes on from there.
INPUTS=("$WORK/txt" "$WORK/feed.jsonl")
tail -n 3000 "$FEED" >"$WORK/feed.jsonl"
rm -f "$REF"
expect_exit 0 newsidx --db "$REF" "${INPUTS[@]}"
snapshot "$REF" >"$WORK/ref.txt"
for signal in INT TERM; do
  rm -f "$DB" "$DB-wal" "$DB-shm"
  newsidx --db "$DB" --batch 40 "${INPUTS[@]}" >"$WORK/run.out" 2>"$WORK/run.err" &
  pid=$!
  # Signal once the first batch is committed (so that the index is partial, whatever the load:
  # a fixed sleep came before the first commit on a busy machine), and long before the last.
  for ((i = 0; i < 6000; i++)); do
    [[ -s $DB && $(sqlite3 "$DB" "SELECT count(*) FROM articles" 2>/dev/null || echo 0) -gt 0 ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  kill -s "$signal" "$pid" 2>/dev/null || fail "the run ended before SIG$signal was sent"
  rc=0
  wait "$pid" || rc=$?
  assert_eq "$rc" 130 "exit status after SIG$signal"
  assert_contains "$(cat "$WORK/run.out")" " added, 0 updated, " "summary after SIG$signal"
  assert_contains "$(cat "$WORK/run.err")" "interrupted"
  expect_exit 0 newsidx check --db "$DB"
  before=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
  [[ $before -gt 0 && $before -lt $(wc -l <"$WORK/ref.txt") ]] ||
    fail "SIG$signal after the first batch left $before articles: not a partial index"
  expect_exit 0 newsidx --db "$DB" "${INPUTS[@]}"
  snapshot "$DB" >"$WORK/final.txt"
  diff -q "$WORK/ref.txt" "$WORK/final.txt" >/dev/null || fail "index after SIG$signal differs"
  echo "SIG$signal: exit 130 with $before articles kept; the next run completed the index"
done
echo "ok"
