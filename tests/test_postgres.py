"""The same data-layer and CLI checks on SQLite and on PostgreSQL, plus PostgreSQL's own parts.

PostgreSQL runs on the local server (127.0.0.1:5432, see tests/support/pg_support.py); each test gets a
fresh database that is dropped afterwards. Without a reachable server these tests FAIL (they never
skip): `.ci/run` starts the server first.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from klantbeheer.data import changes, customers, demo, dossiers, session, staff
from klantbeheer.data.db import open_database, schema_version
from klantbeheer.data.errors import Conflict, CustomerBlocked, NotPermitted, ValidationFailed
from klantbeheer.data.migrations import LATEST
from klantbeheer.data.models import database_proxy
from tests.support.pg_support import fresh_database
from tests.support.waiting import until

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
HELPER = str(ROOT / "tests" / "support" / "postgres_helpers.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _prepare(location: str) -> str:
    """Open (migrate) the database, with beheerder 'admin' and medewerker 'mw'."""
    open_database(location, create=True)
    staff.login("admin")
    staff.add("mw", "Mia Medewerker", "medewerker", "admin")
    return location


@pytest.fixture(params=["sqlite", "postgres"])
def engine_db(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh migrated database on each engine: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield _prepare(str(tmp_path / "kb.db"))
        database_proxy.obj.close()
        return
    with fresh_database() as url:
        yield _prepare(url)
        database_proxy.obj.close()


@pytest.fixture
def pg_db():
    """A fresh migrated PostgreSQL database (admin, mw)."""
    with fresh_database() as url:
        yield _prepare(url)
        database_proxy.obj.close()


def cli(*args: str, db: str, operator: str = "admin") -> subprocess.CompletedProcess:
    """Run app.py in a real subprocess."""
    return subprocess.run([sys.executable, APP, *args, "--db", db, "--operator", operator],
                          capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=120)


# --- both engines ---------------------------------------------------------------------------------

def test_migrations_from_empty_reach_latest_with_a_sound_index(engine_db: str) -> None:
    db = database_proxy.obj
    assert schema_version(db) == LATEST
    assert session.engine().search.integrity_problem(db) is None
    db.close()
    open_database(engine_db, create=True)  # opening again migrates nothing and fails nothing
    assert schema_version(database_proxy.obj) == LATEST


def test_create_update_and_stale_save_conflict(engine_db: str) -> None:
    first = customers.create({"name": "Eerste BV"}, "mw")
    second = customers.create({"name": "Tweede BV"}, "mw")
    assert (first["number"], second["number"]) == (1, 2)
    saved = customers.update(1, {"city": "Gent"}, first["version"], "mw")
    assert saved["city"] == "Gent" and saved["version"] == first["version"] + 1
    with pytest.raises(Conflict):
        customers.update(1, {"city": "Brugge"}, first["version"], "mw")
    assert customers.get(1)["city"] == "Gent"
    with pytest.raises(ValidationFailed):
        customers.create({"name": "Dubbel", "number": 2}, "mw")


def test_block_unblock_roles_and_dossier_rule(engine_db: str) -> None:
    made = customers.create({"name": "Klant NV"}, "mw")
    with pytest.raises(NotPermitted):
        customers.block(made["number"], "Wanbetaling", "", None, "mw")
    first = dossiers.create_dossier(made["number"], "Schade", operator="mw")
    second = dossiers.create_dossier(made["number"], "Schade 2", operator="mw")
    assert second["number"][:5] == first["number"][:5]
    assert int(second["number"][5:]) == int(first["number"][5:]) + 1
    customers.block(made["number"], "Wanbetaling", "Eerst betalen", None, "admin")
    with pytest.raises(CustomerBlocked) as refused:
        dossiers.create_dossier(made["number"], "Schade 3", operator="mw")
    assert refused.value.block_message == "Eerst betalen"
    customers.unblock(made["number"], "admin")
    assert dossiers.create_dossier(made["number"], "Schade 3", operator="mw")["customer"] == made["number"]
    kinds = [event["kind"] for event in customers.history(made["number"])]
    assert kinds == ["unblocked", "blocked", "created"]


def test_history_is_append_only_in_the_database(engine_db: str) -> None:
    customers.create({"name": "Historiek BV"}, "mw")
    db = database_proxy.obj
    for statement in ("UPDATE customer_event SET operator = 'x'", "DELETE FROM customer_event"):
        with pytest.raises(Exception) as problem:
            with db.atomic():
                db.execute_sql(statement)
        assert "alleen-toevoegen" in str(problem.value)
    assert len(customers.history(1)) == 1


def test_search_semantics_and_ranking(engine_db: str) -> None:
    names = ["Hélène Dubois", "Dubois Garage", "Garage Het Zuiden", "ÉLAN bv", "Jan Janssens", "Bakkerij Élan"]
    for name in names:
        customers.create({"name": name, "city": "Brussel" if "Dubois" in name else "Gent"}, "mw")
    customers.create({"name": "Referentie NV", "number": 500, "external_ref": "DUBOIS"}, "mw")

    def hits(text: str, **kw) -> list[str]:
        return [row["name"] for row in customers.search(text, **kw)]

    # accent- and case-insensitive; the name prefix before the rest, in name order
    assert hits("elan") == ["ÉLAN bv", "Bakkerij Élan"]
    # exact external ref first, then names starting with the text, then any field containing it
    assert hits("dubois") == ["Referentie NV", "Dubois Garage", "Hélène Dubois"]
    # every word must match, in any field (the town counts)
    assert hits("dubois brussel") == ["Hélène Dubois", "Dubois Garage"] or hits("dubois brussel") == ["Dubois Garage", "Hélène Dubois"]
    assert hits("garage gent") == ["Garage Het Zuiden"]
    # exact number first
    assert hits("500")[0] == "Referentie NV"
    # short input: the name prefix, then a scan of the text
    assert hits("ja") == ["Jan Janssens"]
    assert hits("z") == ["Garage Het Zuiden"]
    assert hits("qqq") == []
    customers.block(5, "Wanbetaling", "", None, "admin")
    assert hits("an", blocked_only=True) == ["Jan Janssens"]
    assert customers.count("garage") == 2


def test_cli_commands_and_exit_codes(engine_db: str) -> None:
    demo.load_demo("admin", demo_database=True)
    database_proxy.obj.close()
    found = cli("search", "janssens", "--json", db=engine_db)
    assert found.returncode == 0, found.stderr
    assert [row["number"] for row in json.loads(found.stdout)][:1] == [1008]
    blocked = cli("block", "1001", "--reason", "Wanbetaling", db=engine_db, operator="mw")
    assert blocked.returncode != 0 and "beheerder" in blocked.stderr
    refused = cli("new-dossier", "--customer", "1002", "--description", "Schade", db=engine_db, operator="mw")
    assert refused.returncode == 3, refused.stderr
    assert "U kunt niet doorgaan" in refused.stderr
    check = cli("check", db=engine_db)
    assert check.returncode == 0 and "Zoekindex: in orde" in check.stdout


def test_every_cli_command_gives_the_same_answers_and_exit_codes(engine_db: str) -> None:
    """Each headless command, with --json where it has output, and exit codes 0 / 2 / 3 / 4."""
    demo.load_demo("admin", demo_database=True)
    database_proxy.obj.close()
    shown = cli("show", "123", "--json", db=engine_db)
    assert shown.returncode == 0, shown.stderr
    abc = json.loads(shown.stdout)
    assert (abc["name"], abc["vat_number"], abc["blocked"]) == ("ABC", "BE0867756456", False)
    assert cli("show", "999999", db=engine_db).returncode == 2
    until = (time.strftime("%Y") + "-12-31")
    blocked = cli("block", "123", "--reason", "wanbetaling", "--message", "Eerst betalen", "--until", until,
                  "--json", db=engine_db)
    assert blocked.returncode == 0, blocked.stderr
    assert json.loads(blocked.stdout)["block_reason"] == "wanbetaling"
    refused = cli("new-dossier", "--customer", "123", "--description", "Schade", db=engine_db)
    assert refused.returncode == 3 and "Eerst betalen" in refused.stderr
    assert cli("unblock", "123", db=engine_db, operator="mw").returncode == 4
    assert cli("unblock", "123", db=engine_db).returncode == 0
    made = cli("new-dossier", "--customer", "123", "--description", "Schade", "--plate", "1abc123", "--json",
               db=engine_db)
    assert made.returncode == 0, made.stderr
    dossier = json.loads(made.stdout)
    assert dossier["number"].endswith("-00001") and dossier["licence_plate"] == "1-ABC-123"
    listed = json.loads(cli("dossiers", "--customer", "123", "--json", db=engine_db).stdout)
    assert [d["number"] for d in listed] == [dossier["number"]]
    assert cli("delete", "123", db=engine_db).returncode == 2  # has a dossier
    assert cli("delete", "1001", db=engine_db, operator="mw").returncode == 4
    assert cli("delete", "1001", db=engine_db).returncode == 0
    assert cli("show", "1001", db=engine_db).returncode == 2
    assert cli("staff", "add", "piet", "--name", "Piet Pieters", "--role", "medewerker", db=engine_db).returncode == 0
    people = json.loads(cli("staff", "list", "--json", db=engine_db).stdout)
    assert {"piet", "admin", "mw"} <= {p["username"] for p in people}
    assert cli("search", "x", db=engine_db, operator="onbekend").returncode == 4


def test_watcher_sees_a_commit_from_another_process(engine_db: str) -> None:
    customers.create({"name": "Bewaakt BV"}, "mw")
    watcher = changes.open_watcher()
    try:
        assert not watcher.changed()
        other = cli("block", "1", "--reason", "Wanbetaling", db=engine_db)
        assert other.returncode == 0, other.stderr
        until(watcher.changed, what="the change seen")
        assert not watcher.changed()
    finally:
        watcher.close()


# --- PostgreSQL only ------------------------------------------------------------------------------

def test_unreachable_server_is_one_dutch_sentence() -> None:
    run = cli("search", "x", db="postgresql://postgres@127.0.0.1:1/klantbeheer")
    assert run.returncode == 1
    assert run.stderr.strip() == "De PostgreSQL-server is niet bereikbaar; controleer adres en poort en of de server draait."


def test_postgres_search_uses_the_trigram_and_byte_order_indexes(pg_db: str) -> None:
    db = database_proxy.obj
    indexes = {row[0]: row[1] for row in db.execute_sql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customer'")}
    assert "gin_trgm_ops" in indexes["customer_search_trgm"]
    assert 'COLLATE "C"' in indexes["customer_name_norm_c"]
    db.execute_sql("SET enable_seqscan = off")  # a tiny table: ask the planner whether the index can serve
    plan = "\n".join(r[0] for r in db.execute_sql("EXPLAIN SELECT id FROM customer c WHERE c.search_text LIKE %s LIMIT 5", ("%jan%",)))
    assert "customer_search_trgm" in plan
    plan = "\n".join(r[0] for r in db.execute_sql(
        'EXPLAIN SELECT id FROM customer WHERE name_norm COLLATE "C" >= \'ja\' AND name_norm COLLATE "C" < \'jb\' '
        'ORDER BY name_norm COLLATE "C", id LIMIT 5'))
    assert "customer_name_norm_c" in plan


def test_copy_to_gives_the_same_counts_and_the_same_search_answers(tmp_path: Path) -> None:
    source = _prepare(str(tmp_path / "bron.db"))
    demo.load_demo("admin", demo_database=True)
    demo.synthetic(1500)
    dossiers.create_dossier(1001, "Schade", operator="mw")
    queries = ["jan", "a", "ab", "be", "123", "brussel", "hel", "van den", "0805.543.329", "gent 9000", "q", "zz", "straat"]
    expected = {q: [r["id"] for r in customers.search(q, limit=1000)] for q in queries}
    expected_blocked = [r["id"] for r in customers.search("e", limit=1000, blocked_only=True)]
    database_proxy.obj.close()
    with fresh_database() as url:
        copied = cli("copy-to", url, db=source)
        assert copied.returncode == 0, copied.stderr
        assert "1527 klanten" in copied.stdout and "1 dossiers" in copied.stdout
        again = cli("copy-to", url, db=source)
        assert again.returncode == 2 and "niet leeg" in again.stderr
        open_database(url, create=True)
        try:
            for q in queries:
                assert [r["id"] for r in customers.search(q, limit=1000)] == expected[q], q
            assert [r["id"] for r in customers.search("e", limit=1000, blocked_only=True)] == expected_blocked
            # the sequences continue after the copied ids
            assert customers.create({"name": "Na de kopie"}, "admin")["number"] == customers.next_number() - 1
            assert dossiers.create_dossier(1001, "Tweede", operator="mw")["number"].endswith("00002")
        finally:
            database_proxy.obj.close()


def test_copy_to_refuses_a_target_with_other_tables(tmp_path: Path) -> None:
    source = _prepare(str(tmp_path / "bron.db"))
    database_proxy.obj.close()
    with fresh_database() as url:
        import psycopg2

        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE iets (id int)")
        run = cli("copy-to", url, db=source)
        assert run.returncode == 2 and "niet leeg" in run.stderr


def _start(mode: str, db: str, folder: Path, arg: str) -> subprocess.Popen:
    """A worker process from tests/support/postgres_helpers.py."""
    return subprocess.Popen([sys.executable, HELPER, mode, db, str(folder), arg], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV)


def _outcome(process: subprocess.Popen) -> dict:
    """The worker's JSON line (fails with its stderr when it crashed)."""
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _wait(path: Path, process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait for a marker file while the worker is alive."""
    until(path.exists, timeout, f"{path.name} from the worker", running=process)


def test_block_committed_after_the_owner_was_read_is_honoured_on_postgres(pg_db: str, tmp_path: Path) -> None:
    from tests.support.dossier_race_helpers import __file__ as race_helper

    customers.create({"name": "Race NV", "number": 77}, "admin")
    worker = subprocess.Popen([sys.executable, race_helper, "dossier-after-read", pg_db, str(tmp_path), "77"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV)
    _wait(tmp_path / "read", worker)
    customers.block(77, "Wanbetaling", "Te laat", None, "admin")
    (tmp_path / "go").touch()
    result = _outcome(worker)
    assert result["check_owner"] == 77 and result["error"] == "CustomerBlocked"
    assert dossiers.list_dossiers(77) == []


def _waits_on_a_lock(url: str, process: subprocess.Popen, timeout: float = 30) -> bool:
    """Whether another session of the database comes to wait on a lock while the process is still running."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    def waiting() -> bool:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
            return cur.fetchone()[0] > 0

    try:
        try:
            until(lambda: process.poll() is not None or waiting(), timeout, "a lock wait")
        except AssertionError:
            return False
        return process.poll() is None
    finally:
        conn.close()


def test_block_waits_for_a_dossier_transaction_holding_the_owner_row(pg_db: str, tmp_path: Path) -> None:
    customers.create({"name": "Slot NV", "number": 78}, "admin")
    database_proxy.obj.close()
    holder = _start("dossier-hold", pg_db, tmp_path, "78")
    _wait(tmp_path / "created", holder)
    blocker = subprocess.Popen([sys.executable, APP, "block", "78", "--reason", "Wanbetaling", "--db", pg_db,
                                "--operator", "admin"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT, env=ENV)
    assert _waits_on_a_lock(pg_db, blocker), "the block did not wait for the dossier's row lock"
    (tmp_path / "go").touch()
    held = _outcome(holder)
    assert blocker.wait(timeout=60) == 0, blocker.stderr.read()
    assert held["dossier"]
    with pytest.raises(CustomerBlocked):
        dossiers.create_dossier(78, "Na de blokkering", operator="mw")


def test_racing_block_and_new_dossier_never_leave_a_dossier_after_the_block(pg_db: str, tmp_path: Path) -> None:
    rounds = 30
    numbers = [customers.create({"name": f"Race {i}"}, "admin")["number"] for i in range(rounds)]
    database_proxy.obj.close()
    blocker = _start("race-blocker", pg_db, tmp_path, json.dumps(numbers))
    creator = _start("race-creator", pg_db, tmp_path, json.dumps(numbers))
    for round_no in range(rounds):
        _wait(tmp_path / f"ready-blocker-{round_no}", blocker)
        _wait(tmp_path / f"ready-creator-{round_no}", creator)
        (tmp_path / f"start-{round_no}").touch()
    blocked, created = _outcome(blocker), _outcome(creator)
    assert len(created["made"]) + len(created["refused"]) == rounds
    assert set(created["refused"]) <= {"CustomerBlocked"}
    open_database(pg_db, create=True)
    after = [len(dossiers.list_dossiers(n)) for n in numbers]
    # every dossier that exists was already committed when the block committed
    assert after == blocked["counts"]
    assert sum(after) == len(created["made"])
