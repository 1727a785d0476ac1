#!/usr/bin/env bash
# fetch.sh — what fetching adds to indexing, with the network taken out: N feeds of M items
# (generated), served on 127.0.0.1 by tests/e2e/http_server.py, indexed once from disk and
# once by URL (--feeds, --delay 0) into fresh indexes, then fetched again unchanged (every
# URL a 304). Prints the three times, the ratio of the first fetch to the disk build (goal:
# at most 1.5x) and the cost of a 304 round per feed (goal: under 5 ms), which includes the
# Python server's own time per request.
#
#   bench/fetch.sh [--feeds N] [--items M] [--bin DIR]
#
# DIR holds the newsidx to measure (default: build-rel/bin, else build/bin). Scratch files go
# to a temporary folder, removed at the end. Exit status 0, or 2 on errors.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n_feeds=1000 n_items=50 bin=
while (($#)); do
  case $1 in
  --feeds) n_feeds=$2; shift 2 ;;
  --items) n_items=$2; shift 2 ;;
  --bin) bin=$2; shift 2 ;;
  *) echo "usage: bench/fetch.sh [--feeds N] [--items M] [--bin DIR]" >&2; exit 2 ;;
  esac
done
[[ -n $bin ]] || for b in "$top/build-rel/bin" "$top/build/bin"; do [[ -x $b/newsidx ]] && bin=$b && break; done
[[ -x ${bin:-}/newsidx ]] || { echo "bench/fetch.sh: no newsidx found (--bin DIR)" >&2; exit 2; }
work=$(mktemp -d /tmp/newsidx-bench-fetch-XXXXXX)
server=
trap '[[ -n $server ]] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

# The feeds: RSS 2.0, items of a few paragraphs of words drawn from the project's corpus.
/usr/bin/python3 - "$top/corpus/articles" "$work/www" "$n_feeds" "$n_items" <<'PY'
import glob, os, random, sys
from xml.sax.saxutils import escape
src, out, n_feeds, n_items = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
words = " ".join(open(f, encoding="utf-8").read() for f in sorted(glob.glob(src + "/*.txt"))).split()
rng = random.Random(17)
os.makedirs(out)
for f in range(n_feeds):
    items = []
    for i in range(n_items):
        title = " ".join(rng.choice(words) for _ in range(8))
        body = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) for _ in range(4))
        items.append("<item><title>%s</title><guid>f%d-i%d</guid><pubDate>Mon, 01 Dec 2025 "
                     "10:00:00 GMT</pubDate><description>%s</description></item>"
                     % (escape(title), f, i, escape(body)))
    with open("%s/feed%04d.rss" % (out, f), "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                 "<title>Feed %d</title>%s</channel></rss>\n" % (f, "".join(items)))
PY

/usr/bin/python3 "$top/tests/e2e/http_server.py" --root "$work/www" --log "$work/requests.jsonl" \
  --port-file "$work/port" &
server=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")
for f in "$work"/www/*.rss; do echo "$base/$(basename "$f")"; done >"$work/feeds.txt"

# seconds COMMAND...: runs it (its output dropped), prints the wall-clock seconds it took.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  /usr/bin/python3 -c 'import sys; print("%.3f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$start" "$end"
}
disk=$(seconds "$bin/newsidx" --db "$work/disk.db" --quiet "$work/www")
web=$(seconds "$bin/newsidx" --db "$work/web.db" --quiet --delay 0 --feeds "$work/feeds.txt")
again=$(seconds "$bin/newsidx" --db "$work/web.db" --quiet --delay 0 --feeds "$work/feeds.txt")
n304=$(grep -c '"status": 304' "$work/requests.jsonl" || true)
[[ $n304 == "$n_feeds" ]] || { echo "bench/fetch.sh: $n304 of $n_feeds answered 304" >&2; exit 2; }
/usr/bin/python3 - "$n_feeds" "$n_items" "$disk" "$web" "$again" <<'PY'
import sys
n, m, disk, web, again = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
print("%d feeds of %d items (%d articles)" % (n, m, n * m))
print("  from disk:           %7.2f s" % disk)
print("  by URL (first run):  %7.2f s   %.2fx the disk build (goal: at most 1.5x)" % (web, web / disk))
print("  by URL, all 304:     %7.2f s   %.2f ms a feed (goal: under 5 ms)" % (again, again * 1000 / n))
PY
