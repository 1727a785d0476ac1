# foundation.sh — the first end-to-end: index corpus/ and the seed article, then find the
# seed article by its words, with highlighted snippets, in text and JSON Lines.
source "$(dirname "$0")/lib.sh"
need_corpora seed

DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus" "$CORPORA/seed"
assert_contains "$OUT" "0 errors" "summary"
SEED=$(realpath "$CORPORA/seed/$(ls "$CORPORA/seed" | head -1)") # keys are canonical paths

# The seed article is among the results, with a snippet that highlights a match.
SEED_CHECK='import json, sys
seed, query = sys.argv[1], sys.argv[2]
hits = [json.loads(line) for line in sys.stdin.read().splitlines()]
assert hits, "no hits"
mine = [h for h in hits if h["key"] == seed]
assert mine, "seed article not found among %d hits" % len(hits)
h = mine[0]
assert h["date"] == "2026-03-05", h["date"]
assert h["matches"], "no highlighted match in the snippet"
for start, end in h["matches"]:
    word = h["snippet"][start:end].lower()
    assert any(w[:5] in word for w in query.lower().split()), (word, query)
assert h["score"] > 0
'
for query in "Ecuador" "narco terrorists" "Noboa"; do
  test_expect_success "the seed article is found, highlighted, by: $query" '
    expect_exit 0 newsq --db "$DB" --json $query
    "$PY" -c "$SEED_CHECK" "$SEED" "$query" <<<"$OUT" || fail "JSON check for $query"
  '
done

test_expect_success 'text output, piped: plain ** markers around matches, date, path' '
  expect_exit 0 newsq --db "$DB" Noboa
  assert_contains "$OUT" "**Noboa**"
  assert_contains "$OUT" "2026-03-05"
  assert_contains "$OUT" "$SEED"
'

BOLD=$'\033[1'
test_expect_success 'colour on request: bold escape sequences instead of markers' '
  expect_exit 0 newsq --db "$DB" --color always Noboa
  assert_contains "$OUT" "$BOLD"
  assert_not_contains "$OUT" "**Noboa**"
'

test_expect_success 'exit codes: 1 when nothing matched, 2 on errors, with a one-line message' '
  expect_exit 1 newsq --db "$DB" zyzzyvaqx
  assert_eq "$OUT" "" "stdout of an empty search"
  expect_exit 2 newsq --db "$WORK/absent.db" Noboa
  assert_contains "$ERR" "absent.db"
  expect_exit 2 newsq --db "$DB" "Noboa NEAR/x phrase"
  assert_contains "$ERR" "query error at column 12: NEAR distance is not a number"
'

test_expect_success 'the default database is news.db in the current folder, or $NEWSIDX_DB' '
  (cd "$WORK" && expect_exit 0 newsq Noboa) || fail "default news.db"
  mkdir "$WORK/elsewhere"
  (cd "$WORK/elsewhere" && NEWSIDX_DB=$DB expect_exit 0 newsq Noboa) || fail "NEWSIDX_DB"
'

test_expect_success 're-running adds nothing' '
  expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus" "$CORPORA/seed"
  assert_contains "$OUT" "0 added"
'
test_done
