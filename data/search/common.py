"""What both search backends share: the bound database, row fetching, result columns, two-character trigrams.

The engine-specific SQL stays in data/search/sqlite.py and data/search/postgres.py.
"""
from __future__ import annotations

from peewee import Database

from klantbeheer.data import session

# The characters a normalised search text holds besides the separator " | " (see data/normalize.py).
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz "
SUMMARY_COLUMNS = ["id", "number", "name", "postcode", "city", "vat_number", "external_ref", "blocked",
                   "blocked_until", "updated_at"]


def bound_db() -> Database:
    """The bound database."""
    return session.database()


def fetch_rows(sql: str, params: list) -> list[tuple]:
    """Run a query on the bound database and fetch every row."""
    return bound_db().execute_sql(sql, params).fetchall()


def pair_trigrams(pair: str) -> list[str]:
    """Every trigram that contains a two-character word (a search text is never shorter than three)."""
    return list(dict.fromkeys([pair + ch for ch in ALPHABET] + [ch + pair for ch in ALPHABET]))


class IndexCheckBusy(Exception):
    """The index's own check needs the write lock and another process holds it (the index was not checked)."""
