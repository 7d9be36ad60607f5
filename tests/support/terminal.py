"""A real terminal for tests: the app runs in tmux, keys go in with send-keys, the screen comes back with capture-pane."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.waiting import until
from tests.support.workers import unique_name

ROOT = Path(__file__).resolve().parents[2]
SETTLE_GAP_S = 0.2  # a screen unchanged between two captures this far apart has settled


def need_tmux() -> str:
    """tmux's path; the test fails (not skips) without it, because .ci/run installs it."""
    path = shutil.which("tmux")
    if path is None:
        pytest.fail("tmux is nodig voor de terminaltests (apt-get install tmux; .ci/run doet dat)")
    return path


class Terminal:
    """One tmux server of our own (its own socket) running one command in an 80x24 window."""

    def __init__(self, command: list[str], width: int = 80, height: int = 24, env: dict[str, str] | None = None,
                 cwd: Path = ROOT) -> None:
        self.tmux = need_tmux()
        self.socket = unique_name("kb-test")
        environment = {**os.environ}
        environment.pop("TMUX", None)
        # The variables go on the command line: tmux gives the program its own TERM otherwise.
        settings = [f"{name}={value}" for name, value in (env or {}).items()]
        shell_command = " ".join(_quote(part) for part in (["env", *settings] if settings else []) + command)
        subprocess.run(
            [self.tmux, "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
             shell_command],
            check=True, env=environment, cwd=cwd,
        )

    def _tmux(self, *args: str) -> str:
        """Run one tmux command against our server."""
        return subprocess.run([self.tmux, "-L", self.socket, *args], check=True, capture_output=True, text=True).stdout

    def send(self, *keys: str) -> None:
        """Send keys in ONE send-keys call: they reach the app as one burst, like an SSH packet."""
        self._tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        """Send literal text in one burst."""
        self._tmux("send-keys", "-t", "t", "-l", text)

    def screen(self, colours: bool = False) -> str:
        """The visible screen as text (with escape sequences for colours when asked)."""
        args = ["capture-pane", "-t", "t", "-p"] + (["-e"] if colours else [])
        return self._tmux(*args)

    def wait_for(self, text: str, timeout: float = 20.0, regex: bool = False) -> str:
        """Wait until `text` (or the regular expression) is on the screen; returns the screen."""
        seen = [""]

        def shown() -> bool:
            seen[0] = self.screen()
            return bool(re.search(text, seen[0]) if regex else text in seen[0])

        try:
            until(shown, timeout, f"{text!r} on screen")
        except AssertionError:
            raise AssertionError(f"{text!r} not on screen within {timeout} s:\n{seen[0]}") from None
        return seen[0]

    def settled(self, timeout: float = 20.0) -> str:
        """Wait until the screen (with colours) stops changing between two captures; returns it."""
        deadline = time.monotonic() + timeout
        last = self.screen(colours=True)
        while time.monotonic() < deadline:
            time.sleep(SETTLE_GAP_S)  # a time is the subject: unchanged over this gap counts as settled
            now = self.screen(colours=True)
            if now == last:
                return now
            last = now
        raise AssertionError(f"the screen kept changing for {timeout} s:\n{last}")

    def close(self) -> None:
        """Stop the tmux server and everything in it."""
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)


def _quote(part: str) -> str:
    """Shell-quote one word for tmux's command string."""
    import shlex

    return shlex.quote(part)


def app_command(db: str, *extra: str) -> list[str]:
    """The command that starts the app on `db` as operator admin."""
    return [sys.executable, str(ROOT / "app.py"), "--db", db, "--operator", "admin", *extra]
