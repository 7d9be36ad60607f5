"""Worker processes for tests/test_dossier_race.py, run as `python tests/support/dossier_race_helpers.py MODE DB DIR NUMBER`.

Each worker opens the database file itself (a separate process, its own connection) and talks to
the test through marker files in DIR. It prints one JSON line with what happened.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.waiting import RACE_POLL_S, until  # noqa: E402


def wait_for(path: Path, timeout: float = 30) -> None:
    """Block until the marker file exists (the start line of a race)."""
    until(path.exists, timeout, f"marker {path}", poll=RACE_POLL_S)


def main(mode: str, db: str, folder: str, number: str) -> None:
    """Run one role of a race and print its outcome as JSON."""
    from klantbeheer.data import customers, dossiers
    from klantbeheer.data.db import open_database
    from klantbeheer.data.errors import KlantbeheerError
    from klantbeheer.data.models import database_proxy

    marks = Path(folder)
    open_database(db, create=True)
    outcome: dict = {}
    try:
        if mode == "dossier-after-read":
            # Read the owner as the new-dossier screen does, then wait while another process blocks.
            outcome["check_owner"] = dossiers.check_owner(number)["number"]
            (marks / "read").touch()
            wait_for(marks / "go")
            outcome["dossier"] = dossiers.create_dossier(number, "Schade", operator="mw")["number"]
        elif mode == "block-and-hold":
            # Block inside a write transaction and keep it open for a while before committing.
            with database_proxy.atomic():
                customers.block(number, "Wanbetaling", "Eerst betalen", None, "admin")
                (marks / "locked").touch()
                time.sleep(float(marks.joinpath("hold").read_text()) if (marks / "hold").exists() else 1.0)
            outcome["blocked"] = True
        elif mode == "dossier-now":
            started = time.monotonic()
            try:
                outcome["dossier"] = dossiers.create_dossier(number, "Schade", operator="mw")["number"]
            finally:
                outcome["waited"] = time.monotonic() - started
        elif mode == "save-after-read":
            # Read the customer as a form does, wait while another process saves, then save.
            read = customers.get(number)
            outcome["read_version"] = read["version"]
            (marks / "read").touch()
            wait_for(marks / "go")
            outcome["saved"] = customers.update(number, {"name": "Door proces A"}, read["version"], "mw")["version"]
        else:
            raise SystemExit(f"unknown mode {mode}")
    except KlantbeheerError as problem:
        outcome["error"] = type(problem).__name__
        outcome["message"] = problem.message
        for name in ("reason", "block_message", "blocked_by", "changed_by"):
            if hasattr(problem, name):
                outcome[name] = getattr(problem, name)
    print(json.dumps(outcome, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:5])
