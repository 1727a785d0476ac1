# timeout.sh — stopping slow work in newsq: --timeout MS stops a search, a timeline, facets,
# terms, rule test and alerts with "newsq: query timed out after MS ms" and exit 2 (alerts then
# acknowledge nothing); Ctrl-C (SIGINT) stops them with "newsq: interrupted" and exit 130,
# leaving only whole results on standard output. On the Reuters-21578 index, or without the
# shared corpora on 30,000 articles that corpus/generate.py resamples from this project's own.
#
# Timing, made robust: a timeout is only known to have been needed when the work takes longer
# than it. Each case first runs without a timeout and measures how long that takes; a case
# whose work is slower than 100 ms (the ranked query below takes seconds) must be stopped by
# --timeout 1, and a case that finishes faster than that is reported, not failed, as nothing
# could tell a timeout from a finish. A timeout of a quarter of the ranked query's time must
# stop it well before its end. A timeout longer than the work changes nothing.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
if has_corpora reuters21578; then
  INPUT=$CORPORA/reuters21578/reuters21578.jsonl
  WORD=oil # a word of many articles, for a rule with many alerts
else
  generate_corpus 30000 "$WORK/generated.jsonl"
  INPUT=$WORK/generated.jsonl
  WORD=said
fi
expect_exit 0 newsidx --db "$DB" "$INPUT"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# timed CODE COMMAND...: expect_exit, and the time it took in $MS.
timed() {
  local start
  start=$(now_ms)
  expect_exit "$@"
  MS=$(($(now_ms) - start))
}

# A ranked query over 25 prefixes that match most of the corpus: seconds of ranking.
SLOW=$(py 'print(" OR ".join(c + "*" for c in "abcdefghijklmnoprstuvwyz"))')
timed 0 newsq --db "$DB" --json --limit 5 -- "$SLOW"
full=$OUT
slow_ms=$MS
echo "the slow query: $slow_ms ms without a timeout"
((slow_ms >= 400)) || fail "the slow query took only $slow_ms ms: it cannot show a timeout"
timed 2 newsq --db "$DB" --json --limit 5 --timeout 1 -- "$SLOW"
assert_eq "$ERR" "newsq: query timed out after 1 ms"
assert_eq "$OUT" "" "output of the timed-out query"
quarter=$((slow_ms / 4))
timed 2 newsq --db "$DB" --json --limit 5 --timeout "$quarter" -- "$SLOW"
assert_eq "$ERR" "newsq: query timed out after $quarter ms"
((MS < slow_ms * 3 / 4)) || fail "--timeout $quarter stopped a $slow_ms ms query only after $MS ms"
echo "--timeout $quarter: stopped after $MS ms"
timed 0 newsq --db "$DB" --json --limit 5 --timeout 600000 -- "$SLOW"
assert_eq "$OUT" "$full" "results with a timeout that was not reached"

# The other commands that search. A rule to test and to run alerts for.
expect_exit 0 newsq --db "$DB" rule add often --backfill -- "$WORD"
pending=$(newsq --db "$DB" alerts --count)
((pending > 1000)) || fail "$pending alerts pending"
cases=("timeline --by day" "facets --top 0" "terms new --all --limit 100000"
  "terms trending --window 30d --all --limit 100000" "rule test often --json --limit 100000"
  "alerts --json" "search --json --limit 3000 --sort hybrid said")
for c in "${cases[@]}"; do
  read -ra args <<<"$c"
  rc=0
  newsq "${args[@]}" --db "$DB" --timeout 1 >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [[ $rc == 2 ]]; then
    assert_eq "$(cat "$WORK/err")" "newsq: query timed out after 1 ms" "newsq $c --timeout 1"
    echo "newsq $c --timeout 1: timed out"
    continue
  fi
  [[ ${args[0]} != alerts ]] || fail "newsq alerts --timeout 1 finished: exit $rc"
  timed "$rc" newsq "${args[@]}" --db "$DB"
  ((MS < 100)) || fail "newsq $c --timeout 1 exited $rc, but the work takes $MS ms: $(cat "$WORK/err")"
  echo "newsq $c: not judged, it finished in $MS ms (exit $rc)"
done
# The timed-out alerts acknowledged nothing: the same are pending.
assert_eq "$(newsq --db "$DB" alerts --count)" "$pending" "alerts pending after a timeout"

# ---- Ctrl-C during the ranking: exit 130, one line on stderr, nothing on stdout.
newsq --db "$DB" --json --limit 5 -- "$SLOW" >"$WORK/out" 2>"$WORK/err" &
pid=$!
sleep 0.3
kill -INT "$pid"
rc=0
started=$(now_ms)
wait "$pid" || rc=$?
assert_eq "$rc" 130 "exit status after Ctrl-C"
assert_eq "$(cat "$WORK/err")" "newsq: interrupted"
assert_eq "$(cat "$WORK/out")" "" "output after Ctrl-C during the ranking"
echo "Ctrl-C during the ranking: stopped within $(($(now_ms) - started)) ms"

# ---- Ctrl-C while the output is blocked on a slow reader (a pipe that is not read for a
# second): the hit being written is finished, then newsq stops; every line is whole.
mkfifo "$WORK/pipe"
{
  exec 3<"$WORK/pipe"
  sleep 1
  cat <&3 >"$WORK/out"
} &
reader=$!
newsq --db "$DB" --json --limit 5000 --sort date -- said >"$WORK/pipe" 2>"$WORK/err" &
pid=$!
sleep 0.5
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
wait "$reader"
assert_eq "$rc" 130 "exit status after Ctrl-C while writing"
assert_eq "$(cat "$WORK/err")" "newsq: interrupted"
n=$(py 'import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n"), "the output does not end with a newline"
print(sum(1 for line in data.decode().splitlines() if json.loads(line)))' "$WORK/out") ||
  fail "the output after Ctrl-C is not whole JSON lines"
((n > 0 && n < 5000)) || fail "$n hits written before Ctrl-C"
echo "Ctrl-C while writing: $n whole hits, then exit 130"
echo "ok"
