"""Snapshots at 80x24 of the form and the block notice for customers whose names look like markup or escapes."""
from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.nasty_names import add_nasty_customers
from tests.support.new_dossier_helpers import block_with_fixed_time, make_app, settle


def test_form_with_a_markup_name(demo_db: str, snap_compare) -> None:
    number = add_nasty_customers(demo_db)["Dupont [/]"]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_customer(number)
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)


def test_block_notice_with_an_escape_in_the_name(demo_db: str, snap_compare) -> None:
    number = add_nasty_customers(demo_db)["\x1b[2J Wis"]
    block_with_fixed_time(number, "Wanbetaling", "[b]Open[/b] facturen: Garage [Gent]", dt.date(2099, 12, 31))

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.action_new_dossier(number)
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=run_before)
