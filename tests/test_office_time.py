"""Issue 16: timestamps in UTC, shown in the office's time zone; "today" is the office's on every host and in the database."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from klantbeheer.data import clock, customers, dossiers, session, settings
from klantbeheer.data.cli.format import customer_text
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import BadInput, CustomerBlocked, DatabaseProblem, NotPermitted
from klantbeheer.data.models import Customer, Dossier, database_proxy
from tests.support.engines import db_path  # noqa: F401 - both engines
from tests.support.foundation_helpers import run_cli
from tests.test_migrations import make_version_1


def zone_off_utc_date() -> str:
    """A zone whose date differs from UTC's right now (+14 late in the UTC day, -11 early in it)."""
    return "Pacific/Kiritimati" if dt.datetime.now(dt.timezone.utc).hour >= 11 else "Pacific/Pago_Pago"


def raw_dossier(location: str, customer_id: int, number: str) -> None:
    """Insert a dossier with the driver itself."""
    sql = ("INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, created_by, status) "
           "VALUES ({0}, {0}, 'Rauw', '', '', '2026-01-01 10:00:00', 'script', 'open')")
    if "://" in location:
        import psycopg2

        conn = psycopg2.connect(location)
        with conn, conn.cursor() as cursor:
            cursor.execute(sql.format("%s"), (number, customer_id))
        conn.close()
    else:
        conn = sqlite3.connect(location)
        with conn:
            conn.execute(sql.format("?"), (number, customer_id))
        conn.close()


def test_the_database_guard_counts_end_dates_in_the_office_time_zone(db_path: str) -> None:  # noqa: F811
    zone = zone_off_utc_date()
    settings.set_time_zone(zone, "admin")
    office = clock.today()
    assert office == dt.datetime.now(ZoneInfo(zone)).date() != dt.datetime.now(dt.timezone.utc).date()
    made = customers.create({"name": "Tijdzone NV"}, "admin")
    customers.block(made["number"], "geschil", "", office, "admin")
    with session.connection():
        ident = Customer.get(Customer.number == made["number"]).id
    refused = __import__("sqlite3").Error if "://" not in db_path else __import__("psycopg2").Error
    with pytest.raises(refused, match="geblokkeerd"):
        raw_dossier(db_path, ident, "2026-00071")  # the block holds up to and including the office's today
    with pytest.raises(CustomerBlocked):
        dossiers.create_dossier(made["number"], "Schade", operator="admin")
    with session.connection():
        Customer.update(blocked_until=office - dt.timedelta(days=1)).where(Customer.id == ident).execute()
    raw_dossier(db_path, ident, "2026-00072")  # lapsed at the office's midnight
    assert dossiers.create_dossier(made["number"], "Schade", operator="admin")["customer"] == made["number"]


def test_another_host_time_zone_changes_nothing(db_path: str) -> None:  # noqa: F811
    zone = zone_off_utc_date()
    settings.set_time_zone(zone, "admin")
    made = customers.create({"name": "Andere Host"}, "admin")
    customers.block(made["number"], "geschil", "", clock.today(), "admin")
    far_away = "Pacific/Pago_Pago" if zone == "Pacific/Kiritimati" else "Pacific/Kiritimati"
    done = run_cli("new-dossier", "--customer", str(made["number"]), "--description", "X", db=db_path,
                   env={"TZ": far_away})
    assert done.code == 3 and "geblokkeerd" in done.err
    assert run_cli("time-zone", db=db_path, env={"TZ": far_away}).out.strip() == f"Tijdzone van het kantoor: {zone}."


def test_timestamps_are_stored_in_utc_and_shown_in_office_time(db_path: str) -> None:  # noqa: F811
    made = customers.create({"name": "UTC NV"}, "admin")
    stored = made["created_at"]
    assert abs(stored - dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)) < dt.timedelta(seconds=30)
    customers.block(made["number"], "geschil", "", None, "admin")
    with session.connection():
        Customer.update(blocked_at=dt.datetime(2026, 7, 1, 10, 0)).where(Customer.number == made["number"]).execute()
    shown = customer_text(customers.get(made["number"]))
    assert "01-07-2026 12:00" in shown  # Brussels summer time, UTC+2
    with pytest.raises(CustomerBlocked, match="sinds 01-07-2026 12:00"):
        dossiers.create_dossier(made["number"], "X", operator="admin")
    as_json = run_cli("show", str(made["number"]), "--json", db=db_path).json()
    assert as_json["blocked_at"] == "2026-07-01T12:00:00+02:00"


def test_only_a_beheerder_sets_a_known_time_zone(db_path: str) -> None:  # noqa: F811
    with pytest.raises(NotPermitted):
        settings.set_time_zone("Europe/Paris", "mw")
    with pytest.raises(BadInput, match="Onbekende tijdzone"):
        settings.set_time_zone("Europe/Gent", "admin")
    assert settings.time_zone() == "Europe/Brussels"
    done = run_cli("time-zone", "Mars/Olympus", db=db_path)
    assert done.code == 2 and done.err.strip() == "Onbekende tijdzone: 'Mars/Olympus' (bijvoorbeeld Europe/Brussels)."


def test_offsets_follow_daylight_saving_time() -> None:
    changes = dict(clock.offsets("Europe/Brussels", 2026, 2026))
    assert changes["2026-03-29 01:00:00"] == 120 and changes["2026-10-25 01:00:00"] == 60


def test_an_older_database_gets_utc_times_snapshots_and_the_guard(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_version_1(path)  # times written in Brussels time, as before schema 7
    try:
        open_database(str(path))
        with session.connection():
            abc, blocked = Customer.get(Customer.number == 123), Customer.get(Customer.number == 124)
            dossier = Dossier.get()
        assert (abc.created_at, abc.updated_at, blocked.blocked_at) == (
            dt.datetime(2024, 1, 2, 9, 0), dt.datetime(2024, 2, 3, 10, 0), dt.datetime(2024, 3, 1, 8, 0))
        assert (dossier.created_at, dossier.owner_number, dossier.owner_name) == (dt.datetime(2024, 1, 5, 7, 0), 123, "ABC")
        assert customers.history(123)[0]["at"] == dt.datetime(2024, 1, 2, 9, 0)  # append-only row, converted on reading
        customers.update(123, {"email": "nieuw@abc.be"}, None, "oud")
        assert customers.history(123)[0]["at"] == customers.get(123)["updated_at"]  # new events are UTC already
        with pytest.raises(DatabaseProblem, match="geen nieuw dossier"), session.connection():
            Dossier.create(number="2026-00002", customer=blocked.id, description="Nieuw", created_by="oud")
    finally:
        database_proxy.obj.close()
