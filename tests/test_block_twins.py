"""Issue 16: the block follows the customer, not the record (twins, duplicates, database guard, snapshots)."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from klantbeheer.data import clock, customers, dossiers, duplicates, session
from klantbeheer.data.errors import CustomerBlocked, DatabaseProblem, NotPermitted, TwinBlocked
from klantbeheer.data.models import Customer, Dossier
from tests.support.engines import db_path  # noqa: F401 - runs every test on SQLite and PostgreSQL
from tests.support.foundation_helpers import run_cli

ABC = {"name": "ABC", "number": 123, "vat_number": "BE0867756456", "address": "HOGESTRAAT 53", "postcode": "8830",
       "country": "BE"}
IBAN = "BE71096123456769"


REFUSED = "geen nieuw dossier|U kunt niet doorgaan met het dossier"  # the trigger's sentence or the full notice


@pytest.fixture
def blocked_abc(db_path: str) -> str:  # noqa: F811
    """ABC (123) blocked for non-payment, with an IBAN."""
    customers.create({**ABC, "iban": IBAN}, "admin")
    customers.block(123, "wanbetaling", "Eerst betalen", None, "admin")
    return db_path


def raw_insert(location: str, customer_id: int, number: str) -> None:
    """Insert a dossier with the database driver itself, outside Klantbeheer's code."""
    sql = ("INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
           "VALUES ({0}, {0}, 'Rauw', '', '', '2026-01-01 10:00:00', 'script', 'open')")
    if "://" in location:
        import psycopg2

        conn = psycopg2.connect(location)
        try:
            with conn, conn.cursor() as cursor:
                cursor.execute(sql.format("%s"), (number, customer_id))
        finally:
            conn.close()
    else:
        conn = sqlite3.connect(location)
        try:
            with conn:
                conn.execute(sql.format("?"), (number, customer_id))
        finally:
            conn.close()


def driver_error(location: str) -> type[BaseException]:
    """The error class the raw driver raises for a refused statement."""
    if "://" in location:
        import psycopg2

        return psycopg2.Error
    return sqlite3.Error


def customer_id(number: int) -> int:
    """The row id of a customer."""
    with session.connection():
        return Customer.get(Customer.number == number).id


def test_vat_twin_of_a_blocked_customer_gets_no_dossier_and_the_notice_names_the_twin(blocked_abc: str) -> None:
    twin = customers.create({"name": "ABC Filiaal", "vat_number": "be 0867.756.456"}, "mw")
    with pytest.raises(TwinBlocked) as refused:
        dossiers.create_dossier(twin["number"], "Schade", operator="mw")
    assert refused.value.notice == "Het BTW-nummer BE 0867.756.456 hoort ook bij geblokkeerde klant 123 ABC (Wanbetaling)"
    assert isinstance(refused.value, CustomerBlocked) and refused.value.number == 123
    with pytest.raises(TwinBlocked, match="hoort ook bij geblokkeerde klant 123 ABC"):
        dossiers.check_owner(twin["number"])
    assert dossiers.list_dossiers() == []


def test_iban_twin_is_refused_too_and_a_lapsed_block_lets_it_pass(blocked_abc: str) -> None:
    twin = customers.create({"name": "Iemand Anders", "iban": "BE71 0961 2345 6769"}, "mw")
    with pytest.raises(TwinBlocked) as refused:
        dossiers.create_dossier(twin["number"], "Schade", operator="mw")
    assert refused.value.notice == "Het IBAN BE71 0961 2345 6769 hoort ook bij geblokkeerde klant 123 ABC (Wanbetaling)"
    with session.connection():
        Customer.update(blocked_until=clock.today() - dt.timedelta(days=1)).where(Customer.number == 123).execute()
    assert dossiers.create_dossier(twin["number"], "Schade", operator="mw")["customer"] == twin["number"]


def test_cli_refuses_the_twin_with_the_notice(blocked_abc: str) -> None:
    twin = customers.create({"name": "ABC Filiaal", "vat_number": "BE0867756456"}, "mw")
    done = run_cli("new-dossier", "--customer", str(twin["number"]), "--description", "Schade", db=blocked_abc, operator="mw")
    assert done.code == 3
    assert "Het BTW-nummer BE 0867.756.456 hoort ook bij geblokkeerde klant 123 ABC (Wanbetaling)" in done.err


def test_peewee_and_the_raw_driver_cannot_insert_a_dossier_for_a_blocked_owner_or_twin(blocked_abc: str) -> None:
    twin = customers.create({"name": "ABC Filiaal", "vat_number": "BE0867756456"}, "mw")
    free = customers.create({"name": "Vrij NV"}, "mw")
    for owner, number in ((123, "2026-00091"), (twin["number"], "2026-00092")):
        # SQLite's trigger speaks one sentence; PostgreSQL's names the customer, so the refusal is CustomerBlocked
        with pytest.raises((DatabaseProblem, CustomerBlocked), match=REFUSED), session.connection():
            Dossier.create(number=number, customer=customer_id(owner), description="Script", created_by="script")
        with pytest.raises(driver_error(blocked_abc), match="geblokkeerd"):
            raw_insert(blocked_abc, customer_id(owner), number)
    raw_insert(blocked_abc, customer_id(free["number"]), "2026-00093")
    with session.connection():
        Dossier.create(number="2026-00094", customer=customer_id(free["number"]), description="Script", created_by="script")
        made = {d.number: (d.owner_number, d.owner_name) for d in Dossier.select()}
    assert made == {"2026-00093": (free["number"], "Vrij NV"), "2026-00094": (free["number"], "Vrij NV")}


