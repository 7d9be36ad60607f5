"""Version 5: dossier numbers may have six digits after the year (2026-100000), so the column holds 12."""
from __future__ import annotations

from peewee import Database


def sqlite(db: Database) -> None:
    """Nothing: SQLite does not enforce a VARCHAR's length."""


def postgresql(db: Database) -> None:
    """Widen dossier.number to VARCHAR(12)."""
    db.execute_sql("ALTER TABLE dossier ALTER COLUMN number TYPE VARCHAR(12)")
