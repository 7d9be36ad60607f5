"""PostgreSQL's change watchers: LISTEN on its own connection, or (when LISTEN fails) a cheap poll.

A statement trigger on the customer table (and, since version 8, on the reference lists) sends NOTIFY on CHANNEL (delivered at commit, once per
transaction); `changed()` only reads what already arrived on the socket, so polling it costs no
round trip. When that connection cannot be made at start, the polling watcher reads the highest
history ids instead (every change to a customer or a list appends one event; an index answers max(id)).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from klantbeheer.data.i18n import N_

CHANNEL = "klantbeheer_customer"
POLLING_NOTICE = N_("Live verversen werkt nu door elke seconde te kijken (LISTEN lukte niet).")


class PostgresChangeWatcher:
    """LISTENs on CHANNEL on its own autocommit connection; a notification means some session committed."""

    notice: str | None = None

    def __init__(self, database: str, connect_params: dict) -> None:
        self._lock = threading.Lock()
        self._database, self._params = database, dict(connect_params)
        self._connection: Any = None
        self._connect()

    def _connect(self) -> None:
        """Open the connection and LISTEN (notifications from before this moment are not seen)."""
        import psycopg2

        params = {k: v for k, v in self._params.items() if k not in ("autorollback", "autoconnect")}
        self._connection = psycopg2.connect(dbname=self._database, **params)
        self._connection.autocommit = True
        with self._connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")

    def changed(self) -> bool:
        """True when a notification arrived since the previous call (a lost connection counts as a change)."""
        import psycopg2

        with self._lock:
            if self._connection is None:
                return False
            try:
                self._connection.poll()
            except psycopg2.Error:
                try:
                    self._connection.close()
                    self._connect()
                except psycopg2.Error:
                    return False  # server still away: try again at the next tick
                return True  # changes may have been missed while disconnected
            if not self._connection.notifies:
                return False
            self._connection.notifies.clear()
            return True

    def close(self) -> None:
        """Close the dedicated connection."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class PollingChangeWatcher:
    """Asks the database for the highest history id each time; a new one means a customer changed."""

    notice: str | None = POLLING_NOTICE

    def __init__(self, latest: Callable[[], int]) -> None:
        self._latest = latest
        self._last: int | None = None
        try:
            self._last = latest()
        except Exception:  # noqa: BLE001 - the server may be away at start too; the first tick sets the baseline
            self._last = None

    def changed(self) -> bool:
        """True when the highest history id moved since the previous call; False when it cannot be read."""
        try:
            current = self._latest()
        except Exception:  # noqa: BLE001 - any driver or boundary error: try again at the next tick
            return False
        if self._last is None:
            self._last = current
            return False
        if current == self._last:
            return False
        self._last = current
        return True

    def close(self) -> None:
        """Nothing of its own to release (it reads through the data layer's connection)."""
