# sqlite3_extension.sh — the stock sqlite3 shell, with the loadable extension, runs MATCH
# queries on an index that newsidx built; without it, it cannot.
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 shell missing (scripts/deps.sh installs it)"

DB=$WORK/news.db
expect_exit 0 newsidx --db "$DB" "$NEWSIDX_SOURCE/corpus"
EXT=${NEWSIDX_EXTENSION%.so}

for query in "strike" "'\"interest rates\"'" "zurich" "sao paulo"; do
  test_expect_success "sqlite3 with the extension counts what newsq finds: $query" '
    q=${query//\'\''/}
    want=$(newsq --db "$DB" --limit 100000 --json "$q" | wc -l)
    got=$(sqlite3 "$DB" ".load $EXT" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\''$q'\''")
    [[ $want -gt 0 ]] || fail "no hits for $q in the sample corpus"
    assert_eq "$got" "$want" "sqlite3 count for $q"
  '
done

test_expect_success 'stemming works in the shell too: one inflection finds the others' '
  a=$(sqlite3 "$DB" ".load $EXT" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\''strikes'\''")
  b=$(sqlite3 "$DB" ".load $EXT" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\''striking'\''")
  assert_eq "$a" "$b" "strikes vs striking"
'

test_expect_success 'without the extension the shell reads the articles but cannot search' '
  n=$(sqlite3 "$DB" "SELECT count(*) FROM articles")
  [[ $n -ge 15 ]] || fail "articles table readable without the extension ($n rows)"
  if sqlite3 "$DB" "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\''strike'\''" 2>"$WORK/err"; then
    fail "MATCH worked without the extension"
  fi
  assert_contains "$(cat "$WORK/err")" "snowball"
'
test_done
