"""Cheap change notification: has any other connection committed since we last looked?

Each engine brings its own watcher (data/engines/): SQLite reads `PRAGMA data_version`,
PostgreSQL LISTENs for a trigger's NOTIFY and falls back to polling when it cannot. This module
opens the bound engine's watcher and runs the polling loop.
"""
from __future__ import annotations

import time
from typing import Callable

from klantbeheer.data import session
from klantbeheer.data.engines.base import ChangeWatcher

POLL_INTERVAL_S = 1.0
STOP_CHECK_S = 0.1


def open_watcher() -> ChangeWatcher:
    """A change watcher for the bound database, on its own connection (DatabaseProblem when impossible)."""
    with session.translated():
        return session.engine().open_watcher()


def watch(
    watcher: ChangeWatcher,
    on_change: Callable[[], None],
    should_stop: Callable[[], bool],
    interval: float = POLL_INTERVAL_S,
) -> None:
    """Poll the watcher every `interval` seconds and call on_change after each change, until should_stop()."""
    next_check = time.monotonic() + interval
    while not should_stop():
        now = time.monotonic()
        if now < next_check:
            time.sleep(min(STOP_CHECK_S, next_check - now))
            continue
        next_check = now + interval
        if watcher.changed():
            on_change()
