# inputs.sh — a messy folder: Windows-1252 text, a binary file, an empty file, a byte-order
# mark and CR LF, a symlink loop, a FIFO, an unreadable file, hidden files and editor backups,
# files of unknown type. Each is indexed, skipped or reported as the README says, nothing
# hangs, and --verbose names what was skipped. Also --language, and JSON Lines with bad lines.
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
IN=$WORK/in
mkdir -p "$IN/sub" "$IN/.git"
cp "$NEWSIDX_SOURCE/corpus/articles/2025-11-14-lisbon-tram-strike.txt" "$IN/good.txt"
printf 'Z\xfcrich \x93Trams\x94 Return\n\nThe caf\xe9 on Bahnhofstrasse reopened on Monday.\n' \
  >"$IN/cp1252.txt"
printf 'PK\x03\x04\x00\x00\x14\x00zip' >"$IN/binary.txt"
: >"$IN/empty.txt"
printf '\xef\xbb\xbfBom Headline Here\r\n\r\nBody with CR LF lines.\r\n' >"$IN/bom.txt"
printf 'Nested Story Title\n\nA story in a subfolder.\n' >"$IN/sub/nested.txt"
ln -s .. "$IN/sub/loop"         # a loop back to $IN: walked once
mkfifo "$IN/fifo.txt"           # reading it would block
echo "hidden" >"$IN/.hidden.txt"
echo "git" >"$IN/.git/config.txt"
echo "backup" >"$IN/good.txt~"
echo "backup" >"$IN/draft.txt.bak"
echo "backup" >"$IN/#autosave.txt#"
echo "swap" >"$IN/.good.txt.swp"
printf '\x89PNG\r\n' >"$IN/photo.png"

expect_exit 0 timeout 60 newsidx --db "$DB" --verbose "$IN"
assert_contains "$OUT" "4 added, 0 updated, 0 unchanged, 0 duplicates, 11 skipped, 0 errors"
# skipped: 9 files and folders on purpose, the binary file, the empty article
for why in "$IN/.git: hidden" "$IN/.hidden.txt: hidden" "$IN/.good.txt.swp: hidden" \
  "$IN/good.txt~: editor backup" "$IN/draft.txt.bak: editor backup" \
  "$IN/#autosave.txt#: editor backup" "$IN/photo.png: unknown type" \
  "$IN/fifo.txt: not a regular file" "$IN/sub/loop: directory already walked" \
  "warning: $IN/binary.txt: binary file (NUL bytes), skipped" \
  "warning: $IN/cp1252.txt: not UTF-8; decoded as Windows-1252" \
  "$IN/empty.txt: empty article, skipped"; do
  assert_contains "$ERR" "$why" "verbose messages"
done
q() { sqlite3 "$DB" "$1"; }
assert_eq "$(q "SELECT title FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '$IN/cp1252.txt')")" "Zürich “Trams” Return"
assert_eq "$(q "SELECT body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '$IN/cp1252.txt')")" \
  "The café on Bahnhofstrasse reopened on Monday."
assert_eq "$(q "SELECT title || '|' || body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '$IN/bom.txt')")" \
  "Bom Headline Here|Body with CR LF lines."
assert_eq "$(q "SELECT title FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '$IN/sub/nested.txt')")" "Nested Story Title"
expect_exit 0 newsq --db "$DB" zurich cafe
assert_contains "$OUT" "$IN/cp1252.txt"

# Without --verbose only the warnings show; a re-run reads nothing, warns of nothing and
# counts the same files skipped.
expect_exit 0 newsidx --db "$DB" "$IN"
assert_contains "$OUT" "0 added, 0 updated, 4 unchanged, 0 duplicates, 11 skipped, 0 errors"
assert_eq "$ERR" "" "stderr of a quiet re-run"

