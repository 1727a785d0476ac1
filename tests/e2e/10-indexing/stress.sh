# stress.sh — searches while the indexer writes: newsidx indexes the Reuters-21578 feed in
# batches of 50 and then 6,000 text files of its folder form (duplicates of the feed's
# articles), while four newsq loops search, for as long as it runs (at most 60 s). Then:
#
#   - no newsq fails: every one exits 0 or 1, with nothing on standard error;
#   - counts only grow: each query's --count never goes down from one search to the next, and
#     never exceeds the count on the finished index;
#   - no reader sees a partially indexed article, that is one present in one part of the index
#     and not yet (or no longer) in another: every hit of every search has its row with the
#     key, date and title the finished index has for it, and its body: the text of the snippet
#     (for a title-only query, the opening of the body) is in the article's body.
#
# Without the shared corpora, 8,000 articles generated from this project's own corpus/ stand in
# (as JSON Lines and as files), with queries on words they hold.
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus" # readers start on an index
mkdir -p "$WORK/txt" "$WORK/logs"
if has_corpora reuters21578; then
  FEED=$CORPORA/reuters21578/reuters21578.jsonl
  files=("$CORPORA"/reuters21578/txt/*.txt)
  ln -s -t "$WORK/txt" "${files[@]:0:6000}"
  queries=(oil 'title:(trade OR tariffs OR bank*)' 'title:(oil OR cocoa OR gold)' 'bank rate')
else
  FEED=$WORK/feed.jsonl
  generate_corpus 8000 "$FEED" "$WORK/txt"
  queries=(strike 'title:(coffee OR copper OR bank*)' 'title:(strike OR cocoa OR copper)'
    'bank rate')
fi

# reader NAME ARGS...: runs `newsq --db DB ARGS...` until $WORK/stop exists; logs each run's
# exit status and output to logs/NAME.N, and anything on standard error to logs/NAME.err.
reader() {
  local name=$1 n=0 rc
  shift
  while [[ ! -e $WORK/stop ]]; do
    n=$((n + 1))
    rc=0
    newsq --db "$DB" "$@" >"$WORK/logs/$name.$n" 2>>"$WORK/logs/$name.err" || rc=$?
    echo "$rc" >"$WORK/logs/$name.$n.rc"
  done
}

newsidx --db "$DB" --batch 50 "$FEED" "$WORK/txt" >"$WORK/writer.out" 2>"$WORK/writer.err" &
writer=$!
reader count-word --count -- "${queries[0]}" &
reader count-title --count -- "${queries[1]}" &
reader hits-title --json --limit 20 -- "${queries[2]}" &
reader hits-date --json --limit 20 --sort date -- "${queries[3]}" &
for ((waited = 0; waited < 600; waited++)); do # tenths of a second
  kill -0 "$writer" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$writer" 2>/dev/null && echo "the writer is still running after 60 s; stopping it"
kill -TERM "$writer" 2>/dev/null || true
rc=0
wait "$writer" || rc=$?
[[ $rc == 0 || $rc == 130 ]] || fail "the writer failed (exit $rc): $(cat "$WORK/writer.err")"
sleep 1 # the readers see the finished index too
touch "$WORK/stop"
wait
echo "writer: $(cat "$WORK/writer.out") (stopped waiting after $((waited / 10)).$((waited % 10)) s)"
expect_exit 0 newsidx check --db "$DB"

# Every hit, against the finished index: key → date, title, body.
sqlite3 -json "$DB" "SELECT k.key, date, title, body FROM articles JOIN article_keys k USING (id)" \
  >"$WORK/articles.json"
final_counts=()
for q in "${queries[0]}" "${queries[1]}"; do
  final_counts+=("$(newsq --db "$DB" --count -- "$q")")
done
py '
import glob, json, os, re, sys
logs, articles_file = sys.argv[1], sys.argv[2]
final = {"count-word": int(sys.argv[3]), "count-title": int(sys.argv[4])}
articles = {a["key"]: a for a in json.load(open(articles_file))}
space = lambda s: re.sub(r"\s+", " ", s or "").strip()
problems = []
for name in ["count-word", "count-title", "hits-title", "hits-date"]:
    err = os.path.join(logs, name + ".err")
    if os.path.exists(err) and os.path.getsize(err):
        problems.append("%s: stderr: %s" % (name, open(err).read()[:500]))
    runs = sorted(int(f.rsplit(".", 2)[-2]) for f in glob.glob(os.path.join(logs, name + ".*.rc")))
    if len(runs) < 5:
        problems.append("%s: only %d searches ran" % (name, len(runs)))
    last = 0
    for n in runs:
        rc = int(open(os.path.join(logs, "%s.%d.rc" % (name, n))).read())
        out = open(os.path.join(logs, "%s.%d" % (name, n))).read()
        if rc not in (0, 1):
            problems.append("%s #%d: exit %d" % (name, n, rc))
            continue
        if name.startswith("count"):
            count = int(out)
            if count < last or count > final[name]:
                problems.append("%s #%d: count %d after %d (final %d)" % (name, n, count, last, final[name]))
            last = count
            continue
        for line in out.splitlines():
            hit = json.loads(line)
            a = articles.get(hit["key"])
            if a is None:
                problems.append("%s #%d: %s is not in the finished index" % (name, n, hit["key"]))
            elif (hit["date"], hit["title"]) != (a["date"], a["title"]):
                problems.append("%s #%d: %s has %r, the index %r" % (name, n, hit["key"],
                                (hit["date"], hit["title"]), (a["date"], a["title"])))
            else:
                pieces = [p for p in (space(p) for p in hit["snippet"].split("\u2026")) if p]
                body = space(a["body"])
                if not pieces or any(p not in body for p in pieces):
                    problems.append("%s #%d: %s: snippet %r not in its body" % (name, n, hit["key"], hit["snippet"][:200]))
    print("%s: %d searches%s" % (name, len(runs), ", last count %d" % last if name.startswith("count") else ""))
for p in problems[:20]:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)' "$WORK/logs" "$WORK/articles.json" "${final_counts[@]}" ||
  fail "readers saw errors, shrinking counts or partial articles (above)"
echo "ok"
