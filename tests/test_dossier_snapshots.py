"""Snapshots of the new dossier screen and the block notice at 80x24 (fixed times, demo data)."""
from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot

from tests.support.new_dossier_helpers import block_with_fixed_time, make_app, settle
from tests.support.snapshot_helpers import still_cursor


async def _open_for(pilot: Pilot, owner: int) -> None:
    """Open the new dossier screen for an owner and let the owner check finish."""
    await settle(pilot)
    pilot.app.action_new_dossier(owner)
    await settle(pilot)


def test_blocked_notice(demo_db: str, snap_compare) -> None:
    block_with_fixed_time(1001, "Wanbetaling", "Drie facturen staan open; eerst betalen.", dt.date(2099, 12, 31))

    async def run_before(pilot: Pilot) -> None:
        await _open_for(pilot, 1001)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)


def test_new_dossier_form_with_owner(demo_db: str, snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open_for(pilot, 123)
        await pilot.press(*"Schade voorbumper")
        await pilot.press("tab", "tab")
        await pilot.press(*"1abc123")
        await pilot.press("shift+tab")
        await still_cursor(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)


def test_owner_suggestions_mark_blocked_customers(demo_db: str, snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.action_new_dossier(None)
        await settle(pilot)
        await pilot.press(*"peeters")
        await settle(pilot)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)
