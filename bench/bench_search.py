"""Search benchmark: demo build time, search latency at 10,000 and 1,000,000 customers, a plain LIKE scan on
the same queries, growth, peak memory, and a check that every result really matches its query.

    python bench/bench_search.py [--dir /tmp/kb-bench] [--reuse] [--small 10000] [--large 1000000] [--repeat 5]

Run on demand (not part of pytest). Databases are made with `python app.py demo --customers N` in --dir;
delete them afterwards (the 1,000,000-customer file is about 450 MB).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, build_database, describe, median, percentile, print_table, query_set  # noqa: E402

LIMIT = 50


def like_baseline(text: str) -> tuple[list[int], float]:
    """The same ranked answer from a plain LIKE '%...%' scan (ranking needs every match): (ids, seconds)."""
    from klantbeheer.data.models import database_proxy
    from klantbeheer.data.normalize import normalize, words

    query_words = words(text)
    stripped = text.strip()
    where = " AND ".join("search_text LIKE ?" for _ in query_words)
    sql = (f"SELECT id FROM customer WHERE {where} ORDER BY "
           "(number = ? OR external_ref IN (?, ?, ?) OR vat_number = ?) DESC, (name_norm LIKE ?) DESC, name_norm "
           f"LIMIT {LIMIT + 1}")
    vat = _vat(stripped)
    params = [f"%{w}%" for w in query_words] + [stripped, stripped, stripped.upper(), stripped.lower(), vat or "-",
                                                  normalize(text[:500]) + "%"]
    started = time.perf_counter()
    ids = [row[0] for row in database_proxy.execute_sql(sql, params)]
    return ids, time.perf_counter() - started


def _vat(text: str) -> str:
    """The stored form of a VAT number, or ''."""
    from klantbeheer.data.validation import check_vat

    try:
        return check_vat(text) if 8 <= len(text) <= 20 else ""
    except ValueError:
        return ""


def check_results(text: str, rows: list[dict], reference: list[int] | None) -> list[str]:
    """Problems: a result that does not contain every word, or (when the reference is complete) a wrong set."""
    from klantbeheer.data.models import database_proxy
    from klantbeheer.data.normalize import words

    query_words = words(text)
    if not query_words:
        return []
    problems = []
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        problems.append(f"{describe(text)}: duplicate results")
    if ids:
        # Customers holding every word come first; after them only other town names and typo corrections.
        marks = ", ".join("?" for _ in ids)
        texts = dict(database_proxy.execute_sql(f"SELECT id, search_text FROM customer WHERE id IN ({marks})", ids).fetchall())
        literal = [all(word in texts[ident] for word in query_words) for ident in ids]
        if literal != sorted(literal, reverse=True):
            problems.append(f"{describe(text)}: a town or typo match ranks above a customer holding every word")
        ids = [ident for ident, whole in zip(ids, literal) if whole]
    if reference is not None:
        if len(reference) <= LIMIT and set(reference) != set(ids):
            problems.append(f"{describe(text)}: {len(ids)} results, the LIKE scan finds {len(reference)}")
        if len(reference) > LIMIT and len(ids) != LIMIT:  # noqa: SIM102
            problems.append(f"{describe(text)}: only {len(ids)} results, the LIKE scan finds more than {LIMIT}")
    return problems


def measure(db: Path, queries: list[str], repeat: int, baseline: bool) -> dict:
    """Latency of data.customers.search (and count) for every query; the LIKE baseline; correctness."""
    from klantbeheer.data import customers
    from klantbeheer.data.db import open_database

    database = open_database(str(db), create=True)
    cold, warm, counts, like = [], [], [], []
    per_query: dict[str, float] = {}
    problems: list[str] = []
    for text in queries:  # first pass: cold page cache of this process
        started = time.perf_counter()
        customers.search(text)
        cold.append(time.perf_counter() - started)
    for _ in range(repeat):
        for text in queries:
            started = time.perf_counter()
            customers.search(text)
            elapsed = time.perf_counter() - started
            warm.append(elapsed)
            per_query[text] = max(per_query.get(text, 0.0), elapsed)
    for text in queries:
        started = time.perf_counter()
        customers.count(text)
        counts.append(time.perf_counter() - started)
    for text in queries:
        rows = customers.search(text)
        reference = None
        if baseline:
            from klantbeheer.data.normalize import words

            if words(text):
                reference, seconds = like_baseline(text)
                like.append(seconds)
        problems += check_results(text, rows, reference)
    database.close()
    slowest = sorted(per_query.items(), key=lambda item: -item[1])[:5]
    return {"cold": cold, "warm": warm, "count": counts, "like": like, "problems": problems, "slowest": slowest}


def memory_probe(db: Path, queries: list[str], searches: int = 100) -> dict:
    """Run in a fresh process: open the database, search `searches` times, report peak and current RSS."""
    out = subprocess.run(
        [sys.executable, __file__, "--probe", str(db), "--searches", str(searches)],
        input=json.dumps(queries), capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _probe(db: str, searches: int) -> None:
    """The memory probe's own process."""
    queries = json.loads(sys.stdin.read())
    from klantbeheer.data import customers
    from klantbeheer.data.db import open_database

    open_database(db, create=True)
    for index in range(searches):
        customers.search(queries[index % len(queries)])
    with open("/proc/self/status") as status:
        current = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_mb": peak_kb / 1024, "current_mb": current / 1024}))


