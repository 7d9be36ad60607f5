"""The Historiek tab: the customer's events (newest first) and dossiers, read only."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from klantbeheer.data.i18n import _
from klantbeheer.tui.screens.form.loading import FormData


class HistoriekTab(VerticalScroll):
    """Events and dossiers as plain text (user text is never markup)."""

    def __init__(self) -> None:
        super().__init__(id="history_scroll")

    def compose(self) -> ComposeResult:
        yield Static(_("Gebeurtenissen (nieuwste eerst)"), classes="section", id="history_heading", markup=False)
        yield Static("", id="history_events", markup=False)
        yield Static(_("Dossiers"), classes="section", markup=False)
        yield Static("", id="history_dossiers", markup=False)

    def show(self, payload: FormData) -> None:
        """Show the events and dossiers of a freshly read customer."""
        self.query_one("#history_events", Static).update("\n".join(payload.history) or _("Nog geen gebeurtenissen."))
        self.query_one("#history_dossiers", Static).update("\n".join(payload.dossiers) or _("Geen dossiers."))
