# alerts_killed.sh — a consumer killed while it writes (`newsq alerts --json >> alerts.jsonl`,
# then kill or kill -9) leaves only whole JSON lines in the file it appends to: each alert is
# written in one write(2), never cut where stdio's 4 KiB buffer would have cut it. SIGTERM
# stops newsq between two alerts, as Ctrl-C does. SIGKILL cannot be caught: the kernel checks
# for it between the pages of a write to a file, so a line that crosses a 4 KiB page of the
# file may then be cut, at that page's end and nowhere else. Killed runs
# acknowledge nothing, so the run that completes reports every alert once more, and the file
# holds nothing but valid lines.
source "$(dirname "$0")/lib.sh"

DB=$WORK/news.db
FEED=$WORK/feed.jsonl
ALERTS=$WORK/alerts.jsonl

# 1,500 articles about wheat, long enough that an alert's line (with its snippet) is some
# hundreds of bytes and a run writes about a megabyte.
py '
import json, sys
out = open(sys.argv[1], "w")
words = "harvest grain export price farmers storage rain yield market traders".split()
for i in range(1500):
    body = " ".join(words[(i + k) % len(words)] for k in range(60)) + " wheat %d." % i
    out.write(json.dumps({"id": "w%d" % i, "date": "2026-03-%02d" % (1 + i % 28),
                          "title": "Wheat report %d" % i, "body": body, "source": "Farm Wire"})
              + "\n")
' "$FEED"
expect_exit 0 newsidx --db "$DB" "$FEED"
expect_exit 0 newsq --db "$DB" rule add wheat wheat --backfill

# Kill runs at random moments once their output has begun; after each kill the file ends with
# a whole line. Another connection holds the write lock meanwhile, so that a run that wrote
# everything before its signal came waits to acknowledge (as behind an indexer's batch) and
# is killed there: no killed run moves a mark, however fast the build.
hold_lock "$DB"
py '
import os, random, signal, subprocess, sys, time
newsq, db, path = sys.argv[1:4]
random.seed(14)
open(path, "wb").close()
mid_output = cut = 0
page = os.sysconf("SC_PAGE_SIZE")
for attempt in range(20):
    kill = signal.SIGTERM if attempt % 2 == 0 else signal.SIGKILL
    start = os.path.getsize(path)
    with open(path, "ab") as out:
        run = subprocess.Popen([newsq, "--db", db, "alerts", "--json"], stdout=out,
                               stderr=subprocess.DEVNULL)
    while os.path.getsize(path) == start and run.poll() is None:
        time.sleep(0.0005)
    time.sleep(random.uniform(0, 0.05))
    run.send_signal(kill)
    run.wait()
    with open(path, "rb") as f:
        data = f.read()
    stopped = run.returncode == (130 if kill == signal.SIGTERM else -signal.SIGKILL)
    if stopped and len(data) > start:
        mid_output += 1
    if data and not data.endswith(b"\n"):
        assert kill == signal.SIGKILL and len(data) % page == 0, \
            "killed run %d (signal %d) left part of a line: ...%r" % (attempt, kill, data[-80:])
        os.truncate(path, data.rfind(b"\n") + 1)  # as a reader would drop the cut line
        cut += 1
# a test that never killed a run while it wrote would prove nothing
assert mid_output >= 10, "only %d of 20 kills came while the output was written" % mid_output
print("killed mid-output:", mid_output, "cut at a page end by SIGKILL:", cut)
' "$NEWSQ_BIN/newsq" "$DB" "$ALERTS" || fail "killed runs"
release_lock ROLLBACK

# The last run completes: every alert once more (the killed runs moved no mark), and every line
# of the file is a JSON object of the rule.
BEFORE=$(wc -l <"$ALERTS")
newsq --db "$DB" alerts --json >>"$ALERTS" || fail "the completed run"
py '
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
assert lines[-1] == b"", "the file does not end with a line end"
alerts = [json.loads(line) for line in lines[:-1]]
assert all(a["rule"] == "wheat" for a in alerts), "an alert of another rule"
last = alerts[int(sys.argv[2]):]
assert sorted(a["key"] for a in last) == sorted("w%d" % i for i in range(1500)), \
    "the completed run did not report every article once"
' "$ALERTS" "$BEFORE" || fail "the file of alerts"
expect_exit 1 newsq --db "$DB" alerts --json
echo "ok"