# Errors: a self-referencing link and (unless root, who can read anything) an unreadable file
# are reported and make the exit status 1; the rest is indexed.
ln -s self.txt "$IN/self.txt"
printf 'Locked Story\n\nYou cannot read me.\n' >"$IN/locked.txt"
chmod 000 "$IN/locked.txt"
if [[ $(id -u) == 0 ]]; then
  expect_exit 1 newsidx --db "$DB" "$IN"
  assert_contains "$OUT" "1 added, 0 updated, 4 unchanged, 0 duplicates, 11 skipped, 1 errors"
  # Root reads anything: the unreadable file is checked as an unprivileged user instead, in a
  # folder of its own that this user can write (for the index) but not the locked file.
  if command -v setpriv >/dev/null; then
    err_of_root_run=$ERR
    U=$WORK/unprivileged
    mkdir -p "$U/in"
    printf 'Open Story\n\nAnyone can read me.\n' >"$U/in/open.txt"
    printf 'Locked Story\n\nYou cannot read me.\n' >"$U/in/locked.txt"
    chmod 000 "$U/in/locked.txt"
    chmod 755 "$WORK" "$U/in" && chmod 777 "$U"
    expect_exit 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
      "$NEWSIDX_BIN/newsidx" --db "$U/news.db" "$U/in"
    assert_contains "$OUT" "1 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 1 errors"
    assert_contains "$ERR" "$U/in/locked.txt: Permission denied"
    echo "running as root: the unreadable file checked as uid 65534"
    ERR=$err_of_root_run
  else
    echo "running as root without setpriv: unreadable-file check skipped"
  fi
else
  expect_exit 1 newsidx --db "$DB" "$IN"
  assert_contains "$OUT" "0 added, 0 updated, 4 unchanged, 0 duplicates, 11 skipped, 2 errors"
  assert_contains "$ERR" "$IN/locked.txt: Permission denied"
fi
assert_contains "$ERR" "$IN/self.txt: symlink loop"
chmod 644 "$IN/locked.txt"
rm "$IN/self.txt"

# A FIFO or a missing path named on the command line is an error, not a hang.
expect_exit 1 timeout 20 newsidx --db "$DB" "$IN/fifo.txt" "$WORK/absent.txt"
assert_contains "$ERR" "fifo.txt: not a regular file"
assert_contains "$ERR" "absent.txt: No such file or directory"

# A name that says nothing is read as text when named on the command line.
printf 'Named Directly\n\nA file without an extension.\n' >"$WORK/README"
expect_exit 0 newsidx --db "$DB" "$WORK/README"
assert_contains "$OUT" "1 added"

# ---- JSON Lines: bad lines are named by file and line, the rest is indexed -------------
FEED=$WORK/feed.ndjson
{
  echo '{"id": "ok-1", "title": "First", "body": "Good record one."}'
  echo '{"id": "broken", "body": "missing the end'
  echo '["an", "array"]'
  echo '{"id": "no-text", "url": "https://example.org"}'
  echo '{"id": "ok-2", "headline": "Second", "content": "Good record two.", "published": "Thu, 05 Mar 2026 14:03:00 +0100"}'
  printf '{"id": "latin", "body": "Caf\xe9 cr\xe8me"}\n'
  echo '{"id": "bad-date", "body": "Dated someday.", "date": "someday"}'
  echo '{"id": "empty", "title": "", "body": ""}'
} >"$FEED"
expect_exit 1 newsidx --db "$DB" "$FEED"
assert_contains "$OUT" "4 added, 0 updated, 0 unchanged, 0 duplicates, 1 skipped, 3 errors"
assert_contains "$ERR" "$FEED:2: malformed JSON"
assert_contains "$ERR" "$FEED:3: not a JSON object"
assert_contains "$ERR" "$FEED:4: no text field"
assert_contains "$ERR" "warning: $FEED:6: not UTF-8; decoded as Windows-1252"
assert_contains "$ERR" "warning: $FEED:7: unrecognized date"
assert_eq "$(q "SELECT date FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'ok-2')")" "2026-03-05T13:03:00Z"
assert_eq "$(q "SELECT body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = 'latin')")" "Café crème"

# ---- UTF-16 and UTF-32, by their byte-order mark ----------------------------------------
# Latin text is not taken for binary (its NUL bytes), CJK text is not Windows-1252 mojibake; in
# JSON Lines too, through a decoding stream. An unpaired surrogate becomes U+FFFD, with a warning.
WIDE=$WORK/wide
mkdir -p "$WIDE"
py 'import sys
d = sys.argv[1]
latin = "Geneva Talks Resume\n\nDiplomats in Gen\u00e8ve discussed tariffs on \U0001F41F fish (%s).\n"
cjk = "\u539f\u6cb9\u4ef7\u683c\u4e0a\u6da8\n\n\u539f\u6cb9 \u4ef7\u683c \u4e0a\u6da8 today (%s).\n"
for enc, bom in (("utf-16-le", "\ufeff"), ("utf-16-be", "\ufeff"), ("utf-32-le", "\ufeff"),
                 ("utf-32-be", "\ufeff")):
    open("%s/latin-%s.txt" % (d, enc), "wb").write((bom + latin % enc).encode(enc))
    open("%s/cjk-%s.txt" % (d, enc), "wb").write((bom + cjk % enc).encode(enc))
