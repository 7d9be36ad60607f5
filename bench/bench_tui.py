"""TUI benchmark (headless Pilot): keystroke to new results in #results, start-up against a minimal Textual
app, and the app process's peak memory after 100 searches, on the 1,000,000-customer database.

    python bench/bench_tui.py [--db /tmp/kb-bench/bench-1000000.db] [--runs 3]

Needs the search screen (tui/screens/customer_search.py) with the ids #search and #results.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DIR, build_database, median, percentile, print_table  # noqa: E402

# Typed one key at a time; every prefix of three or more characters is a measured keystroke (the time from
# the key event to the screen showing that prefix's results in #results).
TYPED = ["peeters jan", "hooglede", "van damme", "8830", "dubois", "garage luik", "1027", "jansens", "xyzzy",
         "de smet", "lambert", "vermeulen", "carrosserie", "liege", "brussel 1000", "maes bouw"]
KEYS = {" ": "space"}


def _screen_shown(app) -> tuple | None:
    """The (text, blocked_only) whose results the search screen shows."""
    return getattr(app.screen, "_shown_query", None)


async def _wait(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until condition() holds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the search screen did not show the results in time")
        await asyncio.sleep(0.0005)


async def keystrokes(db: str, searches: int) -> dict:
    """Type the queries key by key; time each key from press to its results in #results."""
    from textual import events

    from klantbeheer.tui.app import AppSettings, create_app

    app = create_app(db=db, operator="admin", settings=AppSettings())
    latencies: list[float] = []
    done = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait(pilot, lambda: _screen_shown(app) is not None)
        box = app.screen.query_one("#search")
        table = app.screen.query_one("#results")
        while done < searches:
            for text in TYPED:
                box.value = ""
                await _wait(pilot, lambda: _screen_shown(app) == ("", False))
                for size in range(1, len(text) + 1):
                    char = text[size - 1]
                    started = time.perf_counter()
                    # As the terminal driver does: a Key event posted to the app (Pilot.press would add its
                    # own waiting for every widget to go idle to the figure).
                    app.post_message(events.Key(KEYS.get(char, char), char))
                    await _wait(pilot, lambda: _screen_shown(app) == (text[:size], False))
                    elapsed = time.perf_counter() - started
                    done += 1
                    if size >= 3:
                        latencies.append(elapsed)
                assert table.row_count >= 0
                if done >= searches:
                    break
    return {"latencies": latencies, "searches": done, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


async def start_klantbeheer(db: str) -> None:
    """Run the app until its first screen is usable (search box focused, first results shown)."""
    from klantbeheer.tui.app import AppSettings, create_app

    app = create_app(db=db, operator="admin", settings=AppSettings())
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait(pilot, lambda: _screen_shown(app) is not None and app.focused is not None
                    and app.focused.id == "search")


async def start_minimal() -> None:
    """A minimal Textual app with an input and a table, until its input has focus."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    class Minimal(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(id="search")
            yield DataTable(id="results")
            yield Footer()

    app = Minimal()
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait(pilot, lambda: app.focused is not None and app.focused.id == "search")


def child(kind: str, db: str, searches: int) -> None:
    """Entry point of a measuring child process."""
    if kind == "keys":
        print(json.dumps(asyncio.run(keystrokes(db, searches))))
    elif kind == "start":
        asyncio.run(start_klantbeheer(db))
        print(json.dumps({"ready": time.time()}))
    else:
        asyncio.run(start_minimal())
        print(json.dumps({"ready": time.time()}))


def spawn(kind: str, db: str, searches: int = 0) -> tuple[dict, float]:
    """Run a child; return its JSON and the seconds from spawn to its answer."""
    started = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--db", db, "--searches", str(searches)],
                         capture_output=True, text=True, check=True, timeout=600)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result, result.get("ready", time.time()) - started


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=7, help="start-up runs of each app (alternating)")
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.searches)
        return
    db = args.db or str(build_database(args.dir, args.customers, args.reuse)[0])
    keys, _ = spawn("keys", db, args.searches)
    ours: list[float] = []
    minimal: list[float] = []
    for _ in range(args.runs):  # alternate, so a change in the machine's load hits both apps alike
        ours.append(spawn("start", db)[1])
        minimal.append(spawn("minimal", db)[1])
    ms = 1000.0
    lat = keys["latencies"]
    ratio = median(ours) / median(minimal)
    rows = [
        (f"keystroke to results, median ({len(lat)} keys) (ms)", f"{median(lat) * ms:.1f}", "<= 50", median(lat) * ms <= 50),
        ("keystroke to results, p95 (ms)", f"{percentile(lat, 0.95) * ms:.1f}", "<= 100", percentile(lat, 0.95) * ms <= 100),
        ("keystroke to results, max (ms)", f"{max(lat) * ms:.1f}", "(info)", None),
        ("start-up to first usable screen, median (s)", f"{median(ours):.2f}", "(info)", None),
        ("minimal Textual app, median (s)", f"{median(minimal):.2f}", "(info)", None),
        ("start-up ratio", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3),
        (f"app peak RSS after {keys['searches']} searches (MB)", f"{keys['peak_mb']:.1f}", "<= 100", keys["peak_mb"] <= 100),
    ]
    print_table(rows, f"TUI benchmark (headless Pilot, 80x24) on {Path(db).name}")


if __name__ == "__main__":
    main()
