"""Start and talk to worker processes (bench/reliability_workers.py) for the reliability tests and bench/reliability_writers.py."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKERS = REPO / "bench" / "reliability_workers.py"


def spawn(mode: str, *args: object, stdin: bool = True) -> subprocess.Popen:
    """Start one worker process in its own interpreter (a real, separate SQLite session)."""
    return subprocess.Popen(
        [sys.executable, str(WORKERS), mode, *(str(a) for a in args)],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=REPO,
    )


def expect_line(process: subprocess.Popen, prefix: str) -> str:
    """The next stdout line of a worker, which must start with prefix (else show its stderr)."""
    line = process.stdout.readline()
    if not line.startswith(prefix):
        process.kill()
        raise AssertionError(f"worker said {line!r}, stderr: {process.stderr.read()[-2000:]}")
    return line.strip()


def send(process: subprocess.Popen, line: str) -> None:
    """Send one line to a worker's stdin."""
    process.stdin.write(line + "\n")
    process.stdin.flush()
