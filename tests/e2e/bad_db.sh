# bad_db.sh — an index file that is not one newsidx can use, through every command of both
# tools: random bytes, a text file, an index cut short, another program's SQLite database, and
# an index made by a newer newsidx (schema version 99). Each command stops with one line
# naming the file and what is wrong with it, exit 2, and leaves the file as it was, byte for
# byte. (An empty file is a new index: newsidx creates one in it.)
source "$(dirname "$0")/lib.sh"

DB=$WORK/good.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus/articles"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
head -c 8192 /dev/urandom >"$WORK/random.db"
printf 'Notes, not a database.\n' >"$WORK/text.db"
head -c 5000 "$DB" >"$WORK/cut.db"
sqlite3 "$WORK/other.db" "CREATE TABLE bookmarks(url); INSERT INTO bookmarks VALUES ('x')"
cp "$DB" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" "PRAGMA user_version = 99"

declare -A why=(
  [random]="not an SQLite database"
  [text]="not an SQLite database"
  [cut]="a damaged SQLite database (database disk image is malformed)"
  [other]="an SQLite database, but not a newsidx index"
  [newer]="schema version 99 is newer than this newsidx knows ($(sqlite3 "$DB" "PRAGMA user_version")); upgrade newsidx")

FEED=$NEWSIDX_SOURCE/corpus/feeds/sample.jsonl
commands=(
  "newsidx|newsidx --db @ $FEED" "newsidx|newsidx index --db @ $FEED"
  "newsidx stats|newsidx stats --db @" "newsidx stats|newsidx stats --json --db @"
  "newsidx check|newsidx check --db @" "newsidx optimize|newsidx optimize --db @"
  "newsidx rm|newsidx rm --db @ 1" "newsidx rm|newsidx rm --db @ --path $FEED"
  "newsq|newsq --db @ strike" "newsq|newsq --db @ --json --count strike"
  "newsq|newsq timeline --db @" "newsq|newsq facets --db @ strike"
  "newsq|newsq terms new --db @" "newsq|newsq terms trending --db @"
  "newsq|newsq rule add r1 --db @ strike" "newsq|newsq rule list --db @"
  "newsq|newsq alerts --db @" "newsq|newsq alerts --peek --db @")
for name in random text cut other newer; do
  file=$WORK/$name.db
  before=$(sha256sum <"$file")
  for c in "${commands[@]}"; do
    program=${c%%|*}
    read -ra args <<<"${c#*|}"
    args=("${args[@]/#@/$file}")
    expect_exit 2 "${args[@]}"
    assert_eq "$ERR" "$program: $file: ${why[$name]}" "${args[*]}"
    assert_eq "$(sha256sum <"$file")" "$before" "$name.db after ${args[*]}"
  done
  # newsidx watch gives up at once too (a watcher cannot heal this by waiting).
  mkdir -p "$WORK/watched"
  expect_exit 2 timeout 20 newsidx watch --db "$file" "$WORK/watched"
  assert_contains "$ERR" "$file: ${why[$name]}"
  assert_eq "$(sha256sum <"$file")" "$before" "$name.db after newsidx watch"
  echo "$name.db: ${#commands[@]} commands and watch refused it in one line, exit 2, file unchanged"
done

# An empty file is a new index.
: >"$WORK/empty.db"
expect_exit 0 newsidx --db "$WORK/empty.db" "$FEED"
expect_exit 0 newsidx check --db "$WORK/empty.db"
echo "ok"
