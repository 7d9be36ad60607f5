"""Issue 30 on PostgreSQL: a medewerker's own login may edit, close and reopen a dossier, and is refused like anyone
while its owner is blocked (the privileges and the trigger of migration 17)."""
from __future__ import annotations

import psycopg2
import pytest

from klantbeheer.data import customers, dossier_changes, dossiers, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import CustomerBlocked
from klantbeheer.data.models import database_proxy
from tests.support.pg_support import medewerker_login


def test_a_medewerker_login_works_on_dossiers_and_the_block_still_holds() -> None:
    with medewerker_login("kb_dos") as (url, mia_url):
        open_database(url)
        staff.login("admin")
        customers.create({"name": "ABC", "number": 123}, "admin")
        database_proxy.obj.close()
        mia = mia_url.split("//", 1)[1].split("@", 1)[0]
        open_database(mia_url)
        try:
            person = staff.login(mia).username
            number = dossiers.create_dossier(123, "Schade", operator=person)["number"]
            assert dossier_changes.update_dossier(number, {"reference": "R-1"}, 1, person)["version"] == 2
            assert dossier_changes.close_dossier(number, person)["status"] == "closed"
            assert dossier_changes.reopen_dossier(number, person)["status"] == "open"
            assert [e["kind"] for e in dossier_changes.get_dossier(number)["history"]] == ["reopened", "closed", "updated", "created"]
        finally:
            database_proxy.obj.close()
        open_database(url)
        customers.block(123, "wanbetaling", "", None, "admin")
        database_proxy.obj.close()
        open_database(mia_url)
        try:
            with pytest.raises(CustomerBlocked):
                dossier_changes.close_dossier(number, staff.login(mia).username)
        finally:
            database_proxy.obj.close()
        conn = psycopg2.connect(mia_url)
        try:
            with pytest.raises(psycopg2.Error, match="alleen-lezen"), conn, conn.cursor() as cursor:
                cursor.execute("UPDATE dossier SET description = 'Rauw' WHERE number = %s", (number,))
        finally:
            conn.close()
