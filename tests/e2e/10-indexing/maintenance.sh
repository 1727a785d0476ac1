# maintenance.sh — newsidx stats, check, optimize and rm on the sample corpus: the numbers
# agree with the database itself, damage is found and named, optimize keeps every search
# working, rm removes by id, key and path in one transaction.
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
NEWS=$WORK/news
mkdir -p "$NEWS"
cp "$NEWSIDX_SOURCE"/corpus/articles/*.txt "$NEWSIDX_SOURCE"/corpus/feeds/sample.jsonl "$NEWS/"
cp "$NEWS/2026-01-28-fed-holds-rates.txt" "$NEWS/zz-copy-of-fed.txt" # a duplicate
EXT=${NEWSIDX_EXTENSION%.so}
q() { sqlite3 "$DB" "$1"; }

expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "26 added, 0 updated, 0 unchanged, 1 duplicates"

# ---- stats -------------------------------------------------------------------------------
expect_exit 0 newsidx stats --db "$DB" --json
terms=$(sqlite3 "$DB" ".load $EXT" \
  "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, articles_fts, row); SELECT count(*) FROM temp.v")
py '
import json, os, sqlite3, sys
s = json.loads(sys.stdin.read())
db = sqlite3.connect(sys.argv[1])
one = lambda sql: db.execute(sql).fetchone()[0]
assert s["schema_version"] == one("PRAGMA user_version") and s["language"] == "english", s
assert s["articles"] == one("SELECT count(*) FROM articles") == 27, s["articles"]
assert s["duplicates"] == 1 and s["originals"] == 26, s
assert s["input_files"] == 22, s["input_files"]
assert s["first_date"] == one("SELECT min(date) FROM articles"), s["first_date"]
assert s["last_date"] == one("SELECT max(date) FROM articles"), s["last_date"]
assert s["undated"] == one("SELECT count(*) FROM articles WHERE date IS NULL"), s["undated"]
assert s["terms"] == int(sys.argv[2]) > 1000, (s["terms"], sys.argv[2])
assert s["sources"] == 5 and s["top_sources"][0] == {"source": "Sample Wire", "articles": 2}, s
assert s["db_bytes"] == os.path.getsize(sys.argv[1]), s["db_bytes"]
' "$DB" "$terms" <<<"$OUT" || fail "stats --json"
expect_exit 0 newsidx stats --db "$DB"
assert_contains "$OUT" "articles               27"
assert_contains "$OUT" "duplicates             1"
assert_contains "$OUT" "2  Sample Wire"
expect_exit 2 newsidx stats --db "$WORK/absent.db"
assert_contains "$ERR" "absent.db"

# ---- check -------------------------------------------------------------------------------
expect_exit 0 newsidx check --db "$DB"
assert_eq "$OUT" "ok"
expect_exit 0 newsidx check --quick --db "$DB"
# Damage behind newsidx's back: an original made a duplicate of an article that does not exist.
ID=$(q "SELECT id FROM article_keys WHERE key = '$NEWS/2025-12-11-snb-holds-rates.txt'")
q "UPDATE articles SET dup_of = 99999 WHERE id = $ID"
expect_exit 2 newsidx check --db "$DB"
assert_contains "$ERR" "article $ID is a duplicate of article 99999, which does not exist"
assert_contains "$ERR" "the full-text index does not match the articles"
assert_contains "$ERR" "2 problems found"
q "UPDATE articles SET dup_of = NULL WHERE id = $ID"
expect_exit 0 newsidx check --db "$DB"
printf 'not an index' >"$WORK/junk.db"
expect_exit 2 newsidx check --db "$WORK/junk.db"
assert_contains "$ERR" "junk.db"

# ---- optimize ----------------------------------------------------------------------------
before=$(newsq --db "$DB" --json --limit 100 strike | wc -l)
expect_exit 0 newsidx optimize --db "$DB"
assert_contains "$OUT" "before"
assert_contains "$OUT" "after"
expect_exit 0 newsidx optimize --vacuum --db "$DB"
assert_eq "$(newsq --db "$DB" --json --limit 100 strike | wc -l)" "$before" "hits after optimize"
[[ ! -s $DB-wal ]] || fail "the write-ahead log was not checkpointed"
expect_exit 0 newsidx check --db "$DB"

# ---- rm ----------------------------------------------------------------------------------
# By id: gone from searches, and it stays out while its file is unchanged.
SNB=$NEWS/2025-12-11-snb-holds-rates.txt
ID=$(q "SELECT id FROM article_keys WHERE key = '$SNB'")
expect_exit 0 newsidx rm --db "$DB" "$ID"
assert_eq "$OUT" "1 article removed"
expect_exit 1 newsq --db "$DB" "Swiss National Bank"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "0 added"
touch "$SNB"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "1 added"

# By key, an original with a duplicate: the duplicate takes its place in searches.
FED=$NEWS/2026-01-28-fed-holds-rates.txt
expect_exit 0 newsidx rm --db "$DB" --key "$FED"
assert_eq "$(q "SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")" 0 "duplicate promoted"
expect_exit 0 newsq --db "$DB" --json "Federal Reserve"
assert_contains "$OUT" "zz-copy-of-fed.txt"

# Several names at once; one unknown: the others are removed, exit 1.
A=$(q "SELECT id FROM article_keys WHERE key = 'sample-feed-001'")
B=$(q "SELECT id FROM article_keys WHERE key = 'sample-feed-002'")
expect_exit 1 newsidx rm --db "$DB" "$A" 99999 "$B"
assert_contains "$ERR" "no article with id 99999"
assert_eq "$OUT" "2 articles removed"
expect_exit 2 newsidx rm --db "$DB" sample-feed-003
assert_contains "$ERR" "not an article id"
expect_exit 2 newsidx rm --db "$DB"

# By path: a file, then the folder (relative); indexing the folder again brings all back.
n=$(q "SELECT count(*) FROM articles")
expect_exit 0 newsidx rm --db "$DB" --path "$NEWS/sample.jsonl"
assert_eq "$OUT" "4 articles removed"
(cd "$WORK" && expect_exit 0 newsidx rm --db "$DB" --path news/) || fail "rm --path news/"
assert_eq "$(q "SELECT count(*) FROM articles")" 0 "articles after rm --path"
assert_eq "$(q "SELECT count(*) FROM input_files")" 0 "input files after rm --path"
expect_exit 1 newsidx rm --db "$DB" --path "$NEWS"
assert_contains "$ERR" "nothing indexed from $NEWS"
expect_exit 0 newsidx --db "$DB" "$NEWS"
assert_contains "$OUT" "26 added, 0 updated, 0 unchanged, 1 duplicates"
expect_exit 0 newsidx check --db "$DB"

# ---- rebuild -----------------------------------------------------------------------------
# An index of the old tokenizer: no tokenizer_version, and a full-text index that does not hold
# what this newsidx would put there (here, nothing: what old tokens there were is beside the point).
expect_exit 0 newsq --db "$DB" --count 'rate*'
before=$OUT
assert_not_contains "$ERR" "rebuild"
sqlite3 "$DB" ".load $EXT" "DELETE FROM meta WHERE key = 'tokenizer_version';" \
  "INSERT INTO articles_fts(articles_fts) VALUES('delete-all')"
expect_exit 1 newsq --db "$DB" --count 'rate*'
assert_contains "$ERR" "older tokenizer; run 'newsidx rebuild'"
mkdir -p "$WORK/new" && printf 'Title: Rates rebuilt\n\nRates again.\n' >"$WORK/new/a.txt"
expect_exit 2 newsidx --db "$DB" "$WORK/new"
assert_contains "$ERR" "older tokenizer; run 'newsidx rebuild'"
expect_exit 0 newsidx rebuild --db "$DB"
assert_contains "$OUT" "rebuilt the full-text index"
expect_exit 0 newsq --db "$DB" --count 'rate*'
assert_eq "$OUT" "$before"
assert_eq "$ERR" ""
assert_eq "$(q "SELECT value FROM meta WHERE key = 'tokenizer_version'")" "2"
expect_exit 0 newsidx check --db "$DB"
assert_eq "$OUT" "ok"
expect_exit 0 newsidx --db "$DB" "$WORK/new"
assert_contains "$OUT" "1 added"
echo "ok"
