"""Customer form (placeholder; the form issue builds it)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.widgets.location_bar import LocationBar


class CustomerFormScreen(Screen[None]):
    """The tabbed 'Beheer Eigenaars' form for one customer (None = a new customer)."""

    LOCATION = "Beheer › Derde partijen › Klanten › Beheer Eigenaars"

    def __init__(self, number: int | None = None) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield Static(f"Klant {self.number}")
        yield Footer()
