"""Version 8: each operator's language (`staff.language`: "nl", "fr" or "en"; "" = follow the environment).

PostgreSQL: a medewerker may change their own language (the rule "only your own" lives in data/staff.py),
so the group role klantbeheer_medewerker gets UPDATE on that one column.

Frozen: this step carries its own SQL.
"""
from __future__ import annotations

from peewee import Database

COLUMN = "ALTER TABLE staff ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT ''"
POSTGRES_GRANT = """DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_medewerker') THEN
        EXECUTE 'GRANT UPDATE (language) ON staff TO klantbeheer_medewerker';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om klantbeheer_medewerker de taalkolom te geven; zie README (PostgreSQL, rollen).';
END $$"""


def sqlite(db: Database) -> None:
    """Add the language column (existing operators: '' = follow the environment)."""
    db.execute_sql(COLUMN)


def postgresql(db: Database) -> None:
    """Add the language column and let a medewerker update it."""
    db.execute_sql("ALTER TABLE staff ADD COLUMN IF NOT EXISTS language VARCHAR(5) NOT NULL DEFAULT ''")
    db.execute_sql(POSTGRES_GRANT)
