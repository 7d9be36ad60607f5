"""Clean failure (issue 26): demo is all or nothing on a real full disk, an import that stores nothing gets no id,
reports show control characters, only region time zones, and the table's inputs are one Dutch sentence each."""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support.foundation_helpers import ROOT, run_cli
from tests.support.trust_helpers import _python_path, ensure_users, run_as

DEMO_CUSTOMERS = 27


def one_sentence(done, code: int) -> None:
    """The exit code, one line on standard error, no traceback."""
    assert done.code == code, done
    assert done.err.strip() and "\n" not in done.err.strip() and "Traceback" not in done.err, done.err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database (admin beheerder, mw medewerker), made by the real CLI."""
    path = tmp_path_factory.mktemp("clean-failure") / "template.db"
    assert run_cli("init", db=str(path)).code == 0
    assert run_cli("staff", "add", "mw", "--role", "medewerker", db=str(path)).code == 0
    return path


@pytest.fixture
def database(template: Path, tmp_path: Path) -> str:
    """A copy of the empty database for this test."""
    path = tmp_path / "k.db"
    path.write_bytes(template.read_bytes())
    return str(path)


def customers_in(path: Path) -> int:
    """Customers in a database file, read straight from it."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM customer").fetchone()[0]


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A real 24 MB tmpfs (root only; skipped with the reason otherwise), unmounted afterwards."""
    mount = tmp_path / "schijf"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("een volle schijf nabootsen vraagt root (mount -t tmpfs)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs kan hier niet: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill_leaving(folder: Path, free_kib: int) -> Path:
    """Fill the file system of `folder` until it is full, then give back `free_kib` KiB."""
    filler = folder / "vulsel"
    with filler.open("wb") as handle:
        block = b"\0" * 65536
        with contextlib.suppress(OSError):
            while True:
                handle.write(block)
                handle.flush()
    filler.write_bytes(b"") if filler.stat().st_size <= free_kib * 1024 else os.truncate(filler, filler.stat().st_size - free_kib * 1024)
    return filler


def test_demo_on_a_full_disk_stores_all_of_the_demo_or_nothing(template: Path, small_disk: Path) -> None:
    outcomes = []
    for free_kib in (32, 96, 160, 256, 2048):
        database = small_disk / "k.db"
        database.write_bytes(template.read_bytes())
        filler = fill_leaving(small_disk, free_kib)
        done = run_cli("demo", db=str(database))
        filler.unlink()
        stored = customers_in(database)
        outcomes.append((free_kib, done.code, stored))
        if done.code == 0:
            assert stored == DEMO_CUSTOMERS, outcomes
        else:
            one_sentence(done, done.code)
            assert stored == 0, outcomes  # not 17 of 27
        for name in ("k.db", "k.db-wal", "k.db-shm"):
            (small_disk / name).unlink(missing_ok=True)
    assert any(code != 0 for _free, code, _stored in outcomes), outcomes  # the full disk was really hit
    assert any(code == 0 for _free, code, _stored in outcomes), outcomes


def test_an_import_that_stores_nothing_gets_no_import_id(database: str, tmp_path: Path) -> None:
    invalid = tmp_path / "fout.csv"
    invalid.write_text("Naam;E-mail\nEen BV;geen-mail\n;\nTwee BV;ook-geen\n", encoding="utf-8")
    done = run_cli("import", str(invalid), db=database)
    assert done.code == 2 and "Ongedaan maken" not in done.out and "--undo" not in done.out, done
    assert run_cli("import", "--list", db=database).out.strip() == "Nog geen imports."
    good = tmp_path / "goed.csv"
    good.write_text("Nummer;Naam\n5;Een BV\n", encoding="utf-8")
    first = run_cli("import", str(good), db=database)
    assert first.code == 0 and "Import 1:" in first.out and "--undo 1" in first.out, first
    again = run_cli("import", str(good), db=database)  # only a duplicate, skipped: nothing to undo
    assert again.code == 0 and "Ongedaan maken" not in again.out and "niets opgeslagen" in again.out, again
    assert len(run_cli("import", "--list", db=database).out.strip().splitlines()) == 1


def test_the_error_report_shows_control_characters_as_the_screens_do(database: str, tmp_path: Path) -> None:
    source = tmp_path / "vies.csv"
    source.write_text("Naam;E-mail;Opmerkingen\nEsc\x1b[2J BV;fout;bel\x07 \u202eomgekeerd\nGoed BV;;=1+1\n", encoding="utf-8")
    done = run_cli("import", str(source), db=database)
    report = Path(f"{source}.fouten.csv").read_text(encoding="utf-8-sig")
    assert done.code == 0 and "\x1b" not in report and "\x07" not in report and "\u202e" not in report, done
    assert "Esc\u241b[2J BV" in report and "bel\u2407" in report and "\ufffdomgekeerd" in report


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "Etc/GMT-1", "CET", "US/Eastern", "Etc/UTC"])
def test_time_zone_refuses_what_is_not_a_region(database: str, zone: str) -> None:
    one_sentence(run_cli("time-zone", zone, db=database), 2)
    assert run_cli("time-zone", db=database).out.strip() == "Tijdzone van het kantoor: Europe/Brussels."


def test_time_zone_takes_a_region_or_utc(database: str) -> None:
    for zone in ("UTC", "America/Argentina/Buenos_Aires", "Europe/Brussels"):
        done = run_cli("time-zone", zone, db=database)
        assert done.code == 0 and done.out.strip() == f"Tijdzone van het kantoor: {zone}.", done


def test_db_on_a_device_is_one_dutch_sentence(database: str) -> None:
    for device in ("/dev/zero", "/dev/null"):
        done = run_cli("search", "x", db=device)
        one_sentence(done, 1)
        assert "geen gewoon bestand" in done.err and "rollback" not in done.err, done
        assert stat.S_ISCHR(os.stat(device).st_mode)


def test_undo_of_a_number_beyond_any_integer_is_one_dutch_sentence(database: str) -> None:
    done = run_cli("import", "--undo", "99999999999999999999", db=database)
    one_sentence(done, 2)
    assert "bestaat niet" in done.err and "INTEGER" not in done.err


def test_a_database_folder_another_user_cannot_enter_is_one_dutch_sentence(database: str) -> None:
    ensure_users()
    place = Path(tempfile.mkdtemp(prefix="kb26-", dir="/tmp"))
    try:
        place.chmod(0o755)
        closed = place / "afgesloten"
        closed.mkdir(mode=0o700)
        shutil.copy(database, closed / "k.db")
        (place / "pad").mkdir()
        (place / "pad" / "klantbeheer").symlink_to(ROOT)  # the package for the other user's interpreter
        environment = {"PYTHONPATH": os.pathsep.join([str(place / "pad"), _python_path()])}
        for args in (["search", "x"], ["--help"]):
            done = run_as("kb16_anna", *args, "--db", str(closed / "k.db"), env=environment)
            assert "Traceback" not in done.stderr and "PermissionError" not in done.stderr, done.stderr
            if args == ["--help"]:
                assert done.returncode == 0 and "klantbeheer" in done.stdout, done
            else:
                assert done.returncode != 0 and done.stderr.strip().count("\n") == 0 and "toegang" in done.stderr, done.stderr
    finally:
        shutil.rmtree(place)
