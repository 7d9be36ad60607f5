"""The browser version: serve the same app through textual-serve, with only local files."""
from __future__ import annotations

import shlex
import sys
from pathlib import Path

from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import _

TEMPLATES = Path(__file__).parent / "web"
"""Our copy of textual-serve's page: fonts from its own static files, no Google Fonts link."""

APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"


class ServeUnavailable(KlantbeheerError):
    """textual-serve (the optional 'serve' extra) is not installed."""

    exit_code = 1
    kind = "not_installed"


def app_command(db: str | None, operator: str, kiosk: bool = False, idle_minutes: int = 5, language: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session (same interpreter, same app.py)."""
    parts = [sys.executable, str(APP_SCRIPT)]
    if db:
        parts += ["--db", db]
    parts += ["--operator", operator]
    if language:
        parts += ["--language", language]
    if kiosk:
        parts += ["--kiosk", "--idle-minutes", str(idle_minutes)]
    return shlex.join(parts)


def serve(command: str, host: str = "127.0.0.1", port: int = 8000, public_url: str | None = None) -> int:
    """Run the web server until interrupted; every browser tab gets its own app process."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeUnavailable(
            _("De browserversie vraagt het extra pakket textual-serve: pip install -e '.[serve]'.")
        ) from None
    server = Server(
        command,
        host=host,
        port=port,
        title="Klantbeheer",
        public_url=public_url,
        templates_path=TEMPLATES,
    )
    server.serve()
    return 0
