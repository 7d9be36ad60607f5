"""The Dossiers tab: the customer's dossiers (newest first) in a table; Enter opens one."""
from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from klantbeheer.data import dossiers
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import _
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.screens.form.loading import FormData
from klantbeheer.tui.widgets.dossier_table import DossierTable


class DossiersTab(Vertical):
    """A table of the customer's dossiers, or a line saying there are none."""

    DEFAULT_CSS = """
    DossiersTab { height: 1fr; padding: 0 1; }
    DossiersTab #form_dossiers_none { height: auto; display: none; }
    DossiersTab #form_dossiers_none.shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(id="form_dossiers")

    def compose(self) -> ComposeResult:
        yield Static(_("Geen dossiers."), id="form_dossiers_none", markup=False)
        yield DossierTable(id="form_dossiers_table")

    def show(self, payload: FormData) -> None:
        """Show the dossiers of a freshly read customer."""
        self.show_rows(payload.dossier_rows)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show these dossiers (or the line saying there are none)."""
        self.query_one("#form_dossiers_table", DossierTable).show_dossiers(rows)
        self.query_one("#form_dossiers_none", Static).set_class(not rows, "shown")

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-dossiers")
    def reload(self, customer: int) -> None:
        """Worker: read the customer's dossiers again (back from a dossier that was changed)."""
        try:
            rows = dossiers.list_dossiers(customer)
        except KlantbeheerError:
            return  # the form's own load reports a database that is gone
        self.app.call_from_thread(self.show_rows, rows)

    @on(DataTable.RowSelected, "#form_dossiers_table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: open that dossier."""
        event.stop()
        number = self.query_one("#form_dossiers_table", DossierTable).highlighted_number()
        if number is not None:
            app_of(self).open_dossier(number)
