"""Version 3: a smaller, faster search index, and an index for searching blocked customers only.

On SQLite the FTS5 trigram index becomes `detail=none, columnsize=0` (about a third of the size,
faster to build and to query; the search checks every candidate's text itself, see
data/search_sqlite.py), its update trigger fires only when the search text really changed, and
a partial index on the names of blocked customers serves the "alleen geblokkeerd" filter.
On PostgreSQL this step creates pg_trgm and its indexes instead (PostgreSQL was supported only
from this change on, so no PostgreSQL database exists at version 3 without them).
"""
from __future__ import annotations

from peewee import Database, SqliteDatabase


def apply(db: Database) -> None:
    """Replace the version-2 search index and add the blocked-customers index (PostgreSQL: the pg_trgm indexes)."""
    if not isinstance(db, SqliteDatabase):
        # PostgreSQL: the trigram GIN index and the byte-order b-trees (data/search_postgres.py).
        from data import search_engine

        search_engine.backend(db).install(db)
        from data.changes import install_notify

        install_notify(db)  # live refresh of the search screen (LISTEN/NOTIFY)
        return
    from data import search_sqlite

    search_sqlite.uninstall(db)
    search_sqlite.install(db)
    db.execute_sql(search_sqlite.BLOCKED_INDEX_DDL)
