"""Export on both engines: Belgian Excel CSV, .xlsx, formula protection, and the round trip export -> import."""
from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path

import openpyxl
import pytest

from klantbeheer.data import customers, demo, lists, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import set_language
from klantbeheer.data.models import EDITABLE_FIELDS, Customer, database_proxy
from klantbeheer.data.transfer import exporter, importer
from tests.support.engines import db_path  # noqa: F401  (both engines)
from tests.support.pg_support import fresh_database
from tests.support.transfer_files import FORMULA

COMPARED = [name for name in EDITABLE_FIELDS if name != "repairer"] + ["blocked", "block_reason", "block_message", "blocked_until"]
HOSTILE = ["+32 478 12 34 56", "-1 korting", "@iedereen", "\tverborgen"]


def current_umask() -> int:
    """This process's umask."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def everything() -> dict[int, dict]:
    """Every customer's compared fields, by number."""
    return {c.number: {name: getattr(c, name) for name in COMPARED} for c in Customer.select()}


def read_csv(path: Path) -> list[list[str]]:
    """A CSV as Belgian Excel opens it: ';' and UTF-8 with BOM."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(raw[3:].decode("utf-8").splitlines(), delimiter=";"))


def test_csv_is_belgian_excel_and_protected_against_formulas(db_path: str, tmp_path: Path) -> None:
    customers.create({"name": FORMULA, "number": 1, "contact": HOSTILE[0], "remarks": HOSTILE[1], "address": HOSTILE[2]}, "admin")
    customers.block(1, "wanbetaling", "=1+1", "31-12-2099", "admin")
    result = exporter.export(str(tmp_path / "uit.csv"), code_names=False)
    rows = read_csv(tmp_path / "uit.csv")
    assert result["customers"] == 1 and rows[0][:3] == ["Nummer", "Naam", "Externe Ref."]
    record = dict(zip(rows[0], rows[1]))
    assert record["Naam"] == "'" + FORMULA and record["Bericht"] == "'=1+1"
    assert (record["Contact"], record["Opmerkingen"], record["Adres"]) == ("'+32 478 12 34 56", "'-1 korting", "'@iedereen")
    assert record["Geblokkeerd tot"] == "31/12/2099" and record["Geblokkeerd"] == "ja" and record["Reden"] == "Wanbetaling"
    assert record["Taal"] == "Nederlands (BE)" and record["Land"] == "België"
    expected = 0o600 if "://" in db_path else Path(db_path).stat().st_mode & 0o666  # the database's mode (issue 25)
    assert (tmp_path / "uit.csv").stat().st_mode & 0o777 == expected


def test_xlsx_cells_are_text_never_formulas_and_fields_can_be_chosen(db_path: str, tmp_path: Path) -> None:
    customers.create({"name": FORMULA, "number": 1, "vat_number": "0867756456"}, "admin")
    customers.create({"name": "Gewoon", "number": 2}, "admin")
    customers.block(2, "fraude", "", None, "admin")
    exporter.export(str(tmp_path / "uit.xlsx"), fields=["number,Naam", "vat_number"], code_names=True, blocked_only=False)
    sheet = openpyxl.load_workbook(tmp_path / "uit.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [["number", "name", "vat_number"], [1, FORMULA, "BE 0867.756.456"], [2, "Gewoon", None]]
    assert sheet["B2"].data_type == "s"  # a string cell: Excel shows it, never runs it
    blocked = exporter.export(str(tmp_path / "g.csv"), blocked_only=True, fields=["Nummer"])
    assert blocked["customers"] == 1 and read_csv(tmp_path / "g.csv") == [["Nummer"], ["2"]]
    searched = exporter.export(str(tmp_path / "s.csv"), search="gewoon", fields=["number"])
    assert read_csv(tmp_path / "s.csv") == [["Nummer"], ["2"]] and searched["customers"] == 1
    with pytest.raises(BadInput, match="Onbekend veld voor de export: 'kleur'"):
        exporter.export(str(tmp_path / "x.csv"), fields=["kleur"])
    with pytest.raises(BadInput, match="bestaat niet"):
        exporter.export(str(tmp_path / "geen map" / "x.csv"))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_into_an_empty_database_gives_the_same_customers(db_path: str, tmp_path: Path, kind: str) -> None:
    demo.load_demo("admin")
    customers.create({"name": "Dupont [/] RTL עברית 😀", "number": 9000, "phone": "+33 1 42 68 53 00",
                      "iban": "FR14 2004 1010 0505 0001 3M02 606", "country": "FR", "postcode": "75008", "city": "Parijs",
                      "remarks": "=HYPERLINK(\"x\")\nregel twee", "payment_term_days": "30", "salutation": "mevr",
                      "show_remarks": True, "vat_rate": "6", "contact": "-Jan-"}, "admin")
    customers.block(9000, "geschil", "@boekhouding", "2099-01-31", "admin")
    before = everything()
    exporter.export(str(tmp_path / f"alles.{kind}"))
    with ExitStack() as stack:
        target = str(tmp_path / "leeg.db") if not db_path.startswith("postgresql") else stack.enter_context(fresh_database())
        open_database(target, create=True)
        staff.login("admin")
        result = importer.run_import(str(tmp_path / f"alles.{kind}"), "admin")
        assert (result["invalid"], result["created"]) == (0, len(before)), result
        after = everything()
        database_proxy.obj.close()
    open_database(db_path)
    assert after == before


def test_a_file_exported_by_a_french_operator_imports_for_a_dutch_one(db_path: str, tmp_path: Path) -> None:
    """Export in French (headers, oui/non, the office's French list labels), import in Dutch: the same customers."""
    demo.load_demo("admin")
    lists.rename("prijslijst", "standaard", "Tarif standard", "admin", language="fr")
    lists.rename("blokkeerreden", "geschil", "Litige", "admin", language="fr")
    customers.create({"name": "Dupont", "number": 9000, "price_list": "standaard", "show_id_card": True}, "admin")
    customers.block(9000, "geschil", "à appeler", "2099-01-31", "admin")
    before = everything()
    try:
        set_language("fr")
        exporter.export(str(tmp_path / "clients.csv"))
    finally:
        set_language("nl")
    rows = read_csv(tmp_path / "clients.csv")
    record = dict(zip(rows[0], rows[-1]))
    assert rows[0][:4] == ["Numéro", "Nom", "Réf. externe", "E-mail"] and "Code postal" in rows[0] and "Commune" in rows[0]
    assert (record["Liste de prix"], record["Motif"], record["Bloqué"], record["Afficher la carte d'identité"]) == (
        "Tarif standard", "Litige", "oui", "oui")
    assert (record["Pays"], record["Type de client"], record["Langue"]) == ("Belgique", "Entreprise", "Néerlandais (BE)")
    with ExitStack() as stack:
        target = str(tmp_path / "leeg.db") if not db_path.startswith("postgresql") else stack.enter_context(fresh_database())
        open_database(target, create=True)
        staff.login("admin")
        lists.rename("prijslijst", "standaard", "Tarif standard", "admin", language="fr")  # the same office's lists
        lists.rename("blokkeerreden", "geschil", "Litige", "admin", language="fr")
        result = importer.run_import(str(tmp_path / "clients.csv"), "admin")
        assert (result["invalid"], result["created"]) == (0, len(before)), result
        after = everything()
        database_proxy.obj.close()
    open_database(db_path)
    assert after == before
