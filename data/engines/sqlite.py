"""The SQLite engine: one file, WAL, IMMEDIATE writes queued on an OS lock, FTS5 search, data_version watcher."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any, Iterator

from peewee import DatabaseError, OperationalError

from klantbeheer.data import clock
from klantbeheer.data.engines import sqlite_files
from klantbeheer.data.engines.base import ChangeWatcher, Engine
from klantbeheer.data.engines.sqlite_watch import SqliteChangeWatcher
from klantbeheer.data.engines.write_queue import QueuedSqliteDatabase
from klantbeheer.data.errors import DatabaseProblem
from klantbeheer.data.explain import busy_timeout
from klantbeheer.data.i18n import _
from klantbeheer.data.search import sqlite as search_sqlite
from klantbeheer.data.trust import Identity, sqlite_identity

# synchronous=FULL: in WAL mode NORMAL can lose the last commits on a power cut; a block or a
# dossier the user saw confirmed must survive one, and FULL costs one fsync per commit.
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "recursive_triggers": 1,
    "busy_timeout": 10_000,
    "cache_size": -32000,
}



@contextlib.contextmanager
def session_oserror() -> Iterator[None]:
    """An OSError while making the file as one Dutch sentence."""
    try:
        yield
    except OSError as problem:
        raise DatabaseProblem(_("Het databasebestand kon niet aangemaakt worden: {problem}.").format(
            problem=problem.strerror or problem)) from None


def _checked_path(path: str) -> Path:
    """The database file for a path, or DatabaseProblem for a place no database can live."""
    if not path.strip():
        raise DatabaseProblem(_("Geef een databasebestand op (--db mag niet leeg zijn)."))
    target = Path(path).expanduser()
    if str(target) == ":memory:":
        raise DatabaseProblem(_("Een database in het geheugen wordt niet ondersteund; geef een bestand op."))
    try:
        kind = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        kind = None
    except OSError:  # a folder on the way that this account may not enter
        raise DatabaseProblem(_("Geen toegang tot {target} (een map op de weg is afgeschermd); vraag uw beheerder om "
                                "toegang.").format(target=target)) from None
    if kind is not None and stat.S_ISDIR(kind):
        raise DatabaseProblem(_("{target} is een map, geen databasebestand.").format(target=target))
    if kind is not None and not stat.S_ISREG(kind):
        raise DatabaseProblem(_("{target} is geen gewoon bestand (maar een apparaat, FIFO of socket), dus geen "
                                "databasebestand.").format(target=target))
    if target.exists() and not os.access(target, os.R_OK):
        raise DatabaseProblem(_("Geen leesrechten op {target}; vraag uw beheerder om toegang.").format(target=target))
    # A file without any write bit is treated as read-only even for root (who os.access lets write).
    if target.exists() and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222):
        raise DatabaseProblem(_("De database {target} is alleen-lezen; Klantbeheer heeft schrijfrechten nodig.").format(target=target))
    return target


class SqliteEngine(Engine):
    """One SQLite file shared by the sessions of one host."""

    name = "sqlite"
    search = search_sqlite

    @classmethod
    def build(cls, path: str, cache_kib: int | None = None) -> "SqliteEngine":
        """An engine on a file (not connected yet): WAL, IMMEDIATE transactions queued on an OS lock, a busy timeout."""
        target = _checked_path(path)
        timeout = busy_timeout()
        pragmas = {**PRAGMAS, "busy_timeout": int(timeout * 1000)}
        if cache_kib:
            pragmas["cache_size"] = -int(cache_kib)
        db = QueuedSqliteDatabase(str(target), pragmas=pragmas, lock_type="IMMEDIATE", timeout=timeout,
                                  check_same_thread=False)
        return cls(db, str(target))

    def exists(self) -> bool:
        """True when the file is there."""
        return Path(self.location).exists()

    def can_create(self) -> None:
        """Refuse (DatabaseProblem) when a new file cannot be made here."""
        parent = Path(self.location).parent
        if not parent.is_dir():
            raise DatabaseProblem(_("De map {folder} bestaat niet.").format(folder=parent))
        if not os.access(parent, os.W_OK):
            raise DatabaseProblem(_("Geen schrijfrechten in de map {parent}.").format(parent=parent))

    def create(self) -> None:
        """Make the empty file with init's rights (sqlite_files.create_database_file), to be filled now."""
        with session_oserror():
            sqlite_files.create_database_file(Path(self.location))
        self.db.file_guard.allow_empty = True

    def still_there(self) -> None:
        """Refuse a file that is gone, empty or replaced since it was opened."""
        self.db.file_guard.check()

    def identity(self) -> Identity:
        """The OS account; trusted when root or a listed launcher (data/trust.py)."""
        return sqlite_identity(self.location)

    def office_zone_changed(self, zone_name: str) -> None:
        """Refill office_clock, the offsets SQLite's dossier trigger reads the office's date from."""
        self.db.execute_sql("DELETE FROM office_clock")
        for moment, minutes in clock.offsets(zone_name):
            self.db.execute_sql("INSERT INTO office_clock (utc_from, offset_minutes) VALUES (?, ?)", (moment, minutes))

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """sqlite3's errors."""
        return (sqlite3.Error,)

    @contextlib.contextmanager
    def migrating(self) -> Iterator[None]:
        """Foreign keys off outside the migration transactions, back on after (SQLite's table-rebuild recipe)."""
        self.db.execute_sql("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.db.execute_sql("PRAGMA foreign_keys = ON")

    def broken_references(self) -> bool:
        """True when some row points at a row that does not exist."""
        return self.db.execute_sql("PRAGMA foreign_key_check").fetchone() is not None

    def read_snapshot(self) -> Any:
        """A deferred transaction: in WAL mode its reads see one moment and writers are not held up."""
        return self.db.atomic("DEFERRED")

    def json_object_sql(self, pairs: str) -> str:
        """SQLite's json_object()."""
        return f"json_object({pairs})"

    @contextlib.contextmanager
    def bulk_load(self, drop_indexes: bool) -> Iterator[dict[str, Any]]:
        """A large cache, a rollback journal when alone, no search triggers (and indexes) during the load."""
        db = self.db
        load: dict[str, Any] = {"words": None}
        with self._bulk_settings(), db.atomic():
            search_sqlite.drop_triggers(db)
            indexes = self._drop_customer_indexes() if drop_indexes else []
            yield load
            for statement in indexes:
                db.execute_sql(statement)
            search_sqlite.install(db, load["words"])

    def _drop_customer_indexes(self) -> list[str]:
        """Drop the customer table's secondary indexes; return the statements that recreate them."""
        rows = self.db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in rows:
            self.db.execute_sql(f'DROP INDEX "{name}"')
        return [statement for _name, statement in rows]

    @contextlib.contextmanager
    def _bulk_settings(self) -> Iterator[None]:
        """A larger page cache while loading; the connection's own setting afterwards."""
        db = self.db
        before = db.execute_sql("PRAGMA cache_size").fetchone()[0]
        db.execute_sql("PRAGMA cache_size = -262144")  # 256 MiB for this connection, during the load only
        # In WAL mode every page of the load is written twice (WAL, then checkpoint). When no other
        # connection has the file open, SQLite lets us switch to a rollback journal for the load (new pages
        # are not journalled) and back to WAL afterwards; with others connected it refuses and WAL stays.
        mode = self._journal_mode("truncate")
        try:
            yield
        finally:
            if mode == "truncate":
                self._journal_mode("wal")
            db.execute_sql(f"PRAGMA cache_size = {int(before)}")

    def _journal_mode(self, mode: str) -> str:
        """Ask SQLite for a journal mode; return the mode in force afterwards."""
        try:
            return str(self.db.execute_sql(f"PRAGMA journal_mode = {mode}").fetchone()[0]).lower()
        except OperationalError:  # another connection holds the database open
            return "wal"

    def triggers(self) -> dict[str, Any]:
        """Every trigger's CREATE statement as sqlite_master keeps it."""
        from klantbeheer.data.triggers import Found

        rows = self.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        return {name: Found(sql or "") for name, sql in rows}

    def integrity_problems(self) -> list[str]:
        """What PRAGMA integrity_check reports (an empty list when the file is sound)."""
        try:
            rows = [row[0] for row in self.db.execute_sql("PRAGMA integrity_check").fetchall()]
        except (DatabaseError, sqlite3.DatabaseError) as problem:  # too damaged to even walk the pages
            return [str(problem)]
        return [] if rows == ["ok"] else rows

    def backup(self, target: str) -> None:
        """Copy every page in one step (one snapshot), then make the copy a single rollback-journal file."""
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:  # never more readable than the database, whatever the umask
            os.fchmod(fd, sqlite_files.output_mode(self.location))
            sqlite_files.give_like_database(fd, self.location)
        finally:
            os.close(fd)
        copy = sqlite3.connect(sqlite_files.read_write_uri(target), uri=True)
        try:
            # pages=-1: all pages in one step, under one read lock, so the copy is one snapshot.
            self.db.connection().backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file needed next to it
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise DatabaseProblem(_("De reservekopie is niet in orde ({result}); de database zelf nakijken met 'check'.").format(result=result))
            copy.commit()
        finally:
            copy.close()

    def open_watcher(self) -> ChangeWatcher:
        """Watches PRAGMA data_version on its own connection."""
        return SqliteChangeWatcher(self.location)
