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
import sqlite3
import stat
import threading

from peewee import SqliteDatabase

from klantbeheer.data.engines import sqlite_files


class WriteQueue:
    """Writers of one SQLite file wait in the kernel for an flock on '<db>.lock' before BEGIN IMMEDIATE.

    The kernel wakes a waiter the moment the lock is released, so writers take turns without
    sleeping or polling. Only a queue: SQLite's own locking still decides correctness, so when the
    lock file cannot be made (read-only directory) or the wait exceeds the busy timeout, the
    transaction goes on to BEGIN IMMEDIATE as before. Every thread has its own descriptor (flock
    belongs to the open file, so threads sharing one would not exclude each other).

    The lock file is opened for reading and writing only, with lock_mode (data/engines/sqlite_files.py): only
    those who may write the database can open it, so no one else can hold the lock and delay the writers. A
    lock file anyone else may open (made by an older version under the umask) is replaced by a new one.
    """

    def __init__(self, database_path: str, timeout: float) -> None:
        self.database = database_path
        self.path = f"{database_path}.lock"
        self.timeout = timeout
        self._local = threading.local()

    def _file(self) -> io.FileIO | None:
        """This thread's read-write descriptor on the lock file, or None when it cannot be opened safely."""
        handle = getattr(self._local, "file", None)
        if handle is None:
            fd = self._open()
            if fd is None:
                return None
            handle = self._local.file = io.FileIO(fd, "r+b", closefd=True)  # closed (and unlocked) with the thread
        return handle

    def _open(self) -> int | None:
        """Open (or make) the lock file read-write with lock_mode; replace one that others than the writers may open."""
        mode = sqlite_files.lock_mode(sqlite_files.database_mode(self.database))
        if not mode:
            return None
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, mode)
            except PermissionError:  # an older lock file this writer may not open: a new one, if the folder allows
                if _attempt or not self._replace(mode):
                    return None
                continue
            except OSError:
                return None
            try:
                info = os.fstat(fd)
                if stat.S_IMODE(info.st_mode) & ~mode == 0:
                    if stat.S_IMODE(info.st_mode) != mode and (info.st_uid == os.geteuid() or os.geteuid() == 0):
                        os.fchmod(fd, mode)  # just made, narrowed by the umask: let the other writers in
                        sqlite_files.give_like_database(fd, self.database)
                    return fd
            except OSError:
                pass
            os.close(fd)
            if not self._replace(mode):
                return None
        return None

    def _replace(self, mode: int) -> bool:
        """Put a new lock file with `mode` in place of the old one (which a reader may hold); False when impossible."""
        fresh = f"{self.path}.{os.getpid()}-{threading.get_ident()}"
        try:
            fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, mode)
            try:
                os.fchmod(fd, mode)
                sqlite_files.give_like_database(fd, self.database)
            finally:
                os.close(fd)
            os.replace(fresh, self.path)
        except OSError:
            try:
                os.unlink(fresh)
            except OSError:
                pass
            return False
        return True

    def _current(self, handle: io.FileIO) -> bool:
        """True when the locked descriptor is still the file at the lock path (not one replaced meanwhile)."""
        try:
            return os.fstat(handle.fileno()).st_ino == os.stat(self.path).st_ino
        except (OSError, ValueError):
            return False

    def held(self) -> bool:
        """True when this thread holds the queue lock."""
        return bool(getattr(self._local, "held", False))

    def acquire(self) -> None:
        """Take the lock (waiting in line); on any problem go on without it."""
        if self.held():
            return
        for _attempt in range(2):
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
            if self._current(handle):
                self._local.held = True
                return
            fcntl.flock(handle, fcntl.LOCK_UN)  # the file was replaced: queue on the new one
            handle.close()
            self._local.file = None

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
        self.file_guard = sqlite_files.FileGuard(database)

    def _connect(self) -> sqlite3.Connection:
        """Connect to the file opened first, never creating one (mode=rw): see sqlite_files.FileGuard."""
        self.file_guard.check()
        conn = sqlite3.connect(sqlite_files.read_write_uri(self.database), timeout=self._timeout,
                               isolation_level=None, uri=True, **self.connect_params)
        try:
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn

    def begin(self, lock_type: str | None = None) -> None:
        """Check the file is still the one opened, queue for the write lock, then BEGIN (a deferred start does not queue)."""
        self.file_guard.check()
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
