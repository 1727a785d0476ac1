# hostile_names.sh — file names and text that try to break lines or drive the terminal: names
# with a newline, a tab, ESC sequences, a C1 control (U+009B, which terminals read as ESC [),
# DEL and bytes that are not UTF-8; titles and sources with the same inside. Each file is
# indexed under its real name, and:
#
#   - every message (warnings, errors, --verbose) is one line with nothing a terminal obeys:
#     control characters and bad bytes are escaped (\n, \x1B, \u009B, \xE9);
#   - text output (hits, duplicates, facets, terms, rules, stats) holds no control character
#     but the newline ending each line and, with --color always, newsq's own colour codes;
#   - JSON Lines stay valid UTF-8 JSON: a name that is not UTF-8 shows its bad bytes as U+FFFD
#     in "path", and "path_base64" gives its bytes, which open the file;
#   - CSV stays valid UTF-8 CSV, the newline inside a quoted field;
#   - --paths, piped, gives the names as they are, for scripts (escaped on a terminal).
source "$(dirname "$0")/lib.sh"
IN=$WORK/in
mkdir "$IN"
names=($'new\nline.txt' $'tab\there.txt' $'esc\e[2J\e]0;owned\a.txt' $'csi\xc2\x9b31m.txt'
  $'del\x7fete.txt' $'latin\xe9.txt' $'back\bspace.txt')
for i in "${!names[@]}"; do
  printf 'Hostile Name Story %d\n\nThe word hmarker%d is in file %d.\n' "$i" "$i" "$i" >"$IN/${names[$i]}"
done
printf 'Caf\xe9 Story\n\nA Windows-1252 text, hmarkercp, in a file named badly.\n' >"$IN/"$'cp\e[31m1252.txt'
printf 'PK\x03\x04\x00binary' >"$IN/"$'bin\nary.txt'
cp "$IN/${names[0]}" "$IN/"$'zdup\e[Hlicate.txt' # the same text: a duplicate
echo "backup" >"$IN/"$'back\e[1mup.txt~'      # skipped, named with --verbose
printf '%s\n' \
  '{"id": "evil-1", "date": "2026-03-05", "title": "Evil \u001b[2J Title \u009b31m here", "body": "hmarkerjson in a body with \u0007 bell and \u009b csi.", "source": "Evil\u001b[5m Source\u0085", "tags": ["t\u001b[1mag"]}' \
  >"$IN/feed.jsonl"

# No control character a terminal obeys: C0 but the newline, DEL, C1 (UTF-8 C2 80..9F), bytes
# that are not UTF-8; with `sgr`, newsq's colour codes (ESC [ digits;... m) are allowed.
check_safe() { # WHAT FILE [sgr]
  py 'import re, sys
data = open(sys.argv[2], "rb").read()
if len(sys.argv) > 3:
    data = re.sub(rb"\x1b\[[0-9;]*m", b"", data)
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("%s: not UTF-8: %s" % (sys.argv[1], e))
bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
if bad:
    sys.exit("%s: control characters %r in %r" % (sys.argv[1], bad[:5], text[:300]))' "$@" ||
    fail "$1 would drive the terminal"
}

DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" --verbose "$IN"
echo "$ERR" >"$WORK/err"
check_safe "newsidx messages" "$WORK/err"
assert_contains "$ERR" 'newsidx: warning: '"$IN"'/cp\x1B[31m1252.txt: not UTF-8; decoded as Windows-1252'
assert_contains "$ERR" 'newsidx: warning: '"$IN"'/bin\nary.txt: binary file (NUL bytes), skipped'
assert_contains "$ERR" 'newsidx: '"$IN"'/back\x1B[1mup.txt~: editor backup'
assert_eq "$(wc -l <"$WORK/err")" 3 "message lines"
assert_contains "$OUT" "9 added, 0 updated, 0 unchanged, 1 duplicates, 2 skipped, 0 errors"
# The real names are the keys.
for name in "${names[@]}"; do
  want=$(printf '%s' "$IN/$name" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM article_keys WHERE hex(key) = '$want'")" 1 \
    "articles keyed by $(printf '%q' "$name")"
done
# What the index keeps of the JSON record is clean: control characters dropped, C1 too.
assert_eq "$(sqlite3 "$DB" "SELECT title || '|' || source FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'evil-1')")" \
  "Evil [2J Title 31m here|Evil[5m Source"

# ---- Text output, plain and coloured: every name shows, escaped, on its line.
for color in never always; do
  expect_exit 0 newsq --db "$DB" --color "$color" --limit 50 --all-duplicates -- hmarker0 OR hmarker1 OR hmarker2 OR hmarker3 OR hmarker4 OR hmarker5 OR hmarker6 OR hmarkercp OR hmarkerjson
  echo "$OUT" >"$WORK/out"
  check_safe "newsq --color $color" "$WORK/out" ${color/never/}
