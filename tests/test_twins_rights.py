"""Issue 25, hole 3: changing or clearing a BTW-nummer or IBAN a blocked customer shares is a beheerder's act."""
from __future__ import annotations

from pathlib import Path

import pytest

from klantbeheer.data import customers, dossiers, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import NotPermitted, TwinBlocked
from klantbeheer.data.models import Dossier, database_proxy
from tests.support.engines import db_path  # noqa: F401 - runs every data-layer test on SQLite and PostgreSQL
from tests.support.foundation_helpers import run_cli
from tests.support.pg_support import medewerker_login
from tests.support.transfer_files import write_csv

VAT = "BE0867756456"
IBAN = "BE71096123456769"
BLOCKED = {"name": "Wanbetaler NV", "number": 1002, "vat_number": VAT, "iban": IBAN, "postcode": "8830", "country": "BE"}
TWIN = {"name": "Wanbetaler Filiaal", "number": 2005, "vat_number": VAT, "iban": IBAN, "postcode": "8000", "country": "BE"}


def make_twins() -> None:
    """Customer 1002 blocked for non-payment and its twin 2005 with the same BTW-nummer and IBAN."""
    customers.create(BLOCKED, "admin")
    customers.create(TWIN, "admin")
    customers.block(1002, "wanbetaling", "Eerst betalen", None, "admin")


def released_events(number: int) -> list[dict]:
    """The 'twin_released' events in a customer's history."""
    return [event["changes"] for event in customers.history(number) if event["kind"] == "twin_released"]


def test_medewerker_cannot_clear_a_twins_vat_open_a_dossier_and_put_it_back(db_path: str) -> None:  # noqa: F811
    """The exact attack: the first step (clearing the BTW of 1002's twin) is refused, so no dossier follows."""
    make_twins()
    twin = customers.get(2005)
    with pytest.raises(NotPermitted) as refused:
        customers.update(2005, {"vat_number": ""}, twin["version"], "mw")
    assert "1002" in refused.value.message and "beheerder" in refused.value.message
    assert refused.value.exit_code == 4
    assert customers.get(2005)["vat_number"] == VAT
    with pytest.raises(TwinBlocked):
        dossiers.create_dossier(2005, "Poging", operator="mw")
    assert Dossier.select().count() == 0


@pytest.mark.parametrize("field, new", [("vat_number", "BE0417497106"), ("iban", ""), ("iban", "BE62510007547061")])
def test_medewerker_cannot_change_a_shared_value_on_the_twin(db_path: str, field: str, new: str) -> None:  # noqa: F811
    """Changing (not only clearing) the BTW-nummer or the IBAN of the twin is refused too."""
    make_twins()
    with pytest.raises(NotPermitted):
        customers.update(2005, {field: new}, None, "mw")
    assert customers.get(2005)[field] == TWIN[field]


def test_medewerker_cannot_change_the_blocked_customers_shared_value(db_path: str) -> None:  # noqa: F811
    """On the blocked customer itself: clearing its shared IBAN would free the twin."""
    make_twins()
    with pytest.raises(NotPermitted) as refused:
        customers.update(1002, {"iban": ""}, None, "mw")
    assert "2005" in refused.value.message
    assert customers.get(1002)["iban"] == IBAN


def test_medewerker_may_still_edit_other_fields_and_unshared_values(db_path: str) -> None:  # noqa: F811
    """Only the shared values are guarded: the twin's e-mail, and an unshared customer's BTW, stay hers to edit."""
    make_twins()
    customers.create({"name": "Los", "number": 3000, "vat_number": "BE0417497106", "postcode": "8830", "country": "BE"}, "admin")
    customers.update(2005, {"email": "boekhouding@wanbetaler.be"}, None, "mw")
    customers.update(3000, {"vat_number": ""}, None, "mw")
    assert customers.get(3000)["vat_number"] == ""


