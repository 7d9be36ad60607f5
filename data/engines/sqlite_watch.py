"""SQLite's change watcher: `PRAGMA data_version` on a dedicated connection.

It changes whenever another connection (in this process or another) commits; reading it costs
microseconds and never touches a table, so it is safe to poll every second.
"""
from __future__ import annotations

import sqlite3
import threading

from klantbeheer.data.engines.sqlite_files import read_write_uri
from klantbeheer.data.explain import BUSY_TIMEOUT_S


class SqliteChangeWatcher:
    """Watches `PRAGMA data_version` on its own connection (autocommit, never writes)."""

    notice: str | None = None

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = sqlite3.connect(
            read_write_uri(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S, uri=True
        )  # never creates the file (a deleted database is not made anew)
        self._last = self._version()

    def _version(self) -> int:
        """The connection's current data_version."""
        assert self._connection is not None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True when another connection committed since the previous call (a busy file: not now)."""
        with self._lock:
            if self._connection is None:
                return False
            try:
                current = self._version()
            except sqlite3.Error:  # a busy or briefly unavailable file: try again at the next tick
                return False
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
