"""Export never writes over what it must not (the database's own files, devices, directories, FIFOs, links),
`-` is standard output, and a stopped export leaves no temporary file (issue 26, issue 24)."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.foundation_helpers import APP, ROOT, run_cli
from tests.support.waiting import RACE_POLL_S, until

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint = 0")
connection.execute("BEGIN")
connection.execute("SELECT count(*) FROM customer").fetchone()  # a read snapshot: no checkpoint can fold the WAL
print("ready", flush=True)
sys.stdin.readline()
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database with the demo customers, made by the real CLI."""
    path = tmp_path_factory.mktemp("export-safety") / "template.db"
    assert run_cli("init", db=str(path)).code == 0
    assert run_cli("staff", "add", "mw", "--role", "medewerker", db=str(path)).code == 0
    done = run_cli("demo", db=str(path))
    assert done.code == 0, done.err
    return path


@pytest.fixture
def database(template: Path, tmp_path: Path) -> Path:
    """A copy of the template in this test's own folder."""
    path = tmp_path / "w.db"
    shutil.copy(template, path)
    return path


def blocked_numbers(path: Path) -> set[int]:
    """The numbers of the blocked customers, read straight from the file."""
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT number FROM customer WHERE blocked")}


def leftovers(folder: Path) -> list[str]:
    """Temporary export files left in a folder."""
    return sorted(name for name in os.listdir(folder) if name.startswith(".export-"))


def test_an_export_over_the_wal_while_another_process_holds_the_database_is_refused_and_loses_nothing(database: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(database)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = blocked_numbers(database)
        for number in range(1002, 1010):
            assert run_cli("block", str(number), "--reason", "wanbetaling", db=str(database)).code in (0,)
        wal = Path(f"{database}-wal")
        assert wal.stat().st_size > 0  # the blocks live in the WAL while the other process holds the file
        saved = wal.read_bytes()
        for name in (f"{database}-wal", f"{database}-shm", f"{database}.lock", f"{database}-journal", str(database)):
            done = run_cli("export", name, db=str(database), operator="mw")
            assert done.code == 2, (name, done)
            assert "eigen bestanden" in done.err and "Traceback" not in done.err and done.err.count("\n") == 1, done.err
        assert wal.read_bytes() == saved and not Path(f"{database}-journal").exists()
        assert leftovers(database.parent) == []
    finally:
        holder.communicate("\n", timeout=30)
    after = blocked_numbers(database)
    assert after == before | set(range(1002, 1010))
    assert run_cli("check", db=str(database)).code == 0


def test_the_database_is_refused_through_a_symlinked_folder_and_a_hard_link(database: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(tmp_path, target_is_directory=True)
    os.link(database, tmp_path / "hard.db")
    size = database.stat().st_size
    for name in (alias / "w.db-wal", alias / "w.db", tmp_path / "hard.db"):
        done = run_cli("export", str(name), db=str(database))
        assert done.code == 2 and "eigen bestanden" in done.err, (name, done)
    assert database.stat().st_size == size and run_cli("check", db=str(database)).code == 0


def test_a_symlink_is_never_followed_over_another_file(database: Path, tmp_path: Path) -> None:
    precious = tmp_path / "belangrijk.txt"
    precious.write_text("niet overschrijven\n")
    link = tmp_path / "uit.csv"
    link.symlink_to(precious)
    done = run_cli("export", str(link), db=str(database))
    assert done.code == 2 and "symbolische koppeling" in done.err, done
    assert link.is_symlink() and precious.read_text() == "niet overschrijven\n"


def test_a_directory_and_a_fifo_get_one_dutch_sentence_and_stay_as_they_were(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    done = run_cli("export", str(folder), db=str(database))
    assert done.code == 2 and "is een map" in done.err and "Errno" not in done.err, done
    assert os.listdir(folder) == []
    fifo = tmp_path / "pijp.csv"
    os.mkfifo(fifo)
    done = run_cli("export", str(fifo), db=str(database), timeout=60)
    assert done.code == 2 and "geen gewoon bestand" in done.err, done
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and leftovers(tmp_path) == []


@pytest.fixture
def devices_restored() -> None:
    """After the test /dev/full and /dev/null are character devices again, even when a regression replaced them."""
    yield
    for device, minor in (("/dev/full", 7), ("/dev/null", 3)):
        if not stat.S_ISCHR(os.lstat(device).st_mode):
            os.unlink(device)
            os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
            os.chmod(device, 0o666)


def test_devices_are_refused_as_root_and_stay_devices(database: Path, devices_restored: None) -> None:
    if os.geteuid() != 0:
        pytest.skip("alleen root kan een apparaatbestand vervangen: als andere gebruiker valt er niets te bewijzen")
    for device in ("/dev/full", "/dev/null"):
        done = run_cli("export", device, db=str(database))
        assert done.code == 2 and "geen gewoon bestand" in done.err, (device, done)
        assert stat.S_ISCHR(os.stat(device).st_mode), device
    done = run_cli("export", "/dev/stdout", db=str(database))  # a symbolic link to /proc/self/fd/1
    assert done.code == 2 and "symbolische koppeling" in done.err, done
    assert leftovers(Path("/dev")) == []


def test_dash_writes_the_export_to_standard_output(database: Path, tmp_path: Path) -> None:
    command = [sys.executable, APP, "export", "-", "--fields", "number", "name", "--db", str(database), "--operator", "admin"]
    done = subprocess.run(command, capture_output=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8-sig").splitlines()
    assert lines[0] == "Nummer;Naam" and len(lines) > 20
    assert "geëxporteerd naar -" in done.stderr.decode() and not (tmp_path / "-").exists()
    done = subprocess.run([*command[:3], "--format", "xlsx", *command[3:]], capture_output=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith(b"PK\x03\x04"), done.stderr
    assert leftovers(tmp_path) == [] and not (tmp_path / "-").exists()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database large enough that an export takes a while (demo plus synthetic customers)."""
    path = tmp_path_factory.mktemp("export-big") / "big.db"
    assert run_cli("init", db=str(path)).code == 0
    done = run_cli("demo", "--customers", "150000", db=str(path), timeout=600)
    assert done.code == 0, done.err
    return path


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stopped_export_leaves_no_temporary_file(big: Path, tmp_path: Path, signum: int) -> None:
    target = tmp_path / "uit.csv"
    command = [sys.executable, APP, "export", str(target), "--db", str(big), "--operator", "admin"]
    export = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        def writing() -> bool:
            names = leftovers(tmp_path)
            return bool(names) and (tmp_path / names[0]).stat().st_size > 0

        # caught while it writes the temporary file: look often, the file grows fast
        until(writing, 120, "the export writing its temporary file", poll=RACE_POLL_S, running=export)
        export.send_signal(signum)
        _out, err = export.communicate(timeout=120)
    finally:
        if export.poll() is None:
            export.kill()
    assert export.returncode == 128 + signum, err
    assert "Afgebroken." in err.decode() and b"Traceback" not in err
    assert leftovers(tmp_path) == [] and not target.exists()


def test_a_screen_export_named_dash_is_a_file_not_the_terminal(db_path: str, tmp_path: Path, monkeypatch, capfdbinary) -> None:
    from klantbeheer.data.transfer import exporter

    monkeypatch.chdir(tmp_path)
    result = exporter.export("-", fields=["number"])  # what the export dialog passes: no dash_is_stdout
    assert result["file"] == "-" and (tmp_path / "-").read_bytes().startswith(b"\xef\xbb\xbf")
    assert capfdbinary.readouterr().out == b""
