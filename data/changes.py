"""Cheap change notification: has any other connection committed since we last looked?

One seam per engine. SQLite: `PRAGMA data_version` on a dedicated connection, which changes
whenever another connection (in this process or another) commits; reading it costs microseconds
and never touches a table, so it is safe to poll every second. PostgreSQL: a statement trigger on
the customer table sends NOTIFY on CHANNEL (delivered at commit, once per transaction), and the
watcher LISTENs on its own autocommit connection; `changed()` only reads what already arrived on
the socket, so polling it costs no round trip either.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any, Callable, Protocol

from peewee import Database, PostgresqlDatabase

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


class _OwnConnection:
    """A watcher's dedicated connection, used under a lock; close() closes it once."""

    _lock: threading.Lock
    _connection: Any

    def close(self) -> None:
        """Close the dedicated connection."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class SqliteChangeWatcher(_OwnConnection):
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


CHANNEL = "klantbeheer_customer"
POSTGRES_NOTIFY_DDL = [
    "CREATE OR REPLACE FUNCTION customer_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_OP); RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER customer_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customer "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_notify_change()",
]


def install_notify(db: Database) -> None:
    """PostgreSQL: create the trigger that notifies CHANNEL whenever customers change (a migration step)."""
    for statement in POSTGRES_NOTIFY_DDL:
        db.execute_sql(statement)


class PostgresChangeWatcher(_OwnConnection):
    """LISTENs on CHANNEL on its own autocommit connection; a notification means some session committed."""

    def __init__(self, database: str, connect_params: dict) -> None:
        self._lock = threading.Lock()
        self._database, self._params = database, dict(connect_params)
        self._connection = None
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
    if isinstance(target, PostgresqlDatabase):
        return PostgresChangeWatcher(target.database, target.connect_params)
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
