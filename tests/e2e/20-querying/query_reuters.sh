# query_reuters.sh — newsq over Reuters-21578, checked against an independent scan of the
# JSON Lines in Python (query_reuters.py): term, phrase and NEAR searches, every filter, every
# sort, every output format parsed back, the exit codes.
source "$(dirname "$0")/lib.sh"
need_corpora reuters21578
"$PY" -c 'import Stemmer' 2>/dev/null ||
  fail "Debian's python3-stemmer is missing (scripts/deps.sh installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 shell missing (scripts/deps.sh installs it)"

DB=$WORK/reuters.db
JSONL=$(cd "$CORPORA/reuters21578" && pwd -P)/reuters21578.jsonl
expect_exit 0 newsidx --db "$DB" "$JSONL"
assert_contains "$OUT" "18,813 added"

"$PY" "$(dirname "$0")/query_reuters.py" "$(command -v newsq)" "$DB" "$JSONL" \
  "${NEWSIDX_EXTENSION%.so}" || fail "query_reuters.py"
echo "ok"