done
for shown in 'new\nline.txt' 'tab\there.txt' 'esc\x1B[2J\x1B]0;owned\x07.txt' 'csi\u009B31m.txt' \
  'del\x7Fete.txt' 'latin\xE9.txt' 'back\x08space.txt' 'cp\x1B[31m1252.txt' \
  '= duplicate '; do
  assert_contains "$(cat "$WORK/out")" "$shown" "text output"
done
for command in "facets hmarkerjson" "timeline hmarkerjson" "terms new --all --limit 1000"; do
  expect_exit 0 newsq $command --db "$DB" --color never
  echo "$OUT" >"$WORK/out"
  check_safe "newsq $command" "$WORK/out"
done
expect_exit 0 newsq --db "$DB" rule add evil -- $'hmarkerjson \e[2J'
expect_exit 0 newsq --db "$DB" rule list
echo "$OUT" >"$WORK/out"
check_safe "newsq rule list" "$WORK/out"
assert_contains "$OUT" 'hmarkerjson \x1B[2J'

# ---- JSON Lines: valid, and the bytes of a name that is not UTF-8 are there to open it.
expect_exit 0 newsq --db "$DB" --json --limit 50 -- hmarker0 OR hmarker1 OR hmarker2 OR hmarker3 OR hmarker4 OR hmarker5 OR hmarker6 OR hmarkercp
echo "$OUT" >"$WORK/out.jsonl"
py 'import base64, json, os, sys
hits = [json.loads(line) for line in open(sys.argv[1], "rb").read().decode("utf-8").splitlines()]
assert len(hits) == 8, len(hits)
paths = {h["path"] for h in hits}
want = sys.argv[2]
assert want + "/new\nline.txt" in paths and want + "/csi\u009b31m.txt" in paths, paths
latin = [h for h in hits if h["path"] == want + "/latin\ufffd.txt"]
assert len(latin) == 1, paths
raw = base64.b64decode(latin[0]["path_base64"])
assert raw == os.fsencode(want) + b"/latin\xe9.txt", raw
assert b"hmarker5" in open(raw, "rb").read()
assert all("path_base64" not in h for h in hits if h is not latin[0])' "$WORK/out.jsonl" "$IN" ||
  fail "JSON output for hostile names"

# ---- CSV: valid UTF-8, a header and one row per hit, names in their fields.
expect_exit 0 newsq --db "$DB" --csv --limit 50 -- hmarker0 OR hmarker5
printf '%s' "$OUT" >"$WORK/out.csv"
py 'import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], "rb").read().decode("utf-8"), newline="")))
assert rows[0][:5] == ["rank", "id", "duplicate_of", "key", "path"], rows[0]
paths = sorted(r[4] for r in rows[1:])
assert paths == sorted([sys.argv[2] + "/new\nline.txt", sys.argv[2] + "/latin\ufffd.txt"]), paths' \
  "$WORK/out.csv" "$IN" || fail "CSV output for hostile names"

# ---- --paths, piped: the names as they are (one has a newline: scripts that need every name
# should read --json).
expect_exit 0 newsq --db "$DB" --paths -- hmarker5 OR hmarker2
assert_eq "$OUT" "$IN/${names[2]}"$'\n'"$IN/${names[5]}" "--paths"

# ---- newsidx rm by such a name; an index file named like this; a missing one.
expect_exit 0 newsidx rm --db "$DB" --path "$IN/${names[0]}"
assert_eq "$OUT" "1 article removed"
BAD_DB=$WORK/$'db\n\e[2J\xff.db'
expect_exit 0 newsidx --db "$BAD_DB" "$IN/${names[1]}"
expect_exit 0 newsidx stats --db "$BAD_DB"
echo "$OUT" >"$WORK/out"
check_safe "newsidx stats" "$WORK/out"
assert_contains "$OUT" 'db\n\x1B[2J'$'\xef\xbf\xbd''.db' # from the JSON object: U+FFFD
expect_exit 0 newsidx stats --db "$BAD_DB" --json
py 'import json, sys; s = json.loads(sys.stdin.buffer.read().decode("utf-8")); assert s["index"].endswith("/db\n\x1b[2J\ufffd.db"), s["index"]' <<<"$OUT" ||
  fail "stats --json with a hostile index name"
for tool in newsq newsidx; do
  args=(--db "$WORK/"$'no\e[2Jsuch\n.db')
  [[ $tool == newsq ]] && args+=(word) || args=(stats "${args[@]}")
  rc=0
  $tool "${args[@]}" >/dev/null 2>"$WORK/err" || rc=$?
  assert_eq "$rc" 2 "$tool on a missing index"
  check_safe "$tool error" "$WORK/err"
  assert_eq "$(wc -l <"$WORK/err")" 1 "$tool error lines"
done
echo "ok"
