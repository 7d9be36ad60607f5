"""Search benchmark on PostgreSQL beside SQLite: the same query set on the same customers.

    python bench/bench_postgres.py [--customers 1000000] [--reuse] [--repeat 5]
        [--server postgresql://postgres@127.0.0.1:5432]

Builds (or reuses) the SQLite demo database of bench/bench_search.py, copies it with
`python app.py copy-to` into a new PostgreSQL database `kb_bench_<N>` on the server (dropped and
re-created each run unless --reuse finds it filled), and times `customers.search` on both.
Run on demand (not part of pytest).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, ROOT, build_database, machine, median, percentile, query_set  # noqa: E402

LIMIT = 50


def _admin(server: str):
    """An autocommit psycopg2 connection to the server's maintenance database."""
    import psycopg2

    conn = psycopg2.connect(server + "/postgres")
    conn.autocommit = True
    return conn


def prepare_postgres(server: str, source: Path, customers: int, reuse: bool) -> tuple[str, float | None]:
    """A PostgreSQL copy of source; return its URL and the seconds copy-to took (None when reused)."""
    name = f"kb_bench_{customers}"
    url = f"{server}/{name}"
    conn = _admin(server)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cur.fetchone() is not None
        if reuse and exists:
            conn.close()
            return url, None
        if exists:
            cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "app.py"), "--db", str(source), "--operator", "admin", "copy-to", url],
                   check=True, cwd=ROOT)
    return url, time.perf_counter() - started


def measure(location: str, queries: list[str], repeat: int) -> tuple[list[float], dict[str, float]]:
    """Every run's latency in ms (after one cold run), and the slowest run per query."""
    from klantbeheer.data import customers
    from klantbeheer.data.db import open_database
    from klantbeheer.data.models import database_proxy

    open_database(location, create=True)
    try:
        for text in queries:
            customers.search(text, limit=LIMIT)
        times: list[float] = []
        worst: dict[str, float] = {}
        for _ in range(repeat):
            for text in queries:
                started = time.perf_counter()
                customers.search(text, limit=LIMIT)
                elapsed = (time.perf_counter() - started) * 1000
                times.append(elapsed)
                worst[text] = max(worst.get(text, 0.0), elapsed)
        return times, worst
    finally:
        database_proxy.obj.close()


def main() -> None:
    """Build both databases, time the query set on each, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    source, built = build_database(args.dir, args.customers, reuse=args.reuse)
    url, copied = prepare_postgres(args.server, source, args.customers, args.reuse)
    queries = query_set(source)
    print(f"{len(queries)} queries x {args.repeat} runs (after one cold run); {machine()}")
    if built is not None:
        print(f"SQLite demo --customers {args.customers:,}: {built:.1f} s")
    if copied is not None:
        print(f"copy-to PostgreSQL ({args.customers:,} customers): {copied:.1f} s")
    print(f"\n| engine at {args.customers:,} | p50 (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|")
    for label, location in (("SQLite", str(source)), ("PostgreSQL", url)):
        times, worst = measure(location, queries, args.repeat)
        print(f"| {label} | {median(times):.2f} | {percentile(times, 0.95):.2f} | {max(times):.2f} |")
        slow = sorted(worst.items(), key=lambda item: -item[1])[:5]
        print(f"  slowest on {label}: " + ", ".join(f"{text[:20]!r} {ms:.1f} ms" for text, ms in slow), file=sys.stderr)


if __name__ == "__main__":
    main()
