"""`import` and `export` in real subprocesses: exit codes, JSON, Dutch refusals, and a killed import storing nothing."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from klantbeheer.data import maintenance, staff
from klantbeheer.data.db import open_database
from klantbeheer.data.models import Customer, CustomerEvent, database_proxy
from tests.support.foundation_helpers import APP, ROOT, run_cli
from tests.support.pg_support import fresh_database
from tests.support.transfer_files import MESSY_HEADER, MESSY_ROWS, many_rows, write_csv
from tests.support.waiting import until


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A new SQLite database with 'admin' (beheerder) and 'mw' (medewerker); this process lets go of it."""
    path = str(tmp_path / "k.db")
    open_database(path, create=True)
    staff.login("admin")
    staff.add("mw", "Mia Medewerker", "medewerker", "admin")
    database_proxy.obj.close()
    return path


def test_import_export_and_undo_on_the_command_line(db: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "k.csv", MESSY_HEADER, MESSY_ROWS)
    dry = run_cli("import", str(source), "--dry-run", db=db)
    assert dry.code == 0 and dry.err == "", dry.err  # piped: no progress bar on stderr
    assert "Proefdraai (--dry-run): er is niets opgeslagen. 4 klanten zouden aangemaakt worden" in dry.out
    assert f"Foutenrapport: {source}.fouten.csv" in dry.out
    strict = run_cli("import", str(source), "--strict", "--json", db=db)
    assert strict.code == 2 and strict.json()["stored"] is False
    done = run_cli("import", str(source), "--json", db=db)
    assert done.code == 0 and done.json()["created"] == 4 and done.json()["import_id"] == 1
    refused = run_cli("import", "--undo", "1", db=db, operator="mw")
    assert refused.code == 4 and "Traceback" not in refused.err and refused.err.count("\n") == 1
    listed = run_cli("import", "--list", db=db)
    assert listed.code == 0 and "k.csv" in listed.out and "4 nieuw" in listed.out
    exported = run_cli("export", str(tmp_path / "uit.xlsx"), "--blocked", db=db)
    assert exported.code == 0 and exported.out.strip() == f"2 klanten geëxporteerd naar {tmp_path / 'uit.xlsx'} (xlsx)."
    undone = run_cli("import", "--undo", "1", db=db)
    assert undone.out.strip() == "Import 1 is ongedaan gemaakt: 4 klanten verwijderd, 0 hersteld."
    again = run_cli("import", "--undo", "1", db=db)
    assert again.code == 2 and again.err.strip() == "Import 1 werd al ongedaan gemaakt door admin."
    bad = run_cli("import", str(source), "--on-duplicate", "merge", db=db)
    assert bad.code == 2 and bad.err.startswith("Ongeldige opdracht:")
    missing = run_cli("import", db=db)
    assert missing.code == 2 and "Geef een bestand op" in missing.err


def _holds_sqlite_write_lock(path: str) -> bool:
    """True while another connection holds the database's write transaction."""
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _sqlite_storing(path: str, since: list[float]) -> bool:
    """True once the write transaction has been held for a second (about ten batches of 2,000 rows written)."""
    if not _holds_sqlite_write_lock(path):
        since.clear()
        return False
    since[:] = since or [time.monotonic()]
    return time.monotonic() - since[0] > 1.0


def _postgres_storing(url: str, since: list[float]) -> bool:
    """True once uncommitted customer rows fill pages: the table grew while a session holds it for inserting."""
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'customer' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()")
        busy = cur.fetchone()[0] > 0
        cur.execute("SELECT pg_relation_size('customer')")
        size = cur.fetchone()[0]
    conn.close()
    return busy and size > 1_000_000


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_import_killed_while_storing_stores_nothing(engine: str, tmp_path: Path) -> None:
    source = many_rows(tmp_path / "veel.csv", 30_000)
    with ExitStack() as stack:
        location = str(tmp_path / "k.db") if engine == "sqlite" else stack.enter_context(fresh_database())
        open_database(location, create=True)
        staff.login("admin")
        database_proxy.obj.close()
        command = [sys.executable, APP, "import", str(source), "--db", location, "--operator", "admin"]
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        storing = _sqlite_storing if engine == "sqlite" else _postgres_storing
        since: list = []
        until(lambda: storing(location, since), 120, "the import seen storing", running=process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
        open_database(location)
        try:
            assert Customer.select().count() == 0 and CustomerEvent.select().count() == 0
            assert maintenance.check()["ok"]
        finally:
            database_proxy.obj.close()


def _run_in_terminal(command: list[str]) -> tuple[int, str]:
    """Run a command with its standard error on a real pseudo-terminal (stdout piped); return its code and what the terminal got."""
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"},
                               stdout=subprocess.DEVNULL, stderr=slave, stdin=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return process.wait(), seen.decode("utf-8", "replace")


def test_a_terminal_gets_progress_bars_with_counts_and_rate(db: str, tmp_path: Path) -> None:
    source = many_rows(tmp_path / "veel.csv", 8_000)
    code, screen = _run_in_terminal([sys.executable, APP, "import", str(source), "--db", db, "--operator", "admin"])
    assert code == 0, screen
    assert "Nakijken" in screen and "Opslaan" in screen and "/8000" in screen and "/s" in screen
    code, screen = _run_in_terminal([sys.executable, APP, "export", str(tmp_path / "uit.csv"), "--db", db, "--operator", "admin"])
    assert code == 0 and "Exporteren" in screen
    code, screen = _run_in_terminal([sys.executable, APP, "check", "--json", "--db", db, "--operator", "admin"])
    assert code == 0 and screen == ""  # --json: quiet


def test_demo_check_and_backup_show_their_bars_on_a_terminal(db: str, tmp_path: Path) -> None:
    base = [sys.executable, APP]
    who = ["--db", db, "--operator", "admin"]
    code, screen = _run_in_terminal([*base, "demo", "--customers", "2000", "--force", *who])
    assert code == 0 and "Synthetische klanten" in screen and "/2000" in screen, screen
    code, screen = _run_in_terminal([*base, "check", *who])
    assert code == 0 and "Nakijken (bestand, zoekindex, historiek, dossiers, triggers)" in screen, screen
    code, screen = _run_in_terminal([*base, "backup", str(tmp_path / "kopie.db"), *who])
    assert code == 0 and "Reservekopie schrijven en nakijken" in screen, screen
