#!/usr/bin/env bash
# test.sh — the one test command (README, CI): installs what is missing, builds with
# AddressSanitizer and UndefinedBehaviorSanitizer and warnings as errors, and runs the whole
# ctest suite. Exits non-zero on any failure.
#
#   scripts/test.sh                 # everything (tests needing ../shared/corpora skip without it)
#   scripts/test.sh -R e2e          # extra arguments go to ctest
#   FUZZ=1 scripts/test.sh          # also the long fuzzing runs (when they exist)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/scripts/deps.sh"
newsidx_install_packages "${NEWSIDX_PACKAGES[@]}"

build=$top/build-test
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DNEWSIDX_SANITIZE=ON -DNEWSIDX_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
