"""Stored timestamps and dates as the screens show them (dd-mm-jjjj uu:mm, dd-mm-jjjj)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from data import clock


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
        return clock.local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value or empty)
