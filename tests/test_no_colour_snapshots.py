"""Snapshots of the screens under NO_COLOR at 80x24: the terminal's own two colours, focus in reverse video."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.search_screen_helpers import make_app, settle


@pytest.fixture
def no_colour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR on a 256-colour terminal, no saved theme choice."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)


async def peeters_in_the_list(pilot: Pilot) -> None:
    """Results for 'peeters' (one blocked), the cursor on the second row."""
    await settle(pilot)
    pilot.app.screen.query_one("#search", Input).cursor_blink = False
    await pilot.press(*"peeters")
    await settle(pilot)
    await pilot.press("down", "down")
    await pilot.pause()


async def abc_form(pilot: Pilot) -> None:
    """The form of customer 123 (ABC), Algemeen tab."""
    await settle(pilot)
    await pilot.press(*"123", "enter")
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_search_list_without_colour_80x24(snap_compare, demo_db: str, no_colour: None) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=peeters_in_the_list)


def test_form_without_colour_80x24(snap_compare, demo_db: str, no_colour: None) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=abc_form)
