"""The history of one reference list: every change, newest first, with who, when, old and new."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from klantbeheer.data import lists
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.list_history import history_text
from klantbeheer.tui.dialogs.base import Dialog
from klantbeheer.tui.i18n import TranslatedBindings


class ListHistoryDialog(TranslatedBindings, Dialog[None]):
    """Read the list's history in a worker and show it; Escape closes."""

    DEFAULT_CSS = """
    ListHistoryDialog { align: center middle; }
    ListHistoryDialog > Vertical { width: 78; max-width: 100%; height: 20; max-height: 100%; border: round $primary;
        background: $surface; padding: 0 1; border-title-style: bold; border-title-align: left; }
    ListHistoryDialog #history_lines { height: 1fr; }
    """
    BINDINGS = [Binding("escape,f5", "close", N_("Sluiten"), id="close_list_history")]

    def __init__(self, name: str, title: str) -> None:
        super().__init__()
        self.list_name = name
        self.list_title = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(_("Historiek · {list}").format(list=self.list_title))
            with VerticalScroll(id="history_lines"):
                yield Static(_("Laden…"), id="history_text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Read the history."""
        self.query_one("#history_lines").focus()
        self.read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="lists-history")
    def read(self) -> None:
        """The list's events as text lines, in a worker."""
        try:
            text = history_text(lists.history(self.list_name))
        except KlantbeheerError as problem:
            text = problem.message
        self.app.call_from_thread(self.query_one("#history_text", Static).update, Text(text))

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss(None)
