"""Whether a customer's block holds today: one home for the rule, used by customers and twins."""
from __future__ import annotations

import datetime as dt
from typing import Any

from klantbeheer.data import clock
from klantbeheer.data.models import Customer


def block_active(customer: Customer | dict[str, Any], today: dt.date | None = None) -> bool:
    """True while a block holds: set, and its end date (if any) not passed."""
    get = customer.get if isinstance(customer, dict) else lambda key: getattr(customer, key)
    if not get("blocked"):
        return False
    until = get("blocked_until")
    if until is None:
        return True
    if not isinstance(until, dt.date):
        until = dt.date.fromisoformat(str(until)[:10])
    return until >= (today or clock.today())


__all__ = ["block_active"]
