"""Snapshot tests of the customer form: every tab at 80x24, Algemeen with the block banner at 120x40."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot

from klantbeheer.data import customers, demo, dossiers
from klantbeheer.tui.app import KlantbeheerApp
from tests.support.form_helpers import freeze_clock, make_app, open_form, wait_form
from tests.support.snapshot_helpers import still_cursor

UNTIL = dt.date(2099, 12, 31)


@pytest.fixture
def snapshot_db(db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo data, and ABC with an edit, a dossier and a lifted block in its history; every time fixed."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    freeze_clock(monkeypatch)
    demo.load_demo("admin", demo_database=True)
    abc = customers.get(123)
    customers.update(123, {"contact": "Jan Peeters", "phone": "051 20 20 20"}, abc["version"], "mw")
    customers.block(123, "Wanbetaling", "Eerst betalen", None, "admin")
    customers.unblock(123, "admin")
    dossiers.create_dossier(123, "Schade voorbumper", licence_plate="1abc123", operator="mw")
    return db_path


def app_for(db: str, operator: str = "admin") -> KlantbeheerApp:
    """The app on the snapshot database, in a fixed theme."""
    app = make_app(db, operator)
    app.theme = "textual-dark"
    return app


def open_tab(number: int, tab: int):
    """run_before: open the customer form, then go to tab `tab` (1-6) with Ctrl+PageDown."""

    async def run_before(pilot: Pilot) -> None:
        await open_form(pilot, number)
        await pilot.press(*["ctrl+pagedown"] * ((tab - 1) or 6))  # six steps: round to Algemeen, focus on its first field
        await wait_form(pilot)
        await still_cursor(pilot)

    return run_before


@pytest.mark.parametrize("tab", [1, 2, 3, 4, 5, 6], ids=["algemeen", "adres", "communicatie", "financieel", "opmerkingen", "historiek"])
def test_every_tab_fits_80x24(snap_compare, snapshot_db: str, tab: int) -> None:
    assert snap_compare(app_for(snapshot_db), terminal_size=(80, 24), run_before=open_tab(123, tab))


def test_algemeen_with_block_banner_120x40(snap_compare, snapshot_db: str) -> None:
    customers.block(123, "Wanbetaling", "Drie facturen open sinds maart; eerst betalen.", UNTIL, "admin")
    assert snap_compare(app_for(snapshot_db), terminal_size=(120, 40), run_before=open_tab(123, 1))


def test_medewerker_sees_switch_read_only_80x24(snap_compare, snapshot_db: str) -> None:
    assert snap_compare(app_for(snapshot_db, "mw"), terminal_size=(80, 24), run_before=open_tab(123, 1))


def test_block_dialog_80x24(snap_compare, snapshot_db: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_form(pilot, 123)
        await pilot.press("ctrl+b")
        await pilot.pause()
        await still_cursor(pilot)

    assert snap_compare(app_for(snapshot_db), terminal_size=(80, 24), run_before=run_before)


def test_new_customer_80x24(snap_compare, snapshot_db: str) -> None:
    assert snap_compare(app_for(snapshot_db), terminal_size=(80, 24), run_before=open_tab_new())


def open_tab_new():
    """run_before: open a new customer's form."""

    async def run_before(pilot: Pilot) -> None:
        await open_form(pilot, None)
        await still_cursor(pilot)

    return run_before
