#!/usr/bin/python3
"""harness.py — measures newsidx and its baselines on the same data in one run (bench/run.sh
builds the tools and calls this; bench/README.md explains every figure).

Steps: get the corpus (Reuters-21578, or a generated scale corpus, cached outside the tree);
prepare the baselines' inputs outside any timing; build each index `runs` times under
/usr/bin/time -v (newsidx from the JSON Lines file and from the folder, each followed by a
no-op re-run; raw FTS5; Xapian); time the query set in-process (query_bench for newsidx and raw
FTS5, the Xapian script for Xapian) and as whole processes; then report (report.py).
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baseline_fts5  # noqa: E402
import querylang  # noqa: E402
import report  # noqa: E402
import stats  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3"  # Debian's, the one with python3-xapian
XAPIAN = os.path.join(HERE, "baseline_xapian.py")
DEFAULT_OUT = os.path.join(HERE, "results", "latest.json")


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def corpora_dir():
    return os.environ.get("NEWSIDX_CORPORA") or os.path.join(os.path.dirname(TOP), "shared",
                                                               "corpora")


def file_sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def scale_corpus(cache, n_articles, seed):
    """The generated corpus of n_articles, made once and kept in `cache`; regenerated when the
    generator, its input or the options change (a stamp file records them)."""
    folder = os.path.join(cache, f"scale-{n_articles}-seed{seed}")
    source = os.path.join(corpora_dir(), "reuters21578", "reuters21578.jsonl")
    generator = os.path.join(TOP, "corpus", "generate.py")
    stamp = json.dumps({"generator": file_sha256(generator), "input": source,
                        "input_size": os.path.getsize(source), "articles": n_articles,
                        "seed": seed})
    jsonl, txt = os.path.join(folder, "articles.jsonl"), os.path.join(folder, "txt")
    stamp_path = os.path.join(folder, "stamp.json")
    if os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
        return jsonl, txt
    log(f"generating {n_articles:,} articles into {folder}")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    subprocess.run([PYTHON, generator, "--input", source, "--articles", str(n_articles),
                    "--seed", str(seed), "--folder", txt, jsonl], check=True)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return jsonl, txt


def timed(command, stdout=subprocess.DEVNULL, ok=(0,)):
    """Runs `command` under /usr/bin/time -v; returns (wall seconds, peak RSS in bytes).
    Wall time is taken here with the monotonic clock (time's own is rounded to 10 ms)."""
    report_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bench-time-{os.getpid()}")
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", "-o", report_path] + command,
                            stdout=stdout, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    with open(report_path) as f:
        usage = f.read()
    os.unlink(report_path)
    if result.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(command)} exited {result.returncode}:\n"
                         f"{result.stderr[-2000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", usage).group(1))
    return seconds, rss_kb * 1024


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.isdir(path + suffix):
            shutil.rmtree(path + suffix)
        elif os.path.exists(path + suffix):
            os.unlink(path + suffix)


def db_bytes(path):
    """Bytes on disk of a database: the file and its WAL, or every file of a folder."""
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
    return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))


def warm_page_cache(paths):
    """Reads every input file once, untimed, so that no build pays for cold reads that the
    others do not. Called before every build, not once: on this project's virtual machines
    the page cache does not keep a 200,000-file folder through a two-minute Xapian build
    (newsidx from the folder: 11.9 s in the first run, 13.7 and 14.3 s after Xapian's)."""
    for path in paths:
        files = [path] if os.path.isfile(path) else (
            os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs)
        for name in files:
            with open(name, "rb") as f:
                while f.read(1 << 20):
                    pass


def build_runs(args, tools, corpus, work, have_xapian):
    """Builds every index args.runs times; returns {engine: {figure: [one value per run]}}
    and leaves the last databases in `work` for the query measurements."""
    builds = {"newsidx_jsonl": {}, "newsidx_folder": {}, "fts5": {}, "xapian": {}}
    def record(engine, figure, value):
        builds[engine].setdefault(figure, []).append(value)

    for run in range(1, args.runs + 1):
        for engine, source in (("newsidx_jsonl", corpus["jsonl"]),
                               ("newsidx_folder", corpus["folder"])):
            db = os.path.join(work, f"{engine}.db")
            remove_db(db)
            command = [tools["newsidx"], "--db", db, "--quiet", source]
            log(f"run {run}/{args.runs}: newsidx from {engine.split('_')[1]}")
            warm_page_cache([source])
            seconds, rss = timed(command, ok=(0, 1))
            record(engine, "build_s", seconds)
            record(engine, "peak_rss", rss)
            record(engine, "db_bytes", db_bytes(db))
            seconds, rss = timed(command, ok=(0, 1))
            record(engine, "noop_s", seconds)
        log(f"run {run}/{args.runs}: raw FTS5 (sqlite3 .import)")
        db = os.path.join(work, "fts5.db")
        remove_db(db)
        warm_page_cache([corpus["fts5_prep"]])
        seconds, rss = timed(baseline_fts5.build_command(db, corpus["fts5_prep"]))
        record("fts5", "build_s", seconds)
        record("fts5", "peak_rss", rss)
        record("fts5", "db_bytes", db_bytes(db))
        if have_xapian:
            log(f"run {run}/{args.runs}: Xapian (index, compact)")
            db = os.path.join(work, "xapian.db")
            remove_db(db)
            warm_page_cache([corpus["jsonl"]])
            seconds, rss = timed([PYTHON, XAPIAN, "build", corpus["jsonl"], db])
            record("xapian", "build_s", seconds)
            record("xapian", "peak_rss", rss)
            record("xapian", "db_bytes", db_bytes(db))
    return builds


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for query_id, text in rows:
            f.write(f"{query_id}\t{text}\n")
    return path


