"""Reading an import file as it comes: CSV (separator and encoding detected) or .xlsx, streamed row by row."""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import N_, _, number_text
from klantbeheer.data.transfer import import_limits as limits
from klantbeheer.data.transfer.sheet_cells import DATE, NUMBER

SEPARATORS = [";", ",", "\t", "|"]
SEPARATOR_NAMES = {";": N_("puntkomma (;)"), ",": N_("komma (,)"), "\t": N_("tab"), "|": N_("verticale streep (|)")}
ENCODING_NAMES = {"utf-8-sig": N_("UTF-8 met BOM"), "utf-8": "UTF-8", "cp1252": "Windows-1252",
                  "utf-16": N_("UTF-16 (Unicode-tekst)")}
XLSX_MAGIC = b"PK\x03\x04"
_ZEROS = re.compile(r"0+")  # a number format that pads with zeros
STDIN = "-"


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


def _decodes(path: Path, encoding: str, skip: int = 0) -> UnicodeDecodeError | None:
    """None when the whole file decodes in `encoding` (read in chunks), else the first decoding error."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        handle.read(skip)
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as problem:
            return problem
    return None


def _detect_encoding(path: Path) -> str:
    """UTF-16 with its byte-order mark (LibreOffice's and Excel's "Unicode text"), UTF-8 (with or without BOM) when the
    whole file decodes as UTF-8, else Windows-1252; BadInput when none of them."""
    with path.open("rb") as handle:
        start = handle.read(3)
    if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and _decodes(path, "utf-16") is None:
        return "utf-16"  # Python's utf-16 reads the mark, picks the byte order and drops it
    bom = start == codecs.BOM_UTF8
    if _decodes(path, "utf-8", 3 if bom else 0) is None:
        return "utf-8-sig" if bom else "utf-8"
    problem = _decodes(path, "cp1252")
    if problem is None:
        return "cp1252"
    byte = problem.object[problem.start:problem.start + 1].hex().upper()
    raise BadInput(_("{name} is geen tekst in UTF-8 of Windows-1252 (onleesbare byte 0x{byte}); sla het bestand op "
                     "als CSV UTF-8.").format(name=path.name, byte=byte))


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
    limits.regular_file(target, limits.FILE_LIMIT, _("Bestand niet gevonden: {path}."))
    with target.open("rb") as handle:
        magic = handle.read(4)
    if magic == XLSX_MAGIC or target.suffix.lower() in (".xlsx", ".xlsm"):
        limits.check_xlsx(target)
        return _inspect_xlsx(target)
    encoding = _detect_encoding(target)
    with target.open(encoding=encoding, newline="") as handle:
        first = handle.readline(limits.HEADER_LIMIT + 1)
    if len(first) > limits.HEADER_LIMIT:
        raise BadInput(_("{name}: de eerste regel (de kolomnamen) is langer dan {limit} tekens; zo'n bestand wordt niet "
                         "ingelezen.").format(name=target.name, limit=number_text(limits.HEADER_LIMIT)))
    if not first.strip():
        raise BadInput(_("{name} is leeg of begint met een lege regel; de eerste regel moet de kolomnamen bevatten.")
                       .format(name=target.name))
    csv.field_size_limit(limits.CELL_LIMIT)
    try:
        separator = _detect_separator(first)
        header = next(csv.reader([first], delimiter=separator))
    except csv.Error:
        raise limits.cell_too_long(target.name, 1) from None
    return FileInfo("csv", encoding, separator, [cell.strip() for cell in header], max(_count_lines(target) - 1, 0))


def _inspect_xlsx(target: Path) -> FileInfo:
    """The header and about the size of the first sheet of an Excel workbook (the header ends at its last name)."""
    book = _open_book(target)
    try:
        sheet = book.worksheets[0]
        declared = sheet.max_row or 1
        header = _header(sheet, target)
        if not header:
            raise BadInput(_("{name} is leeg; de eerste rij moet de kolomnamen bevatten.").format(name=target.name))
        estimate = max(min(declared, limits.ROWS_LIMIT) - 1, 0)  # the declared size, only for the progress bar
        return FileInfo("xlsx", header=header, estimated_rows=estimate)
    finally:
        book.close()


def _header(sheet: Any, target: Path) -> list[str]:
    """The first row's names up to the last one that is not empty (the declared dimension is not trusted)."""
    sheet.reset_dimensions()
    first = next(_guarded(sheet.iter_rows(min_row=1, max_row=1, values_only=True), target), ())
    cells = [cell_text(cell).strip() for cell in first]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _guarded(rows: Iterator[Any], target: Path) -> Iterator[Any]:
    """The sheet's rows; a damaged part or markup openpyxl cannot read as one Dutch sentence."""
    from xml.etree.ElementTree import ParseError

    try:
        yield from rows
    except (ParseError, SyntaxError, KeyError, ValueError, TypeError, EOFError, OSError):
        raise BadInput(_("{name} is geen leesbare Excel-werkmap (beschadigd of geen .xlsx).").format(name=target.name)) from None


