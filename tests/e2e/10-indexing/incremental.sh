# incremental.sh — running newsidx again and again: unchanged files are recognized without
# being read, changed ones are re-indexed in place (same id), --prune removes the articles of
# files that are gone, a JSON Lines file that grows is read only from where the last run
# stopped (a half-written last line is left for the next run), a rewritten one is read again.
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
NEWS=$WORK/news
mkdir -p "$NEWS"
cp "$NEWSIDX_SOURCE"/corpus/articles/*.txt "$NEWS/"
N=$(ls "$NEWS" | wc -l)
q() { sqlite3 "$DB" "$1"; }

expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "$N added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 errors"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "0 added, 0 updated, $N unchanged, 0 duplicates, 0 skipped, 0 errors"

# Unchanged files are not read: new text of the same size with the old modification time goes
# unnoticed, and the index still has the old text.
F=$NEWS/2025-12-11-snb-holds-rates.txt
cp -p "$F" "$WORK/stamp"
ID=$(q "SELECT id FROM article_keys WHERE key = '$F'")
sed -i 's/Swiss National Bank/Swiss National Bonk/' "$F"
touch -r "$WORK/stamp" "$F"
cmp -s "$F" "$WORK/stamp" && fail "the test did not change the file"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "0 updated, $N unchanged"
assert_eq "$(q "SELECT count(*) FROM articles WHERE body LIKE '%National Bonk%'")" 0 "unread text"

# A changed file (new modification time) is read and updated in place: same id.
touch "$F"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "0 added, 1 updated, $((N - 1)) unchanged"
assert_eq "$(q "SELECT id FROM articles WHERE body LIKE '%National Bonk%'")" "$ID" "id after update"
expect_exit 0 newsq --db "$DB" --json bonk
assert_contains "$OUT" "\"id\":$ID," "search finds the new text"

# A removed file stays indexed until --prune; a file moved elsewhere in the folder keeps its
# text searchable once (the new path is a duplicate until the old one is pruned).
rm "$NEWS/2026-02-17-mars-water-study.txt"
mkdir "$NEWS/moved"
mv "$NEWS/2026-01-28-fed-holds-rates.txt" "$NEWS/moved/"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "0 added, 0 updated, $((N - 2)) unchanged, 1 duplicates"
assert_eq "$(q "SELECT count(*) FROM articles")" "$((N + 1))" "articles before --prune"
expect_exit 0 newsidx --db "$DB" --prune "$NEWS"
assert_contains "$OUT" "2 removed"
assert_eq "$(q "SELECT count(*) FROM articles")" "$((N - 1))" "articles after --prune"
assert_eq "$(q "SELECT count(*) FROM article_keys WHERE key LIKE '%mars-water%'")" 0 "pruned"
assert_eq "$(q "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")" 0 "moved file promoted"
# Each text file's state is its article's (schema 11): none of its own, and all of them known.
assert_eq "$(q "SELECT count(*) FROM input_files")" 0 "input_files rows after --prune"
expect_exit 0 newsidx stats --db "$DB" --json
assert_contains "$OUT" "\"input_files\":$((N - 1)),"
expect_exit 0 newsidx --db "$DB" --prune "$NEWS"
assert_contains "$OUT" "0 added, 0 updated, $((N - 1)) unchanged, 0 duplicates, 0 skipped, 0 errors"

# A text file with a row of its own, even the size -1 an interrupted JSON Lines run leaves, has
# that row dropped once its article holds its state; a file new to the index has none to drop.
NEWF=$NEWS/2026-03-01-late-arrival.txt
printf ' date 2026-03-01 \n\nA late arrival.\n' >"$NEWF"
q "INSERT INTO input_files VALUES('$NEWF', -1, -1, 0, 0, 0, 0, '2026-03-01T00:00:00Z')"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "1 added, 0 updated, $((N - 1)) unchanged"
assert_eq "$(q "SELECT count(*) FROM input_files")" 0 "a stale row of a file that gave an article"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "0 added, 0 updated, $N unchanged"
rm "$NEWF"
expect_exit 0 newsidx --db "$DB" --prune "$NEWS"
assert_contains "$OUT" "1 removed"

# ---- JSON Lines that grow --------------------------------------------------------------
FEED=$WORK/feed.jsonl
records() { # records FIRST LAST: one JSON object per line
  local i
  for ((i = $1; i <= $2; i++)); do
    printf '{"id": "item-%d", "title": "Item %d", "body": "Body of item number %d.", "date": "2026-03-%02d"}\n' \
      "$i" "$i" "$i" $((i % 28 + 1))
  done
}
records 1 4 >"$FEED"
echo '{"id": "bad", "body": "no closing brace"' >>"$FEED" # line 5
records 6 50 >>"$FEED"
expect_exit 1 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "49 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 1 errors"
assert_contains "$ERR" "$FEED:5: malformed JSON"

# Unchanged: not read (the bad line is not reported again).
expect_exit 0 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "0 added, 0 updated, 49 unchanged, 0 duplicates, 0 skipped, 0 errors"
assert_eq "$ERR" "" "stderr of an unchanged feed"

# Appended: only the new lines are read.
records 51 60 >>"$FEED"
expect_exit 0 newsidx --db "$DB" --verbose "$FEED"
assert_contains "$OUT" "10 added, 0 updated, 49 unchanged, 0 duplicates, 0 skipped, 0 errors"
assert_contains "$ERR" "appended to; reading on from line 51"
assert_not_contains "$ERR" ":5:"

# A half-written last line is left alone until its writer finishes it.
printf '{"id": "item-61", "body": "Body of item nu' >>"$FEED"
expect_exit 0 newsidx --db "$DB" --verbose "$FEED"
assert_contains "$OUT" "0 added, 0 updated, 59 unchanged, 0 duplicates, 0 skipped, 0 errors"
assert_contains "$ERR" "$FEED:61: last line has no newline yet"
printf 'mber 61."}\n' >>"$FEED"
records 62 62 >>"$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "2 added, 0 updated, 59 unchanged"
assert_eq "$(q "SELECT body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'item-61')")" "Body of item number 61." "item-61"

# Rewritten (the same records, one changed, some gone): read again from the start; records
# keyed by id are updated in place, and those no longer in the file stay indexed.
ID7=$(q "SELECT id FROM article_keys WHERE key = 'item-7'")
records 1 30 | sed 's/Body of item number 7\./Item seven, revised./' >"$FEED"
expect_exit 0 newsidx --db "$DB" --verbose "$FEED"
assert_contains "$ERR" "rewritten; reading it again from the start"
assert_contains "$OUT" "1 added, 1 updated, 28 unchanged" # item-5 was the bad line before
assert_eq "$(q "SELECT id FROM articles WHERE body = 'Item seven, revised.'")" "$ID7" "item-7 id"
assert_eq "$(q "SELECT count(*) FROM article_keys WHERE key LIKE 'item-%'")" 62 "records kept"

# ---- standard input ----------------------------------------------------------------------
IN=$WORK/in.jsonl
records 100 102 >"$IN"
expect_exit 0 newsidx --db "$DB" --format jsonl - <"$IN"
assert_contains "$OUT" "3 added"
records 100 103 >"$IN"
expect_exit 0 newsidx --db "$DB" - <"$IN"
assert_contains "$OUT" "1 added, 0 updated, 3 unchanged"
assert_eq "$(q "SELECT count(*) FROM articles a JOIN files f ON f.id = a.file_id WHERE f.path = '-'")" 4 "records from stdin"
# Records without an id are keyed by a hash of the line: the same line is the same record.
printf '{"body": "No id at all."}\n' >"$IN"
expect_exit 0 newsidx --db "$DB" - <"$IN"
assert_contains "$OUT" "1 added"
expect_exit 0 newsidx --db "$DB" - <"$IN"
assert_contains "$OUT" "0 added, 0 updated, 1 unchanged"
expect_exit 2 newsidx --db "$DB" --format text - </dev/null
assert_contains "$ERR" "standard input"

# A first build of a folder looks none of its files up; a file the run names twice is still read
# once as new and found unchanged the second time, its bad line reported once: also when the
# first reading is long done (700 files later, past the jobs read ahead).
NEW=$WORK/twice
mkdir "$NEW"
printf 'date 2026-01-02\n\nA text.\n' >"$NEW/a.txt"
printf '{"id": "t1", "body": "One."}\nnot json\n{"id": "t2", "body": "Two."}\n' >"$NEW/f.jsonl"
for i in $(seq 100 799); do printf 'Text number %s.\n' "$i" >"$NEW/z$i.txt"; done
expect_exit 1 newsidx --db "$WORK/twice.db" "$NEW" "$NEW/f.jsonl" "$NEW/a.txt"
assert_contains "$OUT" "703 added, 0 updated, 3 unchanged, 0 duplicates, 0 skipped, 1 errors"
assert_eq "$(grep -c 'malformed JSON' <<<"$ERR")" 1 "the bad line, reported once"
expect_exit 0 newsidx check --db "$WORK/twice.db"
echo "ok"
