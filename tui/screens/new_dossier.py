"""New dossier screen (placeholder; the dossier issue builds it)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.widgets.location_bar import LocationBar


class NewDossierScreen(Screen[None]):
    """Open a new dossier for an owner (None = choose one)."""

    LOCATION = "Dossiers › Nieuw dossier"

    def __init__(self, owner: int | None = None) -> None:
        super().__init__()
        self.owner = owner

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield Static(f"Eigenaar {self.owner}")
        yield Footer()
