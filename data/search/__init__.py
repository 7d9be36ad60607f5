"""Customer search: case- and accent-insensitive, every word must match, exact hits first.

The shared part (query planning, ranking tiers, result rows) lives here; each engine's SQL lives
beside it (sqlite.py, postgres.py) and is reached through the bound engine, never by asking which.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from peewee import Expression

from data import clock, session
from data.visible import visible_values
from data.session import data_function
from data.models import Customer
from data.normalize import normalize, words
from data.validation import check_vat


def active_block_filter(today: dt.date | None = None) -> Expression:
    """Peewee condition: the customer is blocked and the block has not lapsed."""
    day = today or clock.today()
    return (Customer.blocked == True) & (Customer.blocked_until.is_null() | (Customer.blocked_until >= day))  # noqa: E712


@functools.lru_cache(maxsize=256)
def _vat_of(text: str) -> str:
    """The stored form of a VAT number typed in any form, or "" when text is not one."""
    if not 8 <= len(text) <= 20:
        return ""
    try:
        return check_vat(text)
    except ValueError:
        return ""


def _engine_ids(text: str, query_words: list[str], limit: int, blocked_only: bool) -> list[int]:
    """Ranked ids from the engine's backend: exact number / external ref / VAT, names starting with the text, the rest."""
    backend = session.engine().search
    stripped = text.strip()
    number = int(stripped) if stripped.isdigit() and stripped.isascii() and len(stripped) <= 9 else None
    refs = list(dict.fromkeys([stripped, stripped.upper(), stripped.lower()])) if stripped and len(stripped) <= 40 else []
    found: dict[int, None] = dict.fromkeys(backend.exact_ids(number, refs, _vat_of(stripped), blocked_only))
    if len(found) < limit:
        found.update(dict.fromkeys(backend.name_prefix_ids(normalize(text[:500]), limit, blocked_only)))
    if len(found) < limit:
        found.update(dict.fromkeys(backend.contains_ids(query_words, limit + len(found), blocked_only)))
    return list(found)[:limit]


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database can take them


@data_function
def matching_ids(text: str, limit: int, blocked_only: bool = False) -> list[int]:
    """Ids of matching customers in rank order: exact, name prefix, then any field contains."""
    text = _UNSTORABLE.sub("", text or "")
    query_words = words(text)
    if not query_words:
        return []
    return _engine_ids(text, query_words, limit, blocked_only)


def _summaries(ids: list[int]) -> list[dict[str, Any]]:
    """Search result rows for ids, kept in the given order."""
    if not ids:
        return []
    backend = session.engine().search
    to_date, to_stamp = Customer.blocked_until.python_value, Customer.updated_at.python_value
    rows = {}
    for values in backend.summaries(ids):
        row = dict(zip(backend.SUMMARY_COLUMNS, values))
        row["blocked_until"], row["updated_at"] = to_date(row["blocked_until"]), to_stamp(row["updated_at"])
        rows[row["id"]] = row
    today = clock.today()
    result = []
    for ident in ids:
        row = rows.get(ident)
        if row is None:
            continue
        until = row.pop("blocked_until")
        row["blocked"] = bool(row["blocked"]) and (until is None or _as_date(until) >= today)
        row["blocked_until"] = until
        result.append(row)
    twins = _blocked_vat_numbers({row["vat_number"] for row in result if row["vat_number"] and not row["blocked"]})
    for row in result:
        row["vat_blocked"] = not row["blocked"] and row["vat_number"] in twins
    return [visible_values(row) for row in result]


def _blocked_vat_numbers(vat_numbers: set[str]) -> set[str]:
    """Those of the given BTW-nummers that belong to a customer blocked today (one query)."""
    if not vat_numbers:
        return set()
    query = Customer.select(Customer.vat_number).where(Customer.vat_number.in_(sorted(vat_numbers)) & active_block_filter())
    return {row.vat_number for row in query}


def _as_date(value: Any) -> dt.date:
    """A stored date (date or ISO text) as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@data_function
def recent(limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """The most recently changed customers (what an empty search shows)."""
    return _summaries(session.engine().search.recent_ids(limit, blocked_only))


@data_function
def search(text: str, limit: int = 50, blocked_only: bool = False) -> list[dict[str, Any]]:
    """Customers matching text in rank order; an empty query gives the most recently changed."""
    limit = max(1, min(int(limit), 1000))
    if not words(text or ""):
        return recent(limit, blocked_only)
    return _summaries(matching_ids(text, limit, blocked_only))


@data_function
def count(text: str, cap: int = 1000, blocked_only: bool = False) -> int:
    """How many customers match, counted up to cap + 1 (more means 'meer dan cap')."""
    if not words(text or ""):
        query = Customer.select(Customer.id)
        if blocked_only:
            query = query.where(active_block_filter())
        return query.limit(cap + 1).count()
    return len(matching_ids(text, cap + 1, blocked_only))
