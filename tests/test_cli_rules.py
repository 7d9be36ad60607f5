"""The command line without traps (issue 15): init, a mistyped --db, --demo with a command, demo, repeated block/unblock."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from klantbeheer.data import clock
from tests.support.foundation_helpers import CliResult, run_cli


def failed(result: CliResult, code: int, *words: str) -> None:
    """A refusal: the exit code, one Dutch sentence on stderr with these words, no traceback, no stdout."""
    assert result.code == code, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert result.out == ""


def ok(result: CliResult) -> CliResult:
    """A success: exit code 0, nothing on stderr."""
    assert result.code == 0, result.err
    assert result.err == ""
    return result


@pytest.fixture
def shop(tmp_path: Path) -> str:
    """A database made by `init` (admin beheerder) with the demo customers, a second beheerder and a medewerker."""
    path = str(tmp_path / "kantoor.db")
    ok(run_cli("init", db=path))
    ok(run_cli("demo", db=path))
    ok(run_cli("staff", "add", "baas", "--role", "beheerder", db=path))
    ok(run_cli("staff", "add", "mw", "--role", "medewerker", db=path))
    return path


def customer_count(path: str) -> int:
    """Customers in an SQLite file, read without the app."""
    with sqlite3.connect(path) as con:
        return con.execute("SELECT count(*) FROM customer").fetchone()[0]


# --- a mistyped --db, and init ---------------------------------------------------------------

def test_a_mistyped_db_path_is_not_created_and_says_how_to_make_one(shop: str, tmp_path: Path) -> None:
    typo = str(tmp_path / "kantor.db")
    failed(run_cli("block", "123", "--reason", "Fraude", db=typo), 2, "Database niet gevonden", typo,
           f"klantbeheer init --db {typo}")
    assert not Path(typo).exists()
    failed(run_cli("search", "abc", db=None, env={"KLANTBEHEER_DB": typo}), 2, "Database niet gevonden")
    assert not Path(typo).exists()


def test_an_empty_db_is_refused(shop: str) -> None:
    failed(run_cli("search", "abc", db=""), 2, "--db mag niet leeg zijn")
    failed(run_cli("init", db=""), 2, "--db mag niet leeg zijn")


def test_only_init_creates_a_database_and_makes_its_caller_beheerder(tmp_path: Path) -> None:
    path = str(tmp_path / "nieuw.db")
    made = ok(run_cli("init", "--json", db=path, operator="eerste")).json()
    assert made == {"created": path, "beheerder": "eerste"}
    people = ok(run_cli("staff", "list", "--json", db=path, operator="eerste")).json()
    assert [(p["username"], p["role"]) for p in people] == [("eerste", "beheerder")]
    assert ok(run_cli("search", "abc", "--json", db=path, operator="eerste")).json() == []
    failed(run_cli("init", db=path, operator="eerste"), 2, "Database bestaat al")
    failed(run_cli("init", db=str(tmp_path / "geen-map" / "k.db")), 1, "bestaat niet")


# --- --demo with a command -------------------------------------------------------------------

@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment whose user data directory (and so the demo database) lies in tmp_path."""
    return {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}


def test_demo_with_a_command_acts_on_the_demo_database_never_on_production(shop: str, home: dict[str, str], tmp_path: Path) -> None:
    env = {**home, "KLANTBEHEER_DB": shop}
    before = customer_count(shop)
    blocked = ok(run_cli("--demo", "block", "1001", "--reason", "Fraude", "--json", db=None, env=env, operator="demo-admin")).json()
    assert blocked["number"] == 1001 and blocked["blocked"] is True
    demo_db = tmp_path / "xdg" / "klantbeheer" / "demo.db"
    assert demo_db.exists()  # created and filled on first use
    assert customer_count(shop) == before
    production = ok(run_cli("show", "1001", "--json", db=shop)).json()
    assert production["blocked"] is False
    people = {p["username"] for p in ok(run_cli("--demo", "staff", "list", "--json", db=None, env=env, operator="demo-admin")).json()}
    assert {"mvanwoensel", "lvermeulen"} <= people  # demo operators live in the demo database only
    failed(run_cli("--demo", "search", "abc", db=shop, env=home), 2, "--demo of --db")


# --- the demo command ------------------------------------------------------------------------

