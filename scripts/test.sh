#!/usr/bin/env bash
# test.sh — the one test command (README, CI): installs what is missing, builds with
# AddressSanitizer and UndefinedBehaviorSanitizer and warnings as errors, and runs the whole
# ctest suite, then a smoke run of the fuzzers (scripts/fuzz.sh, a few seconds each). Exits
# non-zero on any failure.
#
#   scripts/test.sh                 # everything (tests needing ../shared/corpora skip without it)
#   scripts/test.sh -R e2e          # extra arguments go to ctest
#   FUZZ=1 scripts/test.sh          # fuzz 60 s per target instead of the smoke run
#   FUZZ=0 scripts/test.sh          # no fuzzing (ctest still replays the fuzz corpora)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/scripts/deps.sh"
newsidx_install_packages "${NEWSIDX_PACKAGES[@]}" "${NEWSIDX_FUZZ_PACKAGES[@]}"

build=$top/build-test
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DNEWSIDX_SANITIZE=ON -DNEWSIDX_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd "$build" && ctest --output-on-failure -j"$(nproc)" "$@")

case ${FUZZ:-smoke} in
0) ;;
1) "$top/scripts/fuzz.sh" "${FUZZ_SECONDS:-60}" ;;
*) "$top/scripts/fuzz.sh" 5 ;;
esac
