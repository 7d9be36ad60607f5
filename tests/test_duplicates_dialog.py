"""Issue 16: the duplicates dialog, driven directly (the customer form's hook is tested in test_duplicates_form.py)."""
from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import OptionList, Static

from klantbeheer.tui.dialogs.duplicates import DuplicateChoice, DuplicatesDialog

MATCHES: list[dict[str, Any]] = [
    {"number": 123, "name": "ABC", "postcode": "8830", "city": "Hooglede", "vat_number": "BE0867756456", "iban": "",
     "blocked": True, "block_reason": "Wanbetaling", "matches": ["BTW-nummer", "naam en postcode"]},
    {"number": 1027, "name": "Dupont [/] & [b]Zn[/b]", "postcode": "", "city": "", "vat_number": "", "iban": "",
     "blocked": False, "block_reason": "", "matches": ["IBAN"]},
]


class Host(App[None]):
    """An empty app that shows the dialog and keeps its answer."""

    def __init__(self, matches: list[dict[str, Any]]) -> None:
        super().__init__()
        self.matches = matches
        self.answers: list[DuplicateChoice | None] = []

    def compose(self) -> ComposeResult:
        yield Static("formulier")

    def on_mount(self) -> None:
        self.push_screen(DuplicatesDialog(self.matches), self.answers.append)


def shown(app: Host) -> str:
    """Every text the dialog shows."""
    dialog = app.screen
    lines = [str(widget.render()) for widget in dialog.query(Static)]
    options = dialog.query_one("#duplicates-list", OptionList)
    lines += [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return "\n".join(lines)


async def test_it_lists_who_matches_on_what_and_who_is_blocked_with_names_as_written() -> None:
    app = Host(MATCHES)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Deze klant lijkt op 2 bestaande klanten:" in text
        assert "123 ABC · 8830 Hooglede · BE 0867.756.456 · zelfde BTW-nummer, naam en postcode · GEBLOKKEERD (Wanbetaling)" in text
        assert "1027 Dupont [/] & [b]Zn[/b] · zelfde IBAN" in text
        assert "krijgt geen nieuw dossier" in text


async def test_without_a_blocked_match_there_is_no_block_note() -> None:
    app = Host(MATCHES[1:])
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Deze klant lijkt op een bestaande klant:" in shown(app)
        assert "geen nieuw dossier" not in shown(app)


@pytest.mark.parametrize(("keys", "expected"), [
    (["enter"], DuplicateChoice("open", 123)),
    (["down", "enter"], DuplicateChoice("open", 1027)),
    (["ctrl+s"], DuplicateChoice("save")),
    (["escape"], None),
    (["tab", "enter"], DuplicateChoice("open", 123)),          # the Openen button
    (["tab", "tab", "enter"], DuplicateChoice("save")),       # Toch bewaren
    (["tab", "tab", "tab", "enter"], None),                   # Terug
])
async def test_keys_open_save_anyway_or_go_back(keys: list[str], expected: DuplicateChoice | None) -> None:
    app = Host(MATCHES)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        assert app.answers == [expected]
        assert not isinstance(app.screen, DuplicatesDialog)
