"""Export customers to CSV (as Belgian Excel reads it) or .xlsx, streamed, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

from klantbeheer.data import clock, reference, session
from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import _
from klantbeheer.data.models import Customer, Repairer
from klantbeheer.data.progress import Progress
from klantbeheer.data.session import data_function
from klantbeheer.data.transfer.export_target import STDOUT, check_target, stop_signals_raise
from klantbeheer.data.transfer.import_columns import INFO_LABELS, LABELS, header_key, in_every_language
from klantbeheer.data.transfer.import_report import usual_mode
from klantbeheer.data.transfer.import_rows import FORMULA_START
from klantbeheer.data.validation import format_iban, format_phone, format_vat

FORMATS = ("csv", "xlsx")
BATCH = 5_000
SEARCH_LIMIT = 30_000  # customers an export of search results holds at most (one IN list)
EXPORT_FIELDS = [*LABELS, *INFO_LABELS]
CHOICE_KINDS = {"language": "language", "customer_type": "customer_type", "legal_form": "legal_form",
                "salutation": "salutation", "payment_condition": "payment_condition",
                "discount_scheme": "discount_scheme", "price_list": "price_list",
                "internal_account": "internal_account", "block_reason": "block_reason"}
FORMATTERS: dict[str, Callable[[str], str]] = {
    "phone": format_phone, "fax": format_phone, "mobile": format_phone, "vat_number": format_vat, "iban": format_iban,
}


def choose_fields(wanted: list[str] | None) -> list[str]:
    """The export's fields from code names or labels in nl, fr or en (comma lists allowed); all of them when none are given."""
    if not wanted:
        return list(EXPORT_FIELDS)
    by_key = {header_key(text): name for name in EXPORT_FIELDS
              for text in (name, *in_every_language(LABELS.get(name) or INFO_LABELS[name]))}
    chosen: list[str] = []
    for item in (part.strip() for text in wanted for part in text.split(",")):
        if not item:
            continue
        name = by_key.get(header_key(item))
        if name is None:
            raise BadInput(_("Onbekend veld voor de export: {field} (bv. name, number, vat_number of Naam, BTW-nummer).")
                           .format(field=repr(item)))
        if name not in chosen:
            chosen.append(name)
    return chosen


def header_label(name: str) -> str:
    """A field's column header: its label (data/labels.py) in the operator's language; an import reads all three."""
    return _(LABELS.get(name) or INFO_LABELS[name])


def protect(text: str) -> str:
    """A cell that a spreadsheet would run as a formula (= + - @, tab, CR) starts with an apostrophe instead."""
    if text and (text[0] in FORMULA_START or text[0] in "\t\r"):
        return "'" + text
    return text


def _cell_functions(chosen: list[str]) -> list[Callable[[Any], Any]]:
    """For each chosen field the function that shows a stored value as people read it: labels of choices,
    ja/nee, dd/mm/yyyy, BE 0867.756.456 (one function per column, chosen once, not per cell)."""
    repairers = {r.id: r.name for r in Repairer.select()}
    countries = reference.all_labels("country")  # in the operator's language, as the other choices

    def lookup(table: dict[Any, str]) -> Callable[[Any], Any]:
        return lambda value: "" if value in (None, "") else table.get(value, str(value))

    yes, no = _("ja"), _("nee")  # in the operator's language, as the headers; an import reads ja, oui and yes

    def yes_no(value: Any) -> str:
        return yes if value else no

    def moment(value: Any) -> str:
        if not value:
            return ""
        stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        return clock.local(stamp).strftime("%d/%m/%Y %H:%M")

    def day(value: Any) -> str:
        if not value:
            return ""
        date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        return date.strftime("%d/%m/%Y")

    def formatted(show: Callable[[str], str]) -> Callable[[Any], Any]:
        return lambda value: show(str(value)) if value else ""

    def plain(value: Any) -> Any:
        return "" if value is None else value

    functions: list[Callable[[Any], Any]] = []
    for name in chosen:
        if name == "repairer":
            functions.append(lookup(repairers))
        elif name in ("blocked", "show_remarks", "show_id_card"):
            functions.append(yes_no)
        elif name == "blocked_at":
            functions.append(moment)
        elif name == "blocked_until":
            functions.append(day)
        elif name in CHOICE_KINDS:
            functions.append(lookup(reference.all_labels(CHOICE_KINDS[name])))  # inactive entries too
        elif name == "country":
            functions.append(lookup(countries))
        elif name == "vat_rate":
            functions.append(lambda value: "" if value is None else f"{value} %")
        elif name in FORMATTERS:
            functions.append(formatted(FORMATTERS[name]))
        else:
            functions.append(plain)
    return functions


