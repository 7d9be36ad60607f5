"""Shared pieces of the benchmarks: building databases with the CLI, the query set, statistics, the table."""
from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path(os.environ.get("KB_BENCH_DIR", "/tmp/kb-bench"))


def db_path(directory: Path, customers: int) -> Path:
    """Where the benchmark database with this many synthetic customers lives."""
    return directory / f"bench-{customers}.db"


def build_database(directory: Path, customers: int, reuse: bool = False) -> tuple[Path, float | None]:
    """Create the database with `python app.py init` and `demo --customers N`; return its path and the seconds it took."""
    directory.mkdir(parents=True, exist_ok=True)
    path = db_path(directory, customers)
    if reuse and path.exists():
        return path, None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    for command in (["init"], ["demo", "--customers", str(customers)]):
        subprocess.run(
            [sys.executable, str(ROOT / "app.py"), "--db", str(path), "--operator", "admin", *command],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )
    return path, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    """The median, or nan for no values."""
    return statistics.median(values) if values else float("nan")


def machine() -> str:
    """One line: cores, CPU model, Python and SQLite versions."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"load average at start {os.getloadavg()[0]:.1f}")


def print_table(rows: list[tuple[str, str, str, bool | None]], title: str) -> None:
    """Print figures next to their targets: (what, measured, target, met)."""
    width = max(len(row[0]) for row in rows)
    measured_width = max(len(row[1]) for row in rows)
    print(f"\n{title}\n{machine()}\n")
    print(f"| {'what':<{width}} | {'measured':>{measured_width}} | target | met |")
    print(f"|{'-' * (width + 2)}|{'-' * (measured_width + 2)}|---|---|")
    for what, measured, target, met in rows:
        mark = "n/a" if met is None else ("yes" if met else "NO")
        print(f"| {what:<{width}} | {measured:>{measured_width}} | {target} | {mark} |")


def query_set(db: Path, first_number: int = 1027, span: int = 10_000) -> list[str]:
    """At least 50 mixed queries drawn from customers present at every size (the generator is deterministic)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT number, name, external_ref, vat_number, postcode, city FROM customer "
            "WHERE number BETWEEN ? AND ? ORDER BY number", (first_number, first_number + span - 1)
        ).fetchall()
        accented = [r[0] for r in con.execute(
            "SELECT DISTINCT city FROM customer WHERE number BETWEEN ? AND ? AND city GLOB '*[^ -~]*' ORDER BY city LIMIT 3",
            (first_number, first_number + span - 1))]
    finally:
        con.close()
    picks = rows[:: max(1, len(rows) // 7)][:7]
    companies = [r for r in rows if r[3]][::997][:3]
    refs = [r[2] for r in rows if r[2]][::1499][:3]
    queries = ["j", "a", "8", "é", "x", "de", "va", "12", "nv", "zq", "jan", "van", "pee", "bouw", "Peeters Jan",
               "D'Hondt Bouw NV", "Hélène Dubois", "123", "abc", "5744", "8830", "1000", "9000", "3500", "Hooglede",
               "hele", "dhondt", "peeters jan", "van damme", "jan 8830", "garage luik", "de smet", "xyzzy", "qqqq",
               "zzz 123", "carrosserie bouw", "'", '"peeters"', "jan*", "NOT maes", "%", "_", "😀", "x" * 10_000,
               "a-b", "\x00jan", "SELECT * FROM customer"]
    for number, name, *_ in picks:
        queries += [str(number), name]
    for number, name, ref, vat, postcode, city in companies:
        digits = vat[2:]
        queries += [vat, digits, f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}", f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"]
    queries += refs + [ref.lower() for ref in refs[:1]]
    for city in accented:
        import unicodedata

        plain = "".join(ch for ch in unicodedata.normalize("NFKD", city) if not unicodedata.combining(ch))
        queries += [city, plain.lower()]
    return queries


def describe(query: str) -> str:
    """A short printable form of a query."""
    shown = query if len(query) <= 24 else query[:20] + f"…({len(query)})"
    return shown.encode("unicode_escape").decode() if not shown.isprintable() else shown
