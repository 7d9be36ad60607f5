"""Version 8: every import is recorded, with the customers it created or changed, so it can be undone.

`customer_import` holds one row per stored import (file, operator, counts, the history ids it wrote,
when it was undone); `import_row` holds one row per customer it created or updated, with the values
an update replaced (JSON), so `import --undo` can delete or restore them.
Frozen: the SQL is written out here.
"""
from __future__ import annotations

from peewee import Database

IMPORT_COLUMNS = (
    "file_name VARCHAR(255) NOT NULL, operator VARCHAR(64) NOT NULL, "
    "created INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0, "
    "first_event_id INTEGER NOT NULL DEFAULT 0, last_event_id INTEGER NOT NULL DEFAULT 0, "
    "undone_by VARCHAR(64) NOT NULL DEFAULT ''"
)
ROW_COLUMNS = "import_id INTEGER NOT NULL REFERENCES customer_import (id), customer_id INTEGER NOT NULL, " \
              "action VARCHAR(10) NOT NULL, previous TEXT NOT NULL DEFAULT ''"
INDEXES = [
    "CREATE INDEX IF NOT EXISTS import_row_import_id ON import_row (import_id)",
    "CREATE INDEX IF NOT EXISTS import_row_customer_id ON import_row (customer_id)",
]
POSTGRES_GRANTS = """DO $$
BEGIN
    EXECUTE 'GRANT SELECT ON customer_import, import_row TO klantbeheer_medewerker, klantbeheer_beheerder';
    EXECUTE 'GRANT INSERT, UPDATE ON customer_import, import_row TO klantbeheer_beheerder';
    EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE customer_import_id_seq, import_row_id_seq TO klantbeheer_beheerder';
EXCEPTION WHEN insufficient_privilege OR undefined_object THEN
    RAISE NOTICE 'Klantbeheer: geen rechten op de groepsrollen; zie README (PostgreSQL, rollen).';
END $$"""


def sqlite(db: Database) -> None:
    """The two tables and their indexes."""
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS customer_import (id INTEGER NOT NULL PRIMARY KEY, {IMPORT_COLUMNS}, "
                   "started_at DATETIME NOT NULL, undone_at DATETIME)")
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS import_row (id INTEGER NOT NULL PRIMARY KEY, {ROW_COLUMNS})")
    for statement in INDEXES:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """The two tables, their indexes and the group roles' privileges (beheerders import and undo)."""
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS customer_import (id SERIAL NOT NULL PRIMARY KEY, {IMPORT_COLUMNS}, "
                   "started_at TIMESTAMP NOT NULL, undone_at TIMESTAMP)")
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS import_row (id SERIAL NOT NULL PRIMARY KEY, {ROW_COLUMNS})")
    for statement in INDEXES:
        db.execute_sql(statement)
    db.execute_sql(POSTGRES_GRANTS)
