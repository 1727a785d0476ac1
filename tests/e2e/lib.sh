# lib.sh — helpers for the end-to-end tests, sourced by each tests/e2e/*.sh.
#
# The environment (set by ctest, see tests/CMakeLists.txt) gives NEWSIDX_BIN and NEWSQ_BIN
# (folders of the built tools), NEWSIDX_EXTENSION (the loadable extension) and
# NEWSIDX_SOURCE (the source tree). Each test gets a fresh $WORK folder, removed on exit.
#
# Two ways to write a script. The old one: assertions (fail, expect_exit, assert_*) at the top
# level, where the first failure ends the script with exit 1. The one to prefer, as notmuch's
# test-lib: named subtests, each a string of commands that runs in a subshell, so that a
# failing assertion fails that subtest and the script goes on with the next:
#   test_expect_success 'a search finds the seed article' '
#     expect_exit 0 newsq --db "$DB" Noboa
#     assert_contains "$OUT" "**Noboa**"
#   '
#   test_done
# test_done prints one line "N/M passed" (M: the subtests that ran, not the skipped ones) and
# exits 1 when any failed, 77 when all were skipped, else 0. Subtests share files ($WORK), not
# variables: set what several need at the top level, before them.
set -euo pipefail

: "${NEWSIDX_SOURCE:?run through ctest}"
export PATH="$NEWSIDX_BIN:$NEWSQ_BIN:$PATH"
export NO_COLOR=1
unset NEWSIDX_DB
WORK=$(mktemp -d /tmp/newsidx-e2e-XXXXXX)
trap 'on_exit' EXIT
PY=/usr/bin/python3
JSONL_PY=$NEWSIDX_SOURCE/tests/e2e/jsonl.py

# The shared corpora: $NEWSIDX_CORPORA, else ../shared/corpora beside the source tree.
corpora_dir() {
  if [[ -n ${NEWSIDX_CORPORA:-} ]]; then echo "$NEWSIDX_CORPORA"
  else echo "$(cd "$NEWSIDX_SOURCE/.." && pwd)/shared/corpora"; fi
}

# Skips the test (exit 77, "skipped" in ctest) when the shared corpora are absent. Sets
# $CORPORA to their physical path (symlinks resolved), the form newsidx uses for keys.
need_corpora() {
  CORPORA=$(corpora_dir)
  if [[ ! -d $CORPORA/${1:-seed} ]]; then
    echo "SKIP: needs the shared corpora at $CORPORA/${1:-seed} (set NEWSIDX_CORPORA)"
    exit 77
  fi
  CORPORA=$(cd "$CORPORA" && pwd -P)
}

# has_corpora NAME: true, with $CORPORA set as need_corpora sets it, when the shared corpora
# hold NAME; for tests that otherwise take generated articles (generate_corpus below).
has_corpora() {
  [[ -d $(corpora_dir)/$1 ]] || return 1
  need_corpora "$1"
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- Named subtests -------------------------------------------------------------------------
SUBTESTS_RUN=0    # subtests that ran to a verdict
SUBTESTS_PASSED=0 # of those, the ones that passed
SUBTESTS_SKIPPED=0
SUBTESTS_FAILED=() # their names, for the summary
SUBTESTS_DONE=0    # test_done was called

# test_expect_success NAME COMMANDS: runs COMMANDS (a string, as for eval) in a subshell with
# `set -e`; the subtest passes when they exit 0, is skipped when they exit 77 (need_corpora
# inside a subtest skips only that subtest), and fails otherwise, the script going on.
test_expect_success() {
  local name=$1 commands=$2 rc=0
  (($# == 2)) || fail "test_expect_success NAME COMMANDS: got $# arguments"
  # Not `if ( ... )`: bash ignores set -e inside a command whose status is tested.
  set +e
  (
    set -e
    eval "$commands"
  )
  rc=$?
  set -e
  case $rc in
  0)
    SUBTESTS_RUN=$((SUBTESTS_RUN + 1)) SUBTESTS_PASSED=$((SUBTESTS_PASSED + 1))
    echo "PASS   $name"
    ;;
  77)
    SUBTESTS_SKIPPED=$((SUBTESTS_SKIPPED + 1))
    echo "SKIP   $name"
    ;;
  *)
    SUBTESTS_RUN=$((SUBTESTS_RUN + 1))
    SUBTESTS_FAILED+=("$name")
    echo "FAIL   $name (exit $rc)"
    ;;
  esac
}

