"""Issue 30: an existing dossier is edited, closed and reopened with one lock and one history; read-only while blocked.

Every test runs on SQLite and PostgreSQL; the raw UPDATEs go through the database driver itself.
"""
from __future__ import annotations

import sqlite3

import pytest

from klantbeheer.data import customers, dossier_changes, dossiers
from klantbeheer.data.errors import BadInput, Conflict, CustomerBlocked, NotFound, TwinBlocked, ValidationFailed
from tests.support.engines import db_path  # noqa: F401 - runs every test on SQLite and PostgreSQL

ABC = {"name": "ABC", "number": 123, "vat_number": "BE0867756456", "address": "HOGESTRAAT 53", "postcode": "8830", "country": "BE"}
TWIN = {"name": "ABC Twee", "number": 124, "vat_number": "BE0867756456", "postcode": "8830", "country": "BE"}


@pytest.fixture
def opened(db_path: str) -> str:  # noqa: F811
    """ABC (123) with one open dossier; its number."""
    customers.create(ABC, "admin")
    return dossiers.create_dossier(123, "Schade voorbumper", "REF-7", "1abc123", "admin")["number"]


def raw_update(location: str, number: str, sql: str = "UPDATE dossier SET description = 'Rauw' WHERE number = {0}") -> None:
    """Run an UPDATE of a dossier with the database driver itself, outside Klantbeheer's code."""
    if "://" in location:
        import psycopg2

        conn = psycopg2.connect(location)
        try:
            with conn, conn.cursor() as cursor:
                cursor.execute(sql.format("%s"), (number,))
        finally:
            conn.close()
    else:
        conn = sqlite3.connect(location)
        try:
            with conn:
                conn.execute(sql.format("?"), (number,))
        finally:
            conn.close()


def driver_error(location: str) -> type[BaseException]:
    """The error class the raw driver raises for a refused statement."""
    if "://" in location:
        import psycopg2

        return psycopg2.Error
    return sqlite3.Error


def kinds(number: str) -> list[str]:
    """The dossier's history kinds, newest first."""
    return [event["kind"] for event in dossier_changes.get_dossier(number)["history"]]


def test_create_records_a_created_event(opened: str) -> None:
    shown = dossier_changes.get_dossier(opened)
    assert kinds(opened) == ["created"]
    assert shown["history"][0]["operator"] == "admin"
    assert shown["version"] == 1 and shown["read_only"] == ""


def test_edit_saves_normalised_values_and_records_old_and_new(opened: str) -> None:
    saved = dossier_changes.update_dossier(opened, {"description": "Schade achterbumper", "licence_plate": "2xyz987"}, 1, "mw")
    assert saved["description"] == "Schade achterbumper" and saved["licence_plate"] == "2-XYZ-987" and saved["version"] == 2
    event = dossier_changes.get_dossier(opened)["history"][0]
    assert event["kind"] == "updated" and event["operator"] == "mw"
    assert event["changes"] == {"description": ["Schade voorbumper", "Schade achterbumper"],
                                "licence_plate": ["1-ABC-123", "2-XYZ-987"]}


def test_an_edit_that_changes_nothing_writes_nothing(opened: str) -> None:
    same = dossier_changes.update_dossier(opened, {"description": "Schade voorbumper"}, 1, "admin")
    assert same["version"] == 1 and kinds(opened) == ["created"]


@pytest.mark.parametrize("values", [{"description": ""}, {"licence_plate": "???"}, {"reference": "x" * 61},
                                    {"description": "a\x07b"}])
def test_bad_input_is_refused_with_the_checks_of_create_and_changes_nothing(opened: str, values: dict[str, str]) -> None:
    with pytest.raises(ValidationFailed):
        dossier_changes.update_dossier(opened, values, 1, "admin")
    assert dossier_changes.get_dossier(opened)["version"] == 1 and kinds(opened) == ["created"]


def test_other_fields_cannot_be_changed(opened: str) -> None:
    with pytest.raises(BadInput):
        dossier_changes.update_dossier(opened, {"status": "closed"}, 1, "admin")


def test_a_second_session_with_the_old_version_is_refused(opened: str) -> None:
    dossier_changes.update_dossier(opened, {"reference": "REF-8"}, 1, "admin")
    with pytest.raises(Conflict, match="intussen gewijzigd door"):
        dossier_changes.update_dossier(opened, {"reference": "REF-9"}, 1, "mw")
    with pytest.raises(Conflict):
        dossier_changes.close_dossier(opened, "mw", version=1)
    assert dossier_changes.get_dossier(opened)["reference"] == "REF-8"


