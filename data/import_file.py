"""Reading an import file as it comes: CSV (separator and encoding detected) or .xlsx, streamed row by row."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import N_, _

SEPARATORS = [";", ",", "\t", "|"]
SEPARATOR_NAMES = {";": N_("puntkomma (;)"), ",": N_("komma (,)"), "\t": N_("tab"), "|": N_("verticale streep (|)")}
ENCODING_NAMES = {"utf-8-sig": N_("UTF-8 met BOM"), "utf-8": "UTF-8", "cp1252": "Windows-1252"}
CELL_LIMIT = 1_000_000  # characters in one CSV cell (the csv module refuses more than its limit)
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class FileInfo:
    """What was detected about the file: kind, encoding, separator, header, about how many rows."""

    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    separator: str = ""
    header: list[str] = field(default_factory=list)
    estimated_rows: int = 0

    def describe(self) -> str:
        """One Dutch sentence: what was detected."""
        if self.kind == "xlsx":
            return _("Gedetecteerd: Excel-werkmap (.xlsx), eerste werkblad.")
        encoding = _(ENCODING_NAMES.get(self.encoding, self.encoding))
        return _("Gedetecteerd: CSV, scheidingsteken {separator}, codering {encoding}.").format(
            separator=_(SEPARATOR_NAMES[self.separator]), encoding=encoding)


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252 (read in chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        first = handle.read(3)
        bom = first == codecs.BOM_UTF8
        try:
            if not bom:
                decoder.decode(first)
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig" if bom else "utf-8"


def _count_lines(path: Path) -> int:
    """Newlines in the file (an estimate of the rows: a quoted cell may hold newlines too)."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def _detect_separator(first_line: str) -> str:
    """The separator that splits the header line into the most columns (outside quotes)."""
    best, best_count = ";", 0
    for separator in SEPARATORS:
        count = len(next(csv.reader([first_line], delimiter=separator), []))
        if count > best_count:
            best, best_count = separator, count
    return best


def inspect(path: str | Path) -> FileInfo:
    """Detect the file's kind, encoding and separator and read its header; BadInput when it cannot be read."""
    target = Path(path).expanduser()
    if not target.is_file():
        raise BadInput(_("Bestand niet gevonden: {path}.").format(path=target))
    with target.open("rb") as handle:
        magic = handle.read(4)
    if magic == XLSX_MAGIC or target.suffix.lower() in (".xlsx", ".xlsm"):
        return _inspect_xlsx(target)
    encoding = _detect_encoding(target)
    with target.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise BadInput(_("{name} is leeg of begint met een lege regel; de eerste regel moet de kolomnamen bevatten.")
                       .format(name=target.name))
    separator = _detect_separator(first)
    header = next(csv.reader([first], delimiter=separator))
    return FileInfo("csv", encoding, separator, [cell.strip() for cell in header], max(_count_lines(target) - 1, 0))


def _inspect_xlsx(target: Path) -> FileInfo:
    """The header and size of the first sheet of an Excel workbook."""
    book = _open_book(target)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise BadInput(_("{name} is leeg; de eerste rij moet de kolomnamen bevatten.").format(name=target.name))
        estimate = max((sheet.max_row or 1) - 1, 0)
        return FileInfo("xlsx", header=[cell_text(cell).strip() for cell in header], estimated_rows=estimate)
    finally:
        book.close()


def _open_book(target: Path) -> Any:
    """The workbook in openpyxl's read-only streaming mode; formulas stay text (never evaluated)."""
    import zipfile

    import openpyxl  # imported on first use: start-up time
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(target, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as problem:
        raise BadInput(_("{name} is geen leesbare Excel-werkmap ({problem}).").format(
            name=target.name, problem=type(problem).__name__)) from None


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: whole numbers without '.0', dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def rows(path: str | Path, info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every data row after the header, streamed; the line is where the row starts."""
    target = Path(path).expanduser()
    if info.kind == "xlsx":
        yield from _xlsx_rows(target)
        return
    csv.field_size_limit(CELL_LIMIT)
    with target.open(encoding=info.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=info.separator)
        try:
            next(reader, None)
            start = reader.line_num + 1
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as problem:
            raise BadInput(_("{name}, regel {line}: het bestand is geen geldige CSV ({problem}).").format(
                name=target.name, line=reader.line_num, problem=problem)) from None


def _xlsx_rows(target: Path) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows after the header as text cells."""
    book = _open_book(target)
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(min_row=2, values_only=True), start=2):
            yield number, [cell_text(cell) for cell in row]
    finally:
        book.close()
