# bad_db.sh — an index file that is not one newsidx can use, through every command of both
# tools: random bytes, a text file, an index cut short, another program's SQLite database, and
# an index made by a newer newsidx (schema version 99). Each command stops with one line
# naming the file and what is wrong with it, exit 2, and leaves the file as it was, byte for
# byte. Then every field of the SQLite header, and meta rows, damaged one at a time (a table
# below). (An empty file is a new index: newsidx creates one in it.)
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

# One field of the 100-byte SQLite header of the sound index changed (@OFFSET:BYTES=VALUE, big
# endian as SQLite stores it), or one row of meta (SQL), and what each command then does, in the
# order of `damaged_commands`: check stats search optimize rm index.
#   W  works as on the sound index: the same exit status and standard output
#   w  works (exit 0), its output showing the damage (stats shows the stored language)
#   R  refuses: one line "PROGRAM: FILE: MESSAGE", exit 2, the file unchanged byte for byte
#   r  refuses: one line "PROGRAM: ...", exit 2, the file unchanged (SQLite's words vary)
#   P  newsidx check names the damage: a line "newsidx check: MESSAGE...", exit 2, file unchanged
# Every command runs under a timeout: a hang fails as a crash does.
damaged_commands=("newsidx check --db @" "newsidx stats --db @" "newsq --db @ --json strike"
  "newsidx optimize --db @" "newsidx rm --db @ 1" "newsidx --db @ $FEED")
DAMAGED="a damaged SQLite database (database disk image is malformed)"
NOT_OURS="an SQLite database, but not a newsidx index"
READ_ONLY="cannot write the index: its header says only a newer SQLite may write it (write version above 2)"
VERSION=$(sqlite3 "$DB" "PRAGMA user_version") # the current schema version
TOO_NEW="schema version 99 is newer than this newsidx knows ($VERSION); upgrade newsidx"
STEMMER="the index's language 'klingon' has no Snowball stemmer"
damage_cases=(
  "@0:1=0x41|RRRRRR|not an SQLite database"                  # the magic string
  "@16:2=0x1000|RRRRRR|$DAMAGED"                             # page size: 4096, not 16384
  "@16:2=1|RRRRRR|$DAMAGED"                                  # page size: 65536
  "@16:2=0x1234|RRRRRR|not an SQLite database"               # page size: no power of two
  "@18:1=1|WWWWWW|"                                          # write version: rollback journal
  "@18:1=3|RWWRRR|$READ_ONLY"                                # write version: a newer SQLite's
  "@19:1=1|WWWWWW|"                                          # read version: rollback journal
  "@19:1=3|RRRRRR|not an SQLite database"                    # read version: a newer SQLite's
  "@20:1=8|Prrrrr|SQLite integrity_check"                    # reserved bytes per page
  "@20:1=255|Prrrrr|SQLite integrity_check"
  "@21:1=65|RRRRRR|not an SQLite database"                   # payload fractions: 64, 32, 32
  "@22:1=33|RRRRRR|not an SQLite database"
  "@23:1=31|RRRRRR|not an SQLite database"
  "@24:4=0x7777|WWWWWW|"                                     # change counter
  "@28:4=1|RRRRRR|$DAMAGED"                                  # page count: fewer than there are
  "@28:4=0x7fffffff|RRRRRR|$DAMAGED"                         # page count: more than there are
  "@32:4=5|PWWWWW|SQLite integrity_check"                    # first freelist trunk page
  "@36:4=7|PwWWWr|SQLite integrity_check"                    # number of free pages (stats: 112 kB)
  "@40:4=99|WWWWWW|"                                         # schema cookie
  "@44:4=0|WWWWWW|"                                          # schema format: 0 to 4 are read
  "@44:4=1|WWWWWW|"
  "@44:4=5|RRRRRR|unsupported file format"
  "@48:4=-5|WWWWWW|"                                         # default cache size
  "@52:4=0|PWWWWW|SQLite integrity_check"                    # largest root page (auto-vacuum)
  "@52:4=0xffff|PWWWWW|SQLite integrity_check"
  "@56:4=0|WWWWWW|"                                          # text encoding: 0 reads as UTF-8
  "@56:4=2|RRRRRR|$DAMAGED"                                  # UTF-16le
  "@56:4=3|RRRRRR|$DAMAGED"                                  # UTF-16be
  "@60:4=0|RRRRRR|$NOT_OURS"                                 # user_version: the schema version
  "@60:4=-1|RRRRRR|$NOT_OURS"
  "@60:4=$((VERSION | 0x80000000))|RRRRRR|$NOT_OURS"         # the version, top bit set
  "@60:4=-2147483648|RRRRRR|$NOT_OURS"
  # an older version whose migration cannot apply to this file (13 names folders once, which
  # this file does already): the readers ask for a migration, which the writers then refuse
  "@60:4=12|rRRrrr|schema version 12 is older than this newsidx needs ($VERSION); run newsidx on it once to migrate it"
  "@60:4=99|RRRRRR|$TOO_NEW"
  "@64:4=0|WWWWWW|"                                          # incremental vacuum: off (full)
  "@64:4=5|WWWWWW|"
  "@68:4=0x12345678|WWWWWW|"                                 # application id
  "@72:4=9|WWWWWW|"                                          # reserved for expansion
  "@88:4=-1|WWWWWW|"
  "@92:4=1|WWWWWW|"                                          # version-valid-for
  "@96:4=1|WWWWWW|"                                          # SQLITE_VERSION_NUMBER
  "DELETE FROM meta WHERE key = 'language'|RRRRRR|the index records no language"
  "UPDATE meta SET value = 'klingon' WHERE key = 'language'|PwRWWR|$STEMMER"
  "UPDATE meta SET value = 'french' WHERE key = 'language'|PwWWWW|meta 'tokenizer' is"
  "UPDATE meta SET value = 'snowball english porter' WHERE key = 'tokenizer'|PWWWWW|meta 'tokenizer' is"
  "DELETE FROM meta WHERE key = 'tokenizer'|PWWWWW|meta 'tokenizer' is '(none)'"
  "INSERT OR REPLACE INTO meta VALUES('fts_generation', 'many')|PWWWWW|meta 'fts_generation' is 'many'"
  "INSERT OR REPLACE INTO meta VALUES('term_docs_generation', '-3')|PWWWWW|meta 'term_docs_generation' is '-3'"
  "INSERT OR REPLACE INTO meta VALUES('seq_floor', '9x')|PWWWWW|meta 'seq_floor' is '9x'"
)

