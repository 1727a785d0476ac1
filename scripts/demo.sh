#!/usr/bin/env bash
# demo.sh — from a fresh clone to search results: installs what is missing, builds a Release
# build, indexes the sample corpus/ into news.db (in the top folder of the checkout) and runs
# three example searches.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
source "$top/scripts/deps.sh"
newsidx_install_packages "${NEWSIDX_PACKAGES[@]}"

cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$top/build" -j"$(nproc)" --target newsidx newsq newsidxfts
bin=$top/build
cd "$top"

echo "== newsidx corpus/"
"$bin/bin/newsidx" --db news.db corpus/

for query in 'strike' '"interest rates"' 'São Paulo'; do
  echo
  echo "== newsq $query"
  "$bin/bin/newsq" --db news.db --limit 3 "$query" || true
done
echo
echo "The index is news.db; search it with: build/bin/newsq --db news.db WORDS..."
