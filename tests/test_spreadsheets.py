"""Files saved by a real spreadsheet (Debian's LibreOffice Calc, headless) arrive as the office meant them (issue 28).

The sheet is written as a flat OpenDocument file with TYPED cells (a percentage cell holding 0.21, boolean cells,
a number cell, a date cell, the yes/no words LibreOffice writes in Dutch and French), and LibreOffice itself, set
to the locale of a Flemish (nl-BE) or a Walloon (fr-BE) office, saves it as .xlsx, as a `;` CSV in UTF-8 and in
Windows-1252, and as "Unicode text" (UTF-16 with a byte-order mark). Before: the percent cell was read as 0.21 and
the row refused, WAAR and VRAI were refused in Opmerking Tonen and Toon Identiteitskaart, and UTF-16 was read as
Windows-1252.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from klantbeheer.data import customers
from klantbeheer.data.transfer import importer
from tests.support.libreoffice import CSV_1252, CSV_UTF8, UNICODE_TEXT, convert, flat_sheet, needs_libreoffice, text_cell

pytestmark = needs_libreoffice

HEADER = ["Naam", "Postcode", "Gemeente", "BTW-percentage", "Opmerking Tonen", "Toon Identiteitskaart", "Geblokkeerd",
          "Betalingstermijn", "Reden", "Bericht", "Geblokkeerd tot"]
# name, postcode, town, the percentage cell's value, a boolean cell, a yes/no word, a yes/no word for Geblokkeerd,
# a number cell, the block's reason and message (text) and a date cell (or None)
ROWS = [
    ("Hélène Dubois-Noë", "8830", "Hooglede", 0.21, True, "VRAI", "ONWAAR", 30, "", "", None),
    ("Garage Zuid", "9000", "Gent", 0.06, False, "WAAR", "FAUX", 60, "", "", None),
    ("Atelier Leroy", "2000", "Antwerpen", 0.12, True, "x", "oui", 15, "wanbetaling", "Eerst de facturen van maart.",
     "2027-03-31"),
]
# name -> (vat_rate, show_remarks, show_id_card, blocked, payment_term_days, blocked_until) as the office meant them
MEANT = {"Hélène Dubois-Noë": (21, True, True, False, 30, None), "Garage Zuid": (6, False, True, False, 60, None),
         "Atelier Leroy": (12, True, True, True, 15, dt.date(2027, 3, 31))}

def typed_row(row: tuple) -> list[str]:
    """One customer: text cells, a real percentage cell, a real boolean cell, a number cell and a date cell."""
    name, postcode, town, rate, flag, word, blocked, term, reason, message, until = row
    percent = (f'<table:table-cell table:style-name="percent" office:value-type="percentage" office:value="{rate}">'
               f"<text:p>{round(rate * 100)}%</text:p></table:table-cell>")
    boolean = (f'<table:table-cell table:style-name="yesno" office:value-type="boolean" '
               f'office:boolean-value="{str(flag).lower()}"><text:p>{flag}</text:p></table:table-cell>')
    number = f'<table:table-cell office:value-type="float" office:value="{term}"><text:p>{term}</text:p></table:table-cell>'
    date = (f'<table:table-cell table:style-name="day" office:value-type="date" office:date-value="{until}">'
            f"<text:p>{until}</text:p></table:table-cell>" if until else text_cell(""))
    return [text_cell(name), text_cell(postcode), text_cell(town), percent, boolean, text_cell(word), text_cell(blocked),
            number, text_cell(reason), text_cell(message), date]


def libreoffice_saves(tmp_path: Path, target: str, locale: str = "nl-BE") -> Path:
    """The typed sheet, saved by LibreOffice set to `locale` with the filter `target`; the saved file."""
    source = tmp_path / "kantoor.fods"
    source.write_text(flat_sheet([[text_cell(label) for label in HEADER], *map(typed_row, ROWS)]), encoding="utf-8")
    return convert(source, target, tmp_path / "out", locale)


def as_imported(path: Path) -> dict[str, tuple]:
    """Import `path` as admin; name -> (vat_rate, show_remarks, show_id_card, blocked, term, until) of what was stored."""
    result = importer.run_import(str(path), "admin")
    assert result["invalid"] == 0 and result["created"] == len(ROWS), importer.describe(result)
    found = {}
    for name in MEANT:
        row = customers.search(name)[0]
        stored = customers.get(row["number"])
        found[stored["name"]] = (stored["vat_rate"], stored["show_remarks"], stored["show_id_card"], stored["blocked"],
                                 stored["payment_term_days"], stored["blocked_until"])
    return found


@pytest.mark.parametrize("locale", ["nl-BE", "fr-BE"])
@pytest.mark.parametrize("target", ["xlsx", CSV_UTF8, CSV_1252, UNICODE_TEXT], ids=["xlsx", "csv-utf8", "csv-1252",
                                                                                    "unicode-text"])
def test_a_sheet_saved_by_libreoffice_arrives_as_meant(db_path: str, tmp_path: Path, target: str, locale: str) -> None:
    saved = libreoffice_saves(tmp_path, target, locale)
    raw = saved.read_bytes()
    if target == UNICODE_TEXT:
        assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")  # really UTF-16 with its mark
    if target == CSV_1252:
        assert "Hélène".encode("cp1252") in raw  # really Windows-1252
    if target != "xlsx":  # the office's own words for the boolean cells, as that locale writes them
        assert ("VRAI" if locale == "fr-BE" else "WAAR").encode() in raw.replace(b"\x00", b"")
    assert as_imported(saved) == MEANT
