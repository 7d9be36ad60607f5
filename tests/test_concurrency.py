"""Several real processes on one SQLite file: conflicts, the block/dossier race, many writers."""
from __future__ import annotations

import json
import os
from pathlib import Path

from bench.reliability_helpers import expect_line, send, spawn
from bench.reliability_workers import read_log, verify
from klantbeheer.data import customers, maintenance, staff
from klantbeheer.data.models import Customer, CustomerEvent, Dossier

WRITER_SECONDS = float(os.environ.get("KLANTBEHEER_WRITER_SECONDS", "8"))  # bench/ runs the full 20 s


def _new_customer(name: str) -> int:
    """A fresh customer for one test, by number."""
    return customers.create({"name": name, "postcode": "8830"}, "admin")["number"]


def test_later_save_of_two_editors_is_refused_as_conflict(db_path: str) -> None:
    number = _new_customer("Twee Editors NV")
    first, second = spawn("editor", db_path, number, "Eerste Editor"), spawn("editor", db_path, number, "Tweede Editor")
    versions = {expect_line(first, "ready"), expect_line(second, "ready")}
    assert len(versions) == 1  # both read the same version
    send(first, "go")
    assert json.loads(first.stdout.readline())["result"] == "saved"
    send(second, "go")
    late = json.loads(second.stdout.readline())
    assert late["result"] == "conflict"
    assert "intussen gewijzigd" in late["message"]
    assert first.wait(10) == 0 and second.wait(10) == 0
    assert customers.get(number)["contact"] == "Eerste Editor"
    changes = [e["changes"] for e in customers.history(number) if e["kind"] == "updated"]
    assert changes == [{"contact": ["", "Eerste Editor"]}]


def test_simultaneous_saves_one_wins_nothing_half_written(db_path: str) -> None:
    number = _new_customer("Gelijktijdig BV")
    for round_ in range(4):
        editors = [spawn("editor", db_path, number, f"Editor {round_}-{i}") for i in range(3)]
        for editor in editors:
            expect_line(editor, "ready")
        for editor in editors:
            send(editor, "go")
        results = [json.loads(editor.stdout.readline()) for editor in editors]
        for editor in editors:
            editor.wait(10)
        saved = [i for i, r in enumerate(results) if r["result"] == "saved"]
        assert len(saved) == 1, results
        assert sorted(r["result"] for r in results) == ["conflict", "conflict", "saved"]
        assert customers.get(number)["contact"] == f"Editor {round_}-{saved[0]}"
    assert len([e for e in customers.history(number) if e["kind"] == "updated"]) == 4


def test_block_racing_dossier_creation_never_lets_a_dossier_through(db_path: str, tmp_path: Path) -> None:
    rounds = 200
    numbers = []
    for i in range(rounds):
        numbers.append(_new_customer(f"Race {i}"))
    blocker_log, creator_log = tmp_path / "blocker.jsonl", tmp_path / "creator.jsonl"
    blocker = spawn("race", db_path, "blocker", blocker_log, 1)
    creator = spawn("race", db_path, "creator", creator_log, 2)
    expect_line(blocker, "ready")
    expect_line(creator, "ready")
    for number in numbers:
        send(creator, str(number))
        send(blocker, str(number))
        expect_line(blocker, "done")
        expect_line(creator, "done")
    blocker.stdin.close(), creator.stdin.close()
    assert blocker.wait(10) == 0 and creator.wait(10) == 0

    blocks = {e["number"]: e for e in read_log(blocker_log)}
    created = [e for e in read_log(creator_log) if e["op"] == "dossier"]
    refusals = [e for e in read_log(creator_log) if e["op"] == "refused"]
    assert sorted(blocks) == sorted(numbers)
    dossier_ids = {d.number: (d.id, d.customer.number) for d in Dossier.select(Dossier, Customer).join(Customer)}
    # Every acknowledged dossier is there, and nothing is there that was not acknowledged.
    assert {e["dossier"] for e in created} == set(dossier_ids)
    late = [
        (number, ident) for number_, (ident, number) in dossier_ids.items() if ident > blocks[number]["watermark"]
    ]
    assert late == [], "dossiers committed after the block (database order)"
    started_after_ack = [e for e in created if e["started"] > blocks[e["number"]]["acked"]]
    assert started_after_ack == [], "dossiers begun after the block was acknowledged"
    # Each round ended on a refusal, and every refusal names this customer's block.
    assert sorted(e["number"] for e in refusals) == sorted(numbers)
    for refusal in refusals:
        assert refusal["refused_number"] == refusal["number"]
        assert refusal["reason"] == "Wanbetaling"
        assert refusal["message"] == f"race {refusal['number']}"
        assert refusal["by"] == staff.full_name("admin")
        assert "geblokkeerd" in refusal["text"] and "Wanbetaling" in refusal["text"]
    assert len(created) > 0, "the creator never got a dossier in: the race did not race"


def test_eight_writers_lose_nothing_and_never_see_a_lock(db_path: str, tmp_path: Path) -> None:
    pool = [_new_customer(f"Schrijver {i}") for i in range(12)]
    logs = [tmp_path / f"writer{i}.jsonl" for i in range(8)]
    writers = [spawn("writer", db_path, log, WRITER_SECONDS, 100 + i, ",".join(map(str, pool)), stdin=False) for i, log in enumerate(logs)]
    for process in writers:
        expect_line(process, "ready")
    for process in writers:
        assert process.wait(WRITER_SECONDS + 60) == 0, process.stderr.read()[-2000:]
    entries = [entry for log in logs for entry in read_log(log)]
    errors = [e for e in entries if e["op"] == "error"]
    assert errors == [], errors[:5]
    assert not any("database is locked" in json.dumps(e) or "bezet" in json.dumps(e) for e in entries)
    acked = [e for e in entries if e["op"] not in ("refused", "error")]
    assert len(acked) >= 8 * 10, f"only {len(acked)} writes in {WRITER_SECONDS} s"
    assert {e["op"] for e in acked} >= {"update", "block", "unblock", "dossier", "create"}
    assert verify(entries) == []
    result = maintenance.check()
    assert result["ok"], result
    # The latest acknowledged save of each customer (in history order) is what the row holds.
    for number in pool:
        last = CustomerEvent.select().where(
            (CustomerEvent.customer_number == number) & (CustomerEvent.kind == "updated")
        ).order_by(CustomerEvent.id.desc()).first()
        if last is not None:
            assert customers.get(number)["contact"] == json.loads(last.changes)["contact"][1]
