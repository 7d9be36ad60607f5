"""The error report of an import: FILE.fouten.csv next to the input, the original row plus a Dutch reason per field."""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import IO

from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.visible import visible


def shown(cell: str) -> str:
    """A cell as the report writes it: control characters visible as the screens show them (ESC as ␛, bidi as �;
    line breaks and tabs stay), and a leading = + - @ behind an apostrophe, which an import takes off again."""
    from klantbeheer.data.transfer.import_rows import FORMULA_START

    text = visible(cell, multiline=True)
    return "'" + text if text.startswith(FORMULA_START) else text


def usual_mode() -> int:
    """The mode of a file holding customer data (report, export): the SQLite database's own, never more
    readable, whatever the umask; 0600 on PostgreSQL (the server's rights do not map onto a file)."""
    from klantbeheer.data import session
    from klantbeheer.data.engines.sqlite_files import PRIVATE, output_mode

    try:
        location = session.engine().location
    except KlantbeheerError:
        return PRIVATE
    return PRIVATE if "://" in location else output_mode(location)


def report_path(source: str | Path) -> Path:
    """Where the report of this input goes: the input's own name plus .fouten.csv."""
    target = Path(source).expanduser()
    return target.with_name(target.name + ".fouten.csv")


class Report:
    """Rows that were not stored, written as they are found (Excel's ';' and UTF-8 with BOM); kept only when not empty."""

    def __init__(self, source: str | Path, header: list[str]) -> None:
        self.path = report_path(source)
        self.header = header
        self.rows = 0
        self._handle: IO[str] | None = None
        self._writer: "csv._writer | None" = None  # type: ignore[name-defined]

    def add(self, line: int, cells: list[str], reasons: str) -> None:
        """One row that was not stored, with its line in the input and why."""
        if self._writer is None:
            handle = tempfile.NamedTemporaryFile(
                "w", encoding="utf-8-sig", newline="", dir=self.path.parent, prefix=".fouten-", suffix=".csv", delete=False)
            self._handle = handle
            self._writer = csv.writer(handle, delimiter=";")
            self._writer.writerow(["Regel", "Fouten", *(shown(cell) for cell in self.header)])
        self._writer.writerow([line, visible(reasons), *(shown(cell) for cell in cells)])
        self.rows += 1

    def finish(self) -> Path | None:
        """Put the report in place (an old report of the same file goes); None when every row was fine."""
        if self._handle is None:
            self.path.unlink(missing_ok=True)
            return None
        self._handle.close()
        os.chmod(self._handle.name, usual_mode())  # a temporary file is private (0600); the report is not
        os.replace(self._handle.name, self.path)
        return self.path

    def discard(self) -> None:
        """Throw a half-written report away (the import stopped)."""
        if self._handle is not None:
            self._handle.close()
            Path(self._handle.name).unlink(missing_ok=True)
