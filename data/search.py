"""Customer search: case- and accent-insensitive, every word must match, exact hits first."""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from peewee import Expression, SqliteDatabase

from data import search_engine, search_sqlite
from data.models import Customer, database_proxy
from data.normalize import normalize, words
from data.validation import check_vat

SUMMARY_FIELDS = [
    Customer.id, Customer.number, Customer.name, Customer.postcode, Customer.city, Customer.vat_number,
    Customer.external_ref, Customer.blocked, Customer.blocked_until, Customer.updated_at,
]


def is_sqlite(db: object) -> bool:
    """True when the bound database is SQLite (the fast index path)."""
    return isinstance(db, SqliteDatabase)


def active_block_filter(today: dt.date | None = None) -> Expression:
    """Peewee condition: the customer is blocked and the block has not lapsed."""
    day = today or dt.date.today()
    return (Customer.blocked == True) & (Customer.blocked_until.is_null() | (Customer.blocked_until >= day))  # noqa: E712


def _blocked_sql() -> tuple[str, list]:
    """The same condition as SQL for the raw index query."""
    return " AND c.blocked = 1 AND (c.blocked_until IS NULL OR c.blocked_until >= ?)", [dt.date.today().isoformat()]


def _prefix_range(field, prefix: str) -> Expression:
    """field starts with prefix, as an index-friendly range."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (field >= prefix) & (field < upper)


def _exact_ids(text: str, where: Expression | None) -> list[int]:
    """Customers whose number, external ref or VAT number equals the query."""
    stripped = text.strip()
    conditions = []
    if stripped.isdigit() and stripped.isascii() and len(stripped) <= 9:
        conditions.append(Customer.number == int(stripped))
    if stripped and len(stripped) <= 40:
        conditions.append(Customer.external_ref == stripped)
    try:
        vat = check_vat(stripped) if 8 <= len(stripped) <= 20 else ""
    except ValueError:
        vat = ""
    if vat:
        conditions.append(Customer.vat_number == vat)
    ids: list[int] = []
    for condition in conditions:
        query = Customer.select(Customer.id).where(condition if where is None else condition & where)
        ids.extend(row.id for row in query.limit(20))
    return ids


def _name_prefix_ids(full: str, limit: int, where: Expression | None) -> list[int]:
    """Customers whose normalised name starts with the whole normalised query, by name."""
    condition = _prefix_range(Customer.name_norm, full)
    if where is not None:
        condition &= where
    query = Customer.select(Customer.id).where(condition).order_by(Customer.name_norm).limit(limit)
    return [row.id for row in query]


def _short_ids(short: list[str], limit: int, where: Expression | None) -> list[int]:
    """One- and two-character words only: postcodes starting with the first word."""
    condition = _prefix_range(Customer.postcode, short[0])
    for word in short[1:]:
        condition &= Customer.search_text.contains(word)
    if where is not None:
        condition &= where
    query = Customer.select(Customer.id).where(condition).order_by(Customer.postcode).limit(limit)
    return [row.id for row in query]


@functools.lru_cache(maxsize=256)
def _vat_of(text: str) -> str:
    """The stored form of a VAT number typed in any form, or "" when text is not one."""
    if not 8 <= len(text) <= 20:
        return ""
    try:
        return check_vat(text)
    except ValueError:
        return ""


def _sqlite_ids(text: str, query_words: list[str], limit: int, blocked_only: bool) -> list[int]:
    """Ranked ids on SQLite: exact number / external ref / VAT, names starting with the text, the rest."""
    stripped = text.strip()
    number = int(stripped) if stripped.isdigit() and stripped.isascii() and len(stripped) <= 9 else None
    refs = list(dict.fromkeys([stripped, stripped.upper(), stripped.lower()])) if stripped and len(stripped) <= 40 else []
    found: dict[int, None] = dict.fromkeys(search_sqlite.exact_ids(number, refs, _vat_of(stripped), blocked_only))
    if len(found) < limit:
        found.update(dict.fromkeys(search_sqlite.name_prefix_ids(normalize(text[:500]), limit, blocked_only)))
    if len(found) < limit:
        found.update(dict.fromkeys(search_sqlite.contains_ids(query_words, limit + len(found), blocked_only)))
    return list(found)[:limit]


def matching_ids(text: str, limit: int, blocked_only: bool = False) -> list[int]:
    """Ids of matching customers in rank order: exact, name prefix, then any field contains."""
    text = text or ""
    query_words = words(text)
    if not query_words:
        return []
    if is_sqlite(database_proxy.obj):
        return _sqlite_ids(text, query_words, limit, blocked_only)
    where = active_block_filter() if blocked_only else None
    found: dict[int, None] = {}
    for ident in _exact_ids(text, where):
        found.setdefault(ident)
    full = normalize(text[:500])
    if len(found) < limit:
        for ident in _name_prefix_ids(full, limit, where):
            found.setdefault(ident)
    if len(found) < limit:
        long_words = [w for w in query_words if len(w) >= 3]
        short_words = [w for w in query_words if len(w) < 3]
        if long_words:
            extra_sql, params = _blocked_sql() if blocked_only else ("", [])
            backend = search_engine.backend(database_proxy.obj)
            ids = backend.contains_ids(long_words, short_words, limit + len(found), extra_sql, params)
        else:
            ids = _short_ids(short_words, limit, where)
        for ident in ids:
            found.setdefault(ident)
    return list(found)[:limit]


def _summaries(ids: list[int]) -> list[dict[str, Any]]:
    """Search result rows for ids, kept in the given order."""
    if not ids:
        return []
    if is_sqlite(database_proxy.obj):
        to_date, to_stamp = Customer.blocked_until.python_value, Customer.updated_at.python_value
        rows = {}
        for values in search_sqlite.summaries(ids):
            row = dict(zip(search_sqlite.SUMMARY_COLUMNS, values))
            row["blocked_until"], row["updated_at"] = to_date(row["blocked_until"]), to_stamp(row["updated_at"])
            rows[row["id"]] = row
    else:
        rows = {row["id"]: row for row in Customer.select(*SUMMARY_FIELDS).where(Customer.id.in_(ids)).dicts()}
    today = dt.date.today()
    result = []
    for ident in ids:
        row = rows.get(ident)
        if row is None:
            continue
        until = row.pop("blocked_until")
        row["blocked"] = bool(row["blocked"]) and (until is None or _as_date(until) >= today)
        row["blocked_until"] = until
        result.append(row)
    return result


def _as_date(value: Any) -> dt.date:
    """A stored date (date or ISO text) as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def recent(limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """The most recently changed customers (what an empty search shows)."""
    if is_sqlite(database_proxy.obj):
        return _summaries(search_sqlite.recent_ids(limit, blocked_only))
    query = Customer.select(Customer.id).order_by(Customer.updated_at.desc(), Customer.id.desc()).limit(limit)
    if blocked_only:
        query = query.where(active_block_filter())
    return _summaries([row.id for row in query])


def search(text: str, limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """Customers matching text in rank order; an empty query gives the most recently changed."""
    limit = max(1, min(int(limit), 1000))
    if not words(text or ""):
        return recent(limit, blocked_only)
    return _summaries(matching_ids(text, limit, blocked_only))


def count(text: str, cap: int = 1000, blocked_only: bool = False) -> int:
    """How many customers match, counted up to cap + 1 (more means 'meer dan cap')."""
    if not words(text or ""):
        query = Customer.select(Customer.id)
        if blocked_only:
            query = query.where(active_block_filter())
        return query.limit(cap + 1).count()
    return len(matching_ids(text, cap + 1, blocked_only))
