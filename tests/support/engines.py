"""A `db_path` fixture that runs a test module on both engines: an SQLite file and a fresh PostgreSQL database.

Import it into a data-layer test module (`from tests.support.engines import db_path`) to override the
SQLite-only fixture of conftest.py there. PostgreSQL must be reachable: the tests fail, not skip,
when it is not (.ci/run starts the server).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from klantbeheer.data import staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from tests.support.pg_support import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database on each engine, with 'admin' (beheerder) and 'mw' (medewerker)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            location = str(tmp_path / "klantbeheer.db")
        else:
            location = stack.enter_context(fresh_database())
        open_database(location, create=True)
        staff.login("admin")
        staff.add("mw", "Mia Medewerker", "medewerker", "admin")
        try:
            yield location
        finally:
            database_proxy.obj.close()
