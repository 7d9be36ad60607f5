"""Make the customer history append-only in the database itself."""
from __future__ import annotations

from peewee import Database, PostgresqlDatabase, SqliteDatabase

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_update BEFORE UPDATE ON customer_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
    "CREATE TRIGGER IF NOT EXISTS customer_event_no_delete BEFORE DELETE ON customer_event "
    "BEGIN SELECT RAISE(ABORT, 'historiek is alleen-toevoegen'); END",
]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION customer_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'historiek is alleen-toevoegen' USING ERRCODE = 'restrict_violation'; END $$",
    "CREATE OR REPLACE TRIGGER customer_event_no_change BEFORE UPDATE OR DELETE ON customer_event "
    "FOR EACH ROW EXECUTE FUNCTION customer_event_append_only()",
    "CREATE OR REPLACE TRIGGER customer_event_no_truncate BEFORE TRUNCATE ON customer_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_event_append_only()",
]


def install(db: Database) -> None:
    """Refuse UPDATE and DELETE on customer_event (and TRUNCATE on PostgreSQL)."""
    if isinstance(db, SqliteDatabase):
        for statement in SQLITE:
            db.execute_sql(statement)
    elif isinstance(db, PostgresqlDatabase):
        for statement in POSTGRES:
            db.execute_sql(statement)