def test_a_beheerder_may_and_it_is_recorded_in_the_history(db_path: str) -> None:  # noqa: F811
    """The beheerder's change goes through and the history says which blocked customer it linked to."""
    make_twins()
    customers.update(2005, {"vat_number": ""}, None, "admin")
    assert released_events(2005) == [{"field": "vat_number", "value": VAT, "blocked": 1002, "twin": 1002}]
    customers.update(2005, {"iban": ""}, None, "admin")
    dossiers.create_dossier(2005, "Na nazicht", operator="admin")  # no longer a twin: the beheerder's decision


def test_a_lapsed_block_does_not_guard(db_path: str) -> None:  # noqa: F811
    """Without an active block there is no twin rule to lift: the medewerker's edit is an ordinary one."""
    make_twins()
    customers.unblock(1002, "admin")
    customers.update(2005, {"vat_number": ""}, None, "mw")
    assert released_events(2005) == []


def test_import_on_duplicate_update_records_the_beheerders_release(tmp_path: Path) -> None:
    """`import --on-duplicate update` may change a twin's IBAN only as a beheerder, and records it."""
    path = str(tmp_path / "k.db")
    open_database(path, create=True)
    staff.login("admin")
    staff.add("mw", "Mia Medewerker", "medewerker", "admin")
    make_twins()
    database_proxy.obj.close()
    source = write_csv(tmp_path / "twin.csv", ["Klantnummer", "Naam", "IBAN"], [["2005", "Wanbetaler Filiaal", ""]])
    refused = run_cli("import", str(source), "--on-duplicate", "update", db=path, operator="mw")
    assert refused.code == 4, refused.err
    done = run_cli("import", str(source), "--on-duplicate", "update", "--json", db=path)
    assert done.code == 0, done.err
    history = run_cli("show", "2005", "--json", db=path)
    assert history.code == 0
    open_database(path)
    events = released_events(2005)
    assert len(events) == 1 and events[0]["field"] == "iban" and events[0]["blocked"] == 1002 and events[0]["import"]
    assert customers.get(2005)["iban"] == ""


def test_postgres_refuses_a_medewerker_login_clearing_the_twins_vat() -> None:
    """A medewerker's own PostgreSQL login, with plain SQL: the database itself refuses it; the owner may."""
    import psycopg2

    with medewerker_login("kb25twin") as (admin_url, login_url):
        open_database(admin_url)
        make_twins()
        database_proxy.obj.close()
        conn = psycopg2.connect(login_url)
        try:
            for statement in ("UPDATE customer SET vat_number = '' WHERE number = 2005",
                              "UPDATE customer SET iban = 'BE62510007547061' WHERE number = 2005",
                              "UPDATE customer SET vat_number = '' WHERE number = 1002"):
                with pytest.raises(psycopg2.Error) as refused:
                    with conn, conn.cursor() as cursor:
                        cursor.execute(statement)
                assert "alleen een beheerder" in str(refused.value)
            with conn, conn.cursor() as cursor:  # her ordinary edits still pass
                cursor.execute("UPDATE customer SET email = 'a@b.be' WHERE number = 2005")
                cursor.execute("SELECT vat_number, iban FROM customer WHERE number = 2005")
                assert cursor.fetchone() == (VAT, IBAN)
        finally:
            conn.close()
        owner = psycopg2.connect(admin_url)
        try:
            with owner, owner.cursor() as cursor:
                cursor.execute("UPDATE customer SET vat_number = '' WHERE number = 2005")
        finally:
            owner.close()


def test_postgres_medewerker_login_gets_the_dutch_refusal_on_the_data_path() -> None:
    """Through the data layer on her own login: NotPermitted, one sentence, nothing changed."""
    with medewerker_login("kb25twn2") as (admin_url, login_url):
        open_database(admin_url)
        make_twins()
        database_proxy.obj.close()
        open_database(login_url)
        person = staff.login(None)
        with pytest.raises(NotPermitted):
            customers.update(2005, {"vat_number": ""}, None, person.username)
        assert customers.get(2005)["vat_number"] == VAT
        database_proxy.obj.close()