# test_done: the summary line, then the script's exit: 1 if a subtest failed, 77 if every
# subtest was skipped, else 0.
test_done() {
  SUBTESTS_DONE=1
  local name
  for name in "${SUBTESTS_FAILED[@]}"; do echo "failed: $name"; done
  echo "$SUBTESTS_PASSED/$SUBTESTS_RUN passed"
  ((${#SUBTESTS_FAILED[@]} == 0)) || exit 1
  ((SUBTESTS_RUN > 0 || SUBTESTS_SKIPPED == 0)) || exit 77
  exit 0
}

# On exit: removes $WORK. A script that ran subtests but ended without test_done (a failure at
# the top level, between subtests) still says how far it got, and never passes.
on_exit() {
  local rc=$?
  rm -rf "$WORK"
  ((SUBTESTS_DONE == 0 && SUBTESTS_RUN + SUBTESTS_SKIPPED > 0)) || return 0
  echo "$SUBTESTS_PASSED/$SUBTESTS_RUN passed"
  echo "the script stopped before test_done (exit $rc)" >&2
  ((rc != 0 && rc != 77)) || exit 1
}

# expect_exit CODE COMMAND...: runs the command, fails unless it exits with CODE.
# Its stdout is in $OUT and stderr in $ERR afterwards.
expect_exit() {
  local want=$1; shift
  local rc=0
  "$@" >"$WORK/.out" 2>"$WORK/.err" || rc=$?
  OUT=$(cat "$WORK/.out"); ERR=$(cat "$WORK/.err")
  [[ $rc == "$want" ]] || fail "exit $rc, wanted $want: $*
stdout: ${OUT:0:2000}
stderr: ${ERR:0:2000}"
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
  [[ $1 == *"$2"* ]] || fail "${3:-output} does not contain '$2':
${1:0:3000}"
}

assert_not_contains() {
  [[ $1 != *"$2"* ]] || fail "${3:-output} contains '$2':
${1:0:3000}"
}

assert_eq() {
  [[ $1 == "$2" ]] || fail "${3:-value} is '$1', wanted '$2'"
}

# wait_open PID FILE: waits until process PID has FILE open (a tool has its signal handlers
# set by then and works on the index); fails after 60 s.
wait_open() {
  local i fd
  for ((i = 0; i < 1200; i++)); do
    for fd in /proc/"$1"/fd/*; do
      [[ $(readlink "$fd" 2>/dev/null) != "$2" ]] || return 0
    done
    sleep 0.05
  done
  fail "process $1 did not open $2 within 60 s"
}

# hold_lock DB [SQL]: a sqlite3 shell takes DB's write lock (BEGIN IMMEDIATE), runs SQL, and
# keeps the lock until release_lock (COMMIT) or release_lock ROLLBACK; hold_lock returns once
# the lock is held, so that no test has to guess with a sleep how long that takes.
hold_lock() {
  local i
  rm -f "$WORK/.locked" "$WORK/.release"
  {
    printf 'BEGIN IMMEDIATE;\n%s\n.shell touch %q\n' "${2:-}" "$WORK/.locked"
    while [[ ! -e $WORK/.release ]]; do sleep 0.05; done
    cat "$WORK/.release"
  } | sqlite3 "$1" >/dev/null &
  HOLDER=$!
  for ((i = 0; i < 1200; i++)); do
    [[ ! -e $WORK/.locked ]] || return 0
    sleep 0.05
  done
  fail "sqlite3 did not take the write lock of $1 within 60 s"
}
release_lock() {
  echo "${1:-COMMIT};" >"$WORK/.release.tmp"
  mv "$WORK/.release.tmp" "$WORK/.release"
  wait "$HOLDER" || fail "the sqlite3 shell that held the lock failed"
}

# py CODE [ARGS...]: runs Debian's python3 (the one with Debian's modules) on CODE.
py() { local code=$1; shift; "$PY" -c "$code" "$@"; }

# The JSON checks several scripts share, in one place (tests/e2e/jsonl.py):
# json_fields NAME... <<<"$OUT": each JSON line's fields NAME..., space-separated, one line per
# record (null for a missing field, nested values as JSON).
json_fields() { "$PY" "$JSONL_PY" fields "$@"; }
# jsonl_whole FILE: the number of records in FILE, failing unless it is whole JSON lines, each
# ended by a line end (what a stopped newsq must leave behind).
jsonl_whole() { "$PY" "$JSONL_PY" whole "$1" || fail "$1 is not whole JSON lines"; }

# generate_corpus N OUT.jsonl [FOLDER]: N articles that corpus/generate.py resamples from this
# project's own corpus/ (its articles, the first paragraph after the date being the title, and
# the sample feed), for tests that need volume without the shared corpora; with FOLDER, the
# same articles as seed-format files too.
generate_corpus() {
  py 'import glob, json, sys
for name in sorted(glob.glob(sys.argv[1] + "/corpus/articles/*.txt")):
    paragraphs = [p.strip() for p in open(name, encoding="utf-8").read().split("\n\n")]
    print(json.dumps({"title": paragraphs[0].split(None, 2)[2],
                      "body": "\n\n".join(paragraphs[1:])}))
print(open(sys.argv[1] + "/corpus/feeds/sample.jsonl", encoding="utf-8").read().strip())' \
    "$NEWSIDX_SOURCE" >"$WORK/own-corpus.jsonl"
  "$PY" "$NEWSIDX_SOURCE/corpus/generate.py" --input "$WORK/own-corpus.jsonl" --articles "$1" \
    ${3:+--folder "$3"} "$2" >/dev/null
}
