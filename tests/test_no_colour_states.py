"""Under NO_COLOR, in a real terminal (tmux `capture-pane -e`): fields show their edges, the focused one stands out,
and a ticked check box differs from an unticked one (issue 29, point 3).

Before: a check box drew "▐X▌" ticked or not (only the colour of the X told), and an input field had no edges at all.
"""
from __future__ import annotations

import pytest

from tests.support.terminal import Terminal, app_command
from tests.support.terminal_cells import Cell, cells

FIELD_COLUMN = 24  # where the form's fields start at 80 columns (after the 22-wide labels)
FIELD_WIDTH = 40  # the narrowest text field on the Algemeen tab is wider than this


def row_of(text: str, label: str) -> int:
    """The screen row whose line starts with the form label `label`."""
    for number, line in enumerate(text.split("\n")):
        if line.rstrip() == f" {label}" or line.startswith(f" {label} "):
            return number
    raise AssertionError(f"no row labelled {label!r}:\n{text}")


def field_cells(capture: str, row: int) -> list[Cell]:
    """The cells of the field on `row`, blanks included."""
    return [cell for cell in cells(capture, blanks=True)
            if cell.row == row and FIELD_COLUMN <= cell.column < FIELD_COLUMN + FIELD_WIDTH]


@pytest.mark.parametrize("term_name", ["xterm-256color", "linux"])
def test_fields_and_focus_show_without_colour(demo_db: str, term_name: str) -> None:
    term = Terminal(app_command(demo_db), env={"NO_COLOR": "1", "TERM": term_name})
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.type("123")
        term.send("Enter")
        term.wait_for("Klant 123 ·")
        coloured = term.settled()
        text = term.screen()
        naam, contact = row_of(text, "Naam"), row_of(text, "Contact")
        focused = field_cells(coloured, naam)
        assert len(focused) == FIELD_WIDTH and sum(cell.reverse for cell in focused) == FIELD_WIDTH - 1, \
            f"the focused field (Naam) is not in reverse video (but for its cursor):\n{text}"
        empty = field_cells(coloured, contact)
        assert len(empty) == FIELD_WIDTH and all(cell.underline and not cell.reverse for cell in empty), \
            f"the empty Contact field shows no edge (underline):\n{text}"

        term.send("Tab")
        term.wait_for("Klant 123 ·")
        coloured = term.settled()
        left = field_cells(coloured, naam)
        assert all(cell.underline and not cell.reverse for cell in left), \
            f"Naam still looks focused after Tab:\n{term.screen()}"
    finally:
        term.close()


def test_a_ticked_box_differs_from_an_unticked_one_without_colour(demo_db: str) -> None:
    term = Terminal(app_command(demo_db), env={"NO_COLOR": "1", "TERM": "xterm-256color"})
    try:
        term.wait_for("Laatst gewijzigde klanten")
        term.type("123")
        term.send("Enter")
        term.wait_for("Klant 123 ·")
        term.send("M-5")  # one packet: ESC 5, the Opmerkingen tab, focus in the remarks
        term.wait_for("Opmerking Tonen")
        term.send("Tab")
        term.settled()
        before = term.screen()
        line = before.split("\n")[row_of(before, "Opmerking Tonen")]
        assert "[ ]" in line and "X" not in line, f"an unticked box must read '[ ]':\n{before}"
        term.send("Space")
        term.wait_for("[X] ja")
        after = term.screen()
        ticked = after.split("\n")[row_of(after, "Opmerking Tonen")]
        other = after.split("\n")[row_of(after, "Toon Identiteitskaart")]
        assert "[X]" in ticked and "[ ]" in other, f"ticked and unticked look alike:\n{after}"
    finally:
        term.close()
