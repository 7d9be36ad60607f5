"""Open (or, on request, create) the database from a path or URL, migrate it, and bind the models."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from peewee import Database

from klantbeheer.data import clock, session
from klantbeheer.data.engines import Engine, make_engine
from klantbeheer.data.errors import BadInput, DatabaseNotFound, DatabaseProblem
from klantbeheer.data.i18n import _
from klantbeheer.data.migrations import LATEST, MIGRATIONS

ENV_VAR = "KLANTBEHEER_DB"
# The app keeps one connection per worker thread (Textual runs thread workers in a pool of up to 6);
# SQLite's cache on top of the OS page cache barely speeds searches up, so the app asks for 4 MB each.
APP_CACHE_KIB = 4000


def default_location() -> str:
    """The database named by KLANTBEHEER_DB, else klantbeheer.db in the user's data directory."""
    return os.environ.get(ENV_VAR) or str(Path(platformdirs.user_data_dir("klantbeheer")) / "klantbeheer.db")


def demo_location() -> str:
    """The demo database in the user's data directory."""
    return str(Path(platformdirs.user_data_dir("klantbeheer")) / "demo.db")


def is_demo_location(location: str | None) -> bool:
    """True when location is the demo database (the only one that gets demo operators)."""
    if not location or "://" in location:
        return False
    return Path(location).expanduser().resolve() == Path(demo_location()).resolve()


def open_database(location: str | None = None, cache_kib: int | None = None, create: bool = False) -> Database:
    """Open and migrate the database and bind the models to it; a missing one is created only with create=True."""
    where = default_location() if location is None else location
    engine = make_engine(where, cache_kib)
    if not engine.exists():
        if not create:
            raise DatabaseNotFound(
                _("Database niet gevonden: {location} (maak een nieuwe met `klantbeheer init --db {location}`).").format(location=engine.location)
            )
        engine.can_create()
    if create:
        engine.create()
    session.opening(engine)
    _connect_and_migrate(engine, create)
    session.bind(engine)
    _use_office_zone(engine.db)
    return engine.db


def _use_office_zone(db: Database) -> None:
    """Make the database's time-zone setting this process's office zone (the default when unset or unknown)."""
    with session.translated():
        row = db.execute_sql("SELECT value FROM setting WHERE key = 'time_zone'").fetchone()
    try:
        clock.use_zone(row[0] if row else None)
    except ValueError:
        clock.use_zone(None)


def init_database(location: str | None = None) -> Database:
    """Create a new database (the `init` command); refuse one that already holds a Klantbeheer schema."""
    where = default_location() if location is None else location
    engine = make_engine(where)
    if engine.exists():
        engine.create()  # an empty file given to init: init's rights, and it may be opened empty
        with session.translated(engine.driver_errors()):
            engine.db.connect()
            try:
                engine.prepare()
                version = schema_version(engine.db)
            finally:
                engine.db.close()
        if version:
            raise BadInput(_("Database bestaat al: {location}; init maakt alleen een nieuwe.").format(location=engine.location))
    return open_database(where, create=True)


def _connect_and_migrate(engine: Engine, create: bool = False) -> None:
    """Connect, check the server, bring the schema to LATEST; DatabaseProblem on any trouble.

    Only `init` (create=True) makes the schema in an empty database: opened otherwise, it is refused.
    """
    db = engine.db
    try:
        with session.translated(engine.driver_errors()):
            db.connect(reuse_if_open=True)
            engine.prepare()
            if not create and schema_version(db) == 0:
                raise DatabaseNotFound(_("{location} is een lege database, geen Klantbeheer-database; maak een nieuwe met "
                                         "`klantbeheer init --db {location}`.").format(location=engine.location))
            migrate(engine)
    except DatabaseProblem:
        if not db.is_closed() and not db.in_transaction():
            db.close()
        raise


def schema_version(db: Database) -> int:
    """The schema version stored in the database (0 for an empty database)."""
    if "schema_info" not in db.get_tables():
        if db.get_tables():
            raise DatabaseProblem(_("Dit bestand is geen Klantbeheer-database."))
        return 0
    row = db.execute_sql("SELECT version FROM schema_info").fetchone()
    return int(row[0]) if row else 0


def migrate(engine: Engine, target: int = LATEST) -> None:
    """Apply the missing migrations in one transaction each; refuse a newer database."""
    db = engine.db
    current = schema_version(db)
    if current > LATEST:
        raise DatabaseProblem(
            _("Deze database heeft schemaversie {current}, nieuwer dan deze versie van Klantbeheer ({latest}); "
              "werk Klantbeheer bij.").format(current=current, latest=LATEST)
        )
    if current >= target:
        return
    with engine.migrating():
        for version in range(current + 1, target + 1):
            with db.atomic():
                if schema_version(db) >= version:  # another process migrated while we waited for the lock
                    continue
                getattr(MIGRATIONS[version - 1], engine.name)(db)
                if engine.broken_references():
                    raise DatabaseProblem(_("Bijwerken naar schemaversie {version} brak verwijzingen; niets is gewijzigd.").format(version=version))
                db.execute_sql("DELETE FROM schema_info")
                db.execute_sql(f"INSERT INTO schema_info (version) VALUES ({int(version)})")


def migrate_to(location: str, version: int) -> None:
    """Create a database at an older schema version (tests of the upgrade path)."""
    engine = make_engine(location)
    if not engine.exists():
        engine.create()
    with session.translated(engine.driver_errors()):
        engine.db.connect()
        try:
            migrate(engine, version)
        finally:
            engine.db.close()


__all__ = ["open_database", "init_database", "default_location", "demo_location", "migrate", "schema_version"]
