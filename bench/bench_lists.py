"""Reference lists on a large database: how long the screen's read, the form's choices and the rules' checks take.

Usage: python bench/bench_lists.py [--customers 100000] [--reuse] [--dir /tmp/kb-bench]
Builds (or reuses) a database with N synthetic customers through the CLI, then times, each 20 times:
lists.overview() (the Referentielijsten screen), tui's choices_for() (the form, every load), lists.stamp()
(every live-refresh tick), the delete check of a never-used entry (scans the history), add + delete.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, build_database, median, percentile  # noqa: E402


def timed(call, rounds: int = 20) -> list[float]:
    """Milliseconds of each of `rounds` calls."""
    result = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        result.append((time.perf_counter() - started) * 1000)
    return result


def main() -> None:
    """Build or reuse the database, time each operation, print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    path, built = build_database(args.dir, args.customers, reuse=args.reuse)
    from klantbeheer.data import lists, staff
    from klantbeheer.data.db import open_database
    from klantbeheer.tui.screens.form.loading import choices_for

    open_database(str(path))
    staff.login("admin")

    def add_and_delete() -> None:
        lists.add("prijslijst", "bench", "Bench", "admin")
        lists.delete("prijslijst", "bench", "admin")

    lists.add("prijslijst", "nooit", "Nooit gebruikt", "admin")

    def delete_check() -> None:
        lists._in_history(lists.spec("prijslijst"), lists._find(lists.spec("prijslijst"), "nooit"))

    rows = {
        "overview (screen)": timed(lists.overview),
        "choices_for (form load)": timed(lambda: choices_for({"payment_condition": "contant"})),
        "stamp (live tick)": timed(lists.stamp),
        "history check (delete)": timed(delete_check),
        "add + delete": timed(add_and_delete, 10),
    }
    lists.delete("prijslijst", "nooit", "admin")
    print(f"{args.customers} customers; {platform.processor() or platform.machine()}, {os.cpu_count()} cpu; "
          f"load {os.getloadavg()[0]:.1f}" + (f"; built in {built:.0f} s" if built else ""))
    print(f"{'operation':<26} {'median ms':>10} {'p95 ms':>8}")
    for name, values in rows.items():
        print(f"{name:<26} {median(values):>10.1f} {percentile(values, 0.95):>8.1f}")


if __name__ == "__main__":
    main()
