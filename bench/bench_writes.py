"""Write benchmark: 8 processes for 20 s saving customers, blocking, unblocking and creating dossiers on one
SQLite file; counts "database is locked" and reports the latency of every write.

    python bench/bench_writes.py [--db /tmp/kb-bench/bench-1000000.db] [--processes 8] [--seconds 20]

Without --db it builds (or with --reuse reuses) a database with `python app.py demo --customers N`.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, build_database, median, percentile, print_table  # noqa: E402

OPERATIONS = ("save", "block", "unblock", "dossier")


def worker(db: str, index: int, start_at: float, seconds: float, pause: float = 0.0) -> None:
    """One process: its own customers, one write after another until the time is up; JSON on stdout."""
    from klantbeheer.data import customers, dossiers, staff
    from klantbeheer.data.db import open_database
    from klantbeheer.data.errors import KlantbeheerError

    open_database(db, create=True)
    operator = staff.login("admin").username
    rng = random.Random(index)
    own = [2000 + index * 100 + i for i in range(100)]  # disjoint customers: no optimistic-lock conflicts
    latencies: dict[str, list[float]] = {name: [] for name in OPERATIONS}
    locked, other = 0, []
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = start_at + seconds
    step = 0
    while time.time() < deadline:
        if pause:
            time.sleep(rng.uniform(0, 2 * pause))  # a person between two saves (mean `pause`)
        number = own[(step // len(OPERATIONS)) % len(own)]  # save, block, unblock, dossier: one customer each round
        kind = OPERATIONS[step % len(OPERATIONS)]
        step += 1
        try:
            if kind == "save":
                version = customers.get(number)["version"]
                started = time.perf_counter()
                customers.update(number, {"address": f"Kerkstraat {rng.randrange(1, 300)}"}, version, operator)
            elif kind == "block":
                started = time.perf_counter()
                customers.block(number, "Wanbetaling", "benchmark", None, operator)
            elif kind == "unblock":
                started = time.perf_counter()
                customers.unblock(number, operator)
            else:
                started = time.perf_counter()
                dossiers.create_dossier(number, "Benchmarkdossier", "", "", operator)
            latencies[kind].append(time.perf_counter() - started)
        except KlantbeheerError as problem:
            text = problem.message.lower()
            if "locked" in text or "bezet" in text:
                locked += 1
            else:
                other.append(problem.message)
        except Exception as problem:  # report, never hide, what the benchmark did not expect
            if "locked" in str(problem).lower():
                locked += 1
            else:
                other.append(repr(problem))
    print(json.dumps({"latencies": latencies, "locked": locked, "other": other[:5], "other_count": len(other)}))


def run(db: Path, processes: int, seconds: float, pause: float = 0.0) -> dict:
    """Start the workers together, wait for them, merge their figures."""
    start_at = time.time() + 3.0  # time for every process to import and open the database
    children = [
        subprocess.Popen([sys.executable, __file__, "--worker", str(i), "--db", str(db), "--start-at", str(start_at),
                          "--seconds", str(seconds), "--pause-ms", str(pause * 1000)], stdout=subprocess.PIPE, text=True)
        for i in range(processes)
    ]
    results = []
    for child in children:
        out, _ = child.communicate(timeout=seconds + 120)
        results.append(json.loads(out.strip().splitlines()[-1]))
    every = [x for r in results for values in r["latencies"].values() for x in values]
    per_kind = {kind: [x for r in results for x in r["latencies"][kind]] for kind in OPERATIONS}
    return {"all": every, "per_kind": per_kind, "locked": sum(r["locked"] for r in results),
            "other": [m for r in results for m in r["other"]], "other_count": sum(r["other_count"] for r in results)}


def rows_for(figures: dict, processes: int, seconds: float) -> list[tuple[str, str, str, bool | None]]:
    """Table rows with targets."""
    ms = 1000.0
    every = figures["all"]
    p99 = percentile(every, 0.99) * ms
    rows = [
        (f"writes by {processes} processes in {seconds:g} s", f"{len(every)}", "(info)", None),
        ('"database is locked"', str(figures["locked"]), "0", figures["locked"] == 0),
        ("other write errors", str(figures["other_count"]), "0", figures["other_count"] == 0),
        ("write latency p50 (ms)", f"{median(every) * ms:.1f}", "(info)", None),
        ("write latency p99 (ms)", f"{p99:.1f}", "<= 50", p99 <= 50),
        ("write latency max (ms)", f"{max(every) * ms:.1f}", "(info)", None),
    ]
    for kind, values in figures["per_kind"].items():
        rows.append((f"  {kind}: count / p99 (ms)", f"{len(values)} / {percentile(values, 0.99) * ms:.1f}", "(info)", None))
    return rows


def main() -> None:
    """Parse, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pause-ms", type=float, default=0.0,
                        help="mean pause between two writes of one process (0: back to back, the worst case)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(str(args.db), args.worker, args.start_at, args.seconds, args.pause_ms / 1000)
        return
    db = args.db or build_database(args.dir, args.customers, args.reuse)[0]
    figures = run(db, args.processes, args.seconds, args.pause_ms / 1000)
    pace = f"a pause of {args.pause_ms:g} ms on average between writes" if args.pause_ms else "writes back to back"
    print_table(rows_for(figures, args.processes, args.seconds), f"Write benchmark on {db.name}, {pace}")
    for message in figures["other"][:10]:
        print("ERROR:", message)


if __name__ == "__main__":
    main()
