"""A medewerker's own PostgreSQL login may use the typo vocabulary: create a customer, find it with a typo."""
from __future__ import annotations

from urllib.parse import urlsplit

from klantbeheer.data import customers, session, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from tests.support.pg_support import medewerker_login


def test_a_medewerker_login_creates_and_finds_by_typo_also_after_the_index_is_made_anew() -> None:
    with medewerker_login("kb_srch") as (url, as_mw):
        login = urlsplit(as_mw).username
        for round_no, name in enumerate(("Vermeulen Dakwerken", "Wouters Schrijnwerk")):
            open_database(as_mw)
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
