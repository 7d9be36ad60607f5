"""A reusable yes/no question: ConfirmationModal(Dialog[bool])."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog


class ConfirmationModal(Dialog[bool]):
    """Ask one question; Ctrl+S or the first button answers yes, Escape or the second button no."""

    DEFAULT_CSS = "ConfirmationModal { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("escape", "answer(False)", N_("Annuleren"), id="confirm_cancel"),
        Binding("ctrl+s", "answer(True)", N_("Bevestigen"), id="confirm_ok", show=False),
    ]
    BUTTONS = {"yes": "answer(True)", "no": "answer(False)"}

    def __init__(self, title: str, message: str, yes: str | None = None, no: str | None = None,
                 danger: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = _("Ja") if yes is None else yes
        self.no = _("Nee") if no is None else no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="confirm_box"):
            yield Static(self.title_text, classes="dialog-title", id="confirm_title", markup=False)
            yield Static(self.message, classes="dialog-text", id="confirm_message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("{answer} (Ctrl+S)").format(answer=self.yes), id="yes", variant="error" if self.danger else "primary")
                yield Button(_("{answer} (Esc)").format(answer=self.no), id="no")

    def on_mount(self) -> None:
        """Start on the 'no' button for a dangerous question, else on 'yes'."""
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Close the dialog with this answer."""
        self.dismiss(answer)
