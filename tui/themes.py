"""Theme choice: follow a few-colour terminal's own palette; remember each operator's choice."""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_config_dir
from textual.filter import Monochrome, NoColor
from textual.theme import BUILTIN_THEMES, Theme

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "textual-dark"
"""The theme on a terminal that reports 256 colours or more."""

TERMINAL_PALETTE_THEME = "ansi-dark"
"""Textual's theme that uses the terminal's own ANSI colours (native, no RGB conversion)."""

VISIBLE_ON_BLACK = {"border-blurred": "ansi_bright_black"}
"""Textual's ANSI themes draw a field's border, when it has no focus, and the tab bar's line in
ansi_black: black on a black terminal, so the layout vanished. Bright black (grey) keeps them visible."""

SETTINGS_ENV = "KLANTBEHEER_SETTINGS"
"""Environment variable naming the settings file (else settings.json in the user config dir)."""


def few_colours(environ: Mapping[str, str]) -> bool:
    """True when the terminal reports no colour wish or fewer than 256 colours."""
    if "NO_COLOR" in environ:
        return True
    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "").lower()
    if forced in {"standard", "windows"}:
        return True
    if forced in {"256", "truecolor"}:
        return False
    if environ.get("COLORTERM", "").lower() in {"truecolor", "24bit"}:
        return False
    term = environ.get("TERM", "").lower()
    return not any(mark in term for mark in ("256color", "truecolor", "direct"))


def terminal_palette_themes() -> list[Theme]:
    """Textual's ANSI themes with the decorations that vanished on a black terminal made visible (same names)."""
    themes = []
    for name in ("ansi-dark", "ansi-light"):
        base = BUILTIN_THEMES[name]
        variables = dict(base.variables) | (VISIBLE_ON_BLACK if base.dark else {})
        themes.append(dataclasses.replace(base, variables=variables))
    return themes


def settings_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where the small settings file lives (override with KLANTBEHEER_SETTINGS)."""
    environ = os.environ if environ is None else environ
    configured = environ.get(SETTINGS_ENV)
    if configured:
        return Path(configured)
    return Path(user_config_dir("klantbeheer", appauthor=False)) / "settings.json"


def _read(path: Path) -> dict[str, Any]:
    """The settings as a dict; an absent or unreadable file counts as empty."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def saved_theme(operator: str, path: Path | None = None) -> str | None:
    """The theme this operator chose last time, if any."""
    themes = _read(path or settings_file()).get("themes", {})
    choice = themes.get(operator) if isinstance(themes, dict) else None
    return choice if isinstance(choice, str) and choice else None


def save_theme(operator: str, theme: str, path: Path | None = None) -> bool:
    """Remember an operator's theme (atomic replace); False when the file cannot be written."""
    path = path or settings_file()
    settings = _read(path)
    themes = settings.get("themes")
    if not isinstance(themes, dict):
        themes = {}
    themes[operator] = theme
    settings["themes"] = themes
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(settings, stream, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except OSError:
        return False
    return True


def choose_theme(operator: str, available: set[str] | frozenset[str], environ: Mapping[str, str] | None = None,
                 path: Path | None = None) -> str:
    """The theme to start with: TEXTUAL_THEME, else the operator's choice, else by the terminal's colours."""
    environ = os.environ if environ is None else environ
    forced = environ.get("TEXTUAL_THEME", "")
    for name in (part.strip() for part in forced.split(",")):
        if name in available:
            return name
    remembered = saved_theme(operator, path or settings_file(environ))
    if remembered in available:
        return remembered
    return TERMINAL_PALETTE_THEME if few_colours(environ) else DEFAULT_THEME


def match_no_color_filter(app: App) -> None:
    """Under NO_COLOR, strip colours in the way that suits the theme now shown (Textual picks once, at start).

    Textual chooses its NO_COLOR filter when the App is built, for the default theme: Monochrome,
    which turns RGB colours into greys. The app then switches to the terminal-palette theme, whose
    "default" colours Monochrome turns into black on black. With an ANSI theme the right filter is
    NoColor (the terminal's own default foreground on its default background; reverse and bold
    stay, and app.tcss uses them for focus and selection under :nocolor).
    """
    if not app.no_color:
        return
    wanted = NoColor if app.native_ansi_color else Monochrome
    filters = app._filters  # Textual has no public setter; tests/test_no_colour.py checks the real output
    for index, line_filter in enumerate(filters):
        if isinstance(line_filter, (NoColor, Monochrome)) and not isinstance(line_filter, wanted):
            filters[index] = wanted()
    app.refresh(layout=True)
