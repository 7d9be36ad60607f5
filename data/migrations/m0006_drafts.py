"""Version 6: the drafts table, where unsaved form input waits until it is saved, given up or restored."""
from __future__ import annotations

from peewee import Database

COLUMNS = "operator VARCHAR(64) NOT NULL, key VARCHAR(40) NOT NULL, payload TEXT NOT NULL"
INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS draft_operator_key ON draft (operator, key)"


def sqlite(db: Database) -> None:
    """Create the drafts table: one row per operator and form (customer number, 'new' or the dossier)."""
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS draft (id INTEGER NOT NULL PRIMARY KEY, {COLUMNS}, saved_at DATETIME NOT NULL)")
    db.execute_sql(INDEX)


def postgresql(db: Database) -> None:
    """Create the drafts table: one row per operator and form (customer number, 'new' or the dossier)."""
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS draft (id SERIAL NOT NULL PRIMARY KEY, {COLUMNS}, saved_at TIMESTAMP NOT NULL)")
    db.execute_sql(INDEX)
