"""What an import file may be: sizes checked before anything is read, so a small file cannot exhaust the machine.

Every limit is refused with one Dutch sentence and nothing is stored. The numbers are documented in
docs/transfer.md; memory stays under 200 MB for any file they let through (tests/test_import_limits.py).
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from typing import IO, Iterator

from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import _, number_text

FILE_LIMIT = 50 * 1024 * 1024  # bytes of an import file (CSV or .xlsx) and of standard input
UNPACKED_LIMIT = 200 * 1024 * 1024  # bytes of all the parts of an .xlsx together, unpacked
SHARED_TEXT_LIMIT = 10 * 1024 * 1024  # bytes of an .xlsx's shared strings (openpyxl keeps them all in memory)
CELL_LIMIT = 100_000  # characters in one cell (the longest field holds 4,000: a longer cell is reported per row below this)
HEADER_LIMIT = 65_536  # characters in the header line of a CSV
ROW_LIMIT = 1_000_000  # characters in one CSV row (a quoted cell may span lines)
ROWS_LIMIT = 500_000  # data rows in one file (the duplicate check keeps every number: memory)
SHEET_ROWS = 1_048_576  # row numbers of an Excel sheet: more (even empty ones) is no real workbook
EMPTY_RUN = 1_000  # an .xlsx is read until this many empty rows in a row (its declared size is not trusted)
MAPPING_LIMIT = 8 * 1024  # bytes of a mapping file
_MARKUP = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"),
           "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


def megabytes(size: int) -> str:
    """A size limit as people read it ('50 MB')."""
    return f"{number_text(size // (1024 * 1024))} MB"


def regular_file(target: Path, limit: int, missing: str) -> None:
    """BadInput unless target is a regular file (not a device, FIFO or directory) of at most `limit` bytes."""
    try:
        info = target.stat()
    except FileNotFoundError:
        raise BadInput(missing.format(path=target)) from None
    except OSError:
        raise BadInput(_("{path} kan niet gelezen worden (geen toegang).").format(path=target)) from None
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(_("{path} is geen gewoon bestand; geef een CSV-, .xlsx- of TOML-bestand op.").format(path=target))
    if info.st_size > limit:
        raise BadInput(_("{name} is te groot ({size}); de grens is {limit}. Splits het bestand.").format(
            name=target.name, size=megabytes(info.st_size) if info.st_size >= 1024 * 1024 else f"{info.st_size} bytes",
            limit=megabytes(limit) if limit >= 1024 * 1024 else f"{number_text(limit // 1024)} KB"))


def check_xlsx(target: Path) -> None:
    """BadInput when an .xlsx unpacks to more than the limits or holds a DOCTYPE (XXE, billion laughs)."""
    try:
        with zipfile.ZipFile(target) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > UNPACKED_LIMIT:
                raise BadInput(_("{name} is uitgepakt groter dan {limit}; zo'n werkmap wordt niet ingelezen. "
                                 "Splits het bestand of sla het op als CSV.").format(name=target.name, limit=megabytes(UNPACKED_LIMIT)))
            for part in parts:
                if part.filename.lower().endswith("sharedstrings.xml") and part.file_size > SHARED_TEXT_LIMIT:
                    raise BadInput(_("{name} bevat meer dan {limit} tekst; zo'n werkmap wordt niet ingelezen. "
                                     "Splits het bestand of sla het op als CSV.").format(name=target.name, limit=megabytes(SHARED_TEXT_LIMIT)))
            for part in parts:
                if not part.is_dir() and _has_markup(archive.open(part)):
                    raise BadInput(_("{name} bevat een DOCTYPE- of ENTITY-verklaring (zoals in een XML-aanval); "
                                     "zo'n werkmap wordt niet ingelezen. Sla ze opnieuw op in Excel.").format(name=target.name))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise BadInput(_("{name} is geen leesbare Excel-werkmap (beschadigd of geen .xlsx).").format(name=target.name)) from None


def _has_markup(part: IO[bytes]) -> bool:
    """True when the part holds a DOCTYPE or ENTITY declaration (in UTF-8 or UTF-16), read in chunks."""
    tail = b""
    with part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in _MARKUP):
                return True
            tail = window[-20:]
    return False


def capped_lines(handle: IO[str], name: str, state: list[int]) -> Iterator[str]:
    """The lines of a CSV for csv.reader, each read with a limit; BadInput when one row grows past ROW_LIMIT.

    `state[0]` counts the characters of the row being read; the caller sets it to 0 after each row.
    """
    line_number = 0
    while True:
        line = handle.readline(ROW_LIMIT + 1)
        if not line:
            return
        line_number += 1
        state[0] += len(line)
        if state[0] > ROW_LIMIT:
            raise BadInput(_("{name}, regel {line}: de rij is langer dan {limit} tekens; zo'n bestand wordt niet "
                             "ingelezen.").format(name=name, line=line_number, limit=number_text(ROW_LIMIT)))
        yield line


def cell_too_long(name: str, line: int) -> BadInput:
    """The refusal of a cell over CELL_LIMIT characters."""
    return BadInput(_("{name}, regel {line}: een cel is langer dan {limit} tekens; zo'n bestand wordt niet ingelezen.")
                    .format(name=name, line=line, limit=number_text(CELL_LIMIT)))


def too_many_rows(name: str) -> BadInput:
    """The refusal of a file with more than ROWS_LIMIT data rows."""
    return BadInput(_("{name} heeft meer dan {limit} rijen; splits het bestand.").format(
        name=name, limit=number_text(ROWS_LIMIT)))


def file_size(handle: IO[bytes]) -> int:
    """The size of an open file (for standard input copied to a temporary file)."""
    return os.fstat(handle.fileno()).st_size
