"""Serving the app with OpenSSH alone: a real sshd, a forced command per key, the real ssh client in a pty."""
from __future__ import annotations

import fcntl
import getpass
import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from klantbeheer.data import staff
from tests.support.waiting import until
from tests.support.workers import free_port

REPO = Path(__file__).resolve().parent.parent
SEARCH_LOCATION = "Beheer › Derde partijen › Klanten"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOPZc]")

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)
pytestmark = pytest.mark.skipif(
    SSHD is None or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None,
    reason="OpenSSH (sshd, ssh, ssh-keygen) is not installed here; .ci/run installs the Debian package openssh-server",
)


def screen_text(raw: bytes) -> str:
    """The terminal output with escape sequences removed (text of every painted line)."""
    return ANSI.sub("", raw.decode("utf-8", errors="replace"))


def processes_using(marker: str) -> list[int]:
    """Process ids whose command line mentions `marker` (the test's own database path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class SshServer:
    """A throwaway OpenSSH server on 127.0.0.1 whose only key runs Klantbeheer in kiosk mode."""

    def __init__(self, home: Path, db: str, operator: str, kiosk: bool = True) -> None:
        self.home = home
        self.db = db
        self.port = free_port()
        self.user = getpass.getuser()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home / "sshd.log"
        self.client_key = home / "client_key"
        kiosk_flag = ["--kiosk"] if kiosk else []
        self.forced_command = shlex.join([sys.executable, str(REPO / "app.py"), *kiosk_flag, "--db", db, "--operator", operator])

    def prepare(self) -> None:
        """Host key, client key, authorized_keys with the forced command, and sshd_config."""
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(self.home / name)],
                           check=True, capture_output=True)
        public = (self.home / "client_key.pub").read_text().strip()
        escaped = self.forced_command.replace("\\", "\\\\").replace('"', '\\"')
        (self.home / "authorized_keys").write_text(f'restrict,pty,command="{escaped}" {public}\n')
        (self.home / "sshd_config").write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.home / 'host_key'}",
                    f"PidFile {self.home / 'sshd.pid'}",
                    f"AuthorizedKeysFile {self.home / 'authorized_keys'}",
                    "UsePAM no",
                    "StrictModes no",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    # Root may log in only with a key that has a forced command (tests run as root in CI).
                    "PermitRootLogin forced-commands-only",
                    f"AllowUsers {self.user}",
                    "PermitUserEnvironment no",
                    "DisableForwarding yes",
                    "LogLevel VERBOSE",
                    "",
                ]
            )
        )
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory

    def start(self) -> None:
        """Check the config, start sshd in the foreground, wait until it accepts connections."""
        config = str(self.home / "sshd_config")
        checked = subprocess.run([SSHD, "-t", "-f", config], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([SSHD, "-D", "-e", "-f", config], stdout=subprocess.DEVNULL,
                                        stderr=self.log.open("wb"), start_new_session=True)
        def listening() -> bool:
            assert self.process is not None and self.process.poll() is None, f"sshd stopped: {self.log.read_text()}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        until(listening, 30, f"sshd listening on {self.port}")

    def stop(self) -> None:
        """Stop sshd and any session it left behind."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        try:
            until(lambda: not processes_using(self.db), 10, "the sessions ended")
        except AssertionError:
            pass  # killed below
        for pid in processes_using(self.db):  # a forced command that outlived its session
            os.kill(pid, signal.SIGKILL)

    def connect(self, *remote_command: str) -> SshSession:
        """Run the real ssh client in a fresh pseudo-terminal of 80x24."""
        return SshSession(
            [
                "ssh", "-F", "/dev/null", "-tt",
                "-i", str(self.client_key), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={os.devnull}",
                "-o", "LogLevel=ERROR", "-p", str(self.port), f"{self.user}@127.0.0.1", *remote_command,
            ]
        )


