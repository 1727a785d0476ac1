# rank_reuters.sh — ranking in memory over Reuters-21578 against SQLite's own bm25(), ORDER BY
# and newsidx_snippet(), query by query (tests/unit/test_rank.c on this index): every score
# within 1e-9 relative, the same orders, the same snippets. Reuters is not in date order, so
# newest first is checked where ids do not follow dates.
source "$(dirname "$0")/lib.sh"
need_corpora reuters21578
: "${NEWSIDX_TEST_RANK:?run through ctest}"

DB=$WORK/reuters.db
expect_exit 0 newsidx --db "$DB" "$CORPORA/reuters21578/reuters21578.jsonl"
assert_contains "$OUT" "18,813 added"
"$NEWSIDX_TEST_RANK" "$DB" || fail "test_rank on Reuters"
echo "ok"
