"""`check`'s look for violations of the rule: no dossier for a customer who was blocked (or shared a
BTW-nummer or IBAN with a blocked customer) when the dossier was opened; no dossier without a customer.

The block state at a moment comes from the append-only history (blocked and unblocked events, with the
block's end date) and from the customer row itself (blocked, blocked_at, blocked_until), so a dossier
slipped in with raw SQL is found even after the trigger was put back. A customer row whose id has no
history (its id was changed by hand) is matched to the history by its customer number.
Moments are compared to the second, strictly: a dossier opened in the very second a block began or
ended is not reported (the trigger decided it; the stored times cannot tell which came first).
"""
from __future__ import annotations

import bisect
import datetime as dt
import heapq
import json
from dataclasses import dataclass, field
from typing import Any

from klantbeheer.data import clock, session
from klantbeheer.data.i18n import _, moment_text

FAR = dt.datetime.max


@dataclass
class _Customer:
    """What the history says of one customer: identity values over time and block spans."""

    identity: list[tuple[dt.datetime, str, str]] = field(default_factory=list)  # (from, vat, iban)
    spans: list[tuple[dt.datetime, dt.datetime, list[tuple[dt.datetime, dt.date | None]]]] = field(default_factory=list)
    """(start, end, parts): a block from its start to its end; parts: (from, end date in force from then on)."""
    open_block: tuple[dt.datetime, list[tuple[dt.datetime, dt.date | None]]] | None = None


