# query_cli.sh — the newsq command line over the project's sample corpus: subcommands, options,
# negated words as arguments, colour, relative dates from $NEWSQ_NOW, listings, usage errors,
# closed pipes. (Search results against an independent scan: query_reuters.sh.)
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"
export NEWSIDX_DB=$DB

count() { newsq --count "$@"; }

# Words that start with '-' are negations, not options; -n is still the short --limit.
all=$(count strike)
some=$(count strike -lisbon)
[[ $all -gt $some && $some -gt 0 ]] || fail "strike: $all, strike -lisbon: $some"
assert_eq "$(count strike NOT lisbon)" "$some" "strike NOT lisbon"
expect_exit 0 newsq -n 1 --ids strike -lisbon
assert_eq "$(wc -l <<<"$OUT")" 1 "-n 1"
expect_exit 0 newsq --ids -- strike -lisbon
assert_eq "$(wc -l <<<"$OUT")" "$some" "after --"

# Pasted text finds what it should.
for q in "Lt. Gen." "U.S." "\$11.1bn" "76%" "O'Brien" "O’Brien" "Müller’s" "night-shift" \
  "“interest rates”" "AND strike OR" "(strike"; do
  expect_exit 0 newsq --count "$q"
  [[ $OUT -gt 0 ]] || fail "$q: no match"
done

# Pasted text is never refused: it is searched (exit 0 or 1), never a query error.
for q in '19" rack' '2.5" harddisk' '"missing quote' 'php date()' 'COUNT(*)' \
  'mkdir() failed (File exists)' 'for (;;) c++' 'socket\(\)' 'oil AND' 'OR gold' 'title:' \
  ': oil ^ 2 ~ +' 'ERROR:root:strike failed' 're:invent'; do
  rc=0
  newsq --count -- "$q" >/dev/null 2>"$WORK/err" || rc=$?
  [[ $rc == 0 || $rc == 1 ]] || fail "$q: exit $rc: $(cat "$WORK/err")"
done
# ... unless nothing at all in it is searchable.
expect_exit 2 newsq --count -- 'NOT $ ()'
assert_eq "$ERR" "newsq: query error at column 1: nothing to search for"

# Subcommands; a query that starts with a command's name goes after `search` or `--`.
expect_exit 0 newsq timeline --by month strike
assert_contains "$OUT" "2025-11"
assert_contains "$OUT" "█"
expect_exit 0 newsq facets
assert_contains "$OUT" "Sample Wire"
expect_exit 0 newsq search --count coffee
expect_exit 1 newsq -- timeline
expect_exit 1 newsq facets zyzzyvaqx

# Filters alone list articles, newest first.
expect_exit 0 newsq --json --source "sample wire"
py '
import json, sys
hits = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert len(hits) >= 2 and all(h["source"] == "Sample Wire" for h in hits), hits
dates = [h["date"] for h in hits]
assert dates == sorted(dates, reverse=True), dates
' <<<"$OUT" || fail "listing by source"
expect_exit 0 newsq --json tag:OPERA lang:en
assert_contains "$OUT" "Zürich Opera"
expect_exit 1 newsq tag:oper

# Relative dates count from $NEWSQ_NOW.
NEWSQ_NOW=2025-11-20 expect_exit 0 newsq --json --since 7d strike
py '
import json, sys
hits = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert hits and all(h["date"] >= "2025-11-13" for h in hits), [h["date"] for h in hits]
' <<<"$OUT" || fail "--since 7d"
NEWSQ_NOW=2025-11-20 expect_exit 1 newsq "strike date:yesterday"
NEWSQ_NOW=2025-11-19 expect_exit 0 newsq "strike date:yesterday"
NEWSQ_NOW=soon expect_exit 2 newsq strike
assert_contains "$ERR" "newsq: \$NEWSQ_NOW: bad date-time 'soon'"

# Colour: never when piped unless asked; NO_COLOR is honoured on a terminal; --color wins.
expect_exit 0 newsq strike
assert_not_contains "$OUT" $'\033['
expect_exit 0 newsq --color always strike
assert_contains "$OUT" $'\033[1;31m'
if command -v script >/dev/null; then
  tty_out=$(NO_COLOR= script -qc "newsq --db '$DB' -n 1 strike" /dev/null)
  assert_contains "$tty_out" $'\033[1;31m' "output on a terminal"
  tty_out=$(NO_COLOR=1 script -qc "newsq --db '$DB' -n 1 strike" /dev/null)
  assert_not_contains "$tty_out" $'\033[1;31m' "output on a terminal with NO_COLOR"
  tty_out=$(NO_COLOR=1 script -qc "newsq --db '$DB' -n 1 --color always strike" /dev/null)
  assert_contains "$tty_out" $'\033[1;31m' "--color always with NO_COLOR"
fi

# --explain shows the FTS5 expression, the filters and SQLite's plan.
expect_exit 0 newsq --explain 'narco-terrorism -"U.S." date:2026-03 source:x'
assert_contains "$OUT" 'match: "narco-terrorism" NOT "U.S."'
assert_contains "$OUT" "filter: date in [2026-03-01, 2026-04-01)"
assert_contains "$OUT" "sqlite: SCAN articles_fts VIRTUAL TABLE"
# ... with what the query holds escaped, as text output escapes it: no ESC or BEL reaches
# the terminal from a phrase or a filter value.
expect_exit 0 newsq --explain $'"strike\e[2J\a" source:"x\ey" tag:\a'
assert_not_contains "$OUT" $'\e' "--explain with ESC in the query"
assert_not_contains "$OUT" $'\a' "--explain with BEL in the query"
assert_contains "$OUT" 'match: "strike\x1B[2J\x07"'
assert_contains "$OUT" 'source = x\x1By'
assert_contains "$OUT" 'tag = \x07'

# Usage errors: one line on stderr, exit 2, nothing on stdout.
for args in "--sort best strike" "--since someday strike" "--weights 10 strike" \
  "--half-life 0 strike" "--limit 0 strike" "timeline --by decade strike" "--bogus strike" \
  "facets --top -1"; do
  expect_exit 2 newsq $args
  assert_eq "$OUT" "" "stdout of newsq $args"
  assert_eq "$(wc -l <<<"$ERR")" 1 "stderr lines of newsq $args"
done
expect_exit 2 newsq --sort best strike
assert_eq "$ERR" "newsq: --sort must be one of: relevance, date, hybrid (not 'best')"
expect_exit 2 newsq --since someday strike
assert_contains "$ERR" "newsq: --since: bad date 'someday' (use YYYY"
expect_exit 2 newsq
assert_contains "$ERR" "Usage: newsq"
expect_exit 0 newsq --help
assert_contains "$OUT" "Exit status:
  0    something matched"
assert_contains "$OUT" "  1    nothing matched"
assert_contains "$OUT" "  2    error"
expect_exit 0 newsq timeline --help
assert_contains "$OUT" "Usage: newsq timeline"

# A reader that stops early ends the output quietly, with success.
set +o pipefail
first=$(newsq --limit 50 --fragments 4 strike 2>"$WORK/pipe.err" | head -1)
status=${PIPESTATUS[0]}
set -o pipefail
assert_eq "$status" 0 "exit status into a closed pipe"
assert_eq "$(cat "$WORK/pipe.err")" "" "stderr into a closed pipe"
assert_contains "$first" "1. "

# --paths lists each file once; --ids one id a line.
expect_exit 0 newsq --paths strike
assert_eq "$(sort <<<"$OUT" | uniq -d)" "" "--paths repeats a file"
[[ $(wc -l <<<"$OUT") -ge 3 ]] || fail "--paths: $OUT"
echo "ok"
