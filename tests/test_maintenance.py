"""`backup DEST` and `check`: a consistent copy while others write, a working restore, plain reports."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bench.reliability_helpers import expect_line, spawn
from bench.reliability_workers import read_log, verify
from klantbeheer.data import customers, maintenance
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from tests.test_db_trouble import run_cli


def _bind(path: Path | str) -> None:
    """Point the models at another database file."""
    database_proxy.obj.close()
    open_database(str(path), create=True)


def test_backup_while_others_write_is_consistent_and_restores(db_path: str, tmp_path: Path) -> None:
    pool = ",".join(str(customers.create({"name": f"Kopie {i}", "postcode": "2000"}, "admin")["number"]) for i in range(6))
    logs = [tmp_path / f"writer{i}.jsonl" for i in range(3)]
    writers = [spawn("writer", db_path, log, 6, 300 + i, pool, stdin=False) for i, log in enumerate(logs)]
    for writer in writers:
        expect_line(writer, "ready")
    backups = []
    for index in range(4):
        acked_before = [entry for log in logs for entry in read_log(log)]
        dest = tmp_path / f"kopie-{index}.db"
        result = run_cli(["backup", str(dest)], db_path)
        assert result.returncode == 0, result.stderr
        assert "Reservekopie geschreven" in result.stdout
        backups.append((dest, acked_before))
    for writer in writers:
        assert writer.wait(60) == 0, writer.stderr.read()[-2000:]
    assert all(e["op"] != "error" for log in logs for e in read_log(log))

    for dest, acked_before in backups:
        assert not Path(f"{dest}-wal").exists()  # one self-contained file
        with sqlite3.connect(dest) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        _bind(dest)
        assert maintenance.check()["ok"], maintenance.check()
        assert verify(acked_before) == []  # everything acknowledged before the copy started is in it
        assert len(acked_before) > 0 or dest == backups[0][0]

    # Restore: stop using the database, remove its -wal/-shm, copy the backup back.
    _bind(tmp_path / "elders.db")
    latest = backups[-1][0]
    for suffix in ("-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)
    shutil.copyfile(latest, db_path)
    check = run_cli(["check"], db_path)
    assert check.returncode == 0 and "Zoekindex: in orde" in check.stdout, check.stdout + check.stderr
    made = run_cli(["new-dossier", "--customer", pool.split(",")[0], "--description", "Na herstel"], db_path)
    assert made.returncode in (0, 3), made.stderr  # 3: that customer happened to be blocked at backup time
    assert run_cli(["search", "Kopie"], db_path).returncode == 0


def test_backup_refuses_to_overwrite_without_asking(db_path: str, tmp_path: Path) -> None:
    dest = tmp_path / "bestaat.db"
    dest.write_text("iets anders")
    result = run_cli(["backup", str(dest)], db_path)
    assert result.returncode == 2 and "bestaat al" in result.stderr
    assert dest.read_text() == "iets anders"
    assert run_cli(["backup", str(dest), "--overwrite"], db_path).returncode == 0
    assert sqlite3.connect(dest).execute("SELECT count(*) FROM staff").fetchone()[0] == 2
    missing = run_cli(["backup", str(tmp_path / "geen-map" / "k.db")], db_path)
    assert missing.returncode == 2 and "bestaat niet" in missing.stderr and "Traceback" not in missing.stderr


def test_check_reports_a_sound_database(demo_db: str) -> None:
    result = run_cli(["check"], demo_db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["Databasebestand: in orde", "Zoekindex: in orde", "Historiek: in orde",
                                        "Dossiers: in orde", "Triggers: in orde"]


def test_check_finds_a_search_index_out_of_step(demo_db: str) -> None:
    with sqlite3.connect(demo_db) as con:
        con.execute("DROP TRIGGER customer_fts_au")
        con.execute("UPDATE customer SET search_text = 'iets heel anders' WHERE number = 123")
    result = run_cli(["check"], demo_db)
    assert result.returncode == 1
    assert "Zoekindex: NIET IN ORDE" in result.stdout and "Databasebestand: in orde" in result.stdout


def test_check_finds_data_changed_behind_the_history(demo_db: str) -> None:
    with sqlite3.connect(demo_db) as con:
        con.execute("UPDATE customer SET blocked = 1, block_reason = 'fraude' WHERE number = 123")
        con.execute("UPDATE customer SET contact = 'Niet via Klantbeheer' WHERE number = 1001")
    result = run_cli(["check"], demo_db)
    assert result.returncode == 1
    assert "Klant 123: is geblokkeerd, de historiek zegt het tegendeel." in result.stdout
    assert "Klant 1001: contact is 'Niet via Klantbeheer', de historiek zegt leeg." in result.stdout


def test_check_finds_damaged_pages(demo_db: str) -> None:
    database_proxy.obj.close()
    with sqlite3.connect(demo_db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'customer_vat_number'").fetchone()[0]
        size = con.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(Path(demo_db).read_bytes())
    start = (root - 1) * size
    data[start + size // 2:start + size] = bytes((i * 7) & 0xFF for i in range(size - size // 2))
    Path(demo_db).write_bytes(bytes(data))
    result = run_cli(["check"], demo_db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Databasebestand: BESCHADIGD" in result.stdout
