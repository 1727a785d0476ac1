# tsan.sh — the threaded indexing path under ThreadSanitizer: newsidx reads and prepares
# articles on a read-ahead thread while the main thread writes them, and any data race, or any
# other report of TSan's, between those threads fails the test (halt_on_error). TSan does not
# mix with ASan, so the tools are built here, in the build tree's tsan/ folder, without the
# sanitizer build's flags and with -fsanitize=thread. It indexes the project's corpus/ in
# small batches, again (nothing changed), then a generated corpus of 3,000 articles as files
# and as JSON Lines, and checks the index. Skipped (77) when the compiler cannot build with
# TSan or TSan cannot run on this kernel.
source "$(dirname "$0")/lib.sh"
: "${NEWSIDX_BUILD:?set by tests/CMakeLists.txt}"
TSAN_BUILD=$NEWSIDX_BUILD/tsan

printf 'int main(void) { return 0; }\n' >"$WORK/probe.c"
if ! cc -fsanitize=thread -o "$WORK/probe" "$WORK/probe.c" 2>"$WORK/probe.err"; then
  echo "SKIP: the compiler cannot build with -fsanitize=thread: $(head -3 "$WORK/probe.err")"
  exit 77
fi
# Some kernels place memory where TSan cannot run (high mmap randomisation); without address
# randomisation it can.
RUN=()
if ! "$WORK/probe" 2>/dev/null; then
  RUN=(setarch "$(uname -m)" -R)
  "${RUN[@]}" "$WORK/probe" || { echo "SKIP: ThreadSanitizer cannot run on this kernel"; exit 77; }
fi

TSAN_FLAGS="-fsanitize=thread -g -O1"
cmake -S "$NEWSIDX_SOURCE" -B "$TSAN_BUILD" -DCMAKE_BUILD_TYPE=Debug -DNEWSIDX_SANITIZE=OFF \
  -DBUILD_TESTING=OFF -DCMAKE_C_FLAGS="$TSAN_FLAGS" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
  -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread >"$WORK/cmake.log" 2>&1 ||
  fail "configuring the build for TSan: $(tail -5 "$WORK/cmake.log")"
cmake --build "$TSAN_BUILD" -j2 --target newsidx >"$WORK/build.log" 2>&1 ||
  fail "building for TSan: $(tail -20 "$WORK/build.log")"
NEWSIDX=$TSAN_BUILD/bin/newsidx
ldd "$NEWSIDX" | grep libtsan >/dev/null || fail "$NEWSIDX is not built with TSan"

# ts CODE ARGS...: newsidx ARGS under TSan must exit with CODE and TSan must report nothing.
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:log_path=$WORK/tsan"
ts() {
  local want=$1 rc=0
  shift
  rm -f "$WORK"/tsan.*
  "${RUN[@]}" "$NEWSIDX" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  local report
  report=$(cat "$WORK"/tsan.* 2>/dev/null || true)
  [[ -z $report ]] || fail "ThreadSanitizer: newsidx $*:
${report:0:4000}"
  [[ $rc == "$want" ]] || fail "exit $rc, wanted $want, under TSan: newsidx $*
$(head -c 2000 "$WORK/err")"
}

DB=$WORK/news.db
C=$NEWSIDX_SOURCE/corpus
test_expect_success "the project's corpus, in batches of 3, then unchanged" '
  ts 0 --db "$DB" --batch 3 "$C/articles" "$C/feeds/sample.jsonl"
  assert_contains "$(cat "$WORK/out")" " added"
  ts 0 --db "$DB" "$C/articles" "$C/feeds/sample.jsonl"
  assert_contains "$(cat "$WORK/out")" "0 added, 0 updated"
'

generate_corpus 3000 "$WORK/gen.jsonl" "$WORK/gen"
test_expect_success "3,000 generated articles as files and as JSON Lines, in batches of 50" '
  ts 0 --db "$WORK/gen.db" --batch 50 "$WORK/gen" "$WORK/gen.jsonl"
  ts 0 check --db "$WORK/gen.db"
'

test_expect_success "errors on the reader thread reach the writer" '
  printf "{\"id\": \"1\", \"body\": \"one\"}\n[\"not an object\"]\n" >"$WORK/bad.jsonl"
  ts 1 --db "$DB" "$WORK/bad.jsonl" "$WORK/absent.txt"
'
test_done
