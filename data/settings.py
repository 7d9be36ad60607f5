"""Office-wide settings kept in the database: the office's time zone."""
from __future__ import annotations

from klantbeheer.data import clock, session, staff
from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import N_
from klantbeheer.data.models import Setting, database_proxy
from klantbeheer.data.session import data_function


@data_function
def time_zone() -> str:
    """The office's time zone (IANA name) as stored in the database."""
    row = Setting.get_or_none(Setting.key == "time_zone")
    return row.value if row else clock.DEFAULT_ZONE


@data_function
def set_time_zone(name: str, by: str) -> str:
    """Make name the office's time zone (beheerder only); "today" and end dates of blocks follow it everywhere.

    Only a region zone (Area/City) or UTC: localtime, Factory and the aliases name no office. A database that holds
    another zone from before still opens with it (clock.use_zone)."""
    staff.require_beheerder(by, N_("de tijdzone wijzigen"))
    try:
        zone_name = clock.region_zone(name).key
    except ValueError as problem:
        raise BadInput(str(problem)) from None
    with database_proxy.atomic():
        _store(zone_name)
        session.engine().office_zone_changed(zone_name)
    clock.use_zone(zone_name)
    return zone_name


@data_function
def history_utc_from_id() -> int:
    """The first history event written in UTC (older ones were written in office time, before schema 7)."""
    row = Setting.get_or_none(Setting.key == "history_utc_from_id")
    return int(row.value) if row and str(row.value).isdigit() else 0


def _store(zone_name: str) -> None:
    """Write the setting row (update, or insert when missing)."""
    if not Setting.update(value=zone_name).where(Setting.key == "time_zone").execute():
        Setting.create(key="time_zone", value=zone_name)
