"""Asks before leaving a new dossier that has typed input: discard it or go back."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

TEXT = {
    "title": "Dossier niet aangemaakt",
    "question": "U hebt gegevens ingevuld maar het dossier is nog niet aangemaakt. Verlaten zonder aan te maken?",
    "discard": "Verlaten (J)",
    "stay": "Terug (N/Esc)",
}


class DiscardDossierModal(ModalScreen[bool]):
    """True when the user wants to leave without creating the dossier."""

    DEFAULT_CSS = """
    DiscardDossierModal { align: center middle; }
    DiscardDossierModal > #discard-box {
        width: 60; max-width: 100%; height: auto; border: thick $warning; background: $surface; padding: 0 1;
    }
    DiscardDossierModal #discard-buttons { height: auto; margin: 1 0 0 0; }
    DiscardDossierModal #discard-buttons Button { margin: 0 1 0 0; }
    """
    BINDINGS = [
        Binding("escape", "stay", "Terug", id="discard_dossier_stay"),
        Binding("n", "stay", "Terug", show=False, id="discard_dossier_no"),
        Binding("j,y", "discard", "Verlaten", show=False, id="discard_dossier_yes"),
    ]

    def __init__(self) -> None:
        super().__init__(id="discard-dossier")

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box") as box:
            box.border_title = TEXT["title"]
            yield Static(TEXT["question"], markup=False)
            with Horizontal(id="discard-buttons"):
                yield Button(TEXT["stay"], id="discard-stay", variant="primary")
                yield Button(TEXT["discard"], id="discard-leave", variant="warning")

    def on_mount(self) -> None:
        """Focus 'Terug': Enter by accident keeps the input."""
        self.query_one("#discard-stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Either button answers."""
        event.stop()
        self.dismiss(event.button.id == "discard-leave")

    def action_stay(self) -> None:
        """Go back to the form."""
        self.dismiss(False)

    def action_discard(self) -> None:
        """Leave without creating the dossier."""
        self.dismiss(True)