def test_demo_refuses_a_database_with_real_customers_unless_a_beheerder_forces_it(tmp_path: Path) -> None:
    path = str(tmp_path / "echt.db")
    ok(run_cli("init", db=path))
    ok(run_cli("staff", "add", "mw", "--role", "medewerker", db=path))
    import subprocess
    import sys

    from tests.support.foundation_helpers import ROOT

    script = ("import sys; from klantbeheer.data.db import open_database; from klantbeheer.data import customers; "
              "open_database(sys.argv[1]); customers.create({'name': 'Echte Klant NV'}, 'admin')")
    subprocess.run([sys.executable, "-c", script, path], check=True, cwd=ROOT)
    failed(run_cli("demo", db=path), 2, "1 echte klant", "--force")
    failed(run_cli("demo", "--customers", "5", db=path), 2, "--force")
    assert customer_count(path) == 1
    failed(run_cli("demo", "--force", db=path, operator="mw"), 4, "beheerder")
    assert customer_count(path) == 1
    made = ok(run_cli("demo", "--force", "--json", db=path)).json()
    assert made["demo"] > 20 and customer_count(path) == 1 + made["demo"]
    people = {p["username"] for p in ok(run_cli("staff", "list", "--json", db=path)).json()}
    assert people == {"admin", "mw"}  # no demo operators outside the demo database
    abc = ok(run_cli("show", "1002", "--json", db=path)).json()
    assert abc["blocked_by"] == "admin"  # the demo customers are blocked by whoever loaded them


def test_demo_by_a_medewerker_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "leeg.db")
    ok(run_cli("init", db=path))
    ok(run_cli("staff", "add", "mw", "--role", "medewerker", db=path))
    failed(run_cli("demo", db=path, operator="mw"), 4, "beheerder")
    assert customer_count(path) == 0


# --- repeated block and unblock --------------------------------------------------------------

def test_a_repeated_block_keeps_since_by_reason_and_message(shop: str) -> None:
    first = ok(run_cli("block", "1001", "--reason", "Wanbetaling", "--message", "Eerst betalen", "--json", db=shop)).json()
    again = ok(run_cli("block", "1001", "--reason", "Fraude", "--message", "Iets anders", db=shop, operator="baas"))
    assert "al geblokkeerd" in again.out and "--update" in again.out
    now = ok(run_cli("show", "1001", "--json", db=shop)).json()
    assert (now["blocked_at"], now["blocked_by"], now["block_reason"], now["block_message"], now["version"]) == (
        first["blocked_at"], "admin", "wanbetaling", "Eerst betalen", first["version"])


def test_block_update_changes_reason_and_message_but_keeps_since_and_by(shop: str) -> None:
    first = ok(run_cli("block", "1001", "--reason", "Wanbetaling", "--message", "Eerst betalen", "--json", db=shop)).json()
    until = (clock.today() + dt.timedelta(days=9)).isoformat()
    changed = ok(run_cli("block", "1001", "--reason", "Geschil", "--message", "Advocaat", "--until", until, "--update",
                         "--json", db=shop, operator="baas")).json()
    assert (changed["block_reason"], changed["block_message"], changed["blocked_until"]) == ("geschil", "Advocaat", until)
    assert (changed["blocked_at"], changed["blocked_by"]) == (first["blocked_at"], "admin")
    assert changed["changed"] is True and changed["version"] == first["version"] + 1
    assert "in orde" in ok(run_cli("check", db=shop)).out  # the history records the new details too


def test_block_update_on_an_unblocked_customer_simply_blocks(shop: str) -> None:
    made = ok(run_cli("block", "1001", "--reason", "Wanbetaling", "--update", "--json", db=shop, operator="baas")).json()
    assert made["blocked"] is True and made["blocked_by"] == "baas"


def test_a_repeated_unblock_is_a_no_op_that_says_so(shop: str) -> None:
    before = ok(run_cli("show", "1001", "--json", db=shop)).json()
    result = ok(run_cli("unblock", "1001", db=shop))
    assert "was niet geblokkeerd" in result.out and "niets gewijzigd" in result.out
    assert ok(run_cli("show", "1001", "--json", db=shop)).json() == before
    assert ok(run_cli("unblock", "1001", "--json", db=shop)).json()["changed"] is False