def test_close_only_an_open_and_reopen_only_a_closed_dossier(opened: str) -> None:
    with pytest.raises(BadInput, match="alleen een gesloten dossier kan heropend worden"):
        dossier_changes.reopen_dossier(opened, "admin")
    assert dossier_changes.close_dossier(opened, "mw")["status"] == "closed"
    with pytest.raises(BadInput, match="alleen een open dossier kan gesloten worden"):
        dossier_changes.close_dossier(opened, "mw")
    assert dossier_changes.reopen_dossier(opened, "mw")["status"] == "open"
    assert kinds(opened) == ["reopened", "closed", "created"]


def test_an_unknown_dossier_is_one_sentence(opened: str) -> None:
    with pytest.raises(NotFound, match="Dossier 2026-99999 bestaat niet"):
        dossier_changes.get_dossier("2026-99999")


def test_only_open_dossiers_and_finding_by_number_plate_reference_and_customer(opened: str) -> None:
    customers.create({"name": "Garage Zuid", "number": 500}, "admin")
    other = dossiers.create_dossier(500, "Ruit", "ZUID-1", "", "admin")["number"]
    dossier_changes.close_dossier(other, "admin")
    assert [d["number"] for d in dossiers.list_dossiers(only_open=True)] == [opened]
    assert [d["number"] for d in dossiers.list_dossiers()] == [other, opened]
    for text, found in [(opened, [opened]), ("1-abc-123", [opened]), ("1abc123", [opened]), ("ref-7", [opened]),
                        ("123", [opened]), ("garage", [other]), ("zuid-1", [other]), ("", [other, opened]), ("xyzzy", [])]:
        assert [d["number"] for d in dossiers.find_dossiers(text)] == found, text


def test_a_blocked_owners_dossier_is_read_only_in_the_data_layer(opened: str) -> None:
    customers.block(123, "wanbetaling", "Eerst betalen", None, "admin")
    shown = dossier_changes.get_dossier(opened)
    assert shown["read_only"] == "Alleen-lezen zolang klant 123 (ABC) geblokkeerd is (Wanbetaling)."
    assert isinstance(dossier_changes.dossier_block(opened), CustomerBlocked)
    for change in (lambda: dossier_changes.update_dossier(opened, {"description": "Nee"}, 1, "admin"),
                   lambda: dossier_changes.close_dossier(opened, "admin")):
        with pytest.raises(CustomerBlocked, match="U kunt niet doorgaan met het dossier"):
            change()
    assert kinds(opened) == ["created"]
    customers.unblock(123, "admin")
    assert dossier_changes.close_dossier(opened, "admin")["status"] == "closed"
    customers.block(123, "wanbetaling", "", None, "admin")
    with pytest.raises(CustomerBlocked):
        dossier_changes.reopen_dossier(opened, "admin")


def test_a_twin_of_a_blocked_customer_makes_the_dossier_read_only(opened: str) -> None:
    customers.create(TWIN, "admin")
    customers.block(124, "fraude", "", None, "admin")
    assert dossier_changes.get_dossier(opened)["read_only"].startswith("Alleen-lezen: Het BTW-nummer")
    with pytest.raises(TwinBlocked):
        dossier_changes.update_dossier(opened, {"description": "Nee"}, 1, "admin")


def test_the_database_refuses_a_raw_update_of_a_blocked_owners_dossier(opened: str, db_path: str) -> None:  # noqa: F811
    raw_update(db_path, opened)  # not blocked: allowed
    assert dossier_changes.get_dossier(opened)["description"] == "Rauw"
    customers.block(123, "wanbetaling", "", None, "admin")
    for sql in ("UPDATE dossier SET description = 'Nog rauwer' WHERE number = {0}",
                "UPDATE dossier SET status = 'closed' WHERE number = {0}",
                "UPDATE dossier SET version = version + 1 WHERE number = {0}"):
        with pytest.raises(driver_error(db_path), match="alleen-lezen"):
            raw_update(db_path, opened, sql)
    shown = dossier_changes.get_dossier(opened)
    assert (shown["description"], shown["status"], shown["version"]) == ("Rauw", "open", 1)


def test_the_database_refuses_a_raw_update_of_a_twins_dossier(opened: str, db_path: str) -> None:  # noqa: F811
    customers.create(TWIN, "admin")
    customers.block(124, "fraude", "", None, "admin")
    with pytest.raises(driver_error(db_path), match="alleen-lezen"):
        raw_update(db_path, opened)


def test_the_dossier_history_is_append_only(opened: str, db_path: str) -> None:  # noqa: F811
    for sql in ("UPDATE dossier_event SET operator = 'iemand' WHERE dossier_id = (SELECT id FROM dossier WHERE number = {0})",
                "DELETE FROM dossier_event WHERE dossier_id = (SELECT id FROM dossier WHERE number = {0})"):
        with pytest.raises(driver_error(db_path), match="alleen-toevoegen"):
            raw_update(db_path, opened, sql)