# damage FILE DAMAGE: makes FILE a copy of the sound index with DAMAGE done to it.
damage() {
  rm -f "$1" "$1-wal" "$1-shm"
  cp "$DB" "$1"
  if [[ $2 == @* ]]; then
    py 'import sys
offset, rest = sys.argv[2][1:].split(":")
width, value = rest.split("=")
offset, width = int(offset), int(width)
data = bytearray(open(sys.argv[1], "rb").read())
data[offset:offset + width] = (int(value, 0) % (1 << 8 * width)).to_bytes(width, "big")
open(sys.argv[1], "wb").write(data)' "$1" "$2"
  else
    sqlite3 "$1" "$2"
  fi
}

# run_damaged FILE COMMAND: runs COMMAND (@ is FILE) under a timeout; $RC, $OUT, $ERR after.
run_damaged() {
  local args
  read -ra args <<<"$2"
  args=("${args[@]/#@/$1}")
  RC=0
  timeout 60 "${args[@]}" >"$WORK/.out" 2>"$WORK/.err" || RC=$?
  # the times of a run are its own
  OUT=$(sed -E 's/ in [0-9.]+ s( \([^)]*\))?//' "$WORK/.out"); ERR=$(cat "$WORK/.err")
}

FILE=$WORK/damaged.db
declare -a sound_rc sound_out
for i in "${!damaged_commands[@]}"; do
  damage "$FILE" "@24:0=0" # the sound index itself, under the same name
  run_damaged "$FILE" "${damaged_commands[$i]}"
  sound_rc[i]=$RC sound_out[i]=$OUT
done
for case in "${damage_cases[@]}"; do
  IFS='|' read -r what outcomes message <<<"$case"
  for i in "${!damaged_commands[@]}"; do
    c=${damaged_commands[$i]} want=${outcomes:$i:1} program=${damaged_commands[$i]%% --db*}
    damage "$FILE" "$what"
    before=$(sha256sum <"$FILE")
    run_damaged "$FILE" "$c"
    where="$what, $c"
    case $want in
    W) assert_eq "$RC $OUT" "${sound_rc[i]} ${sound_out[i]}" "$where: exit and output" ;;
    w) assert_eq "$RC" 0 "$where: exit" ;;
    R | r | P)
      assert_eq "$RC" 2 "$where: exit (stderr: $ERR)"
      assert_eq "$(sha256sum <"$FILE")" "$before" "$where: the file"
      if [[ $want == P ]]; then
        assert_contains "$ERR" "newsidx check: $message" "$where: stderr"
      else
        assert_eq "$(wc -l <<<"$ERR")" 1 "$where: lines of stderr ($ERR)"
        if [[ $want == R ]]; then assert_eq "$ERR" "$program: $FILE: $message" "$where: stderr"
        else assert_contains "$ERR" "$program: " "$where: stderr"; fi
      fi ;;
    *) fail "bad outcome '$want' in: $case" ;;
    esac
  done
done
echo "${#damage_cases[@]} damaged headers and meta rows: each command refused, named or took each as the table says"

# An empty file is a new index.
: >"$WORK/empty.db"
expect_exit 0 newsidx --db "$WORK/empty.db" "$FEED"
expect_exit 0 newsidx check --db "$WORK/empty.db"
echo "ok"