def _open_book(target: Path) -> Any:
    """The workbook in openpyxl's read-only streaming mode; formulas stay text (never evaluated)."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    import openpyxl  # imported on first use: start-up time
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(target, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, ParseError, SyntaxError):
        raise BadInput(_("{name} is geen leesbare Excel-werkmap (beschadigd of geen .xlsx).").format(name=target.name)) from None
    if not book.worksheets:
        book.close()
        raise BadInput(_("{name} is geen leesbare Excel-werkmap (beschadigd of geen .xlsx).").format(name=target.name))
    return book


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A spreadsheet cell as the user sees it, as text: whole numbers without '.0', a percentage cell as its percent
    (0.21 shown as 21 % is "21"), dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)) and number_format and "%" in number_format.replace("\\%", ""):
        value = round(value * 100, 6)  # a percent cell holds a fraction; the user typed and sees the percent
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and number_format and _ZEROS.fullmatch(number_format) and value >= 0:
        return str(value).zfill(len(number_format))  # a "000000" format shows 123 as 000123: so does the import
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def cell_kind(value: Any) -> str | None:
    """What a spreadsheet cell held when it was not text: sheet_cells.NUMBER or DATE (a yes/no is neither)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, (dt.date, dt.time)):
        return DATE
    return None


def rows(path: str | Path, info: FileInfo) -> Iterator[tuple[int, list[str], dict[int, str]]]:
    """(line number, cells, kinds) of every data row after the header, streamed; the line is where the row starts,
    kinds says which cells of a .xlsx held a number or a date (a CSV's cells are all text)."""
    target = Path(path).expanduser()
    if info.kind == "xlsx":
        yield from _xlsx_rows(target, len(info.header))
        return
    csv.field_size_limit(limits.CELL_LIMIT)
    counted = 0
    with target.open(encoding=info.encoding, newline="") as handle:
        row_size = [0]
        reader = csv.reader(limits.capped_lines(handle, target.name, row_size), delimiter=info.separator)
        try:
            next(reader, None)
            row_size[0] = 0
            start = reader.line_num + 1
            for cells in reader:
                row_size[0] = 0
                counted += 1
                if counted > limits.ROWS_LIMIT:
                    raise limits.too_many_rows(target.name)
                yield start, cells, {}
                start = reader.line_num + 1
        except csv.Error as problem:
            if "field larger" in str(problem):
                raise limits.cell_too_long(target.name, reader.line_num) from None
            raise BadInput(_("{name}, regel {line}: het bestand is geen geldige CSV (controleer de aanhalingstekens).")
                           .format(name=target.name, line=reader.line_num)) from None


def _xlsx_rows(target: Path, width: int) -> Iterator[tuple[int, list[str], dict[int, str]]]:
    """The first sheet's rows after the header as text cells, as wide as the header, read by the cells really there:
    the declared dimension is not trusted and reading stops after EMPTY_RUN empty rows in a row."""
    book = _open_book(target)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        empty = counted = 0
        rows = sheet.iter_rows(min_row=2, max_col=max(width, 1))  # cells, not values: a percent cell needs its format
        for number, row in enumerate(_guarded(rows, target), start=2):
            if number > limits.SHEET_ROWS:  # more row numbers than Excel has: not a sheet (openpyxl keeps each row)
                raise limits.too_many_rows(target.name)
            cells = [cell_text(cell.value, cell.number_format) for cell in row]
            if not any(cells):
                empty += 1
                if empty >= limits.EMPTY_RUN:
                    return
                continue
            empty = 0
            counted += 1
            if counted > limits.ROWS_LIMIT:
                raise limits.too_many_rows(target.name)
            if any(len(cell) > limits.CELL_LIMIT for cell in cells):
                raise limits.cell_too_long(target.name, number)
            yield number, cells, {i: kind for i, cell in enumerate(row) if (kind := cell_kind(cell.value))}
    finally:
        book.close()


@contextlib.contextmanager
def standard_input(path: str) -> Iterator[str]:
    """The file to read: `path` itself, or for `-` standard input copied to a temporary file (CSV only, size-capped)."""
    if path != STDIN:
        yield path
        return
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="klantbeheer-stdin-") as folder:
        copy = Path(folder) / "stdin"  # the name the sentences about the file use
        size = 0
        with copy.open("wb") as handle:
            while chunk := sys.stdin.buffer.read(1 << 20):
                size += len(chunk)
                if size > limits.FILE_LIMIT:
                    raise BadInput(_("De standaardinvoer is groter dan {limit}; splits het bestand.").format(
                        limit=limits.megabytes(limits.FILE_LIMIT)))
                handle.write(chunk)
        if size == 0:
            raise BadInput(_("De standaardinvoer is leeg; de eerste regel moet de kolomnamen bevatten."))
        with copy.open("rb") as handle:
            if handle.read(4) == XLSX_MAGIC:
                raise BadInput(_("Via de standaardinvoer (-) leest een import alleen CSV; geef een Excel-werkmap op "
                                 "met haar bestandsnaam."))
        yield str(copy)
