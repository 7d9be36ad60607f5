"""Open the database from a path or URL, set its pragmas, migrate it, bind the models."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import platformdirs
from peewee import Database, OperationalError, DatabaseError, SqliteDatabase

from data.errors import DatabaseProblem
from data.locking import QueuedSqliteDatabase
from data.migrations import LATEST, MIGRATIONS
from data.models import ALL_MODELS, database_proxy

ENV_VAR = "KLANTBEHEER_DB"
BUSY_TIMEOUT_S = 10
BUSY_ENV_VAR = "KLANTBEHEER_BUSY_TIMEOUT"  # seconds a session waits for another one's write lock


def busy_timeout() -> float:
    """The busy timeout in seconds: KLANTBEHEER_BUSY_TIMEOUT when set to a positive number, else 10."""
    try:
        value = float(os.environ.get(BUSY_ENV_VAR, ""))
    except ValueError:
        return BUSY_TIMEOUT_S
    return value if 0 < value <= 3600 else BUSY_TIMEOUT_S


# synchronous=FULL: in WAL mode NORMAL can lose the last commits on a power cut; a block or a
# dossier the user saw confirmed must survive one, and FULL costs one fsync per commit.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "recursive_triggers": 1,
    "busy_timeout": BUSY_TIMEOUT_S * 1000,
    "cache_size": -32000,
}
# The app keeps one connection per worker thread (Textual runs thread workers in a pool of up to 6);
# SQLite's cache on top of the OS page cache barely speeds searches up, so the app asks for 4 MB each.
APP_CACHE_KIB = 4000


def default_location() -> str:
    """The database named by KLANTBEHEER_DB, else klantbeheer.db in the user's data directory."""
    return os.environ.get(ENV_VAR) or str(Path(platformdirs.user_data_dir("klantbeheer")) / "klantbeheer.db")


def demo_location() -> str:
    """The demo database in the user's data directory."""
    return str(Path(platformdirs.user_data_dir("klantbeheer")) / "demo.db")


def is_sqlite(db: Database | None = None) -> bool:
    """True when the bound (or given) database is SQLite."""
    target = db if db is not None else database_proxy.obj
    return isinstance(target, SqliteDatabase)


def make_database(path_or_url: str, cache_kib: int | None = None) -> Database:
    """Build (not connect) a Peewee database for a path or a sqlite:// or postgresql:// URL."""
    if "://" not in path_or_url:
        return _sqlite(path_or_url, cache_kib)
    scheme = path_or_url.split("://", 1)[0].lower()
    if scheme == "sqlite":
        return _sqlite(path_or_url[len("sqlite:///"):] if path_or_url.startswith("sqlite:///") else "", cache_kib)
    if scheme in ("postgres", "postgresql"):
        from playhouse.db_url import connect as connect_url  # only for PostgreSQL: start-up time

        return connect_url(path_or_url)  # peewee 4 runs psycopg2 in autocommit mode: no aborted transactions
    raise DatabaseProblem(f"Onbekend soort database-adres: {scheme}://")


def _sqlite(path: str, cache_kib: int | None = None) -> SqliteDatabase:
    """An SQLite database on a file, with WAL, IMMEDIATE transactions queued on an OS lock, a busy timeout."""
    target = Path(path).expanduser()
    if str(target) == ":memory:":
        raise DatabaseProblem("Een database in het geheugen wordt niet ondersteund; geef een bestand op.")
    if not target.parent.is_dir():
        raise DatabaseProblem(f"De map {target.parent} bestaat niet.")
    if target.is_dir():
        raise DatabaseProblem(f"{target} is een map, geen databasebestand.")
    if target.exists() and not os.access(target, os.R_OK):
        raise DatabaseProblem(f"Geen leesrechten op {target}; vraag uw beheerder om toegang.")
    # A file without any write bit is treated as read-only even for root (who os.access lets write).
    if target.exists() and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222):
        raise DatabaseProblem(f"De database {target} is alleen-lezen; Klantbeheer heeft schrijfrechten nodig.")
    if not target.exists() and not os.access(target.parent, os.W_OK):
        raise DatabaseProblem(f"Geen schrijfrechten in de map {target.parent}.")
    timeout = busy_timeout()
    pragmas = {**SQLITE_PRAGMAS, "busy_timeout": int(timeout * 1000)}
    if cache_kib:
        pragmas["cache_size"] = -int(cache_kib)
    return QueuedSqliteDatabase(
        str(target), pragmas=pragmas, lock_type="IMMEDIATE", timeout=timeout, check_same_thread=False
    )


