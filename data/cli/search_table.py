"""The lines of `search`: full width when piped, fitted to the terminal's width when stdout is a terminal."""
from __future__ import annotations

import shutil
import sys
import textwrap
from typing import Any, NamedTuple

from klantbeheer.data.i18n import _
from klantbeheer.data.validation import format_vat

GAP = "  "
FULL = {"name": 40, "place": 28, "vat": 16}  # the piped layout, unchanged since the first version
KEEP_VAT = 40  # name and place together need this much before the BTW-nummer is kept beside them
NARROWEST = {"name": 12, "place": 8}  # below this a column goes (the place first), never the number or the marker


class Line(NamedTuple):
    """One result's texts, uncut."""

    number: str
    name: str
    place: str
    vat: str
    marker: str


def terminal_width() -> int | None:
    """The terminal's width when stdout is a terminal; None when piped or redirected (full width)."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def result_line(row: dict[str, Any]) -> Line:
    """The texts of one search result, with its GEBLOKKEERD or BTW GEBLOKKEERD marker."""
    marker = _("GEBLOKKEERD") if row["blocked"] else _("BTW GEBLOKKEERD") if row.get("vat_blocked") else ""
    return Line(str(row["number"]), row["name"], f"{row['postcode']} {row['city']}".strip(), format_vat(row["vat_number"]), marker)


def widths(lines: list[Line], width: int | None) -> dict[str, int]:
    """Column widths: the full layout when it fits (or when piped); else drop BTW, then narrow name and place."""
    if width is None:
        return dict(FULL)
    fixed = max(9, *(len(line.number) for line in lines)) + len(GAP)
    marker = max(len(line.marker) for line in lines)
    room = width - fixed - (len(GAP) + marker if marker else 0)
    if sum(FULL.values()) + 2 * len(GAP) <= room:
        return dict(FULL)
    vat = FULL["vat"] if room - FULL["vat"] - 2 * len(GAP) >= KEEP_VAT else 0  # BTW stays while name and place keep room
    room -= len(GAP) + (vat + len(GAP) if vat else 0)  # the gaps after name and place
    if room >= NARROWEST["name"] + NARROWEST["place"]:
        name = max(NARROWEST["name"], min(FULL["name"], room * FULL["name"] // (FULL["name"] + FULL["place"])))
        return {"name": name, "place": min(FULL["place"], room - name), "vat": vat}
    return {"name": max(1, room + len(GAP)), "place": 0, "vat": 0}


def cut(text: str, width: int, full: int) -> str:
    """`text` in `width` columns: the full layout cuts as before, a narrowed column ends in … when it had to cut."""
    if width >= full or len(text) <= width:
        return text[:width]
    return text[: width - 1] + "…"


def search_table(rows: list[dict[str, Any]], width: int | None) -> list[str]:
    """Aligned result lines; every line fits `width` (a terminal) unless a customer number alone is wider."""
    lines = [result_line(row) for row in rows]
    size = widths(lines, width)
    out = []
    for line in lines:
        parts = [f"{line.number:>9}"]
        parts += [f"{cut(getattr(line, key), size[key], FULL[key]):<{size[key]}}" for key in FULL if size[key]]
        out.append(GAP.join([*parts, line.marker]).rstrip())
    return out


def wrapped(text: str, width: int | None) -> list[str]:
    """A line of text, wrapped to the terminal's width (whole when piped)."""
    return textwrap.wrap(text, width) if width else [text]
