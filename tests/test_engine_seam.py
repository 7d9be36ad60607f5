"""The engine seam (issue 15) on both engines: every data function owns its connection and speaks Dutch; dossier numbers."""
from __future__ import annotations

import threading

import pytest

from klantbeheer.data import clock, customers, dossiers, session
from klantbeheer.data.errors import DatabaseProblem, KlantbeheerError
from klantbeheer.data.models import Customer, Dossier, database_proxy
from tests.support.engines import db_path  # noqa: F401  (both engines)


def _in_a_new_thread(work) -> object:
    """Run work in a fresh thread (no connection of its own yet); return its result or raise its error."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as problem:  # noqa: BLE001 - handed back to the test
            box["error"] = problem

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]


def test_a_data_function_opens_and_closes_its_own_connection(db_path: str) -> None:
    customers.create({"name": "Draad BV"}, "admin")

    def search_then_look() -> tuple[int, bool]:
        rows = customers.search("draad")  # no connection_context around it, as a screen's worker calls it
        return len(rows), session.database().is_closed()

    assert _in_a_new_thread(search_then_look) == (1, True)


def test_a_caller_holding_a_transaction_keeps_it_across_data_calls(db_path: str) -> None:
    made = customers.create({"name": "Eén Transactie"}, "admin")
    with pytest.raises(RuntimeError):
        with database_proxy.atomic():
            customers.update(made["number"], {"name": "Teruggedraaid"}, made["version"], "admin")
            assert customers.get(made["number"])["name"] == "Teruggedraaid"
            raise RuntimeError("rollback")
    assert customers.get(made["number"])["name"] == "Eén Transactie"


def test_a_driver_error_reaches_the_caller_as_one_dutch_sentence(db_path: str) -> None:
    def broken() -> None:
        with session.connection() as db:
            db.execute_sql("SELECT no_such_column FROM customer")

    with pytest.raises(DatabaseProblem) as refused:
        broken()
    assert refused.value.message.startswith("Er ging iets mis")
    assert isinstance(refused.value, KlantbeheerError) and refused.value.__cause__ is None


# --- dossier numbers --------------------------------------------------------------------------

def test_dossier_numbers_are_compared_as_numbers_and_grow_to_six_digits(db_path: str) -> None:
    year = clock.today().year
    owner = customers.create({"name": "Veel Dossiers NV"}, "admin")
    row = Customer.get(Customer.number == owner["number"])
    with database_proxy.atomic():
        for sequence in (99_998, 99_999):
            Dossier.create(number=f"{year}-{sequence:05d}", customer=row.id, description="oud", created_by="admin")
    first = dossiers.create_dossier(owner["number"], "Honderdduizendste", operator="admin")
    assert first["number"] == f"{year}-100000"
    # as text "2026-99999" sorts after "2026-100000": a text comparison would hand out 100000 again
    second = dossiers.create_dossier(owner["number"], "Daarna", operator="admin")
    assert second["number"] == f"{year}-100001"
    assert [d["number"] for d in dossiers.list_dossiers(owner["number"])][:2] == [f"{year}-100001", f"{year}-100000"]


def test_dossier_numbers_of_another_year_do_not_count(db_path: str) -> None:
    year = clock.today().year
    owner = customers.create({"name": "Vorig Jaar BV"}, "admin")
    row = Customer.get(Customer.number == owner["number"])
    Dossier.create(number=f"{year - 1}-123456", customer=row.id, description="vorig jaar", created_by="admin")
    assert dossiers.create_dossier(owner["number"], "Nieuw jaar", operator="admin")["number"] == f"{year}-00001"
