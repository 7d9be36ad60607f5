"""Issue 25, holes 6-9: launchers, file modes, no silent new database, the lock file. Real files, real OS users."""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import Input

from klantbeheer.data import customers
from klantbeheer.data.db import open_database
from klantbeheer.data.errors import DatabaseNotFound, DatabaseProblem, NotPermitted
from klantbeheer.data.models import database_proxy
from klantbeheer.data.transfer import exporter, importer
from tests.support.form_helpers import make_app, notes, open_form, wait_until
from tests.support.foundation_helpers import run_cli
from tests.support.transfer_files import write_csv
from tests.support.trust_helpers import _python, _python_path, ensure_users, run_as, share
from tests.support.workers import accounts_lock

ANNA, BERT = "kb16_anna", "kb16_bert"
GROUP = "kb25_kantoor"


def mode(path: str | Path) -> int:
    """A file's permission bits."""
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """This process (and the CLI it starts) under `mask`."""
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A directory in /tmp that the test OS users can reach."""
    directory = Path(tempfile.mkdtemp(prefix="kb25-", dir="/tmp"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _uid(user: str) -> int:
    return pwd.getpwnam(user).pw_uid


# --- launchers -------------------------------------------------------------------------------------------------


@pytest.fixture
def shared_db(folder: Path) -> str:
    """A database both OS users can write: kb16_anna medewerker, 'bert' (kb16_bert) beheerder, 123 blocked."""
    ensure_users()
    db = str(folder / "klantbeheer.db")
    assert run_cli("init", db=db, operator="admin").code == 0
    assert run_cli("staff", "add", ANNA, "--role", "medewerker", db=db).code == 0
    assert run_cli("staff", "add", "bert", "--role", "beheerder", "--os-user", BERT, db=db).code == 0
    open_database(db)
    customers.create({"name": "ABC", "number": 123}, "admin")
    customers.block(123, "wanbetaling", operator="admin")
    database_proxy.obj.close()
    share(folder)  # the directory too: SQLite makes -wal and -shm beside the file
    return db


def test_the_environment_no_longer_names_the_launchers_file(shared_db: str, folder: Path) -> None:
    """The attack: a root-owned export others cannot write, whose Opmerkingen hold her name, made her a launcher."""
    export = folder / "export.csv"
    export.write_text('Klantnummer;Naam;Opmerkingen\n123;ABC;"Zie ook\nkb16_anna\n"\n')
    export.chmod(0o644)
    os.chown(export, 0, 0)
    for variable in ("KLANTBEHEER_LAUNCHERS",):
        spoofed = run_as(ANNA, "--db", shared_db, "--operator", "admin", "unblock", "123", env={variable: str(export)})
        assert spoofed.returncode == NotPermitted.exit_code, spoofed.stderr
    assert run_cli("show", "123", "--json", db=shared_db).json()["blocked"] is True


def test_the_launchers_file_beside_the_database_must_hold_os_user_names(shared_db: str) -> None:
    """Its lines must be OS accounts: the same export copied beside the database does not count."""
    launchers = Path(f"{shared_db}.launchers")
    launchers.write_text('Klantnummer;Naam;Opmerkingen\n123;ABC;"Zie ook\nkb16_anna\n"\n')
    launchers.chmod(0o644)
    refused = run_as(ANNA, "--db", shared_db, "--operator", "bert", "unblock", "123")
    assert refused.returncode == NotPermitted.exit_code
    assert "geen systeemgebruiker" in refused.stderr and "Traceback" not in refused.stderr
    launchers.write_text("# SSH-account\nkb16_anna\n")
    trusted = run_as(ANNA, "--db", shared_db, "--operator", "bert", "unblock", "123")
    assert trusted.returncode == 0, trusted.stderr


def test_a_hard_link_or_a_symlink_is_not_a_launchers_file(shared_db: str, folder: Path) -> None:
    """A link to some root-owned file elsewhere never counts."""
    elsewhere = folder / "launchers-elders"
    elsewhere.write_text("kb16_anna\n")
    elsewhere.chmod(0o644)
    launchers = Path(f"{shared_db}.launchers")
    os.link(elsewhere, launchers)
    assert run_as(ANNA, "--db", shared_db, "--operator", "bert", "unblock", "123").returncode == NotPermitted.exit_code
    launchers.unlink()
    launchers.symlink_to(elsewhere)
    assert run_as(ANNA, "--db", shared_db, "--operator", "bert", "unblock", "123").returncode == NotPermitted.exit_code
    assert run_cli("show", "123", "--json", db=shared_db).json()["blocked"] is True


# --- file modes ------------------------------------------------------------------------------------------------


def test_init_under_umask_022_makes_everything_private(folder: Path) -> None:
    """Database, -wal/-shm, lock file, backup, export and import report: none readable by others."""
    db = str(folder / "k.db")
    with umask(0o022):
        assert run_cli("init", db=db).code == 0
        assert mode(db) == 0o600
        open_database(db)
        try:
            customers.create({"name": "Privé NV", "number": 7}, "admin")  # a write: lock file, WAL and SHM in use
            for side in ("-wal", "-shm", ".lock"):
                assert mode(db + side) == 0o600, side
            exporter.export(str(folder / "uit.csv"))
            source = write_csv(folder / "in.csv", ["Naam", "BTW-nummer"], [["Fout NV", "BE0000000000"]])
            report = importer.run_import(str(source), "admin")["report"]
        finally:
            database_proxy.obj.close()
        assert run_cli("backup", str(folder / "kopie.db"), db=db).code == 0
        assert run_cli("export", str(folder / "uit2.xlsx"), db=db).code == 0
    for made in ("kopie.db", "uit.csv", "uit2.xlsx"):
        assert mode(folder / made) == 0o600, made
    assert report and mode(report) == 0o600


@pytest.fixture
def office_group() -> str:
    """An OS group for a group-shared office directory (root only)."""
    ensure_users()
    with accounts_lock():
        try:
            grp.getgrnam(GROUP)
        except KeyError:
            subprocess.run(["groupadd", "--system", GROUP], check=True, capture_output=True)
        for user in (ANNA, BERT):
            subprocess.run(["usermod", "-a", "-G", GROUP, user], check=True, capture_output=True)
    return GROUP


def test_init_in_a_setgid_group_directory_makes_a_group_database(folder: Path, office_group: str) -> None:
    """0660 with the directory's group, not the creator's; its side files and backups follow it."""
    gid = grp.getgrnam(office_group).gr_gid
    os.chown(folder, _uid(ANNA), gid)
    folder.chmod(0o2770)
    db = str(folder / "k.db")
    with umask(0o022):
        made = run_as(ANNA, "init", "--db", db)
        assert made.returncode == 0, made.stderr
        info = os.stat(db)
        assert mode(db) == 0o660 and info.st_gid == gid and info.st_uid == _uid(ANNA)
        assert run_as(ANNA, "search", "x", "--db", db).returncode == 0
        assert mode(db + ".lock") == 0o660 and os.stat(db + ".lock").st_gid == gid
        open_database(db)
        try:
            customers.create({"name": "Groep NV", "number": 8}, "kb16_anna")  # root writes: -wal and -shm in use
            for side in ("-wal", "-shm"):
                assert mode(db + side) == 0o660 and os.stat(db + side).st_gid == gid, side
        finally:
            database_proxy.obj.close()
        assert run_cli("backup", str(folder / "kopie.db"), db=db, operator=ANNA).code == 0  # root makes it
    copy = os.stat(folder / "kopie.db")
    assert mode(folder / "kopie.db") == 0o660 and copy.st_gid == gid and copy.st_uid == _uid(ANNA)


# --- no silent new database ------------------------------------------------------------------------------------


def test_an_empty_file_is_refused_and_nobody_becomes_beheerder(folder: Path) -> None:
    """touch empty.db; search x --db empty.db: refused in one sentence, the file stays empty."""
    empty = folder / "empty.db"
    empty.touch()
    done = run_cli("search", "x", db=str(empty), operator=None)
    assert done.code == DatabaseNotFound.exit_code and "leeg" in done.err and done.err.count("\n") == 1
    assert empty.stat().st_size == 0
    made = run_cli("init", db=str(empty), operator=None)  # init may fill it
    assert made.code == 0, made.err
    assert mode(empty) == 0o600


def test_a_sqlite_file_without_tables_is_not_made_a_database_either(folder: Path) -> None:
    """A valid but empty SQLite file is no Klantbeheer database until init."""
    import sqlite3

    path = folder / "leeg.db"
    sqlite3.connect(path).execute("VACUUM")
    done = run_cli("staff", "list", db=str(path), operator=None)
    assert done.code == DatabaseNotFound.exit_code and "init" in done.err


def test_a_deleted_database_is_gone_for_the_cli_and_for_an_open_session(tmp_path: Path) -> None:
    """Deleted while open: the next write refuses and re-creates nothing; search and check say it is gone."""
    db = str(tmp_path / "k.db")
    assert run_cli("init", db=db).code == 0
    open_database(db)
    try:
        customers.create({"name": "Weg NV", "number": 5}, "admin")
        for side in ("", "-wal", "-shm"):
            Path(db + side).unlink(missing_ok=True)
        with pytest.raises(DatabaseNotFound) as gone:
            customers.update(5, {"contact": "Ann"}, None, "admin")
        assert "bestaat niet meer" in gone.value.message
        with pytest.raises(DatabaseNotFound):
            customers.search("weg")
        assert not Path(db).exists()
    finally:
        database_proxy.obj.close()
    assert not Path(db).exists()
    search = run_cli("search", "x", db=db)
    assert search.code != 0 and "Geen resultaten" not in search.out and "niet gevonden" in search.err
    check = run_cli("check", db=db)
    assert check.code != 0 and "in orde" not in check.out


def test_a_replaced_database_is_refused_by_an_open_session(tmp_path: Path) -> None:
    """Another file put in its place (a restore, an attacker's copy) is not written by the session."""
    db, other = str(tmp_path / "k.db"), str(tmp_path / "ander.db")
    assert run_cli("init", db=db).code == 0 and run_cli("init", db=other).code == 0
    open_database(db)
    try:
        customers.create({"name": "Eerste NV", "number": 5}, "admin")
        os.replace(other, db)
        with pytest.raises(DatabaseProblem) as replaced:
            customers.create({"name": "Tweede NV", "number": 6}, "admin")
        assert "vervangen" in replaced.value.message
    finally:
        database_proxy.obj.close()
    assert run_cli("show", "6", db=db).code == 2  # nothing was written into the replacement


async def test_a_running_form_whose_database_disappears_says_so_and_keeps_the_input(demo_db: str) -> None:
    """Save after the file is deleted: a Dutch notice, the typed text still on screen, no new file."""
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        form = await open_form(pilot, 123)
        contact = form.query_one("#contact", Input)
        contact.focus()
        await pilot.press(*"Ann Peeters")
        for side in ("", "-wal", "-shm"):
            Path(demo_db + side).unlink(missing_ok=True)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "bestaat niet meer" in notes(app))
        assert app.screen is form
        assert form.query_one("#contact", Input).value.endswith("Ann Peeters")
        assert not Path(demo_db).exists()


