"""Pick the search backend for the engine in use (the one place that asks which engine)."""
from __future__ import annotations

from types import ModuleType

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def backend(db: Database) -> ModuleType:
    """The module implementing install/rebuild/contains_ids/integrity_problem for this engine."""
    if isinstance(db, SqliteDatabase):
        from data import search_sqlite

        return search_sqlite
    if isinstance(db, PostgresqlDatabase):
        from data import search_postgres

        return search_postgres
    raise NotImplementedError("Zoeken is voor deze database nog niet beschikbaar.")
