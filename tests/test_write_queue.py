"""Issue 6 performance changes: writers queue on '<db>.lock', saves write only changed columns, lazy imports."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from klantbeheer.data import customers, staff
from klantbeheer.data.db import APP_CACHE_KIB, open_database
from klantbeheer.data.models import database_proxy

ROOT = Path(__file__).resolve().parent.parent


def _lock_is_free(path: str) -> bool:
    """True when a new descriptor can take the queue lock right now (the lock is then let go at once)."""
    fd = os.open(f"{path}.lock", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_write_transaction_holds_the_queue_lock_until_commit(db_path: str) -> None:
    number = customers.create({"name": "Wachtrij NV", "postcode": "8830"}, "admin")["number"]
    assert Path(f"{db_path}.lock").exists()
    with database_proxy.atomic():
        customers.block(number, "Wanbetaling", "test", None, "admin")  # nested: a savepoint, no second lock
        assert not _lock_is_free(db_path)
    assert _lock_is_free(db_path)
    with pytest.raises(RuntimeError):  # a rolled-back transaction lets go as well
        with database_proxy.atomic():
            database_proxy.execute_sql("UPDATE customer SET contact = 'x' WHERE number = ?", (number,))
            assert not _lock_is_free(db_path)
            raise RuntimeError("stop")
    assert _lock_is_free(db_path)
    assert customers.get(number)["blocked"] is True and customers.get(number)["contact"] == ""


def test_writers_in_two_threads_take_turns_in_order(db_path: str) -> None:
    number = customers.create({"name": "Beurtrol BV", "postcode": "8830"}, "admin")["number"]
    events: list[str] = []
    inside = threading.Event()

    def slow_writer() -> None:
        with database_proxy.atomic():
            database_proxy.execute_sql("UPDATE customer SET contact = 'eerste' WHERE number = ?", (number,))
            events.append("first in")
            inside.set()
            time.sleep(0.4)  # slow on purpose: the other writer must queue behind this open transaction
            events.append("first out")
        database_proxy.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inside.wait(5)
    started = time.perf_counter()
    with database_proxy.atomic():
        events.append("second in")
        database_proxy.execute_sql("UPDATE customer SET contact = 'tweede' WHERE number = ?", (number,))
    waited = time.perf_counter() - started
    thread.join(5)
    assert events == ["first in", "first out", "second in"]
    assert 0.2 < waited < 5
    assert customers.get(number)["contact"] == "tweede"


def test_a_stuck_lock_holder_only_delays_a_write_by_the_busy_timeout(tmp_path: Path) -> None:
    db = str(tmp_path / "vast.db")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, signal\n"
         f"fd = os.open({db + '.lock'!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"  # as a writer opens it (issue 25)
         "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\nsignal.pause()\n"],  # held until killed
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        code = (
            "import time\n"
            "from klantbeheer.data import customers, staff\nfrom klantbeheer.data.db import open_database\n"
            f"open_database({db!r}, create=True); staff.login('admin')\n"
            "started = time.perf_counter()\n"
            "customers.create({'name': 'Toch Bewaard NV', 'postcode': '8830'}, 'admin')\n"
            "print(round(time.perf_counter() - started, 2))\n"
        )
        env = {**os.environ, "KLANTBEHEER_BUSY_TIMEOUT": "1"}
        # open_database migrates (write transactions) and login adds the operator: several waits of 1 s each
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=25)
        assert done.returncode == 0, done.stderr
        assert 0.9 <= float(done.stdout.strip()) < 5
    finally:
        holder.kill()
        holder.wait()


def test_writes_go_on_when_no_lock_file_can_be_made(tmp_path: Path) -> None:
    db = str(tmp_path / "geen-slot.db")
    Path(f"{db}.lock").mkdir()  # a directory where the lock file should be: it cannot be opened as one
    open_database(db, create=True)
    staff.login("admin")
    try:
        number = customers.create({"name": "Zonder Slot BV", "postcode": "8830"}, "admin")["number"]
        assert customers.update(number, {"contact": "Ann"}, None, "admin")["contact"] == "Ann"
    finally:
        database_proxy.obj.close()


def test_a_save_writes_only_the_columns_that_changed(db_path: str) -> None:
    created = customers.create({"name": "Kolommen NV", "postcode": "8830", "remarks": "niet aanraken"}, "admin")
    statements: list[str] = []
    database_proxy.connection().set_trace_callback(statements.append)
    try:
        customers.update(created["number"], {"address": "Kerkstraat 1"}, created["version"], "admin")
    finally:
        database_proxy.connection().set_trace_callback(None)
    # set(): SQLite traces a statement again when it re-prepares it after a schema change
    updates = sorted({s for s in statements if s.lstrip().upper().startswith('UPDATE "CUSTOMER"')})
    assert len(updates) == 1
    assert '"address"' in updates[0] and '"version"' in updates[0] and '"search_text"' in updates[0]
    assert '"remarks"' not in updates[0] and '"name"' not in updates[0] and '"email"' not in updates[0]
    saved = customers.get(created["number"])
    assert saved["address"] == "Kerkstraat 1" and saved["remarks"] == "niet aanraken"
    assert saved["version"] == created["version"] + 1


def test_the_app_opens_sqlite_with_small_caches(db_path: str) -> None:
    db = open_database(db_path, cache_kib=APP_CACHE_KIB, create=True)
    assert db.execute_sql("PRAGMA cache_size").fetchone()[0] == -APP_CACHE_KIB
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(db.execute_sql("PRAGMA cache_size").fetchone()[0]))
    worker.start()
    worker.join(5)
    assert result == [-APP_CACHE_KIB]  # every thread's own connection gets the same pragma


def test_importing_the_app_leaves_heavy_libraries_and_later_screens_for_later() -> None:
    code = (
        "import sys, klantbeheer.tui.app\n"
        "heavy = ['phonenumbers', 'email_validator', 'stdnum', 'belgica', 'pycountry', 'playhouse.db_url',\n"
        "         'klantbeheer.tui.screens.form.screen', 'klantbeheer.tui.screens.new_dossier', 'klantbeheer.tui.screens.help']\n"
        "print(','.join(name for name in heavy if name in sys.modules))\n"
        "import gc; print(gc.isenabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    loaded, collecting = done.stdout.splitlines()
    assert loaded == ""
    assert collecting == "True"
