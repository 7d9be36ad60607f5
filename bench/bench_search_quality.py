"""Search quality and speed at scale: the relevance set (typos, name variants, town names) beside the exact queries.

    python bench/bench_search_quality.py [--dir /tmp/kb-bench] [--reuse] [--customers 1000000] [--repeat 3]
        [--postgres postgresql://postgres@127.0.0.1:5432] [--pg-name kb_quality_1000000]

Builds (or reuses) the demo database of bench/bench_search.py, draws the relevance set of
bench/relevance.py from it (seeded), and times `customers.search` over the mix of the exact query
set (bench/common.py) and the relevance queries: p50 / p95 / max for the mix, p95 for the exact
queries alone, recall@1 and recall@10. With --postgres the same on a PostgreSQL copy
(bench/bench_postgres.py makes it). Run on demand (not part of pytest).
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, build_database, describe, machine, percentile, print_table, query_set  # noqa: E402


def relevance_queries(db: Path, size: int) -> list[tuple[str, str, int]]:
    """The seeded relevance set drawn from the database's customers."""
    from bench.relevance import relevance_set

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        columns = ["number", "name", "postcode", "city", "vat_number"]
        rows = [dict(zip(columns, row)) for row in con.execute(f"SELECT {', '.join(columns)} FROM customer")]
    finally:
        con.close()
    return relevance_set(rows, size)


def prepare_postgres(server: str, source: Path, customers: int, reuse: bool, name: str = "") -> str:
    """A PostgreSQL copy of source in its own database (`kb_quality_<N>` unless named; copy-to unless reused)."""
    import subprocess

    import psycopg2

    from bench.common import ROOT

    name = name or f"kb_quality_{customers}"
    conn = psycopg2.connect(server + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cur.fetchone() is not None
        if not (reuse and exists):
            if exists:
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    if not (reuse and exists):
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(source), "--operator", "admin", "copy-to",
                        f"{server}/{name}"], check=True, cwd=ROOT)
        print(f"copy-to PostgreSQL: {time.perf_counter() - started:.0f} s", flush=True)
    return f"{server}/{name}"


def run(location: str, exact: list[str], relevance: list[tuple[str, str, int]], repeat: int) -> dict:
    """Latencies (seconds) of the exact and the relevance queries, and recall on the relevance set."""
    from bench.relevance import measure
    from klantbeheer.data import customers
    from klantbeheer.data.db import open_database

    database = open_database(location)
    texts = [query for _, query, _ in relevance]
    for text in exact + texts:  # one cold pass
        customers.search(text)
    timings: dict[str, list[float]] = {"exact": [], "relevance": []}
    slowest: dict[str, float] = {}
    for _ in range(repeat):
        for kind, batch in (("exact", exact), ("relevance", texts)):
            for text in batch:
                started = time.perf_counter()
                customers.search(text)
                elapsed = time.perf_counter() - started
                timings[kind].append(elapsed)
                slowest[text] = max(slowest.get(text, 0.0), elapsed)
    recall = measure(relevance, lambda text: [row["number"] for row in customers.search(text, 10)])
    database.close()
    return {**timings, "recall": recall, "slowest": sorted(slowest.items(), key=lambda item: -item[1])[:5]}


def rows_for(name: str, result: dict, p95_target: float, sqlite_targets: bool) -> list[tuple]:
    """Table rows for one engine."""
    ms = 1000.0
    mix = result["exact"] + result["relevance"]
    p50, p95, worst = percentile(mix, 0.5) * ms, percentile(mix, 0.95) * ms, max(mix) * ms
    exact95 = percentile(result["exact"], 0.95) * ms
    r1, r10 = result["recall"]["recall_at_1"] * 100, result["recall"]["recall_at_10"] * 100
    rows = [
        (f"{name}: mix p50 (ms)", f"{p50:.2f}", "<= 2" if sqlite_targets else "(info)", p50 <= 2 if sqlite_targets else None),
        (f"{name}: mix p95 (ms)", f"{p95:.2f}", f"<= {p95_target:g}", p95 <= p95_target),
        (f"{name}: mix max (ms)", f"{worst:.2f}", "<= 50" if sqlite_targets else "(info)", worst <= 50 if sqlite_targets else None),
        (f"{name}: exact queries p95 (ms)", f"{exact95:.2f}", "<= 5" if sqlite_targets else "(info)",
         exact95 <= 5 if sqlite_targets else None),
        (f"{name}: typo/variant queries p95 (ms)", f"{percentile(result['relevance'], 0.95) * ms:.2f}", "(info)", None),
        (f"{name}: recall@1 (%)", f"{r1:.1f}", ">= 85", r1 >= 85),
        (f"{name}: recall@10 (%)", f"{r10:.1f}", ">= 97", r10 >= 97),
    ]
    return rows


def main() -> None:
    """Build, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=240, help="relevance queries")
    parser.add_argument("--postgres", help="also measure a PostgreSQL copy on this server")
    parser.add_argument("--pg-name", default="", help="the copy's database name (default kb_quality_<customers>)")
    args = parser.parse_args()
    db, build_seconds = build_database(args.dir, args.customers, args.reuse)
    exact = query_set(db)
    relevance = relevance_queries(db, args.size)
    print(f"{machine()}\n{len(exact)} exact + {len(relevance)} relevance queries; measuring ...", flush=True)
    n = f"{args.customers:,}"
    rows = [(f"demo --customers {n} (s)", f"{build_seconds:.1f}" if build_seconds else "reused", "<= 60",
             build_seconds <= 60 if build_seconds else None)]
    results = {"SQLite": run(str(db), exact, relevance, args.repeat)}
    rows += rows_for("SQLite", results["SQLite"], 10, True)
    if args.postgres:
        url = prepare_postgres(args.postgres, db, args.customers, args.reuse, args.pg_name)
        results["PostgreSQL"] = run(url, exact, relevance, args.repeat)
        rows += rows_for("PostgreSQL", results["PostgreSQL"], 15, False)
    print_table(rows, f"Search quality and speed at {n} customers ({args.repeat} runs after one cold run)")
    for name, result in results.items():
        print(f"\n{name} slowest:", ", ".join(f"{describe(q)} {t * 1000:.2f} ms" for q, t in result["slowest"]))
        for kind, query, expected, rank in result["recall"]["missed"]:
            print(f"{name} missed ({kind}): {query!r} -> customer {expected}, rank {rank}")


if __name__ == "__main__":
    main()