# --- the lock file ---------------------------------------------------------------------------------------------


def _as_user(user: str, code: str, wait: bool = True) -> subprocess.Popen[str] | subprocess.CompletedProcess[str]:
    """Run Python `code` as OS user `user` (a clean environment)."""
    command = ["runuser", "-u", user, "--", "env", "-i", "PATH=/usr/bin:/bin", f"PYTHONPATH={_python_path()}",
               "HOME=/tmp", _python(), "-c", code]
    if wait:
        return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/tmp")
    # its own process group: killing it kills runuser's child (the other user's Python) too
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/tmp",
                            start_new_session=True)


HOLD = (
    "import fcntl, os, signal, sys\n"
    "try:\n"
    "    fd = os.open(sys.argv[1] if len(sys.argv) > 1 else {path!r}, os.O_RDONLY)\n"
    "    fcntl.flock(fd, fcntl.LOCK_EX)\n"
    "except OSError as problem:\n"
    "    print('refused', problem.errno, flush=True)\n"
    "    raise SystemExit(0)\n"
    "print('held', flush=True)\n"
    "signal.pause()\n"  # hold the lock until the test kills us
)


@pytest.fixture
def readable_db(folder: Path) -> str:
    """A database kb16_anna owns and writes, that kb16_bert may read (0644: as made under umask 022 before)."""
    ensure_users()
    os.chown(folder, _uid(ANNA), -1)
    db = str(folder / "k.db")
    made = run_as(ANNA, "init", "--db", db)
    assert made.returncode == 0, made.stderr
    os.chmod(db, 0o644)
    return db


