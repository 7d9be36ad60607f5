"""Make the customer history append-only in the database itself."""
from __future__ import annotations

from peewee import Database, SqliteDatabase

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_update BEFORE UPDATE ON customer_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_delete BEFORE DELETE ON customer_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
]


def install(db: Database) -> None:
    """Refuse UPDATE and DELETE on customer_event."""
    if isinstance(db, SqliteDatabase):
        for statement in SQLITE:
            db.execute_sql(statement)
