"""Someone else saved the customer in between: reload (drop own edits) or keep editing."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.dialogs.confirm import DIALOG_CSS


class ConflictDialog(ModalScreen[bool]):
    """Explain the conflict (who, when); True = reload from the database (H), False = keep editing (Escape)."""

    DEFAULT_CSS = "ConflictDialog { align: center middle; }\n" + DIALOG_CSS
    BINDINGS = [
        Binding("escape", "keep", "Verder bewerken", id="conflict_keep"),
        Binding("h", "reload", "Herladen", id="conflict_reload"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="conflict_box"):
            yield Static("Klant intussen gewijzigd", classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-text", id="conflict_message", markup=False)
            yield Static(
                "Herladen toont de bewaarde gegevens en laat uw wijzigingen vallen. "
                "Verder bewerken houdt uw wijzigingen op het scherm; bewaren lukt pas na herladen.",
                classes="dialog-text",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Herladen (H)", id="reload", variant="warning")
                yield Button("Verder bewerken (Esc)", id="keep", variant="primary")

    def on_mount(self) -> None:
        """Start on keep editing: dropping edits must be a deliberate choice."""
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed, "#reload")
    def _reload(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def _keep(self) -> None:
        self.dismiss(False)

    def action_reload(self) -> None:
        """H: reload the saved data, dropping own edits."""
        self.dismiss(True)

    def action_keep(self) -> None:
        """Escape: keep editing."""
        self.dismiss(False)