def test_a_reader_who_cannot_write_cannot_open_the_lock_file(readable_db: str) -> None:
    """The writers' lock file is rw for who may write the database only: kb16_bert cannot take it."""
    assert run_as(ANNA, "staff", "add", "jan", "--role", "medewerker", "--db", readable_db).returncode == 0
    assert mode(readable_db + ".lock") == 0o600
    tried = _as_user(BERT, HOLD.format(path=readable_db + ".lock"))
    assert tried.stdout.startswith("refused"), tried.stdout + tried.stderr


def test_a_reader_holding_an_old_wide_lock_file_cannot_delay_writes(readable_db: str) -> None:
    """The attack: kb16_bert flocks a 0644 lock file left by an older version; kb16_anna's writes go on."""
    lock = Path(readable_db + ".lock")
    lock.unlink(missing_ok=True)
    lock.touch()
    lock.chmod(0o644)
    os.chown(lock, _uid(ANNA), -1)
    holder = _as_user(BERT, HOLD.format(path=str(lock)), wait=False)
    try:
        assert holder.stdout.readline().strip() == "held"
        # With the old code every write waited the busy timeout (here 10 minutes) for the lock bert holds.
        env = {"KLANTBEHEER_BUSY_TIMEOUT": "600"}
        done = run_as(ANNA, "staff", "add", "jan", "--role", "medewerker", "--db", readable_db, env=env)
        assert done.returncode == 0, done.stderr
        assert mode(lock) == 0o600 and lock.stat().st_uid == _uid(ANNA)
        again = _as_user(BERT, HOLD.format(path=str(lock)))
        assert again.stdout.startswith("refused")
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()


def test_a_group_writer_replaces_a_lock_file_only_its_maker_could_open(folder: Path, office_group: str) -> None:
    """A 0600 lock file left by one member of a group-shared database does not keep another member out of the queue."""
    gid = grp.getgrnam(office_group).gr_gid
    os.chown(folder, _uid(ANNA), gid)
    folder.chmod(0o2770)
    db = str(folder / "k.db")
    assert run_as(ANNA, "init", "--db", db).returncode == 0
    assert run_as(ANNA, "staff", "add", "bert", "--role", "beheerder", "--os-user", BERT, "--db", db).returncode == 0
    lock = Path(db + ".lock")
    os.chmod(lock, 0o600)
    done = run_as(BERT, "staff", "add", "jan", "--role", "medewerker", "--db", db)
    assert done.returncode == 0, done.stderr
    assert mode(lock) == 0o660 and lock.stat().st_gid == gid
