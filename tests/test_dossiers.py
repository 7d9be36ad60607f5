"""Dossiers: refused for a blocked owner (with the block details), numbered YYYY-NNNNN, plates normalised."""
from __future__ import annotations

import datetime as dt

import pytest

from klantbeheer.data import clock, customers, dossiers
from klantbeheer.data.errors import CustomerBlocked, NotFound, NotPermitted, ValidationFailed
from klantbeheer.data.models import Customer, Dossier
from tests.support.engines import db_path  # noqa: F401  (every test here runs on SQLite and PostgreSQL)
from tests.support.foundation_helpers import VALID, counts


@pytest.fixture
def owner(db_path: str) -> int:
    """The number of a fresh, unblocked customer."""
    return customers.create(VALID, "admin")["number"]


def test_create_dossier_numbers_are_sequential_per_year(owner: int) -> None:
    year = clock.today().year
    first = dossiers.create_dossier(owner, "Schade voorbumper", "REF-1", "1abc123", "mw")
    second = dossiers.create_dossier(str(owner), "Ruit", operator="admin")
    assert (first["number"], second["number"]) == (f"{year}-00001", f"{year}-00002")
    assert first["customer"] == owner and first["customer_name"] == VALID["name"]
    assert (first["description"], first["reference"], first["licence_plate"]) == ("Schade voorbumper", "REF-1", "1-ABC-123")
    assert first["created_by"] == "mw" and first["status"] == "open"


def test_numbering_continues_after_the_highest_of_the_year_and_ignores_other_years(owner: int) -> None:
    year = clock.today().year
    ident = Customer.get(Customer.number == owner).id
    Dossier.create(number=f"{year - 1}-00077", customer=ident, description="oud", created_by="admin")
    Dossier.create(number=f"{year}-00041", customer=ident, description="gisteren", created_by="admin")
    assert dossiers.create_dossier(owner, "Nieuw", operator="mw")["number"] == f"{year}-00042"


def test_blocked_owner_is_refused_with_reason_message_since_and_by(owner: int) -> None:
    blocked = customers.block(owner, "Wanbetaling", "Drie facturen open.", None, "admin")
    before = counts()
    with pytest.raises(CustomerBlocked) as refused:
        dossiers.create_dossier(owner, "Schade", operator="mw")
    error = refused.value
    assert (error.number, error.name, error.reason, error.block_message) == (owner, VALID["name"], "Wanbetaling", "Drie facturen open.")
    assert error.blocked_at == blocked["blocked_at"] and error.blocked_by == "admin"
    assert error.exit_code == 3
    assert "geblokkeerd" in error.message and "Wanbetaling" in error.message and "Drie facturen open" in error.message
    assert counts() == before and dossiers.list_dossiers(owner) == []


def test_block_details_name_the_blockers_full_name(owner: int) -> None:
    from klantbeheer.data import staff

    staff.add("baas", "Bea Baas", "beheerder", "admin")
    customers.block(owner, "fraude", "", None, "baas")
    with pytest.raises(CustomerBlocked) as refused:
        dossiers.check_owner(owner)
    assert refused.value.blocked_by == "Bea Baas" and refused.value.reason == "Fraude"


def test_block_until_today_still_refuses(owner: int) -> None:
    today = clock.today()
    customers.block(owner, "Geschil", "", today, "admin")
    with pytest.raises(CustomerBlocked) as refused:
        dossiers.create_dossier(owner, "Schade", operator="mw")
    assert refused.value.blocked_until == today
    assert today.strftime("%d-%m-%Y") in refused.value.message


def test_lapsed_block_no_longer_refuses(owner: int) -> None:
    customers.block(owner, "Geschil", "", clock.today(), "admin")
    Customer.update(blocked_until=clock.today() - dt.timedelta(days=1)).where(Customer.number == owner).execute()
    assert dossiers.check_owner(owner)["number"] == owner
    assert dossiers.create_dossier(owner, "Schade", operator="mw")["customer"] == owner


def test_unblocked_owner_gets_a_dossier_again(owner: int) -> None:
    customers.block(owner, "Andere", "", None, "admin")
    customers.unblock(owner, "admin")
    assert dossiers.create_dossier(owner, "Schade", operator="mw")["customer"] == owner


def test_check_owner_refuses_blocked_and_returns_remarks(owner: int) -> None:
    customers.update(owner, {"remarks": "Altijd bellen", "show_remarks": True}, 1, "admin")
    assert dossiers.check_owner(owner) == {"number": owner, "name": VALID["name"], "show_remarks": True, "remarks": "Altijd bellen"}
    customers.block(owner, "Andere", "", None, "admin")
    with pytest.raises(CustomerBlocked):
        dossiers.check_owner(owner)


def test_existing_dossiers_stay_readable_after_a_block(owner: int) -> None:
    made = dossiers.create_dossier(owner, "Schade", operator="mw")
    customers.block(owner, "Wanbetaling", "", None, "admin")
    assert [d["number"] for d in dossiers.list_dossiers(owner)] == [made["number"]]


@pytest.mark.parametrize(
    ("description", "reference", "plate", "fields"),
    [("", "", "", {"description"}), ("x" * 201, "", "", {"description"}), ("ok", "r" * 61, "", {"reference"}),
     ("ok", "", "!!", {"licence_plate"}), ("", "r" * 61, "%%%", {"description", "reference", "licence_plate"})],
)
def test_dossier_fields_are_validated_all_at_once(owner: int, description: str, reference: str, plate: str, fields: set[str]) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        dossiers.create_dossier(owner, description, reference, plate, "mw")
    assert set(refused.value.errors) == fields
    assert counts() == before


def test_unknown_customer_and_unknown_operator_are_refused(owner: int) -> None:
    with pytest.raises(NotFound):
        dossiers.create_dossier(99999, "Schade", operator="mw")
    with pytest.raises(NotPermitted):
        dossiers.create_dossier(owner, "Schade", operator="niemand")
    assert counts()[2] == 0


def test_list_dossiers_newest_first_and_per_customer(owner: int) -> None:
    other = customers.create({"name": "Ander"}, "admin")["number"]
    a = dossiers.create_dossier(owner, "A", operator="mw")
    b = dossiers.create_dossier(other, "B", operator="mw")
    c = dossiers.create_dossier(owner, "C", operator="mw")
    assert [d["number"] for d in dossiers.list_dossiers()] == [c["number"], b["number"], a["number"]]
    assert [d["description"] for d in dossiers.list_dossiers(owner)] == ["C", "A"]
    with pytest.raises(NotFound):
        dossiers.list_dossiers(424242)
