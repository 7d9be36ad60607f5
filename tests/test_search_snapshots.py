"""Snapshot tests of the search screen with a blocked customer among the results (80x24 and 120x40)."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.search_screen_helpers import make_app, settle


@pytest.fixture
def fixed_look(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same theme on every machine: a 24-bit terminal, colour allowed, no saved theme choice."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)


async def type_peeters(pilot: Pilot) -> None:
    """Type a query whose results include a blocked customer (Peeters Transport BV) and wait for them."""
    await settle(pilot)
    box = pilot.app.screen.query_one("#search", Input)
    box.cursor_blink = False
    await pilot.press(*"peeters")
    await settle(pilot)


async def type_blocked_filter(pilot: Pilot) -> None:
    """Empty search with the 'alleen geblokkeerd' filter on, cursor in the results."""
    await settle(pilot)
    pilot.app.screen.query_one("#search", Input).cursor_blink = False
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("down", "down")
    await pilot.pause()


def test_search_screen_80x24(snap_compare, demo_db: str, fixed_look: None) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=type_peeters)


def test_search_screen_120x40(snap_compare, demo_db: str, fixed_look: None) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(120, 40), run_before=type_peeters)


def test_search_screen_blocked_only_80x24(snap_compare, demo_db: str, fixed_look: None) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=type_blocked_filter)


def test_help_screen_80x24(snap_compare, demo_db: str, fixed_look: None) -> None:
    async def open_help(pilot: Pilot) -> None:
        await type_peeters(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=open_help)
