"""Stored timestamps and dates as the screens show them in the operator's language (dd-mm-jjjj uu:mm in Dutch, dd/mm/yyyy in French)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from klantbeheer.data import clock
from klantbeheer.data.i18n import date_text, moment_text


def format_moment(value: Any, empty: str = "") -> str:
    """A timestamp as dd-mm-jjjj uu:mm, a date as dd-mm-jjjj (stored values may come back as text); nothing as `empty`."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return moment_text(clock.local(value))
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value or empty)
