"""Customers: create, get, update with optimistic lock, history, block/unblock/delete rules."""
from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from klantbeheer.data import blocking, clock, customers, dossiers, staff
from klantbeheer.data.errors import Conflict, HasDossiers, NotFound, NotPermitted, ValidationFailed
from klantbeheer.data.models import Customer, CustomerEvent, database_proxy
from tests.support.engines import db_path  # noqa: F401  (every test here runs on SQLite and PostgreSQL)
from tests.support.foundation_helpers import VALID, counts


def kinds(number: int) -> list[str]:
    """The kinds of a customer's history events, oldest first."""
    return [event["kind"] for event in reversed(customers.history(number))]


def test_first_customer_gets_number_one_and_the_next_gets_highest_plus_one(db_path: str) -> None:
    assert customers.create({"name": "Eerste"}, "admin")["number"] == 1
    assert customers.create({"name": "Groot", "number": 500}, "mw")["number"] == 500
    assert customers.create({"name": "Volgende", "number": ""}, "mw")["number"] == 501
    assert customers.new_values()["number"] == 502


def test_customer_number_is_unique(db_path: str) -> None:
    customers.create({"name": "A", "number": 7}, "admin")
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        customers.create({"name": "B", "number": "7"}, "admin")
    assert refused.value.errors == {"number": "Klantnummer 7 is al in gebruik."}
    assert counts() == before
    other = customers.create({"name": "C"}, "admin")
    with pytest.raises(ValidationFailed) as refused:
        customers.update(other["number"], {"number": 7}, other["version"], "admin")
    assert refused.value.errors == {"number": "Klantnummer 7 is al in gebruik."}
    assert customers.get(other["number"])["name"] == "C"


def test_get_returns_every_field_and_refuses_unknown_numbers(db_path: str) -> None:
    made = customers.create(VALID, "mw")
    got = customers.get(str(made["number"]))
    assert got == made
    assert got["created_by"] == got["updated_by"] == "mw"
    for field in ("name", "number", "vat_number", "iban", "bic", "blocked", "block_reason", "blocked_until", "version"):
        assert field in got
    with pytest.raises(NotFound, match="Klant 999 bestaat niet."):
        customers.get(999)
    with pytest.raises(NotFound):
        customers.get("12'; DROP TABLE customer;--")


def test_unknown_or_inactive_operator_cannot_create(db_path: str) -> None:
    with pytest.raises(NotPermitted):
        customers.create({"name": "X"}, "onbekend")
    staff.set_active("mw", False, "admin")
    with pytest.raises(NotPermitted):
        customers.create({"name": "X"}, "mw")
    assert counts() == (0, 0, 0)


