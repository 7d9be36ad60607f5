"""The app as an office installs it: the built wheel in a fresh venv outside the checkout, driven from there.

The rest of the suite runs from an editable checkout, which hid a wheel without the customer form. Here the wheel
is built from the repository, installed (with its dependencies from the package registry) into a new venv in a
temporary directory, and the FAQ scenario runs in a real terminal from a directory that is not the checkout.
"""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.terminal import ROOT, Terminal
from tests.support.waiting import until

PIP_QUIET = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


@dataclass
class Installed:
    """A fresh venv holding the built wheel: its bin folder, the wheel, and a working directory outside the checkout."""

    bin: Path
    wheel: Path
    outside: Path

    def env(self) -> dict[str, str]:
        """A user's environment: own HOME and data folders, nothing of the checkout on the path."""
        home = self.outside / "home"
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
        environment.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_STATE_HOME=str(home / ".local/state"),
                           XDG_CACHE_HOME=str(home / ".cache"), PATH=f"{self.bin}:{os.environ.get('PATH', '')}", LANG="nl_BE.UTF-8")
        environment.pop("KLANTBEHEER_DB", None)
        return environment

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run the installed `klantbeheer` command from the directory outside the checkout."""
        return subprocess.run([str(self.bin / "klantbeheer"), *args], cwd=self.outside, env=self.env(),
                              capture_output=True, text=True, timeout=timeout)


def pip(python: Path, *args: str, cwd: Path) -> None:
    """Run pip in that venv; fail with pip's own output."""
    done = subprocess.run([str(python), "-m", "pip", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **PIP_QUIET}, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """Build the wheel from the checkout and install it, with the serve extra, into a fresh venv outside it."""
    base = tmp_path_factory.mktemp("wheel")
    assert not base.is_relative_to(ROOT)
    wheels = base / "dist"
    pip(Path(sys.executable), "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(ROOT), cwd=base)
    (wheel,) = wheels.glob("klantbeheer-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip(venv / "bin" / "python", "install", "--quiet", f"klantbeheer[serve] @ {wheel.as_uri()}", cwd=base)
    outside = base / "office"
    (outside / "home").mkdir(parents=True)
    yield Installed(venv / "bin", wheel, outside)


def test_the_wheel_holds_every_module_and_data_file_of_data_and_tui(installed: Installed) -> None:
    tracked = subprocess.run(["git", "ls-files", "data", "tui", "app.py"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    shipped = {name for name in zipfile.ZipFile(installed.wheel).namelist() if name.startswith("klantbeheer/")}
    expected = {f"klantbeheer/{path}" for path in tracked}
    assert expected - shipped == set()  # the customer form package (tui/screens/form) was missing once
    assert "klantbeheer/tui/screens/form/screen.py" in shipped
    assert {f"klantbeheer/docs/handleiding{kind}.md" for kind in ("", ".fr", ".en")} <= shipped  # F1, H in an installed app
    top_level = {name.split("/")[0] for name in zipfile.ZipFile(installed.wheel).namelist()}
    assert top_level == {"klantbeheer", installed.wheel.name.split("-py3")[0] + ".dist-info"}  # no top-level data/, tui/ or app.py
    assert any(name.endswith("licenses/LICENSE") for name in zipfile.ZipFile(installed.wheel).namelist())


def test_the_installed_package_is_imported_from_the_venv_not_the_checkout(installed: Installed) -> None:
    done = subprocess.run([str(installed.bin / "python"), "-c", "import klantbeheer.tui.screens.form.screen as m; print(m.__file__)"],
                          cwd=installed.outside, env=installed.env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(installed.bin.parent)


def test_the_installed_command_line_answers_from_outside_the_checkout(installed: Installed) -> None:
    version = installed.run("--version")
    assert version.returncode == 0 and version.stdout.startswith("klantbeheer "), version.stderr
    found = installed.run("--demo", "search", "ABC")
    assert found.returncode == 0, found.stderr
    assert "123" in found.stdout and "ABC" in found.stdout


def test_the_faq_scenario_in_a_real_terminal_with_the_installed_app(installed: Installed) -> None:
    """Open ABC's form, tick Geblokkeerd, save, F3: the blocked notice — all from the installed wheel."""
    env = installed.env()
    settings = {key: env[key] for key in ("HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "PATH", "LANG")}
    term = Terminal([str(installed.bin / "klantbeheer"), "--demo"], env=settings, cwd=installed.outside)
    try:
        term.wait_for("Laatst gewijzigde klanten", timeout=60)
        term.type("123")
        term.wait_for(" 123 ABC ")
        term.send("Enter")
        term.wait_for("Klant 123 · ABC · versie 1", timeout=60)  # the form package is in the wheel
        term.send("C-b")
        term.wait_for("Klant blokkeren: ABC")
        term.send("Enter")
        term.wait_for("Wanbetaling")
        term.send("Down", "Enter")
        term.wait_for("Reden *")
        term.send("C-s")
        term.wait_for("nog niet bewaard")
        term.send("C-s")
        term.wait_for("versie 2 · GEBLOKKEERD")
        term.send("F3")
        screen = term.wait_for("Deze klant is geblokkeerd")
        assert "Wanbetaling" in screen and "U kunt niet doorgaan met dit dossier." in screen
    finally:
        term.close()
    shown = installed.run("--demo", "show", "123")
    assert "Wanbetaling" in shown.stdout, shown.stdout + shown.stderr


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_installed_serve_gives_a_browser_session(installed: Installed) -> None:
    """`klantbeheer serve` from the venv: the page loads and a websocket session paints the app."""
    import aiohttp

    initialised = installed.run("--demo", "search", "ABC")
    assert initialised.returncode == 0, initialised.stderr
    port = free_port()
    process = subprocess.Popen([str(installed.bin / "klantbeheer"), "--demo", "serve", "--port", str(port)],
                               cwd=installed.outside, env=installed.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def answer() -> str:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    return response.read().decode()
            except OSError:
                return ""

        until(lambda: answer(), 60, "serve answering", running=process)
        page = answer()
        assert "<title>Klantbeheer</title>" in page

        async def painted() -> str:
            """What the app sends to a browser's websocket, until it shows the app's name."""
            seen = b""
            async with aiohttp.ClientSession() as client, client.ws_connect(
                    base.replace("http://", "ws://") + "/ws?width=80&height=24", headers={"Origin": base}) as ws:
                await ws.send_str('["stdin", ""]')
                end = time.monotonic() + 60
                while time.monotonic() < end and b"Klantbeheer" not in seen:
                    try:
                        message = await asyncio.wait_for(ws.receive(), 1)
                    except asyncio.TimeoutError:
                        continue
                    if message.type == aiohttp.WSMsgType.BINARY:
                        seen += message.data
                    elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
            return seen.decode(errors="replace")

        assert "Klantbeheer" in asyncio.run(painted())
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def test_pypi_tui_package_beside_klantbeheer_breaks_nothing(installed: Installed) -> None:
    """PyPI's `tui` (1.1.1) once overwrote our tui/__init__.py; under klantbeheer.tui it cannot."""
    done = subprocess.run([str(installed.bin / "python"), "-m", "pip", "install", "--quiet", "tui==1.1.1"],
                          capture_output=True, text=True, env={**os.environ, **PIP_QUIET}, timeout=600)
    if done.returncode != 0:
        pytest.skip(f"PyPI's tui package could not be installed here: {done.stderr.strip()[-300:]}")
    try:
        assert installed.run("--demo", "search", "ABC").returncode == 0
        checked = subprocess.run([str(installed.bin / "python"), "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout
    finally:
        subprocess.run([str(installed.bin / "python"), "-m", "pip", "uninstall", "--yes", "--quiet", "tui"], timeout=120)
    assert installed.run("--demo", "search", "ABC").returncode == 0  # uninstalling the other package took nothing of ours
