"""Issue 19 on PostgreSQL: the database itself refuses a medewerker's list changes; stored labels become codes on upgrade."""
from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from klantbeheer.data import customers, lists, staff
from klantbeheer.data.db import migrate_to, open_database
from klantbeheer.data.models import database_proxy
from tests.support.pg_support import PG_SERVER, _admin, fresh_database
from tests.support.waiting import until


@pytest.fixture
def pg_logins() -> Iterator[tuple[str, str, str]]:
    """A fresh database with a medewerker and a beheerder login role made by `staff add`: (url, medewerker, beheerder)."""
    suffix = uuid.uuid4().hex[:8]
    medewerker, beheerder = f"kb19_mw_{suffix}", f"kb19_bh_{suffix}"
    try:
        with fresh_database() as url:
            open_database(url, create=True)
            staff.login("admin")
            staff.add(medewerker, "Mia", "medewerker", "admin")
            staff.add(beheerder, "Bart", "beheerder", "admin")
            database_proxy.obj.close_all()
            yield url, medewerker, beheerder
            database_proxy.obj.close_all()
    finally:
        conn = _admin()
        with conn.cursor() as cursor:
            for role in (medewerker, beheerder):
                cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.close()


def as_login(url: str, login: str) -> str:
    """The URL with another user name."""
    return url.replace(PG_SERVER, PG_SERVER.replace("postgres@", f"{login}@"), 1)


WRITES = [
    "INSERT INTO reference_item (kind, code, label, position) VALUES ('price_list', 'x', 'X', 9)",
    "UPDATE reference_item SET label = 'Anders' WHERE code = 'contant'",
    "UPDATE reference_item SET active = false WHERE code = 'contant'",
    "DELETE FROM reference_item WHERE code = 'verzekeraar'",
    "INSERT INTO repairer (name, code) VALUES ('Garage', 'g')",
    "INSERT INTO reference_event (list, code, kind, operator, at) VALUES ('price_list', 'x', 'added', 'mw', now())",
]


def test_a_medewerker_login_cannot_write_a_list_in_the_database_a_beheerder_login_can(pg_logins: tuple[str, str, str]) -> None:
    url, medewerker, beheerder = pg_logins
    conn = psycopg2.connect(as_login(url, medewerker))
    try:
        for statement in WRITES:
            with pytest.raises(psycopg2.Error, match="permission denied"):
                with conn, conn.cursor() as cursor:
                    cursor.execute(statement)
        with conn, conn.cursor() as cursor:
            cursor.execute("SELECT label, active FROM reference_item WHERE code = 'contant'")
            assert cursor.fetchall() == [("Contant", True)]
    finally:
        conn.close()
    open_database(as_login(url, beheerder))  # the data layer as that login: every change goes through
    try:
        lists.add("prijslijst", "x", "X", beheerder)
        lists.add("hersteller", "g", "Garage", beheerder)
        lists.set_active("prijslijst", "x", False, beheerder)
        lists.delete("prijslijst", "x", beheerder)
        assert [e["kind"] for e in lists.history()] == ["deleted", "deactivated", "added", "added"]
    finally:
        database_proxy.obj.close_all()


def test_code_that_skips_the_role_check_is_stopped_by_the_server(pg_logins: tuple[str, str, str]) -> None:
    url, medewerker, _ = pg_logins
    open_database(as_login(url, medewerker))
    try:
        with pytest.raises(Exception, match="rechten|permission"):
            lists.add("prijslijst", "x", "X", "admin")  # the Python role check believes 'admin'; the database does not
        assert "x" not in [e["code"] for e in lists.entries("prijslijst")]
    finally:
        database_proxy.obj.close_all()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_labels_stored_before_version_8_become_codes(engine: str, tmp_path: Path) -> None:
    def fill(execute) -> None:
        empty = ["external_ref", "email", "address", "address2", "postcode", "city", "province", "certificate_number",
                 "vat_number", "discount_scheme", "price_list", "internal_account", "phone", "fax", "mobile", "contact",
                 "remarks", "block_message", "blocked_by", "iban", "bic", "created_by", "updated_by", "name_norm",
                 "search_text"]
        blanks = ", ".join("''" for _ in empty)
        execute(f"INSERT INTO customer (number, name, payment_condition, block_reason, blocked, show_remarks, show_id_card, "
                f"salutation, customer_type, legal_form, language, country, vat_rate, version, created_at, updated_at, "
                f"{', '.join(empty)}) VALUES (5, 'Oud', '30 dagen na factuurdatum', 'WANBETALING', %s, %s, %s, 'Mevr.', "
                f"'bedrijf', 'rechtspersoon', 'nl-BE', 'BE', 21, 1, '2024-01-01', '2024-01-01', {blanks})")

    if engine == "sqlite":
        location = str(tmp_path / "v7.db")
        migrate_to(location, 7)
        con = sqlite3.connect(location)
        with con:
            fill(lambda sql: con.execute(sql.replace("%s", "0").replace("0, 0, 0", "1, 0, 0", 1)))
        con.close()
        run(location)
    else:
        with fresh_database() as location:
            migrate_to(location, 7)
            conn = psycopg2.connect(location)
            with conn, conn.cursor() as cursor:
                fill(lambda sql: cursor.execute(sql.replace("%s", "false").replace("false, false, false", "true, false, false", 1)))
            conn.close()
            run(location)


def run(location: str) -> None:
    """Open (and so migrate) the database; the stored labels are codes now."""
    open_database(location)
    try:
        staff.login("admin")
        got = customers.get(5)
        assert (got["payment_condition"], got["block_reason"], got["salutation"]) == ("30_dagen", "wanbetaling", "mevr")
    finally:
        database_proxy.obj.close_all() if hasattr(database_proxy.obj, "close_all") else database_proxy.obj.close()


def test_a_list_change_in_another_process_reaches_the_watcher_on_postgresql() -> None:

    from klantbeheer.data import changes
    from tests.support.foundation_helpers import run_cli

    with fresh_database() as url:
        open_database(url, create=True)
        staff.login("admin")
        watcher = changes.open_watcher()
        try:
            assert watcher.notice is None  # LISTEN, not the polling fallback
            assert watcher.changed() is False
            assert run_cli("lists", "add", "hersteller", "nieuw", "Nieuwe Garage", db=url).code == 0
            until(watcher.changed, what="a notification for the list change")
        finally:
            watcher.close()
            database_proxy.obj.close_all()
