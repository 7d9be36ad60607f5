"""The PostgreSQL guards hold against the database's own users (issue 25): each test repeats an attack.

Real logins (staff add makes them), raw SQL through psycopg2 as the attacker would type it in psql, and real
processes racing a block against a twin's dossier.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from klantbeheer.data import customers, dossiers, drafts, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import APP, ROOT, VALID, run_cli
from tests.support.pg_support import _admin, medewerker_login
from tests.support.waiting import until

WORKER = str(Path(__file__).parent / "support" / "pg_guard_helpers.py")
SHARED_VAT = "BE0867756456"


@dataclass
class Office:
    """A database with a medewerker login (Mia), a beheerder login (Bert) and three customers."""

    url: str  # the owner's (superuser) URL
    mia_url: str
    mia: str  # Mia's login, also her staff username
    bert_url: str
    bert: str
    blocked: int  # shares its BTW-nummer with `twin`
    twin: int
    plain: int

    def ids(self, number: int) -> int:
        """The row id of a customer."""
        with _connect(self.url) as conn, conn.cursor() as cur:
            cur.execute("SELECT id FROM customer WHERE number = %s", (number,))
            return cur.fetchone()[0]


@contextmanager
def _connect(url: str) -> Iterator:
    """An autocommit psycopg2 connection (what an attacker gets from psql)."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def _login_url(url: str, login: str) -> str:
    """The database URL as another login."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port or 5432}"))


def _release() -> None:
    """Close this process's connection so only the attackers and workers hold the database."""
    if not database_proxy.obj.is_closed():
        database_proxy.obj.close()


@contextmanager
def office(block: bool) -> Iterator[Office]:
    """The office database; customer `blocked` blocked only when block=True."""
    bert = f"kb_grdb_{uuid.uuid4().hex[:8]}"
    try:
        with medewerker_login("kb_grd") as (url, mia_url):
            open_database(url)
            staff.login("admin")
            staff.add(bert, "Bert", "beheerder", "admin")
            blocked = customers.create({**VALID, "name": "Wanbetaler NV"}, "admin")["number"]
            twin = customers.create({**VALID, "name": "Wanbetaler Filiaal", "iban": ""}, "admin")["number"]
            plain = customers.create({"name": "Braaf BV", "postcode": "9000"}, "admin")["number"]
            if block:
                customers.block(blocked, "Wanbetaling", "Eerst betalen", None, "admin")
            _release()
            yield Office(url, mia_url, urlsplit(mia_url).username, _login_url(url, bert), bert, blocked, twin, plain)
    finally:
        conn = _admin()
        with conn.cursor() as cur:
            cur.execute(f'DROP ROLE IF EXISTS "{bert}"')
        conn.close()


@pytest.fixture
def shop() -> Iterator[Office]:
    """The office with customer `blocked` blocked (and so its twin refused)."""
    with office(block=True) as place:
        yield place


@pytest.fixture
def open_shop() -> Iterator[Office]:
    """The office with nobody blocked yet."""
    with office(block=False) as place:
        yield place


def _grant_temp(place: Office, login: str) -> None:
    """Give one login TEMP back, so the search_path itself is what is tested (not the missing privilege)."""
    with _connect(place.url) as conn, conn.cursor() as cur:
        cur.execute(f'GRANT TEMPORARY ON DATABASE "{urlsplit(place.url).path.lstrip("/")}" TO "{login}"')


DOSSIER_INSERT = ("INSERT INTO dossier (number, customer_id, description, reference, licence_plate, created_at, "
                  "created_by, status) VALUES (%s, %s, 'Schade', '', '', '2020-01-01 00:00:00', %s, 'open') "
                  "RETURNING created_by, created_at")


# --- 1. temporary tables cannot stand in for the guard's tables ------------------------------------------------
def test_a_medewerker_login_cannot_create_a_temporary_table(shop: Office) -> None:
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("CREATE TEMP TABLE customer (LIKE public.customer)")
    with _connect(shop.bert_url) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("CREATE TEMP TABLE scratch (a integer)")


def test_a_medewerker_login_cannot_create_objects_in_schema_public(shop: Office) -> None:
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("CREATE FUNCTION public.pg_advisory_xact_lock(integer, integer) RETURNS void "
                        "LANGUAGE sql AS 'SELECT NULL'")


