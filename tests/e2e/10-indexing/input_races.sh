# input_races.sh — input files that change between the walk and the read, or while they are
# read, made to do so at a set moment by tests/fault/race.c (an LD_PRELOAD shim):
#   - a JSON Lines file truncated while it is read is that file's error: one line naming it,
#     exit 1, the other inputs of the run indexed, and the next run reads it from the start;
#   - a text or JSON Lines file that the walk saw as a regular file and that is a symlink when
#     it is opened is not read through the link: one line, the rest goes on.
source "$(dirname "$0")/lib.sh"

: "${NEWSIDX_FAULT_RACE:?the shim is built by tests/CMakeLists.txt}"
# race VAR=VALUE... RUN...: runs a command with the shim loaded (ASan is told not to mind that
# it is not the first library).
race() {
  env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    LD_PRELOAD="$NEWSIDX_FAULT_RACE" "$@"
}
W=$(cd "$WORK" && pwd -P)
DB=$W/news.db
mkdir -p "$W/in"
for name in alpha bravo charlie; do
  printf '%s Story Title\n\nThe %s article of the folder.\n' "${name^}" "$name" >"$W/in/$name.txt"
done
FEED=$W/feed.jsonl
write_feed() { # write_feed N: N records with ids
  for ((i = 1; i <= $1; i++)); do
    printf '{"id": "r%d", "title": "Feed record %d", "body": "Pipeline number %d."}\n' "$i" "$i" "$i"
  done >"$FEED"
}

# ---- a JSON Lines file truncated while it is read ------------------------------------------
# --batch 1: the writer commits after the first record, hashing the part read with pread()
# (the second on the file, after the reader's look for a byte-order mark), which the shim makes
# find the file truncated to nothing.
write_feed 200
expect_exit 1 race NEWSIDX_FAULT_TRUNCATE="$FEED" NEWSIDX_FAULT_TRUNCATE_AT=2 newsidx --db "$DB" --batch 1 "$FEED" "$W/in"
assert_contains "$ERR" "$FEED: shorter than the" "stderr"
assert_contains "$ERR" "changed while it was read, it is read again next run" "stderr"
assert_eq "$(grep -c . <<<"$ERR")" 1 "lines on stderr"
assert_contains "$OUT" ", 1 errors in" "summary"
n_feed=$(sqlite3 "$DB" "SELECT count(*) FROM article_keys WHERE key LIKE 'r%'")
((n_feed >= 1)) || fail "no record of the feed read before it was truncated"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM article_keys WHERE key LIKE '$W/in/%'")" 3 \
  "folder articles after the truncated feed"
expect_exit 0 newsq --db "$DB" --paths charlie
assert_contains "$OUT" "$W/in/charlie.txt"
assert_eq "$(sqlite3 "$DB" "SELECT size || ' ' || offset FROM input_files WHERE path = '$FEED'")" \
  "-1 0" "the feed's state: never read"
# The next run reads the feed again from its start, whatever it holds now.
write_feed 5
expect_exit 0 newsidx --db "$DB" "$FEED" "$W/in"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM article_keys WHERE key IN ('r1', 'r5')")" 2 \
  "records of the feed read again"
assert_contains "$OUT" "0 errors"
assert_eq "$ERR" "" "stderr of the next run"

# ---- a text file swapped for a symlink between the walk and the read -----------------------
printf 'Secret Memo\n\nConfidential whistleblower text.\n' >"$W/secret.txt"
DB2=$W/swap.db
expect_exit 1 race NEWSIDX_FAULT_SWAP="$W/in/bravo.txt:$W/secret.txt" newsidx --db "$DB2" "$W/in"
assert_eq "$ERR" "newsidx: $W/in/bravo.txt: replaced by a symlink since the walk found it; not read"
assert_contains "$OUT" "2 added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 1 errors"
expect_exit 1 newsq --db "$DB2" whistleblower # the target's text is not under bravo.txt
expect_exit 0 newsq --db "$DB2" --paths charlie
assert_contains "$OUT" "$W/in/charlie.txt"

# ---- the same for a JSON Lines file --------------------------------------------------------
rm "$W/in/bravo.txt" # the symlink the swap left
printf 'Bravo Story Title\n\nThe bravo article of the folder.\n' >"$W/in/bravo.txt"
printf '{"id": "s1", "body": "Confidential whistleblower record."}\n' >"$W/secret.jsonl"
write_feed 3
DB3=$W/swap-feed.db
expect_exit 1 race NEWSIDX_FAULT_SWAP="$FEED:$W/secret.jsonl" newsidx --db "$DB3" "$FEED" "$W/in"
assert_eq "$ERR" "newsidx: $FEED: replaced by a symlink since the walk found it; not read"
expect_exit 1 newsq --db "$DB3" whistleblower
assert_eq "$(sqlite3 "$DB3" "SELECT count(*) FROM article_keys")" 3 "articles of the folder"
echo "ok"
