"""Column widths of the reference lists' entries table: the short columns whole, then the label before the code."""
from __future__ import annotations

from typing import Any

from rich.cells import cell_len

PADDING = 2  # a DataTable cell's padding, one each side
SCROLLBAR = 2  # room kept for the vertical scrollbar
SHORTEST_CODE = 8  # a code narrower than its column wraps over lines rather than hiding the label


def column_widths(headers: dict[str, str], rows: list[dict[str, str]], available: int) -> dict[str, int]:
    """Key -> content width: every column at its natural width when they fit, else the code narrows (it wraps) first."""
    natural = {key: max([cell_len(header), *(cell_len(row[key]) for row in rows)]) for key, header in headers.items()}
    fixed = sum(width for key, width in natural.items() if key not in ("code", "label"))
    rest = available - SCROLLBAR - PADDING * len(headers) - fixed
    if natural["code"] + natural["label"] <= rest:
        return natural
    code = min(natural["code"], max(cell_len(headers["code"]), SHORTEST_CODE))
    label = min(natural["label"], max(rest - code, cell_len(headers["label"])))
    return {**natural, "code": max(code, min(natural["code"], rest - label)), "label": label}


def cells(place: int, entry: dict[str, Any], active: str, inactive: str) -> dict[str, str]:
    """The texts of one entry's row, by column key."""
    return {"place": str(place), "code": entry["code"], "active": active if entry["active"] else inactive,
            "customers": str(entry["customers"]), "label": entry["label"]}
