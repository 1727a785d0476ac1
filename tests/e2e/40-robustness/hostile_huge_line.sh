# hostile_huge_line.sh — a JSON Lines file of one 200 MB line: one absurd but well-formed record.
# newsidx has no record size limit (jansson parses it, SQLite stores up to 1 GB a value), so the
# record is indexed like any other; what this checks is that memory stays bounded (under
# 1.5 GB peak, sanitizers included) and that the article is then found.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
BIG=$WORK/big.jsonl

# 200 MB of text made of 5,000 made-up words, then one word found nowhere else.
py '
import random, sys
rng = random.Random(7)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
         for _ in range(5000)]
chunk = " ".join(rng.choice(words) for _ in range(100000)) + " "
with open(sys.argv[1], "w") as f:
    f.write("{\"id\": \"big\", \"title\": \"One Very Long Record\", \"body\": \"")
    for _ in range(200 * 2**20 // len(chunk) + 1):
        f.write(chunk)
    f.write("zqxjendword\"}\n")
' "$BIG"
[[ $(stat -c %s "$BIG") -gt $((200 * 2**20)) ]] || fail "the file is not 200 MB"

# peak_mb COMMAND...: runs COMMAND (output in $WORK/.out, $WORK/.err), sets RC and PEAK_MB,
# the largest resident size of the process in MB.
peak_mb() {
  local report
  report=$(py '
import resource, subprocess, sys
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    rc = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
' "$WORK/.out" "$WORK/.err" "$@")
  read -r RC PEAK_MB <<<"$report"
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}

peak_mb newsidx --db "$DB" "$BIG"
[[ $RC == 0 ]] || fail "newsidx exit $RC: $ERR"
assert_contains "$OUT" "1 added" "summary"
assert_eq "$ERR" "" "stderr"
echo "newsidx peak memory: $PEAK_MB MB for a 200 MB line"
((PEAK_MB < 1536)) || fail "newsidx used $PEAK_MB MB for a 200 MB line (limit 1,536 MB)"

peak_mb newsq --db "$DB" --json zqxjendword
[[ $RC == 0 ]] || fail "newsq exit $RC: $ERR"
echo "newsq peak memory: $PEAK_MB MB"
py 'import json, sys; h = json.loads(sys.stdin.read()); assert h["key"] == "big", h["key"]' \
  <<<"$OUT" || fail "the big record was not found"
echo "ok"
