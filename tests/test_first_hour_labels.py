"""Labels a new user puzzled over, as a real 80x24 terminal shows them (issue 29, point 8).

Before: the search footer said "F4 Blok:uit" (and "Bloq:non" in French), the Financieel tab "Iban" and "Bic", and
the block dialog's key "OK" in the Dutch screens. Alt+1 is in tests/test_typeahead_terminal.py.
"""
from __future__ import annotations

import pytest

from tests.support.terminal import Terminal, app_command

# language -> (F4 with the filter off, F4 with it on, the block dialog's confirm key)
WORDS = {
    "nl": ("F4 Toon geblokkeerd", "F4 Toon alle", "In orde (Ctrl+S)"),
    "fr": ("F4 Bloqués", "F4 Tous", "OK (Ctrl+S)"),
    "en": ("F4 Show blocked", "F4 Show all", "OK (Ctrl+S)"),
}
FIRST_SCREEN = {"nl": "Laatst gewijzigde klanten", "fr": "Derniers clients modifiés", "en": "Recently changed customers"}
DIALOG = {"nl": "Reden *", "fr": "Motif *", "en": "Reason *"}


def footer(term: Terminal) -> str:
    """The bottom line of the screen."""
    return term.screen().rstrip("\n").split("\n")[-1]


@pytest.mark.parametrize("language", list(WORDS))
def test_labels_read_in_full_at_80_columns(demo_db: str, language: str) -> None:
    filter_off, filter_on, confirm = WORDS[language]
    term = Terminal(app_command(demo_db, "--language", language))
    try:
        term.wait_for(FIRST_SCREEN[language])
        term.wait_for(filter_off)
        assert f"{filter_off}▏" in footer(term) or f"{filter_off} " in footer(term), footer(term)
        term.send("F4")
        term.wait_for(filter_on)
        term.send("F4")
        term.wait_for(filter_off)
        assert "Blok:" not in term.screen() and "Bloq:" not in term.screen() and "Blk:" not in term.screen()

        term.type("123")
        term.send("Enter")
        term.wait_for(r"\b123 ·", regex=True)
        term.send("M-4")  # one packet: ESC 4, the Financieel tab
        screen = term.wait_for(r"(?m)^ IBAN\b", regex=True)
        assert any(line.startswith(" BIC ") or line.rstrip() == " BIC" for line in screen.split("\n")), screen
        assert "Iban" not in screen and "Bic " not in screen

        term.send("M-1")
        term.send("C-b")
        term.wait_for(DIALOG[language])
        screen = term.wait_for(confirm)
        if language == "nl":
            assert "OK" not in screen, screen
    finally:
        term.close()
