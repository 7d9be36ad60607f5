"""The headless command line in real subprocesses: every command, JSON keys, exit codes, Dutch stderr."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from klantbeheer.data import clock
from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import CliResult, build_demo_template, open_copy, run_cli

CUSTOMER_FIELDS = {
    "name", "number", "external_ref", "email", "language", "repairer", "address", "address2", "postcode", "city",
    "province", "country", "certificate_number", "vat_number", "vat_rate", "payment_term_days", "payment_condition",
    "discount_scheme", "price_list", "internal_account", "phone", "fax", "mobile", "customer_type", "legal_form",
    "salutation", "contact", "remarks", "show_remarks", "show_id_card", "blocked", "iban", "bic",
}
BLOCK_FIELDS = {"blocked", "block_reason", "block_message", "blocked_at", "blocked_by", "blocked_until"}
BOOKKEEPING = {"version", "created_at", "created_by", "updated_at", "updated_by", "block_active"}
SEARCH_EXTRA = {"vat_blocked"}  # a BTW twin of the result is blocked (docs/design.md, "Duplicates and twins")
DOSSIER_FIELDS = {"number", "customer", "description", "reference", "licence_plate", "created_at", "created_by", "status",
                  "owner_number", "owner_name", "version"}  # version: the lock a dossier edit is based on (issue 30)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once for this module."""
    return build_demo_template(tmp_path_factory.mktemp("cli_template"))


@pytest.fixture
def db(demo_template: Path, tmp_path: Path) -> str:
    """A fresh copy of the demo database; this process lets go of it so only the CLI uses it."""
    path = open_copy(demo_template, tmp_path)
    database_proxy.obj.close()
    return path


def failed(result: CliResult, code: int, *words: str) -> None:
    """A refusal: the exit code, one Dutch sentence on stderr containing words, no traceback, no stdout."""
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("."), result.err
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert result.out == ""


def ok(result: CliResult) -> CliResult:
    """A success: exit code 0, nothing on stderr."""
    assert result.code == 0, result.err
    assert result.err == ""
    return result


def test_search_plain_and_json(db: str) -> None:
    plain = ok(run_cli("search", "abc", db=db)).out
    assert "ABC" in plain and "8830 Hooglede" in plain and "BE 0867.756.456" in plain
    rows = ok(run_cli("search", "hooglede", "--json", db=db)).json()
    assert isinstance(rows, list) and rows[0]["number"] == 123
    for row in rows:
        assert {"number", "name", "blocked"} <= set(row)
        assert set(row) <= CUSTOMER_FIELDS | BLOCK_FIELDS | BOOKKEEPING | SEARCH_EXTRA, set(row) - CUSTOMER_FIELDS - BLOCK_FIELDS - BOOKKEEPING
    blocked = ok(run_cli("search", "dhondt", "--json", db=db)).json()
    assert blocked[0]["blocked"] is True
    assert "GEBLOKKEERD" in ok(run_cli("search", "dhondt", db=db)).out
    assert ok(run_cli("search", "zzzqqq", db=db)).out.strip() == "Geen resultaten."
    assert ok(run_cli("search", "zzzqqq", "--json", db=db)).json() == []


def test_search_limit_and_blocked_only(db: str) -> None:
    assert len(ok(run_cli("search", "e", "--limit", "2", "--json", db=db)).json()) == 2
    rows = ok(run_cli("search", "", "--blocked", "--limit", "100", "--json", db=db)).json()
    assert rows and all(row["blocked"] for row in rows)


@pytest.mark.parametrize("text", ['"abc AND *', "-x NOT a:b", "%_", "😀 \x01\x02", "x" * 10_000])
def test_search_with_any_text_exits_cleanly(db: str, text: str) -> None:
    result = run_cli("--db", db, "--operator", "admin", "search", "--json", "--", text, db=None, operator=None)
    assert result.code == 0, result.err
    assert isinstance(result.json(), list) and "Traceback" not in result.err


