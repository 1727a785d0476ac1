# reuters.sh — the Reuters-21578 corpus as a folder of seed-format files and as JSON Lines
# yields the same articles: same Reuters ids, titles, dates (the date part: the folder has
# YYYY-MM-DD, the JSON Lines full UTC times), bodies and duplicates. Running again adds nothing.
source "$(dirname "$0")/lib.sh"
need_corpora reuters21578

R=$CORPORA/reuters21578
TXT_DB=$WORK/txt.db
JSONL_DB=$WORK/jsonl.db
WANT="18,813 added, 0 updated, 0 unchanged, 230 duplicates, 2,535 skipped, 0 errors"

expect_exit 0 newsidx --db "$TXT_DB" "$R/txt"
assert_contains "$OUT" "$WANT" "folder summary"
expect_exit 0 newsidx --db "$JSONL_DB" "$R/reuters21578.jsonl"
assert_contains "$OUT" "$WANT" "JSON Lines summary"

py '
import re, sqlite3, sys

def load(path, reuters_id):
    db = sqlite3.connect(path)
    rows = db.execute("SELECT a.id, k.key, a.title, a.date, a.body, a.dup_of"
                      " FROM articles a JOIN article_keys k USING (id)").fetchall()
    by_rowid = {r[0]: reuters_id(r[1]) for r in rows}
    return {reuters_id(key): (title, date[:10] if date else None, body, by_rowid.get(dup))
            for _, key, title, date, body, dup in rows}

folder = load(sys.argv[1], lambda k: int(re.search(r"/(\d+)_[0-9a-f]+\.txt$", k).group(1)))
jsonl = load(sys.argv[2], lambda k: int(re.fullmatch(r"reuters-(\d+)", k).group(1)))
assert len(folder) == 19043, len(folder)
assert folder.keys() == jsonl.keys(), sorted(folder.keys() ^ jsonl.keys())[:10]
for i, what in enumerate(["title", "date", "body", "original of a duplicate"]):
    differ = [k for k in folder if folder[k][i] != jsonl[k][i]]
    assert not differ, "%d articles differ in %s, e.g. %d: %r vs %r" % (
        len(differ), what, differ[0], folder[differ[0]][i], jsonl[differ[0]][i])
titled = sum(1 for v in folder.values() if v[0])
dated = sum(1 for v in folder.values() if v[1])
assert titled > 18000 and dated > 19000, (titled, dated)
print("folder and JSON Lines agree on", len(folder), "articles,", titled, "with titles")
' "$TXT_DB" "$JSONL_DB" || fail "folder and JSON Lines disagree"

# The articles are read and prepared (tokenized, stemmed, their new terms found) on a second
# thread while the writer stores; NEWSIDX_PREPARE=0 has the writer tokenize them itself. Both
# make the same full-text index, document sizes, articles and term ledger, byte for byte.
same_index() { # same_index DB: the digest of what must not depend on how it was built
  sqlite3 "$1" "SELECT hex(sha3_query('SELECT * FROM articles_fts_data ORDER BY id')),
    hex(sha3_query('SELECT * FROM articles_fts_docsize ORDER BY id')),
    hex(sha3_query('SELECT id, key, path, content_hash, dup_of, date, title, body, source, url,
      author, lang, tags, file_size, file_mtime, seq FROM articles ORDER BY id')),
    hex(sha3_query('SELECT term, kind, surface, first_article, first_when, n_docs FROM terms
      ORDER BY term, kind'))"
}
NEWSIDX_PREPARE=0 expect_exit 0 newsidx --db "$WORK/writer.db" "$R/reuters21578.jsonl"
assert_contains "$OUT" "$WANT" "JSON Lines summary, unprepared"
assert_eq "$(same_index "$WORK/writer.db")" "$(same_index "$JSONL_DB")" "prepared and unprepared"
rm -f "$WORK"/writer.db*

# Running again adds nothing; the time is printed for the record, not asserted.
NOTHING="0 added, 0 updated, 19,043 unchanged, 0 duplicates, 2,535 skipped, 0 errors"
expect_exit 0 newsidx --db "$TXT_DB" "$R/txt"
assert_contains "$OUT" "$NOTHING" "folder re-run"
echo "folder re-run: $OUT"
expect_exit 0 newsidx --db "$JSONL_DB" "$R/reuters21578.jsonl"
assert_contains "$OUT" "$NOTHING" "JSON Lines re-run"
echo "JSON Lines re-run: $OUT"
# On a terminal a progress line (bytes of the known total, articles) is redrawn in place on
# standard error, before the summary; piped, as above, there is none.
assert_not_contains "$ERR" $'\r' "stderr when piped"
command -v script >/dev/null || fail "script(1) missing (Debian package bsdutils)"
tty_start=$(date +%s%N)
script -qec "newsidx --db '$WORK/tty.db' '$R/reuters21578.jsonl'" /dev/null >"$WORK/tty.out" </dev/null
tty_ms=$((($(date +%s%N) - tty_start) / 1000000))
tty=$(cat "$WORK/tty.out")
assert_contains "$tty" $'\r\033[K' "terminal output"
assert_contains "$tty" " of 19.9 MB (" "progress line"
assert_contains "$tty" " articles" "progress line"
# Each redraw says how far (of the total), how many articles so far, and, once the run is
# long enough to tell (0.5 s for the rate, 1 s for the time left), articles per second and an
# ETA. The summary line, which also says "articles/s", is not a redraw.
"$PY" - "$WORK/tty.out" "$tty_ms" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", newline="").read()
run_ms = int(sys.argv[2])
draws = [d.split("\r")[0].strip() for d in text.split("\r\x1b[K")[1:]]
draws = [d for d in draws if d and " added, " not in d]  # the last clears the line: summary
shape = re.compile(r"^[0-9.,]+ [kMG]?B of 19\.9 MB \([0-9]+%\) · [0-9,]+ articles"
                   r"( · [0-9]+/s)?( · ETA [0-9]+:[0-9]{2})?$")
assert draws, "no progress line drawn"
bad = [d for d in draws if not shape.match(d)]
assert not bad, "progress lines of another shape: %r" % bad[:3]
counts = [int(re.search(r"· ([0-9,]+) articles", d).group(1).replace(",", "")) for d in draws]
assert counts == sorted(counts) and counts[-1] > 0, counts
if run_ms > 2000:  # time enough for the rate and the ETA to appear before the end
    assert any("/s" in d for d in draws), draws[-3:]
    assert any("ETA" in d for d in draws), draws[-3:]
print("progress: %d redraws, last %r (run %d ms)" % (len(draws), draws[-1], run_ms))
PY
assert_contains "$tty" "$WANT" "summary on a terminal"

for db in "$TXT_DB" "$JSONL_DB"; do
  n=$(sqlite3 "$db" "SELECT count(*) FROM articles")
  assert_eq "$n" 19043 "articles in $db after the re-run"
done
echo "ok"
