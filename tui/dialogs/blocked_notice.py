"""The block notice: the owner of a new dossier is blocked, so the dossier cannot go on."""
from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from klantbeheer.data.errors import CustomerBlocked, TwinBlocked
from klantbeheer.data.i18n import N_, Texts, _
from klantbeheer.tui import dates
from klantbeheer.tui.dialogs.base import Dialog

TEXT = Texts({
    "title": N_("Deze klant is geblokkeerd"),
    "twin_title": N_("Gedeeld met een geblokkeerde klant"),
    "twin": N_("Let op"),
    "marker": N_("GEBLOKKEERD"),
    "customer": N_("Klant"),
    "language": N_("Taal van de klant"),
    "number": N_("nummer"),
    "reason": N_("Reden"),
    "message": N_("Bericht"),
    "no_message": N_("(geen bericht)"),
    "since": N_("Geblokkeerd sinds"),
    "by": N_("door"),
    "until": N_("Geblokkeerd tot"),
    "until_note": N_("(tot en met die dag)"),
    "unknown": N_("onbekend"),
    "stop": N_("U kunt niet doorgaan met dit dossier."),
    "close": N_("Sluiten (Enter/Esc)"),
})


def format_moment(value: dt.datetime | dt.date | str | None) -> str:
    """A stored timestamp as dd-mm-jjjj uu:mm (a date alone as dd-mm-jjjj); none as 'onbekend'."""
    return dates.format_moment(value, TEXT["unknown"])


def notice_lines(error: CustomerBlocked) -> list[tuple[str, str]]:
    """The notice's (label, value) lines, in reading order; a twin's notice first; the customer's language and 'until' when set."""
    twin = [(TEXT["twin"], error.notice)] if isinstance(error, TwinBlocked) else []
    lines = twin + [
        (TEXT["customer"], f"{error.name} ({TEXT['number']} {error.number})"),
        *([(TEXT["language"], error.language)] if error.language else []),  # the list's label, in the operator's language
        (TEXT["reason"], error.reason or TEXT["unknown"]),
        (TEXT["message"], error.block_message or TEXT["no_message"]),
        (TEXT["since"], f"{format_moment(error.blocked_at)} {TEXT['by']} {error.blocked_by or TEXT['unknown']}"),
    ]
    if error.blocked_until:
        lines.append((TEXT["until"], f"{format_moment(error.blocked_until)} {TEXT['until_note']}"))
    return lines


class BlockedNoticeScreen(Dialog[None]):
    """Modal "Deze klant is geblokkeerd" with who, when, why and the message; Enter or Escape closes."""

    DEFAULT_CSS = """
    BlockedNoticeScreen { align: center middle; }
    BlockedNoticeScreen > #notice-box {
        width: 72; max-width: 100%; height: auto; max-height: 22;
        border: thick $error; background: $surface; padding: 0 1;
    }
    BlockedNoticeScreen #notice-title { text-style: bold; color: $text-error; width: 100%; }
    BlockedNoticeScreen #notice-details { height: auto; max-height: 12; margin: 1 0 0 0; }
    BlockedNoticeScreen .notice-line { height: auto; }
    BlockedNoticeScreen .notice-label { width: 20; }
    BlockedNoticeScreen .notice-value { width: 1fr; }
    BlockedNoticeScreen #notice-stop { text-style: bold; margin: 1 0 0 0; }
    BlockedNoticeScreen #notice-close { margin: 1 0 0 0; width: auto; }
    """
    BINDINGS = [
        Binding("escape", "close", N_("Sluiten"), id="blocked_notice_close"),
        Binding("enter", "close", N_("Sluiten"), show=False, id="blocked_notice_enter"),
    ]
    BUTTONS = {"notice-close": "close"}

    def __init__(self, error: CustomerBlocked) -> None:
        super().__init__(id="blocked-notice")
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="notice-box") as box:
            box.border_title = Content(TEXT["marker"])
            title = TEXT["twin_title"] if isinstance(self.error, TwinBlocked) else TEXT["title"]
            yield Static(title, id="notice-title", markup=False)
            with VerticalScroll(id="notice-details", can_focus=False):
                for label, value in notice_lines(self.error):
                    with Horizontal(classes="notice-line"):
                        yield Static(_("{label}:").format(label=label), classes="notice-label", markup=False)
                        yield Static(value, classes="notice-value", markup=False)
            yield Static(TEXT["stop"], id="notice-stop", markup=False)
            yield Button(TEXT["close"], id="notice-close", variant="error")

    def on_mount(self) -> None:
        """Focus the close button so Enter closes."""
        self.query_one("#notice-close", Button).focus()

    def action_close(self) -> None:
        """Enter or Escape: close the notice."""
        self.dismiss(None)
