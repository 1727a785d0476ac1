#!/usr/bin/env bash
# run.sh — the benchmark: builds newsidx in Release, then measures it and its baselines (raw
# SQLite FTS5 through the sqlite3 shell, Xapian through python3-xapian) on the same corpus in
# one run, prints a table and writes bench/results/latest.json. See bench/README.md.
#
#   bench/run.sh                          # Reuters-21578 from ../shared/corpora, 3 build runs
#   bench/run.sh --corpus scale           # 200,000 generated articles (cached, ~200 MB)
#   bench/run.sh --corpus scale --articles 1000000
#   bench/run.sh --quick                  # 1 run, few repetitions: checks the harness only
#
# Options: --corpus reuters|scale, --articles N, --quick, --runs N, --out FILE, --no-xapian.
# The generated corpus and the scratch databases go to $NEWSIDX_BENCH_CACHE, else
# $XDG_CACHE_HOME/newsidx-bench (~/.cache/newsidx-bench); nothing generated enters the tree.
# Exit status: 0 when every measurement ran (missed goals included), 77 when the shared
# corpora are absent, 2 on errors.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/scripts/deps.sh"

# The baselines and the measuring tools, installed when missing.
BENCH_PACKAGES=(sqlite3 python3 python3-xapian time)
newsidx_install_packages "${NEWSIDX_PACKAGES[@]}" || exit 2
no_xapian=()
if ! newsidx_install_packages "${BENCH_PACKAGES[@]}"; then
  # Everything but Xapian is needed; without python3-xapian the Xapian column is n/a.
  newsidx_install_packages sqlite3 python3 time || exit 2
  echo "bench: python3-xapian could not be installed; the Xapian baseline is left out" >&2
  no_xapian=(--no-xapian)
fi

corpora=${NEWSIDX_CORPORA:-$(cd "$top/.." && pwd)/shared/corpora}
if [[ ! -f $corpora/reuters21578/reuters21578.jsonl ]]; then
  echo "bench: needs the Reuters-21578 corpus at $corpora/reuters21578 (set NEWSIDX_CORPORA)" >&2
  exit 77
fi
export NEWSIDX_CORPORA=$corpora

cache=${NEWSIDX_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsidx-bench}
build=${NEWSIDX_BENCH_BUILD:-$top/build-bench}
mkdir -p "$cache"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target newsidx newsq query_bench >/dev/null

exec /usr/bin/python3 "$top/bench/harness.py" --build-dir "$build" --cache "$cache" \
  "${no_xapian[@]}" "$@"
