"""Customer search screen (placeholder; the search issue builds it)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.widgets.location_bar import LocationBar


class CustomerSearchScreen(Screen[None]):
    """Search box and results."""

    LOCATION = "Beheer › Derde partijen › Klanten"

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield Input(id="search", placeholder="Zoek op naam, nummer, BTW-nummer, gemeente…")
        yield Footer()
