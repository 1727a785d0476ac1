# hostile_query.sh — hostile queries through newsq against an index of corpus/: absurd sizes,
# deep or unbalanced parentheses, absurd NEAR distances, impossible dates, invalid UTF-8.
# Each must end within a minute with exit 0 (matches), 1 (none) or 2 (a query error) and at
# most one line on stderr: no crash, no hang, no sanitizer report.
#
# A long query whose every word matches ('"a" ' 5,000 times) made FTS5's bm25(), which works
# per pair of phrases per row, rank for 30 s; queries now stop at 64 terms and 256 words
# (query_fts.h), which the last checks here hold to.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"

# A sanitizer report is many lines and exit 1; make it unmistakable. FTS5 reallocates the
# expression tree of a query of many terms quadratically: 70 MB natively, but ASan's default
# 256 MB quarantine of freed blocks makes that gigabytes.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86:quarantine_size_mb=16
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86

repeat() { py 'import sys; sys.stdout.write(sys.argv[1] * int(sys.argv[2]))' "$1" "$2"; }

queries=(
  "$(repeat 'strike OR port ' 6667 | head -c 100000)" # 100,000 characters, 20,000 words
  "$(repeat x 100000)"                                 # one word of 100,000 characters
  "$(repeat '(' 10000)strike$(repeat ')' 10000)"      # 10,000 nested parentheses
  "$(repeat '(' 10000)strike"                          # unbalanced
  "strike$(repeat ')' 10000)"
  ")(strike OR port)("
  "$(repeat 'NOT ' 5000)strike"
  "$(repeat '"zqxj" ' 5000)"                          # 5,000 phrases
  "strike NEAR/999999999 port"
  "NEAR(strike port, 999999999)"
  "NEAR(strike port, 99999999999999999999999)"
  "strike NEAR/-1 port"
  "NEAR(strike port, -5)"
  "NEAR( , ) NEAR/ NEAR"
  "date:9999-99-99 strike"
  "date:2026-13..2026-00 strike"
  "title: source: tag: date:.."
  "$(printf 'str\xc3ike \xff\xfe \xc0\xaf*')"
  "$(printf 'strike\x1b[2J\x07')"
  '"unclosed phrase'
  '* ** "" "*"'
  "$(repeat '"a" ' 5000)"                             # 5,000 phrases that all match
  "$(repeat 'a ' 5000)"
  "\"$(repeat 'a ' 4000)\""                           # one phrase of 4,000 words
)
for i in "${!queries[@]}"; do
  rc=0
  timeout 60 newsq --db "$DB" --limit 3 -- "${queries[$i]}" >"$WORK/out" 2>"$WORK/err" || rc=$?
  what="query $i (${queries[$i]:0:60}...)"
  [[ $rc == 0 || $rc == 1 || $rc == 2 ]] || fail "$what: exit $rc; stderr: $(head -c 2000 "$WORK/err")"
  (($(wc -l <"$WORK/err") <= 1)) || fail "$what: more than one line on stderr:
$(head -c 2000 "$WORK/err")"
  [[ $rc != 2 ]] || [[ -s $WORK/err ]] || fail "$what: exit 2 without a message"
done

# Deep parentheses and huge queries end with the one-line error that names the column.
expect_exit 2 newsq --db "$DB" --count -- "$(repeat '(' 13)strike$(repeat ')' 13)"
assert_eq "$ERR" "newsq: query error at column 13: parentheses nested deeper than 12 levels"
expect_exit 0 newsq --db "$DB" --count -- "$(repeat '(' 12)strike$(repeat ')' 12)"
expect_exit 2 newsq --db "$DB" --count -- "$(repeat '(' 4000)strike$(repeat ')' 4000)"
assert_eq "$ERR" "newsq: query error at column 13: parentheses nested deeper than 12 levels"
for huge in "${queries[0]}" "${queries[1]}" "${queries[2]}"; do
  expect_exit 2 newsq --db "$DB" --count -- "$huge"
  assert_eq "$ERR" "newsq: query error at column 10001: the query is longer than 10000 bytes"
done

# NEAR with absurd distances: capped at 10,000 (FTS5 would take any int), the column named.
expect_exit 2 newsq --db "$DB" --count -- "strike NEAR/999999999 port"
assert_eq "$ERR" "newsq: query error at column 13: NEAR distance is above 10000"
expect_exit 2 newsq --db "$DB" --count -- "NEAR(strike port, 99999999999999999999999)"
assert_eq "$ERR" "newsq: query error at column 19: NEAR distance is above 10000"
expect_exit 2 newsq --db "$DB" --count -- "strike NEAR/-1 port"
assert_eq "$ERR" "newsq: query error at column 13: NEAR distance is not a number"
expect_exit 0 newsq --db "$DB" --count -- "NEAR(strike port, 10000)"

# The limits, and the column of the first term over them: distinct terms count (w01 w02 …, each
# 4 bytes); a word written again is the same term (the ×70 is "the").
expect_exit 1 newsq --db "$DB" --count -- "$(printf 'w%02d ' $(seq 1 64))" # accepted, no match
expect_exit 2 newsq --db "$DB" --count -- "$(printf 'w%02d ' $(seq 1 65))"
assert_eq "$ERR" "newsq: query error at column 257: more than 64 words, phrases or prefixes"
expect_exit 0 newsq --db "$DB" --count -- "$(repeat 'the ' 70)"
expect_exit 2 newsq --db "$DB" --count -- "\"$(repeat 'the ' 300)\""
assert_eq "$ERR" "newsq: query error at column 1026: more than 256 words, counting those inside phrases"
echo "ok"
