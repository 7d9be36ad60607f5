"""The operator's language (issue 20): --language, the stored choice, the environment, Dutch; CLI, data/ and the TUI.

CLI checks run app.py in real subprocesses with a chosen environment (LANG=fr_BE.UTF-8 and the like).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from textual.command import CommandPalette

from klantbeheer.data import staff
from klantbeheer.data.errors import BadInput, NotPermitted
from klantbeheer.data.i18n import ENVIRONMENT, _, choose_language, date_text, environment_language, language, language_code, set_language
from tests.support.apps import make_app
from tests.support.pg_support import medewerker_login
from tests.support.search_screen_helpers import first_option
from tests.support.typeahead_helpers import burst, keys_of
from tests.support.waiting import app_until

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("klantbeheer")  # the console script `pip install -e .` made
FRENCH_REFUSAL = "Seul un gestionnaire peut bloquer un client\u00a0; vous êtes collaborateur."
ENGLISH_REFUSAL = "Only an administrator may block a customer; you are a staff member."
DUTCH_REFUSAL = "Alleen een beheerder mag een klant blokkeren; u bent medewerker."


@pytest.fixture(autouse=True)
def dutch_afterwards():
    """Tests here change the process's language: Dutch again for the next test."""
    yield
    set_language("nl")


def run(*args: str, db: str, operator: str = "mw", **environment: str) -> subprocess.CompletedProcess:
    """klantbeheer in a subprocess, with only the given locale variables set."""
    env = {key: value for key, value in os.environ.items() if key not in ENVIRONMENT} | environment
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, str(ROOT / "app.py")]
    return subprocess.run([*command, *args, "--db", db, "--operator", operator], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize(("name", "code"), [("fr", "fr"), ("fr_BE", "fr"), ("fr-BE", "fr"), ("FR_be.UTF-8", "fr"),
                                            ("en_GB.UTF-8", "en"), ("en_US", "en"), ("nl_BE@euro", "nl"), ("de_BE", None),
                                            ("C.UTF-8", None), ("POSIX", None), ("", None), ("français", None)])
def test_language_names_are_read_like_locales(name: str, code: str | None) -> None:
    assert language_code(name) == code


def test_the_environment_decides_in_posix_order_and_a_stored_choice_beats_it() -> None:
    assert environment_language({"LANG": "fr_BE.UTF-8"}) == "fr"
    assert environment_language({"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "nl_BE", "LANG": "fr_BE"}) == "en"
    assert environment_language({"LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_BE"}) == "en"
    assert environment_language({"LC_ALL": "C.UTF-8", "LANG": "fr_BE"}) is None  # LC_ALL decides: not nl/fr/en
    assert choose_language(None, None, {"LANG": "C.UTF-8"}) == "nl"
    assert choose_language(None, "fr", {"LANG": "en_US.UTF-8"}) == "fr"
    assert choose_language("en_GB", "fr", {"LANG": "nl_BE"}) == "en"


def test_dates_and_numbers_follow_the_language() -> None:
    import datetime as dt

    from klantbeheer.data.i18n import number_text

    day = dt.date(2026, 3, 9)
    assert [date_text(day) for code in ("nl", "fr", "en") if set_language(code) is None] == ["09-03-2026", "09/03/2026", "09/03/2026"]
    assert [number_text(12345) for code in ("nl", "fr", "en") if set_language(code) is None] == ["12.345", "12\u202f345", "12,345"]


def test_the_browser_sessions_get_the_language_of_serve() -> None:
    from klantbeheer.tui.serve import app_command

    assert app_command("/tmp/kb.db", language="fr").endswith("--web --language fr")  # issue 25: no --operator
    assert "--language" not in app_command("/tmp/kb.db")


def test_staff_languages_own_and_others(db_path: str) -> None:
    added = staff.add("marie", "Marie", "medewerker", "admin", language="fr_BE")
    assert added["language"] == "fr"
    assert staff.set_language("mw", "en-GB", "mw")["language"] == "en"  # anyone for themselves
    with pytest.raises(NotPermitted):
        staff.set_language("admin", "fr", "mw")  # a medewerker not for others
    assert staff.set_language("mw", "auto", "admin")["language"] == ""  # a beheerder for anyone; auto = environment
    with pytest.raises(BadInput, match="Onbekende taal"):
        staff.set_language("mw", "de", "admin")
    assert {p["username"]: p["language"] for p in staff.all_staff()} == {"admin": "", "marie": "fr", "mw": ""}


@pytest.fixture
def cli_db(db_path: str) -> str:
    """A database with the demo data, beheerder 'admin' and medewerker 'mw' (no language stored)."""
    from klantbeheer.data import demo

    demo.load_demo("admin")
    return db_path


def test_the_command_line_speaks_the_environment_the_stored_choice_and_the_option(cli_db: str) -> None:
    block = ("block", "123", "--reason", "Wanbetaling")
    french = run(*block, db=cli_db, LANG="fr_BE.UTF-8")
    assert (french.returncode, french.stderr.strip()) == (4, FRENCH_REFUSAL)
    assert run(*block, db=cli_db, LANG="C.UTF-8").stderr.strip() == DUTCH_REFUSAL
    helped = run("--help", db=cli_db, LC_ALL="fr_BE.UTF-8")
    assert helped.stdout.startswith("utilisation\u00a0: klantbeheer") and "chercher des clients" in helped.stdout
    stored = run("staff", "language", "mw", "fr", db=cli_db, operator="mw", LANG="en_US.UTF-8")
    assert (stored.returncode, stored.stdout.strip()) == (0, "Language of mw: fr.")  # said before the choice counts
    server_default = run(*block, db=cli_db, LANG="en_US.UTF-8")
    assert server_default.stderr.strip() == FRENCH_REFUSAL  # the stored choice beats the server's en_US
    assert run("--help", db=cli_db, LANG="en_US.UTF-8").stdout.startswith("utilisation\u00a0:")  # before the log-in too
    once = run("--language", "en", *block, db=cli_db, LANG="fr_BE.UTF-8")
    assert once.stderr.strip() == ENGLISH_REFUSAL  # --language beats both, for one run
    listed = json.loads(run("staff", "list", "--json", db=cli_db, operator="admin").stdout)
    assert {p["username"]: p["language"] for p in listed} == {"admin": "", "mw": "fr"}
    refused = run("staff", "language", "admin", "fr", db=cli_db, operator="mw")
    assert refused.returncode == 4 and "la langue d'un autre utilisateur" in refused.stderr
    typo = run("demo", "--customers", "x", db=cli_db, LANG="fr_BE.UTF-8")  # argparse's own words, and the type name
    assert (typo.returncode, typo.stderr.strip()) == (2, "Commande non valable\u00a0: argument --customers\u00a0: valeur non "
                                                      "valable 'x' (nombre entier attendu). Voir «\u00a0python app.py --help\u00a0».")
    wrong = run("--language", "de", "search", "x", db=cli_db, LANG="C.UTF-8")
    assert (wrong.returncode, wrong.stderr.strip()) == (2, "Onbekende taal: 'de' (kies nl, fr, en of auto).")


def test_staff_add_takes_a_language(cli_db: str) -> None:
    added = run("staff", "add", "marie", "--role", "medewerker", "--language", "fr", "--json", db=cli_db, operator="admin",
                LANG="C.UTF-8")
    assert json.loads(added.stdout)["language"] == "fr"
    refused = run("block", "123", "--reason", "Wanbetaling", db=cli_db, operator="marie", LANG="en_US.UTF-8")
    assert refused.stderr.strip() == FRENCH_REFUSAL


def test_a_medewerker_changes_their_own_language_through_their_postgresql_role() -> None:
    """m0011 lets klantbeheer_medewerker update staff.language: the medewerker's own login does it, not for others."""
    env = {key: value for key, value in os.environ.items() if key not in ENVIRONMENT}
    with medewerker_login("kb_lang") as (_url, as_mw):
        login = urlsplit(as_mw).username

        def as_medewerker(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, str(ROOT / "app.py"), *args, "--db", as_mw], capture_output=True,
                                  text=True, cwd=ROOT, env=env, timeout=120)

        done = as_medewerker("staff", "language", login, "fr")
        assert (done.returncode, done.stdout.strip()) == (0, f"Taal van {login}: fr."), done.stderr
        assert as_medewerker("staff", "language", "admin", "fr").returncode == 4
        refusal = as_medewerker("block", "1", "--reason", "Wanbetaling")
        assert refusal.stderr.startswith("Seul un gestionnaire"), refusal.stderr


async def test_the_palette_changes_the_language_at_once_and_remembers_it(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await burst(pilot, "ctrl+p", *keys_of("Taal Fran"))
        await app_until(pilot, lambda: "Fran" in first_option(app))  # the palette searches in the background
        await burst(pilot, "enter")
        await app_until(pilot, lambda: language() == "fr" and type(app.screen).__name__ == "CustomerSearchScreen")
        assert app.screen.query_one("#search").placeholder == _("Zoek op naam, nummer, BTW-nummer, gemeente, externe ref.…")
        assert app.screen.query_one("#search").placeholder.startswith("Cherchez par nom")
    assert {p["username"]: p["language"] for p in staff.all_staff()}["admin"] == "fr"


async def test_the_kiosk_comes_back_to_the_operators_language_after_the_idle_reset(demo_db: str) -> None:
    staff.set_language("mw", "en", "admin")
    # The idle time is long enough that the Dutch screen is seen before the reset on a loaded machine too.
    app = make_app(demo_db, "mw", kiosk=True, idle_seconds=15.0, warn_seconds=1.0)
    assert language() == "en"
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await burst(pilot, "ctrl+p", *keys_of("Nederlands"))
        await app_until(pilot, lambda: "Nederlands" in first_option(app))
        assert isinstance(app.screen, CommandPalette)
        await burst(pilot, "enter")  # "My language: Nederlands", for this session only
        await app_until(pilot, lambda: language() == "nl")
        await app_until(pilot, lambda: app.screen.query_one("#search").placeholder.startswith("Zoek op naam"))
        await app_until(pilot, lambda: language() == "en", timeout=60)  # the idle reset
        await app_until(pilot, lambda: app.screen.query("#search") and app.screen.query_one("#search").placeholder.startswith("Search by"))
    assert {p["username"]: p["language"] for p in staff.all_staff()}["mw"] == "en"  # a kiosk choice is not stored
