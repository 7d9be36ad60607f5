"""Operators: first one on a new database is beheerder, unknown/inactive refused, only a beheerder adds."""
from __future__ import annotations

from pathlib import Path

import pytest

from klantbeheer.data import staff
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import BadInput, NotFound, NotPermitted
from klantbeheer.data.models import Staff, database_proxy
from tests.support.engines import db_path  # noqa: F401  (every test here runs on SQLite and PostgreSQL)


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    """A brand-new database without operators."""
    path = str(tmp_path / "leeg.db")
    open_database(path, create=True)
    yield path
    database_proxy.obj.close()


def test_first_operator_on_a_new_database_becomes_beheerder(empty_db: str) -> None:
    first = staff.login("eerste")
    assert (first.username, first.role, first.active) == ("eerste", "beheerder", True)
    with pytest.raises(NotPermitted, match="Onbekende gebruiker 'tweede'"):
        staff.login("tweede")
    assert [s.username for s in Staff.select()] == ["eerste"]
    assert staff.login("eerste").role == "beheerder"


def test_operator_defaults_to_the_os_user(empty_db: str) -> None:
    assert staff.login(None).username == staff.os_user()


def test_known_operator_logs_in_and_inactive_is_refused(db_path: str) -> None:
    assert staff.login("mw").role == "medewerker"
    staff.set_active("mw", False, "admin")
    with pytest.raises(NotPermitted, match="niet actief"):
        staff.login("mw")
    with pytest.raises(NotPermitted):
        staff.operator("mw")
    staff.set_active("mw", True, "admin")
    assert staff.login("mw").active is True


@pytest.mark.parametrize("name", ["", "   ", "met spatie", "-begint", "x" * 65, "naam;drop", "émile"])
def test_bad_usernames_are_refused(db_path: str, name: str) -> None:
    with pytest.raises(BadInput, match="Ongeldige gebruikersnaam"):
        staff.check_username(name)
    with pytest.raises(BadInput):
        staff.add(name, "X", "medewerker", "admin")


def test_only_a_beheerder_adds_or_changes_operators(db_path: str) -> None:
    with pytest.raises(NotPermitted, match="Alleen een beheerder"):
        staff.add("nieuw", "Nieuw", "medewerker", "mw")
    with pytest.raises(NotPermitted):
        staff.set_active("admin", False, "mw")
    added = staff.add("nieuw", "  Nina Nieuw ", "beheerder", "admin")
    assert added == {"username": "nieuw", "full_name": "Nina Nieuw", "role": "beheerder", "active": True, "os_user": "nieuw",
                     "language": ""}
    assert staff.require_beheerder("nieuw", "iets").username == "nieuw"


def test_duplicate_user_and_unknown_role_are_refused(db_path: str) -> None:
    with pytest.raises(BadInput, match="bestaat al"):
        staff.add("mw", "Nog eens", "medewerker", "admin")
    with pytest.raises(BadInput, match="beheerder of medewerker"):
        staff.add("baas", "Baas", "directeur", "admin")
    with pytest.raises(NotFound):
        staff.set_active("niemand", False, "admin")
    assert [p["username"] for p in staff.all_staff()] == ["admin", "mw"]


def test_full_name_falls_back_to_the_username(db_path: str) -> None:
    assert staff.full_name("mw") == "Mia Medewerker"
    assert staff.full_name("weg") == "weg"


def test_the_last_active_beheerder_cannot_be_deactivated(db_path: str) -> None:
    with pytest.raises(BadInput, match="laatste actieve beheerder"):
        staff.set_active("admin", False, "admin")
    assert staff.login("admin").active
    staff.add("tweede", "Tweede Beheerder", "beheerder", "admin")
    assert staff.set_active("admin", False, "tweede")["active"] is False


def test_cli_deactivates_and_reactivates_an_operator(db_path: str) -> None:
    import subprocess
    import sys

    database_proxy.obj.close()
    root = Path(__file__).resolve().parent.parent

    def run(*args: str, operator: str = "admin") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(root / "app.py"), *args, "--db", db_path, "--operator", operator],
                              capture_output=True, text=True, cwd=root)

    assert run("staff", "deactivate", "mw", operator="mw").returncode == 4
    done = run("staff", "deactivate", "mw")
    assert done.returncode == 0 and "niet actief" in done.stdout
    refused = run("search", "x", operator="mw")
    assert refused.returncode == 4 and "niet actief" in refused.stderr
    assert run("staff", "activate", "mw").returncode == 0
    assert run("search", "x", operator="mw").returncode == 0
    assert run("staff", "deactivate", "admin").returncode == 2