def test_show_every_field_plain_and_json(db: str) -> None:
    shown = ok(run_cli("show", "123", "--json", db=db)).json()
    assert isinstance(shown, dict)
    assert CUSTOMER_FIELDS | BLOCK_FIELDS <= set(shown) <= CUSTOMER_FIELDS | BLOCK_FIELDS | BOOKKEEPING
    assert (shown["name"], shown["number"], shown["external_ref"], shown["vat_number"], shown["blocked"]) == ("ABC", 123, "5744", "BE0867756456", False)
    plain = ok(run_cli("show", "123", db=db)).out
    for text in ("Naam:", "ABC", "Externe Ref.:", "5744", "BTW-nummer:", "Geblokkeerd:", "nee", "8830 Hooglede", "West-Vlaanderen"):
        assert text in plain


def test_show_unknown_or_bad_number_exits_2(db: str) -> None:
    failed(run_cli("show", "99999", db=db), 2, "99999", "bestaat niet")
    failed(run_cli("show", "abc", db=db), 2, "Ongeldig klantnummer")


def test_block_show_dossier_refused_unblock(db: str) -> None:
    until = (clock.today() + dt.timedelta(days=30)).isoformat()
    blocked = ok(run_cli("block", "123", "--reason", "WANBETALING", "--message", "Eerst betalen", "--until", until, "--json", db=db)).json()
    assert blocked["blocked"] is True and blocked["block_reason"] == "wanbetaling" and blocked["blocked_until"] == until
    shown = ok(run_cli("show", "123", "--json", db=db)).json()
    assert (shown["blocked"], shown["block_message"], shown["blocked_by"]) == (True, "Eerst betalen", "admin")
    assert shown["blocked_at"]
    plain = ok(run_cli("show", "123", db=db)).out
    assert "Reden:" in plain and "Wanbetaling" in plain and "Eerst betalen" in plain
    failed(run_cli("new-dossier", "--customer", "123", "--description", "Schade", db=db, operator="mw"), 3, "geblokkeerd", "Wanbetaling", "Eerst betalen")
    assert ok(run_cli("dossiers", "--customer", "123", "--json", db=db)).json() == []
    ok(run_cli("unblock", "123", db=db))
    made = ok(run_cli("new-dossier", "--customer", "123", "--description", "Schade", "--plate", "1abc123", "--reference", "R1", "--json",
                      db=db, operator="mw")).json()
    assert made["licence_plate"] == "1-ABC-123" and made["customer"] == 123 and made["created_by"] == "mw"
    assert made["number"] == f"{clock.today().year}-00001"
    again = ok(run_cli("unblock", "123", db=db))  # a repeated unblock is a no-op that says so
    assert "niet geblokkeerd" in again.out and "niets gewijzigd" in again.out


def test_new_dossier_plain_output_and_bad_input(db: str) -> None:
    out = ok(run_cli("new-dossier", "--customer", "123", "--description", "Ruit", db=db, operator="mw")).out
    assert "Dossier" in out and "123" in out and "ABC" in out
    failed(run_cli("new-dossier", "--customer", "123", "--description", "  ", db=db), 2, "Ongeldige gegevens: Omschrijving: Verplicht veld.")
    failed(run_cli("new-dossier", "--customer", "123", "--description", "", "--plate", "!!", "--reference", "r" * 61, db=db), 2,
           "Omschrijving: Verplicht veld; Referentie: Maximaal 60 tekens; Nummerplaat: Geen geldige nummerplaat.")
    failed(run_cli("new-dossier", "--customer", "4242", "--description", "x", db=db), 2, "4242")


@pytest.mark.parametrize(("args", "word"), [
    (["--reason", "luiheid"], "Wanbetaling"),
    (["--reason", "fraude", "--until", "2001-01-01"], "verleden"),
    (["--reason", "fraude", "--until", "morgen"], "Geblokkeerd tot: Geen geldige datum"),
])
def test_block_with_bad_details_exits_2(db: str, args: list[str], word: str) -> None:
    failed(run_cli("block", "123", *args, db=db), 2, word)
    assert ok(run_cli("show", "123", "--json", db=db)).json()["blocked"] is False


