"""A table of dossiers (number, opened on and by, status, description, plate, reference); row keys are dossier numbers."""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from klantbeheer.data.dossiers import STATUS_LABELS
from klantbeheer.data.i18n import N_, _
from klantbeheer.tui import dates

COLUMNS = [("number", N_("Nummer")), ("opened", N_("Geopend op")), ("by", N_("door")), ("status", N_("Status")),
           ("description", N_("Omschrijving")), ("licence_plate", N_("Nummerplaat")), ("reference", N_("Referentie"))]
CUSTOMER_COLUMN = ("customer", N_("Klant"))


class DossierTable(DataTable[Text]):
    """Dossiers as rows, newest first as given; user text is never markup."""

    DEFAULT_CSS = """
    DossierTable { height: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(self, with_customer: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.with_customer = with_customer
        self.rows_shown: list[dict[str, Any]] = []

    def on_mount(self) -> None:
        """The column headings, in the operator's language."""
        columns = COLUMNS[:1] + ([CUSTOMER_COLUMN] if self.with_customer else []) + COLUMNS[1:]
        for key, label in columns:
            self.add_column(_(label), key=key)

    def show_dossiers(self, rows: list[dict[str, Any]]) -> None:
        """Replace the rows; the cursor stays on the same dossier when it is still there."""
        keep = self.highlighted_number()
        self.clear()
        self.rows_shown = list(rows)
        for row in rows:
            opened = dates.format_moment(row.get("created_at"))[:10]
            cells = [row["number"]]
            if self.with_customer:
                cells.append(f"{row['customer']} {row['customer_name']}")
            cells += [opened, row.get("created_by") or "", _(STATUS_LABELS.get(row["status"], row["status"])),
                      row.get("description") or "", row.get("licence_plate") or "", row.get("reference") or ""]
            self.add_row(*[Text(str(cell)) for cell in cells], key=row["number"])
        numbers = [row["number"] for row in rows]
        if keep in numbers:
            self.move_cursor(row=numbers.index(keep))

    def highlighted_number(self) -> str | None:
        """The dossier number of the highlighted row, or None when the table is empty."""
        if not self.rows_shown or self.cursor_row < 0 or self.cursor_row >= len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]["number"]
