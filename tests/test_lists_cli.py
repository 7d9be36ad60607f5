"""Issue 19, command line: `lists show|add|rename|deactivate|activate|delete|import` in real subprocesses, with exit codes."""
from __future__ import annotations

from pathlib import Path

import pytest

from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import build_demo_template, open_copy, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One demo database for the module's CLI runs (each test leaves the lists as it found them, or builds on them)."""
    folder = tmp_path_factory.mktemp("lists_cli")
    path = open_copy(build_demo_template(folder), folder)
    database_proxy.obj.close()
    return path


def test_show_marks_inactive_entries_and_a_rename_shows_on_the_customer(db: str) -> None:
    assert run_cli("lists", "deactivate", "blokkeerreden", "wanbetaling", db=db).code == 0
    shown = run_cli("lists", "show", "blokkeerreden", db=db)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "Reden van blokkering (blokkeerreden)"
    assert "Wanbetaling" in lines[1] and "inactief" in lines[1] and "inactief" not in lines[2]
    as_json = run_cli("lists", "show", "blokkeerreden", "--json", db=db).json()
    assert [(e["code"], e["active"]) for e in as_json[0]["entries"]][:2] == [("wanbetaling", False), ("fraude", True)]
    # customer 1002 was blocked for wanbetaling: it keeps the reason, shown as inactive
    assert "Reden:                   Wanbetaling (inactief)" in run_cli("show", "1002", db=db).out
    assert run_cli("lists", "rename", "blokkeerreden", "wanbetaling", "Niet betaald", db=db).code == 0
    assert "Reden:                   Niet betaald (inactief)" in run_cli("show", "1002", db=db).out
    refused = run_cli("block", "123", "--reason", "wanbetaling", db=db)
    assert refused.code == 2 and "niet meer actief" in refused.err
    assert run_cli("lists", "activate", "blokkeerreden", "wanbetaling", db=db).code == 0


def test_add_then_delete_unused_and_delete_in_use_is_refused(db: str) -> None:
    added = run_cli("lists", "add", "hersteller", "peeters", "Carrosserie Peeters [/]", "--city", "Leuven",
                    "--phone", "016 22 33 44", db=db)
    assert added.code == 0 and added.out.strip() == "Hersteller: 'peeters' (Carrosserie Peeters [/]) is toegevoegd."
    assert "Carrosserie Peeters [/]  — Leuven, +3216223344" in run_cli("lists", "show", "hersteller", db=db).out
    assert run_cli("lists", "delete", "hersteller", "peeters", db=db).code == 0
    in_use = run_cli("lists", "delete", "klanttype", "particulier", db=db)
    assert in_use.code == 2
    assert in_use.err.startswith("'Particulier' is in gebruik bij ")
    assert in_use.err.strip().endswith(" en kan niet verwijderd worden; deactiveer het in de plaats.")
    assert "particulier" in run_cli("lists", "show", "klanttype", db=db).out


def test_a_medewerker_gets_exit_code_4_and_nothing_changes(db: str) -> None:
    before = run_cli("lists", "show", "--json", db=db).out
    for args in (("add", "prijslijst", "x", "X"), ("rename", "prijslijst", "vloot", "Y"), ("deactivate", "prijslijst", "vloot"),
                 ("delete", "prijslijst", "verzekeraar")):
        refused = run_cli("lists", *args, db=db, operator="mw")
        assert refused.code == 4, (args, refused.err)
        assert refused.err.strip() == "Alleen een beheerder mag referentielijsten wijzigen; u bent medewerker."
    assert run_cli("lists", "show", "--json", db=db, operator="mw").out == before  # reading is for everyone


def test_bad_command_lines_exit_2_with_one_dutch_sentence(db: str) -> None:
    for args, words in ((("show", "landen"), "Onbekende lijst 'landen'"),
                        (("add", "prijslijst", "met spatie", "X"), "zonder spaties"),
                        (("rename", "prijslijst", "vloot", "X", "--language", "de"), "Ongeldige opdracht"),
                        (("add", "prijslijst", "y", "Y", "--city", "Gent"), "alleen voor de lijst hersteller"),
                        (("deactivate", "prijslijst", "bestaat-niet"), "bestaat niet")):
        result = run_cli("lists", *args, db=db)
        assert result.code == 2, (args, result.err)
        assert words in result.err and "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1


def test_import_from_csv_and_history_says_who_and_what(db: str, tmp_path: Path) -> None:
    source = tmp_path / "rekeningen.csv"
    source.write_text("code;label\n400000;400000 Klanten België\n400300;400300 Debiteuren leasing\n", encoding="utf-8")
    done = run_cli("lists", "import", "rekeningnummer", str(source), db=db)
    assert done.code == 0 and done.out.strip() == "Interne rekeningnummer: 1 toegevoegd, 1 hernoemd, 0 ongewijzigd."
    history = run_cli("lists", "history", "rekeningnummer", db=db).out.splitlines()
    assert "admin  rekeningnummer 400300: toegevoegd" in history[0]
    assert "rekeningnummer 400000: hernoemd (benaming: 400000 Handelsdebiteuren → 400000 Klanten België)" in history[1]
    bad = tmp_path / "fout.csv"
    bad.write_text("400400;\n", encoding="utf-8")
    refused = run_cli("lists", "import", "rekeningnummer", str(bad), db=db)
    assert refused.code == 2 and "Niets ingelezen: regel 1: Verplicht veld." in refused.err
