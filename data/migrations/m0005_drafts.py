"""Version 5: the drafts table, where unsaved form input waits until it is saved, given up or restored."""
from __future__ import annotations

from peewee import Database, PostgresqlDatabase

SQLITE = (
    "CREATE TABLE IF NOT EXISTS draft ("
    " id INTEGER NOT NULL PRIMARY KEY,"
    " operator VARCHAR(64) NOT NULL,"
    " key VARCHAR(40) NOT NULL,"
    " payload TEXT NOT NULL,"
    " saved_at DATETIME NOT NULL)"
)
POSTGRES = (
    "CREATE TABLE IF NOT EXISTS draft ("
    " id SERIAL NOT NULL PRIMARY KEY,"
    " operator VARCHAR(64) NOT NULL,"
    " key VARCHAR(40) NOT NULL,"
    " payload TEXT NOT NULL,"
    " saved_at TIMESTAMP NOT NULL)"
)
INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS draft_operator_key ON draft (operator, key)"


def apply(db: Database) -> None:
    """Create the drafts table: one row per operator and form (customer number or 'new')."""
    db.execute_sql(POSTGRES if isinstance(db, PostgresqlDatabase) else SQLITE)
    db.execute_sql(INDEX)
