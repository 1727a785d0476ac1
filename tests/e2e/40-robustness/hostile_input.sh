# hostile_input.sh — hostile input to the readers: invalid UTF-8 of every kind in text files and
# JSON Lines, JSON lines nested 100,000 deep, impossible dates, a byte-order mark. Nothing
# crashes; each problem is one line on stderr naming the file (and line); the good input is
# indexed and searchable; the index passes SQLite's and FTS5's integrity checks.
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 shell missing (scripts/deps.sh installs it)"
DB=$WORK/news.db
EXT=${NEWSIDX_EXTENSION%.so}

# A sanitizer report is many lines on stderr and exit 1; make it unmistakable.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86

# Every kind of invalid UTF-8, as printf escapes: overlong forms (of '/', of NUL, in 3 and 4
# bytes), surrogates, code points above U+10FFFF, old 5- and 6-byte forms, FE/FF, lone
# continuation bytes, a sequence cut short.
invalid=('\xc0\xaf' '\xc0\x80' '\xe0\x80\xaf' '\xf0\x80\x80\xaf' '\xed\xa0\x80' '\xed\xbf\xbf'
  '\xf4\x90\x80\x80' '\xf5\x80\x80\x80' '\xf8\x88\x80\x80\x80' '\xfc\x84\x80\x80\x80\x80'
  '\xfe\xff' '\x80\xbf' '\xe2\x82 ')

# ---- Text files: one per kind, each with its own word; they are decoded as Windows-1252.
mkdir "$WORK/text"
for i in "${!invalid[@]}"; do
  printf "Invalid Kind $i\n\nThe word tmarker$i sits beside ${invalid[$i]} bytes.\n" >"$WORK/text/kind$i.txt"
done
printf 'Cut At The End\n\nThe word tmarkerend ends the file \xe2\x82' >"$WORK/text/end.txt"
printf ' date 9999-99-99 Impossible Header Date\n\nThe word tmarkerdate.\n' >"$WORK/text/date.txt"
n_text=$((${#invalid[@]} + 2))

expect_exit 0 newsidx --db "$DB" "$WORK/text"
assert_contains "$OUT" "$n_text added" "summary"
assert_eq "$(wc -l <<<"$ERR")" "$n_text" "stderr lines for the text files"
while IFS= read -r line; do
  [[ $line =~ ^newsidx:\ warning:\ $WORK/text/[a-z0-9]+\.txt:\ (not\ UTF-8\;\ decoded\ as\ Windows-1252|impossible\ date\ in\ the\ header\;\ indexed\ without\ a\ date)$ ]] ||
    fail "unexpected message: $line"
done <<<"$ERR"
for word in $(seq -f 'tmarker%g' 0 $((${#invalid[@]} - 1))) tmarkerend tmarkerdate; do
  expect_exit 0 newsq --db "$DB" --json "$word"
  assert_eq "$(wc -l <<<"$OUT")" 1 "hits for $word"
done
py 'import json, sys; h = json.loads(sys.stdin.read()); assert h["date"] is None, h' <<<"$OUT" ||
  fail "the impossible header date was stored"

# ---- JSON Lines: good records around hostile ones, in one file.
J=$WORK/hostile.jsonl
{
  printf '\xef\xbb\xbf{"id":"j-bom","body":"jmarkerbom after a byte-order mark"}\n' # line 1
  for i in "${!invalid[@]}"; do                                                       # 2..14
    printf "{\"id\":\"j-$i\",\"body\":\"jmarker$i beside ${invalid[$i]} bytes\"}\n"
  done
  py 'print("[" * 100000 + "]" * 100000)'                                # 15: deep arrays
  py 'print("{\"a\":" * 100000 + "1" + "}" * 100000)'                    # 16: deep objects
  py 'print("{\"id\":\"j-deep\",\"body\":\"x\",\"n\":" + "[" * 100000)'  # 17: unbalanced
  printf '{"id":"j-date","body":"jmarkerdate","date":"9999-99-99"}\n'    # 18
  printf '{"id":"j-surrogate","body":"lone \\ud800 escape"}\n'           # 19
  printf '{"id":"j-nul","body":"nul \\u0000 escape"}\n'                  # 20
  printf '{"id":"j-last","body":"jmarkerlast on the last line"}\n'       # 21
} >"$J"
expect_exit 1 newsidx --db "$DB" "$J"
assert_contains "$OUT" "$((${#invalid[@]} + 3)) added" "summary"
assert_contains "$OUT" "5 errors" "summary"
expected=()
for i in "${!invalid[@]}"; do expected+=("warning: $J:$((i + 2)): not UTF-8; decoded as Windows-1252"); done
expected+=("$J:15: malformed JSON at column 2049: maximum parsing depth reached near '['"
  "$J:16: malformed JSON at column 10241: maximum parsing depth reached near '{'"
  "$J:17: malformed JSON at column 2078: maximum parsing depth reached near '['"
  "warning: $J:18: unrecognized date; indexed without a date"
  "$J:19: malformed JSON at column 47: invalid Unicode '\\uD800'"
  "$J:20: malformed JSON at column 40: \\u0000 is not allowed")
# Each message is one line, in input order; the start of each is checked.
mapfile -t got <<<"$ERR"
((${#got[@]} == ${#expected[@]})) || fail "${#got[@]} stderr lines, wanted ${#expected[@]}:
$ERR"
for i in "${!expected[@]}"; do
  [[ ${got[$i]} == "newsidx: ${expected[$i]}"* ]] ||
    fail "stderr line $((i + 1)) is '${got[$i]}', wanted 'newsidx: ${expected[$i]}...'"
done
for word in jmarkerbom $(seq -f 'jmarker%g' 0 $((${#invalid[@]} - 1))) jmarkerdate jmarkerlast; do
  expect_exit 0 newsq --db "$DB" --json "$word"
  assert_eq "$(wc -l <<<"$OUT")" 1 "hits for $word"
done

# ---- A record with 300,000 tags and as many authors ends within a minute (a second or so):
# lists are joined in linear time. Before, each item re-scanned the text so far: minutes.
py 'import json; n = 300000; print(json.dumps({"id": "j-lists", "body": "jmarkerlists",
  "tags": ["t%d" % i for i in range(n)], "authors": [{"name": "a%d" % i} for i in range(n)]}))' \
  >"$WORK/lists.jsonl"
expect_exit 0 timeout 60 newsidx --db "$DB" "$WORK/lists.jsonl"
assert_eq "$(sqlite3 "$DB" "SELECT substr(tags, 1, 6) || '|' || substr(tags, -8) || '|' ||
  substr(author, -9) FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'j-lists')")" "t0,t1,|,t299999|, a299999" "joined lists"

# ---- The index is sound.
assert_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok" "integrity_check"
sqlite3 "$DB" ".load $EXT" "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')" ||
  fail "FTS5 integrity-check"
echo "ok"
