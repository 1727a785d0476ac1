# serve_load.sh — a bounded load test of newsq serve on 127.0.0.1: 50 concurrent clients,
# 5,000 requests over every kind of page and API call, each answered as expected, and the
# server's resident memory flat between the first 1,000 and the last (serve.py load).
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"
"$PY" "$(dirname "$0")/serve.py" load "$DB" || fail "serve.py load"
echo "ok"
