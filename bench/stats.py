"""stats.py — the few statistics the benchmark reports, defined once (bench/README.md)."""


def quantile(values, p):
    """The p-quantile (0..1) of `values`, interpolating linearly between ranks (as numpy's
    default and query_bench.c do); None for no values."""
    values = sorted(values)
    if not values:
        return None
    position = p * (len(values) - 1)
    below = int(position)
    if below + 1 >= len(values):
        return values[-1]
    return values[below] + (position - below) * (values[below + 1] - values[below])


def median(values):
    return quantile(values, 0.5)


def time_repeatedly(run, warmup, min_reps, max_reps, budget_ms, clock):
    """Calls run() `warmup` times, then times it until it has min_reps samples and either
    max_reps samples or budget_ms of timed work, as query_bench.c does. Returns
    (samples in ms, the last return value of run())."""
    result = None
    for _ in range(warmup):
        result = run()
    samples, timed = [], 0.0
    while len(samples) < max_reps and (len(samples) < min_reps or timed < budget_ms):
        started = clock()
        result = run()
        samples.append((clock() - started) * 1000)
        timed += samples[-1]
    return samples, result


def query_record(query_id, samples, hits):
    """One query's entry in a latency report, the same shape as query_bench.c's."""
    return {"id": query_id, "hits": hits, "reps": len(samples), "p50_ms": median(samples),
            "p95_ms": quantile(samples, 0.95), "min_ms": min(samples)}


def latency_report(engine, records):
    """The overall report: p50/p95 over the per-query medians of the queries that ran."""
    medians = [r["p50_ms"] for r in records if "error" not in r and "na" not in r]
    return {"engine": engine, "queries": records, "n_timed": len(medians),
            "p50_ms": median(medians), "p95_ms": quantile(medians, 0.95)}
