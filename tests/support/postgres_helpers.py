"""Worker processes for tests/test_postgres.py, run as `python tests/support/postgres_helpers.py MODE DB DIR ARG`.

Each worker opens the database itself (its own process and connection) and talks to the test
through marker files in DIR. It prints one JSON line with what happened.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.waiting import RACE_POLL_S, until  # noqa: E402


def wait_for(path: Path, timeout: float = 60) -> None:
    """Block until the marker file exists (the start line of a race)."""
    until(path.exists, timeout, f"marker {path}", poll=RACE_POLL_S)


def main(mode: str, db: str, folder: str, arg: str) -> None:
    """Run one role and print its outcome as JSON."""
    from klantbeheer.data import customers, dossiers
    from klantbeheer.data.db import open_database
    from klantbeheer.data.errors import KlantbeheerError
    from klantbeheer.data.models import Dossier, database_proxy

    marks = Path(folder)
    open_database(db, create=True)
    outcome: dict = {}
    if mode == "dossier-hold":
        # Create a dossier, then keep its transaction (and so the owner's row lock) open until 'go'.
        with database_proxy.atomic():
            outcome["dossier"] = dossiers.create_dossier(arg, "Schade", operator="mw")["number"]
            (marks / "created").touch()
            wait_for(marks / "go")
        outcome["committed_at"] = time.monotonic()
    elif mode == "race-blocker":
        # Per round: block the customer; inside the same transaction count its dossiers (the ones
        # committed before the block). A dossier counted later but not here came after the block.
        counts = []
        for round_no, number in enumerate(json.loads(arg)):
            (marks / f"ready-blocker-{round_no}").touch()
            wait_for(marks / f"start-{round_no}")
            with database_proxy.atomic():
                customers.block(number, "Wanbetaling", "Race", None, "admin")
                counts.append(Dossier.select().join(dossiers.Customer).where(dossiers.Customer.number == number).count())
        outcome["counts"] = counts
    elif mode == "race-creator":
        made, refused = [], []
        for round_no, number in enumerate(json.loads(arg)):
            (marks / f"ready-creator-{round_no}").touch()
            wait_for(marks / f"start-{round_no}")
            try:
                made.append(dossiers.create_dossier(number, "Race", operator="mw")["number"])
            except KlantbeheerError as problem:
                refused.append(type(problem).__name__)
        outcome["made"], outcome["refused"] = made, refused
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(outcome, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:5])
