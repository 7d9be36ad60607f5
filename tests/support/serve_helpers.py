"""Helpers for the browser-version tests: a real `app.py serve`, its child processes, a raw socket client."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.waiting import value_of, value_of_async
from tests.support.workers import free_port

REPO = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> object:
    """Poll until condition() is truthy (a state, not a time), and return it."""
    return value_of(condition, timeout, what)


async def await_state(condition: Callable[[], object], what: str, timeout: float = 60) -> object:
    """wait_for inside a running event loop: the sockets keep being served while it polls."""
    return await value_of_async(condition, timeout, what)


def children(pid: int) -> list[int]:
    """Every living descendant process of pid (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found += kids
        todo += kids
    return found


@contextmanager
def serving(db: str, *extra: str, before: tuple[str, ...] = ()) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python app.py BEFORE… serve --db DB --port P EXTRA…` until it listens; yields (base URL, process), stopped afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "app.py"), *before, "serve", "--db", db, "--port", str(port), *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )

    def listening() -> bool:
        assert process.poll() is None, process.stdout.read().decode(errors="replace")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    try:
        wait_for(listening, "serve listening", 30)
        yield f"http://127.0.0.1:{port}", process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def screen_text(raw: bytes) -> str:
    """What a terminal received, without escape sequences."""
    return ANSI.sub("", raw.decode("utf-8", errors="replace"))


async def read_until(websocket, wanted: str, timeout: float = 60) -> str:
    """Read the app's output from a socket until `wanted` was painted; the text so far."""
    import aiohttp

    output = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = await asyncio.wait_for(websocket.receive(), 1)
        except asyncio.TimeoutError:
            continue
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            break
        if message.type == aiohttp.WSMsgType.BINARY:
            output += message.data
            if wanted in screen_text(output):
                return screen_text(output)
    raise AssertionError(f"never painted {wanted!r}; last: {screen_text(output)[-400:]!r}")


async def type_keys(websocket, *keys: str) -> None:
    """Send keys as the browser does (['stdin', text])."""
    for key in keys:
        await websocket.send_json(["stdin", key])
