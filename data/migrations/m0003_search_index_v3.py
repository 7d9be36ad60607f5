"""Version 3: a smaller, faster search index, and an index for searching blocked customers only.

On SQLite the FTS5 trigram index becomes `detail=none, columnsize=0` (about a third of the size,
faster to build and to query; the search checks every candidate's text itself, see
data/search/sqlite.py), its update trigger fires only when the search text really changed, a
table of per-trigram counts steers queries, and a partial index on the names of blocked customers
serves the "alleen geblokkeerd" filter. On PostgreSQL this step creates pg_trgm, its indexes and
the change-notification trigger instead (PostgreSQL was supported only from this change on).

Frozen: every statement is written out here, so next year's code does not change this step.
"""
from __future__ import annotations

from peewee import Database

SQLITE_DROP_V2 = [
    "DROP TRIGGER IF EXISTS customer_fts_ai",
    "DROP TRIGGER IF EXISTS customer_fts_ad",
    "DROP TRIGGER IF EXISTS customer_fts_au",
    "DROP TABLE IF EXISTS customer_fts",
    "DROP TABLE IF EXISTS customer_fts_stats",
]
SQLITE_V3 = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5(search_text, content='customer', "
    "content_rowid='id', tokenize='trigram case_sensitive 1', detail=none, columnsize=0)",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE OF search_text, id ON customer "
    "WHEN old.search_text IS NOT new.search_text OR old.id IS NOT new.id BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
    "INSERT INTO customer_fts(customer_fts) VALUES ('optimize')",
    "CREATE TABLE IF NOT EXISTS customer_fts_stats (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.customer_fts_vocab USING fts5vocab(main, customer_fts, row)",
    "DELETE FROM customer_fts_stats",
    "INSERT INTO customer_fts_stats (term, docs) SELECT term, doc FROM temp.customer_fts_vocab",
    "INSERT OR REPLACE INTO customer_fts_stats (term, docs) SELECT '', count(*) FROM customer",
    "DROP TABLE temp.customer_fts_vocab",
    "CREATE INDEX IF NOT EXISTS customer_blocked_name ON customer(name_norm) WHERE blocked = 1",
]
POSTGRES_V3 = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customer_search_trgm ON customer USING gin (search_text gin_trgm_ops)",
    'CREATE INDEX IF NOT EXISTS customer_name_norm_c ON customer (name_norm COLLATE "C")',
    'CREATE INDEX IF NOT EXISTS customer_blocked_name_c ON customer (name_norm COLLATE "C") WHERE blocked',
    "CREATE INDEX IF NOT EXISTS customer_recent ON customer (updated_at, id)",
    "ANALYZE customer",
    # live refresh of the search screen (LISTEN/NOTIFY); a plain CREATE TRIGGER (no database has it before this
    # step), since CREATE OR REPLACE TRIGGER needs PostgreSQL 14
    "CREATE OR REPLACE FUNCTION customer_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM pg_notify('klantbeheer_customer', TG_OP); RETURN NULL; END $$",
    "CREATE TRIGGER customer_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customer "
    "FOR EACH STATEMENT EXECUTE FUNCTION customer_notify_change()",
]


def sqlite(db: Database) -> None:
    """SQLite: replace the version-2 index by the version-3 one, with statistics and the blocked index."""
    for statement in SQLITE_DROP_V2 + SQLITE_V3:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """PostgreSQL: pg_trgm, the search indexes and the change-notification trigger."""
    for statement in POSTGRES_V3:
        db.execute_sql(statement)
