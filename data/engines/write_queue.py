"""SQLite writers queue on an OS lock before BEGIN IMMEDIATE, so a busy office gets fair turns.

SQLite: every write transaction begins IMMEDIATE (one writer at a time), so nothing more is
needed for correctness. For speed under load, writers first queue on an OS lock (WriteQueue):
SQLite's busy handler sleeps with back-off (1, 2, 5 ... 100 ms) instead of queueing, so with
many writers the lock sits idle while they sleep and an unlucky writer waits seconds.
"""
from __future__ import annotations

import fcntl
import io
import os
import threading

from peewee import SqliteDatabase


class WriteQueue:
    """Writers of one SQLite file wait in the kernel for an flock on '<db>.lock' before BEGIN IMMEDIATE.

    The kernel wakes a waiter the moment the lock is released, so writers take turns without
    sleeping or polling. Only a queue: SQLite's own locking still decides correctness, so when the
    lock file cannot be made (read-only directory) or the wait exceeds the busy timeout, the
    transaction goes on to BEGIN IMMEDIATE as before. Every thread has its own descriptor (flock
    belongs to the open file, so threads sharing one would not exclude each other).
    """

    def __init__(self, database_path: str, timeout: float) -> None:
        self.path = f"{database_path}.lock"
        self.timeout = timeout
        self._local = threading.local()

    def _file(self) -> io.FileIO | None:
        """This thread's descriptor on the lock file (opened read-only: flock needs no write access)."""
        handle = getattr(self._local, "file", None)
        if handle is None:
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
            except OSError:
                return None
            handle = self._local.file = io.FileIO(fd, "rb", closefd=True)  # closed (and unlocked) with the thread
        return handle

    def held(self) -> bool:
        """True when this thread holds the queue lock."""
        return bool(getattr(self._local, "held", False))

    def acquire(self) -> None:
        """Take the lock (waiting in line); on any problem go on without it."""
        if self.held():
            return
        handle = self._file()
        if handle is None:
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not self._wait(handle):
                return
        except OSError:
            return
        self._local.held = True

    def _wait(self, handle: io.FileIO) -> bool:
        """Block on the lock in a helper thread (a blocking flock has no timeout); give up after `timeout`."""
        got = threading.Event()
        guard = threading.Lock()
        abandoned = False

        def wait() -> None:
            """Helper thread body: the blocking flock; unlock at once if the caller gave up meanwhile."""
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError:
                return
            with guard:
                if abandoned:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                else:
                    got.set()

        threading.Thread(target=wait, name="klantbeheer-write-queue", daemon=True).start()
        if got.wait(self.timeout):
            return True
        with guard:
            if got.is_set():
                return True
            abandoned = True
        self._local.file = None  # the helper still waits on the old descriptor; open a fresh one next time
        return False

    def release(self) -> None:
        """Let the next writer in (no-op when this thread does not hold the lock)."""
        if not self.held():
            return
        self._local.held = False
        try:
            fcntl.flock(self._local.file, fcntl.LOCK_UN)
        except (OSError, ValueError):
            self._local.file = None


class QueuedSqliteDatabase(SqliteDatabase):
    """An SqliteDatabase whose IMMEDIATE/EXCLUSIVE transactions queue on a WriteQueue until COMMIT or ROLLBACK."""

    def __init__(self, database: str, *args: object, **kwargs: object) -> None:
        super().__init__(database, *args, **kwargs)
        self.write_queue = WriteQueue(database, float(kwargs.get("timeout", 10)))  # type: ignore[arg-type]

    def begin(self, lock_type: str | None = None) -> None:
        """Queue for the write lock, then BEGIN (a deferred, read-only start does not queue)."""
        kind = (lock_type or self._lock_type or "").upper()
        if kind in ("IMMEDIATE", "EXCLUSIVE"):
            self.write_queue.acquire()
        try:
            super().begin(lock_type)
        except BaseException:
            self.write_queue.release()
            raise

    def commit(self) -> None:
        """COMMIT, then let the next writer in."""
        try:
            super().commit()
        finally:
            self.write_queue.release()

    def rollback(self) -> None:
        """ROLLBACK, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self.write_queue.release()
