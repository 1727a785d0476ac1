# serve_browser.sh — newsq serve's pages in headless chromium (serve.py browser): the search
# page's top 10 is newsq --json's, the timeline's bars are newsq timeline --json's periods and
# counts, an article page holds the whole body; over corpus/, and over Reuters-21578 when the
# shared corpora are there, which also makes the screenshot (docs/serve-search.png with
# NEWSIDX_UPDATE_GOLDEN=1).
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is missing (scripts/deps.sh installs it)"
export WORK
DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"
REUTERS=
if has_corpora reuters21578; then
  REUTERS=$WORK/reuters.db
  expect_exit 0 newsidx --db "$REUTERS" "$CORPORA/reuters21578/reuters21578.jsonl"
  export SCREENSHOT=$WORK/serve-search.png
fi
"$PY" "$(dirname "$0")/serve.py" browser "$DB" $REUTERS || fail "serve.py browser"
if [[ -n $REUTERS && ${NEWSIDX_UPDATE_GOLDEN:-} == 1 ]]; then
  cp "$SCREENSHOT" "$NEWSIDX_SOURCE/docs/serve-search.png"
  echo "wrote docs/serve-search.png"
fi
echo "ok"
