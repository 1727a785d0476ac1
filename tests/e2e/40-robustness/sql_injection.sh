# sql_injection.sh — SQL injection through every option that reaches SQL: newsq's query text
# (words, phrases, fields, date: ranges, filters), --source, --tag, --lang, --since, --until,
# terms --query, rule names and rule queries (newsq rule add/show/test/rm, newsq alerts NAME),
# newsidx rm --key and --path, and an index file name with quotes. The payloads are classic
# ('; DROP TABLE articles; --, " OR 1=1 --, %' OR '1'='1 ...). Every value is bound as an SQL
# parameter and every query word quoted for FTS5, so:
#
#   - each command exits 0, 1 or 2, and with 2 prints one line (a normal query or option error);
#   - the database is the same afterwards: a dump of every table (rules aside, which rule add
#     changes on purpose) is identical, and `newsidx check` passes;
#   - a payload in a filter matches nothing (exit 1), where the benign value matches; a payload
#     as query text finds what its words find; a rule keeps its query as typed.
#
# NUL bytes cannot be passed: argv strings end at the first one, and JSON Lines input refuses
# \u0000 (hostile_input.sh).
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
FEED=$NEWSIDX_SOURCE/corpus/feeds/sample.jsonl
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus/articles" "$FEED"
expect_exit 0 newsq --db "$DB" rule add existing -- opera

dump() { sqlite3 "$DB" .dump | grep -v -e '^INSERT INTO rule' -e 'sqlite_sequence'; }
dump >"$WORK/before.sql"

payloads=("'; DROP TABLE articles; --" "\" OR 1=1 --" "%' OR '1'='1" "x') OR 1=1 --"
  "'); DELETE FROM articles; --" "1; DROP TABLE rules" "*' UNION SELECT key FROM articles --"
  "\\\"; ATTACH DATABASE '/tmp/x' AS x; --")

# run CODES... -- COMMAND...: runs newsq/newsidx; the exit status must be one of CODES, and an
# exit 2 must come with exactly one line on stderr.
run() {
  local codes=() rc=0
  while [[ $1 != -- ]]; do codes+=("$1"); shift; done
  shift
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [[ " ${codes[*]} " == *" $rc "* ]] || fail "exit $rc (wanted ${codes[*]}): $*
$(head -c 1000 "$WORK/err")"
  if [[ $rc == 2 ]]; then
    assert_eq "$(wc -l <"$WORK/err")" 1 "stderr lines of: $*"
  fi
  RC=$rc
}

# Filters: the benign value matches, the payload matches nothing.
run 0 -- newsq --db "$DB" --count --source "Sample Wire" --tag opera --lang en
assert_eq "$(cat "$WORK/out")" 1 "benign filters"
for p in "${payloads[@]}"; do
  for option in source tag lang; do
    run 1 -- newsq --db "$DB" --count --"$option" "$p"
    run 1 -- newsq --db "$DB" --count --"$option" "Sample Wire$p"
    run 1 -- newsq --db "$DB" timeline --"$option" "$p"
    run 1 -- newsq --db "$DB" facets --"$option" "$p"
  done
  run 2 -- newsq --db "$DB" --since "$p" opera
  run 2 -- newsq --db "$DB" --until "2026-03$p" opera
  # In the query: as words, as a phrase, in fields and filters, in date: ranges.
  run 0 1 2 -- newsq --db "$DB" --json -- "opera $p"
  run 0 1 2 -- newsq --db "$DB" --json -- "\"$p\""
  run 0 1 2 -- newsq --db "$DB" --json -- "title:($p) OR opera"
  run 1 2 -- newsq --db "$DB" --json -- "source:\"$p\" opera"
  run 1 2 -- newsq --db "$DB" --json -- "tag:$p opera"
  # a payload that starts with a quote ends the date; the rest is a phrase that matches nothing
  if [[ $p == \"* ]]; then
    run 1 -- newsq --db "$DB" --json -- "date:2026..2027$p opera"
  else
    run 2 -- newsq --db "$DB" --json -- "date:2026..2027$p opera"
  fi
  run 2 -- newsq --db "$DB" --json -- "date:$p opera"
  run 0 1 2 -- newsq --db "$DB" terms new --all --query "$p"
  # Rules: a name with quotes is refused; a query with them is kept as typed and runs.
  run 2 -- newsq --db "$DB" rule add "r$p" -- opera
  run 1 2 -- newsq --db "$DB" rule show "$p"
  run 1 2 -- newsq --db "$DB" rule test "$p"
  run 1 2 -- newsq --db "$DB" alerts "$p"
  run 1 -- newsq --db "$DB" rule rm "$p"
  # newsidx rm: nothing by that key or path is in the index.
  run 1 -- newsidx rm --db "$DB" --key "$p"
  run 1 -- newsidx rm --db "$DB" --key "sample-feed-001$p"
  run 1 -- newsidx rm --db "$DB" --path "$WORK/$p"
done

# A query made of a payload finds what its words find: the SQL around them is punctuation.
run 0 -- newsq --db "$DB" --ids -- opera
opera=$(cat "$WORK/out")
for q in "opera'; --" "opera%' --" "opera' OR 'opera"; do
  run 0 -- newsq --db "$DB" --ids -- "$q"
  assert_eq "$(cat "$WORK/out")" "$opera" "ids found by: $q"
done
run 1 -- newsq --db "$DB" --ids -- "opera'); DELETE FROM articles; --" # all five words: none

# A rule whose query is a payload: kept as typed, and it runs.
q="opera' OR 1=1; DROP TABLE rules; --"
run 0 -- newsq --db "$DB" rule add injected --backfill -- "$q"
run 0 -- newsq --db "$DB" rule show injected --json
py 'import json, sys; r = json.load(sys.stdin); assert r["query"] == sys.argv[1], r' "$q" <"$WORK/out" ||
  fail "the rule's query was not kept as typed"
run 0 1 -- newsq --db "$DB" alerts injected --json
run 0 -- newsq --db "$DB" rule rm injected
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(name) FROM rules")" "existing" "rules left"

# The index did not change, and is sound.
dump >"$WORK/after.sql"
diff -q "$WORK/before.sql" "$WORK/after.sql" >/dev/null ||
  fail "the index changed: $(diff "$WORK/before.sql" "$WORK/after.sql" | head -5)"
expect_exit 0 newsidx check --db "$DB"

# An index file named with quotes and SQL.
ODD=$WORK/"it's \"odd\"; DROP TABLE articles; --.db"
expect_exit 0 newsidx --db "$ODD" "$FEED"
expect_exit 0 newsq --db "$ODD" --count opera
assert_eq "$OUT" 1 "matches in the oddly named index"
expect_exit 0 newsidx check --db "$ODD"
echo "ok: ${#payloads[@]} payloads through every option"
