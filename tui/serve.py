"""The browser version: serve the same app through textual-serve, with only local files and a log-in of its own."""
from __future__ import annotations

import ipaddress
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from klantbeheer.data.errors import BadInput, KlantbeheerError
from klantbeheer.data.i18n import _

TEMPLATES = Path(__file__).parent / "web"
"""Our copy of textual-serve's page: fonts from its own static files, no Google Fonts link."""

APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"


class ServeUnavailable(KlantbeheerError):
    """textual-serve (the optional 'serve' extra) is not installed."""

    exit_code = 1
    kind = "not_installed"


@dataclass(frozen=True)
class ServeOptions:
    """Where and how the browser version listens, and its limits."""

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None  # the address browsers use (behind a reverse proxy): https://…
    max_sessions: int = 20
    idle_minutes: float = 15


def app_command(db: str | None, *, kiosk: bool = False, idle_minutes: int = 5, language: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session: the app with its log-in screen (--web)."""
    parts = [sys.executable, str(APP_SCRIPT)]
    if db:
        parts += ["--db", db]
    parts += ["--web"]
    if language:
        parts += ["--language", language]
    if kiosk:
        parts += ["--kiosk", "--idle-minutes", str(idle_minutes)]
    return shlex.join(parts)


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]").casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_url(options: ServeOptions) -> str:
    """The one URL browsers may come from; refuses a public --host without --public-url https://… (BadInput)."""
    if options.max_sessions < 1:
        raise BadInput(_("--max-sessions is minstens 1."))
    if not options.idle_minutes > 0:
        raise BadInput(_("--idle-minutes is groter dan 0."))
    if options.public_url is not None:
        parts = urlsplit(options.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise BadInput(_("--public-url is een adres als https://klanten.example, zonder vraagteken of #."))
        if not is_loopback(options.host) and parts.scheme != "https":
            raise BadInput(_("Op een ander adres dan 127.0.0.1 luistert serve alleen met --public-url https://… "
                             "(een reverse proxy met TLS ervoor)."))
        return options.public_url.rstrip("/")
    if not is_loopback(options.host):
        raise BadInput(_("Op een ander adres dan 127.0.0.1 luistert serve alleen met --public-url https://… "
                         "(een reverse proxy met TLS ervoor)."))
    host = f"[{options.host}]" if ":" in options.host else options.host
    return f"http://{host}:{options.port}"


def serve(command: str, options: ServeOptions) -> int:
    """Run the web server until interrupted; every browser tab gets its own app process, after the checks."""
    url = served_url(options)
    try:
        from klantbeheer.tui.web_server import KlantbeheerServer
    except ImportError:
        raise ServeUnavailable(
            _("De browserversie vraagt het extra pakket textual-serve: pip install -e '.[serve]'.")
        ) from None
    if not is_loopback(options.host):
        sys.stderr.write(_("Let op: serve luistert op {host}, dus ook voor andere computers; "
                           "alleen browsers van {url} worden aanvaard.").format(host=options.host, url=url) + "\n")
    server = KlantbeheerServer(command, options, url, TEMPLATES)
    server.serve()
    return 0
