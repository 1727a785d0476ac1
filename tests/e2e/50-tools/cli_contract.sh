# cli_contract.sh — what scripts rely on in both programs' command lines: the global options
# (--db, --busy-timeout, --timeout, --format-version) before or after every subcommand, the
# exit codes table that --help, --exit-codes and the README agree on, and the JSON format
# version (printed, accepted, refused).
source "$(dirname "$0")/lib.sh"

DB=$WORK/idx.db # not the default name: a command that missed --db would find no index
NEWS=$WORK/news
mkdir -p "$NEWS" "$WORK/cwd"
cp "$NEWSIDX_SOURCE"/corpus/articles/*.txt "$NEWS/"
cd "$WORK/cwd"

# ---- newsidx: global options first and last --------------------------------------------------
expect_exit 0 newsidx --db "$DB" index "$NEWS"
assert_contains "$OUT" " added"
expect_exit 0 newsidx index "$NEWS" --db "$DB"
assert_contains "$OUT" " unchanged"
expect_exit 0 newsidx --db "$DB" -q --busy-timeout 5000 index "$NEWS"
assert_eq "$OUT" "" "index --quiet given first"
[[ ! -e news.db ]] || fail "an index command ignored --db"

for order in first last; do
  run() { # run CMD ARGS...: newsidx CMD with the global options first or last
    local cmd=$1; shift
    if [[ $order == first ]]; then newsidx --db "$DB" --busy-timeout 5000 "$cmd" "$@"
    else newsidx "$cmd" "$@" --db "$DB" --busy-timeout 5000; fi
  }
  expect_exit 0 run stats
  assert_contains "$OUT" "index                  $DB"
  expect_exit 0 run check --quick
  assert_eq "$OUT" "ok" "check, options $order"
  expect_exit 0 run optimize
  expect_exit 1 run rm 999999
done
# --busy-timeout given first reaches each command: a bad value is its error
for cmd in index stats check optimize rm watch; do
  expect_exit 2 newsidx --busy-timeout 0 "$cmd" "$NEWS"
  assert_contains "$ERR" "--busy-timeout needs a number from 1" "$cmd --busy-timeout 0"
done
[[ ! -e news.db ]] || fail "a maintenance command ignored --db"

# rm waits for a writer for the --busy-timeout given first, then gives up (exit 2) while the
# lock is still held (hold_lock keeps it until release_lock: no wall-clock bound to break).
hold_lock "$DB" "INSERT INTO meta VALUES('cli-contract', 'x');"
started=$(date +%s%N)
expect_exit 2 newsidx --db "$DB" --busy-timeout 300 rm 1
waited_ms=$((($(date +%s%N) - started) / 1000000))
release_lock ROLLBACK
((waited_ms >= 300)) || fail "rm gave up after $waited_ms ms, before its --busy-timeout 300"
expect_exit 0 newsidx --db "$DB" stats --json
py 'import json, sys; assert json.load(sys.stdin)["articles"] == 20' <<<"$OUT" ||
  fail "rm removed an article while the index was locked"

# watch: the index it creates is the --db given before or after "watch".
for order in first last; do
  W=$WORK/watch-$order.db
  args=(--db "$W" watch "$NEWS")
  [[ $order == first ]] || args=(watch "$NEWS" --db "$W")
  newsidx "${args[@]}" >"$WORK/w-$order.out" 2>&1 &
  pid=$!
  for ((i = 0; i < 200; i++)); do grep -q " added" "$WORK/w-$order.out" && break; sleep 0.1; done
  kill -TERM "$pid"
  rc=0; wait "$pid" || rc=$?
  assert_eq "$rc" 0 "watch exit, options $order ($(cat "$WORK/w-$order.out"))"
  assert_eq "$(sqlite3 "$W" "SELECT count(*) FROM articles")" 20 "articles watched into $W"
done
[[ ! -e news.db ]] || fail "watch ignored --db"

# A path named like a command is indexed with 'index' or './', the options first.
mkdir stats && cp "$NEWS"/2026-01-28-fed-holds-rates.txt stats/
expect_exit 0 newsidx --db "$WORK/paths.db" index stats
assert_contains "$OUT" "1 added"
expect_exit 0 newsidx --db "$WORK/paths.db" ./stats
assert_contains "$OUT" "1 unchanged"
# --quiet and --verbose come first for index and watch only; another command refuses them.
expect_exit 2 newsidx -q --db "$DB" stats
assert_contains "$ERR" "newsidx stats: unknown option -q"

# ---- newsq: global options first and last ------------------------------------------------------
for order in first last; do
  q() { # q CMD ARGS...: newsq CMD with the global options first or last
    local cmd=$1; shift
    if [[ $order == first ]]; then newsq --db "$DB" --timeout 60000 "$cmd" "$@"
    else newsq "$cmd" "$@" --db "$DB" --timeout 60000; fi
  }
  expect_exit 0 q search rates
  expect_exit 0 q timeline rates
  expect_exit 0 q facets rates
  expect_exit 0 q rule add "r-$order" rates
  expect_exit 0 q rule list
  assert_contains "$OUT" "r-$order"
  expect_exit 0 q rule show "r-$order" --json
  expect_exit 0 q rule test "r-$order" --count
  expect_exit 1 q alerts "r-$order" # a new rule reports what is indexed after it
  expect_exit 0 q rule rm "r-$order"
  expect_exit 1 q terms trending --json # no article in the last week
  expect_exit 0 q terms new --since 2000-01-01 --json
done
# --timeout given first reaches each command: a bad value is its error
for cmd in search timeline facets alerts "rule add" "rule list" "rule show" "rule test" "rule rm" \
  "terms new" "terms trending"; do
  expect_exit 2 newsq --timeout 0 $cmd x
  assert_contains "$ERR" "--timeout needs a number from 1" "newsq $cmd --timeout 0"
done
[[ ! -e news.db ]] || fail "a newsq command ignored --db"
# rule's help lists the options that add and test share once.
expect_exit 0 newsq rule --help
assert_eq "$(grep -c -- '--timeout MS' <<<"$OUT")" 1 "--timeout lines in newsq rule --help"
assert_eq "$(grep -c -- '--format-version' <<<"$OUT")" 1 "--format-version lines in rule --help"

# ---- exit codes: one table, in --help, --exit-codes and the README ------------------------------
for program in newsidx newsq; do
  expect_exit 0 "$program" --exit-codes
  codes=$OUT
  assert_eq "$(cut -f1 <<<"$codes" | tr '\n' ' ')" "0 1 2 130 " "$program's exit codes"
  expect_exit 0 "$program" --help
  while IFS=$'\t' read -r code name meaning; do
    assert_contains "$OUT" "$(printf '  %-4s %s' "$code" "$meaning")" "$program --help"
  done <<<"$codes"
  # README: | code | name | newsidx | newsq |, backticks being only markdown
  column=$([[ $program == newsidx ]] && echo 4 || echo 5)
  readme=$(sed -n '/^### Exit codes/,/^### /p' "$NEWSIDX_SOURCE/README.md" | grep '^| [0-9]' |
    tr -d '`' | awk -F' [|] ' -v c="$column" '{ sub(/ [|]$/, "", $NF); sub(/^[|] /, "", $1); print $1 "\t" $2 "\t" $(c - 1) }')
  assert_eq "$readme" "$codes" "the README's exit codes for $program"
  # the man page: each code with its name in EXIT STATUS
  page=$(sed -n '/^# EXIT STATUS/,/^# [A-Z]/p' "$NEWSIDX_SOURCE/docs/man/$program.1.scd")
  while IFS=$'\t' read -r code name meaning; do
    assert_contains "$page" "*$code* ($name)" "$program(1) EXIT STATUS"
  done <<<"$codes"
done

# ---- JSON format version -----------------------------------------------------------------------
expect_exit 0 newsq --format-version
version=$OUT
[[ $version =~ ^[1-9][0-9]*$ ]] || fail "newsq --format-version printed '$version'"
expect_exit 0 newsidx --format-version
assert_eq "$OUT" "$version" "newsidx --format-version"
assert_contains "$(cat "$NEWSIDX_SOURCE/README.md")" "The JSON format version is $version" "README"
expect_exit 0 newsq --db "$DB" --format-version="$version" rates --json
assert_contains "$OUT" '{"rank":1,'
expect_exit 0 newsq --db "$DB" timeline rates --json --format-version="$version"
expect_exit 0 newsidx --format-version="$version" --db "$DB" stats --json
expect_exit 0 newsidx stats --json --db "$DB" --format-version="$version"
for bad in 0 $((version + 1)) x ""; do
  expect_exit 2 newsq --db "$DB" --format-version="$bad" rates --json
  assert_eq "$ERR" "newsq: --format-version $bad is not supported (newsq speaks versions 1 to $version)"
  expect_exit 2 newsq --db "$DB" terms new --json --format-version="$bad"
  expect_exit 2 newsidx --format-version="$bad" --db "$DB" stats --json
  assert_contains "$ERR" "newsidx stats: --format-version $bad is not supported"
  expect_exit 2 newsidx --format-version="$bad" --db "$DB" "$NEWS"
done
echo "cli_contract: ok"
