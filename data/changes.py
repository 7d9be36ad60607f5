"""Cheap change notification: has any other connection committed since we last looked?

One seam per engine. SQLite: `PRAGMA data_version` on a dedicated connection, which changes
whenever another connection (in this process or another) commits; reading it costs microseconds
and never touches a table, so it is safe to poll every second. PostgreSQL can later implement
the same `ChangeWatcher` with LISTEN/NOTIFY (block in `wait` on the connection's socket);
until then it gets a watcher that never reports a change.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from typing import Callable, Protocol

from peewee import Database

from data.db import BUSY_TIMEOUT_S, bound, is_sqlite

POLL_INTERVAL_S = 1.0
STOP_CHECK_S = 0.1


class ChangeWatcher(Protocol):
    """Tells cheaply whether the customer data may have changed."""

    def changed(self) -> bool:
        """True when some connection committed since the previous call (the first call sets the baseline)."""
        ...

    def close(self) -> None:
        """Release the watcher's connection."""
        ...


class SqliteChangeWatcher:
    """Watches `PRAGMA data_version` on its own connection (autocommit, never writes)."""

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
        )
        self._last = self._version()

    def _version(self) -> int:
        """The connection's current data_version."""
        assert self._connection is not None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True when another connection committed since the previous call."""
        with self._lock:
            if self._connection is None:
                return False
            current = self._version()
            if current == self._last:
                return False
            self._last = current
            return True

    def close(self) -> None:
        """Close the dedicated connection."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class NullChangeWatcher:
    """For engines without a notification seam yet: never reports a change."""

    def changed(self) -> bool:
        """Always False."""
        return False

    def close(self) -> None:
        """Nothing to release."""


def open_watcher(db: Database | None = None) -> ChangeWatcher:
    """A change watcher for the bound (or given) database, on its own connection."""
    target = db if db is not None else bound()
    if is_sqlite(target):
        return SqliteChangeWatcher(str(target.database))
    return NullChangeWatcher()


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
        try:
            if watcher.changed():
                on_change()
        except sqlite3.Error:
            # A busy or briefly unavailable file: try again at the next tick.
            continue
