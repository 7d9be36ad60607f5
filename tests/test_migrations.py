"""Schema versions: a version-1 database is upgraded in place with its data; newer or foreign files are refused."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from klantbeheer.data import customers, dossiers, reference, staff
from klantbeheer.data.db import migrate_to, open_database, schema_version
from klantbeheer.data.errors import DatabaseProblem
from klantbeheer.data.migrations import LATEST
from klantbeheer.data.models import Customer, ReferenceItem, database_proxy
from tests.support.foundation_helpers import run_cli


@pytest.fixture
def closing():
    """Close whatever database a test bound."""
    yield
    if database_proxy.obj is not None:
        database_proxy.obj.close()


def make_version_1(path: Path) -> None:
    """A database made by schema version 1, filled through plain SQL as that version would have."""
    migrate_to(str(path), 1)
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO staff (username, full_name, role, active) VALUES ('oud', 'Oude Beheerder', 'beheerder', 1)")
        con.execute("INSERT INTO staff (username, full_name, role, active) VALUES ('mw', 'Mia', 'medewerker', 1)")
        columns = ("number, name, external_ref, email, language, address, address2, postcode, city, province, country, "
                   "certificate_number, vat_number, vat_rate, payment_condition, discount_scheme, price_list, "
                   "internal_account, phone, fax, mobile, customer_type, legal_form, salutation, contact, remarks, "
                   "show_remarks, show_id_card, blocked, block_reason, block_message, blocked_by, iban, bic, version, "
                   "created_at, created_by, updated_at, updated_by")
        rows = [
            (123, "ABC", "5744", "", "nl-BE", "HOGESTRAAT 53", "", "8830", "Hooglede", "West-Vlaanderen", "BE", "",
             "BE0867756456", 21, "", "", "", "", "", "", "", "bedrijf", "rechtspersoon", "", "", "100 % LIGHT",
             0, 0, 0, "", "", "", "", "", 3, "2024-01-02 10:00:00", "oud", "2024-02-03 11:00:00", "oud"),
            (124, "Hélène D'Hondt", "", "helene@example.be", "fr-BE", "", "", "1000", "Brussel", "", "BE", "",
             "", 21, "", "", "", "", "+3225123456", "", "", "particulier", "natuurlijk_persoon", "mevr", "", "",
             0, 0, 1, "wanbetaling", "Eerst betalen", "oud", "", "", 1, "2024-01-02 10:00:00", "oud", "2024-01-02 10:00:00", "oud"),
        ]
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO customer ({columns}) VALUES ({marks})", rows)
        con.execute("UPDATE customer SET blocked_at = '2024-03-01 09:00:00' WHERE number = 124")
        con.execute("INSERT INTO customer_event (customer_id, customer_number, kind, changes, operator, at) "
                    "SELECT id, number, 'created', '{}', 'oud', '2024-01-02 10:00:00' FROM customer")
        con.execute("INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
                    "SELECT '2024-00001', id, 'Oud dossier', '', '1-ABC-123', '2024-01-05 08:00:00', 'oud', 'open' FROM customer WHERE number = 123")
    con.close()


def test_version_1_database_is_upgraded_with_its_data_intact_and_searchable(tmp_path: Path, closing: None) -> None:
    path = tmp_path / "v1.db"
    make_version_1(path)
    assert sqlite3.connect(path).execute("SELECT version FROM schema_info").fetchone() == (1,)
    db = open_database(str(path))
    assert schema_version(db) == LATEST
    assert database_proxy.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
    abc = customers.get(123)
    assert (abc["name"], abc["vat_number"], abc["city"], abc["version"], abc["created_by"]) == ("ABC", "BE0867756456", "Hooglede", 3, "oud")
    assert abc["remarks"] == "100 % LIGHT"
    other = customers.get(124)
    assert other["blocked"] is True and other["block_reason"] == "wanbetaling" and other["phone"] == "+3225123456"
    assert [c["number"] for c in customers.search("helene dhondt")] == [124]
    assert customers.search("0867.756.456")[0]["number"] == 123
    assert customers.search("hooglede")[0]["number"] == 123
    assert [d["number"] for d in dossiers.list_dossiers(123)] == ["2024-00001"]
    assert [e["kind"] for e in customers.history(123)] == ["created"]
    assert staff.login("oud").role == "beheerder"
    # the upgraded database works like a new one: rules, index triggers, history guard
    changed = customers.update(123, {"name": "ABC Nieuw"}, 3, "oud")
    assert changed["version"] == 4 and customers.search("abc nieuw")[0]["number"] == 123
    with pytest.raises(Exception, match="alleen-toevoegen"):
        database_proxy.execute_sql("DELETE FROM customer_event")


def test_opening_twice_is_harmless(tmp_path: Path, closing: None) -> None:
    path = str(tmp_path / "k.db")
    open_database(path, create=True)
    staff.login("admin")
    customers.create({"name": "Eén"}, "admin")
    database_proxy.obj.close()
    db = open_database(path)
    assert schema_version(db) == LATEST
    assert [c["name"] for c in customers.search("een")] == ["Eén"]


def test_new_database_has_its_reference_data(tmp_path: Path, closing: None) -> None:
    open_database(str(tmp_path / "k.db"), create=True)
    assert reference.choices("country")[0] == ("BE", "België")
    assert ("NL", "Nederland") in reference.choices("country")
    assert [label for _, label in reference.choices("block_reason")] == ["Wanbetaling", "Fraude", "Geschil", "Op vraag van de klant", "Andere"]
    for kind in ("language", "vat_rate", "customer_type", "legal_form", "salutation", "payment_condition",
                 "discount_scheme", "price_list", "internal_account"):
        assert reference.choices(kind), kind
    assert Customer.select().count() == 0 and ReferenceItem.select().count() > 250


def test_newer_database_is_refused(tmp_path: Path, closing: None) -> None:
    path = tmp_path / "nieuw.db"
    migrate_to(str(path), LATEST)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE schema_info SET version = ?", (LATEST + 1,))
    con.close()
    with pytest.raises(DatabaseProblem, match="nieuwer dan deze versie"):
        open_database(str(path))
    result = run_cli("search", "abc", db=str(path))
    assert result.code == 1 and "nieuwer" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("content", [b"Dit is geen database maar een boodschappenlijst.\n" * 50, bytes(range(256)) * 20])
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, content: bytes, closing: None) -> None:
    path = tmp_path / "tekst.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseProblem, match="geen"):
        open_database(str(path))
    assert path.read_bytes() == content
    result = run_cli("show", "123", db=str(path))
    assert result.code == 1 and "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_another_programs_sqlite_database_is_refused_and_left_alone(tmp_path: Path, closing: None) -> None:
    path = tmp_path / "ander.db"
    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE recepten (naam TEXT)")
    con.close()
    with pytest.raises(DatabaseProblem, match="geen Klantbeheer-database"):
        open_database(str(path))
    tables = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["recepten"]


@pytest.mark.parametrize("where", ["missing-folder/k.db", "."])
def test_unusable_locations_are_refused(tmp_path: Path, where: str, closing: None) -> None:
    with pytest.raises(DatabaseProblem):
        open_database(str(tmp_path / where), create=True)


def test_memory_and_unknown_urls_are_refused() -> None:
    with pytest.raises(DatabaseProblem):
        open_database(":memory:")
    with pytest.raises(DatabaseProblem, match="Onbekend soort"):
        open_database("mysql://x@y/z")


def test_two_processes_opening_an_old_database_at_once_both_succeed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.support.foundation_helpers import APP, ROOT

    path = tmp_path / "v1.db"
    make_version_1(path)
    command = [sys.executable, APP, "search", "hooglede", "--json", "--db", str(path), "--operator", "oud"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) for _ in range(3)]
    results = [run.communicate(timeout=60) + (run.returncode,) for run in runs]
    for out, err, code in results:
        assert code == 0, err
        assert '"number": 123' in out
    con = sqlite3.connect(path)
    assert con.execute("SELECT version FROM schema_info").fetchall() == [(LATEST,)]
    assert con.execute("SELECT count(*) FROM dossier").fetchone() == (1,)


def test_sqlite_settings_wal_foreign_keys_busy_timeout_and_immediate_writes(db_path: str) -> None:
    pragma = lambda name: database_proxy.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    other = sqlite3.connect(db_path, timeout=0)
    with database_proxy.atomic():
        # the transaction took the write lock at BEGIN, before writing anything
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.rollback()
    other.close()


def test_database_location_from_url_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closing: None) -> None:
    from klantbeheer.data.db import default_location

    target = tmp_path / "via-url.db"
    open_database(f"sqlite:///{target}", create=True)
    staff.login("admin")
    database_proxy.obj.close()
    assert target.exists()
    monkeypatch.setenv("KLANTBEHEER_DB", str(tmp_path / "env.db"))
    assert default_location() == str(tmp_path / "env.db")
    open_database(None, create=True)
    assert Path(database_proxy.obj.database) == tmp_path / "env.db"
