"""The search results table: one row per customer, the blocked marker in words, widths that fit."""
from __future__ import annotations

from typing import Any, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from klantbeheer.data.i18n import N_, _
from klantbeheer.data.labels import LABELS
from klantbeheer.data.validation import format_vat

BLOCKED_MARKER = N_("GEBLOKKEERD")
TWIN_MARKER = N_("BTW GEBLOKKEERD")  # the BTW-nummer belongs to a blocked customer too (the column widens only then)
# (key, label msgid from data/labels.py, fixed width or None for a flexible column); each cell gets one leading space as gap.
# The blocked column is as wide as its marker in the current language.
COLUMNS: list[tuple[str, str, int | None]] = [
    ("number", LABELS["number"], 7),
    ("name", LABELS["name"], None),
    ("town", LABELS["city"], None),  # postcode and town in one column: the glossary's "Gemeente"
    ("vat", LABELS["vat_number"], 15),
    ("external_ref", LABELS["external_ref"], 12),
    ("blocked", LABELS["blocked"], len(BLOCKED_MARKER)),
]
GAP = 1
MIN_NAME, MIN_TOWN, MAX_TOWN = 10, 12, 30
WIDE = 99  # from this many cells on, Externe Ref. gets a column; below it the name gets that room


def shown_columns(total: int) -> list[tuple[str, str, int | None]]:
    """The columns for a table `total` cells wide: all of them, or without Externe Ref. when narrow (80 columns)."""
    return [column for column in COLUMNS if total >= WIDE or column[0] != "external_ref"]


