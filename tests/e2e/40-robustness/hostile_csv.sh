# hostile_csv.sh — CSV files no one should write: a 100 MB field (indexed, memory bounded), a
# quote never closed (the rows before it indexed, the rest waits and is said to), a stray quote
# that closes in a later row (one bad row), NUL bytes (the row reported, the file goes on), and
# a header and a row of 1,000,000 columns (read in linear time). None crashes or hangs.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86

# 100 MB in one quoted field, over many lines, with doubled quotes; then a word found nowhere else.
py '
import sys
chunk = ("lorem ipsum \"\"dolor\"\" sit amet\n" * 4000)
with open(sys.argv[1], "w") as f:
    f.write("id,title,body\nbig,One Huge Field,\"")
    for _ in range(100 * 2**20 // len(chunk) + 1):
        f.write(chunk)
    f.write("zqxjendword\"\nsmall,After it,the next row\n")
' "$WORK/big.csv"
expect_exit 0 timeout 300 newsidx --db "$DB" "$WORK/big.csv"
assert_contains "$OUT" "2 added" "the 100 MB field and the row after it"
expect_exit 0 newsq --db "$DB" --json zqxjendword
assert_contains "$OUT" "\"key\":\"big\"" "the big field is searchable"

# A quote never closed: what comes before is indexed; the open row waits for the next run.
printf 'id,body\n1,first\n2,"never closed\n3,swallowed\n4,also\n' >"$WORK/open.csv"
expect_exit 0 timeout 60 newsidx --db "$DB" -v "$WORK/open.csv"
assert_contains "$OUT" "1 added" "the row before the open quote"
assert_contains "$ERR" "$WORK/open.csv:3: last row is not whole yet" "the open row is said to wait"

# A stray quote that pairs with one in a later row: one bad row (where it starts), then on.
printf 'id,body\n1,"stray\n2,two\n"3",three\n4,four\n' >"$WORK/stray.csv"
expect_exit 1 timeout 60 newsidx --db "$DB" "$WORK/stray.csv"
assert_contains "$ERR" "$WORK/stray.csv:2: text after a closing quote" "the stray quote"
assert_contains "$OUT" "1 added" "the row after it"

# NUL bytes: the row is reported, the rows around it indexed.
printf 'id,body\nn1,before\nn2,nul\0inside\nn3,after\n' >"$WORK/nul.csv"
expect_exit 1 timeout 60 newsidx --db "$DB" "$WORK/nul.csv"
assert_contains "$ERR" "$WORK/nul.csv:3: NUL byte in the row" "the NUL row"
assert_contains "$OUT" "2 added" "the rows around it"

# 1,000,000 columns: the header and one row; the text columns are found among them.
py '
import sys
n = 1000000
with open(sys.argv[1], "w") as f:
    f.write(",".join(["c%d" % i for i in range(n - 2)] + ["title", "body"]) + "\n")
    f.write("," * (n - 2) + "Wide Row,widecolumnsword\n")
' "$WORK/wide.csv"
expect_exit 0 timeout 120 newsidx --db "$DB" "$WORK/wide.csv"
assert_contains "$OUT" "1 added" "the row of a million columns"
expect_exit 0 newsq --db "$DB" --json widecolumnsword
assert_contains "$OUT" "\"title\":\"Wide Row\"" "its text"
echo ok
