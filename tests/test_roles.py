"""Roles: a medewerker cannot block, unblock or delete through any data/ function or CLI command."""
from __future__ import annotations

import subprocess
import sys
from typing import Callable

import pytest

from bench.reliability_helpers import REPO
from klantbeheer.data import customers, dossiers, staff
from klantbeheer.data.errors import BadInput, NotPermitted
from klantbeheer.data.models import Customer, CustomerEvent, Staff


def _snapshot() -> tuple[list[dict], int, list[dict]]:
    """Every customer row, the number of history events and the staff: what a refusal must not change."""
    rows = [customers.as_dict(c) for c in Customer.select().order_by(Customer.id)]
    return rows, CustomerEvent.select().count(), staff.all_staff()


@pytest.fixture
def shop(demo_db: str) -> str:
    """The demo database with customer 123 unblocked and 1002 (D'Hondt Bouw NV) blocked."""
    assert customers.get(1002)["blocked"] and not customers.get(123)["blocked"]
    return demo_db


FORBIDDEN: dict[str, Callable[[str], object]] = {
    "block": lambda who: customers.block(123, "Wanbetaling", "", None, who),
    "unblock": lambda who: customers.unblock(1002, who),
    "delete": lambda who: customers.delete(1003, who),
    "update sets blocked": lambda who: customers.update(123, {"blocked": True, "block_reason": "Fraude"}, None, who),
    "update clears blocked": lambda who: customers.update(1002, {"blocked": False}, None, who),
    "update changes block reason": lambda who: customers.update(1002, {"blocked": True, "block_reason": "Andere"}, None, who),
    "create blocked": lambda who: customers.create({"name": "Nieuw Geblokkeerd", "blocked": True, "block_reason": "Fraude"}, who),
    "add operator": lambda who: staff.add("nieuw", "Nieuw", "beheerder", who),
    "deactivate operator": lambda who: staff.set_active("admin", False, who),
}


@pytest.mark.parametrize("action", FORBIDDEN)
def test_medewerker_is_refused_by_every_data_function(shop: str, action: str) -> None:
    before = _snapshot()
    with pytest.raises(NotPermitted) as refused:
        FORBIDDEN[action]("mw")
    assert "beheerder" in refused.value.message
    assert _snapshot() == before


@pytest.mark.parametrize("action", FORBIDDEN)
def test_the_same_calls_work_for_a_beheerder(shop: str, action: str) -> None:
    FORBIDDEN[action]("admin")  # proves the refusal above is about the role, not a broken call


def test_medewerker_may_edit_master_data_and_open_dossiers(shop: str) -> None:
    saved = customers.update(123, {"contact": "Mia"}, None, "mw")
    assert saved["contact"] == "Mia" and saved["updated_by"] == "mw"
    assert dossiers.create_dossier(123, "Schade", operator="mw")["created_by"] == "mw"


@pytest.mark.parametrize("command", [
    ["block", "123", "--reason", "Wanbetaling"], ["unblock", "1002"], ["delete", "1003"],
    ["staff", "add", "nieuw", "--role", "beheerder"],
])
def test_medewerker_is_refused_by_every_cli_command_with_exit_4(shop: str, command: list[str]) -> None:
    before = _snapshot()
    result = subprocess.run([sys.executable, "app.py", *command, "--db", shop, "--operator", "mw"],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 4, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "beheerder" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["onbekend", "Admin", "admin2"])
def test_unknown_operator_cannot_run_anything(shop: str, who: str) -> None:
    before = _snapshot()
    for call in (
        lambda: customers.create({"name": "X"}, who), lambda: customers.update(123, {"contact": "X"}, None, who),
        lambda: dossiers.create_dossier(123, "Schade", operator=who), *[(lambda f=f: f(who)) for f in FORBIDDEN.values()],
    ):
        with pytest.raises(NotPermitted):
            call()
    for command in (["search", "abc"], ["show", "123"], ["dossiers"], ["new-dossier", "--customer", "123", "--description", "x"]):
        result = run_cli_as(shop, who, command)
        assert result.returncode == 4 and "Onbekende gebruiker" in result.stderr, result.stderr
    assert _snapshot() == before


def test_inactive_operator_cannot_run_anything(shop: str) -> None:
    staff.add("oud", "Oud Beheerder", "beheerder", "admin")
    staff.set_active("oud", False, "admin")
    staff.set_active("mw", False, "admin")
    before = _snapshot()
    for who in ("oud", "mw"):
        with pytest.raises(NotPermitted):
            staff.login(who)
        with pytest.raises(NotPermitted):
            customers.update(123, {"contact": "X"}, None, who)
        with pytest.raises(NotPermitted):
            dossiers.create_dossier(123, "Schade", operator=who)
        with pytest.raises(NotPermitted):
            customers.block(123, "Wanbetaling", "", None, who)
        result = run_cli_as(shop, who, ["search", "abc"])
        assert result.returncode == 4 and "niet actief" in result.stderr, result.stderr
    assert _snapshot() == before


BAD_NAMES = ["a b", "x;rm -rf /", "é", "-admin", "a" * 65, "\x1b[31mrood", "admin\nroot", "../etc", "admin'--"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_operator_names_are_validated(shop: str, name: str) -> None:
    with pytest.raises(BadInput):
        staff.check_username(name)
    with pytest.raises(BadInput):
        staff.add(name, "X", "medewerker", "admin")
    result = run_cli_as(shop, name, ["search", "abc"])
    assert result.returncode == 2 and "Ongeldige gebruikersnaam" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not Staff.select().where(Staff.username == name).exists()


def run_cli_as(db: str, operator: str, command: list[str]) -> subprocess.CompletedProcess:
    """Run one CLI command as the given operator."""
    return subprocess.run([sys.executable, "app.py", *command, "--db", db, f"--operator={operator}"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
