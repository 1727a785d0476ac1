"""report.py — turns the harness's measurements into figures, ratios and goals (the JSON of
bench/results/latest.json) and prints them as a table. bench/README.md documents each figure.

Every figure has a value per engine (newsidx, fts5, xapian), or null with a reason in "na";
a ratio newsidx/baseline per baseline (for times, sizes and memory lower is better for newsidx;
for rates higher is); and the goals of issue 6 that apply to it, each with "met". Query
latency ratios are taken pair by pair over the queries both engines ran and answered alike: a
query one baseline cannot express is out of that pair only, and so is one where newsidx found
fewer hits than the baseline (it read the query otherwise, and may be fast for that reason).
"""

import stats

ENGINES = ("newsidx", "fts5", "xapian")
BASELINES = ("fts5", "xapian")
NAMES = {"newsidx": "newsidx", "fts5": "raw FTS5", "xapian": "Xapian"}
MB = 1e6
MIB = 1024 * 1024

# (figure id, label, unit, better) in table order.
FIGURES = [
    ("build_jsonl_s", "index build, JSON Lines", "s", "lower"),
    ("build_folder_s", "index build, folder of files", "s", "lower"),
    ("articles_per_s_jsonl", "articles/s, JSON Lines", "articles/s", "higher"),
    ("articles_per_s_folder", "articles/s, folder", "articles/s", "higher"),
    ("mb_per_s_jsonl", "MB/s of text, JSON Lines", "MB/s", "higher"),
    ("mb_per_s_folder", "MB/s of text, folder", "MB/s", "higher"),
    ("peak_rss_jsonl_mib", "peak RSS, build from JSON Lines", "MiB", "lower"),
    ("peak_rss_folder_mib", "peak RSS, build from folder", "MiB", "lower"),
    ("db_mb", "database size, built from JSON Lines", "MB", "lower"),
    ("db_folder_mb", "database size, built from the folder", "MB", "lower"),
    ("noop_jsonl_s", "no-op re-run, JSON Lines", "s", "lower"),
    ("noop_folder_s", "no-op re-run, folder", "s", "lower"),
    ("query_p50_ms", "top-10 + snippets, in-process p50", "ms", "lower"),
    ("query_p95_ms", "top-10 + snippets, in-process p95", "ms", "lower"),
    ("sort_date_p50_ms", "newest first, in-process p50", "ms", "lower"),
    ("sort_date_p95_ms", "newest first, in-process p95", "ms", "lower"),
    ("process_p50_ms", "whole process (newsq), p50", "ms", "lower"),
    ("process_p95_ms", "whole process (newsq), p95", "ms", "lower"),
]

# The goals of issue 6: (figure, corpus kind or None for both, what is compared, limit, text).
# "ratio:ENGINE" compares the ratio newsidx/ENGINE, "value" newsidx's own figure; both must
# be at most (or, for "value<", below) the limit.
GOALS = [
    ("build_jsonl_s", None, "ratio:fts5", 1.25, "<= 1.25x raw FTS5"),
    ("build_jsonl_s", None, "ratio:xapian", 0.1, ">= 10x faster than Xapian"),
    ("build_folder_s", None, "ratio:fts5", 1.25, "<= 1.25x raw FTS5"),
    ("build_folder_s", None, "ratio:xapian", 0.1, ">= 10x faster than Xapian"),
    ("peak_rss_jsonl_mib", "scale", "value<", 64, "< 64 MiB"),
    ("peak_rss_folder_mib", "scale", "value<", 64, "< 64 MiB"),
    ("db_mb", None, "ratio:fts5", 1.1, "<= 1.1x raw FTS5"),
    ("db_folder_mb", None, "ratio:fts5", 1.1, "<= 1.1x raw FTS5"),
    ("noop_folder_s", "reuters", "value<", 0.5, "< 0.5 s"),
    ("query_p50_ms", "reuters", "ratio:fts5", 1.0, "<= 1.0x raw FTS5"),
    ("query_p95_ms", "reuters", "ratio:fts5", 1.0, "<= 1.0x raw FTS5"),
    ("query_p50_ms", "scale", "ratio:xapian", 1.0, "<= Xapian"),
    ("query_p95_ms", "scale", "ratio:xapian", 1.0, "<= Xapian"),
    ("sort_date_p50_ms", "scale", "value<", 1.0, "< 1 ms"),
    ("sort_date_p95_ms", "scale", "value<", 1.0, "< 1 ms"),
    ("process_p50_ms", "scale", "value<", 15.0, "< 15 ms"),
]


