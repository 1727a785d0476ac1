# serve_api.sh — newsq serve's JSON API against newsq --json over corpus/: the same bytes for
# the same command; security headers, the fixed routes, limits, --allow-remote (serve.py api).
# The index file is unchanged by serving (read-only).
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"
expect_exit 0 newsq --db "$DB" rule add cocoa cocoa
before=$(sha256sum <"$DB")
"$PY" "$(dirname "$0")/serve.py" api "$DB" || fail "serve.py api"
[[ $(sha256sum <"$DB") == "$before" ]] ||
  fail "newsq serve changed the index"
echo "ok"
