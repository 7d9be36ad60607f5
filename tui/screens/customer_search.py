"""Customer search screen: a search box whose results follow every keystroke, live and keyboard-only."""
from __future__ import annotations

import logging
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker, get_current_worker

from klantbeheer.data import customers
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.explain import explain
from klantbeheer.data.i18n import N_, Texts, number_text
from klantbeheer.tui.i18n import TranslatedBindings
from klantbeheer.tui.live import DataChanged
from klantbeheer.tui.widgets.location_bar import LocationBar
from klantbeheer.tui.widgets.results_table import ResultsTable
from klantbeheer.tui.widgets.text_field import TextField
from klantbeheer.tui.worker_errors import failure

log = logging.getLogger(__name__)

RESULT_LIMIT = 50  # one page; Down or PageDown on the last row loads the next
WIDE = 96  # from this width the footer has room for "⏎ Open" too
COUNT_CAP = 1000
INTO_RESULTS = N_("Van het zoekvak naar de resultaten (PgDn: een pagina verder)")
BUSY_AFTER_S = 0.15  # a query still running after this long says "Zoeken…" (faster ones never flash it)

TEXT = Texts({
    "placeholder": N_("Zoek op naam, nummer, BTW-nummer, gemeente, externe ref.…"),
    "busy": N_("Zoeken…"),
    "at_least": N_("minstens {shown} klanten gevonden…"),
    "recent_busy": N_("Laatst gewijzigde klanten…"),
    "none": N_("Geen resultaten"),
    "one": N_("1 klant gevonden"),
    "many": N_("{count} klanten gevonden"),
    "more": N_("meer dan {cap} klanten gevonden"),
    "recent": N_("Laatst gewijzigde klanten ({total} in totaal)"),
    "recent_more": N_("Laatst gewijzigde klanten (meer dan {cap} in totaal)"),
    "range": N_("1-{shown} van {total} klanten gevonden"),
    "range_more": N_("1-{shown} van meer dan {cap} klanten gevonden"),
    "corrections": N_("; ook gevonden: {words}"),
    "ignored": N_("; daarna zonder «{words}»"),
    "unsearchable": N_("Geen letters of cijfers om op te zoeken (leestekens en emoji tellen niet)"),
    "filter_on": N_("  ·  filter: alleen geblokkeerd"),
    "failed": N_("Zoeken mislukt: {message}"),
    "no_customer": N_("Kies eerst een klant in de lijst."),
})


class ResultsReady(Message):
    """Rows for query number `seq` (posted from a worker thread)."""

    def __init__(self, seq: int, text: str, blocked_only: bool, rows: list[dict[str, Any]],
                 corrections: list[str] | None = None, searchable: bool = True, ignored: list[str] | None = None) -> None:
        super().__init__()
        self.seq, self.text, self.blocked_only, self.rows = seq, text, blocked_only, rows
        self.corrections, self.searchable, self.ignored = corrections or [], searchable, ignored or []


class CountReady(Message):
    """How many customers match query number `seq` (up to COUNT_CAP + 1)."""

    def __init__(self, seq: int, total: int) -> None:
        super().__init__()
        self.seq, self.total = seq, total


class SearchFailed(Message):
    """Query number `seq` failed with a domain error; `message` is Dutch."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__()
        self.seq, self.message = seq, message


def status_text(text: str, shown: int, total: int | None, blocked_only: bool, corrections: list[str] | None = None,
                searchable: bool = True, ignored: list[str] | None = None) -> str:
    """The status line for a query: how many match, which rows are shown, the typo corrections and the words the
    last rows lack, in the operator's language (numbers by Babel: 1.000, 1 000, 1,000)."""
    suffix = TEXT["filter_on"] if blocked_only else ""
    if not searchable:
        return TEXT["unsearchable"] + suffix
    if ignored:
        suffix = TEXT["ignored"].format(words=", ".join(ignored)) + suffix
    if corrections:
        suffix = TEXT["corrections"].format(words=", ".join(word.capitalize() for word in corrections)) + suffix
    if total is None:
        if not text.strip():
            return TEXT["recent_busy"] + suffix
        return (TEXT["at_least"].format(shown=number_text(shown)) if shown else TEXT["busy"]) + suffix
    if total == 0:
        return TEXT["none"] + suffix
    if not text.strip():
        recent = TEXT["recent_more"].format(cap=number_text(COUNT_CAP)) if total > COUNT_CAP else TEXT["recent"].format(total=number_text(total))
        return recent + suffix
    if total > COUNT_CAP:
        line = TEXT["range_more"].format(shown=number_text(shown), cap=number_text(COUNT_CAP))
    elif shown < total:
        line = TEXT["range"].format(shown=number_text(shown), total=number_text(total))
    elif total == 1:
        line = TEXT["one"]
    else:
        line = TEXT["many"].format(count=number_text(total))
    return line + suffix