def in_process(args, tools, work, queries, prep, have_xapian, mode):
    """In-process latency reports {engine: report} for mode "ranked" or "newest"."""
    reps = ["--warmup", str(args.warmup), "--min-reps", str(args.min_reps), "--max-reps",
            str(args.max_reps), "--budget-ms", str(args.budget_ms)]
    reports = {}
    tsv = write_tsv(os.path.join(work, "queries-newsidx.tsv"), [(q, text) for q, _, text in queries])
    log(f"in-process queries ({mode}): newsidx")
    sort = ["--sort", "relevance" if mode == "ranked" else "date"]
    reports["newsidx"] = json.loads(subprocess.run(
        [tools["query_bench"], "--db", os.path.join(work, "newsidx_jsonl.db")] + sort + reps +
        [tsv], check=True, capture_output=True, text=True).stdout)
    rows = [(q, prep["queries"][q][mode]) for q, _, _ in queries if "na" not in prep["queries"][q]]
    tsv = write_tsv(os.path.join(work, f"queries-fts5-{mode}.tsv"), rows)
    log(f"in-process queries ({mode}): raw FTS5")
    reports["fts5"] = json.loads(subprocess.run(
        [tools["query_bench"], "--raw-fts5", os.path.join(work, "fts5.db")] + reps + [tsv],
        check=True, capture_output=True, text=True).stdout)
    reports["fts5"]["queries"] += [{"id": q, "na": prep["queries"][q]["na"]}
                                   for q, _, _ in queries if "na" in prep["queries"][q]]
    if have_xapian:
        log(f"in-process queries ({mode}): Xapian")
        reports["xapian"] = json.loads(subprocess.run(
            [PYTHON, XAPIAN, "bench", os.path.join(work, "xapian.db"), args.queries, mode] + reps,
            check=True, capture_output=True, text=True).stdout)
    return reports


def whole_process(args, tools, work, queries, prep, have_xapian):
    """Whole-process latency: each query's command run args.process_reps times (after one
    untimed run), its median kept; reports shaped like the in-process ones."""
    commands = {
        "newsidx": lambda q, text: [tools["newsq"], "--db",
                                    os.path.join(work, "newsidx_jsonl.db"), text],
        "fts5": lambda q, text: (None if "na" in prep["queries"][q] else
                                 baseline_fts5.cli_command(os.path.join(work, "fts5.db"),
                                                           prep["queries"][q]["ranked"])),
    }
    if have_xapian:
        commands["xapian"] = lambda q, text: [PYTHON, XAPIAN, "search",
                                              os.path.join(work, "xapian.db"), text]
    reports = {}
    for engine, make in commands.items():
        log(f"whole-process queries: {engine}")
        records = []
        for query_id, _, text in queries:
            command = make(query_id, text)
            if command is None:
                records.append({"id": query_id, "na": prep["queries"][query_id]["na"]})
                continue

            def run():
                return subprocess.run(command, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
            samples, result = stats.time_repeatedly(run, args.process_warmup,
                                                    args.process_reps, args.process_reps, 0,
                                                    time.perf_counter)
            if result.returncode not in (0, 1):
                records.append({"id": query_id, "error": result.stderr.strip()[-300:]})
            else:
                records.append(stats.query_record(query_id, samples, None))
        reports[engine] = stats.latency_report(engine, records)
    return reports


def machine():
    with open("/proc/meminfo") as f:
        memory_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    cpu = ""
    with open("/proc/cpuinfo") as f:
        found = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = found.group(1).strip() if found else platform.processor()
    return {"cores": os.cpu_count(), "memory_bytes": memory_kb * 1024, "cpu": cpu,
            "kernel": platform.release(), "load_average_1m": os.getloadavg()[0]}


def versions(have_xapian):
    git = subprocess.run(["git", "-C", TOP, "describe", "--always", "--dirty"],
                         capture_output=True, text=True).stdout.strip()
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True,
                            text=True).stdout.split()[:1]
    xapian = None
    if have_xapian:
        xapian = subprocess.run([PYTHON, "-c", "import xapian; print(xapian.version_string())"],
                                capture_output=True, text=True).stdout.strip()
    return {"newsidx": git or None, "sqlite3": sqlite[0] if sqlite else None, "xapian": xapian}


