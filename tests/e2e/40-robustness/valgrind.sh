# valgrind.sh — newsidx and newsq under valgrind (memcheck, --leak-check=full) on the project's
# own corpus: indexing text and JSON Lines, a re-run, every newsq command and format, alerts,
# maintenance, and error paths. Any invalid read or write, use of uninitialized memory, or
# leak (definite or indirect) fails the test. The sanitizer build already has LeakSanitizer in
# every test; this is the second opinion, on a build without sanitizers (valgrind and ASan do
# not mix): it is built here, in the build tree's valgrind/ folder, unless the tools under test
# are built without sanitizers already. Skipped (77) without valgrind.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed"; exit 77; }

BIN=$NEWSIDX_BIN/newsidx
if ldd "$BIN" | grep libasan >/dev/null; then # not -q: ldd would die of SIGPIPE
  : "${NEWSIDX_VALGRIND_BUILD:?set by tests/CMakeLists.txt}"
  cmake -S "$NEWSIDX_SOURCE" -B "$NEWSIDX_VALGRIND_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNEWSIDX_SANITIZE=OFF -DBUILD_TESTING=OFF >"$WORK/cmake.log" 2>&1 ||
    fail "configuring the build for valgrind: $(tail -5 "$WORK/cmake.log")"
  cmake --build "$NEWSIDX_VALGRIND_BUILD" -j2 --target newsidx newsq >"$WORK/build.log" 2>&1 ||
    fail "building for valgrind: $(tail -20 "$WORK/build.log")"
  export PATH="$NEWSIDX_VALGRIND_BUILD/bin:$PATH"
fi

# vg CODE COMMAND...: the command under memcheck must exit with CODE; valgrind's own errors
# exit 99 and are shown.
vg() {
  local want=$1 rc=0
  shift
  valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=99 --log-file="$WORK/vg.log" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [[ $rc == "$want" ]] || fail "exit $rc, wanted $want, under valgrind: $*
$(head -c 3000 "$WORK/vg.log")
$(head -c 1000 "$WORK/err")"
  [[ ! -s $WORK/vg.log ]] || fail "valgrind: $*: $(head -c 3000 "$WORK/vg.log")"
  N=$((N + 1))
}
N=0
DB=$WORK/news.db
C=$NEWSIDX_SOURCE/corpus
vg 0 newsidx --db "$DB" --batch 7 "$C/articles" "$C/feeds/sample.jsonl"
vg 0 newsidx --db "$DB" "$C/articles" "$C/feeds/sample.jsonl" # unchanged
vg 0 newsq --db "$DB" rule add strikes --backfill -- strike
vg 0 newsq --db "$DB" rule add names --new-terms --backfill --names-only
for args in "strike" "--json --all-duplicates strike OR opera" "--csv -n 3 opera" "--ids strike" \
  "--paths strike" "--count strike" "--sort hybrid --fragments 3 rates" "--sort date strike" \
  "--explain title:(strike OR port) -ghana date:2025..2026" "--lang en --tag opera --since 2026 opera" \
  "timeline strike" "timeline --json --by week" "facets --csv" "terms new --all" \
  "rule list" "rule show strikes --json" "rule test strikes" \
  "alerts --peek" "alerts --json" "--timeout 60000 strike"; do
  read -ra a <<<"$args"
  vg 0 newsq --db "$DB" "${a[@]}"
done
vg 1 newsq --db "$DB" zzqqxj
vg 1 newsq --db "$DB" terms trending --json # the corpus is too small for a trend
vg 2 newsq --db "$DB" 'a NEAR/x b'
vg 1 newsq --db "$DB" '"unclosed zzqqxj (*)'
vg 2 newsq --db "$WORK/missing.db" strike
vg 0 newsidx stats --db "$DB"
vg 0 newsidx stats --db "$DB" --json
vg 0 newsidx check --db "$DB"
vg 0 newsidx rm --db "$DB" --path "$C/feeds/sample.jsonl"
vg 0 newsidx optimize --db "$DB"
printf '{"id": "bad", "body": "x' >"$WORK/bad.jsonl"
printf '{"id": "1", "body": "one"}\n["not an object"]\n{"id": "2", "body": "\\ud800"}\n' >>"$WORK/bad.jsonl"
vg 1 newsidx --db "$DB" "$WORK/bad.jsonl" "$WORK/absent.txt"
echo "ok: $N runs under valgrind, no error, no leak"
