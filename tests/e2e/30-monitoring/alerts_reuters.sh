# alerts_reuters.sh — alert rules over Reuters-21578 replayed in date order in several indexing
# runs, checked against an independent reading of the JSON Lines (alerts_reuters.py): each
# matching article reported exactly once, --peek and failed output changing nothing, new terms
# exactly those absent from earlier runs, re-alerts of changed records, terms new.
source "$(dirname "$0")/lib.sh"
need_corpora reuters21578
"$PY" -c 'import Stemmer' 2>/dev/null ||
  fail "Debian's python3-stemmer is missing (scripts/deps.sh installs it)"

JSONL=$(cd "$CORPORA/reuters21578" && pwd -P)/reuters21578.jsonl
"$PY" "$(dirname "$0")/alerts_reuters.py" "$(command -v newsidx)" "$(command -v newsq)" "$WORK" \
  "$JSONL" || fail "alerts_reuters.py"
echo "ok"
