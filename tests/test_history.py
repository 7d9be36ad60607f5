"""The append-only history: every change recorded with operator and time; nobody edits or deletes it."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import DatabaseError

from bench.reliability_helpers import REPO
from klantbeheer.data import customers, maintenance
from klantbeheer.data.models import CustomerEvent, database_proxy, now

REPLACE_ALL = (
    "INSERT OR REPLACE INTO customer_event (id, customer_id, customer_number, kind, changes, operator, at) "
    "SELECT id, customer_id, customer_number, kind, changes, 'iemand anders', at FROM customer_event"
)


def _events(customer_id: int) -> list[CustomerEvent]:
    """A customer's events in the order they were written (works after a delete too)."""
    return list(CustomerEvent.select().where(CustomerEvent.customer_id == customer_id).order_by(CustomerEvent.id))


def test_every_change_is_recorded_with_operator_and_time(db_path: str) -> None:
    start = now()
    made = customers.create({"name": "Historiek BV", "postcode": "8830"}, "mw")
    customer_id = CustomerEvent.get(CustomerEvent.customer_number == made["number"]).customer_id
    customers.update(made["number"], {"contact": "Jan", "email": "jan@example.be"}, made["version"], "mw")
    customers.block(made["number"], "Geschil", "Eerst bellen", None, "admin")
    customers.unblock(made["number"], "admin")
    customers.update(made["number"], {"blocked": True, "block_reason": "Fraude"}, None, "admin")
    customers.update(made["number"], {"blocked": False}, None, "admin")
    assert [e["kind"] for e in customers.history(made["number"])][::-1] == ["created", "updated", "blocked", "unblocked", "blocked", "unblocked"]
    customers.delete(made["number"], "admin")
    events = _events(customer_id)
    assert [(e.kind, e.operator) for e in events] == [
        ("created", "mw"), ("updated", "mw"), ("blocked", "admin"), ("unblocked", "admin"),
        ("blocked", "admin"), ("unblocked", "admin"), ("deleted", "admin"),
    ]
    end = now()
    for event in events:
        assert start <= event.at <= end
        assert event.customer_number == made["number"]
    assert "updated" == events[1].kind and '"jan@example.be"' in events[1].changes
    assert '"Eerst bellen"' in events[2].changes and '"geschil"' in events[2].changes
    assert maintenance.history_problems() == []


def test_cli_changes_are_recorded_with_the_cli_operator(demo_db: str) -> None:
    database_proxy.obj.close()
    for command in (["block", "123", "--reason", "Wanbetaling"], ["unblock", "123"]):
        result = subprocess.run([sys.executable, "app.py", *command, "--db", demo_db, "--operator", "admin"],
                                capture_output=True, text=True, cwd=REPO, timeout=60)
        assert result.returncode == 0, result.stderr
    kinds = [(e["kind"], e["operator"]) for e in customers.history(123)[:2]]
    assert kinds == [("unblocked", "admin"), ("blocked", "admin")]


def test_database_refuses_update_and_delete_of_history(demo_db: str) -> None:
    before = [(e.id, e.kind, e.changes, e.operator, e.at) for e in CustomerEvent.select()]
    with pytest.raises(DatabaseError, match="alleen-toevoegen"):
        CustomerEvent.update(operator="iemand anders").execute()
    with pytest.raises(DatabaseError, match="alleen-toevoegen"):
        CustomerEvent.delete().execute()
    with pytest.raises(DatabaseError, match="alleen-toevoegen"):
        CustomerEvent.select().first().delete_instance()
    with pytest.raises(DatabaseError, match="alleen-toevoegen"):  # REPLACE deletes first: refused too (recursive_triggers)
        database_proxy.execute_sql(REPLACE_ALL)
    # Another program on the same file (not through Klantbeheer) is refused just the same.
    script = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "for sql in ('UPDATE customer_event SET kind = 1', 'DELETE FROM customer_event'):\n"
        "    try:\n"
        "        c.execute(sql); c.commit(); print('ALLOWED', sql)\n"
        "    except sqlite3.DatabaseError as e:\n"
        "        print('refused', e)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, demo_db], capture_output=True, text=True, timeout=60)
    assert "ALLOWED" not in result.stdout and result.stdout.count("refused") == 2, result.stdout + result.stderr
    after = [(e.id, e.kind, e.changes, e.operator, e.at) for e in CustomerEvent.select()]
    assert after == before


def test_another_program_cannot_replace_history_rows(demo_db: str) -> None:
    database_proxy.obj.close()
    with sqlite3.connect(demo_db) as con:
        with pytest.raises(sqlite3.DatabaseError):
            con.execute(REPLACE_ALL)


def test_no_code_edits_or_deletes_history() -> None:
    pattern = re.compile(
        r"CustomerEvent\s*\.\s*(update|delete|replace|insert_or_replace|truncate_table|drop_table)\b"
        r"|(UPDATE|DELETE\s+FROM|REPLACE\s+INTO|DROP\s+TABLE|DROP\s+TRIGGER(\s+IF\s+EXISTS)?)\s+\"?customer_event",
        re.IGNORECASE,
    )
    offenders = []
    for path in [REPO / "app.py", *(REPO / "data").rglob("*.py"), *(REPO / "tui").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_above_would_catch_an_edit(tmp_path: Path) -> None:
    # Guard against a scan that can never fail: the same pattern flags typical offending lines.
    lines = ['CustomerEvent.delete().execute()', 'db.execute_sql("DELETE FROM customer_event")',
             "CustomerEvent.update(kind='x')", 'DROP TRIGGER IF EXISTS customer_event_no_update']
    pattern = re.compile(
        r"CustomerEvent\s*\.\s*(update|delete|replace|insert_or_replace|truncate_table|drop_table)\b"
        r"|(UPDATE|DELETE\s+FROM|REPLACE\s+INTO|DROP\s+TABLE|DROP\s+TRIGGER(\s+IF\s+EXISTS)?)\s+\"?customer_event",
        re.IGNORECASE,
    )
    assert all(pattern.search(line) for line in lines)


def test_refused_changes_leave_no_history(demo_db: str) -> None:
    count = CustomerEvent.select().count()
    for attempt in (
        lambda: customers.update(123, {"email": "geen-adres"}, None, "admin"),
        lambda: customers.update(123, {"contact": "X"}, 0, "admin"),  # stale version: Conflict
        lambda: customers.block(123, "Onbekende reden", "", None, "admin"),
        lambda: customers.block(123, "Wanbetaling", "", None, "mw"),
        lambda: customers.delete(123, "mw"),
    ):
        with pytest.raises(Exception) as refused:
            attempt()
        assert type(refused.value).__module__ == "klantbeheer.data.errors"
    assert customers.unblock(123, "admin")["changed"] is False  # not blocked: a no-op, no history either
    assert CustomerEvent.select().count() == count


def test_history_survives_a_new_connection_with_exact_times(db_path: str) -> None:
    made = customers.create({"name": "Tijd"}, "admin")
    recorded = customers.history(made["number"])[0]["at"]
    database_proxy.obj.close()
    with sqlite3.connect(db_path) as con:
        stored = con.execute("SELECT at FROM customer_event WHERE customer_number = ?", (made["number"],)).fetchone()[0]
    assert dt.datetime.fromisoformat(stored) == recorded
