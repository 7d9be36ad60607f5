"""The product's exports, opened and saved again by a real LibreOffice Calc (nl-BE and fr-BE), import as they were.

The customers include what a spreadsheet likes to rewrite: an Externe Ref. with leading zeros and one of 17 digits,
an Attest nummer `1/2` and an Adres 2 `3/4` that look like dates, a French postcode 01000, a remark with a line break
and a cell that looks like a formula. The .xlsx goes through Calc as it opens it; the CSV is opened the way
docs/transfer.md advises (every column as Text) and saved as a `;` CSV again.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from klantbeheer.data import customers, demo, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import Customer, database_proxy
from klantbeheer.data.transfer import exporter, importer
from tests.support.libreoffice import CSV_UTF8, convert, needs_libreoffice
from tests.test_export import everything

pytestmark = needs_libreoffice

TRICKY = [
    {"name": "Nullen & Co", "number": 9001, "external_ref": "000123", "certificate_number": "1/2", "address2": "3/4"},
    {"name": "Lange Ref", "number": 9002, "external_ref": "12345678901234567", "certificate_number": "007"},
    {"name": "Boulangerie de l'Ain", "number": 9003, "country": "FR", "postcode": "01000", "city": "Bourg-en-Bresse",
     "phone": "+33 4 74 22 33 44", "remarks": "=SOM(A1)\nregel twee", "contact": "-Jan-"},
]


def text_columns(path: Path) -> str:
    """LibreOffice's CSV import options for this file: `;`, `"`, UTF-8 (with its BOM), first row, every column Text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        width = len(next(csv.reader(handle, delimiter=";")))
    return "CSV:59,34,76,1," + "/".join(f"{column}/2" for column in range(1, width + 1))


@pytest.mark.parametrize("locale", ["nl-BE", "fr-BE"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_saved_again_by_libreoffice_imports_as_it_was(db_path: str, tmp_path: Path, kind: str,
                                                                locale: str) -> None:
    demo.load_demo("admin")
    for values in TRICKY:
        customers.create(values, "admin")
    customers.block(9002, "wanbetaling", "Eerst betalen.", "2027-03-31", "admin")
    before = everything()
    exported = tmp_path / f"klanten.{kind}"
    exporter.export(str(exported))
    if kind == "xlsx":
        saved = convert(exported, "xlsx", tmp_path / "calc", locale)
    else:
        saved = convert(exported, CSV_UTF8, tmp_path / "calc", locale, infilter=text_columns(exported))
    assert saved.read_bytes() != exported.read_bytes()  # LibreOffice wrote its own file
    database_proxy.obj.close()
    open_database(str(tmp_path / "leeg.db"), create=True)
    staff.login("admin")
    result = importer.run_import(str(saved), "admin")
    assert (result["invalid"], result["created"]) == (0, len(before)), importer.describe(result)
    assert result["warnings"] == []  # nothing arrived as a number or a date
    after = everything()
    assert after == before
    assert Customer.get(Customer.number == 9001).external_ref == "000123"


def test_a_csv_opened_with_default_settings_loses_digits_and_the_import_says_where(db_path: str, tmp_path: Path) -> None:
    for values in TRICKY:
        customers.create(values, "admin")
    exported = tmp_path / "klanten.csv"
    exporter.export(str(exported))
    saved = convert(exported, CSV_UTF8, tmp_path / "calc", "nl-BE", infilter="CSV:59,34,76,1")  # columns Standard
    database_proxy.obj.close()
    open_database(str(tmp_path / "leeg.db"), create=True)
    staff.login("admin")
    result = importer.run_import(str(saved), "admin")
    warned = {case["line"]: case["warning"] for case in result["warnings"]}
    assert "Externe Ref.: staat in wetenschappelijke notatie" in warned[3]  # the 17-digit reference
    assert "Postcode: kwam als getal 1000 uit het rekenblad; opgeslagen als 01000" in warned[4]
    assert Customer.get(Customer.number == 9003).postcode == "01000"
    assert Customer.get(Customer.number == 9001).external_ref == "123"  # lost before the import: docs/transfer.md advises
