"""Database trouble at start-up: every CLI command answers with one Dutch sentence, never a traceback."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.reliability_helpers import REPO

IS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
# Root ignores file permissions through CAP_DAC_OVERRIDE; run the CLI without it to see what a user sees.
DROP_ROOT_POWER = [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search"] if IS_ROOT and SETPRIV else []

COMMANDS = [
    ["search", "x"], ["show", "123"], ["block", "123", "--reason", "Wanbetaling"], ["unblock", "123"],
    ["delete", "123"], ["new-dossier", "--customer", "123", "--description", "Schade"], ["dossiers"],
    ["staff", "list"], ["staff", "add", "jan", "--role", "medewerker"], ["demo"], ["check"],
]

SOME_COMMANDS = [COMMANDS[0], COMMANDS[2], COMMANDS[5], COMMANDS[-1]]  # search, block, new-dossier, check


def run_cli(args: list[str], db: str | Path, prefix: list[str] | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run app.py as a user would, in its own process."""
    return subprocess.run(
        [*(prefix or []), sys.executable, "app.py", *args, "--db", str(db), "--operator", "admin"],
        capture_output=True, text=True, cwd=REPO, timeout=60, env={**os.environ, **(env or {})},
    )


def assert_one_dutch_sentence(result: subprocess.CompletedProcess, *words: str) -> None:
    """Non-zero exit, nothing on stdout, one line on stderr containing the expected Dutch words."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def make_db(path: Path) -> Path:
    """A real Klantbeheer database with the demo data, checkpointed into the main file."""
    for command in (["init"], ["demo"]):
        done = run_cli(command, path)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    return path


def test_missing_directory(tmp_path: Path) -> None:
    result = run_cli(["search", "x"], tmp_path / "bestaat-niet" / "k.db")
    assert_one_dutch_sentence(result, "Database niet gevonden", "klantbeheer init")
    assert not (tmp_path / "bestaat-niet").exists()


@pytest.mark.skipif(IS_ROOT and not SETPRIV, reason="root reads any file and setpriv is missing to drop that power")
def test_no_permission(tmp_path: Path) -> None:
    db = make_db(tmp_path / "k.db")
    db.chmod(0)
    result = run_cli(["search", "x"], db, prefix=DROP_ROOT_POWER)
    assert_one_dutch_sentence(result, "leesrechten")


def test_read_only_file_is_refused_plainly(tmp_path: Path) -> None:
    db = make_db(tmp_path / "k.db")
    before = db.read_bytes()
    db.chmod(0o444)
    for prefix in ([], DROP_ROOT_POWER):  # marked read-only, and (without root's power) truly unwritable
        result = run_cli(["block", "123", "--reason", "Wanbetaling"], db, prefix=prefix)
        assert_one_dutch_sentence(result, "alleen-lezen")
    assert db.read_bytes() == before


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    db.write_text("Dit is een boodschappenlijstje, geen database.\n" * 200)
    for command in COMMANDS:
        assert_one_dutch_sentence(run_cli(command, db), "geen")
    assert db.read_text().startswith("Dit is een boodschappenlijstje")


def test_sqlite_file_of_another_program(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE recepten (naam TEXT)")
    assert_one_dutch_sentence(run_cli(["search", "x"], db), "geen Klantbeheer-database")


@pytest.mark.parametrize("where", ["header", "schema", "data"])
def test_corrupt_database(tmp_path: Path, where: str) -> None:
    db = make_db(tmp_path / "k.db")
    data = bytearray(db.read_bytes())
    page = 4096 if data[16:18] == b"\x10\x00" else int.from_bytes(data[16:18], "big")
    garbage = bytes((i * 37 + 11) % 256 for i in range(page))
    if where == "header":
        data[0:100] = garbage[:100]
    elif where == "schema":
        data[100:page] = garbage[100:]
    else:
        for number in range(2, len(data) // page, 3):  # every third page after the schema
            data[number * page:(number + 1) * page] = garbage
    db.write_bytes(bytes(data))
    for command in COMMANDS if where == "header" else SOME_COMMANDS:
        result = run_cli(command, db)
        assert_one_dutch_sentence(result)
        assert any(word in result.stderr for word in ("beschadigd", "geen", "Klantbeheer")), result.stderr


def test_database_of_a_newer_version(tmp_path: Path) -> None:
    db = make_db(tmp_path / "k.db")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE schema_info SET version = 99")
    for command in SOME_COMMANDS:
        assert_one_dutch_sentence(run_cli(command, db), "nieuwer", "werk Klantbeheer bij")


def test_database_locked_by_another_process_past_the_timeout(tmp_path: Path) -> None:
    db = make_db(tmp_path / "k.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE'); "
            "c.execute('UPDATE staff SET full_name = full_name'); print('locked', flush=True); sys.stdin.read()"
        ), str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        for command in (["search", "x"], ["new-dossier", "--customer", "123", "--description", "Schade"], ["check"]):
            result = run_cli(command, db, env={"KLANTBEHEER_BUSY_TIMEOUT": "0.5"})
            assert_one_dutch_sentence(result, "bezet door een ander proces", "0.5 s")
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert run_cli(["search", "abc"], db).returncode == 0  # free again once the other process is done
