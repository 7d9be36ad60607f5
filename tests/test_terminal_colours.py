"""Without colour and with 16 colours, in a real terminal: every printed character stands out from its background.

The app runs in tmux; `capture-pane -e` gives each cell's real colours, which tests/support/terminal_cells.py
resolves with xterm's palette on a black terminal. Each screen and dialog is visited by keys.
"""
from __future__ import annotations

import time

import pytest

from klantbeheer.data import customers
from tests.support.terminal import Terminal, app_command
from tests.support.terminal_cells import cells, describe, unreadable

MODES = {
    "NO_COLOR-256": {"NO_COLOR": "1", "TERM": "xterm-256color"},
    "NO_COLOR-xterm": {"NO_COLOR": "1", "TERM": "xterm"},
    "xterm": {"TERM": "xterm"},
    "linux": {"TERM": "linux"},
    "screen": {"TERM": "screen"},
}

PAUSE = "pause"  # ESC then a digit within ESCDELAY is Alt+digit (tui/terminal_keys.py): wait between them

# (what, keys, text that shows the screen is up); walked in this order in one session.
WALK = [
    ("zoeken", [], "Laatst gewijzigde klanten"),
    ("lijst", ["Down", "Down"], "Laatst gewijzigde klanten"),
    ("help zoeken", ["F1"], "Toetsen"),
    ("klant 123", ["Escape", "Escape", PAUSE, "1", "2", "3", "Enter"], "Klant 123 ·"),
    ("tab Adres", ["C-PageDown"], "Provincie"),
    ("tab Communicatie", ["C-PageDown"], "E-mail"),
    ("tab Financieel", ["C-PageDown"], "Betalingstermijn"),
    ("tab Opmerkingen", ["C-PageDown"], "Opmerking Tonen"),
    ("tab Historiek", ["C-PageDown"], "Dossiers"),
    ("blokkeren", ["C-b"], "Reden"),
    ("wijzigingen bewaren?", ["Escape", PAUSE, "M-1", "Tab", "x", "Escape"], "Wijzigingen bewaren?"),
    ("nieuw dossier", ["n", "F2", "F3"], "Nieuw dossier"),
]


def screen_settled(term: Terminal, expected: str) -> tuple[str, str]:
    """Wait for `expected`, then until the last paint is done; (plain text, text with colours)."""
    term.wait_for(expected)
    coloured = term.settled()
    return term.screen(), coloured


@pytest.mark.parametrize("mode", list(MODES))
def test_every_screen_is_readable(demo_db: str, mode: str) -> None:
    term = Terminal(app_command(demo_db), env=MODES[mode])
    problems: list[str] = []
    try:
        for what, keys, expected in WALK:
            while keys:
                burst = keys[: keys.index(PAUSE)] if PAUSE in keys else keys
                keys = keys[len(burst) + 1:]
                term.send(*burst)
                if keys:
                    time.sleep(0.3)  # PAUSE: ESC and a digit further apart than ESCDELAY (the gap is what is tested)
            text, coloured = screen_settled(term, expected)
            assert cells(coloured), f"{what}: nothing printed"
            bad = unreadable(coloured)
            if bad:
                problems.append(f"{what}: {describe(bad, text)}")
    finally:
        term.close()
    assert not problems, "\n\n".join(problems)


def test_blocked_notice_is_readable_without_colour(demo_db: str) -> None:
    blocked = customers.search("Peeters Transport", blocked_only=True)[0]
    term = Terminal(app_command(demo_db), env=MODES["NO_COLOR-256"])
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.type("Peeters Transport")
        term.send("F3")
        text, coloured = screen_settled(term, "Deze klant is geblokkeerd")  # the notice (the footer says "Toon geblokkeerd")
        assert str(blocked["number"]) in text
        assert not unreadable(coloured), describe(unreadable(coloured), text)
    finally:
        term.close()


def reversed_rows(coloured: str) -> dict[int, str]:
    """The characters shown in reverse video, per screen row."""
    rows: dict[int, str] = {}
    for cell in cells(coloured):
        if cell.reverse:
            rows[cell.row] = rows.get(cell.row, "") + cell.char
    return rows


def test_without_colour_focus_row_and_tab_show_in_reverse_video(demo_db: str) -> None:
    term = Terminal(app_command(demo_db), env=MODES["NO_COLOR-256"])
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.type("peeters")
        term.send("Down", "Down")
        text, coloured = screen_settled(term, "Peeters")
        second = customers.search("peeters", 100)[1]
        highlighted = [row for row in reversed_rows(coloured).values() if str(second["number"]) in row]
        assert highlighted, "the highlighted row is not in reverse video"
        term.send("Enter")
        text, coloured = screen_settled(term, "· versie")
        assert "Algemeen" in reversed_rows(coloured).values()
        term.send("C-PageDown")
        text, coloured = screen_settled(term, "Provincie")
        assert "Adres" in reversed_rows(coloured).values()
    finally:
        term.close()