def timed_medians(report):
    """{query id: median ms} of the queries a latency report timed."""
    return {q["id"]: q["p50_ms"] for q in report.get("queries", [])
            if "error" not in q and "na" not in q}


def unlike_queries(ranked, engine):
    """The queries where newsidx found fewer of the top 10 than `engine`: it answered another
    question there (a syntax it does not read yet), so their times are not comparable."""
    hits = {e: {q["id"]: q.get("hits") for q in ranked.get(e, {}).get("queries", [])}
            for e in ("newsidx", engine)}
    return {q for q, n in hits["newsidx"].items()
            if n is not None and hits[engine].get(q) is not None and n < hits[engine][q]}


def pair_latency(ours, theirs, key, unlike):
    """(newsidx, baseline) overall `key` (p50_ms or p95_ms of the per-query medians) over the
    queries both timed and answered alike, and how many those are."""
    a, b = timed_medians(ours), timed_medians(theirs)
    common = sorted((set(a) & set(b)) - unlike)
    p = 0.5 if key == "p50_ms" else 0.95
    return (stats.quantile([a[q] for q in common], p), stats.quantile([b[q] for q in common], p),
            len(common))


def latency_figure(reports, key, na_reason, unlike):
    """A latency figure from reports {engine: report}; ratios pair by pair, leaving out the
    queries unlike[baseline] (see unlike_queries)."""
    figure = {"values": {}, "na": {}, "ratio": {}, "ratio_basis": {}}
    for engine in ENGINES:
        r = reports.get(engine)
        if r is None:
            figure["na"][engine] = na_reason[engine]
        elif "na" in r:
            figure["na"][engine] = r["na"]
        else:
            figure["values"][engine] = r.get(key)
    ours = reports.get("newsidx")
    for engine in BASELINES:
        theirs = reports.get(engine)
        if ours and theirs and "na" not in ours and "na" not in theirs:
            a, b, n = pair_latency(ours, theirs, key, unlike[engine])
            if a is not None and b:
                figure["ratio"][engine] = a / b
                figure["ratio_basis"][engine] = (
                    f"the {n} queries both ran alike ({len(unlike[engine])} left out where "
                    "newsidx found fewer hits)")
    return figure


