"""Helpers for the search screen tests: build the app, wait for searches, read the table."""
from __future__ import annotations

from textual.pilot import Pilot

from klantbeheer.tui.screens.customer_search import CustomerSearchScreen
from klantbeheer.tui.widgets.results_table import ResultsTable
from tests.support.apps import make_app  # noqa: F401  (the shared factory, re-exported for the tests)


async def settle(pilot: Pilot) -> None:
    """Wait until every running search has finished and its messages have been handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def search_screen(pilot: Pilot) -> CustomerSearchScreen:
    """The search screen (the current screen in these tests)."""
    screen = pilot.app.screen
    assert isinstance(screen, CustomerSearchScreen), screen
    return screen


def table(pilot: Pilot) -> ResultsTable:
    """The results table (#results)."""
    return pilot.app.screen.query_one("#results", ResultsTable)


def shown_numbers(pilot: Pilot) -> list[int]:
    """Customer numbers as the table shows them, top to bottom (read from the cells)."""
    results = table(pilot)
    return [int(str(results.get_row_at(i)[0]).strip()) for i in range(results.row_count)]


def cell_text(pilot: Pilot, number: int, column: str) -> str:
    """The plain text of one cell of a customer's row."""
    return str(table(pilot).get_cell(str(number), column)).strip()


def first_option(app) -> str:
    """The text of the command palette's first option ("" while it has none)."""
    from textual.command import CommandList, CommandPalette

    if not CommandPalette.is_open(app):
        return ""
    options = app.screen.query_one(CommandList)
    return str(options.get_option_at_index(0).prompt).strip() if options.option_count else ""
