"""PostgreSQL's rough edges (issue 15): minimum version, LISTEN failure, serialised renumbering; copy-to's snapshot."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from klantbeheer.data import changes, customers, session, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.engines.postgres import MIN_SERVER_VERSION, version_problem
from klantbeheer.data.engines.postgres_watch import POLLING_NOTICE, PollingChangeWatcher, PostgresChangeWatcher
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.models import database_proxy
from tests.support.apps import make_app
from tests.support.pg_support import PG_SERVER, _admin, fresh_database
from tests.support.waiting import until

ROOT = Path(__file__).resolve().parent.parent


# --- version --------------------------------------------------------------------------------------

def test_servers_older_than_13_are_refused_in_dutch() -> None:
    assert version_problem(120015) == ("De PostgreSQL-server heeft versie 12; Klantbeheer heeft PostgreSQL 13 of nieuwer "
                                       "nodig. Werk de server bij.")
    assert version_problem(90624) and "9.6" in version_problem(90624)
    assert version_problem(MIN_SERVER_VERSION) is None and version_problem(150020) is None


def test_no_statement_needs_postgresql_14() -> None:
    # CREATE OR REPLACE TRIGGER came with PostgreSQL 14; docs/postgres.md promises 13
    import ast

    for path in (ROOT / "data").rglob("*.py"):
        strings = [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        assert not [text for text in strings if "OR REPLACE TRIGGER" in text.upper()], path


def test_the_real_server_passes_the_version_check_at_connect() -> None:
    with fresh_database() as url:
        open_database(url, create=True)
        try:
            version = int(database_proxy.execute_sql("SHOW server_version_num").fetchone()[0])
            assert version >= MIN_SERVER_VERSION
        finally:
            database_proxy.obj.close()


# --- LISTEN failure -------------------------------------------------------------------------------

@pytest.fixture
def one_connection_role():
    """A fresh database owned by a role that may hold one connection only (a second one is refused)."""
    role = f"kb_one_{uuid.uuid4().hex[:8]}"
    admin = _admin()
    with admin.cursor() as cur:
        cur.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        with fresh_database() as url:
            name = url.rsplit("/", 1)[1]
            with admin.cursor() as cur:
                cur.execute(f'ALTER DATABASE "{name}" OWNER TO "{role}"')
            server = PG_SERVER.split("://", 1)[1].split("@", 1)[1]
            yield role, f"postgresql://{role}@{server}/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


def test_a_failing_listen_falls_back_to_polling_with_a_quiet_notice(one_connection_role) -> None:
    role, url = one_connection_role
    open_database(url, create=True)
    try:
        staff.login("admin")
        admin = _admin()
        with admin.cursor() as cur:
            cur.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT 1')  # the app's own connection is the one
        admin.close()
        watcher = changes.open_watcher()  # before issue 15: psycopg2.OperationalError (too many connections)
        try:
            assert isinstance(watcher, PollingChangeWatcher) and watcher.notice == POLLING_NOTICE
            assert not watcher.changed()
            customers.create({"name": "Gezien Door Polling"}, "admin")
            assert watcher.changed() and not watcher.changed()
        finally:
            watcher.close()
    finally:
        database_proxy.obj.close()


def test_listen_works_when_the_connection_can_be_made(one_connection_role) -> None:
    _, url = one_connection_role
    open_database(url, create=True)
    try:
        watcher = changes.open_watcher()
        try:
            assert isinstance(watcher, PostgresChangeWatcher) and watcher.notice is None
        finally:
            watcher.close()
    finally:
        database_proxy.obj.close()


# --- renumbering ----------------------------------------------------------------------------------

def _waiting_backends(name: str) -> int:
    """How many sessions of database `name` wait for a lock."""
    admin = _admin()
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", (name,))
            return cur.fetchone()[0]
    finally:
        admin.close()


def test_renumbering_to_a_number_taken_meanwhile_says_nummer_bestaat_al() -> None:
    with fresh_database() as url:
        open_database(url, create=True)
        try:
            staff.login("admin")
            first = customers.create({"name": "Eerste Hernummerd"}, "admin")
            second = customers.create({"name": "Tweede Hernummerd"}, "admin")
            holding, release = threading.Event(), threading.Event()
            outcome: dict[str, object] = {}

            def renumber_first_and_hold() -> None:
                with session.connection(), database_proxy.atomic():
                    customers.update(first["number"], {"number": 500}, first["version"], "admin")
                    holding.set()
                    release.wait(30)

            def renumber_second() -> None:
                try:
                    customers.update(second["number"], {"number": 500}, second["version"], "admin")
                    outcome["result"] = "saved"
                except Exception as problem:  # noqa: BLE001 - the test inspects what came back
                    outcome["result"] = problem

            holder = threading.Thread(target=renumber_first_and_hold)
            holder.start()
            assert holding.wait(30)
            other = threading.Thread(target=renumber_second)
            other.start()
            name = url.rsplit("/", 1)[1]
            # the second renumbering waits for the first transaction
            until(lambda: _waiting_backends(name) > 0 or not other.is_alive(), what=f"a lock wait {outcome}")
            assert other.is_alive(), outcome
            release.set()
            holder.join(30)
            other.join(30)
            problem = outcome["result"]
            assert isinstance(problem, ValidationFailed), problem
            assert problem.errors == {"number": "Klantnummer 500 is al in gebruik."}
            assert customers.get(500)["name"] == "Eerste Hernummerd"
            assert customers.get(second["number"])["version"] == second["version"]
        finally:
            database_proxy.obj.close()


# --- copy-to reads a snapshot ---------------------------------------------------------------------

def test_the_copy_snapshot_lets_others_write_and_does_not_see_them(db_path: str) -> None:
    customers.create({"name": "Voor De Kopie"}, "admin")
    engine = session.engine()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KLANTBEHEER_BUSY_TIMEOUT": "1"}
    with session.connection(), engine.read_snapshot():
        seen = database_proxy.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
        started = time.monotonic()
        other = subprocess.run([sys.executable, str(ROOT / "app.py"), "block", "1", "--reason", "Wanbetaling",
                                "--db", db_path, "--operator", "admin"], capture_output=True, text=True, cwd=ROOT,
                               env=env, timeout=60)
        assert other.returncode == 0, other.stderr  # before issue 15 the copy held the write lock: "bezet"
        assert time.monotonic() - started < 5
        assert database_proxy.execute_sql("SELECT count(*) FROM customer").fetchone()[0] == seen
        assert database_proxy.execute_sql("SELECT blocked FROM customer WHERE number = 1").fetchone()[0] in (0, False)
    assert customers.get(1)["blocked"] is True


async def test_the_app_starts_when_listen_fails_and_says_so_quietly(one_connection_role) -> None:
    from klantbeheer.tui.screens.customer_search import CustomerSearchScreen

    role, url = one_connection_role
    open_database(url, create=True)
    staff.login("admin")
    database_proxy.obj.close()
    database_proxy.obj.close_all()  # also the pool's idle connection: the role may hold one only
    admin = _admin()
    with admin.cursor() as cur:
        cur.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT 1')  # the app's own connection is the only one
    admin.close()
    app = make_app(url, "admin")
    try:
        async with app.run_test(notifications=True) as pilot:  # before issue 15: psycopg2 error while mounting
            await pilot.pause()
            assert isinstance(app.screen, CustomerSearchScreen)
            messages = [f"{n.title}: {n.message}" for n in app._notifications]
            assert messages == [f"Live verversen: {POLLING_NOTICE}"]
    finally:
        database_proxy.obj.close()


def test_copy_to_reads_a_postgresql_source_in_one_snapshot_too() -> None:
    from klantbeheer.data import copy_to

    with fresh_database() as source, fresh_database() as target:
        open_database(source, create=True)
        try:
            staff.login("admin")
            for name in ("Bron Een", "Bron Twee"):
                customers.create({"name": name}, "admin")
            result = copy_to.copy_to(target)
            assert result["counts"]["customer"] == 2 and result["counts"]["staff"] == 1
        finally:
            database_proxy.obj.close()
        open_database(target)
        try:
            assert [row["name"] for row in customers.search("bron")] == ["Bron Een", "Bron Twee"]
        finally:
            database_proxy.obj.close()
