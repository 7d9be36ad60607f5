"""The one way tests wait: for a state, looked at again every POLL_S, failing after a timeout with what was awaited.

No test waits a fixed time for something to happen. Where the time itself is the subject (a gap between
keys, an idle timeout), the test says so in a comment next to its sleep.
"""
from __future__ import annotations

import asyncio
import subprocess
import time
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # the race scripts import this module in bare subprocesses: keep it light
    from textual.pilot import Pilot

POLL_S = 0.02  # how often a wait looks at the state again; it is never a guess at how long anything takes
RACE_POLL_S = 0.002  # racing processes wait at a start line: they must leave it within a few ms of each other
TIMEOUT_S = 30.0  # long enough for a loaded 2-core machine; a wait that passes returns as soon as the state holds


def until(condition: Callable[[], object], timeout: float = TIMEOUT_S, what: str = "the condition",
          poll: float = POLL_S, running: subprocess.Popen | None = None) -> float:
    """Block until condition() is true (other threads or processes make it so); the seconds it took.

    With `running`, fail at once (with its output) when that process ends before the condition holds.
    """
    start = time.monotonic()
    while not condition():
        if running is not None and running.poll() is not None:
            raise AssertionError(f"{what}: the process ended first ({running.returncode}): {_output(running)}")
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not met within {timeout} s")
        time.sleep(poll)
    return time.monotonic() - start


def _output(process: subprocess.Popen) -> str:
    """What an ended process wrote, for the failure message."""
    try:
        out, err = process.communicate(timeout=5)
    except (ValueError, subprocess.TimeoutExpired):
        return ""
    return f"{out!r} {err!r}"


def value_of(condition: Callable[[], object], timeout: float = TIMEOUT_S, what: str = "the condition") -> object:
    """Block until condition() returns something truthy, and return it."""
    found: list[object] = []
    until(lambda: found.append(condition()) or found[-1], timeout, what)
    return found[-1]


async def value_of_async(condition: Callable[[], object], timeout: float = TIMEOUT_S,
                         what: str = "the condition") -> object:
    """value_of inside a running event loop: the loop keeps serving while it polls."""
    found: list[object] = []
    await until_async(lambda: found.append(condition()) or found[-1], timeout, what)
    return found[-1]


async def until_async(condition: Callable[[], object], timeout: float = TIMEOUT_S, what: str = "the condition") -> float:
    """Let the event loop run until condition() is true; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not met within {timeout} s")
        await asyncio.sleep(POLL_S)
    return time.monotonic() - start


async def app_until(pilot: "Pilot", condition: Callable[[], object], timeout: float = TIMEOUT_S,
                    what: str = "the condition") -> float:
    """Let the app run (no input) until condition() is true; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what}: not met within {timeout} s (on top: {pilot.app.screen!r})")
        await pilot.pause(POLL_S)
    return time.monotonic() - start


async def workers_done(pilot: "Pilot", group_prefix: str, timeout: float = TIMEOUT_S) -> None:
    """Let the workers whose group starts with group_prefix finish, and their messages land."""
    app = pilot.app
    await pilot.pause()
    await app_until(pilot, lambda: not any(str(w.group).startswith(group_prefix) and not w.is_finished
                                           for w in app.workers),
                    timeout, f"workers {group_prefix}* finished")
    await pilot.pause()
    await pilot.pause()
