#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets of tests/fuzz with clang in build-fuzz/ and runs each
# for SECONDS (default 5: the smoke run scripts/test.sh always does; FUZZ=1 scripts/test.sh
# runs 60 s each). Targets run at most $(nproc) at a time, each on a copy of its seed corpus
# in a temporary folder, so the checkout is never written.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # targets: date text jsonl feed csv html tokenizer query
#
# Fails when a target crashes, breaks an invariant, leaks, times out (10 s on one input) or
# runs out of memory (2 GB). The input that did it is kept in build-fuzz/fuzz-artifacts/ and
# its path printed: copy it to tests/fuzz/regressions/<target>/ once the bug is fixed, so that
# ctest replays it from then on. FUZZ_KEEP=1 keeps the grown corpora (path printed).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-5}
shift || true
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2; }
targets=("$@")
((${#targets[@]})) || targets=(date text jsonl feed csv html tokenizer query)
for name in "${targets[@]}"; do
  [[ -f $top/tests/fuzz/fuzz_$name.c ]] || { echo "fuzz.sh: no target '$name'" >&2; exit 2; }
done

source "$top/scripts/deps.sh"
newsidx_install_packages "${NEWSIDX_PACKAGES[@]}" "${NEWSIDX_FUZZ_PACKAGES[@]}"

build=$top/build-fuzz
# RelWithDebInfo: fuzzing wants speed (-O2) and readable stack traces (-g).
CC=clang cmake -S "$top" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEWSIDX_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzzers >"$build/fuzzers-build.log" 2>&1 || {
  tail -40 "$build/fuzzers-build.log" >&2
  echo "fuzz.sh: building the fuzzers failed; the whole log is $build/fuzzers-build.log" >&2
  exit 2
}

work=$(mktemp -d /tmp/newsidx-fuzz-XXXXXX)
[[ ${FUZZ_KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
# Leaks are failures; a failing UBSan check aborts so that libFuzzer reports it.
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${FUZZ_UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs target $1 for $seconds; its log is $work/$1.log, its exit status the fuzzer's.
run_target() {
  local name=$1 dict=()
  mkdir -p "$work/$name" "$artifacts/$name"
  cp -R "$top/tests/fuzz/$name/." "$work/$name/"
  [[ -f $top/tests/fuzz/$name.dict ]] && dict=(-dict="$top/tests/fuzz/$name.dict")
  # -max_len: the fuzzers explore structure in inputs of up to 8 KB; the seed corpora's
  # absurdly long inputs are replayed whole by ctest and the e2e hostile-input tests.
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/$name/" "${dict[@]}" \
    "$work/$name" >"$work/$name.log" 2>&1
}

# Prints one line for target $1 after its run: executions, corpus size, verdict.
report() {
  local name=$1 rc=$2 runs corpus
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log" | tail -1)
  corpus=$(find "$work/$name" -type f | wc -l)
  if ((rc == 0)); then
    printf 'fuzz %-9s ok: %s runs in %s s, corpus %s inputs\n' "$name" "${runs:-?}" "$seconds" "$corpus"
    return 0
  fi
  echo "fuzz $name FAILED (exit $rc); the end of its log:" >&2
  grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$work/$name.log" | tail -40 >&2
  local found
  found=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/$name.log" | tail -1)
  echo "fuzz $name: reproducer: ${found:-none written}" >&2
  echo "fuzz $name: replay it with $build/tests/fuzz/fuzz_$name ${found:-FILE}" >&2
  return 1
}

start=$SECONDS
echo "fuzz: ${targets[*]}: $seconds s each, $(nproc) at a time"
failed=0
declare -A pid_of
for name in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n || true; done
  run_target "$name" &
  pid_of[$name]=$!
done
for name in "${targets[@]}"; do
  rc=0
  wait "${pid_of[$name]}" || rc=$?
  report "$name" "$rc" || failed=1
done
[[ ${FUZZ_KEEP:-0} == 1 ]] && echo "fuzz: corpora and logs kept in $work"
echo "fuzz: ${#targets[@]} targets, $seconds s each, $((SECONDS - start)) s in all"
exit $failed