def column_widths(total: int, marker: int | None = None) -> dict[str, int]:
    """Width of every shown column (without its gap) for a table `total` cells wide; `marker` cells for the blocked column."""
    columns = shown_columns(total)
    widths = {key: width for key, _label, width in columns if width is not None}
    widths["blocked"] = len(_(BLOCKED_MARKER)) if marker is None else marker
    fixed = sum(widths.values())
    flexible = max(MIN_NAME + MIN_TOWN, total - fixed - GAP * len(columns))
    town = max(MIN_TOWN, min(MAX_TOWN, flexible * 2 // 5))
    widths["town"] = town
    widths["name"] = flexible - town
    return widths


def _cell(value: str, right: bool = False, style: Style | str = "") -> Text:
    """One cell: plain text (never markup), a leading gap, cut with an ellipsis when too long."""
    return Text(" " * GAP + value, style=style, no_wrap=True, overflow="ellipsis", justify="right" if right else "left", end="")


def _twin(row: dict[str, Any]) -> bool:
    """True when the row is not blocked itself but its BTW-nummer belongs to a blocked customer."""
    return bool(row.get("vat_blocked")) and not row.get("blocked")


def blocked_style(error: str) -> Style:
    """Bold in the theme's error colour (any Textual colour, including ANSI names); plain bold otherwise."""
    try:
        return Style(color=Color.parse(error).rich_color, bold=True)
    except ColorParseError:
        return Style(bold=True)


class ResultsTable(DataTable[Text]):
    """DataTable of customer summaries; row keys are customer numbers; Up on the first row leaves it."""

    HELP_CONTEXT = N_("In de lijst met klanten")
    BINDINGS = [
        Binding("up", "cursor_up", N_("Vorige rij (eerste rij: naar het zoekvak)"), show=False, id="results_up"),
        Binding("down", "cursor_down", N_("Volgende rij"), show=False, id="results_down"),
        Binding("pageup", "page_up", N_("Vorige pagina"), show=False, id="results_page_up"),
        Binding("pagedown", "page_down", N_("Volgende pagina"), show=False, id="results_page_down"),
    ]
    DEFAULT_CSS = """
    ResultsTable { scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    """

    class LeftAtTop(Message):
        """Up was pressed on the first row: the screen moves focus back to the search box."""

    class AtEnd(Message):
        """Down or PageDown on the last row: the screen may add the next page of results."""

        def __init__(self, page: bool) -> None:
            super().__init__()
            self.page = page

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", cell_padding=0, zebra_stripes=False)
        self._rows: list[dict[str, Any]] = []
        self._widths: dict[str, int] = {}
        self._marker = len(_(BLOCKED_MARKER))

    def on_mount(self) -> None:
        """Lay out the columns for the first size."""
        self._layout(self.size.width)

    def on_resize(self, event: Resize) -> None:
        """Give Naam and Gemeente the room there is; redraw only when a width changed."""
        self._layout(event.size.width)

    def _layout(self, width: int, keep: int | None = None) -> None:
        """(Re)build the columns for `width` cells (minus the scrollbar gutter) and re-add the rows."""
        widths = column_widths(max(0, width - 1), self._marker)
        if widths == self._widths and self.columns:
            return
        self._widths = widths
        keep = keep if keep is not None else self.highlighted_number()
        self.clear(columns=True)
        for key, label, _width in COLUMNS:
            if key not in widths:
                continue
            self.add_column(_cell(_(label), right=key == "number"), width=widths[key] + GAP, key=key)
        self._fill(self._rows, keep)

    def action_cursor_up(self) -> None:
        """Move up a row, or hand focus back to the search box from the first row."""
        if self.cursor_row <= 0:
            self.post_message(self.LeftAtTop())
            return
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        """Move down a row; on the last row ask for the next page."""
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.AtEnd(page=False))
            return
        super().action_cursor_down()

    def action_page_down(self) -> None:
        """Move down a page; on the last row ask for the next page."""
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.AtEnd(page=True))
            return
        super().action_page_down()

    def add_customers(self, rows: Sequence[dict[str, Any]], page: bool) -> None:
        """Append rows below the shown ones; the cursor moves to the first new row (a page down: as far as a page goes)."""
        first = len(self._rows)
        self._rows += list(rows)
        if any(_twin(row) for row in rows) and self._marker != len(TWIN_MARKER):
            self._marker = len(TWIN_MARKER)
            self._layout(self.size.width, int(rows[0]["number"]))
        else:
            with self.app.batch_update():
                self._add_cells(list(rows))
        target = first
        if page:
            target = min(len(self._rows) - 1, first - 1 + max(1, self.scrollable_content_region.height - 1))
        self.move_cursor(row=target, column=0, animate=False)

    def highlighted_number(self) -> int | None:
        """The customer number of the highlighted row (None when the table is empty)."""
        if not self._rows or not self.row_count:
            return None
        index = min(max(self.cursor_row, 0), len(self._rows) - 1)
        return int(self._rows[index]["number"])

    def customer_numbers(self) -> list[int]:
        """The numbers of the shown customers, top to bottom."""
        return [int(row["number"]) for row in self._rows]

    def show_customers(self, rows: Sequence[dict[str, Any]], keep: int | None = None) -> None:
        """Replace all rows in one go; put the cursor on customer `keep` if shown, else on the first row."""
        self._rows = list(rows)
        marker = len(_(TWIN_MARKER)) if any(_twin(row) for row in self._rows) else len(_(BLOCKED_MARKER))
        with self.app.batch_update():
            if marker != self._marker:
                self._marker = marker
                self._layout(self.size.width, keep)
                return
            self.clear()
            self._fill(self._rows, keep)

    def _fill(self, rows: list[dict[str, Any]], keep: int | None) -> None:
        """Add the rows (the table is empty) and place the cursor."""
        self._add_cells(rows)
        index = 0
        if keep is not None:
            for position, row in enumerate(rows):
                if int(row["number"]) == keep:
                    index = position
                    break
        if rows:
            self.move_cursor(row=index, column=0, animate=False)

    def _add_cells(self, rows: list[dict[str, Any]]) -> None:
        """Add one table row per customer below the present ones."""
        marker_style = blocked_style(self.app.theme_variables.get("error", ""))
        cells = []
        for row in rows:
            town = " ".join(part for part in (row.get("postcode") or "", row.get("city") or "") if part)
            by_key = {
                "number": _cell(str(row["number"]), right=True),
                "name": _cell(row.get("name") or ""),
                "town": _cell(town),
                "vat": _cell(format_vat(row.get("vat_number") or "")),
                "external_ref": _cell(row.get("external_ref") or ""),
                "blocked": _cell(_(BLOCKED_MARKER), style=marker_style) if row.get("blocked")
                else _cell(_(TWIN_MARKER), style=marker_style) if _twin(row) else _cell(""),
            }
            cells.append([cell for key, cell in by_key.items() if key in self._widths])
        for number_row, row_cells in zip(rows, cells):
            self.add_row(*row_cells, key=str(number_row["number"]))