def build_figures(corpus, builds, have_xapian):
    """The index build figures: medians over the runs."""
    def med(engine, name):
        values = builds[engine].get(name)
        return stats.median(values) if values else None

    def rate(engine, amount):
        values = builds[engine].get("build_s")
        return stats.median([amount / s for s in values]) if values else None

    n, text = corpus["articles"], corpus["text_bytes"] / MB
    figures = {}
    baseline = {
        "build_s": lambda e: med(e, "build_s"),
        "articles": lambda e: rate(e, n),
        "mb": lambda e: rate(e, text),
        "rss": lambda e: med(e, "peak_rss") and med(e, "peak_rss") / MIB,
    }
    for source in ("jsonl", "folder"):
        ours = "newsidx_" + source
        mine = {"build_s": med(ours, "build_s"), "articles": rate(ours, n),
                "mb": rate(ours, text), "rss": med(ours, "peak_rss") and med(ours, "peak_rss") / MIB}
        for key, figure_id in (("build_s", f"build_{source}_s"),
                               ("articles", f"articles_per_s_{source}"),
                               ("mb", f"mb_per_s_{source}"),
                               ("rss", f"peak_rss_{source}_mib")):
            figures[figure_id] = {"values": {"newsidx": mine[key], "fts5": baseline[key]("fts5"),
                                             "xapian": baseline[key]("xapian")}}
        figures[f"noop_{source}_s"] = {
            "values": {"newsidx": med(ours, "noop_s")},
            "na": {e: "no incremental indexing: a re-run rebuilds the whole index"
                   for e in BASELINES}}
    # the baselines have one build, from the same articles, to compare with both of newsidx's
    for figure_id, ours in (("db_mb", "newsidx_jsonl"), ("db_folder_mb", "newsidx_folder")):
        figures[figure_id] = {"values": {e: med(k, "db_bytes") and med(k, "db_bytes") / MB
                                         for e, k in (("newsidx", ours), ("fts5", "fts5"),
                                                      ("xapian", "xapian"))}}
    for figure in figures.values():
        values = figure["values"]
        figure.setdefault("na", {})
        for engine in ENGINES:
            if values.get(engine) is None and engine not in figure["na"]:
                figure["na"][engine] = ("python3-xapian is not installed" if engine == "xapian"
                                        and not have_xapian else "not measured")
            if engine in figure["na"]:
                values.pop(engine, None)
        figure["ratio"] = {e: values["newsidx"] / values[e] for e in BASELINES
                           if values.get(e) and values.get("newsidx") is not None}
    return figures


def evaluate_goals(figures, corpus_kind):
    for figure_id, kind, compare, limit, text in GOALS:
        if kind and kind != corpus_kind:
            continue
        figure = figures[figure_id]
        if compare.startswith("ratio:"):
            value = figure["ratio"].get(compare.split(":")[1])
            met = None if value is None else value <= limit
        else:
            value = figure["values"].get("newsidx")
            met = None if value is None else value < limit
        figure.setdefault("goals", []).append({"goal": text, "met": met})


def build_report(corpus, builds, ranked, newest, process, queries, have_xapian, context):
    na_reason = {"newsidx": "not measured", "fts5": "not measured",
                 "xapian": "python3-xapian is not installed" if not have_xapian
                 else "not measured"}
    figures = build_figures(corpus, builds, have_xapian)
    unlike = {e: unlike_queries(ranked, e) for e in BASELINES}
    for key in ("p50_ms", "p95_ms"):
        figures["query_" + key] = latency_figure(ranked, key, na_reason, unlike)
        figures["sort_date_" + key] = latency_figure(newest, key, na_reason, unlike)
        figures["process_" + key] = latency_figure(process, key, na_reason, unlike)
    corpus_kind = "reuters" if corpus["name"] == "reuters" else "scale"
    evaluate_goals(figures, corpus_kind)
    ordered = []
    for figure_id, label, unit, better in FIGURES:
        figure = figures[figure_id]
        ordered.append({"id": figure_id, "label": label, "unit": unit, "better": better,
                        "values": figure["values"], "na": figure.get("na", {}),
                        "ratio": figure.get("ratio", {}),
                        "ratio_basis": figure.get("ratio_basis", {}),
                        "goals": figure.get("goals", [])})
    by_type = {}
    for kind in dict.fromkeys(k for _, k, _ in queries):
        ids = {q for q, k, _ in queries if k == kind}
        entry = {"queries": len(ids), "p50_ms": {}, "ratio": {}}
        for engine, r in ranked.items():
            medians = timed_medians({"queries": [q for q in r.get("queries", [])
                                                 if q["id"] in ids]})
            if medians:
                entry["p50_ms"][engine] = stats.median(list(medians.values()))
        for engine in BASELINES:
            if engine in ranked and "newsidx" in ranked:
                a, b, n = pair_latency({"queries": [q for q in ranked["newsidx"]["queries"]
                                                    if q["id"] in ids]},
                                       ranked[engine], "p50_ms", unlike[engine])
                if a is not None and b:
                    entry["ratio"][engine] = a / b
        by_type[kind] = entry
    per_query = []
    for query_id, kind, text in queries:
        entry = {"id": query_id, "type": kind, "query": text}
        for name, reports in (("in_process", ranked), ("newest_first", newest),
                              ("whole_process", process)):
            entry[name] = {}
            for engine, r in reports.items():
                found = [q for q in r.get("queries", []) if q["id"] == query_id]
                if found:
                    entry[name][engine] = {k: v for k, v in found[0].items() if k != "id"}
        per_query.append(entry)
    return dict(context, schema=1, corpus=corpus, figures=ordered, by_type=by_type,
                queries=per_query, builds=builds)


