"""Few colours and none: the theme follows the terminal, the operator's choice is kept, markers stay text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from klantbeheer.data import customers
from klantbeheer.tui import themes
from klantbeheer.tui.app import KlantbeheerApp
from tests.support.apps import make_app
from tests.support.form_helpers import wait_until
from tests.support.search_screen_helpers import first_option

ALL_THEMES = frozenset({"textual-dark", "textual-light", "nord", "ansi-dark", "ansi-light"})


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No colour settings from the machine running the tests; settings in the test's own directory."""
    for name in ("NO_COLOR", "COLORTERM", "TEXTUAL_THEME", "TEXTUAL_COLOR_SYSTEM"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "config" / "settings.json"
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(path))
    return path


def screen_text(app: KlantbeheerApp) -> str:
    """Everything the screen shows, as plain text (what a person without colour reads)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM": "xterm-256color"}, "textual-dark"),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, "textual-dark"),
        ({"TERM": "xterm", "COLORTERM": "24bit"}, "textual-dark"),
        ({"TERM": "xterm"}, "ansi-dark"),
        ({"TERM": "linux"}, "ansi-dark"),
        ({"TERM": "vt100"}, "ansi-dark"),
        ({}, "ansi-dark"),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, "ansi-dark"),
        ({"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": ""}, "ansi-dark"),
        ({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "truecolor"}, "textual-dark"),  # textual-serve's browser
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, "ansi-dark"),
        ({"TERM": "xterm", "TEXTUAL_THEME": "nord"}, "nord"),
    ],
)
def test_theme_follows_the_terminal(environ: dict[str, str], expected: str, tmp_path: Path) -> None:
    """Few colours (or NO_COLOR) give the terminal's own palette; 256 colours or more the default theme."""
    assert themes.choose_theme("jan", ALL_THEMES, environ, tmp_path / "none.json") == expected


def test_remembered_choice_per_operator(tmp_path: Path) -> None:
    """An operator's saved theme wins over the terminal default; other operators keep theirs."""
    path = tmp_path / "sub" / "settings.json"
    assert themes.save_theme("jan", "nord", path)
    assert themes.save_theme("mw", "textual-light", path)
    assert themes.choose_theme("jan", ALL_THEMES, {"TERM": "xterm"}, path) == "nord"
    assert themes.choose_theme("mw", ALL_THEMES, {"TERM": "xterm"}, path) == "textual-light"
    assert themes.choose_theme("admin", ALL_THEMES, {"TERM": "xterm"}, path) == "ansi-dark"
    assert json.loads(path.read_text())["themes"] == {"jan": "nord", "mw": "textual-light"}


def test_unknown_or_broken_settings_are_ignored(tmp_path: Path) -> None:
    """A theme that no longer exists, or a damaged file, falls back to the terminal default."""
    path = tmp_path / "settings.json"
    path.write_text('{"themes": {"jan": "gone-theme"}}')
    assert themes.choose_theme("jan", ALL_THEMES, {"TERM": "xterm-256color"}, path) == "textual-dark"
    path.write_text("{not json")
    assert themes.choose_theme("jan", ALL_THEMES, {"TERM": "xterm"}, path) == "ansi-dark"
    assert themes.save_theme("jan", "nord", path)
    assert themes.saved_theme("jan", path) == "nord"


async def test_theme_picked_in_the_palette_is_remembered(db_path: str, clean_environment: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing a theme through the command palette is stored and used at the operator's next start."""
    monkeypatch.setenv("TERM", "xterm-256color")
    app = make_app(db_path, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press(*"thema")
        await wait_until(pilot, lambda: first_option(app).startswith("Thema"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: first_option(app) != "" and not first_option(app).startswith("Thema"))
        await pilot.press(*"nord")
        await wait_until(pilot, lambda: first_option(app) == "nord")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not CommandPalette.is_open(app))
        assert app.theme == "nord"
    assert themes.saved_theme("mw", clean_environment) == "nord"
    again = make_app(db_path, "mw")
    assert again.theme == "nord"
    other = make_app(db_path, "admin")
    assert other.theme == "textual-dark"


@pytest.mark.parametrize("environ", [{"NO_COLOR": "1", "TERM": "xterm-256color"}, {"TERM": "xterm"}])
async def test_blocked_marker_is_text_without_colour(demo_db: str, environ: dict[str, str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR or a 16-colour terminal, a blocked customer reads GEBLOKKEERD on the search screen."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    blocked = customers.search("Peeters Transport", blocked_only=True)
    assert blocked, "the demo data should have the blocked customer Peeters Transport BV"
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"
        assert app.no_color is ("NO_COLOR" in environ)
        app.screen.query_one("#search", Input).focus()
        await pilot.press(*"Peeters Transport")
        await wait_until(pilot, lambda: "GEBLOKKEERD" in screen_text(app), timeout=30)
        text = screen_text(app)
    row = next((line for line in text.splitlines() if str(blocked[0]["number"]) in line), "")
    assert "Peeters Transp" in row and "GEBLOKKEERD" in row, text
