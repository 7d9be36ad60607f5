"""Dossier search: find dossiers by number, plate, reference or customer (number or name) as you type; Enter opens one."""
from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, get_current_worker

from klantbeheer.data import dossiers
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.explain import explain
from klantbeheer.data.i18n import N_, Texts, number_text
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.widgets.dossier_table import DossierTable
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.widgets.text_field import TextField
from klantbeheer.tui.worker_errors import failure

RESULT_LIMIT = 200
TEXT = Texts({
    "placeholder": N_("Zoek op dossiernummer, nummerplaat, referentie of klant…"),
    "busy": N_("Zoeken…"),
    "none": N_("Geen dossiers gevonden"),
    "one": N_("1 dossier gevonden"),
    "many": N_("{count} dossiers gevonden"),
    "latest": N_("Laatste dossiers ({count})"),
    "failed": N_("Zoeken mislukt: {message}"),
    "no_dossier": N_("Kies eerst een dossier in de lijst."),
})


class DossiersFound(Message):
    """Rows for query number `seq` (posted from a worker thread)."""

    def __init__(self, seq: int, text: str, rows: list[dict[str, Any]]) -> None:
        super().__init__()
        self.seq, self.text, self.rows = seq, text, rows


class DossierSearchFailed(Message):
    """The query `seq` was refused by the data layer (one sentence)."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__()
        self.seq, self.message = seq, message


class DossierSearchScreen(TranslatedBindings, Screen[None]):
    """Search box, the dossiers found (newest first) and a status line."""

    LOCATION = N_("Dossiers › Zoeken")
    AUTO_FOCUS = "#dossier_search"
    HELP_NOTES = [(N_("typen"), N_("zoekt meteen (dossiernummer, nummerplaat, referentie, klantnummer of naam)"))]
    BINDINGS = [
        Binding("f1", "app.help", N_("Help"), id="dossier_search_help", tooltip=N_("De toetsen van dit scherm")),
        Binding("enter", "open_selected", N_("Open"), priority=True, id="open_dossier", tooltip=N_("Dossier openen"), show=False),
        Binding("down", "focus_results", N_("Lijst"), show=False, id="dossier_results"),
        Binding("escape", "clear_or_leave", N_("Wis / terug"), id="dossier_search_clear",
                tooltip=N_("Zoekvak leegmaken; leeg: terug")),
        Binding("f2", "app.search", N_("Zoeken"), show=False, id="dossier_search_to_customers"),
        Binding("f3", "app.new_dossier", N_("Nieuw dossier"), show=False, id="dossier_search_new"),
    ]
    DEFAULT_CSS = """
    DossierSearchScreen #dossier_results_table { height: 1fr; }
    DossierSearchScreen #dossier_status { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._seq = 0
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield TextField(id="dossier_search", placeholder=TEXT["placeholder"])
        yield DossierTable(with_customer=True, id="dossier_results_table")
        yield Static(TEXT["busy"], id="dossier_status", markup=False)
        yield Footer(compact=True)

    @property
    def results(self) -> DossierTable:
        """The table of dossiers found."""
        return self.query_one("#dossier_results_table", DossierTable)

    @property
    def search_box(self) -> Input:
        """The search box."""
        return self.query_one("#dossier_search", Input)

    def on_screen_resume(self) -> None:
        """Arrival and return from a dossier: fresh results."""
        self.refresh_results()

    def refresh_results(self) -> None:
        """Run the box's query (newer than anything still running)."""
        self._seq += 1
        self._find(self._seq, self.search_box.value)

    @on(Input.Changed, "#dossier_search")
    def _typed(self, event: Input.Changed) -> None:
        """Every keystroke starts a new query that supersedes the older ones."""
        self.refresh_results()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-search")
    def _find(self, seq: int, text: str) -> None:
        """Worker: the dossiers matching the text."""
        if get_current_worker().is_cancelled:
            return
        try:
            self.post_message(DossiersFound(seq, text, dossiers.find_dossiers(text, RESULT_LIMIT)))
        except KlantbeheerError as problem:
            self.post_message(DossierSearchFailed(seq, problem.message))

    @on(DossiersFound)
    def _show(self, message: DossiersFound) -> None:
        """Show the rows unless a newer query was started since (stale results are dropped)."""
        if message.seq != self._seq:
            return
        self.results.show_dossiers(message.rows)
        self._shown = message.text
        count = len(message.rows)
        if not message.text.strip():
            line = TEXT["latest"].format(count=number_text(count))
        elif count == 0:
            line = TEXT["none"]
        else:
            line = TEXT["one"] if count == 1 else TEXT["many"].format(count=number_text(count))
        self.query_one("#dossier_status", Static).update(line)

    @on(DossierSearchFailed)
    def _failed(self, message: DossierSearchFailed) -> None:
        """A domain error: said in the status line."""
        if message.seq == self._seq:
            self.query_one("#dossier_status", Static).update(TEXT["failed"].format(message=message.message))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in a search: one sentence in the status line, never a traceback."""
        error = failure(event, "dossier-search")
        if error is not None:
            self.query_one("#dossier_status", Static).update(TEXT["failed"].format(message=explain(error)))

    def is_current_shown(self) -> bool:
        """True when the table shows the results of the box's text now."""
        return self._shown == self.search_box.value

    def _current(self) -> bool:
        """Make the table show the box's query now (a key typed right after the text acts on its results)."""
        if self.is_current_shown():
            return True
        self._seq += 1
        try:
            rows = dossiers.find_dossiers(self.search_box.value, RESULT_LIMIT)
        except KlantbeheerError as problem:
            self._failed(DossierSearchFailed(self._seq, problem.message))
            return False
        self._show(DossiersFound(self._seq, self.search_box.value, rows))
        return True

    def action_open_selected(self) -> None:
        """Enter: open the highlighted dossier (in the search box: the first one)."""
        if not self._current():
            return
        number = self.results.highlighted_number()
        if number is None:
            self.notify(TEXT["no_dossier"], severity="warning", markup=False)
            return
        app_of(self).open_dossier(number)

    def action_focus_results(self) -> None:
        """Down: from the box into the list."""
        if self._current() and self.results.row_count:
            self.results.focus()

    def action_clear_or_leave(self) -> None:
        """Escape: empty the box; when it is empty, go back."""
        if self.search_box.value:
            self.search_box.value = ""
            self.search_box.focus()
        else:
            self.dismiss()

    @on(DataTable.RowSelected, "#dossier_results_table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        """A row chosen in the table (Enter there)."""
        event.stop()
        self.action_open_selected()