def main() -> None:
    """Build, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--reuse", action="store_true", help="reuse existing databases (no build time then)")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--searches", type=int, default=100, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        _probe(args.probe, args.searches)
        return
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M} building databases in {args.dir} ...", flush=True)
    small_db, _ = build_database(args.dir, args.small, args.reuse)
    large_db, build_seconds = build_database(args.dir, args.large, args.reuse)
    queries = query_set(large_db)
    print(f"{len(queries)} queries; measuring ...", flush=True)
    small = measure(small_db, queries, args.repeat, baseline=True)
    large = measure(large_db, queries, args.repeat, baseline=True)
    memory = memory_probe(large_db, queries)
    ms = 1000.0
    p50, p95, worst = (percentile(large["warm"], 0.5) * ms, percentile(large["warm"], 0.95) * ms, max(large["warm"]) * ms)
    like_p50 = median(large["like"]) * ms
    growth = percentile(large["warm"], 0.95) / percentile(small["warm"], 0.95)
    problems = small["problems"] + large["problems"]
    n = f"{args.large:,}"
    rows = [
        (f"demo --customers {n} (s)", f"{build_seconds:.1f}" if build_seconds else "reused", "<= 60", build_seconds and build_seconds <= 60),
        (f"search p50 at {n} (ms)", f"{p50:.2f}", "<= 1", p50 <= 1),
        (f"search p95 at {n} (ms)", f"{p95:.2f}", "<= 5", p95 <= 5),
        (f"search max at {n} (ms)", f"{worst:.2f}", "<= 25", worst <= 25),
        ("search max, first run of each query (ms)", f"{max(large['cold']) * ms:.2f}", "(info)", None),
        (f"plain LIKE scan p50 at {n} (ms)", f"{like_p50:.1f}", "(info)", None),
        ("speed-up at p50 (LIKE / search)", f"{like_p50 / p50:.0f}x", ">= 40x", like_p50 / p50 >= 40),
        (f"search p95 at {args.small:,} (ms)", f"{percentile(small['warm'], 0.95) * ms:.2f}", "(info)", None),
        (f"growth: p95 {n} / p95 {args.small:,}", f"{growth:.2f}x", "<= 3x", growth <= 3),
        (f"count() p95 / max at {n} (ms)", f"{percentile(large['count'], 0.95) * ms:.2f} / {max(large['count']) * ms:.2f}", "(info)", None),
        (f"peak RSS after 100 searches at {n} (MB)", f"{memory['peak_mb']:.1f}", "<= 100", memory["peak_mb"] <= 100),
        ("results that do not match their query", str(len(problems)), "0", not problems),
    ]
    print_table(rows, f"Search benchmark: {len(queries)} queries x {args.repeat} runs (after one cold run)")
    print("\nslowest queries at", n, ":", ", ".join(f"{describe(q)} {t * ms:.2f} ms" for q, t in large["slowest"]))
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "small": small, "large": large, "memory": memory}, default=str))


if __name__ == "__main__":
    main()
