# golden_schema.sh — the schema of a freshly created index, as `sqlite3 news.db .schema`
# prints it, is tests/golden/schema.sql: a change to the schema shows in review as a change to
# that file. After a deliberate change, regenerate it with
#   cd build-test && NEWSIDX_UPDATE_GOLDEN=1 ctest -R e2e.golden_schema
source "$(dirname "$0")/lib.sh"

GOLDEN=$NEWSIDX_SOURCE/tests/golden/schema.sql
mkdir "$WORK/empty"
expect_exit 0 newsidx --db "$WORK/news.db" "$WORK/empty"
sqlite3 "$WORK/news.db" .schema >"$WORK/schema.sql"

if [[ ${NEWSIDX_UPDATE_GOLDEN:-} == 1 ]]; then
  cp "$WORK/schema.sql" "$GOLDEN"
  echo "golden_schema: wrote $GOLDEN"
  exit 0
fi
[[ -f $GOLDEN ]] || fail "$GOLDEN is missing (NEWSIDX_UPDATE_GOLDEN=1 makes it)"
diff -u --label tests/golden/schema.sql --label "new index" "$GOLDEN" "$WORK/schema.sql" >&2 ||
  fail "a new index's schema differs from tests/golden/schema.sql (diff above; if the change is
meant, regenerate it: NEWSIDX_UPDATE_GOLDEN=1 ctest -R e2e.golden_schema in the build folder)"
echo "golden_schema: ok"