class SshSession:
    """One ssh client process attached to a pty; collects everything the remote side paints."""

    def __init__(self, argv: list[str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        environment = {key: value for key, value in os.environ.items() if not key.startswith("SSH_")}
        environment.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=environment,
                                        start_new_session=True)
        os.close(slave)
        self.output = b""

    def read_until(self, *needles: str, timeout: float = 40) -> str:
        """Read output until every needle shows in the text (or the timeout), and return the text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = screen_text(self.output)
            if all(needle in text for needle in needles):
                return text
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the client closed the pty
                    break
                if not chunk:
                    break
                self.output += chunk
        return screen_text(self.output)

    def send(self, keys: bytes) -> None:
        """Type bytes into the client's terminal."""
        os.write(self.master, keys)

    def close(self) -> None:
        """End the client; closing its connection ends the forced command on the server."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        os.close(self.master)


def running_sshd(db_path: str, tmp_path: Path, kiosk: bool) -> Iterator[SshServer]:
    """A running sshd whose single key runs the app as operator jan."""
    staff.add("jan", "Jan Peeters", "medewerker", "admin")
    home = tmp_path / "sshd"
    home.mkdir()
    server = SshServer(home, db_path, "jan", kiosk=kiosk)
    server.prepare()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def sshd(db_path: str, tmp_path: Path) -> Iterator[SshServer]:
    """A running sshd whose single key is operator jan's kiosk."""
    yield from running_sshd(db_path, tmp_path, kiosk=True)


@pytest.fixture
def sshd_no_kiosk(db_path: str, tmp_path: Path) -> Iterator[SshServer]:
    """The same, with the forced command lacking --kiosk (the control case)."""
    yield from running_sshd(db_path, tmp_path, kiosk=False)


def wait_until_typing_shows(session: SshSession) -> None:
    """Wait for the search screen, then type until the app echoes input (it is reading keys now)."""
    assert SEARCH_LOCATION in session.read_until(SEARCH_LOCATION, "Jan Peeters")
    session.send(b"abc")
    assert "abc" in session.read_until("abc", timeout=10), "the app does not echo typed keys"


def test_forced_command_shows_search_screen_for_the_keys_operator(sshd: SshServer) -> None:
    """Logging in with jan's key starts the kiosk app on the search screen as jan (not admin)."""
    session = sshd.connect()
    try:
        text = session.read_until(SEARCH_LOCATION, "Jan Peeters")
    finally:
        session.close()
    assert SEARCH_LOCATION in text, f"no search screen over SSH; output: {text[-2000:]!r}\nsshd: {sshd.log.read_text()[-2000:]}"
    assert "Jan Peeters" in text and "medewerker" in text
    assert "admin" not in text


def test_remote_command_is_ignored_no_shell(sshd: SshServer) -> None:
    """A remote command is not run: the forced app starts instead and the shell's echo never appears."""
    session = sshd.connect("echo SHELL-REACHED; exit")
    try:
        text = session.read_until(SEARCH_LOCATION, "Jan Peeters")
        # Give a shell, had there been one, ample time to print.
        later = session.read_until("SHELL-REACHED", timeout=2)
    finally:
        session.close()
    assert SEARCH_LOCATION in text, f"the app did not start; output: {text[-2000:]!r}\nsshd: {sshd.log.read_text()[-2000:]}"
    assert "SHELL-REACHED" not in later
    assert "Accepted publickey" in sshd.log.read_text()


def test_kiosk_over_ssh_ignores_ctrl_c_and_ctrl_q(sshd: SshServer) -> None:
    """Over SSH, Ctrl+C, Ctrl+Z, Ctrl+\\ and Ctrl+Q do not end the forced app (the session stays open)."""
    session = sshd.connect()
    try:
        wait_until_typing_shows(session)
        for key in (b"\x03", b"\x1a", b"\x1c", b"\x11"):
            session.send(key)
            session.read_until("never-printed", timeout=1)
        session.read_until("never-printed", timeout=2)
        assert session.process.poll() is None, "the ssh session ended: a key left the kiosk"
        # The app still answers: typing shows up in the search box.
        session.send(b"zoekwoord")
        assert "zoekwoord" in session.read_until("zoekwoord", timeout=10)
    finally:
        session.close()


def test_without_kiosk_ctrl_q_ends_the_ssh_session(sshd_no_kiosk: SshServer) -> None:
    """The control case: without --kiosk, Ctrl+Q quits the app and the SSH session closes (no shell)."""
    session = sshd_no_kiosk.connect()
    try:
        wait_until_typing_shows(session)
        session.send(b"\x11")
        deadline = time.monotonic() + 15
        while session.process.poll() is None and time.monotonic() < deadline:
            session.read_until("never-printed", timeout=0.5)
        assert session.process.poll() is not None, "Ctrl+Q did not end the app"
    finally:
        session.close()
