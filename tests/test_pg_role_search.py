"""A medewerker's own PostgreSQL login may use the typo vocabulary: create a customer, find it with a typo."""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

from data import customers, session, staff
from data.db import open_database
from data.models import database_proxy
from tests.pg_support import _admin, fresh_database


def _as_login(url: str, login: str) -> str:
    """The database URL with another login role."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port or 5432}"))


def test_a_medewerker_login_creates_and_finds_by_typo_also_after_the_index_is_made_anew() -> None:
    login = f"kb_srch_{uuid.uuid4().hex[:8]}"  # login roles are server-wide: a name no other test uses
    try:
        with fresh_database() as url:
            open_database(url, create=True)
            staff.login("admin")
            staff.add(login, "Mia", "medewerker", "admin")
            database_proxy.obj.close()
            for round_no, name in enumerate(("Vermeulen Dakwerken", "Wouters Schrijnwerk")):
                open_database(_as_login(url, login))
                staff.login(login)
                created = customers.create({"name": name, "postcode": "9000"}, login)  # the vocabulary trigger runs as Mia
                typo = name.split()[1][:3] + name.split()[1][4:]  # one letter left out: Dakerken, Schrnwerk
                assert [row["number"] for row in customers.search(typo)] == [created["number"]], typo
                database_proxy.obj.close()
                if round_no == 0:  # the search tables made anew, as copy-to does: the rights come with them
                    open_database(url)
                    engine = session.engine()
                    engine.search.uninstall(engine.db)
                    engine.search.install(engine.db)
                    database_proxy.obj.close()
    finally:
        conn = _admin()
        with conn.cursor() as cur:
            cur.execute(f'DROP ROLE IF EXISTS "{login}"')
        conn.close()
