"""8 writer processes for 20 s on one SQLite file (issue 7's full run); the test suite runs ~8 s.

Usage: python bench/reliability_writers.py [--writers 8] [--seconds 20] [--keep]
Prints the operations per kind, and fails (exit 1) when a write reached a caller as an error
(e.g. "database is locked"), an acknowledged write is missing, or `check` finds a problem.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reliability_helpers import expect_line, spawn  # noqa: E402
from bench.reliability_workers import read_log, verify  # noqa: E402
from klantbeheer.data import customers, maintenance, staff  # noqa: E402
from klantbeheer.data.db import open_database  # noqa: E402


def main() -> int:
    """Run the writers, then verify every acknowledged write and the integrity checks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="klantbeheer-writers-"))
    db = str(work / "writers.db")
    open_database(db, create=True)
    staff.login("admin")
    pool = ",".join(str(customers.create({"name": f"Schrijver {i}", "postcode": "9000"}, "admin")["number"]) for i in range(12))
    logs = [work / f"writer{i}.jsonl" for i in range(args.writers)]
    processes = [spawn("writer", db, log, args.seconds, 100 + i, pool, stdin=False) for i, log in enumerate(logs)]
    for process in processes:
        expect_line(process, "ready")
    for process in processes:
        process.wait()
    entries = [entry for log in logs for entry in read_log(log)]
    kinds = collections.Counter(e["op"] if e["op"] != "refused" else f"refused:{e['kind']}" for e in entries)
    for kind, number in sorted(kinds.items()):
        print(f"{kind:<28} {number:>7}")
    acked = sum(n for k, n in kinds.items() if not k.startswith(("refused", "error")))
    print(f"{'acknowledged writes/s':<28} {acked / args.seconds:>7.1f}")
    errors = [e for e in entries if e["op"] == "error"]
    missing = verify(entries)
    result = maintenance.check()
    print("errors:", errors[:5] or "none")
    print("missing:", missing[:5] or "none")
    print(maintenance.check_text(result))
    if not args.keep:
        for path in work.iterdir():
            path.unlink()
        work.rmdir()
    else:
        print("kept:", work)
    return 0 if not errors and not missing and result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