class CustomerSearchScreen(TranslatedBindings, Screen[None]):
    """Search box and results: the first screen, and the one F2 returns to."""

    LOCATION = N_("Beheer › Derde partijen › Klanten")
    AUTO_FOCUS = "#search"
    HELP_NOTES = [
        (N_("typen"), N_("zoekt meteen (naam, nummer, BTW, gemeente, ref.)")),
        ("Tab / Shift+Tab", N_("naar het volgende / vorige onderdeel")),
    ]
    BINDINGS = [
        Binding("f1", "app.help", N_("Help"), id="search_help", tooltip=N_("De toetsen van dit scherm")),  # first: always in view
        Binding("enter", "open_selected", N_("Open"), priority=True, id="open_customer",
                tooltip=N_("Klant openen (in het zoekvak: de eerste klant)")),
        Binding("f2,slash", "focus_search", N_("Zoek"), id="focus_search", tooltip=N_("Cursor terug in het zoekvak"),
                show=False),  # the box has the cursor on arrival; the key bar keeps room for F5 Dossiers (F1 lists it)
        Binding("down", "focus_results", N_("Lijst"), show=False, id="focus_results", tooltip=INTO_RESULTS),
        Binding("pagedown", "page_results", N_("Lijst"), show=False, id="page_results", tooltip=INTO_RESULTS),
        Binding("escape", "clear_search", N_("Wis"), id="clear_search", tooltip=N_("Zoekvak leegmaken"),
                show=False),  # as F2: out of the key bar at 80 columns, so that F5 Dossiers fits (F1 lists both)
        Binding("ctrl+n", "new_customer", N_("Nieuw"), id="new_customer", tooltip=N_("Nieuwe klant")),
        Binding("f3", "new_dossier_for_highlighted", N_("Dossier"), id="new_dossier_for",
                tooltip=N_("Nieuw dossier voor de gemarkeerde klant")),
        Binding("f4,ctrl+g", "set_blocked_only(True)", N_("Toon geblokkeerd"), id="blocked_only_on",
                tooltip=N_("Filter alleen geblokkeerd inschakelen")),
        Binding("f4,ctrl+g", "set_blocked_only(False)", N_("Toon alle"), id="blocked_only_off",
                tooltip=N_("Filter alleen geblokkeerd uitschakelen (alle klanten)")),
        Binding("f5", "app.dossiers", N_("Dossiers"), id="search_dossiers", tooltip=N_("Dossiers zoeken")),
    ]
    DEFAULT_CSS = """
    CustomerSearchScreen #search { margin: 0 0; }
    CustomerSearchScreen #results { height: 1fr; }
    CustomerSearchScreen #status { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.blocked_only = False
        self._seq = 0
        """Texts of the latest result sets that arrived after a newer query had started (not shown)."""
        self._shown_query: tuple[str, bool] | None = None
        self._shown_rows = 0
        self._corrections: list[str] = []
        self._ignored: list[str] = []
        self._searchable = True
        self._total: int | None = None
        self._exhausted = False  # the last page fetched was short: nothing more to load
        self._failed_seq = -1  # the latest query that failed: "Zoeken…" must not cover its message

    def compose(self) -> ComposeResult:
        yield LocationBar(self.LOCATION)
        yield TextField(id="search", placeholder=TEXT["placeholder"])
        yield ResultsTable(id="results")
        yield Static(TEXT["busy"], id="status", markup=False)
        yield Footer(compact=True)

    # ----- searching -------------------------------------------------------------------------

    @property
    def search_box(self) -> Input:
        """The search input (#search)."""
        return self.query_one("#search", Input)

    @property
    def results(self) -> ResultsTable:
        """The results table (#results)."""
        return self.query_one("#results", ResultsTable)

    def refresh_results(self) -> None:
        """Run the current query again (newer than anything running); the cursor stays on its customer."""
        self._seq += 1
        text, blocked_only = self.search_box.value, self.blocked_only
        # a refresh of the same query keeps the pages loaded so far (at most 1000 rows)
        limit = min(max(RESULT_LIMIT, self._shown_rows), 1000) if self._shown_query == (text, blocked_only) else RESULT_LIMIT
        self._search(self._seq, text, blocked_only, limit)
        self.set_timer(BUSY_AFTER_S, lambda seq=self._seq: self._say_busy(seq))

    def _say_busy(self, seq: int) -> None:
        """The query `seq` is still running: the status line says the results are still coming."""
        if seq == self._seq and seq != self._failed_seq and not self.is_current_shown():
            self._set_status(TEXT["busy"] + (TEXT["filter_on"] if self.blocked_only else ""))

    def is_current_shown(self) -> bool:
        """True when the table shows the results of the text in the box now (and the filter now)."""
        return self._shown_query == (self.search_box.value, self.blocked_only)

    def show_current(self) -> bool:
        """Make the table show the results of the box's text now, fetching them here if they are not in yet.

        Every key that acts on a row (Enter, Down, PageDown, F3) calls this first, so a key typed
        right after the query acts on that query's results, never on an older list. The search
        takes about a millisecond; False (and the reason in the status line) when it failed.
        """
        if self.is_current_shown():
            return True
        text, blocked_only = self.search_box.value, self.blocked_only
        self._seq += 1
        seq = self._seq
        try:
            page = customers.search_page(text, 0, RESULT_LIMIT, blocked_only)
        except KlantbeheerError as problem:
            self._set_status(TEXT["failed"].format(message=problem.message))
            return False
        rows = page["rows"]
        self._show_results(ResultsReady(seq, text, blocked_only, rows, page["corrections"], page["searchable"],
                                        page.get("ignored")))
        if len(rows) < RESULT_LIMIT and text.strip():
            self._show_count(CountReady(seq, len(rows)))
        else:
            self._count(seq, text, blocked_only)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _count(self, seq: int, text: str, blocked_only: bool) -> None:
        """Worker: the count for rows that were fetched by show_current()."""
        try:
            self.post_message(CountReady(seq, customers.count(text, COUNT_CAP, blocked_only)))
        except KlantbeheerError as problem:
            self.post_message(SearchFailed(seq, problem.message))

    @on(Input.Changed, "#search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        """Every keystroke starts a new query that supersedes the older ones."""
        self.refresh_results()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, seq: int, text: str, blocked_only: bool, limit: int = RESULT_LIMIT) -> None:
        """Worker: rows first, then the count when there may be more than were fetched."""
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        try:
            page = customers.search_page(text, 0, limit, blocked_only)
            rows = page["rows"]
            self.post_message(ResultsReady(seq, text, blocked_only, rows, page["corrections"], page["searchable"],
                                           page.get("ignored")))
            if len(rows) < RESULT_LIMIT and text.strip():
                total = len(rows)
            elif worker.is_cancelled:
                return
            else:
                total = customers.count(text, COUNT_CAP, blocked_only)
            self.post_message(CountReady(seq, total))
        except KlantbeheerError as problem:
            self.post_message(SearchFailed(seq, problem.message))

    @on(ResultsReady)
    def _show_results(self, message: ResultsReady) -> None:
        """Show rows unless a newer query was started since (the query id decides, not arrival order)."""
        if message.seq != self._seq:
            log.debug("stale results dropped for %r", message.text)
            return
        query = (message.text, message.blocked_only)
        table = self.results
        keep = table.highlighted_number() if query == self._shown_query else None
        had_rows = table.row_count > 0
        table.show_customers(message.rows, keep)
        if had_rows != (table.row_count > 0):
            self.refresh_bindings()
        self._shown_query = query
        self._shown_rows = len(message.rows)
        self._corrections, self._searchable, self._total = message.corrections, message.searchable, None
        self._ignored = message.ignored
        self._exhausted = len(message.rows) < RESULT_LIMIT
        if len(message.rows) < RESULT_LIMIT and message.text.strip():
            return  # the count follows at once and equals the rows; avoid a "Zoeken…" flash
        self._set_status(status_text(message.text, self._shown_rows, None, message.blocked_only))

    @on(CountReady)
    def _show_count(self, message: CountReady) -> None:
        """Show how many customers match the current query."""
        if message.seq != self._seq or self._shown_query is None:
            return
        text, blocked_only = self._shown_query
        self._total = message.total
        self._say_count()

    def _say_count(self) -> None:
        """The status line for the shown rows and the known total."""
        if self._shown_query is None or self._total is None:
            return
        text, blocked_only = self._shown_query
        self._set_status(status_text(text, self._shown_rows, self._total, blocked_only, self._corrections, self._searchable,
                                     self._ignored))

    @on(ResultsTable.AtEnd)
    def _load_more(self, message: ResultsTable.AtEnd) -> None:
        """Down or PageDown on the last row: the next page of the same query joins the list."""
        if self._shown_query is None or not self.is_current_shown() or self._exhausted or self._shown_rows >= 100_000:
            return
        if self._total is not None and self._total <= COUNT_CAP and self._shown_rows >= self._total:
            return
        text, blocked_only = self._shown_query
        try:
            page = customers.search_page(text, self._shown_rows, RESULT_LIMIT, blocked_only)
        except KlantbeheerError as problem:
            self._set_status(TEXT["failed"].format(message=problem.message))
            return
        shown = set(self.results.customer_numbers())
        rows = [row for row in page["rows"] if row["number"] not in shown]
        self._exhausted = len(page["rows"]) < RESULT_LIMIT
        if not rows:
            return
        self.results.add_customers(rows, message.page)
        self._shown_rows += len(rows)
        self._corrections = list(dict.fromkeys(self._corrections + page["corrections"]))
        self._ignored = list(dict.fromkeys(self._ignored + page.get("ignored", [])))
        if self._total is not None and self._total <= COUNT_CAP:
            self._total = max(self._total, self._shown_rows)
        self._say_count()

    @on(SearchFailed)
    def _show_failure(self, message: SearchFailed) -> None:
        """A domain error from the data layer: say so in the status line."""
        if message.seq == self._seq:
            self._failed_seq = message.seq
            self._set_status(TEXT["failed"].format(message=message.message))

    @on(Worker.StateChanged)
    def _on_worker_failed(self, event: Worker.StateChanged) -> None:
        """Last resort: an unexpected error in a search (e.g. the file vanished) becomes a Dutch status, not a traceback."""
        error = failure(event, "search")
        if error is not None:  # shown in the status line, where the results would be, rather than as a toast
            self._failed_seq = self._seq  # the running query failed: "Zoeken…" must not cover this either
            self._set_status(TEXT["failed"].format(message=explain(error)))

    def _set_status(self, text: str) -> None:
        """Update the status line."""
        self.query_one("#status", Static).update(text)

    def status(self) -> str:
        """The status line's current text (for tests and scripts)."""
        return str(self.query_one("#status", Static).render())

    # ----- staying current -------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Arrival and return (e.g. from the form): show fresh results."""
        self.refresh_results()

    @on(DataChanged)
    def _on_data_changed(self, message: DataChanged) -> None:
        """Another connection committed: refresh if this screen is on top (or under a dialog); else on return."""
        if self._visible():
            self.refresh_results()

    def _visible(self) -> bool:
        """True when this screen is the top screen or directly under a modal dialog."""
        stack = self.app.screen_stack
        if stack and stack[-1] is self:
            return True
        return len(stack) >= 2 and stack[-2] is self and isinstance(stack[-1], ModalScreen)

    # ----- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the filter key that applies; dim keys that need a customer when there is none."""
        if action == "open_selected" and self.size.width < WIDE:
            return False  # no room in the footer; Enter still opens via Input.Submitted / RowSelected
        return self.help_check_action(action, parameters)

    def help_check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """check_action without the footer's lack of room: what the F1 help lists."""
        if action == "set_blocked_only":
            return bool(parameters and parameters[0]) != self.blocked_only
        if action in ("open_selected", "new_dossier_for_highlighted"):
            return True if self._has_rows() else None
        return True

    def _has_rows(self) -> bool:
        """True when the table shows at least one customer."""
        try:
            return self.results.row_count > 0
        except NoMatches:  # before compose: no table yet
            return False

    def action_open_selected(self) -> None:
        """Enter: open the highlighted customer (from the box: the first result of the text typed so far)."""
        if not self.show_current():
            return
        number = self._target_number()
        if number is None:
            self.notify(TEXT["no_customer"], severity="warning")
            return
        self.app.open_customer(number)

    def _target_number(self) -> int | None:
        """The customer Enter and F3 act on: the highlighted row, or the first from the box."""
        table = self.results
        if self.focused is table:
            return table.highlighted_number()
        numbers = table.customer_numbers()
        return numbers[0] if numbers else None

    def action_new_dossier_for_highlighted(self) -> None:
        """F3: new dossier for the highlighted customer (from the box: the first result)."""
        if not self.show_current():
            return
        number = self._target_number()
        if number is None:
            self.notify(TEXT["no_customer"], severity="warning")
            return
        self.app.action_new_dossier(number)

    def action_new_customer(self) -> None:
        """Ctrl+N: the form for a new customer."""
        self.app.open_customer(None)

    def action_focus_search(self) -> None:
        """F2 or /: cursor back in the search box."""
        self.set_focus(self.search_box)

    def action_focus_results(self) -> None:
        """Down from the box: into the results of the text typed so far, on the first row."""
        if self.show_current() and self.results.row_count:
            self.results.move_cursor(row=0, scroll=True)  # not the row left there before Escape
            self.set_focus(self.results)

    def action_page_results(self) -> None:
        """PageDown from the box: into the results of the text typed so far, a page down."""
        if self.show_current() and self.results.row_count:
            self.results.move_cursor(row=0, scroll=True)
            self.set_focus(self.results)
            self.results.action_page_down()

    def action_clear_search(self) -> None:
        """Escape: empty the box (the most recently changed customers show) and focus it."""
        self.search_box.value = ""
        self.set_focus(self.search_box)

    def action_set_blocked_only(self, on: bool) -> None:
        """F4 / Ctrl+G: show only blocked customers, or all again."""
        self.blocked_only = bool(on)
        self.refresh_bindings()
        self.refresh_results()

    def toggle_blocked_only(self) -> None:
        """Flip the 'alleen geblokkeerd' filter (command palette)."""
        self.action_set_blocked_only(not self.blocked_only)

    @on(ResultsTable.LeftAtTop)
    def _back_to_box(self, message: ResultsTable.LeftAtTop) -> None:
        """Up on the first row: back in the box."""
        self.set_focus(self.search_box)

    @on(DataTable.RowSelected, "#results")
    def _on_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the highlighted row opens it, like Enter."""
        event.stop()
        if event.row_key.value is not None:
            self.app.open_customer(int(event.row_key.value))

    @on(Input.Submitted, "#search")
    def _on_submit(self, event: Input.Submitted) -> None:
        """Enter in the box when the screen binding is hidden (narrow screen): open the first result."""
        event.stop()
        self.action_open_selected()

    def on_resize(self) -> None:
        """The footer shows Enter only when wide enough: re-check the bindings."""
        self.refresh_bindings()