def test_a_temporary_customer_table_does_not_shadow_the_dossier_guard(shop: Office) -> None:
    _grant_temp(shop, shop.mia)
    blocked_id = shop.ids(shop.blocked)
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE customer (LIKE public.customer)")  # empty: "nobody is blocked"
        cur.execute("CREATE TEMP TABLE setting (LIKE public.setting)")
        for number, customer_id in (("2020-90001", blocked_id), ("2020-90002", shop.ids(shop.twin))):
            with pytest.raises(psycopg2.Error) as refused:
                cur.execute(DOSSIER_INSERT, (number, customer_id, shop.mia))
            assert refused.value.pgcode in ("KB001", "KB002"), refused.value
            assert "geblokkeerd" in str(refused.value)
    with _connect(shop.url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossier")
        assert cur.fetchone()[0] == 0


def test_a_temporary_pg_roles_does_not_make_a_medewerker_superuser(shop: Office) -> None:
    _grant_temp(shop, shop.mia)
    forged = ("INSERT INTO public.customer SELECT * FROM jsonb_populate_record(NULL::public.customer, "
              "(SELECT to_jsonb(c) || jsonb_build_object('id', 900000, 'number', 900000, 'blocked', true, "
              "'block_reason', 'fraude', 'blocked_by', 'admin') FROM public.customer c WHERE c.number = %s))")
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE pg_roles (rolname name, rolsuper boolean)")
        cur.execute("INSERT INTO pg_roles VALUES (session_user, true)")
        cur.execute("CREATE TEMP TABLE staff (LIKE public.staff INCLUDING DEFAULTS)")
        cur.execute("INSERT INTO staff (id, username, full_name, role, active, os_user, language) "
                    "VALUES (1, session_user, 'Mia', 'beheerder', true, '', '')")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege) as refused:
            cur.execute(forged, (shop.plain,))
        assert "alleen een beheerder" in str(refused.value)
    with _connect(shop.url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM customer WHERE number = 900000")
        assert cur.fetchone()[0] == 0


def _unpinned_functions(url: str) -> list[str]:
    """Klantbeheer's own functions in schema public without search_path = pg_catalog, public, pg_temp."""
    with _connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT p.proname, p.proconfig FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
                    "WHERE p.pronamespace = 'public'::regnamespace AND l.lanname IN ('plpgsql', 'sql') "
                    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
                    "AND d.objid = p.oid AND d.deptype = 'e')")
        rows = cur.fetchall()
    assert len(rows) >= 10, rows  # the scan sees the guards
    return [name for name, config in rows if config != ["search_path=pg_catalog, public, pg_temp"]]


def test_every_trigger_and_guard_function_pins_its_search_path_with_pg_temp_last(shop: Office) -> None:
    assert _unpinned_functions(shop.url) == []
    open_database(shop.url)  # the search tables made anew (as copy-to and bulk loads do) keep their functions pinned
    from klantbeheer.data import session

    engine = session.engine()
    engine.search.uninstall(engine.db)
    engine.search.install(engine.db)
    _release()
    assert _unpinned_functions(shop.url) == []


