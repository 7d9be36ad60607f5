"""Counts in gettext plural forms, French typography, the palette hint and the browser page in each language
(issue 29, point 9).

Before: "1 klant(en) geëxporteerd", "Nom: ABC" in French, a French palette hint naming Dutch commands ("thema",
"filter") and a browser page that said "Starten" in every language.
"""
from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from textual.command import CommandPalette

from klantbeheer.data.i18n import _, set_language
from tests.support.apps import make_app
from tests.support.search_screen_helpers import first_option
from tests.support.typeahead_helpers import burst, keys_of
from tests.support.waiting import app_until
from tests.test_catalogues import forms

REPO = Path(__file__).resolve().parent.parent
BRACKET_PLURAL = re.compile(r"\w\((?:en|s|e|es|x)\)")  # klant(en), client(s), nouveau(x)
NO_BREAK = "\u00a0"


@pytest.fixture(autouse=True)
def dutch_afterwards():
    """Tests here change the process's language: Dutch again for the next test."""
    yield
    set_language("nl")


@pytest.mark.parametrize("language", ["fr_BE", "en"])
def test_no_text_writes_a_plural_in_brackets(language: str) -> None:
    bracketed = [(msgid, text) for _key, msgid, text in forms(language) if BRACKET_PLURAL.search(msgid + " " + text)]
    assert bracketed == []


def cli(db: str, language: str, *args: str) -> str:
    """The real command line, in `language`; its standard output and error together."""
    done = subprocess.run([sys.executable, str(REPO / "app.py"), "--db", db, "--operator", "admin", "--language", language,
                           *args], capture_output=True, text=True, timeout=120, cwd=REPO)
    return done.stdout + done.stderr


@pytest.mark.parametrize(("language", "one", "two"), [
    ("nl", "1 klant geëxporteerd naar", "N klanten geëxporteerd naar"),
    ("fr", "1 client exporté vers", "N clients exportés vers"),
    ("en", "1 customer exported to", "N customers exported to"),
])
def test_an_export_counts_in_the_languages_own_plural(demo_db: str, tmp_path: Path, language: str, one: str,
                                                      two: str) -> None:
    single = cli(demo_db, language, "export", str(tmp_path / "one.csv"), "--search", "ABC")
    assert one in single, single
    several = cli(demo_db, language, "export", str(tmp_path / "several.csv"), "--search", "Peeters")
    assert re.search(rf"\b([2-9]|\d\d+) {re.escape(two.split(' ', 1)[1])}", several), several
    assert "(s)" not in several and "(en)" not in several


def test_french_puts_a_no_break_space_before_the_colon(demo_db: str) -> None:
    shown = cli(demo_db, "fr", "show", "123")
    assert f"Nom{NO_BREAK}:" in shown and "Nom:" not in shown, shown
    refused = cli(demo_db, "fr", "update", "123", "--set", "email=nergens")
    assert f"{NO_BREAK}:" in refused and not re.search(r"\w: ", refused.split("\n")[0]), refused
    assert "Naam:" in cli(demo_db, "nl", "show", "123")


# language -> the words the palette hint names after its first item (a customer)
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
async def test_every_word_of_the_palette_hint_finds_its_command(demo_db: str, language: str) -> None:
    app = make_app(demo_db, "admin", language=language)
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        hint = _("Typ: een klant, filter, importeren, exporteren, thema, taal")
        words = [word.strip() for word in re.split(r"\s?:\s", hint, maxsplit=1)[1].split(",")[1:]]
        assert len(words) == 5, hint
        for word in words:
            await burst(pilot, "ctrl+p", *keys_of(word))
            await app_until(pilot, lambda: CommandPalette.is_open(app) and first_option(app) != "",
                            what=f"a palette option for {word!r}")
            first = first_option(app).replace(NO_BREAK, " ").casefold()
            assert word.casefold() in first, f"{language}: the hint says {word!r}, the palette offers {first!r}"
            await burst(pilot, "escape")
            await app_until(pilot, lambda: not CommandPalette.is_open(app), what="the palette closed")


@pytest.mark.parametrize(("language", "words"), [
    ("nl", ('lang="nl"', ">Starten<", ">Sessie beëindigd.<", ">Opnieuw starten<")),
    ("fr", ('lang="fr"', ">Démarrer<", ">Session terminée.<", ">Redémarrer<")),
    ("en", ('lang="en"', ">Start<", ">Session ended.<", ">Start again<")),
])
def test_the_browser_page_speaks_the_servers_language(db_path: str, language: str, words: tuple[str, ...]) -> None:
    pytest.importorskip("textual_serve", reason="the optional 'serve' extra (textual-serve) is not installed")
    from tests.support.serve_helpers import serving

    with serving(db_path, before=("--language", language)) as (base, _process):
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
    missing = [word for word in words if word not in page]
    assert missing == [], page[-2000:]
