"""What every database engine provides; the rest of data/ calls these and never asks which engine it is."""
from __future__ import annotations

from contextlib import contextmanager
from types import ModuleType
from typing import Any, Iterator, Protocol

from peewee import Database, ModelSelect

from klantbeheer.data.trust import Identity


class ChangeWatcher(Protocol):
    """Tells cheaply whether the customer data may have changed."""

    notice: str | None  # a quiet remark for the user (e.g. live refresh falls back to polling), or None

    def changed(self) -> bool:
        """True when some connection committed since the previous call (the first call sets the baseline)."""
        ...

    def close(self) -> None:
        """Release the watcher's connection."""
        ...


class Engine:
    """One database engine: opening, locks, search SQL, change watcher, triggers, bulk load, copy and checks."""

    name = ""
    search: ModuleType  # the engine's search SQL (data/search/<engine>.py)

    def __init__(self, db: Database, location: str) -> None:
        self.db = db
        self.location = location

    # --- opening -------------------------------------------------------------------------------
    def exists(self) -> bool:
        """True when the database is there to be opened (a file, or a server database)."""
        return True

    def can_create(self) -> None:
        """Refuse (DatabaseProblem) when a new database cannot be made at this location."""

    def create(self) -> None:
        """Make the empty database `init` fills (a file with its rights); nothing for a server database."""

    def still_there(self) -> None:
        """Refuse (DatabaseProblem) when the database opened is gone or replaced; nothing for a server database."""

    def prepare(self) -> None:
        """Checks right after connecting (e.g. the server's version); raise DatabaseProblem to refuse."""

    def dispose(self) -> None:
        """Let go of idle connections kept for reuse (another engine is bound instead)."""

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """The driver's own error classes (translated at the data boundary)."""
        return ()

    def refusal(self, problem: BaseException) -> tuple[int, int, str] | None:
        """(owner number, blocked number, shared field or '') when `problem` is the database's refusal of a dossier."""
        return None

    # --- who is working ---------------------------------------------------------------------------
    def identity(self) -> "Identity":
        """Who this process is to the database, and whether it may name another operator (see data/trust.py)."""
        raise NotImplementedError

    def create_login(self, login: str, role: str) -> None:
        """Give an operator its own database login with the role's privileges (only where the database has logins)."""

    def set_login_active(self, login: str, active: bool) -> None:
        """Let an operator's own database login log in or not (only where the database has logins)."""

    def store_password_hash(self, username: str, hashed: str, by: str) -> bool:
        """Store a password hash through the database's own guard where it has one; False: the caller writes the row."""
        return False

    def office_zone_changed(self, zone_name: str) -> None:
        """The office's time zone became zone_name (the setting row is already written, same transaction)."""

    # --- migrations ----------------------------------------------------------------------------
    @contextmanager
    def migrating(self) -> Iterator[None]:
        """Around all migration steps (SQLite: foreign keys off, as SQLite's table-rebuild recipe asks)."""
        yield

    def broken_references(self) -> bool:
        """True when a migration step left rows pointing nowhere (checked before it commits)."""
        return False

    # --- writing -------------------------------------------------------------------------------
    def for_update(self, query: ModelSelect) -> ModelSelect:
        """The query with a row lock where the engine has row locks."""
        return query

    def serialize(self, name: str) -> None:
        """Hold a lock named `name` until the transaction ends (no-op where writers are serial anyway)."""

    def read_snapshot(self) -> Any:
        """A transaction whose reads all see one consistent moment, without blocking writers."""
        return self.db.atomic()

    # --- bulk load -----------------------------------------------------------------------------
    def json_object_sql(self, pairs: str) -> str:
        """SQL building a JSON text from "'key', column, ..." pairs."""
        raise NotImplementedError

    @contextmanager
    def bulk_load(self, drop_indexes: bool) -> Iterator[dict[str, Any]]:
        """Around a large insert into customer: triggers (and, when asked, secondary indexes) off, back on after.

        The loader may put the set of its customers' vocabulary words under "words" (see
        data/search/typos.py); the typo vocabulary then gets those added instead of a rebuild from every row.
        """
        yield {"words": None}

    # --- copy-to (the target side) ---------------------------------------------------------------
    def copy_rows(self, table: str, columns: list[str], rows: list[str]) -> None:
        """Bulk-insert rows given in COPY's text format (only an engine that can be a copy-to target)."""
        raise NotImplementedError

    def reset_sequence(self, table: str) -> None:
        """Set the table's id counter past its highest id after a copy."""
        raise NotImplementedError

    def analyze(self) -> None:
        """Refresh the planner's statistics after a copy."""

    # --- operations ----------------------------------------------------------------------------
    def triggers(self) -> dict[str, Any]:
        """The database's own triggers by name, as data.triggers.Found (empty where the engine has none)."""
        return {}

    def integrity_problems(self) -> list[str]:
        """The file's own integrity check (empty when sound or when the engine has none)."""
        return []

    def backup(self, target: str) -> None:
        """Write a consistent, self-contained copy to target (a path); refuse where the engine has its own tools."""
        raise NotImplementedError

    def open_watcher(self) -> ChangeWatcher:
        """A change watcher on its own connection (falls back to polling when the cheap way fails)."""
        raise NotImplementedError
