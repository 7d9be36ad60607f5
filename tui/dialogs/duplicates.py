"""The duplicates warning: customers that look like the one being saved; open one, save anyway, or go back."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from klantbeheer.data.i18n import N_, Texts, _
from klantbeheer.data.validation import format_vat
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog

TEXT = Texts({
    "title": N_("Mogelijke dubbele klant"),
    "intro_one": N_("Deze klant lijkt op een bestaande klant:"),
    "intro_many": N_("Deze klant lijkt op {count} bestaande klanten:"),
    "same": N_("zelfde {what}"),
    "blocked": N_("GEBLOKKEERD ({reason})"),
    "blocked_note": N_("Let op: een klant die BTW-nummer of IBAN deelt met een geblokkeerde klant krijgt geen nieuw dossier."),
    "hint": N_("Twee klanten met één BTW-nummer kan kloppen (filialen). Bewaar alleen als het echt een andere klant is."),
    "open": N_("Openen (Enter)"),
    "save": N_("Toch bewaren (Ctrl+S)"),
    "back": N_("Terug (Esc)"),
})


@dataclass(frozen=True)
class DuplicateChoice:
    """What the user chose: "save" (save anyway) or "open" (open customer `number`)."""

    action: str
    number: int | None = None


def match_text(match: Mapping[str, Any]) -> Text:
    """One match as plain text (never markup): number, name, place, BTW, what is the same, blocked."""
    place = " ".join(part for part in (str(match.get("postcode") or ""), str(match.get("city") or "")) if part)
    parts = [f"{match['number']} {match['name']}"]
    if place:
        parts.append(place)
    if match.get("vat_number"):
        parts.append(format_vat(str(match["vat_number"])))
    parts.append(TEXT["same"].format(what=", ".join(match.get("matches") or [])))
    text = Text(" · ".join(parts))
    if match.get("blocked"):
        text.append(" · ")
        text.append(TEXT["blocked"].format(reason=match.get("block_reason") or _("onbekend")), style="bold")
    return text


class DuplicatesDialog(Dialog[DuplicateChoice | None]):
    """Lists likely duplicates; Enter opens the highlighted one, Ctrl+S saves anyway, Escape goes back."""

    DEFAULT_CSS = "DuplicatesDialog { align: center middle; }\n" + DIALOG_CSS + """
    DuplicatesDialog .dialog-box { width: 78; }
    DuplicatesDialog #duplicates-list { height: auto; max-height: 8; margin-bottom: 1; }
    DuplicatesDialog #duplicates-blocked { color: $text-error; text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", N_("Terug"), id="duplicates_back"),
        Binding("ctrl+s", "save_anyway", N_("Toch bewaren"), id="duplicates_save"),
    ]
    BUTTONS = {"duplicates-open": "open_highlighted", "duplicates-save": "save_anyway", "duplicates-back": "back"}

    def __init__(self, matches: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(id="duplicates-dialog")
        self.matches = list(matches)

    def compose(self) -> ComposeResult:
        count = len(self.matches)
        intro = TEXT["intro_one"] if count == 1 else TEXT["intro_many"].format(count=count)
        with Vertical(classes="dialog-box", id="duplicates-box"):
            yield Static(TEXT["title"], classes="dialog-title", markup=False)
            yield Static(intro, classes="dialog-text", markup=False)
            yield OptionList(*[Option(match_text(m), id=str(m["number"])) for m in self.matches], id="duplicates-list")
            if any(m.get("blocked") for m in self.matches):
                yield Static(TEXT["blocked_note"], id="duplicates-blocked", markup=False)
            yield Static(TEXT["hint"], classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(TEXT["open"], id="duplicates-open", variant="primary")
                yield Button(TEXT["save"], id="duplicates-save", variant="warning")
                yield Button(TEXT["back"], id="duplicates-back")

    def on_mount(self) -> None:
        """Start in the list on the first match, so Enter opens it."""
        found = self.query_one("#duplicates-list", OptionList)
        found.highlighted = 0
        found.focus()

    @on(OptionList.OptionSelected, "#duplicates-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on a match: open that customer."""
        event.stop()
        self.dismiss(DuplicateChoice("open", int(event.option.id or 0)))

    def action_open_highlighted(self) -> None:
        """The open button: the highlighted match."""
        found = self.query_one("#duplicates-list", OptionList)
        index = found.highlighted if found.highlighted is not None else 0
        self.dismiss(DuplicateChoice("open", int(self.matches[index]["number"])))

    def action_save_anyway(self) -> None:
        """Ctrl+S: save the customer as it is."""
        self.dismiss(DuplicateChoice("save"))

    def action_back(self) -> None:
        """Escape: back to the form, nothing saved."""
        self.dismiss(None)
