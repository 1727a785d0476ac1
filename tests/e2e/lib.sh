# lib.sh — helpers for the end-to-end tests, sourced by each tests/e2e/*.sh.
#
# The environment (set by ctest, see tests/CMakeLists.txt) gives NEWSIDX_BIN and NEWSQ_BIN
# (folders of the built tools), NEWSIDX_EXTENSION (the loadable extension) and
# NEWSIDX_SOURCE (the source tree). Each test gets a fresh $WORK folder, removed on exit.
set -euo pipefail

: "${NEWSIDX_SOURCE:?run through ctest}"
export PATH="$NEWSIDX_BIN:$NEWSQ_BIN:$PATH"
export NO_COLOR=1
unset NEWSIDX_DB
WORK=$(mktemp -d /tmp/newsidx-e2e-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PY=/usr/bin/python3

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

# py CODE [ARGS...]: runs Debian's python3 (the one with Debian's modules) on CODE.
py() { local code=$1; shift; "$PY" -c "$code" "$@"; }

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