def fmt(value, unit):
    if value is None:
        return "n/a"
    if unit == "articles/s":
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def table(result):
    """The results as a Markdown table (readable on a terminal, pasteable into README.md)."""
    corpus = result["corpus"]
    lines = [f"{corpus['name']}: {corpus['articles']:,} articles, "
             f"{corpus['text_bytes'] / MB:.1f} MB of text; {result['machine']['cores']} cores, "
             f"{result['machine']['memory_bytes'] / 2**30:.0f} GiB, load "
             f"{result['machine']['load_average_1m_at_start']:.1f} at start and "
             f"{result['machine']['load_average_1m']:.1f} at end; {result['date']}; medians of "
             f"{result['runs']} build runs" + (" (QUICK: not a measurement)" if result["quick"]
                                              else ""),
             "",
             "| figure | newsidx | raw FTS5 | Xapian | newsidx/FTS5 | newsidx/Xapian | goal | met? |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    for f in result["figures"]:
        values = [fmt(f["values"].get(e), f["unit"]) for e in ENGINES]
        ratios = [f"{f['ratio'][e]:.2f}x" if e in f["ratio"] else "n/a" for e in BASELINES]
        goals = "; ".join(g["goal"] for g in f["goals"]) or ""
        met = "; ".join({True: "yes", False: "NO", None: "n/a"}[g["met"]] for g in f["goals"])
        lines.append(f"| {f['label']} ({f['unit']}) | " + " | ".join(values + ratios) +
                     f" | {goals} | {met} |")
    lines += ["", "In-process p50 by query type (ms; ratios over the type's queries both ran alike):",
              "", "| type | queries | newsidx | raw FTS5 | Xapian | newsidx/FTS5 | newsidx/Xapian |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, entry in result["by_type"].items():
        values = [fmt(entry["p50_ms"].get(e), "ms") for e in ENGINES]
        ratios = [f"{entry['ratio'][e]:.2f}x" if e in entry["ratio"] else "n/a" for e in BASELINES]
        lines.append(f"| {kind} | {entry['queries']} | " + " | ".join(values + ratios) + " |")
    notes = sorted({f"{NAMES[e]}: {why}" for f in result["figures"] for e, why in f["na"].items()})
    basis = sorted({f"newsidx/{NAMES[e]} latency ratios over {why}" for f in result["figures"]
                    for e, why in f["ratio_basis"].items()})
    lines.append("")
    lines += [f"- n/a: {n}" for n in notes] + [f"- {b}" for b in basis]
    for engine in ENGINES:
        missing = sorted({q["id"] for q in result["queries"]
                          for r in [q["in_process"].get(engine, {})] if "na" in r or "error" in r})
        if missing:
            lines.append(f"- {NAMES[engine]} could not run: {', '.join(missing)}")
    fewer = [q["id"] for q in result["queries"] if fewer_hits(q["in_process"])]
    if fewer:
        lines.append("- newsidx found fewer hits than both baselines (it answers another "
                     f"question there, so compare with care): {', '.join(fewer)}")
    return "\n".join(lines)


def fewer_hits(by_engine):
    """True when newsidx returned fewer of the top 10 than every baseline that ran."""
    ours = by_engine.get("newsidx", {}).get("hits")
    theirs = [by_engine[e]["hits"] for e in BASELINES if by_engine.get(e, {}).get("hits")
              is not None]
    return ours is not None and bool(theirs) and all(ours < n for n in theirs)
