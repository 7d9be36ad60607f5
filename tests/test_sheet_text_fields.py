"""Fields that are text by nature, typed as numbers and dates in a real spreadsheet (LibreOffice Calc, headless).

Before: a 17-digit Externe Ref. became 12345678901234600 without a word, a date cell in Attest nummer was stored
as a date's text without a word, and the French postcode 01000, a number cell 1000, was stored as 1000. Now the
import keeps them as text, shows a zero-padded number as padded, gives French postcodes their zeros back and warns
(in the output and in --json) wherever the spreadsheet may have changed the value.
"""
from __future__ import annotations

import re
from pathlib import Path

from klantbeheer.data import customers
from klantbeheer.data.transfer import importer
from tests.support.libreoffice import CSV_UTF8, convert, flat_sheet, needs_libreoffice, text_cell

pytestmark = needs_libreoffice

HEADER = ["Naam", "Externe Ref.", "Attest nummer", "Adres 2", "Postcode", "Gemeente", "Land"]
def number_cell(value: int, style: str = "") -> str:
    """A number cell (optionally with a cell style)."""
    styled = f' table:style-name="{style}"' if style else ""
    return f'<table:table-cell{styled} office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'


def date_cell(iso: str) -> str:
    """A date cell shown as dd/mm/yyyy."""
    return (f'<table:table-cell table:style-name="day" office:value-type="date" office:date-value="{iso}">'
            f"<text:p>{iso}</text:p></table:table-cell>")


def sheet(tmp_path: Path, target: str) -> Path:
    """Three customers typed the way an office types them, saved by LibreOffice with the filter `target`."""
    rows = [
        [text_cell("Lange Referentie"), number_cell(12345678901234567), text_cell("A-1"), text_cell("3/4"),
         text_cell("8830"), text_cell("Hooglede"), text_cell("BE")],
        [text_cell("Nullen Vooraan"), number_cell(123, "six"), date_cell("2026-02-01"), text_cell(""),
         text_cell("9000"), text_cell("Gent"), text_cell("BE")],
        [text_cell("Boulangerie Ain"), text_cell("FR-77"), text_cell("007"), text_cell(""),
         number_cell(1000), text_cell("Bourg-en-Bresse"), text_cell("FR")],
    ]
    source = tmp_path / "kantoor.fods"
    source.write_text(flat_sheet([[text_cell(label) for label in HEADER], *rows]), encoding="utf-8")
    return convert(source, target, tmp_path / "out")


def stored(name: str) -> dict:
    """The stored customer of that name."""
    return customers.get(customers.search(name)[0]["number"])


def warned(result: dict, line: int) -> str:
    """The warning of one file line in the import's result ('' when none)."""
    return " | ".join(case["warning"] for case in result["warnings"] if case["line"] == line)


def test_an_xlsx_with_typed_cells_keeps_text_fields_as_text_and_warns(db_path: str, tmp_path: Path) -> None:
    result = importer.run_import(str(sheet(tmp_path, "xlsx")), "admin")
    assert result["invalid"] == 0 and result["created"] == 3, importer.describe(result)
    long_ref = stored("Lange Referentie")["external_ref"]
    assert long_ref.isdigit() and len(long_ref) == 17 and not long_ref.endswith(".0")
    assert "meer dan 15 cijfers" in warned(result, 2) and long_ref in warned(result, 2)
    assert stored("Lange Referentie")["address2"] == "3/4"  # a text cell stays text
    assert stored("Nullen Vooraan")["external_ref"] == "000123"  # shown as 000123 by its format: read so
    assert stored("Nullen Vooraan")["certificate_number"] == "01/02/2026"
    assert "was een datum in het rekenblad" in warned(result, 3) and "Externe Ref." not in warned(result, 3)
    french = stored("Boulangerie Ain")
    assert (french["postcode"], french["country"], french["certificate_number"]) == ("01000", "FR", "007")
    assert "opgeslagen als 01000" in warned(result, 4)
    described = importer.describe(result)
    assert "regel 2: let op: Externe Ref.:" in described and "regel 4: let op: Postcode:" in described


def test_a_csv_saved_by_libreoffice_warns_about_a_number_in_scientific_notation(db_path: str, tmp_path: Path) -> None:
    saved = sheet(tmp_path, CSV_UTF8)
    result = importer.run_import(str(saved), "admin")
    assert result["invalid"] == 0 and result["created"] == 3, importer.describe(result)
    # LibreOffice writes what the cell shows: 1,23456789012346E+016 in General format (nl-BE's decimal comma);
    # stored as it came, with a word
    assert re.fullmatch(r"1[.,]23456789012346E\+0?16", stored("Lange Referentie")["external_ref"].upper())
    assert "wetenschappelijke notatie" in warned(result, 2)
    assert stored("Nullen Vooraan")["external_ref"] == "000123"  # the CSV holds what the cell showed
    assert stored("Boulangerie Ain")["postcode"] == "01000" and "opgeslagen als 01000" in warned(result, 4)