feed = "".join("{\"id\": \"w%d\", \"title\": \"\u539f\u6cb9 record %d\", \"body\": \"Kerosene shipments %d.\"}\n" % (i, i, i) for i in range(3))
open(d + "/feed-utf16.jsonl", "wb").write(("\ufeff" + feed).encode("utf-16-le"))
lone = ("\ufeffLone Surrogate Here\n\nA broken ".encode("utf-16-le") + b"\x00\xd8" +
        " halfpair word.\n".encode("utf-16-le"))
open(d + "/lone-utf-16-le.txt", "wb").write(lone)' "$WIDE"
WDB=$WORK/wide.db
expect_exit 0 newsidx --db "$WDB" "$WIDE"
assert_contains "$OUT" "12 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 errors"
assert_eq "$ERR" "newsidx: warning: $WIDE/lone-utf-16-le.txt: not valid UTF-16 or UTF-32; bad code units replaced by U+FFFD"
for enc in utf-16-le utf-16-be utf-32-le utf-32-be; do
  assert_eq "$(sqlite3 "$WDB" "SELECT title || '|' || body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '$WIDE/latin-$enc.txt')")" \
    "Geneva Talks Resume|Diplomats in Genève discussed tariffs on 🐟 fish ($enc)." "$enc text"
done
expect_exit 0 newsq --db "$WDB" --paths genève
assert_eq "$(wc -l <<<"$OUT")" 4 "Latin UTF-16/32 files found"
expect_exit 0 newsq --db "$WDB" --paths 原油
for enc in utf-16-le utf-16-be utf-32-le utf-32-be; do
  assert_contains "$OUT" "$WIDE/cjk-$enc.txt" "CJK files found"
done
expect_exit 0 newsq --db "$WDB" --json kerosene
assert_contains "$OUT" '"title":"原油 record 1"'
assert_eq "$(sqlite3 "$WDB" "SELECT body FROM articles WHERE id = (SELECT id FROM article_keys WHERE key = '$WIDE/lone-utf-16-le.txt')")" \
  "A broken � halfpair word."
# A re-run reads nothing; the feed, grown, is read again from its start.
expect_exit 0 newsidx --db "$WDB" "$WIDE"
assert_contains "$OUT" "0 added, 0 updated, 12 unchanged"
py 'import sys
open(sys.argv[1], "ab").write("{\"id\": \"w9\", \"body\": \"Kerosene later.\"}\n".encode("utf-16-le"))' \
  "$WIDE/feed-utf16.jsonl"
expect_exit 0 newsidx --db "$WDB" "$WIDE"
assert_contains "$OUT" "1 added, 0 updated, 12 unchanged"

# ---- --language --------------------------------------------------------------------------
FR=$WORK/fr.db
printf 'Les Trams De Lisbonne\n\nLes syndicats nationaux continuent la grève.\n' >"$WORK/fr.txt"
expect_exit 0 newsidx --db "$FR" --language french "$WORK/fr.txt"
assert_eq "$(sqlite3 "$FR" "SELECT value FROM meta WHERE key = 'language'")" "french"
expect_exit 0 newsidx stats --db "$FR" --json
assert_contains "$OUT" '"language":"french"'
expect_exit 0 newsq --db "$FR" national # French stemming: nationaux → national
expect_exit 0 newsidx --db "$WORK/en.db" "$WORK/fr.txt"
expect_exit 1 newsq --db "$WORK/en.db" national # English stemming does not do that
expect_exit 2 newsidx --db "$FR" --language english "$WORK/fr.txt"
assert_contains "$ERR" "created for french, not english"
expect_exit 0 newsidx --db "$FR" "$WORK/fr.txt" # later runs use the stored language
assert_contains "$OUT" "1 unchanged"
expect_exit 2 newsidx --db "$WORK/x.db" --language klingon "$WORK/fr.txt"
assert_contains "$ERR" "unknown language \"klingon\"; available:"
[[ ! -e $WORK/x.db ]] || fail "an index was created for an unknown language"
echo "ok"
