# corpus_generate.sh — corpus/generate.py, the scale corpus generator of the benchmarks: the
# same seed gives the same bytes, another seed other articles; dates rise with the ids; the
# paragraphs and titles all come from the input; the folder form indexes to the same articles.
source "$(dirname "$0")/lib.sh"
need_corpora reuters21578
GEN=$NEWSIDX_SOURCE/corpus/generate.py
INPUT=$CORPORA/reuters21578/reuters21578.jsonl

expect_exit 0 "$PY" "$GEN" --articles 300 --folder "$WORK/txt" "$WORK/a.jsonl"
assert_contains "$ERR" "300 articles"
expect_exit 0 "$PY" "$GEN" --articles 300 "$WORK/b.jsonl"
cmp -s "$WORK/a.jsonl" "$WORK/b.jsonl" || fail "same seed, different output"
expect_exit 0 "$PY" "$GEN" --articles 300 --seed 7 "$WORK/c.jsonl"
cmp -s "$WORK/a.jsonl" "$WORK/c.jsonl" && fail "another seed, same output"

py '
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert [r["id"] for r in records] == ["scale-%d" % i for i in range(1, 301)]
dates = [r["date"] for r in records]
assert dates == sorted(dates) and len(set(dates)) == 300, "dates not strictly rising"
assert dates[0].startswith("1987-01") and dates[-1].startswith("1996-12"), (dates[0], dates[-1])
paragraphs, titles = set(), set()
for line in open(sys.argv[2]):
    r = json.loads(line)
    paragraphs.update(p.strip() for p in r["body"].split("\n\n") if p.strip())
    titles.add(r["title"].strip())
for r in records:
    ps = r["body"].split("\n\n")
    assert len(ps) >= 2 and all(p in paragraphs for p in ps), r["id"]
    assert r["title"] in titles, r["title"]
' "$WORK/a.jsonl" "$INPUT" || fail "generated records"

# The folder holds the same articles in seed format, 1,000 to a subfolder, names in date order.
assert_eq "$(find "$WORK/txt" -name '*.txt' | wc -l)" 300 "files written"
head -c 17 "$WORK/txt/0000/scale-0000001.txt" | grep -q '^ date 1987-01-' || fail "seed header"
expect_exit 0 newsidx --db "$WORK/j.db" "$WORK/a.jsonl"
JSONL_SUMMARY=$OUT
expect_exit 0 newsidx --db "$WORK/f.db" "$WORK/txt"
assert_contains "$OUT" "${JSONL_SUMMARY%% in *}" "folder summary (JSON Lines gave: $JSONL_SUMMARY)"
echo "ok"
