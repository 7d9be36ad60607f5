"""`check` looks for the rule's violations (issue 26, point 6): dossiers opened while their owner or a
BTW/IBAN twin was blocked (from the history), dossiers without a customer, and triggers that are missing,
switched off or differ from the migrations' text; on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator

import pytest

from klantbeheer.data import clock, customers, dossiers, maintenance, session, triggers
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import be_vat, run_cli
from tests.support.pg_support import fresh_database

BLOCKED_DOSSIER = "2026-99991"


def _customer(name: str, **values: object) -> int:
    """A new customer's number."""
    return customers.create({"name": name, "postcode": "8830", **values}, "admin")["number"]


def _raw(path: str) -> sqlite3.Connection:
    """A raw SQLite connection of our own (what someone with the file and the sqlite3 tool has)."""
    return sqlite3.connect(path, isolation_level=None)


def _slip_in_dossier(path: str, number: int, dossier: str = BLOCKED_DOSSIER, seconds_after_block: int = 5) -> None:
    """DROP TRIGGER, INSERT a dossier for the customer a few seconds after its block, re-CREATE the trigger as it was."""
    raw = _raw(path)
    try:
        sql = raw.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'dossier_owner_not_blocked'").fetchone()[0]
        raw.execute("DROP TRIGGER dossier_owner_not_blocked")
        raw.execute(
            "INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
            "SELECT ?, id, 'Binnengesmokkeld', '', '', datetime(coalesce(blocked_at, datetime('now')), ?), 'admin', 'open' "
            "FROM customer WHERE number = ?", (dossier, f"+{seconds_after_block} seconds", number))
        raw.execute(sql)
    finally:
        raw.close()


def _blocked(name: str, **values: object) -> int:
    """A new customer, blocked for non-payment."""
    number = _customer(name, **values)
    customers.block(number, "wanbetaling", operator="admin")
    return number


def test_a_clean_database_is_in_order_with_dossiers_and_triggers(demo_db: str) -> None:
    number = _customer("Vrij NV")
    dossiers.create_dossier(number, "Gewoon", "", "", "admin")
    customers.block(number, "wanbetaling", operator="admin")  # blocked after the dossier: no violation
    result = maintenance.check()
    assert result["ok"], result
    assert result["dossiers"] == [] and result["triggers"] == []
    text = maintenance.check_text(result)
    assert "Dossiers: in orde" in text and "Triggers: in orde" in text


def test_drop_insert_recreate_round_trip_is_found(db_path: str) -> None:
    number = _blocked("Wanbetaler BV")
    _slip_in_dossier(db_path, number)
    done = run_cli("check", db=db_path)
    assert done.code == 1, done.out + done.err
    assert f"Dossier {BLOCKED_DOSSIER} (geopend" in done.out and f"klant {number}, die toen geblokkeerd was" in done.out
    assert "Triggers: in orde" in done.out  # it was put back exactly as it was
    assert "Traceback" not in done.err


def test_raw_sql_with_foreign_keys_off_and_a_changed_customer_id_is_found(db_path: str) -> None:
    number = _blocked("Verhuisd Id BV")
    raw = _raw(db_path)
    try:
        raw.execute("PRAGMA foreign_keys = OFF")
        # The trigger finds no customer 987654, so it lets the dossier in; then the blocked customer gets that id.
        raw.execute(
            "INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
            "SELECT ?, 987654, 'Via ander id', '', '', datetime(blocked_at, '+5 seconds'), 'admin', 'open' FROM customer WHERE number = ?",
            (BLOCKED_DOSSIER, number))
        raw.execute("UPDATE customer SET id = 987654 WHERE number = ?", (number,))
    finally:
        raw.close()
    done = run_cli("check", "--json", db=db_path)
    assert done.code == 1, done.err
    found = done.json()["dossiers"]
    assert any(BLOCKED_DOSSIER in line and f"klant {number}, die toen geblokkeerd was" in line for line in found), found


def test_a_dossier_for_a_vat_twin_of_a_blocked_customer_is_found(db_path: str) -> None:
    vat = be_vat(12345678)
    blocked = _blocked("Geblokkeerd Origineel NV", vat_number=vat)
    twin = _customer("Tweeling NV", vat_number=vat)
    raw = _raw(db_path)
    raw.execute("DROP TRIGGER dossier_owner_not_blocked")
    raw.execute(
        "INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
        "SELECT ?, t.id, 'Tweeling', '', '', datetime(b.blocked_at, '+5 seconds'), 'admin', 'open' "
        "FROM customer t, customer b WHERE t.number = ? AND b.number = ?", (BLOCKED_DOSSIER, twin, blocked))
    raw.close()
    result = maintenance.check()
    assert not result["ok"]
    assert any(f"klant {twin}, die toen hetzelfde BTW-nummer had als de geblokkeerde klant {blocked}" in line
               for line in result["dossiers"]), result["dossiers"]
    assert "Trigger dossier_owner_not_blocked ontbreekt." in result["triggers"]


def test_a_dossier_for_an_iban_twin_of_a_blocked_customer_is_found(db_path: str) -> None:
    iban = "BE71096123456769"
    blocked = _blocked("Geblokkeerd Iban NV", iban=iban)
    twin = _customer("Iban Tweeling NV", iban=iban)
    _slip_in_dossier(db_path, twin)  # the twin is not blocked itself: the dossier's time is set from the blocked one's
    raw = _raw(db_path)
    raw.execute("UPDATE dossier SET created_at = datetime((SELECT blocked_at FROM customer WHERE number = ?), '+5 seconds') "
                "WHERE number = ?", (blocked, BLOCKED_DOSSIER))
    raw.close()
    lines = maintenance.check()["dossiers"]
    assert any(f"klant {twin}, die toen dezelfde IBAN had als de geblokkeerde klant {blocked}" in line for line in lines), lines


