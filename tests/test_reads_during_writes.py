"""Reads never wait for a writer (issue 26, point 5): log-in, search, show, dossiers and a TUI start
answer while another real process holds SQLite's write lock (WAL readers)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Iterator

import pytest

from klantbeheer.data import dossiers
from tests.support.foundation_helpers import run_cli
from tests.support.search_screen_helpers import make_app, search_screen, settle, shown_numbers

BUSY_TIMEOUT_S = 20  # a command that waited for the lock would fail after this (the holder never lets go)
ENV = {"KLANTBEHEER_BUSY_TIMEOUT": str(BUSY_TIMEOUT_S)}

# A second process: BEGIN IMMEDIATE (and, when asked, the app's write queue lock and uncommitted
# writes), print "held", keep it all until a line arrives on stdin, then roll back.
HOLDER = textwrap.dedent("""
    import fcntl, sqlite3, sys
    path, write = sys.argv[1], sys.argv[2] == "write"
    connection = sqlite3.connect(path, isolation_level=None)
    queue = None
    if write:
        queue = open(path + ".lock", "rb")
        fcntl.flock(queue, fcntl.LOCK_EX)
    connection.execute("BEGIN IMMEDIATE")
    if write:
        connection.execute("UPDATE customer SET remarks = 'schrijver' || id")
        connection.execute("UPDATE staff SET full_name = full_name || ' (bezig)'")
    print("held", flush=True)
    sys.stdin.readline()
    connection.execute("ROLLBACK")
    print("released", flush=True)
""")


@pytest.fixture(params=["lock", "write"])
def holder(request: pytest.FixtureRequest, demo_db: str) -> Iterator[subprocess.Popen[str]]:
    """A real process holding the write lock on the demo database (only locking, or also writing)."""
    from klantbeheer.data.models import Customer, database_proxy

    free = Customer.select().where(Customer.blocked == False).order_by(Customer.number).first()  # noqa: E712
    dossiers.create_dossier(free.number, "Een dossier", "", "", "admin")
    database_proxy.obj.close()  # this process keeps no connection of its own open meanwhile
    process = subprocess.Popen([sys.executable, "-c", HOLDER, demo_db, request.param],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    yield process
    _release(process)


def _release(process: subprocess.Popen[str]) -> None:
    """Let the holder go and wait for it to end."""
    if process.poll() is None:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
        process.wait(30)


def _still_holding(process: subprocess.Popen[str]) -> bool:
    """True while the holder has not been released (it only ends after a line on stdin)."""
    return process.poll() is None


def _a_customer_with_dossier(db: str) -> int:
    """The number of a demo customer that has a dossier."""
    return int(dossiers.list_dossiers(None)[0]["customer"])


def test_cli_reads_answer_while_another_process_holds_the_write_lock(holder: subprocess.Popen[str], demo_db: str) -> None:
    number = _a_customer_with_dossier(demo_db)
    for args in (("search", "a"), ("show", str(number)), ("dossiers",), ("dossiers", "--customer", str(number)),
                 ("staff", "list")):
        done = run_cli(*args, db=demo_db, env=ENV, timeout=BUSY_TIMEOUT_S * 3)
        assert done.code == 0, (args, done.err)
        assert done.out.strip(), args
        assert _still_holding(holder), args


def test_check_answers_while_another_process_holds_the_write_lock(holder: subprocess.Popen[str], demo_db: str) -> None:
    done = run_cli("check", "--json", db=demo_db, env=ENV, timeout=BUSY_TIMEOUT_S * 3)
    result = done.json()
    assert result["integrity"] == [] and result["history"] == [] and result["dossiers"] == [] and result["triggers"] == []
    # FTS5's own index check is an INSERT: it needs the write lock, so it says it was not checked (not "damaged")
    assert result["search_index"] is None and result["search_index_skipped"], result
    assert done.code == 1 and "Zoekindex: niet nagekeken" in run_cli("check", db=demo_db, env=ENV).out
    assert _still_holding(holder)


def test_medewerker_login_reads_only(holder: subprocess.Popen[str], demo_db: str) -> None:
    done = run_cli("search", "a", "--json", db=demo_db, operator="mw", env=ENV, timeout=BUSY_TIMEOUT_S * 3)
    assert done.code == 0, done.err
    assert done.json(), "the search found nothing"
    assert _still_holding(holder)


def test_reads_see_the_committed_state_not_the_holders_writes(holder: subprocess.Popen[str], demo_db: str) -> None:
    number = _a_customer_with_dossier(demo_db)
    done = run_cli("show", str(number), "--json", db=demo_db, env=ENV, timeout=BUSY_TIMEOUT_S * 3)
    assert done.code == 0, done.err
    assert not str(done.json().get("remarks", "")).startswith("schrijver")
    assert _still_holding(holder)


async def test_tui_start_reaches_the_search_screen_while_the_lock_is_held(holder: subprocess.Popen[str], demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        search_screen(pilot)
        await pilot.press(*"a")
        await settle(pilot)
        assert shown_numbers(pilot), "the search during the held lock showed nothing"
        assert _still_holding(holder)

