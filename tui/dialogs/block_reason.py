"""The block dialog: reason (required), message for the dossier managers, optional end date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from klantbeheer.data import clock
from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog
from klantbeheer.tui.widgets.text_field import TextField

DATE_FORMAT = "%d-%m-%Y"


@dataclass(frozen=True)
class BlockDetails:
    """What the user entered: reason code, message and optional end date."""

    reason: str
    message: str
    until: dt.date | None


def parse_until(text: str, today: dt.date | None = None) -> dt.date | None:
    """An end date typed as dd-mm-jjjj, dd/mm/yyyy or dd.mm.yyyy (empty = none); ValueError with a Dutch message otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        value = dt.datetime.strptime(text.replace("/", "-").replace(".", "-"), DATE_FORMAT).date()
    except ValueError:
        raise ValueError(_("Geen geldige datum (dd-mm-jjjj).")) from None
    if value < (today or clock.today()):
        raise ValueError(_("De einddatum ligt in het verleden."))
    return value


class BlockReasonDialog(Dialog[BlockDetails | None]):
    """Ask why the customer is blocked; Ctrl+S or OK confirms, Escape cancels (switch stays off)."""

    DEFAULT_CSS = "BlockReasonDialog { align: center middle; }\n" + DIALOG_CSS + """
    BlockReasonDialog .dialog-box { width: 70; }
    BlockReasonDialog .block-row { height: auto; width: 100%; }
    BlockReasonDialog .block-label { width: 18; padding-top: 1; }
    BlockReasonDialog .block-row Select, BlockReasonDialog .block-row Input { width: 1fr; }
    BlockReasonDialog .block-error { color: $error; padding-left: 18; height: auto; display: none; }
    BlockReasonDialog .block-error.shown { display: block; }
    """
    BINDINGS = [
        Binding("ctrl+s", "confirm", N_("In orde"), id="block_ok"),
        Binding("escape", "cancel", N_("Annuleren"), id="block_cancel"),
    ]

    def __init__(self, reasons: list[tuple[str, str]], customer: str = "") -> None:
        super().__init__()
        self.reasons = reasons
        self.customer = customer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="block_box"):
            title = _("Klant blokkeren: {customer}").format(customer=self.customer) if self.customer else _("Klant blokkeren")
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(
                _("Een geblokkeerde klant krijgt geen nieuw dossier. De blokkering geldt na Bewaren (Ctrl+S in het formulier)."),
                classes="dialog-text",
                markup=False,
            )
            with Horizontal(classes="block-row"):
                yield Label(_("Reden *"), classes="block-label", markup=False)
                yield Select([(Text(label), code) for code, label in self.reasons], prompt=_("Kies een reden"), id="block_reason")
            yield Static("", classes="block-error", id="block_reason_error", markup=False)
            with Horizontal(classes="block-row"):
                yield Label(_("Bericht"), classes="block-label", markup=False)
                yield TextField(placeholder=_("voor de dossierbeheerders (optioneel)"), max_length=1000, id="block_message")
            yield Static("", classes="block-error", id="block_message_error", markup=False)
            with Horizontal(classes="block-row"):
                yield Label(_("Geblokkeerd tot"), classes="block-label", markup=False)
                yield TextField(placeholder=_("dd-mm-jjjj (optioneel)"), max_length=10, id="blocked_until")
            yield Static("", classes="block-error", id="blocked_until_error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("In orde (Ctrl+S)"), id="ok", variant="error")
                yield Button(_("Annuleren (Esc)"), id="cancel")

    def on_mount(self) -> None:
        """Start on the reason."""
        self.query_one("#block_reason", Select).focus()

    def _show_error(self, field: str, message: str) -> None:
        """Show or clear the message under one field."""
        target = self.query_one(f"#{field}_error", Static)
        target.update(message)
        target.set_class(bool(message), "shown")

    def errors(self) -> dict[str, str]:
        """The problems of the entered values, by field code name."""
        problems: dict[str, str] = {}
        if self.query_one("#block_reason", Select).is_blank():
            problems["block_reason"] = _("Kies een reden.")
        try:
            parse_until(self.query_one("#blocked_until", Input).value)
        except ValueError as problem:
            problems["blocked_until"] = str(problem)
        return problems

    def action_confirm(self) -> None:
        """Close with the details, or show what is missing."""
        problems = self.errors()
        for field in ("block_reason", "block_message", "blocked_until"):
            self._show_error(field, problems.get(field, ""))
        if problems:
            self.notify("\n".join(problems.values()), title=_("Niet geblokkeerd"), severity="error", markup=False)
            self.query_one(f"#{next(iter(problems))}").focus()
            return
        self.app.withdraw_notifications(_("Niet geblokkeerd"))  # what it said no longer holds
        self.dismiss(BlockDetails(
            reason=str(self.query_one("#block_reason", Select).value),
            message=self.query_one("#block_message", Input).value.strip(),
            until=parse_until(self.query_one("#blocked_until", Input).value),
        ))


    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_confirm()
