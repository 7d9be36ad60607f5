"""Worker processes for tests/test_pg_guards.py: `python tests/support/pg_guard_helpers.py MODE URL DIR NUMBER`.

Each worker opens the PostgreSQL database itself (its own process and connection), holds its transaction open
until the test says "go" (a marker file in DIR), and prints one JSON line with what happened.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.waiting import RACE_POLL_S, until  # noqa: E402


def wait_for(path: Path, timeout: float = 120) -> None:
    """Block until the marker file exists (the start line of a race)."""
    until(path.exists, timeout, f"marker {path}", poll=RACE_POLL_S)


def main(mode: str, url: str, folder: str, number: str) -> None:
    """Run one role of a race and print its outcome as JSON."""
    from klantbeheer.data import customers, dossiers
    from klantbeheer.data.db import open_database
    from klantbeheer.data.errors import KlantbeheerError
    from klantbeheer.data.models import database_proxy

    marks = Path(folder)
    open_database(url)
    outcome: dict = {}
    try:
        if mode == "block-until-go":
            # Block inside a transaction, say so, and commit only when told.
            with database_proxy.atomic():
                customers.block(number, "Wanbetaling", "Eerst betalen", None, "admin")
                (marks / "blocked").touch()
                wait_for(marks / "go")
            outcome["blocked"] = True
        elif mode == "dossier-until-go":
            # Insert a dossier inside a transaction, say so, and commit only when told.
            with database_proxy.atomic():
                outcome["dossier"] = dossiers.create_dossier(number, "Schade", operator="admin")["number"]
                (marks / "inserted").touch()
                wait_for(marks / "go")
        elif mode == "dossier-loop":
            # Open dossiers until told to stop; each success notes the moment just before its COMMIT.
            made, refused = [], 0
            (marks / f"started-{time.monotonic_ns()}").touch()
            while not (marks / "stop").exists():
                try:
                    with database_proxy.atomic():
                        dossiers.create_dossier(number, "Race", operator="admin")
                        time.sleep(0.2)  # the commit a moment later, as over a slow network: a wide window
                        before_commit = time.monotonic()
                    made.append(before_commit)
                except KlantbeheerError as problem:
                    refused += 1
                    (marks / f"refused-{os.getpid()}").touch()
                    outcome.setdefault("errors", set()).add(type(problem).__name__)
            outcome.update(made=made, refused=refused, errors=sorted(outcome.get("errors", ())))
        elif mode == "block-now":
            # Block in one transaction; note the moment just after its COMMIT returned.
            customers.block(number, "Wanbetaling", "Eerst betalen", None, "admin")
            outcome["committed"] = time.monotonic()
        else:
            raise SystemExit(f"unknown mode {mode}")
    except KlantbeheerError as problem:
        outcome["error"] = type(problem).__name__
        outcome["message"] = problem.message
    print(json.dumps(outcome, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:5])
