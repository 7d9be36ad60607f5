"""Races between real processes on one database file: a block committed in between is honoured."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from klantbeheer.data import clock, customers, dossiers
from klantbeheer.data.models import database_proxy
from tests.support.foundation_helpers import ROOT, VALID, run_cli
from tests.support.waiting import until

WORKER = str(Path(__file__).parent / "support" / "dossier_race_helpers.py")


def start(mode: str, db: str, folder: Path, number: int) -> subprocess.Popen:
    """Start one worker process."""
    return subprocess.Popen(
        [sys.executable, WORKER, mode, db, str(folder), str(number)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def outcome(process: subprocess.Popen) -> dict:
    """The JSON line a worker printed (fails the test on a crash)."""
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait for a worker's marker file, failing early when the worker died."""
    until(path.exists, timeout, f"{path.name} from the worker", running=process)


def release_connection() -> None:
    """Close this process's connection so only the workers hold the file."""
    database_proxy.obj.close()


def test_block_committed_by_another_process_after_the_owner_was_read_is_honoured(db_path: str, tmp_path: Path) -> None:
    number = customers.create(VALID, "admin")["number"]
    release_connection()
    marks = tmp_path / "marks"
    marks.mkdir()
    reader = start("dossier-after-read", db_path, marks, number)
    wait_for(marks / "read", reader)
    blocked = run_cli("block", str(number), "--reason", "wanbetaling", "--message", "Eerst betalen", db=db_path, operator="admin")
    assert blocked.code == 0, blocked.err
    (marks / "go").touch()
    result = outcome(reader)
    assert result["check_owner"] == number
    assert result["error"] == "CustomerBlocked" and result["reason"] == "Wanbetaling"
    assert result["block_message"] == "Eerst betalen" and result["blocked_by"] == "admin"
    assert "dossier" not in result
    assert dossiers.list_dossiers(number) == []


def test_dossier_waits_for_a_block_still_being_written_and_then_refuses(db_path: str, tmp_path: Path) -> None:
    number = customers.create(VALID, "admin")["number"]
    release_connection()
    marks = tmp_path / "marks"
    marks.mkdir()
    (marks / "hold").write_text("1.0")
    blocker = start("block-and-hold", db_path, marks, number)
    wait_for(marks / "locked", blocker)
    opener = start("dossier-now", db_path, marks, number)
    opened, blocked = outcome(opener), outcome(blocker)
    assert blocked == {"blocked": True}
    assert opened["error"] == "CustomerBlocked", opened
    assert opened["waited"] > 0.3  # it had to wait for the blocker's write lock, then saw the block
    assert dossiers.list_dossiers(number) == []


def test_dossier_committed_before_the_block_stays_and_the_next_is_refused(db_path: str, tmp_path: Path) -> None:
    number = customers.create(VALID, "admin")["number"]
    release_connection()
    made = run_cli("new-dossier", "--customer", str(number), "--description", "Eerst", db=db_path, operator="mw")
    assert made.code == 0, made.err
    assert run_cli("block", str(number), "--reason", "fraude", db=db_path).code == 0
    refused = run_cli("new-dossier", "--customer", str(number), "--description", "Daarna", db=db_path, operator="mw")
    assert refused.code == 3 and "geblokkeerd" in refused.err
    assert [d["description"] for d in dossiers.list_dossiers(number)] == ["Eerst"]


def test_stale_save_across_two_processes_is_a_conflict(db_path: str, tmp_path: Path) -> None:
    number = customers.create(VALID, "admin")["number"]
    release_connection()
    marks = tmp_path / "marks"
    marks.mkdir()
    reader = start("save-after-read", db_path, marks, number)
    wait_for(marks / "read", reader)
    # another process saves the same customer in between
    other = subprocess.run(
        [sys.executable, "-c",
         "import sys; from klantbeheer.data.db import open_database; from klantbeheer.data import customers;"
         "open_database(sys.argv[1], create=True); customers.update(int(sys.argv[2]), {'name': 'Door proces B'}, 1, 'admin')",
         db_path, str(number)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    assert other.returncode == 0, other.stderr
    (marks / "go").touch()
    result = outcome(reader)
    assert result["read_version"] == 1
    assert result["error"] == "Conflict" and result["changed_by"] == "admin", result
    assert "admin" in result["message"]
    saved = customers.get(number)
    assert (saved["name"], saved["version"]) == ("Door proces B", 2)


def test_parallel_new_dossiers_get_unique_sequential_numbers(db_path: str) -> None:

    number = customers.create(VALID, "admin")["number"]
    release_connection()
    from tests.support.foundation_helpers import APP

    command = [sys.executable, APP, "new-dossier", "--customer", str(number), "--description", "Parallel", "--json", "--db", db_path, "--operator", "mw"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(4)]
    made = []
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
        made.append(json.loads(out)["number"])
    year = clock.today().year
    assert sorted(made) == [f"{year}-{n:05d}" for n in range(1, 5)]
