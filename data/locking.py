"""The locking seam: what a write transaction must lock so concurrent sessions stay correct.

SQLite: every write transaction begins IMMEDIATE (one writer at a time), so nothing more is
needed. PostgreSQL: the customer row is read FOR UPDATE before a dossier is created, and number
sequences are serialised with a transaction-scoped advisory lock.
"""
from __future__ import annotations

import zlib

from peewee import ModelSelect

from data.models import database_proxy


def _is_sqlite() -> bool:
    """True when the bound database is SQLite."""
    from data.db import is_sqlite

    return is_sqlite()


def for_update(query: ModelSelect) -> ModelSelect:
    """The query with FOR UPDATE where the engine has row locks (PostgreSQL)."""
    return query if _is_sqlite() else query.for_update()


def serialize(name: str) -> None:
    """Hold a lock named `name` until the transaction ends (PostgreSQL advisory lock)."""
    if not _is_sqlite():
        key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        database_proxy.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))
