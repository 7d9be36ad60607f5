"""`python app.py serve`: the app in a browser through textual-serve, with no file from the internet."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

pytest.importorskip("textual_serve", reason="the optional 'serve' extra (textual-serve) is not installed")

from klantbeheer.data import passwords
from tests.support.serve_helpers import free_port, read_until, serving, type_keys

REPO = Path(__file__).resolve().parent.parent
# HTML attributes (src="...", href="...") and CSS url(...) / @import: what a browser would load.
REFERENCE = re.compile(r"""\b(?:src|href)=["']([^"']+)["']|\burl\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""")


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of a GET."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def references(text: str) -> list[str]:
    """Every URL a page or style sheet loads (src, href, url(), @import)."""
    return [next(group for group in match.groups() if group) for match in REFERENCE.finditer(text)]


ADMIN_PASSWORD = "admin-wachtwoord-1"


@pytest.fixture
def served(db_path: str) -> Iterator[str]:
    """`python app.py serve` on a free port (admin has a password); yields its base URL and stops it afterwards."""
    passwords.set_password("admin", ADMIN_PASSWORD, "admin")
    with serving(db_path) as (base, _process):
        yield base


def test_serve_page_uses_only_its_own_files(served: str) -> None:
    """The page answers 200 and every script, style sheet and font it loads comes from the server itself."""
    status, body = fetch(served + "/")
    assert status == 200
    page = body.decode("utf-8")
    assert "<title>Klantbeheer</title>" in page
    assert 'data-session-websocket-url="ws://127.0.0.1:' in page
    own_host = urlparse(served).netloc
    loaded = references(page)
    assert any(url.endswith("js/textual.js") for url in loaded), loaded
    assert any("fonts/RobotoMono" in url for url in loaded), loaded
    checked = 0
    for url in loaded:
        absolute = urljoin(served + "/", url)
        parsed = urlparse(absolute)
        assert parsed.scheme in {"http", "https"} and parsed.netloc == own_host, f"loads from elsewhere: {url}"
        status, content = fetch(absolute)
        assert status == 200 and len(content) > 1000, url
        if absolute.endswith(".css"):
            for inner in references(content.decode("utf-8", errors="replace")):
                if not inner.startswith("data:"):
                    assert urlparse(urljoin(absolute, inner)).netloc == own_host, f"{url} loads {inner}"
        checked += 1
    assert checked >= 3


def test_serve_script_fetches_nothing_from_the_internet(served: str) -> None:
    """textual.js itself has no http(s) address it could load at run time (comments aside)."""
    _, body = fetch(served + "/static/js/textual.js")
    script = body.decode("utf-8", errors="replace")
    script = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    loads = re.findall(r"""(?:fetch|import|importScripts|new\s+WebSocket|new\s+Worker)\s*\(\s*["'](https?://[^"']+)""", script)
    assert loads == []
    assert "fonts.googleapis" not in script and "fonts.gstatic" not in script


def test_serve_without_textual_serve_is_one_dutch_sentence(db_path: str, tmp_path: Path) -> None:
    """Without the extra installed, serve stops with one Dutch sentence, not a traceback."""
    blocker = tmp_path / "textual_serve"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('not installed in this test')\n")
    environment = dict(os.environ, PYTHONPATH=str(tmp_path))
    done = subprocess.run(
        [sys.executable, str(REPO / "app.py"), "serve", "--db", db_path, "--port", str(free_port())],
        cwd=REPO, capture_output=True, text=True, env=environment, timeout=60,
    )
    assert done.returncode == 1
    assert "textual-serve" in done.stderr and "Traceback" not in done.stderr


async def test_browser_session_runs_the_app(served: str) -> None:
    """A browser's websocket (from the served page's origin) gets the real app: log in, then the search screen."""
    import aiohttp

    async with aiohttp.ClientSession() as client:
        async with client.ws_connect(served.replace("http://", "ws://") + "/ws?width=80&height=24",
                                     headers={"Origin": served}) as socket_:
            await read_until(socket_, "Wachtwoord")
            await type_keys(socket_, "admin", "\r", ADMIN_PASSWORD, "\r")
            painted = await read_until(socket_, "Beheer › Derde partijen › Klanten")
    assert ADMIN_PASSWORD not in painted  # the password field shows no password
