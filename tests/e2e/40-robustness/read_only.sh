# read_only.sh — an index that cannot be written: a read-only file, a read-only folder, a
# read-only mount. newsidx (index, check) stops with one line saying why, exit 2, and leaves the
# file as it was, byte for byte; newsq and `newsidx stats` still read it, with the results of
# a writable copy. In a folder it cannot write, a reader cannot create the -shm file through
# which SQLite reads an index in WAL mode: with no write-ahead log left (the last writer closed
# cleanly), the file is read as immutable; with one in use, the reader fails with one line.
#
# Permissions do not hold for root, so as root the readers and writers run as `nobody`
# (setpriv), from copies of the tools in a folder nobody can reach.
source "$(dirname "$0")/lib.sh"
chmod 755 "$WORK"
if [[ $(id -u) == 0 ]]; then
  mkdir "$WORK/bin"
  cp "$NEWSIDX_BIN/newsidx" "$NEWSQ_BIN/newsq" "$WORK/bin/"
  export PATH="$WORK/bin:$PATH"
  as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
  give() { chown -R nobody:nogroup "$@"; }
else
  as_user() { "$@"; }
  give() { :; }
fi

FEED=$NEWSIDX_SOURCE/corpus/feeds/sample.jsonl
mkdir "$WORK/ro"
DB=$WORK/ro/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus/articles"
expect_exit 0 newsq --db "$DB" --json --limit 100 strike
want_hits=$OUT
expect_exit 0 newsidx stats --db "$DB" --json
want_articles=$(py 'import json, sys; print(json.load(sys.stdin)["articles"])' <<<"$OUT")
cp "$DB" "$WORK/original.db"
give "$WORK/ro"

unchanged() { cmp -s "$WORK/original.db" "$DB" || fail "$1 changed the index file"; }
readers_work() { # $1: what is read-only
  expect_exit 0 as_user newsq --db "$DB" --json --limit 100 strike
  assert_eq "$OUT" "$want_hits" "newsq on $1"
  expect_exit 0 as_user newsidx stats --db "$DB" --json
  assert_contains "$OUT" "\"articles\":$want_articles," "newsidx stats on $1"
}

# ---- A read-only file in a folder the reader can write: SQLite makes the -wal and -shm there.
chmod 444 "$DB"
expect_exit 2 as_user newsidx --db "$DB" "$FEED"
assert_eq "$ERR" "newsidx: $DB: cannot write the index: no permission to write the file"
assert_eq "$OUT" "" "stdout of the refused run"
expect_exit 2 as_user newsidx check --db "$DB"
assert_eq "$ERR" "newsidx check: $DB: cannot write the index: no permission to write the file"
readers_work "a read-only file"
unchanged "a read-only file"
rm -f "$DB-wal" "$DB-shm"

# ---- A read-only folder: no -shm can be made beside the file, which is read as immutable.
chmod 644 "$DB"
chmod 555 "$WORK/ro"
expect_exit 2 as_user newsidx --db "$DB" "$FEED"
assert_eq "$ERR" "newsidx: $DB: cannot write the index: no permission to write its folder (where the index keeps its -wal and -shm files)"
expect_exit 2 as_user newsidx --db "$WORK/ro/new.db" "$FEED"
assert_eq "$ERR" "newsidx: $WORK/ro/new.db: cannot create the index: no permission to write its folder (where the index keeps its -wal and -shm files)"
readers_work "a read-only folder"
[[ ! -e $DB-shm && ! -e $WORK/ro/new.db ]] || fail "files were created in the read-only folder"
unchanged "a read-only folder"

# ... unless a write-ahead log is in use there (a writer running, or one that was killed): the
# file alone is not the whole index, and the reader says so rather than read half of it.
chmod 755 "$WORK/ro"
printf 'not empty' >"$DB-wal"
give "$DB-wal"
chmod 555 "$WORK/ro"
expect_exit 2 as_user newsq --db "$DB" strike
assert_eq "$ERR" "newsq: $DB: cannot read the index: no permission to write its folder (where the index keeps its -wal and -shm files)"
chmod 755 "$WORK/ro"
rm -f "$DB-wal"
unchanged "a reader beside a write-ahead log"

# ---- A read-only mount (root only: a bind mount of the folder).
mkdir "$WORK/mnt"
if mount --bind -o ro "$WORK/ro" "$WORK/mnt" 2>/dev/null; then
  trap 'umount "$WORK/mnt" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  DB=$WORK/mnt/news.db
  expect_exit 2 newsidx --db "$DB" "$FEED"
  assert_eq "$ERR" "newsidx: $DB: cannot write the index: it is on a read-only file system"
  expect_exit 2 newsidx check --db "$DB"
  assert_contains "$ERR" "it is on a read-only file system"
  expect_exit 0 newsq --db "$DB" --json --limit 100 strike
  assert_eq "$OUT" "$want_hits" "newsq on a read-only mount"
  unchanged "a read-only mount"
  umount "$WORK/mnt"
else
  echo "read-only mount: not checked (mount --bind -o ro needs root)"
fi
echo "ok"