# --- 3. drafts are each login's own ------------------------------------------------------------------------------
def test_a_medewerker_cannot_read_write_or_delete_another_operators_drafts(shop: Office) -> None:
    open_database(shop.bert_url)
    staff.login(shop.bert)
    drafts.keep(shop.bert, f"customer:{shop.blocked}", {"values": {"blocked": False}})
    assert [d.key for d in drafts.kept(shop.bert)] == [f"customer:{shop.blocked}"]
    _release()
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM draft")
        assert cur.fetchone()[0] == 0
        cur.execute("UPDATE draft SET payload = '{}' WHERE operator = %s", (shop.bert,))
        assert cur.rowcount == 0
        cur.execute("DELETE FROM draft WHERE operator = %s", (shop.bert,))
        assert cur.rowcount == 0
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # a draft planted under Bert's name
            cur.execute("INSERT INTO draft (operator, key, payload, saved_at) VALUES (%s, 'customer:new', '{}', now())",
                        (shop.bert,))
        cur.execute("INSERT INTO draft (operator, key, payload, saved_at) VALUES (%s, 'customer:new', '{}', now())",
                    (shop.mia,))
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):  # nor hand her own over to him
            cur.execute("UPDATE draft SET operator = %s WHERE operator = %s", (shop.bert, shop.mia))
    with _connect(shop.bert_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT operator, key, payload FROM draft")
        assert cur.fetchall() == [(shop.bert, f"customer:{shop.blocked}", '{"values": {"blocked": false}}')]


def test_each_login_keeps_and_restores_its_own_drafts_through_the_app(shop: Office) -> None:
    open_database(shop.mia_url)
    staff.login(shop.mia)
    drafts.keep(shop.mia, "customer:new", {"values": {"name": "Nieuw"}})
    assert [d.key for d in drafts.kept(shop.mia)] == ["customer:new"]
    drafts.drop(shop.mia, "customer:new")
    assert drafts.kept(shop.mia) == []
    _release()


# --- 4. history and created_by are the database's -----------------------------------------------------------------
def test_a_medewerker_cannot_forge_history_as_another_operator(shop: Office) -> None:
    twin_id = shop.ids(shop.twin)
    event = ("INSERT INTO customer_event (customer_id, customer_number, kind, changes, operator, at) "
             "VALUES (%s, %s, %s, '{}', 'admin', '2020-01-01 00:00:00') RETURNING id, operator, at")
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(event, (shop.ids(shop.blocked), shop.blocked, "unblocked"))
        cur.execute(event, (twin_id, shop.twin, "updated"))
        event_id, operator, at = cur.fetchone()
        assert operator == shop.mia and at.year >= 2025  # hers, now: not 'admin' in 2020
        for statement in ("UPDATE customer_event SET operator = 'admin' WHERE id = %s",
                          "DELETE FROM customer_event WHERE id = %s"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement, (event_id,))
    with _connect(shop.bert_url) as conn, conn.cursor() as cur:  # a beheerder neither
        cur.execute(event, (shop.ids(shop.blocked), shop.blocked, "unblocked"))
        assert cur.fetchone()[1] == shop.bert
        for statement in ("UPDATE customer_event SET operator = 'admin' WHERE id = %s",
                          "DELETE FROM customer_event WHERE id = %s"):
            with pytest.raises(psycopg2.Error):
                cur.execute(statement, (event_id,))
    with _connect(shop.url) as conn, conn.cursor() as cur:
        cur.execute("SELECT operator FROM customer_event WHERE id = %s", (event_id,))
        assert cur.fetchone()[0] == shop.mia


def test_a_medewerker_cannot_put_another_creator_on_a_dossier_or_customer(shop: Office) -> None:
    with _connect(shop.mia_url) as conn, conn.cursor() as cur:
        cur.execute(DOSSIER_INSERT, ("2020-90003", shop.ids(shop.plain), "admin"))
        created_by, created_at = cur.fetchone()
        assert created_by == shop.mia and created_at.year >= 2025
        cur.execute("UPDATE customer SET contact = 'Jan', updated_by = 'admin' WHERE number = %s "
                    "RETURNING updated_by, created_by", (shop.plain,))
        assert cur.fetchone() == (shop.mia, "admin")  # created by admin indeed, changed by Mia


def test_the_apps_own_writes_keep_their_operator(shop: Office) -> None:
    open_database(shop.mia_url)
    staff.login(shop.mia)
    saved = customers.update(shop.plain, {"contact": "Mia"}, None, shop.mia)
    assert saved["updated_by"] == shop.mia
    assert dossiers.create_dossier(shop.plain, "Schade", operator=shop.mia)["created_by"] == shop.mia
    assert customers.history(shop.plain)[0]["operator"] == shop.mia
    _release()
    open_database(shop.url)  # the owner's login names its operator itself (a trusted launcher)
    assert dossiers.create_dossier(shop.plain, "Tweede", operator="admin")["created_by"] == "admin"
    assert customers.history(shop.blocked)[0]["operator"] == "admin"
    _release()


# --- 5 and 6. block and twin dossier take one lock; the trigger's refusal is the Python one --------------------------
def _start(mode: str, url: str, folder: Path, number: int) -> subprocess.Popen:
    """Start one worker process."""
    return subprocess.Popen([sys.executable, WORKER, mode, url, str(folder), str(number)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _outcome(process: subprocess.Popen) -> dict:
    """The JSON line a worker printed (fails the test on a crash)."""
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _all_running(processes: list[subprocess.Popen]) -> bool:
    """True while every worker runs; fails with the output of one that ended."""
    ended = [p.communicate() for p in processes if p.poll() is not None]
    assert not ended, ended
    return True


def _wait_for_marker(path: Path, process: subprocess.Popen) -> None:
    """Wait for a worker's marker file, failing early when the worker died."""
    until(path.exists, 120, f"{path.name} from the worker", running=process)


def _waits_on_the_twin_lock(place: Office, process: subprocess.Popen, kind: str = "advisory") -> bool:
    """Wait until some session of the database waits for a lock of this kind (True) or the process ended (False)."""
    name = urlsplit(place.url).path.lstrip("/")
    with _connect(place.url) as conn, conn.cursor() as cur:
        def waiting() -> bool:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                        "AND wait_event LIKE %s", (name, kind))
            return bool(cur.fetchone()[0])

        until(lambda: waiting() or process.poll() is not None, 120, "a lock wait or the end of the process")
        return process.poll() is None or waiting()


def _dossiers_of(place: Office, number: int) -> int:
    """How many dossiers the customer has."""
    with _connect(place.url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossier d JOIN customer c ON c.id = d.customer_id WHERE c.number = %s",
                    (number,))
        return cur.fetchone()[0]


def _cli(place: Office, url: str, *args: str) -> subprocess.Popen:
    """A CLI command as its own process (no --operator: the login is the operator)."""
    return subprocess.Popen([sys.executable, APP, *args, "--db", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_twin_dossier_waits_for_the_block_in_flight_and_is_refused_with_the_python_notice(open_shop: Office,
                                                                                             tmp_path: Path) -> None:
    place = open_shop
    blocker = _start("block-until-go", place.url, tmp_path, place.blocked)
    _wait_for_marker(tmp_path / "blocked", blocker)
    opener = _cli(place, place.mia_url, "new-dossier", "--customer", str(place.twin), "--description", "Schade")
    # Mia's process has passed the Python check (the block is not committed) and waits in the trigger
    assert _waits_on_the_twin_lock(place, opener), opener.communicate()
    (tmp_path / "go").touch()
    assert _outcome(blocker) == {"blocked": True}
    out, err = opener.communicate(timeout=120)
    assert opener.returncode == 3, (out, err)
    again = run_cli("new-dossier", "--customer", str(place.twin), "--description", "Schade", db=place.mia_url,
                    operator=None)  # the same refusal, now by the Python check
    assert again.code == 3 and err == again.err, (err, again.err)
    assert f"geblokkeerde klant {place.blocked} Wanbetaler NV (Wanbetaling)" in err
    assert _dossiers_of(place, place.twin) == 0


def test_an_own_block_in_flight_is_refused_by_the_trigger_as_customer_blocked(open_shop: Office, tmp_path: Path) -> None:
    place = open_shop
    blocker = _start("block-until-go", place.url, tmp_path, place.blocked)
    _wait_for_marker(tmp_path / "blocked", blocker)
    opener = _cli(place, place.mia_url, "new-dossier", "--customer", str(place.blocked), "--description", "Schade")
    assert _waits_on_the_twin_lock(place, opener, "%"), opener.communicate()  # the owner's row lock
    (tmp_path / "go").touch()
    assert _outcome(blocker) == {"blocked": True}
    out, err = opener.communicate(timeout=120)
    again = run_cli("new-dossier", "--customer", str(place.blocked), "--description", "Schade", db=place.mia_url,
                    operator=None)
    assert (opener.returncode, err) == (3, again.err) and again.code == 3, (out, err, again.err)
    assert "is geblokkeerd door admin sinds" in err and "reden: Wanbetaling" in err and "Eerst betalen" in err
    assert _dossiers_of(place, place.blocked) == 0


def test_a_block_waits_for_a_twin_dossier_in_flight_so_the_dossier_commits_first(open_shop: Office,
                                                                                tmp_path: Path) -> None:
    place = open_shop
    opener = _start("dossier-until-go", place.url, tmp_path, place.twin)
    _wait_for_marker(tmp_path / "inserted", opener)
    blocker = _cli(place, place.url, "block", str(place.blocked), "--reason", "wanbetaling", "--operator", "admin")
    # the block may not commit while the twin's dossier is uncommitted
    assert _waits_on_the_twin_lock(place, blocker), blocker.communicate()
    (tmp_path / "go").touch()
    assert "dossier" in _outcome(opener)
    out, err = blocker.communicate(timeout=120)
    assert blocker.returncode == 0, err
    refused = run_cli("new-dossier", "--customer", str(place.twin), "--description", "Daarna", db=place.mia_url,
                      operator=None)
    assert refused.code == 3 and "geblokkeerde klant" in refused.err
    assert _dossiers_of(place, place.twin) == 1


def test_no_twin_dossier_commits_after_the_block_committed_in_a_race_of_processes(open_shop: Office,
                                                                                 tmp_path: Path) -> None:
    place = open_shop
    openers = [_start("dossier-loop", place.url, tmp_path, place.twin) for _ in range(3)]
    until(lambda: _all_running(openers) and len(list(tmp_path.glob("started-*"))) == len(openers)
          and _dossiers_of(place, place.twin) >= 5, 120, "the openers made dossiers")
    block = _outcome(_start("block-now", place.url, tmp_path, place.blocked))
    made_before = _dossiers_of(place, place.twin)
    until(lambda: _all_running(openers) and len(list(tmp_path.glob("refused-*"))) == len(openers),
          120, "every opener tried on after the block and was refused")
    (tmp_path / "stop").touch()
    results = [_outcome(p) for p in openers]
    late = [moment for result in results for moment in result["made"] if moment > block["committed"]]
    assert late == [], f"{len(late)} dossiers committed after the block"
    assert {name for result in results for name in result["errors"]} == {"TwinBlocked"}
    assert _dossiers_of(place, place.twin) == made_before
