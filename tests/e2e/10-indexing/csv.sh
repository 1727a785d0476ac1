# csv.sh — CSV and TSV files as inputs: a CSV export indexed with every field, a TSV beside it,
# bad rows reported as file:line and skipped, a half-written last row left for the next run,
# appended rows read from where the last run stopped (the counts of each re-run), a rewritten
# file read again, --format csv for a file of another name, and a header without a text column.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
CSV=$WORK/export.csv
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86

# A BOM, CRLF rows, a quoted body over three lines, a bad row (line 5), and half a row at the end.
printf '\xef\xbb\xbfid,Title,body,date,url,tags\r\n' >"$CSV"
printf 'a1,Harbour reopens,"The port reopened.\r\n\r\nShips queued ""all night"".",2026-03-05T14:03:00+01:00,https://x.example/1,"port,ships"\r\n' >>"$CSV"
printf 'a2,Two fields only\r\n' >>"$CSV"
printf 'a3,Storm warning,Winds of 120 km/h are expected.,2026-03-06,,weather\r\n' >>"$CSV"
printf 'a4,Half wri' >>"$CSV"
expect_exit 1 newsidx --db "$DB" -v "$CSV"
assert_contains "$OUT" "2 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 1 errors" "first run"
assert_contains "$ERR" "$CSV:5: 2 fields, the header has 6" "the bad row, at the line where it starts"
assert_contains "$ERR" "$CSV:7: last row is not whole yet" "the half row"

row() { py 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); r=c.execute("SELECT key,title,url,date,tags,body FROM articles WHERE key=?",(sys.argv[2],)).fetchone()
print("\n".join(str(x) for x in r))' "$DB" "$1"; }
assert_eq "$(row a1)" "a1
Harbour reopens
https://x.example/1
2026-03-05T13:03:00Z
port,ships
The port reopened.

Ships queued \"all night\"." "every field of a row"
expect_exit 0 newsq --db "$DB" --json winds
assert_contains "$OUT" "\"key\":\"a3\"" "found by its body"

# Unchanged: nothing read. Then the half row is finished and two rows appended: only they are read.
expect_exit 0 newsidx --db "$DB" "$CSV"
assert_contains "$OUT" "0 added, 0 updated, 2 unchanged" "unchanged re-run"
printf 'tten,Nothing happened.,2026-03-07,,\r\na5,Late news,"Filed at\nmidnight.",2026-03-07T23:30:00+01:00,,\r\n' >>"$CSV"
expect_exit 0 newsidx --db "$DB" -v "$CSV"
assert_contains "$ERR" "appended to; reading on from line 7" "read on, not again"
assert_contains "$OUT" "2 added, 0 updated, 2 unchanged, 0 duplicates, 0 skipped, 0 errors" "appended rows"
assert_not_contains "$ERR" ":5: 2 fields" "the bad row is not read again"
assert_eq "$(row a4 | sed -n 2p)" "Half written" "the finished row"
expect_exit 0 newsidx --db "$DB" "$CSV"
assert_contains "$OUT" "0 added, 0 updated, 4 unchanged" "re-run after the append"

# Rewritten (not appended): read again from the start; rows found by their ids.
printf 'id,title,body,date,tags\na1,Harbour reopens,The port reopened today.,2026-03-05,port\n' >"$CSV"
printf 'a3,Storm warning,Winds of 120 km/h are expected.,2026-03-06,weather\n' >>"$CSV"
expect_exit 0 newsidx --db "$DB" -v "$CSV"
assert_contains "$ERR" "rewritten; reading it again from the start" "rewritten"
assert_contains "$OUT" "0 added, 1 updated, 1 unchanged" "rewritten file"

# TSV, and --format csv for a file whose name says nothing.
printf 'headline\ttext\tpublished\nTabbed story\tA, b and c\t2026-01-02\n' >"$WORK/list.tsv"
printf 'title,body\nNamed oddly,Read as CSV anyway\n' >"$WORK/export.data"
expect_exit 0 newsidx --db "$DB" "$WORK/list.tsv"
assert_contains "$OUT" "1 added" "TSV"
expect_exit 0 newsidx --db "$DB" --format csv "$WORK/export.data"
assert_contains "$OUT" "1 added" "--format csv"
expect_exit 0 newsq --db "$DB" --json oddly
assert_contains "$OUT" "\"title\":\"Named oddly\"" "the --format csv row"

# A header that names no text column: one error for the file, not one per row; not read again.
printf 'id,date\n1,2026-01-01\n2,2026-01-02\n' >"$WORK/ids.csv"
expect_exit 1 newsidx --db "$DB" "$WORK/ids.csv"
assert_contains "$ERR" "$WORK/ids.csv:1: no text column in the header" "bad header"
assert_eq "$(grep -c . <<<"$ERR")" "1" "one message for the file"
expect_exit 0 newsidx --db "$DB" "$WORK/ids.csv"
assert_eq "$ERR" "" "an unchanged bad file is not read again"
echo ok
