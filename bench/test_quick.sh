#!/usr/bin/env bash
# test_quick.sh — ctest bench.quick: runs the whole harness (bench/run.sh --quick: Release
# build, corpus generation, every baseline, every measurement) on 2,000 generated articles and
# checks that the JSON it writes has every figure, each a number or n/a with a reason, that
# newsidx measured every one of them and ran every query of the committed set, which holds
# every kind of query, and that it was built Release (three builds by default, one here). No
# timing is asserted. Skips (77) without the shared corpora.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/newsidx-bench-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NEWSIDX_BENCH_CACHE=$work/cache NEWSIDX_BENCH_BUILD=$work/build
rc=0
"$top/bench/run.sh" --quick --corpus scale --articles 2000 --out "$work/latest.json" \
  >"$work/table.md" 2>"$work/log" || rc=$?
if [[ $rc == 77 ]]; then cat "$work/log"; exit 77; fi
[[ $rc == 0 ]] || { cat "$work/log"; echo "FAIL: bench/run.sh exited $rc" >&2; exit 1; }
grep -q '^| index build, JSON Lines (s) |' "$work/table.md" || {
  cat "$work/table.md"; echo "FAIL: no table on standard output" >&2; exit 1; }

/usr/bin/python3 - "$work/latest.json" "$top/bench/queries.txt" "$top/bench" <<'PY'
import json, math, sys
result = json.load(open(sys.argv[1]))
n_queries = sum(1 for line in open(sys.argv[2])
                if line.strip() and not line.startswith(("#", "[")))
expected = ["build_jsonl_s", "build_folder_s", "articles_per_s_jsonl", "articles_per_s_folder",
            "mb_per_s_jsonl", "mb_per_s_folder", "peak_rss_jsonl_mib", "peak_rss_folder_mib",
            "db_mb", "db_folder_mb", "noop_jsonl_s", "noop_folder_s", "query_p50_ms", "query_p95_ms",
            "sort_date_p50_ms", "sort_date_p95_ms", "process_p50_ms", "process_p95_ms"]
figures = {f["id"]: f for f in result["figures"]}
assert sorted(figures) == sorted(expected), sorted(set(expected) ^ set(figures))
xapian = result["versions"]["xapian"] is not None

def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

for fid, f in figures.items():
    for engine in ("newsidx", "fts5", "xapian"):
        if engine in f["values"]:
            assert number(f["values"][engine]) and f["values"][engine] >= 0, (fid, engine, f)
        else:
            assert f["na"].get(engine), f"{fid}: {engine} neither measured nor n/a with a reason"
    for engine, ratio in f["ratio"].items():
        assert number(ratio) and ratio > 0, (fid, engine, ratio)
    for goal in f["goals"]:
        assert goal["goal"] and goal["met"] in (True, False, None), (fid, goal)

# newsidx measures every figure; the baselines all but those they cannot (re-runs, folders).
for fid in expected:
    assert number(figures[fid]["values"].get("newsidx")), (fid, "newsidx")
always = ["build_jsonl_s", "articles_per_s_jsonl", "mb_per_s_jsonl", "peak_rss_jsonl_mib",
          "db_mb", "db_folder_mb", "query_p50_ms", "query_p95_ms", "process_p50_ms",
          "process_p95_ms"]
for fid in always:
    for engine in ["newsidx", "fts5"] + (["xapian"] if xapian else []):
        assert number(figures[fid]["values"].get(engine)), (fid, engine)
    for engine in ["fts5"] + (["xapian"] if xapian else []):
        assert number(figures[fid]["ratio"].get(engine)), (fid, engine, "ratio")
for fid in ["sort_date_p50_ms", "sort_date_p95_ms"]:
    assert number(figures[fid]["values"].get("fts5")), fid

assert result["corpus"]["name"] == "scale-2000" and result["corpus"]["articles"] == 2000
# run.sh builds Release (as CMake recorded it); --quick builds once, the default three times.
assert result["build_type"] == "Release", result["build_type"]
assert result["quick"] is True and result["runs"] == 1, (result["quick"], result["runs"])
sys.path.insert(0, sys.argv[3])
import harness
assert harness.parse_args(["--build-dir", "b", "--cache", "c"]).runs == 3
assert result["corpus"]["text_bytes"] > 1e6
assert result["machine"]["cores"] >= 1 and result["machine"]["memory_bytes"] > 0
assert len(result["queries"]) == n_queries >= 40
# The committed set has every kind of query the issue lists, and newsidx runs each one.
kinds = {"term", "and", "or", "phrase", "near", "prefix", "field", "date", "not"}
assert {q["type"] for q in result["queries"]} == kinds, {q["type"] for q in result["queries"]}
for q in result["queries"]:
    run = q["in_process"]["newsidx"]
    assert "error" not in run and number(run["p50_ms"]) and run["reps"] >= 1, q
    assert "fts5" in q["in_process"] and "newsidx" in q["whole_process"], q
print(f"ok: {len(figures)} figures, {len(result['queries'])} queries, xapian={xapian}")
PY