def test_update_records_old_and_new_and_bumps_version(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    changed = customers.update(made["number"], {"name": "Nieuwe Naam", "phone": "0478 12 34 56", "email": made["email"]}, made["version"], "mw")
    assert changed["name"] == "Nieuwe Naam" and changed["version"] == made["version"] + 1
    assert changed["updated_by"] == "mw"
    latest = customers.history(made["number"])[0]
    assert latest["kind"] == "updated" and latest["operator"] == "mw"
    assert latest["changes"] == {"name": ["Testbedrijf NV", "Nieuwe Naam"], "phone": ["+3251202020", "+32478123456"]}


def test_update_without_changes_writes_nothing(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    before = counts()
    same = customers.update(made["number"], {"name": made["name"]}, made["version"], "mw")
    assert same["version"] == made["version"]
    assert counts() == before


def test_stale_save_is_a_conflict_naming_who_and_when_and_overwrites_nothing(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    theirs = customers.update(made["number"], {"name": "Door Mia"}, made["version"], "mw")
    events = counts()
    with pytest.raises(Conflict) as refused:
        customers.update(made["number"], {"name": "Door Admin", "email": "x@y.be"}, made["version"], "admin")
    when = clock.local(theirs["updated_at"]).strftime("%d-%m-%Y %H:%M")
    assert "Mia Medewerker" in refused.value.message and when in refused.value.message
    assert refused.value.changed_by == "mw" and refused.value.changed_at == theirs["updated_at"]
    assert customers.get(made["number"]) == theirs
    assert counts() == events


def test_stale_block_unblock_and_delete_are_conflicts(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    customers.update(made["number"], {"name": "Nieuw"}, made["version"], "mw")
    for action in (
        lambda: customers.block(made["number"], "Fraude", operator="admin", version=made["version"]),
        lambda: customers.delete(made["number"], "admin", version=made["version"]),
    ):
        with pytest.raises(Conflict):
            action()
    assert customers.get(made["number"])["blocked"] is False


def test_history_records_created_updated_blocked_unblocked_deleted(db_path: str) -> None:
    made = customers.create(VALID, "mw")
    number = made["number"]
    customers.update(number, {"contact": "Jan"}, made["version"], "mw")
    customers.block(number, "wanbetaling", "Eerst betalen", None, "admin")
    customers.unblock(number, "admin")
    ident = Customer.get(Customer.number == number).id
    customers.delete(number, "admin")
    rows = list(CustomerEvent.select().where(CustomerEvent.customer_id == ident).order_by(CustomerEvent.id))
    assert [(e.kind, e.operator) for e in rows] == [
        ("created", "mw"), ("updated", "mw"), ("blocked", "admin"), ("unblocked", "admin"), ("deleted", "admin")
    ]
    assert all(isinstance(e.at, dt.datetime) for e in rows)
    assert '"wanbetaling"' in rows[2].changes and "Eerst betalen" in rows[2].changes
    assert '"Testbedrijf NV"' in rows[4].changes


@pytest.mark.parametrize("statement", ["UPDATE customer_event SET operator = 'iemand'", "DELETE FROM customer_event"])
def test_history_is_append_only_in_the_database(db_path: str, statement: str) -> None:
    customers.create(VALID, "admin")
    with pytest.raises(IntegrityError, match="alleen-toevoegen"):
        with database_proxy.atomic():
            database_proxy.execute_sql(statement)
    assert [(e.kind, e.operator) for e in CustomerEvent.select()] == [("created", "admin")]


def test_block_and_unblock_by_beheerder(db_path: str) -> None:
    made = customers.create(VALID, "mw")
    until = clock.today() + dt.timedelta(days=10)
    blocked = customers.block(made["number"], "op vraag van de klant", "  Tijdelijk  ", until.isoformat(), "admin")
    assert blocked["blocked"] is True and blocked["block_active"] is True
    assert (blocked["block_reason"], blocked["block_message"], blocked["blocked_until"]) == ("op_vraag_van_de_klant", "Tijdelijk", until)
    assert blocked["blocked_by"] == "admin" and isinstance(blocked["blocked_at"], dt.datetime)
    assert blocked["version"] == made["version"] + 1
    free = customers.unblock(made["number"], "admin")
    assert free["blocked"] is False and free["block_reason"] == "" and free["blocked_at"] is None and free["blocked_until"] is None
    again = customers.unblock(made["number"], "admin")  # a repeated unblock changes nothing and says so
    assert again["changed"] is False and again["version"] == free["version"]


@pytest.mark.parametrize(
    ("reason", "until", "field"),
    [("", None, "block_reason"), ("luiheid", None, "block_reason"), ("Fraude", "gisteren", "blocked_until"),
     ("Fraude", (clock.today() - dt.timedelta(days=1)).isoformat(), "blocked_until")],
)
def test_block_details_are_validated(db_path: str, reason: str, until: str | None, field: str) -> None:
    made = customers.create(VALID, "admin")
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        customers.block(made["number"], reason, "", until, "admin")
    assert field in refused.value.errors
    assert counts() == before and customers.get(made["number"])["blocked"] is False


def test_block_unblock_delete_are_beheerder_only(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    number = made["number"]
    before = counts()
    with pytest.raises(NotPermitted, match="Alleen een beheerder"):
        customers.block(number, "Wanbetaling", "", None, "mw")
    with pytest.raises(NotPermitted):
        customers.delete(number, "mw")
    customers.block(number, "Wanbetaling", "", None, "admin")
    with pytest.raises(NotPermitted):
        customers.unblock(number, "mw")
    assert customers.get(number)["blocked"] is True
    assert counts()[0] == before[0]


def test_medewerker_cannot_block_or_unblock_through_update(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    number = made["number"]
    with pytest.raises(NotPermitted):
        customers.update(number, {"name": "Ander", "blocked": True, "block_reason": "Fraude"}, made["version"], "mw")
    assert customers.get(number) == made
    blocked = customers.block(number, "Fraude", "", None, "admin")
    assert blocked.pop("changed") is True
    with pytest.raises(NotPermitted):
        customers.update(number, {"blocked": False}, blocked["version"], "mw")
    assert customers.get(number) == blocked
    # a medewerker may save the rest of the form when the block is left as it is
    kept = customers.update(number, {"contact": "Jan", "blocked": True, "block_reason": "fraude"}, blocked["version"], "mw")
    assert kept["contact"] == "Jan" and kept["blocked"] is True and kept["blocked_by"] == "admin"


def test_beheerder_can_block_and_unblock_through_update(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    blocked = customers.update(made["number"], {"blocked": True, "block_reason": "Geschil", "block_message": "Zie mail"}, made["version"], "admin")
    assert blocked["blocked"] and blocked["block_reason"] == "geschil" and blocked["block_message"] == "Zie mail"
    free = customers.update(made["number"], {"blocked": False}, blocked["version"], "admin")
    assert free["blocked"] is False
    assert kinds(made["number"]) == ["created", "blocked", "unblocked"]


def test_medewerker_cannot_create_a_blocked_customer(db_path: str) -> None:
    with pytest.raises(NotPermitted):
        customers.create({"name": "X", "blocked": True, "block_reason": "Fraude"}, "mw")
    assert counts() == (0, 0, 0)
    made = customers.create({"name": "X", "blocked": True, "block_reason": "Fraude"}, "admin")
    assert made["blocked"] is True and kinds(made["number"]) == ["created", "blocked"]


def test_block_holds_through_its_last_day_and_lapses_after(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    today = clock.today()
    customers.block(made["number"], "Wanbetaling", "", today.isoformat(), "admin")
    assert customers.get(made["number"])["block_active"] is True
    assert blocking.block_active(customers.get(made["number"]), today + dt.timedelta(days=1)) is False
    # block() refuses past dates, so write a lapsed end date directly
    Customer.update(blocked_until=today - dt.timedelta(days=1)).where(Customer.number == made["number"]).execute()
    lapsed = customers.get(made["number"])
    assert lapsed["blocked"] is True and lapsed["block_active"] is False


def test_delete_is_refused_for_a_customer_with_dossiers(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    dossiers.create_dossier(made["number"], "Schade", operator="mw")
    with pytest.raises(HasDossiers, match="1 dossier"):
        customers.delete(made["number"], "admin")
    assert customers.get(made["number"])["name"] == VALID["name"]


def test_delete_removes_the_customer_but_keeps_its_history(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    customers.delete(made["number"], "admin")
    with pytest.raises(NotFound):
        customers.get(made["number"])
    assert [e.kind for e in CustomerEvent.select().order_by(CustomerEvent.id)] == ["created", "deleted"]
    assert customers.search("Testbedrijf") == []
    with pytest.raises(NotFound):
        customers.delete(made["number"], "admin")


def test_field_and_block_problems_are_reported_together(db_path: str) -> None:
    made = customers.create(VALID, "admin")
    with pytest.raises(ValidationFailed) as refused:
        customers.update(made["number"], {"email": "fout@", "blocked": True, "block_reason": "", "blocked_until": "2001-01-01"}, made["version"], "admin")
    assert set(refused.value.errors) == {"email", "block_reason", "blocked_until"}
    with pytest.raises(ValidationFailed) as refused:
        customers.create({"name": "", "blocked": True, "block_reason": "nee"}, "admin")
    assert set(refused.value.errors) == {"name", "block_reason"}
    assert customers.get(made["number"]) == made and counts()[0] == 1