def _moment(value: Any) -> dt.datetime | None:
    """A stored timestamp as a naive datetime (None when it is not one)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    try:
        return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    """A stored end date as a date (None when empty or not a date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _history(utc_from: int) -> tuple[dict[int, _Customer], dict[int, int]]:
    """Every customer's identity values and block spans from the history; customer number -> latest id."""
    db = session.database()
    customers: dict[int, _Customer] = {}
    by_number: dict[int, int] = {}
    rows = db.execute_sql("SELECT id, customer_id, customer_number, kind, changes, at FROM customer_event ORDER BY id")
    for event_id, customer_id, number, kind, changes, at in rows:
        moment = _moment(at)
        if moment is None:
            continue
        if event_id < utc_from:  # written in office time before schema 7
            moment = clock.from_office_time(moment)
        by_number[number] = customer_id
        record = customers.setdefault(customer_id, _Customer())
        try:
            data = json.loads(changes or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        _apply(record, kind, data, moment)
    return customers, by_number


def _apply(record: _Customer, kind: str, data: dict[str, Any], moment: dt.datetime) -> None:
    """One history event's effect on what we know of the customer."""
    if kind in ("created", "updated"):
        vat, iban = (record.identity[-1][1:] if record.identity else ("", ""))
        if kind == "created":
            vat, iban = str(data.get("vat_number") or ""), str(data.get("iban") or "")
        else:
            change = data.get("vat_number")
            vat = str(change[1] or "") if isinstance(change, list) and len(change) == 2 else vat
            change = data.get("iban")
            iban = str(change[1] or "") if isinstance(change, list) and len(change) == 2 else iban
        record.identity.append((moment, vat, iban))
    elif kind == "blocked":
        if record.open_block is not None:  # a changed block: the same block, its new end date from now on
            record.open_block[1].append((moment, _date(data.get("until"))))
        else:
            record.open_block = (moment, [(moment, _date(data.get("until")))])
    elif kind in ("unblocked", "deleted"):
        if record.open_block is not None:
            record.spans.append((record.open_block[0], moment, record.open_block[1]))
            record.open_block = None


def _identity_at(record: _Customer | None, moment: dt.datetime, row: tuple[str, str]) -> tuple[str, str]:
    """The customer's (BTW-nummer, IBAN) at a moment: from the history, else the row's current values."""
    if record is None or not record.identity:
        return row
    place = bisect.bisect_right([entry[0] for entry in record.identity], moment)
    return record.identity[place - 1][1:] if place else record.identity[0][1:]


@dataclass(frozen=True)
class _Row:
    """A customer row as stored now."""

    id: int
    number: int
    vat: str
    iban: str


def blocked_dossier_problems() -> list[str]:
    """Dossiers opened while their owner, or a BTW/IBAN twin of the owner, was blocked (Dutch lines)."""
    db = session.database()
    row = db.execute_sql("SELECT value FROM setting WHERE key = 'history_utc_from_id'").fetchone()
    utc_from = int(row[0]) if row and str(row[0]).isdigit() else 0
    history, by_number = _history(utc_from)
    rows: dict[int, _Row] = {}
    spans: list[tuple[dt.datetime, dt.datetime, list[tuple[dt.datetime, dt.date | None]], int]] = []  # (start, end, parts, row id)
    for ident, number, vat, iban, blocked, blocked_at, until in db.execute_sql(
            "SELECT id, number, vat_number, iban, blocked, blocked_at, blocked_until FROM customer"):
        rows[ident] = _Row(ident, number, vat or "", iban or "")
        record = history.get(ident) or history.get(by_number.get(number, -1))
        if record is not None:
            spans.extend((start, end, parts, ident) for start, end, parts in record.spans)
            if record.open_block is not None:
                spans.append((record.open_block[0], FAR, record.open_block[1], ident))
        since = _moment(blocked_at)
        if blocked and since is not None:
            spans.append((since, FAR, [(since, _date(until))], ident))
    if not spans:
        return []
    spans.sort(key=lambda span: (span[0], span[1], span[3]))
    dossiers = sorted(
        (moment, number, customer_id)
        for number, customer_id, created_at in db.execute_sql("SELECT number, customer_id, created_at FROM dossier")
        if (moment := _moment(created_at)) is not None and customer_id in rows
    )
    problems: list[str] = []
    active: list[tuple[dt.datetime, int]] = []  # heap of (end, index into spans)
    next_span = 0
    for moment, number, customer_id in dossiers:
        while next_span < len(spans) and spans[next_span][0] < moment:
            heapq.heappush(active, (spans[next_span][1], next_span))
            next_span += 1
        while active and active[0][0] <= moment:
            heapq.heappop(active)
        finding = _finding(moment, rows[customer_id], [spans[index] for _end, index in active], rows, history, by_number)
        if finding:
            problems.append(_line(number, moment, rows[customer_id].number, finding))
    return problems


def _until(parts: list[tuple[dt.datetime, dt.date | None]], moment: dt.datetime) -> dt.date | None:
    """The block's end date in force at a moment (the part begun last at or before it)."""
    place = bisect.bisect_right([start for start, _until in parts], moment)
    return parts[max(place - 1, 0)][1]


def _finding(moment: dt.datetime, owner: _Row, active: list[tuple[dt.datetime, dt.datetime, list[tuple[dt.datetime, dt.date | None]], int]],
             rows: dict[int, _Row], history: dict[int, _Customer], by_number: dict[int, int]) -> tuple[str, int] | None:
    """How the owner was blocked at that moment: ("self"|"vat"|"iban", blocked customer's number), or None."""
    office_day = clock.local(moment).date()

    def record(row: _Row) -> _Customer | None:
        return history.get(row.id) or history.get(by_number.get(row.number, -1))

    vat, iban = _identity_at(record(owner), moment, (owner.vat, owner.iban))
    best: tuple[str, int] | None = None
    for _start, _end, parts, ident in active:
        until = _until(parts, moment)
        if until is not None and until < office_day:
            continue
        blocked = rows[ident]
        if ident == owner.id:
            return ("self", blocked.number)
        b_vat, b_iban = _identity_at(record(blocked), moment, (blocked.vat, blocked.iban))
        if vat and b_vat == vat:
            best = best or ("vat", blocked.number)
        elif iban and b_iban == iban:
            best = best or ("iban", blocked.number)
    return best


def _line(dossier: str, moment: dt.datetime, owner: int, finding: tuple[str, int]) -> str:
    """One Dutch line for a dossier opened against the rule."""
    how, blocked = finding
    when = moment_text(clock.local(moment))
    if how == "self":
        return _("Dossier {dossier} (geopend {when}) hoort bij klant {owner}, die toen geblokkeerd was.").format(
            dossier=dossier, when=when, owner=owner)
    if how == "vat":
        return _("Dossier {dossier} (geopend {when}) hoort bij klant {owner}, die toen hetzelfde BTW-nummer had "
                 "als de geblokkeerde klant {blocked}.").format(dossier=dossier, when=when, owner=owner, blocked=blocked)
    return _("Dossier {dossier} (geopend {when}) hoort bij klant {owner}, die toen dezelfde IBAN had "
             "als de geblokkeerde klant {blocked}.").format(dossier=dossier, when=when, owner=owner, blocked=blocked)


def orphan_dossier_problems() -> list[str]:
    """Dossiers whose customer does not exist (Dutch lines)."""
    rows = session.database().execute_sql(
        "SELECT d.number, d.customer_id FROM dossier d LEFT JOIN customer c ON c.id = d.customer_id "
        "WHERE c.id IS NULL ORDER BY d.number").fetchall()
    return [_("Dossier {dossier} verwijst naar klant-id {ident}, die niet bestaat.").format(dossier=number, ident=ident)
            for number, ident in rows]


def dossier_problems() -> list[str]:
    """Every dossier against the rule, and every dossier without a customer."""
    return [*orphan_dossier_problems(), *blocked_dossier_problems()]