def build_type(build_dir):
    """The CMAKE_BUILD_TYPE the tools were built with, as CMake recorded it; None if unknown."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return None


def parse_args(argv):
    parser = argparse.ArgumentParser(description="newsidx benchmark harness (see bench/run.sh)")
    parser.add_argument("--corpus", choices=("reuters", "scale"), default="reuters")
    parser.add_argument("--articles", type=int, default=None,
                        help="scale corpus size (default 200,000; 2,000 with --quick)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--quick", action="store_true",
                        help="1 run, few repetitions: checks the harness, measures little")
    parser.add_argument("--runs", type=int, default=None, help="index builds (default 3)")
    parser.add_argument("--build-dir", required=True, help="where newsidx, newsq, query_bench are")
    parser.add_argument("--cache", required=True, help="generated corpora and scratch databases")
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--queries", default=os.path.join(HERE, "queries.txt"))
    parser.add_argument("--no-xapian", action="store_true", help="skip the Xapian baseline")
    args = parser.parse_args(argv)
    quick = args.quick
    args.runs = args.runs or (1 if quick else 3)
    args.articles = args.articles or (2000 if quick else 200000)
    args.warmup, args.min_reps, args.max_reps = (1, 3, 3) if quick else (3, 10, 1000)
    args.budget_ms = 0 if quick else 500
    args.process_warmup, args.process_reps = (0, 1) if quick else (1, 10)
    return args


def main(argv=None):
    args = parse_args(argv)
    tools = {"newsidx": os.path.join(args.build_dir, "bin", "newsidx"),
             "newsq": os.path.join(args.build_dir, "bin", "newsq"),
             "query_bench": os.path.join(args.build_dir, "bench", "query_bench")}
    have_xapian = not args.no_xapian and subprocess.run(
        [PYTHON, "-c", "import xapian"], capture_output=True).returncode == 0
    if args.corpus == "reuters":
        base = os.path.join(corpora_dir(), "reuters21578")
        corpus = {"name": "reuters", "jsonl": os.path.join(base, "reuters21578.jsonl"),
                  "folder": os.path.join(base, "txt")}
    else:
        jsonl, folder = scale_corpus(args.cache, args.articles, args.seed)
        corpus = {"name": f"scale-{args.articles}", "jsonl": jsonl, "folder": folder}
    work = os.path.join(args.cache, "work-" + corpus["name"])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "fts5-prep"))
    corpus["fts5_prep"] = os.path.join(work, "fts5-prep")

    load_before = os.getloadavg()[0]  # other work on the machine skews every figure
    queries = querylang.load_queries(args.queries)
    log(f"preparing the raw FTS5 input (untimed) from {corpus['jsonl']}")
    prep = baseline_fts5.prepare(corpus["jsonl"], queries, corpus["fts5_prep"])
    corpus["articles"], corpus["text_bytes"] = prep["articles"], prep["text_bytes"]

    builds = build_runs(args, tools, corpus, work, have_xapian)
    ranked = in_process(args, tools, work, queries, prep, have_xapian, "ranked")
    newest = in_process(args, tools, work, queries, prep, have_xapian, "newest")
    process = whole_process(args, tools, work, queries, prep, have_xapian)

    result = report.build_report(
        corpus={k: corpus[k] for k in ("name", "jsonl", "folder", "articles", "text_bytes")},
        builds=builds, ranked=ranked, newest=newest, process=process,
        queries=queries, have_xapian=have_xapian,
        context={"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                 "machine": dict(machine(), load_average_1m_at_start=load_before),
                 "versions": versions(have_xapian), "quick": args.quick,
                 "runs": args.runs, "build_type": build_type(args.build_dir),
                 "repetitions": {"warmup": args.warmup, "min_reps": args.min_reps,
                                 "max_reps": args.max_reps, "budget_ms": args.budget_ms,
                                 "process_reps": args.process_reps}})
    outputs = [args.out]
    if args.out == DEFAULT_OUT:  # keep each corpus's latest beside the overall latest
        outputs.append(os.path.join(os.path.dirname(DEFAULT_OUT), corpus["name"] + ".json"))
    for path in outputs:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    print(report.table(result))
    log(f"wrote {' and '.join(outputs)}")


if __name__ == "__main__":
    main()
