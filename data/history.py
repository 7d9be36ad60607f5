"""Customer history (customer_event, append-only): the one writer of its rows, and their reader for the history shown."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from klantbeheer.data import clock, session, settings
from klantbeheer.data.models import Customer, CustomerEvent, now
from klantbeheer.data.visible import visible, visible_tree

COLUMNS = "customer_id, customer_number, kind, changes, operator, at"  # the columns every event row fills


def as_json(value: Any) -> str:
    """An event's changes as the JSON the history stores."""
    return json.dumps(value, default=str, ensure_ascii=False)


def record(customer: Customer, kind: str, changes: dict[str, Any], operator: str, at: dt.datetime | None = None) -> None:
    """Append one event to the customer's history (at now() unless `at` is given)."""
    CustomerEvent.create(
        customer_id=customer.id, customer_number=customer.number, kind=kind,
        changes=as_json(changes), operator=operator, at=at if at is not None else now(),
    )


def record_rows(rows: list[tuple[Any, ...]]) -> None:
    """Append many events at once: each row (customer_id, customer_number, kind, changes JSON, operator, at)."""
    db = session.database()
    db.cursor().executemany(f"INSERT INTO customer_event ({COLUMNS}) VALUES ({', '.join([db.param] * 6)})", rows)


def record_select(select: str, params: tuple[Any, ...]) -> None:
    """Append the events a SELECT of those six columns gives, in one statement built by the database."""
    session.database().execute_sql(f"INSERT INTO customer_event ({COLUMNS}) {select}", params)


def for_customer(customer: Customer) -> list[dict[str, Any]]:
    """The customer's events, newest first, with the changes decoded."""
    query = CustomerEvent.select().where(CustomerEvent.customer_id == customer.id).order_by(CustomerEvent.id.desc())
    utc_from = settings.history_utc_from_id()
    return [
        {"kind": e.kind, "operator": visible(e.operator),
         "at": e.at if e.id >= utc_from else clock.from_office_time(e.at),
         "changes": visible_tree(json.loads(e.changes or "{}"))}
        for e in query
    ]
