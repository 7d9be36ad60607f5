"""One import row: file text to the form's values, then exactly the form's checks (check_customer, check_block)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from klantbeheer.data import blocking, customers, reference
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.i18n import _
from klantbeheer.data.transfer import sheet_cells
from klantbeheer.data.validation import check_customer
from klantbeheer.data.yes_no import yes_no

FORMULA_START = ("=", "+", "-", "@")
_DECIMAL = re.compile(r"^\s*(\d+)(?:[.,]0+)?\s*%?\s*$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%y", "%d/%m/%Y %H:%M")
BLOCKED_WORDS = {"geblokkeerd", "bloqué", "blocked"}  # an export's Geblokkeerd column in each language


@dataclass
class Row:
    """A checked row: the values to store, the fields the file gave, the block (or None), or the errors."""

    line: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    block: tuple[str, str, dt.date | None] | None = None
    unblock: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


def line_breaks(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line breaks inside a quoted cell as the form's own: one LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unprotect(text: str) -> str:
    """Undo an export's formula protection: a leading apostrophe before = + - @ goes."""
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def _whole(text: str) -> str:
    """'21,00', '21 %' and '30.0' as '21' and '30' (Excel's decimal commas); anything else unchanged."""
    match = _DECIMAL.match(text)
    return match.group(1) if match else text


def parse_date(text: str) -> dt.date:
    """A date as people and spreadsheets write it (dd/mm/yyyy first); ValueError when it is none."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Geen geldige datum (dd/mm/jjjj)."))


def _yes_no(text: str) -> bool:
    """Geblokkeerd: the yes/no words of every yes/no field (data/yes_no.py), or the column's own word."""
    return True if text.strip().casefold() in BLOCKED_WORDS else yes_no(text)


def _repairer(text: str, repairers: dict[str, str]) -> str:
    """A repairer given by id, name or 'name (city)' as its id (unknown text is left for the check to refuse)."""
    if not text or text.isdigit():
        return text
    return repairers.get(text.casefold(), text)


def repairer_lookup() -> dict[str, str]:
    """Repairer name and 'name (city)', folded, -> id."""
    lookup: dict[str, str] = {}
    for ident, label in reference.repairer_choices():
        lookup.setdefault(label.casefold(), ident)
        lookup.setdefault(label.rsplit(" (", 1)[0].casefold(), ident)
    return lookup


def check_row(line: int, cells: list[str], columns: dict[int, str], repairers: dict[str, str],
              kinds: dict[int, str] | None = None) -> Row:
    """Turn one row's cells into checked values; every problem as a Dutch message per field, and a warning per
    text field that a spreadsheet may have changed (kinds: which cells held a number or a date)."""
    row = Row(line, cells)
    raw: dict[str, str] = {}
    for index, name in columns.items():
        raw[name] = line_breaks(unprotect(cells[index])) if index < len(cells) else ""
    row.warnings = sheet_cells.sheet_warnings(raw, {columns[i]: kind for i, kind in (kinds or {}).items() if i in columns})
    row.given = {name for name in raw if name not in ("blocked", "block_reason", "block_message", "blocked_until")}
    values: dict[str, Any] = {name: raw[name] for name in row.given}
    for name in ("number", "vat_rate", "payment_term_days"):
        if name in values:
            values[name] = _whole(values[name])
    if "repairer" in values:
        values["repairer"] = _repairer(values["repairer"].strip(), repairers)
    for name, default in customers.DEFAULTS.items():  # an empty cell or missing column: what a new form starts with
        if not str(values.get(name, "")).strip():
            values[name] = default
    checked = check_customer(values)
    row.values, row.errors = checked.values, dict(checked.errors)
    if "postcode" not in row.errors and "country" not in row.errors:
        sheet_cells.restore_postcode(row.values, row.warnings)
    _check_block(row, raw)
    return row


def _check_block(row: Row, raw: dict[str, str]) -> None:
    """Geblokkeerd (or a reason without that column): the block's reason, message and end date, checked as in the form."""
    wanted = bool(raw.get("block_reason", "").strip())
    if "blocked" in raw:
        try:
            wanted = _yes_no(raw["blocked"])
        except ValueError as problem:
            row.errors["blocked"] = str(problem)
            return
        row.unblock = not wanted
    if not wanted:
        return
    until: Any = raw.get("blocked_until", "").strip() or None
    if until:
        try:
            until = parse_date(until)
        except ValueError as problem:
            row.errors["blocked_until"] = str(problem)
            return
    try:
        row.block = blocking.check_block(raw.get("block_reason"), raw.get("block_message"), until)
    except ValidationFailed as problem:
        row.errors.update(problem.errors)