def test_medewerker_is_not_permitted_exit_4(db: str) -> None:
    failed(run_cli("block", "123", "--reason", "fraude", db=db, operator="mw"), 4, "beheerder")
    failed(run_cli("delete", "123", db=db, operator="mw"), 4, "beheerder")
    failed(run_cli("staff", "add", "x", "--role", "medewerker", db=db, operator="mw"), 4, "beheerder")
    ok(run_cli("block", "123", "--reason", "fraude", db=db))
    failed(run_cli("unblock", "123", db=db, operator="mw"), 4, "beheerder")
    assert ok(run_cli("show", "123", "--json", db=db)).json()["blocked"] is True


def test_delete(db: str) -> None:
    ok(run_cli("new-dossier", "--customer", "123", "--description", "x", db=db))
    failed(run_cli("delete", "123", db=db), 2, "dossier")
    numbers = [row["number"] for row in ok(run_cli("search", "jan peeters", "--json", db=db)).json()]
    assert ok(run_cli("delete", str(numbers[0]), "--json", db=db)).json() == {"deleted": str(numbers[0])}
    failed(run_cli("show", str(numbers[0]), db=db), 2, "bestaat niet")


def test_dossiers_list_plain_and_json(db: str) -> None:
    assert ok(run_cli("dossiers", db=db)).out.strip() == "Geen dossiers."
    ok(run_cli("new-dossier", "--customer", "123", "--description", "Eerste", db=db))
    ok(run_cli("new-dossier", "--customer", "123", "--description", "Tweede", db=db))
    rows = ok(run_cli("dossiers", "--json", db=db)).json()
    assert isinstance(rows, list) and [row["description"] for row in rows] == ["Tweede", "Eerste"]
    assert DOSSIER_FIELDS <= set(rows[0]) <= DOSSIER_FIELDS | {"customer_name"}
    assert "Tweede" in ok(run_cli("dossiers", "--customer", "123", db=db)).out
    failed(run_cli("dossiers", "--customer", "4242", db=db), 2, "4242")


def test_staff_add_and_list(db: str) -> None:
    added = ok(run_cli("staff", "add", "nieuw", "--name", "Nina Nieuw", "--role", "medewerker", "--json", db=db)).json()
    assert added == {"username": "nieuw", "full_name": "Nina Nieuw", "role": "medewerker", "active": True, "os_user": "nieuw",
                     "language": ""}
    people = ok(run_cli("staff", "list", "--json", db=db)).json()
    assert [p["username"] for p in people] == sorted(p["username"] for p in people)
    assert {"admin", "mw", "nieuw"} <= {p["username"] for p in people}
    assert "nieuw" in ok(run_cli("staff", "list", db=db)).out
    ok(run_cli("search", "abc", db=db, operator="nieuw"))
    failed(run_cli("staff", "add", "nieuw", "--role", "medewerker", db=db), 2, "bestaat al")


def test_unknown_operator_is_refused(db: str) -> None:
    failed(run_cli("search", "abc", db=db, operator="indringer"), 4, "Onbekende gebruiker", "indringer")
    failed(run_cli("search", "abc", db=db, operator="slecht naam"), 2, "gebruikersnaam")


def test_first_operator_on_a_brand_new_database_becomes_beheerder(tmp_path: Path) -> None:
    path = str(tmp_path / "nieuw.db")
    ok(run_cli("init", db=path, operator="eerste"))
    people = ok(run_cli("staff", "list", "--json", db=path, operator="eerste")).json()
    assert people == [{"username": "eerste", "full_name": "eerste", "role": "beheerder", "active": True, "os_user": "eerste",
                       "language": ""}]
    failed(run_cli("staff", "list", db=path, operator="tweede"), 4, "tweede")