def test_a_dossier_cannot_be_moved_to_a_blocked_owner(blocked_abc: str) -> None:
    free = customers.create({"name": "Vrij NV"}, "mw")
    made = dossiers.create_dossier(free["number"], "Schade", operator="mw")
    with pytest.raises((DatabaseProblem, CustomerBlocked), match=REFUSED), session.connection():
        Dossier.update(customer=customer_id(123)).where(Dossier.number == made["number"]).execute()
    assert dossiers.list_dossiers()[0]["customer"] == free["number"]


def test_the_trigger_message_reaches_the_user_as_one_dutch_sentence(blocked_abc: str) -> None:
    with pytest.raises((DatabaseProblem, CustomerBlocked)) as refused, session.connection():
        Dossier.create(number="2026-00099", customer=customer_id(123), description="Script", created_by="script")
    if "://" in blocked_abc:  # PostgreSQL's trigger names the customer: the full notice, as the Python check gives it
        assert type(refused.value) is CustomerBlocked and refused.value.exit_code == 3
        assert refused.value.message.startswith("Klant 123 (ABC) is geblokkeerd door ")
        assert refused.value.message.endswith("U kunt niet doorgaan met het dossier.")
    else:
        assert refused.value.message.startswith("De klant is geblokkeerd")
        assert refused.value.message.endswith("geen nieuw dossier.")
    assert "\n" not in refused.value.message


def test_search_marks_a_result_whose_vat_number_belongs_to_a_blocked_customer(blocked_abc: str) -> None:
    customers.create({"name": "ABC Filiaal", "vat_number": "BE0867756456"}, "mw")
    customers.create({"name": "ABD Anders"}, "mw")
    rows = {row["name"]: row for row in customers.search("AB")}
    assert (rows["ABC"]["blocked"], rows["ABC"]["vat_blocked"]) == (True, False)
    assert (rows["ABC Filiaal"]["blocked"], rows["ABC Filiaal"]["vat_blocked"]) == (False, True)
    assert (rows["ABD Anders"]["blocked"], rows["ABD Anders"]["vat_blocked"]) == (False, False)
    lines = {line.split()[1]: line for line in run_cli("search", "AB", db=blocked_abc).out.splitlines()}
    assert lines["ABD"].rstrip().endswith("Anders")
    filiaal = [line for line in lines.values() if "Filiaal" in line][0]
    assert filiaal.endswith("BTW GEBLOKKEERD")


def test_duplicates_by_vat_iban_and_name_with_postcode_say_what_matches_and_who_is_blocked(blocked_abc: str) -> None:
    customers.create({"name": "Ander Bedrijf", "iban": IBAN}, "mw")
    found = duplicates.duplicates({"name": "a.b.c", "postcode": "8830", "vat_number": "0867 756 456"})
    assert [(d["number"], d["matches"], d["blocked"], d["block_reason"]) for d in found] == [
        (123, ["BTW-nummer", "naam en postcode"], True, "Wanbetaling")]
    by_iban = duplicates.duplicates({"name": "Nieuw", "iban": "BE71 0961 2345 6769"})
    assert [(d["name"], d["matches"]) for d in by_iban] == [("ABC", ["IBAN"]), ("Ander Bedrijf", ["IBAN"])]
    itself_left_out = duplicates.duplicates({**ABC, "iban": IBAN}, number=123)
    assert [(d["name"], d["matches"], d["blocked"]) for d in itself_left_out] == [("Ander Bedrijf", ["IBAN"], False)]
    assert duplicates.duplicates({"name": "ABC", "postcode": "8800", "vat_number": "ongeldig"}) == []


def test_only_a_beheerder_changes_a_customer_number_and_the_history_says_so(blocked_abc: str) -> None:
    made = customers.create({"name": "Nummer NV"}, "mw")
    with pytest.raises(NotPermitted, match="klantnummer"):
        customers.update(made["number"], {"number": 777}, made["version"], "mw")
    moved = customers.update(made["number"], {"number": 777}, made["version"], "admin")
    assert moved["number"] == 777
    event = customers.history(777)[0]
    assert (event["kind"], event["operator"], event["changes"]["number"]) == ("updated", "admin", [made["number"], 777])


def test_a_dossier_keeps_its_owner_as_it_was_and_the_list_shows_both(blocked_abc: str) -> None:
    made = customers.create({"name": "Oud & Co"}, "mw")
    dossier = dossiers.create_dossier(made["number"], "Schade", operator="mw")
    plain = run_cli("dossiers", db=blocked_abc).out
    assert "bij opening" not in plain
    customers.update(made["number"], {"number": 555, "name": "Nieuw & Co"}, made["version"], "admin")
    listed = dossiers.list_dossiers()[0]
    assert (listed["customer"], listed["customer_name"]) == (555, "Nieuw & Co")
    assert (listed["owner_number"], listed["owner_name"]) == (made["number"], "Oud & Co")
    line = run_cli("dossiers", db=blocked_abc).out.strip()
    assert line.startswith(dossier["number"]) and "Nieuw & Co" in line
    assert line.endswith(f"(bij opening: {made['number']} Oud & Co)")
