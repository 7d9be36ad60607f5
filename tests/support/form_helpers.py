"""Helpers for the customer form tests: build the app, open a form, wait for its workers, freeze times."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from textual.pilot import Pilot

from klantbeheer.tui.app import KlantbeheerApp
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.apps import make_app  # noqa: F401  (the shared factory, re-exported for the tests)
from tests.support.waiting import app_until, workers_done

FIXED_TIME = dt.datetime(2026, 3, 2, 8, 30)  # stored in UTC: shown as 02-03-2026 09:30 in Brussels
REPO = Path(__file__).resolve().parents[2]
SECOND_INSTANCE = Path(__file__).resolve().parent / "form_second_instance.py"




async def wait_form(pilot: Pilot, timeout: float = 10.0) -> None:
    """Let the form's own workers finish (the app's change watcher runs forever, so not all workers)."""
    await workers_done(pilot, "customer-form", timeout)


async def open_form(pilot: Pilot, number: int | None) -> CustomerFormScreen:
    """Open the customer form like the search screen does, and wait until it shows the customer."""
    app = pilot.app
    await pilot.pause()
    app.open_customer(number)  # type: ignore[attr-defined]
    # The form first (its load worker may not have started yet on a loaded machine), then its workers.
    await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen), what="the customer form on screen")
    await wait_form(pilot)
    screen = app.screen
    assert isinstance(screen, CustomerFormScreen)
    assert screen.data is not None
    return screen


def freeze_clock(monkeypatch, when: dt.datetime = FIXED_TIME) -> None:
    """Stop the data layer's clock at `when` (history is append-only, so times are fixed as written).

    Every stored timestamp comes from models.now(), which asks clock.now(): stopping that one stops them all,
    whichever module writes (customers, blocking, history, demo, dossiers).
    """
    import klantbeheer.data.clock

    monkeypatch.setattr(klantbeheer.data.clock, "now", lambda: when)


def run_second_instance(db_path: str, number: int, field: str, value: str, operator: str = "mw") -> str:
    """Run a second Klantbeheer app in its own process: open the customer, change a field, Ctrl+S."""
    done = subprocess.run(
        [sys.executable, str(SECOND_INSTANCE), db_path, str(number), field, value, operator],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def notes(app: KlantbeheerApp) -> str:
    """Every notification currently shown, title and message, as one text."""
    return "\n".join(f"{n.title}\n{n.message}" for n in app._notifications)


async def wait_until(pilot: Pilot, condition, timeout: float = 30.0) -> None:
    """Poll (letting the app run) until condition() holds; the change watcher polls once a second."""
    await app_until(pilot, condition, timeout)
    await wait_form(pilot)
