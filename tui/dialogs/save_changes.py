"""'Wijzigingen bewaren?' on every way out of a screen with unsaved input: save, discard or stay."""
from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog

SaveChoice = Literal["save", "discard", "cancel"]


class SaveChangesDialog(Dialog[SaveChoice]):
    """Bewaren / Niet bewaren / Terug; Escape means Terug (stay on the screen), N means Niet bewaren."""

    # Three buttons labelled with their keys need 62 columns: wider than the default box (still fits 80).
    DEFAULT_CSS = "SaveChangesDialog { align: center middle; }\n" + DIALOG_CSS + """
    SaveChangesDialog .dialog-box { width: 70; }
    """
    BINDINGS = [
        Binding("escape", "choose('cancel')", N_("Terug"), id="save_changes_cancel"),
        Binding("ctrl+s", "choose('save')", N_("Bewaren"), id="save_changes_save"),
        Binding("n", "choose('discard')", N_("Niet bewaren"), id="save_changes_discard"),
    ]
    BUTTONS = {"save": "choose('save')", "discard": "choose('discard')", "cancel": "choose('cancel')"}

    def __init__(self, what: str = "") -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="save_changes_box"):
            yield Static(_("Wijzigingen bewaren?"), classes="dialog-title", markup=False)
            yield Static(self.what or _("Er zijn wijzigingen die nog niet bewaard zijn."), classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Bewaren (Ctrl+S)"), id="save", variant="primary")
                yield Button(_("Niet bewaren (N)"), id="discard", variant="warning")
                yield Button(_("Terug (Esc)"), id="cancel")

    def on_mount(self) -> None:
        """Start on Bewaren, the safe choice."""
        self.query_one("#save", Button).focus()

    def action_choose(self, choice: SaveChoice) -> None:
        """Close the dialog with this choice."""
        self.dismiss(choice)
