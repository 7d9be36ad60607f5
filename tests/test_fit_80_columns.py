"""Nothing cut at 80 columns (issue 29, point 7): the F1 help, the reference lists' labels, the CLI's search lines.

The help and the lists are rendered by the real app at 80 columns in Dutch, French and English (taller than 24
rows so that every line of the help is on screen at once: the width is what is tested). `search` runs as a
real process on a real pseudo-terminal 80 columns wide, and piped.
"""
from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList

from klantbeheer.data import customers, lists
from klantbeheer.data.i18n import _, set_language
from klantbeheer.tui.screens.help import HelpScreen
from tests.support.apps import make_app
from tests.support.form_helpers import wait_form
from tests.support.typeahead_helpers import burst, keys_of, settle_keys
from tests.support.waiting import app_until

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["nl", "fr", "en"]
WORD = re.compile(r"[^\s]+")
SHOWN = 8  # the first entries of each list: on screen at 80x24 even when each takes two lines


@pytest.fixture(autouse=True)
def dutch_afterwards() -> Iterator[None]:
    """The app sets the process's language; later tests expect Dutch again."""
    yield
    set_language("nl")


def screen_text(app) -> str:
    """The top screen as rendered, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def words_cut_in_help(pilot) -> list[str]:
    """F1 on the current screen: the words of its help that are not shown whole (a cut word shows as a prefix)."""
    await burst(pilot, "f1")
    await app_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="the F1 help")
    help_screen = pilot.app.screen
    await app_until(pilot, lambda: help_screen.entries[-1].description.split()[0] in screen_text(pilot.app), what="help rows")
    shown = set(WORD.findall(screen_text(pilot.app)))
    wanted = {word for entry in help_screen.entries for word in WORD.findall(entry.description)}
    await burst(pilot, "escape")
    return sorted(wanted - shown)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_f1_line_shows_whole_at_80_columns(demo_db: str, language: str) -> None:
    app = make_app(demo_db, language=language)
    async with app.run_test(notifications=True, size=(80, 60)) as pilot:
        await settle_keys(pilot)
        assert await words_cut_in_help(pilot) == [], "search screen"
        await burst(pilot, "f9")
        await app_until(pilot, lambda: type(app.screen).__name__ == "ReferenceListsScreen", what="the lists")
        assert await words_cut_in_help(pilot) == [], "reference lists"
        await burst(pilot, "escape", "f3")
        await app_until(pilot, lambda: type(app.screen).__name__ == "NewDossierScreen", what="new dossier")
        assert await words_cut_in_help(pilot) == [], "new dossier"
        await burst(pilot, "escape", "f2", *keys_of("123"), "enter")
        await wait_form(pilot)
        assert await words_cut_in_help(pilot) == [], "customer form"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_reference_list_label_shows_whole_at_80_columns(demo_db: str, language: str) -> None:
    """Every list of the seed, one after the other: each entry's label (in the operator's language) on one line, whole."""
    app = make_app(demo_db, language=language)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle_keys(pilot)
        await burst(pilot, "f9")
        await app_until(pilot, lambda: type(app.screen).__name__ == "ReferenceListsScreen", what="the lists")
        names = app.screen.query_one("#list_names", OptionList)
        cut = []
        for index, item in enumerate(lists.overview()):
            if index:
                await burst(pilot, "down")
            title = item["title"]  # already in the app's language
            await app_until(pilot, lambda: names.highlighted == index and f"{title} ·" in screen_text(app), what=title)
            column = label_column(screen_text(app))
            cut += [f"{item['list']}: {entry['label']}" for entry in item["entries"][:SHOWN] if entry["label"] not in column]
        assert cut == []


def label_column(text: str) -> str:
    """The Benaming column of the entries table read top to bottom, a label wrapped over lines joined again."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if _("Code") in line and _("Benaming") in line)
    start = lines[header].index(_("Benaming"))
    return " ".join(line[start:].strip() for line in lines[header + 1:] if line[start:].strip())


def run_on_terminal(args: list[str], columns: int) -> str:
    """Run the app's command line with stdout on a real pseudo-terminal `columns` wide; what it printed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the other end closed: the process is done
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    process = subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, env=env, stdout=slave, stderr=subprocess.PIPE,
                             timeout=120)
    os.close(slave)
    reader.join(timeout=30)
    os.close(master)
    assert process.returncode == 0, process.stderr.decode()
    return b"".join(chunks).decode().replace("\r\n", "\n")


def blocked_numbers() -> set[str]:
    """The numbers of the demo's blocked customers."""
    return {str(row["number"]) for row in customers.search("", 1000, True)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_fits_an_80_column_terminal(demo_db: str, language: str) -> None:
    output = run_on_terminal(["--language", language, "search", "a", "--limit", "60", "--db", demo_db, "--operator", "admin"], 80)
    lines = output.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if len(line) > 80] == []
    set_language(language)
    by_number = {line.split()[0]: line for line in lines}  # every customer number whole, first on its line
    found = {str(row["number"]) for row in customers.search("a", 60, False)}
    assert set(by_number) == found
    blocked = found & blocked_numbers()
    assert blocked and all(by_number[number].endswith(" " + _("GEBLOKKEERD")) for number in blocked)


def test_search_keeps_its_full_width_when_piped(demo_db: str) -> None:
    piped = subprocess.run([sys.executable, "app.py", "search", "a", "--limit", "60", "--db", demo_db, "--operator", "admin"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    assert max(len(line) for line in piped) > 100
    assert all(line.endswith("GEBLOKKEERD") for line in piped if len(line) == 112)
    assert "BE 0867.756.456" in next(line for line in piped if line.split()[0] == "123")
