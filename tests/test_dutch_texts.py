"""Dutch throughout: argparse's help and errors, Textual's own prompts, the PostgreSQL driver hint."""
from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Input

from tests.support.foundation_helpers import ROOT
from tests.support.search_screen_helpers import first_option, make_app
from tests.support.typeahead_helpers import burst, keys_of, settle_keys
from tests.support.waiting import app_until

ENGLISH = ["usage", "options", "positional arguments", "show this help", "error:", "required", "invalid choice",
           "unrecognized", "expected one argument"]
COMMANDS = [[], ["init"], ["demo"], ["search"], ["show"], ["block"], ["unblock"], ["delete"], ["new-dossier"],
            ["dossiers"], ["serve"], ["staff"], ["staff", "add"], ["backup"], ["check"], ["copy-to"], ["import"], ["export"]]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process."""
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "main")
def test_help_is_dutch(command: list[str]) -> None:
    done = run_cli(*command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("gebruik: ")
    assert "deze hulp tonen en stoppen" in done.stdout
    lowered = done.stdout.lower()
    assert [word for word in ENGLISH if word in lowered] == []


@pytest.mark.parametrize(("args", "dutch"), [
    (["search"], "verplicht maar niet opgegeven: TEKST"),
    (["search", "x", "--limit", "veel"], "ongeldige waarde 'veel' (geheel getal verwacht)"),
    (["bogus"], "ongeldige keuze 'bogus'"),
    (["search", "x", "--nope"], "onbekende argumenten: --nope"),
    (["staff", "add", "jan", "--role", "baas"], "ongeldige keuze 'baas'"),
])
def test_a_bad_command_line_is_one_dutch_sentence(args: list[str], dutch: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("Ongeldige opdracht: ") and dutch in done.stderr
    assert [word for word in ENGLISH if word in done.stderr.lower()] == []
    assert done.stderr.count("\n") == 1


def test_missing_postgresql_driver_says_how_to_install_it() -> None:
    probe = ("import sys; sys.modules['psycopg2'] = None; "
             "sys.argv = ['klantbeheer', 'search', 'x', '--db', 'postgresql://postgres@127.0.0.1:5432/postgres']; "
             "from klantbeheer import app; sys.exit(app.main())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode != 0
    assert "pip install 'klantbeheer[postgres]'" in done.stderr
    assert "driver not found" not in done.stderr and "Traceback" not in done.stderr


async def test_ctrl_c_answers_in_dutch(db_path: str) -> None:
    from textual.widgets._toast import Toast

    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle_keys(pilot)
        await burst(pilot, "ctrl+c")

        def shown() -> str:
            return " ".join(str(toast.render()) for toast in app.screen.query(Toast))

        await app_until(pilot, lambda: "Afsluiten doet u met Ctrl+Q." in shown(), timeout=30)
        shown = shown()
        assert "quit" not in shown.lower()


async def test_theme_picker_prompt_is_dutch(db_path: str) -> None:
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle_keys(pilot)
        await burst(pilot, "ctrl+p", *keys_of("thema"))
        await app_until(pilot, lambda: first_option(app).startswith("Thema"), timeout=30)
        await burst(pilot, "enter")
        await app_until(pilot, lambda: first_option(app) != "" and not first_option(app).startswith("Thema"), timeout=30)
        prompt = app.screen.query_one(Input)
        assert prompt.placeholder == "Zoek een thema…"
