"""Shared fixtures: a fresh SQLite database file per test, with a beheerder and a medewerker."""
from __future__ import annotations

import os as _os
from pathlib import Path

import pytest
from hypothesis import settings as _hypothesis_settings

from klantbeheer.data import demo, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    """Path of a new, migrated database whose first operator 'admin' is a beheerder."""
    path = str(tmp_path / "klantbeheer.db")
    open_database(path, create=True)
    staff.login("admin")
    staff.add("mw", "Mia Medewerker", "medewerker", "admin")
    yield path
    database_proxy.obj.close()


@pytest.fixture
def demo_db(db_path: str) -> str:
    """The database with the demo data loaded."""
    demo.load_demo("admin", demo_database=True)
    return db_path


# Hypothesis explores new random inputs on every developer run; CI (CI=true) runs a fixed
# sequence so that a submission's result does not depend on luck. Failures found locally are
# kept as explicit regression tests.
_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if _os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

# The support log (data/support_log.py): tests and the app processes they start write it to a throwaway folder,
# never to the tester's own log directory. A test that reads the log sets its own KLANTBEHEER_LOG_DIR.
if not _os.environ.get("KLANTBEHEER_LOG_DIR"):
    import tempfile as _tempfile

    _os.environ["KLANTBEHEER_LOG_DIR"] = _tempfile.mkdtemp(prefix="klantbeheer-test-log-")
