"""Worker processes for the reliability tests: each opens the database itself, like a real session.

Run as `python bench/reliability_workers.py MODE ...`. Every acknowledged write is appended to a
log file as one JSON line and fsync'ed *after* the commit returned, so a line in the log is a
promise the database must keep, even when the worker is killed right after writing it.
"""
from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from klantbeheer.data import customers, dossiers  # noqa: E402
from klantbeheer.data.db import open_database  # noqa: E402
from klantbeheer.data.errors import Conflict, CustomerBlocked, KlantbeheerError  # noqa: E402
from klantbeheer.data.models import Dossier, database_proxy  # noqa: E402

OPERATOR = "admin"


class AckLog:
    """Append-only JSON lines, each fsync'ed before the next operation starts."""

    def __init__(self, path: str) -> None:
        self.handle: TextIO = open(path, "a", encoding="utf-8")

    def write(self, **entry: Any) -> None:
        """Record one acknowledged (or refused) operation durably."""
        self.handle.write(json.dumps(entry, default=str, ensure_ascii=False) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())


def read_log(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every complete line of an ack log (a line cut short by a kill is ignored)."""
    entries = []
    if not Path(path).exists():
        return entries
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


def editor(db: str, number: str, value: str) -> int:
    """Read a customer, say 'ready VERSION', wait for a line on stdin, then save contact=value."""
    open_database(db, create=True)
    version = customers.get(number)["version"]
    print(f"ready {version}", flush=True)
    sys.stdin.readline()
    try:
        saved = customers.update(number, {"contact": value}, version, OPERATOR)
    except Conflict as problem:
        print(json.dumps({"result": "conflict", "message": problem.message}), flush=True)
        return 0
    print(json.dumps({"result": "saved", "version": saved["version"]}), flush=True)
    return 0


def race(db: str, role: str, log_path: str, seed: str) -> int:
    """One side of the block-versus-dossier race; rounds arrive as 'NUMBER' lines on stdin."""
    open_database(db, create=True)
    log = AckLog(log_path)
    rng = random.Random(int(seed))
    print("ready", flush=True)
    for line in sys.stdin:
        number = int(line)
        if role == "blocker":
            time.sleep(rng.uniform(0, 0.02))
            # One transaction: the block, then the highest dossier id. Any dossier with a higher
            # id was committed after the block (writes are serialised, ids only grow).
            with database_proxy.atomic():
                customers.block(number, "Wanbetaling", f"race {number}", None, OPERATOR)
                row = database_proxy.execute_sql("SELECT COALESCE(MAX(id), 0) FROM dossier").fetchone()
            log.write(op="block", number=number, watermark=row[0], acked=time.monotonic())
        else:
            for _ in range(500):
                started = time.monotonic()
                try:
                    made = dossiers.create_dossier(number, f"race {number}", operator=OPERATOR)
                except CustomerBlocked as refused:
                    log.write(op="refused", number=number, started=started, refused_number=refused.number,
                              reason=refused.reason, message=refused.block_message, by=refused.blocked_by,
                              text=refused.message)
                    break
                log.write(op="dossier", number=number, dossier=made["number"], started=started, acked=time.monotonic())
                time.sleep(rng.uniform(0, 0.003))
        print("done", flush=True)
    return 0


def writer(db: str, log_path: str, seconds: str, seed: str, numbers: str) -> int:
    """Random saves, blocks, unblocks, new customers and dossiers for `seconds` (0: until killed)."""
    open_database(db, create=True)
    log = AckLog(log_path)
    rng = random.Random(int(seed))
    pool = [int(n) for n in numbers.split(",")]
    tag = f"{seed}-{os.getpid()}"
    deadline = time.monotonic() + float(seconds) if float(seconds) > 0 else float("inf")
    print("ready", flush=True)
    sequence = 0
    while time.monotonic() < deadline:
        sequence += 1
        token = f"t{tag}-{sequence}"
        number = rng.choice(pool)
        choice = rng.random()
        try:
            if choice < 0.35:
                current = customers.get(number)
                saved = customers.update(number, {"contact": token}, current["version"], OPERATOR)
                log.write(op="update", number=number, token=token, version=saved["version"])
            elif choice < 0.5:
                customers.block(number, rng.choice(["Wanbetaling", "Fraude", "Geschil"]), token, None, OPERATOR, update=True)
                log.write(op="block", number=number, token=token)
            elif choice < 0.65:
                if customers.unblock(number, OPERATOR)["changed"]:
                    log.write(op="unblock", number=number)
                else:
                    log.write(op="refused", kind="NotBlocked", number=number)
            elif choice < 0.9:
                made = dossiers.create_dossier(number, token, operator=OPERATOR)
                log.write(op="dossier", number=number, token=token, dossier=made["number"])
            else:
                made = customers.create({"name": token, "postcode": "9000", "contact": token}, OPERATOR)
                log.write(op="create", number=made["number"], token=token)
        except (Conflict, CustomerBlocked) as refused:
            log.write(op="refused", kind=type(refused).__name__, number=number)
        except KlantbeheerError as refused:  # e.g. unblock of a customer that is not blocked
            log.write(op="refused", kind=type(refused).__name__, number=number, text=refused.message)
        except Exception as problem:  # anything else reached the caller: the test fails on it
            log.write(op="error", kind=type(problem).__name__, text=str(problem))
    return 0


def verify(log_entries: list[dict[str, Any]]) -> list[str]:
    """Acknowledged writes missing from the bound database (empty when every promise was kept)."""
    from klantbeheer.data.models import Customer, CustomerEvent

    missing = []
    unblocks: dict[int, int] = {}
    for entry in log_entries:
        op = entry["op"]
        if op == "update":
            found = CustomerEvent.select().where(
                (CustomerEvent.kind == "updated") & CustomerEvent.changes.contains(f', "{entry["token"]}"]')
            ).exists()
            if not found:
                missing.append(f"update {entry}")
        elif op == "block" and "token" in entry:
            found = CustomerEvent.select().where(
                (CustomerEvent.kind == "blocked") & CustomerEvent.changes.contains(f'"{entry["token"]}"')
            ).exists()
            if not found:
                missing.append(f"block {entry}")
        elif op == "unblock":
            unblocks[entry["number"]] = unblocks.get(entry["number"], 0) + 1
        elif op == "dossier":
            row = Dossier.get_or_none(Dossier.number == entry["dossier"])
            if row is None or ("token" in entry and row.description != entry["token"]):
                missing.append(f"dossier {entry}")
        elif op == "create":
            if not Customer.select().where((Customer.number == entry["number"]) & (Customer.name == entry["token"])).exists():
                missing.append(f"create {entry}")
    for number, acked in unblocks.items():
        recorded = CustomerEvent.select().where(
            (CustomerEvent.customer_number == number) & (CustomerEvent.kind == "unblocked")
        ).count()
        if recorded < acked:
            missing.append(f"unblock of {number}: {acked} acknowledged, {recorded} in the history")
    return missing


def zygote() -> int:
    """Fork writers on demand ('LOG SEED POOL' lines on stdin), answering each with the child's pid.

    The imports are done once here, so a new writer starts in milliseconds; each child opens its
    own database connection after the fork, so it is a separate SQLite session like any other.
    """
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    for line in sys.stdin:
        log_path, seed, pool = line.split()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            sys.stdout = os.fdopen(write_end, "w")  # 'ready' goes to the zygote, then on to the test
            try:
                writer_code = writer(DB_FOR_ZYGOTE, log_path, "0", seed, pool)
            finally:
                os._exit(0)
            return writer_code
        os.close(write_end)
        with os.fdopen(read_end) as ready:
            ready.readline()
        print(pid, flush=True)
    return 0


DB_FOR_ZYGOTE = ""

if __name__ == "__main__":
    if sys.argv[1] == "zygote":
        DB_FOR_ZYGOTE = sys.argv[2]
        raise SystemExit(zygote())
    modes = {"editor": editor, "race": race, "writer": writer}
    raise SystemExit(modes[sys.argv[1]](*sys.argv[2:]))
