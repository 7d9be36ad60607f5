"""Pick the search backend for the engine in use (the one place that asks which engine)."""
from __future__ import annotations

from types import ModuleType

from peewee import Database, SqliteDatabase


def backend(db: Database) -> ModuleType:
    """The module implementing install/rebuild/contains_ids/integrity_problem for this engine."""
    if isinstance(db, SqliteDatabase):
        from data import search_sqlite

        return search_sqlite
    raise NotImplementedError("Zoeken is voor deze database nog niet beschikbaar.")
