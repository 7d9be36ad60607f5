"""Import and export benchmark: 100,000 rows in (target 30 s), memory flat, search responsive meanwhile; 1,000,000 out (60 s).

    python bench/bench_import.py [--rows 100000] [--export-db /tmp/kb-bench/bench-1000000.db] [--reuse] [--xlsx]

The import file is a Belgian Excel CSV (';', Windows-1252) with accents, formatted BTW numbers, IBANs with
spaces, phone numbers and e-mail addresses, so every row goes through every check. It is imported with
`python app.py import` into a fresh database while this process searches the same database every 20 ms
(what a TUI in another terminal does); then `check` must find the search index and history in order.
The export runs `python app.py export` on the 1,000,000-customer database of bench_search.py (built with
`demo --customers 1000000` when missing).
"""
from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, ROOT, build_database, median, percentile, print_table  # noqa: E402

FIRST = ["Jan", "Hélène", "Noël", "Zoë", "Anaïs", "Jérôme", "Françoise", "Els", "Bram", "Inès"]
LAST = ["Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Lefèvre", "D'Hondt", "Van den Broeck", "Gérard", "Wouters"]
POSTCODES = ["8830", "9000", "1000", "2000", "3000", "3500", "4000", "5000", "8500", "8800"]
BANKS = ["001", "096", "063", "068", "310", "363", "735", "751"]


def _vat(seed: int) -> str:
    """A valid Belgian BTW number written as people write it: BE 0xxx.xxx.xxx."""
    first8 = f"0{1_000_000 + seed % 8_999_999:07d}"
    digits = f"{first8}{97 - int(first8) % 97:02d}"
    return f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _iban(seed: int) -> str:
    """A valid Belgian IBAN in groups of four, from a real bank code."""
    from stdnum import iban

    account = f"{BANKS[seed % len(BANKS)]}{seed % 10_000_000:07d}"
    check = int(account) % 97 or 97
    bban = f"{account}{check:02d}"
    number = "BE00" + bban
    number = "BE" + iban.calc_check_digits(number) + bban
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def _phone(rng: random.Random) -> str:
    """A Belgian number as people write it: 09 123 45 67 (one-digit zone) or 051 12 34 56 (two-digit zone)."""
    if rng.random() < 0.5:
        return f"0{rng.choice('23')} {rng.randrange(200, 799)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    return f"0{rng.choice(['51', '50', '56', '16'])} {rng.randrange(20, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"


def write_file(path: Path, rows: int) -> None:
    """The import file: rows of realistic, valid customers (numbers left empty: the import hands them out)."""
    rng = random.Random(7)
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Naam", "Externe Ref.", "Adres", "Postcode", "Btw nr", "Rekeningnummer", "Tel", "E-mail adres",
                         "Geblokkeerd", "Reden"])
        for i in range(rows):
            company = i % 3 == 0
            last = rng.choice(LAST)
            name = f"{last} {'Bouw NV' if company else rng.choice(FIRST)}"
            writer.writerow([
                name, f"OUD-{i:06d}", f"Kerkstraat {i % 200 + 1}", rng.choice(POSTCODES), _vat(i) if company else "",
                _iban(i), _phone(rng), f"klant{i}@example.be", "ja" if i % 500 == 0 else "nee",
                "Wanbetaling" if i % 500 == 0 else "",
            ])


def run_cli(*args: str) -> tuple[float, int, str]:
    """Run app.py with these arguments; (seconds, peak RSS of the child in MB, stdout)."""
    wrapper = ("import resource, runpy, sys\n"
               "sys.argv = sys.argv[1:]\n"
               "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
               "finally:\n    print('peak-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapper, str(ROOT / "app.py"), *args, "--operator", "admin"], cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {done.stderr}")
    peak = int(done.stderr.rsplit("peak-kb ", 1)[1].split()[0]) // 1024
    return seconds, peak, done.stdout


def searches_while(db: Path, stop: threading.Event, latencies: list[float]) -> None:
    """Search the database every 20 ms (what another terminal's TUI does) until stop is set."""
    from klantbeheer.data import customers
    from klantbeheer.data.db import open_database

    open_database(str(db))
    words = ["peeters", "gent", "dubois bouw", "oud-0001", "hélène"]
    i = 0
    while not stop.is_set():
        started = time.perf_counter()
        customers.search(words[i % len(words)], 50, False)
        latencies.append((time.perf_counter() - started) * 1000)
        i += 1
        time.sleep(0.02)


def bench_import(directory: Path, rows: int) -> list[tuple[str, str, str, bool | None]]:
    """Import `rows` rows into a new database while searching it; check it afterwards."""
    source = directory / f"import-{rows}.csv"
    if not source.exists():
        write_file(source, rows)
    db = directory / f"import-{rows}.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    run_cli("init", "--db", str(db))
    stop, latencies = threading.Event(), []
    searcher = threading.Thread(target=searches_while, args=(db, stop, latencies))
    searcher.start()
    seconds, peak, out = run_cli("import", str(source), "--db", str(db), "--json")
    stop.set()
    searcher.join()
    created = out.count('"created": ') and int(out.split('"created": ')[1].split(",")[0])
    check_seconds, _, check_out = run_cli("check", "--db", str(db))
    ok = check_out.count("in orde") == 3
    return [
        (f"import of {rows:,} rows (CSV, Windows-1252, every check), customers created", f"{created:,}", f"{rows:,}",
         created == rows),
        (f"import of {rows:,} rows, wall time", f"{seconds:.1f} s", "<= 30 s" if rows >= 100_000 else "(info)",
         seconds <= 30 if rows >= 100_000 else None),
        ("peak memory of the import process", f"{peak} MB", "flat", None),
        ("searches in another process during the import: p50 / p95 / max",
         f"{median(latencies):.1f} / {percentile(latencies, 0.95):.1f} / {max(latencies):.1f} ms ({len(latencies)})",
         "responsive", None),
        ("`check` afterwards (file, search index, history)", "in orde" if ok else check_out.strip(), "in orde", ok),
    ]


def bench_export(db: Path, xlsx: bool) -> list[tuple[str, str, str, bool | None]]:
    """Export the whole database to CSV (and .xlsx when asked)."""
    rows = []
    for kind in ("csv", "xlsx") if xlsx else ("csv",):
        target = db.with_name(f"export.{kind}")
        seconds, peak, out = run_cli("export", str(target), "--db", str(db))
        rows.append((f"export {kind}: {out.strip()}", f"{seconds:.1f} s", "<= 60 s" if kind == "csv" else "(info)",
                     seconds <= 60 if kind == "csv" else None))
        rows.append((f"export {kind}: peak memory", f"{peak} MB", "flat", None))
    return rows


def main() -> None:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=20_000, help="a smaller import first, to show memory stays flat")
    parser.add_argument("--export-db", default=None)
    parser.add_argument("--export-customers", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="also export .xlsx (slow: openpyxl)")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    DEFAULT_DIR.mkdir(parents=True, exist_ok=True)
    table = []
    if args.small and not args.skip_import:
        table += bench_import(DEFAULT_DIR, args.small)[1:3]
    if not args.skip_import:
        table += bench_import(DEFAULT_DIR, args.rows)
    if not args.skip_export:
        db = Path(args.export_db) if args.export_db else build_database(DEFAULT_DIR, args.export_customers, args.reuse)[0]
        table += bench_export(db, args.xlsx)
    print_table(table, "Import and export")


if __name__ == "__main__":
    main()