def test_demo_command_on_a_new_database(tmp_path: Path) -> None:
    path = str(tmp_path / "demo.db")
    ok(run_cli("init", db=path, operator="eerste"))
    summary = ok(run_cli("demo", "--customers", "20", "--json", db=path, operator="eerste")).json()
    assert summary["demo"] >= 20 and summary["synthetic"] == 20
    abc = ok(run_cli("search", "5744", "--json", db=path, operator="eerste")).json()[0]
    assert (abc["number"], abc["name"], abc["blocked"]) == (123, "ABC", False)
    blocked = ok(run_cli("search", "", "--blocked", "--json", db=path, operator="eerste")).json()
    assert len(blocked) >= 3


def test_global_options_may_come_before_the_command(db: str) -> None:
    rows = ok(run_cli("--db", db, "--operator", "mw", "--json", "search", "abc", db=None, operator=None)).json()
    assert rows[0]["number"] == 123
    failed(run_cli("--db", db, "--operator", "mw", "block", "123", "--reason", "fraude", db=None, operator=None), 4)


def test_database_from_the_environment_variable(db: str) -> None:
    rows = ok(run_cli("search", "abc", "--json", db=None, env={"KLANTBEHEER_DB": db})).json()
    assert rows[0]["number"] == 123


@pytest.mark.parametrize("args", [
    ["search"], ["search", "x", "--limit", "veel"], ["bogus"], ["block", "123"], ["staff", "add", "x", "--role", "baas"],
    ["staff"], ["show", "1", "--frobnicate"], ["new-dossier", "--customer"],
])
def test_bad_command_line_exits_2_in_dutch(db: str, args: list[str]) -> None:
    result = run_cli(*args, db=db)
    failed(result, 2, "Ongeldige opdracht")
    for english in ("the following", "invalid", "unrecognized", "required", "expected", "choose from", "usage"):
        assert english not in result.err


def test_database_problems_exit_1_in_one_sentence(tmp_path: Path) -> None:
    failed(run_cli("search", "abc", db=str(tmp_path / "geen-map" / "k.db")), 2, "Database niet gevonden")
    failed(run_cli("init", db=str(tmp_path / "geen-map" / "k.db")), 1, "bestaat niet")
    (tmp_path / "tekst.db").write_text("geen database\n" * 100)
    failed(run_cli("show", "123", db=str(tmp_path / "tekst.db")), 1, "database")


def test_simultaneous_first_operators_on_a_new_database_only_one_becomes_beheerder(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from klantbeheer.data.db import migrate_to
    from klantbeheer.data.migrations import LATEST
    from tests.support.foundation_helpers import APP, ROOT

    path = str(tmp_path / "nieuw.db")
    migrate_to(path, LATEST)  # a new database without operators yet (as `init` leaves it before its login)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, APP, "staff", "list", "--db", path, "--operator", f"user{i}"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env) for i in range(3)]
    results = [(run.communicate(timeout=60)[1], run.returncode) for run in runs]
    assert sorted(code for _, code in results) == [0, 4, 4], results
    assert all("Onbekende gebruiker" in err for err, code in results if code == 4)
    people = ok(run_cli("staff", "list", "--json", db=path, operator=f"user{[c for _, c in results].index(0)}")).json()
    assert [p["role"] for p in people] == ["beheerder"]


def test_output_into_a_closed_pipe_is_not_an_error(db: str) -> None:
    import os
    import subprocess
    import sys

    from tests.support.foundation_helpers import APP, ROOT

    run = subprocess.Popen([sys.executable, APP, "search", "e", "--limit", "1000", "--json", "--db", db, "--operator", "admin"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    run.stdout.close()  # the reader goes away before the output comes, like `| head -c 0`
    err = run.stderr.read().decode()
    assert run.wait(timeout=60) == 0, err
    assert err == ""
