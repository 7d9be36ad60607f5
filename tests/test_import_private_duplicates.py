"""A private customer (no number, external ref or BTW-nummer) is matched by normalised name and postcode, plus the
address when the row gives one; the match follows --on-duplicate and is named `name_address` (issue 28).

Before: importing "Françoise Lefèvre, 5000" created a second customer next to the demo's, and again a third.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from klantbeheer.data import customers, demo, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import Customer, database_proxy
from klantbeheer.data.transfer import importer
from tests.support.foundation_helpers import run_cli
from tests.support.transfer_files import write_csv

HEADER = ["Naam", "Adres", "Postcode", "Telefoon"]


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    """The demo customers (Françoise Lefèvre lives in 5000) in a real SQLite file this process lets go of."""
    path = str(tmp_path / "k.db")
    open_database(path, create=True)
    staff.login("admin")
    demo.load_demo("admin", demo_database=True)
    database_proxy.obj.close()
    return path


def lefevre() -> dict:
    """The demo's private customer in 5000."""
    found = [row for row in customers.search("lefevre 5000") if row["name"] == "Françoise Lefèvre"]
    assert len(found) == 1
    return customers.get(found[0]["number"])


def test_a_private_customer_is_a_duplicate_by_name_and_postcode_on_the_command_line(demo_db: str, tmp_path: Path) -> None:
    open_database(demo_db)
    existing = lefevre()
    before = Customer.select().count()
    database_proxy.obj.close()
    source = write_csv(tmp_path / "particulieren.csv", HEADER, [
        ["FRANCOISE  LEFEVRE", "", "5000", "081 22 33 44"],  # case, accents and spaces do not matter
        ["Françoise Lefèvre", "", "1000", ""],  # another postcode: another person
        ["Jan Nieuw", "", "9000", ""],
    ])
    first = run_cli("import", str(source), "--json", db=demo_db)
    assert first.code == 0, first.err
    result = first.json()
    assert result["created"] == 2 and result["skipped"] == 1
    assert result["duplicates"] == [{"line": 2, "number": existing["number"], "name": "Françoise Lefèvre",
                                     "match": "name_address", "action": "skipped"}]
    told = run_cli("import", str(source), "--dry-run", db=demo_db)
    assert f"regel 2: bestaat al als klant {existing['number']} (zelfde naam en adres): overgeslagen." in told.out
    again = run_cli("import", str(source), "--json", db=demo_db)
    assert again.json()["created"] == 0 and again.json()["skipped"] == 3  # the second run creates nobody
    updated = run_cli("import", str(source), "--on-duplicate", "update", "--json", db=demo_db)
    assert updated.code == 0 and updated.json()["created"] == 0
    open_database(demo_db)
    assert Customer.select().count() == before + 2
    after = customers.get(existing["number"])  # updated with the file's values, not duplicated
    assert after["phone"] and after["name"] == "FRANCOISE  LEFEVRE"


def test_a_given_address_must_match_too_and_a_row_with_a_number_is_matched_by_number(demo_db: str, tmp_path: Path) -> None:
    open_database(demo_db)
    existing = lefevre()
    customers.update(existing["number"], {"address": "Rue de Fer 12"}, existing["version"], "admin")
    source = write_csv(tmp_path / "adressen.csv", HEADER, [
        ["Françoise Lefèvre", "rue de fer 12", "5000", ""],  # the same address, written otherwise
        ["Françoise Lefèvre", "Avenue Cardinal Mercier 3", "5000", ""],  # a namesake on another street
    ])
    result = importer.run_import(str(source), "admin")
    assert [(case["line"], case["match"]) for case in result["duplicates"]] == [(2, "name_address")]
    assert result["created"] == 1
    fail = importer.run_import(str(source), "admin", on_duplicate="fail")
    assert fail["stored"] is False and "--on-duplicate fail" in fail["reason"]


def test_the_preview_says_what_the_import_will_do_under_each_policy(demo_db: str, tmp_path: Path) -> None:
    open_database(demo_db)
    existing = lefevre()
    source = write_csv(tmp_path / "voorbeeld.csv", ["Klantnr", "Naam", "Postcode", "BTW-nummer"], [
        ["", "Françoise Lefèvre", "5000", ""],
        ["123", "ABC", "8830", ""],
        ["", "Iemand Nieuw", "9000", ""],
        ["", "Fout Nummer", "9000", "BE0123"],
    ])
    skip = importer.preview(str(source))
    assert [(row["action"], row["match"], row["customer"]) for row in skip["rows"]] == [
        ("duplicate", "name_address", existing["number"]), ("duplicate", "number", 123), ("new", None, None),
        ("error", None, None)]
    update = importer.preview(str(source), on_duplicate="update")
    assert [row["action"] for row in update["rows"]] == ["update", "update", "new", "error"]
    done = importer.run_import(str(source), "admin", dry_run=True)
    assert (done["created"], done["skipped"], done["invalid"]) == (1, 2, 1)  # the preview's story, row for row
