"""What keeps parallel test workers (pytest-xdist) apart: a port range, name prefixes and a lock for OS accounts each."""
from __future__ import annotations

import fcntl
import itertools
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PORTS_PER_WORKER = 500
FIRST_PORT = 30000  # below Linux's ephemeral range (32768+ by default is shared, so each worker keeps to its own slice)
_next_port = itertools.count()


def worker_id() -> str:
    """The xdist worker's name ('gw0', 'gw1', …), or 'main' when the suite runs in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_index() -> int:
    """0 for 'gw0' and for a run without workers, 1 for 'gw1', and so on."""
    name = worker_id()
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now and that no other worker will hand out (each has its own range)."""
    base = FIRST_PORT + worker_index() * PORTS_PER_WORKER
    for _ in range(PORTS_PER_WORKER):
        port = base + next(_next_port) % PORTS_PER_WORKER
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {base}-{base + PORTS_PER_WORKER - 1} for worker {worker_id()}")


def unique_name(prefix: str) -> str:
    """A name no other test or worker uses now (PostgreSQL databases and logins, tmux sessions): prefix_worker_random."""
    return f"{prefix}_{worker_id()}_{uuid.uuid4().hex[:8]}"


@contextmanager
def accounts_lock() -> Iterator[None]:
    """Hold the one lock for useradd, groupadd and usermod: two workers changing /etc/passwd at once fail."""
    with open("/tmp/klantbeheer-tests-accounts.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
