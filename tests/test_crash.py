"""SIGKILL writer processes at random moments; afterwards nothing acknowledged is lost."""
from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

from bench.reliability_helpers import send, spawn
from bench.reliability_workers import read_log, verify
from klantbeheer.data import customers, maintenance
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from tests.support.waiting import RACE_POLL_S, until

KILLS = int(os.environ.get("KLANTBEHEER_KILLS", "100"))
SLOTS = 4


def test_sigkill_at_random_moments_loses_no_acknowledged_write(db_path: str, tmp_path: Path) -> None:
    pool = ",".join(str(customers.create({"name": f"Crash {i}", "postcode": "9000"}, "admin")["number"]) for i in range(10))
    rng = random.Random(7)
    logs: list[Path] = []
    running: dict[int, tuple[int, Path]] = {}
    zygote = spawn("zygote", db_path)  # forks the writers, so a restart costs milliseconds

    def start(slot: int) -> None:
        log = tmp_path / f"writer-{slot}-{len(logs)}.jsonl"
        logs.append(log)
        send(zygote, f"{log} {rng.randrange(10**6)} {pool}")
        running[slot] = (int(zygote.stdout.readline()), log)

    def _alive(pid: int) -> bool:
        """Whether the process still exists."""
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(pid: int) -> None:
        os.kill(pid, signal.SIGKILL)  # raises ProcessLookupError if the writer had ended by itself
        until(lambda: not _alive(pid), 10, f"writer {pid} gone after SIGKILL", poll=RACE_POLL_S)

    try:
        for slot in range(SLOTS):
            start(slot)
        kills = kills_mid_work = 0
        while kills < KILLS:
            time.sleep(rng.uniform(0.005, 0.08))
            slot = rng.randrange(SLOTS)
            pid, log = running[slot]
            size_before = log.stat().st_size if log.exists() else 0
            kill(pid)
            kills += 1
            kills_mid_work += size_before > 0
            start(slot)
    finally:
        for pid, _ in running.values():
            try:
                kill(pid)
            except ProcessLookupError:
                pass
        zygote.stdin.close()
        zygote.wait(10)
    assert kills_mid_work >= KILLS // 2, "most kills should hit a writer that was busy writing"

    # A fresh connection, as after a power cut: SQLite recovers from the WAL on open.
    database_proxy.obj.close()
    open_database(db_path, create=True)
    result = maintenance.check()
    assert result["integrity"] == [], result
    assert result["search_index"] is None, result
    assert result["history"] == [], result
    entries = [entry for log in logs for entry in read_log(log)]
    assert [e for e in entries if e["op"] == "error"] == []
    acked = [e for e in entries if e["op"] not in ("refused", "error")]
    assert len(acked) >= KILLS, f"only {len(acked)} acknowledged writes: the writers did too little before dying"
    assert verify(entries) == []
