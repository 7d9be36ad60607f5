"""Schema 12: the PostgreSQL group roles may use the typo vocabulary (search_word, search_word_delete).

Migration 8 made the tables without privileges, so a medewerker's own login could neither search
with a typo nor create a customer (the vocabulary trigger inserts as the caller). SQLite has no roles.
"""
from __future__ import annotations

from peewee import Database

POSTGRES_GRANTS = """DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_medewerker')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN
        EXECUTE 'GRANT SELECT, INSERT ON search_word, search_word_delete TO klantbeheer_medewerker, klantbeheer_beheerder';
        IF to_regclass('search_trigram') IS NOT NULL THEN
            EXECUTE 'GRANT SELECT ON search_trigram TO klantbeheer_medewerker, klantbeheer_beheerder';
        END IF;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Klantbeheer: geen rechten om de groepsrollen rechten te geven; zie README (PostgreSQL, rollen).';
END $$"""


def sqlite(db: Database) -> None:
    """Nothing to do: SQLite has no roles."""


def postgresql(db: Database) -> None:
    """Grant the group roles reading and adding vocabulary words."""
    db.execute_sql(POSTGRES_GRANTS)