def _query(blocked_only: bool, search: str | None, columns: list[Any]) -> Any:
    """The customers to export as tuples (number first), by number: all, the blocked ones, or a search's results."""
    from klantbeheer.data.blocking import active_block_filter
    from klantbeheer.data.search import matching_ids

    query = Customer.select(Customer.number, *columns).order_by(Customer.number)
    if blocked_only:
        query = query.where(active_block_filter())
    if search:
        ids = matching_ids(search, limit=SEARCH_LIMIT, blocked_only=blocked_only)
        query = query.where(Customer.id.in_(ids)) if ids else query.where(Customer.id == -1)
    return query


def _records(blocked_only: bool, search: str | None, chosen: list[str]) -> Iterator[list[Any]]:
    """Each customer's cells in the chosen order, read in batches by number (keyset paging: memory stays flat)."""
    columns = [Customer.repairer if name == "repairer" else getattr(Customer, name) for name in chosen]
    show = _cell_functions(chosen)
    db = session.database()
    last = 0
    while True:
        sql, params = _query(blocked_only, search, columns).where(Customer.number > last).limit(BATCH).sql()
        batch = db.execute_sql(sql, params).fetchall()  # raw rows: the cell functions take stored values as they come
        if not batch:
            return
        for row in batch:
            yield [function(value) for function, value in zip(show, row[1:])]
        last = batch[-1][0]


@data_function
def export(path: str, file_format: str | None = None, blocked_only: bool = False, fields: list[str] | None = None,
           search: str | None = None, code_names: bool = False, progress: Progress | None = None,
           dash_is_stdout: bool = False) -> dict[str, Any]:
    """Write the customers to `path` (csv or xlsx; from the name when not given); with dash_is_stdout (the command
    line) `-` is standard output, elsewhere (a screen: stdout is the terminal) it is a file name like any other.

    Written to a temporary file and renamed into place at the end; the target is checked first and again just
    before the rename (data/transfer/export_target.py), and the temporary file goes on every failure and stop signal.
    """
    to_stdout = dash_is_stdout and path == STDOUT
    target = Path(path).expanduser()
    kind = (file_format or ("xlsx" if not to_stdout and target.suffix.lower() == ".xlsx" else "csv")).lower()
    if kind not in FORMATS:
        raise BadInput(_("Onbekend formaat {format}: kies csv of xlsx.").format(format=repr(kind)))
    location = session.engine().location
    if not to_stdout:
        check_target(target, location)
    chosen = choose_fields(fields)
    header = [name if code_names else header_label(name) for name in chosen]
    folder = tempfile.gettempdir() if to_stdout else str(target.parent)
    with stop_signals_raise(), session.engine().read_snapshot():
        total = _query(blocked_only, search, []).count()
        records = _records(blocked_only, search, chosen)
        try:
            handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".export-", suffix="." + kind, delete=False)
        except PermissionError:
            raise BadInput(_("Geen schrijfrechten in de map {parent}.").format(parent=folder)) from None
        handle.close()
        try:
            written = (_write_xlsx if kind == "xlsx" else _write_csv)(handle.name, header, records, total, progress)
            if to_stdout:
                _copy_to_stdout(handle.name)
            else:
                os.chmod(handle.name, usual_mode())  # a temporary file is private (0600); the export is not
                check_target(target, location)  # still a regular file that is not the database's (nothing swapped in)
                os.replace(handle.name, target)
        finally:
            Path(handle.name).unlink(missing_ok=True)  # after the rename there is nothing left to remove
    return {"file": STDOUT if to_stdout else str(target), "format": kind, "customers": written, "fields": chosen}


def _copy_to_stdout(name: str) -> None:
    """The finished export on standard output (bytes as the file would hold them)."""
    import shutil
    import sys

    sys.stdout.flush()
    with open(name, "rb") as source:
        shutil.copyfileobj(source, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _write_csv(path: str, header: list[str], records: Iterator[list[Any]], total: int, progress: Progress | None) -> int:
    """Belgian Excel CSV: ';', UTF-8 with BOM, every text cell protected against formulas."""
    written = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for record in records:
            writer.writerow([protect(cell) if isinstance(cell, str) else cell for cell in record])
            written += 1
            if progress and written % 1000 == 0:
                progress(_("Exporteren"), written, total)
    if progress:
        progress(_("Exporteren"), written, total)
    return written


def _write_xlsx(path: str, header: list[str], records: Iterator[list[Any]], total: int, progress: Progress | None) -> int:
    """An .xlsx workbook in openpyxl's write-only (streaming) mode; text cells are text, never formulas."""
    import openpyxl  # imported on first use: start-up time
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Klanten")
    sheet.append(header)
    written = 0
    for record in records:
        cells = []
        for value in record:
            if isinstance(value, str) and value:
                value = ILLEGAL_CHARACTERS_RE.sub("", value) if ILLEGAL_CHARACTERS_RE.search(value) else value
                if value.startswith("="):  # openpyxl would write it as a formula: a text cell instead
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    value = cell
            cells.append(value)
        sheet.append(cells)
        written += 1
        if progress and written % 1000 == 0:
            progress(_("Exporteren"), written, total)
    book.save(path)
    if progress:
        progress(_("Exporteren"), written, total)
    return written
