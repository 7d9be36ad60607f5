"""'Niet bewaarde wijzigingen van 14:02 herstellen?' at start-up: restore, throw away, or ask again later."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.dialogs.base import DIALOG_CSS, Dialog


class RestoreDraftDialog(Dialog[bool | None]):
    """True = Herstellen (Ctrl+S), False = Weggooien (W), None = Later (Escape: asked again on the next start)."""

    DEFAULT_CSS = "RestoreDraftDialog { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("ctrl+s", "answer(True)", N_("Herstellen"), id="restore_yes"),
        Binding("w", "answer(False)", N_("Weggooien"), id="restore_drop"),
        Binding("escape", "answer(None)", N_("Later"), id="restore_later"),
    ]
    BUTTONS = {"restore": "answer(True)", "drop": "answer(False)", "later": "answer(None)"}

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="restore_box"):
            yield Static(self.title_text, classes="dialog-title", id="restore_title", markup=False)
            yield Static(self.message, classes="dialog-text", id="restore_message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Herstellen (Ctrl+S)"), id="restore", variant="primary")
                yield Button(_("Weggooien (W)"), id="drop", variant="warning")
                yield Button(_("Later (Esc)"), id="later")

    def on_mount(self) -> None:
        """Start on Herstellen: keeping the input is the safe choice."""
        self.query_one("#restore", Button).focus()

    def action_answer(self, answer: bool | None) -> None:
        """Close with this answer."""
        self.dismiss(answer)