def test_a_dossier_before_the_block_after_the_unblock_or_after_the_end_date_is_no_violation(db_path: str) -> None:
    number = _customer("Soms Geblokkeerd NV")
    dossiers.create_dossier(number, "Voor de blokkering", "", "", "admin")
    customers.block(number, "wanbetaling", operator="admin")
    customers.unblock(number, "admin")
    dossiers.create_dossier(number, "Na de deblokkering", "", "", "admin")
    until = (clock.today() + dt.timedelta(days=2)).isoformat()
    customers.block(number, "wanbetaling", until=until, operator="admin")
    raw = _raw(db_path)
    raw.execute("DROP TRIGGER dossier_owner_not_blocked")  # then back as it was: a dossier after the end date
    raw.execute(
        "INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
        "SELECT ?, id, 'Na de einddatum', '', '', datetime(?, '+3 days'), 'admin', 'open' FROM customer WHERE number = ?",
        (BLOCKED_DOSSIER, until, number))
    raw.execute(triggers.SQLITE_TRIGGERS["dossier_owner_not_blocked"])
    raw.close()
    result = maintenance.check()
    assert result["dossiers"] == [], result["dossiers"]
    assert result["triggers"] == [], result["triggers"]


def test_a_dossier_pointing_at_no_customer_is_found(db_path: str) -> None:
    raw = _raw(db_path)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
                "VALUES (?, 424242, 'Wees', '', '', datetime('now'), 'admin', 'open')", (BLOCKED_DOSSIER,))
    raw.close()
    done = run_cli("check", db=db_path)
    assert done.code == 1
    assert f"Dossier {BLOCKED_DOSSIER} verwijst naar klant-id 424242, die niet bestaat." in done.out


def test_a_missing_or_changed_trigger_is_found(db_path: str) -> None:
    raw = _raw(db_path)
    raw.execute("DROP TRIGGER dossier_owner_move_not_blocked")
    raw.execute("DROP TRIGGER customer_event_no_delete")
    raw.execute("CREATE TRIGGER customer_event_no_delete BEFORE DELETE ON customer_event WHEN 0 "
                "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END")
    raw.close()
    done = run_cli("check", db=db_path)
    assert done.code == 1, done.out
    assert "Triggers: 2 PROBLEEM/PROBLEMEN" in done.out
    assert "Trigger dossier_owner_move_not_blocked ontbreekt." in done.out
    assert "Trigger customer_event_no_delete verschilt van de tekst van de migraties." in done.out


def test_the_expected_texts_are_exactly_what_a_freshly_migrated_sqlite_database_has(db_path: str) -> None:
    found = session.engine().triggers()
    assert sorted(found) == sorted(triggers.SQLITE_TRIGGERS)
    assert triggers.problems("sqlite", found) == []


def test_an_import_that_reinstalls_the_search_triggers_leaves_them_as_the_migrations_wrote_them(demo_db: str) -> None:
    from klantbeheer.data import demo

    demo.load("admin", 30, demo_database=True, force=True)  # the bulk load drops and reinstalls the search triggers
    assert maintenance.check()["triggers"] == []


# --- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database with beheerder admin, bound."""
    from klantbeheer.data import staff

    with fresh_database() as url:
        open_database(url, create=True)
        staff.login("admin")
        yield url
        database_proxy.obj.close_all() if hasattr(database_proxy.obj, "close_all") else database_proxy.obj.close()


def _pg(url: str, *statements: str) -> None:
    """Run statements as the superuser on a connection of our own (autocommit)."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def test_postgresql_fresh_database_has_exactly_the_expected_triggers(pg_url: str) -> None:
    found = session.engine().triggers()
    assert sorted(found) == sorted(triggers.POSTGRES_TRIGGERS)
    assert triggers.problems("postgresql", found) == []
    assert maintenance.check()["ok"]


def test_postgresql_drop_insert_recreate_round_trip_is_found(pg_url: str) -> None:
    number = _blocked("Pg Wanbetaler BV")
    _pg(pg_url,
        "DROP TRIGGER dossier_owner_not_blocked ON dossier",
        "INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
        f"SELECT '{BLOCKED_DOSSIER}', id, 'Binnengesmokkeld', '', '', blocked_at + interval '5 seconds', 'admin', 'open' "
        f"FROM customer WHERE number = {number}",
        triggers.POSTGRES_TRIGGERS["dossier_owner_not_blocked"])
    result = maintenance.check()
    assert not result["ok"]
    assert any(f"klant {number}, die toen geblokkeerd was" in line for line in result["dossiers"]), result
    assert result["triggers"] == []


def test_postgresql_missing_disabled_or_replaced_triggers_are_found(pg_url: str) -> None:
    _pg(pg_url,
        "DROP TRIGGER customer_event_no_truncate ON customer_event",
        "ALTER TABLE customer DISABLE TRIGGER customer_role_guard",
        "CREATE OR REPLACE FUNCTION dossier_owner_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
    lines = maintenance.check()["triggers"]
    assert "Trigger customer_event_no_truncate ontbreekt." in lines
    assert "Trigger customer_role_guard staat uit." in lines
    assert "De functie dossier_owner_guard van trigger dossier_owner_not_blocked verschilt van de tekst van de migraties." in lines
