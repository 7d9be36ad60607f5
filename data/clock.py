"""The office clock: timestamps are stored in UTC, "today" and what people read are in the office's time zone.

The office's time zone is one setting of the database (`setting` table, key `time_zone`, default
Europe/Brussels), so every app host and the database server agree on what day it is, whatever
the host's own TZ says. `use_zone` is called when a database is opened.
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from klantbeheer.data.i18n import _

DEFAULT_ZONE = "Europe/Brussels"
_zone: list[ZoneInfo] = [ZoneInfo(DEFAULT_ZONE)]


def checked_zone(name: str) -> ZoneInfo:
    """The IANA time zone called name; ValueError with a Dutch message for anything else."""
    text = (name or "").strip()
    problem = _("Onbekende tijdzone: {zone} (bijvoorbeeld Europe/Brussels).").format(zone=repr(text[:40]))
    if not text or text not in available_timezones():
        raise ValueError(problem)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(problem) from None


REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


def region_zone(name: str) -> ZoneInfo:
    """An office time zone to set: a real IANA region zone (Area/City, e.g. Europe/Brussels) or UTC; ValueError with
    a Dutch message for aliases such as localtime, Factory, posixrules, Etc/..., CET or US/Eastern."""
    text = (name or "").strip()
    zone = checked_zone(text)
    if text != "UTC" and ("/" not in text or text.split("/", 1)[0] not in REGIONS):
        raise ValueError(_("Geen tijdzone van een regio: {zone}; kies een zone als Werelddeel/Stad (bijvoorbeeld "
                           "Europe/Brussels) of UTC.").format(zone=repr(text[:40])))
    return zone


def use_zone(name: str | None) -> None:
    """Make name the office's time zone for this process (None or empty: the default)."""
    _zone[0] = checked_zone(name or DEFAULT_ZONE)


def zone() -> ZoneInfo:
    """The office's time zone."""
    return _zone[0]


def now() -> dt.datetime:
    """The current moment in UTC to the second, naive, as every timestamp is stored."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)


def today() -> dt.date:
    """Today's date in the office (a block 'until' that day still holds)."""
    return dt.datetime.now(zone()).date()


def local(value: Any) -> Any:
    """A stored (naive UTC) timestamp as naive office-local time; dates and anything else unchanged."""
    if isinstance(value, str) and len(value) > 10:
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.datetime):
        return value
    aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(zone()).replace(tzinfo=None)


def from_office_time(value: Any) -> Any:
    """A naive office-local timestamp (as written before schema 7) as naive UTC; anything else unchanged."""
    if not isinstance(value, dt.datetime) or value.tzinfo:
        return value
    return value.replace(tzinfo=zone()).astimezone(dt.timezone.utc).replace(tzinfo=None)


def local_aware(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) timestamp as an aware datetime in the office's time zone."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(zone())


def offsets(zone_name: str, first_year: int = 1970, last_year: int = 2100) -> list[tuple[str, int]]:
    """Every change of the zone's UTC offset as (UTC moment 'YYYY-MM-DD HH:MM:SS', offset in minutes).

    SQLite has no time-zone database; its dossier trigger finds the office's date from this table.
    """
    tz = ZoneInfo(zone_name)
    utc = dt.timezone.utc
    start = dt.datetime(first_year, 1, 1, tzinfo=utc)

    def minutes(moment: dt.datetime) -> int:
        offset = moment.astimezone(tz).utcoffset() or dt.timedelta()
        return int(offset.total_seconds() // 60)

    result = [(start.strftime("%Y-%m-%d %H:%M:%S"), minutes(start))]
    day, end = start, dt.datetime(last_year + 1, 1, 1, tzinfo=utc)
    while day < end:
        following = day + dt.timedelta(days=1)
        if minutes(following) != result[-1][1]:
            low, high = day, following  # the change lies in (low, high]: find its minute
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    break
                if minutes(middle) == result[-1][1]:
                    low = middle
                else:
                    high = middle
            result.append((high.strftime("%Y-%m-%d %H:%M:%S"), minutes(high)))
        day = following
    return result