def open_database(path_or_url: str | None = None, cache_kib: int | None = None) -> Database:
    """Open (creating and migrating when needed) the database and bind the models to it (SQLite: cache per connection)."""
    db = make_database(path_or_url or default_location(), cache_kib)
    try:
        db.connect(reuse_if_open=True)
        _migrate(db)
    except DatabaseProblem:
        db.close()
        raise
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as problem:
        db.close()
        raise DatabaseProblem(explain(problem)) from None
    database_proxy.initialize(db)
    return db


def explain(problem: Exception) -> str:
    """One Dutch sentence for a low-level database error."""
    text = str(problem).lower()
    if "locked" in text or "busy" in text:
        return f"De database is bezet door een ander proces (langer dan {busy_timeout():g} s); probeer het opnieuw."
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "Het bestand is geen (geldige) Klantbeheer-database of is beschadigd."
    if "readonly" in text or "read-only" in text:
        return "De database is alleen-lezen; wijzigingen zijn niet mogelijk."
    if "unable to open" in text:
        return "De database kan niet geopend worden (controleer pad en rechten)."
    if "could not connect" in text or "connection refused" in text or "could not translate host" in text:
        return "De PostgreSQL-server is niet bereikbaar; controleer adres en poort en of de server draait."
    if "database" in text and "does not exist" in text:
        return "De PostgreSQL-database bestaat niet; maak ze eerst aan (zie README, PostgreSQL)."
    if "authentication failed" in text or "pg_hba.conf" in text or ("role" in text and "does not exist" in text):
        return "De PostgreSQL-server weigert de aanmelding; controleer gebruiker, wachtwoord en toegangsrechten."
    if "permission denied to create extension" in text or "must be owner of extension" in text:
        return ("Geen rechten om de uitbreiding pg_trgm aan te maken; laat een beheerder "
                "'CREATE EXTENSION pg_trgm' in deze database uitvoeren (zie README, PostgreSQL).")
    if "server closed the connection" in text or "terminating connection" in text:
        return "De verbinding met de PostgreSQL-server werd verbroken; probeer het opnieuw."
    return f"Er ging iets mis: {problem}"


def schema_version(db: Database) -> int:
    """The schema version stored in the database (0 for an empty database)."""
    if "schema_info" not in db.get_tables():
        if db.get_tables():
            raise DatabaseProblem("Dit bestand is geen Klantbeheer-database.")
        return 0
    row = db.execute_sql("SELECT version FROM schema_info").fetchone()
    return int(row[0]) if row else 0


def _migrate(db: Database, target: int = LATEST) -> None:
    """Apply the missing migrations in one transaction each; refuse a newer database."""
    current = schema_version(db)
    if current > LATEST:
        raise DatabaseProblem(
            f"Deze database heeft schemaversie {current}, nieuwer dan deze versie van Klantbeheer ({LATEST}); "
            "werk Klantbeheer bij."
        )
    if current >= target:
        return
    # Peewee's SQLite migrator rebuilds a table to change a column (create copy, drop, rename); with
    # foreign keys on, dropping `customer` fails as soon as a dossier points at it. SQLite's own
    # recipe: foreign keys off outside the transaction, check them before committing, back on after.
    sqlite = isinstance(db, SqliteDatabase)
    if sqlite:
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        for version in range(current + 1, target + 1):
            with db.atomic():
                if schema_version(db) >= version:  # another process migrated while we waited for the lock
                    continue
                MIGRATIONS[version - 1](db)
                if sqlite and db.execute_sql("PRAGMA foreign_key_check").fetchone():
                    raise DatabaseProblem(f"Bijwerken naar schemaversie {version} brak verwijzingen; niets is gewijzigd.")
                db.execute_sql("DELETE FROM schema_info")
                db.execute_sql(f"INSERT INTO schema_info (version) VALUES ({int(version)})")
    finally:
        if sqlite:
            db.execute_sql("PRAGMA foreign_keys = ON")


def migrate_to(path: str, version: int) -> None:
    """Create a database at an older schema version (tests of the upgrade path)."""
    db = make_database(path)
    db.connect()
    try:
        _migrate(db, version)
    finally:
        db.close()


def bound() -> Database:
    """The database the models are bound to."""
    return database_proxy.obj


__all__ = ["open_database", "default_location", "demo_location", "is_sqlite", "ALL_MODELS"]
