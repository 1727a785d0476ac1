#!/usr/bin/env bash
# profile.sh — where newsidx spends its time: a CPU profile of an index build or of one query,
# on the corpus and index that bench/run.sh left in its cache (run that first).
#
#   bench/profile.sh build [reuters|scale-200000]          newsidx indexing the JSON Lines file
#   bench/profile.sh query 'QUERY' [reuters|scale-200000]  query_bench repeating one query
#
# Builds Release with -g and frame pointers into build-profile/, samples with `perf record -e
# cpu-clock` (a software clock: virtual machines often have no hardware counters), or, where
# perf cannot sample, runs valgrind --tool=callgrind (about 50 times slower). Prints the
# hottest functions (self time) and keeps the raw data in the cache folder. Debian's
# libsqlite3 is stripped: its internal functions show as addresses inside libsqlite3.so unless
# its debug symbols (libsqlite3-0-dbgsym, from Debian's debug archive) are installed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${NEWSIDX_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsidx-bench}
build=$top/build-profile
what=${1:?usage: profile.sh build|query [QUERY] [CORPUS]}
shift
if [[ $what == query ]]; then
  query=${1:?usage: profile.sh query QUERY [CORPUS]}
  shift
fi
corpus=${1:-reuters}
work=$cache/work-$corpus
[[ -d $work ]] || { echo "profile.sh: no $work: run bench/run.sh for that corpus first" >&2; exit 2; }

cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS="-g -fno-omit-frame-pointer" >/dev/null
cmake --build "$build" -j"$(nproc)" --target newsidx query_bench >/dev/null

if [[ $what == build ]]; then
  if [[ $corpus == reuters ]]; then
    input=${NEWSIDX_CORPORA:-$(cd "$top/.." && pwd)/shared/corpora}/reuters21578/reuters21578.jsonl
  else
    input=$cache/${corpus}-seed6/articles.jsonl
  fi
  rm -f "$work/profile.db" "$work/profile.db-wal" "$work/profile.db-shm"
  command=("$build/bin/newsidx" --db "$work/profile.db" --quiet "$input")
  name=build
else
  printf 'q\t%s\n' "$query" >"$work/profile-query.tsv"
  command=("$build/bench/query_bench" --db "$work/newsidx_jsonl.db" --min-reps 200
           --max-reps 2000 --budget-ms 5000 "$work/profile-query.tsv")
  name=query
fi

if perf record -e cpu-clock -o /dev/null true >/dev/null 2>&1; then
  data=$cache/profile-$corpus-$name.perf
  # DWARF unwinding: Debian's libsqlite3 has no frame pointers, so -g alone loses the callers.
  perf record -e cpu-clock -F 500 --call-graph dwarf,16384 -o "$data" -- "${command[@]}" \
    >/dev/null 2>&1
  echo "# perf: self time by library"
  perf report -i "$data" --stdio --no-children --sort dso 2>/dev/null | grep -E '^ +[0-9.]+%'
  echo "# perf: time including callees, by function (addresses: stripped library code)"
  perf report -i "$data" --stdio --children --sort symbol --percent-limit 2.5 -g none \
    2>/dev/null | grep -E '^ +[0-9.]+%' | grep -v '0x0000' | head -45
else
  data=$cache/profile-$corpus-$name.callgrind
  valgrind --tool=callgrind --callgrind-out-file="$data" "${command[@]}" >/dev/null 2>&1
  echo "# callgrind, self cost; details: callgrind_annotate $data"
  callgrind_annotate "$data" 2>/dev/null | head -60
fi
