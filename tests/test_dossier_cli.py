"""Issue 30: `dossier show|close|reopen NUMBER` and `dossiers --open`, with --json and exit codes, as real processes."""
from __future__ import annotations

import pytest

from klantbeheer.data import customers, dossiers
from tests.support.foundation_helpers import run_cli


@pytest.fixture
def opened(db_path: str) -> str:
    """ABC (123) with one open dossier and one closed; the open one's number."""
    customers.create({"name": "ABC", "number": 123}, "admin")
    closed = dossiers.create_dossier(123, "Oud dossier", "", "", "admin")["number"]
    run = run_cli("dossier", "close", closed, db=db_path)
    assert run.code == 0, run.err
    return dossiers.create_dossier(123, "Schade", "REF-7", "1abc123", "admin")["number"]


def test_show_prints_the_dossier_and_its_history(opened: str, db_path: str) -> None:
    run = run_cli("dossier", "show", opened, db=db_path)
    assert run.code == 0, run.err
    assert "Omschrijving:" in run.out and "Schade" in run.out and "1-ABC-123" in run.out and "aangemaakt" in run.out
    shown = run_cli("dossier", "show", opened, "--json", db=db_path).json()
    assert shown["number"] == opened and shown["status"] == "open" and shown["read_only"] == ""
    assert [event["kind"] for event in shown["history"]] == ["created"]


def test_close_and_reopen_with_json_and_their_refusals(opened: str, db_path: str) -> None:
    closed = run_cli("dossier", "close", opened, "--json", db=db_path, operator="mw")
    assert closed.code == 0, closed.err
    assert closed.json()["status"] == "closed"
    again = run_cli("dossier", "close", opened, "--json", db=db_path)
    assert again.code == 2
    assert again.json()["kind"] == "bad_input"
    assert "alleen een open dossier kan gesloten worden" in again.err
    reopened = run_cli("dossier", "reopen", opened, db=db_path)
    assert reopened.code == 0 and f"Dossier {opened} is heropend." in reopened.out
    shown = run_cli("dossier", "show", opened, "--json", db=db_path).json()
    assert [event["kind"] for event in shown["history"]] == ["reopened", "closed", "created"]


def test_unknown_dossier_exits_2_with_one_sentence(db_path: str) -> None:
    run = run_cli("dossier", "show", "2026-99999", db=db_path)
    assert run.code == 2 and run.err.strip() == "Dossier 2026-99999 bestaat niet." and "Traceback" not in run.err


def test_a_blocked_owners_dossier_cannot_be_closed_exit_3(opened: str, db_path: str) -> None:
    customers.block(123, "wanbetaling", "Eerst betalen", None, "admin")
    run = run_cli("dossier", "close", opened, "--json", db=db_path)
    assert run.code == 3
    assert run.json()["kind"] == "blocked" and "U kunt niet doorgaan met het dossier" in run.err
    shown = run_cli("dossier", "show", opened, "--json", db=db_path).json()
    assert shown["status"] == "open" and shown["read_only"].startswith("Alleen-lezen")


def test_dossiers_open_lists_only_open_ones(opened: str, db_path: str) -> None:
    every = run_cli("dossiers", "--json", db=db_path).json()
    only_open = run_cli("dossiers", "--open", "--json", db=db_path).json()
    assert len(every) == 2 and [d["number"] for d in only_open] == [opened]
    text = run_cli("dossiers", "--open", "--customer", "123", db=db_path)
    assert text.code == 0 and opened in text.out and "gesloten" not in text.out
