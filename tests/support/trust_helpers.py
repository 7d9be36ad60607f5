"""Helpers for the trust-model tests: real OS users (made with useradd as root) running the real CLI."""
from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.workers import accounts_lock

ROOT = Path(__file__).resolve().parents[2]
USERS = ("kb16_anna", "kb16_bert")  # .ci/run creates them; ensure_users() does too when missing


def ensure_users() -> None:
    """Make sure both OS users exist (root only); skip with the reason otherwise."""
    if os.geteuid() != 0:
        pytest.skip("de trust-tests wisselen van systeemgebruiker en moeten als root draaien (zoals .ci/run)")
    if not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("useradd of runuser ontbreekt")
    with accounts_lock():
        for user in USERS:
            if subprocess.run(["id", "-u", user], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
                               check=True, capture_output=True)
    ensure_readable()


@functools.cache
def _readable_by_others() -> str:
    """"" when the other OS user can import the app from this checkout and venv, else why not."""
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": _python_path(), "HOME": "/tmp", "LANG": "C.UTF-8"}
    command = ["runuser", "-u", USERS[0], "--", "env", "-i", *[f"{k}={v}" for k, v in environment.items()],
               _python(), "-s", "-c", "import klantbeheer.data.trust"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/tmp")
    return "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["?"])[-1]


def ensure_readable() -> None:
    """Skip with the reason when the checkout or the venv is not readable by the other OS users."""
    problem = _readable_by_others()
    if problem:
        pytest.skip(f"{USERS[0]} kan de checkout of de venv niet lezen ({ROOT}): {problem}")


def _python() -> str:
    """An interpreter other users may run: this one if they can reach it, else the system's of the same version."""
    candidate = Path(sys.executable).resolve()
    if all(os.stat(parent).st_mode & 0o001 for parent in candidate.parents):
        return sys.executable
    system = shutil.which(f"python{sys.version_info.major}.{sys.version_info.minor}", path="/usr/bin:/usr/local/bin")
    if not system:
        pytest.skip("geen Python die andere gebruikers mogen starten")
    return system


def _package_shim() -> Path:
    """A directory holding `klantbeheer` -> the repository (the editable install's .pth is not read from PYTHONPATH)."""
    import hashlib

    shim = Path("/tmp") / f"kb-import-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}"
    link = shim / "klantbeheer"
    if not link.is_symlink():
        shim.mkdir(mode=0o755, exist_ok=True)
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:
            pass
    return shim


def _python_path() -> str:
    """The repository as the klantbeheer package and this environment's packages, for the other user's interpreter."""
    paths = [str(_package_shim()), str(ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
             *site.getsitepackages()]
    return os.pathsep.join(dict.fromkeys(paths))


def run_as(user: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `app.py ARGS` as OS user `user` (runuser, a clean environment plus `env`)."""
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": _python_path(), "HOME": "/tmp", "LANG": "C.UTF-8", **(env or {})}
    command = ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in environment.items()],
               _python(), "-s", str(ROOT / "app.py"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/tmp")


def share(directory: Path) -> None:
    """Let every user write the directory and the files in it (the test is about --operator, not file rights)."""
    directory.chmod(0o777)
    for entry in directory.iterdir():
        entry.chmod(0o666)
