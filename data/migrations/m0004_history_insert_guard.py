"""Version 4: history rows cannot be replaced either (INSERT OR REPLACE of an existing event)."""
from __future__ import annotations

from peewee import Database

SQLITE_GUARD = (
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_replace BEFORE INSERT ON customer_event "
    "WHEN EXISTS (SELECT 1 FROM customer_event WHERE id = new.id) "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END"
)


def sqlite(db: Database) -> None:
    """Refuse an insert that reuses the id of an existing event."""
    db.execute_sql(SQLITE_GUARD)


def postgresql(db: Database) -> None:
    """Nothing: PostgreSQL has no INSERT OR REPLACE."""
