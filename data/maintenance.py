"""Operations on a live database: a consistent backup, and the integrity checks.

backup() uses the engine's backup (SQLite's online backup API, one read transaction), so it copies one
consistent snapshot while other sessions keep writing (WAL readers never block writers).
check() runs PRAGMA integrity_check, the search index's own check, compares the append-only history
with the customer rows it describes, looks for dossiers against the blocking rule (data/rule_check.py)
and compares the triggers with the migrations' text (data/triggers.py).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from klantbeheer.data import session
from klantbeheer.data.errors import BadInput, DatabaseProblem
from klantbeheer.data.i18n import _, ngettext
from klantbeheer.data.models import BLOCK_FIELDS, EDITABLE_FIELDS
from klantbeheer.data.progress import Progress
from klantbeheer.data.search.common import IndexCheckBusy
from klantbeheer.data.session import data_function

# Fields whose value the history records (events 'created' and 'updated'); checked against the row.
HISTORY_FIELDS = [name for name in EDITABLE_FIELDS]
EMPTY = object()  # marker: the history says this field is empty


@data_function
def backup(dest: str | os.PathLike[str], overwrite: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Copy the bound database to dest as one self-contained, consistent file (SQLite; PostgreSQL has pg_dump)."""
    engine = session.engine()
    target = Path(dest).expanduser()
    if target.is_dir():
        raise BadInput(_("{target} is een map; geef een bestandsnaam voor de reservekopie.").format(target=target))
    if not target.parent.is_dir():
        raise BadInput(_("De map {folder} bestaat niet.").format(folder=target.parent))
    if target.exists() and not overwrite:
        raise BadInput(_("{target} bestaat al; kies een andere naam of gebruik --overwrite.").format(target=target))
    if Path(engine.location).resolve() == target.resolve():
        raise BadInput(_("De reservekopie kan niet over de database zelf geschreven worden."))
    partial = target.with_name(f".{target.name}.part-{os.getpid()}")
    try:
        partial.unlink(missing_ok=True)
        if progress:  # one step (one consistent moment), so no count: the bar shows that it is busy
            progress(_("Reservekopie schrijven en nakijken"), 0, 0)
        engine.backup(str(partial))
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as problem:
        raise DatabaseProblem(_("De reservekopie kon niet geschreven worden: {problem}.").format(problem=problem.strerror or problem)) from None
    finally:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    _fsync_dir(target.parent)
    return {"backup": str(target), "bytes": target.stat().st_size}


def _fsync_dir(directory: Path) -> None:
    """Make a rename in directory durable."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def search_index_problem() -> str | None:
    """The search index's own integrity check, or None when it agrees with the customers."""
    engine = session.engine()
    return engine.search.integrity_problem(engine.db)


@data_function
def rebuild_search_index() -> None:
    """Rebuild the search index from the customer table (after `check` reported it NIET IN ORDE)."""
    engine = session.engine()
    with engine.db.atomic():
        engine.search.rebuild(engine.db)


def _json_value(value: Any) -> Any:
    """A value as the history stores it (JSON, dates as text)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def history_problems() -> list[str]:
    """Customers whose fields or block state disagree with their own history (Dutch lines)."""
    target = session.database()
    columns = [("repairer_id" if name == "repairer" else name) for name in HISTORY_FIELDS] + BLOCK_FIELDS
    rows = target.execute_sql(f"SELECT id, number, {', '.join(columns)} FROM customer").fetchall()
    customers = {row[0]: dict(zip(["id", "number", *HISTORY_FIELDS, *BLOCK_FIELDS], row)) for row in rows}
    events = target.execute_sql("SELECT customer_id, kind, changes FROM customer_event ORDER BY id").fetchall()
    latest: dict[int, dict[str, Any]] = {}  # customer id -> field -> value the history says it has
    block_kind: dict[int, str] = {}
    block_details: dict[int, dict[str, Any]] = {}
    last_kind: dict[int, str] = {}
    for customer_id, kind, changes in events:
        try:
            data = json.loads(changes or "{}")
        except ValueError:
            data = {}
        last_kind[customer_id] = kind
        fields = latest.setdefault(customer_id, {})
        if kind == "created":
            fields.clear()
            # 'created' leaves out empty values ('', None, False, 0): unmentioned fields must be empty.
            fields.update({k: data.get(k, EMPTY) for k in HISTORY_FIELDS})
            block_kind.pop(customer_id, None)
        elif kind == "updated":
            fields.update({k: v[1] for k, v in data.items() if k in HISTORY_FIELDS and isinstance(v, list) and len(v) == 2})
        elif kind in ("blocked", "unblocked"):
            block_kind[customer_id] = kind
            block_details[customer_id] = data
    problems: list[str] = []
    without = sorted(c["number"] for ident, c in customers.items() if ident not in last_kind)
    if without:
        shown = ", ".join(str(n) for n in without[:5]) + (" ..." if len(without) > 5 else ".")
        problems.append(ngettext("{count} klant zonder historiek (geen 'aangemaakt'): {shown}",
                                 "{count} klanten zonder historiek (geen 'aangemaakt'): {shown}", len(without)).format(
            count=len(without), shown=shown))
    for ident, customer in customers.items():
        label = _("Klant {number}").format(number=customer['number'])
        if ident not in last_kind:
            continue
        if last_kind[ident] == "deleted":
            problems.append(_("{label}: bestaat nog, maar de historiek zegt verwijderd.").format(label=label))
        for name, value in latest.get(ident, {}).items():
            if value is EMPTY:
                if customer[name] not in ("", None, 0, False):
                    problems.append(_("{label}: {name} is {stored}, de historiek zegt leeg.").format(label=label, name=name, stored=repr(customer[name])))
            elif _json_value(customer[name]) != value:
                problems.append(_("{label}: {name} is {stored}, de historiek zegt {recorded}.").format(
                    label=label, name=name, stored=repr(customer[name]), recorded=repr(value)))
        history_blocked = block_kind.get(ident) == "blocked"
        if bool(customer["blocked"]) != history_blocked:
            state = _("geblokkeerd") if customer["blocked"] else _("niet geblokkeerd")
            problems.append(_("{label}: is {state}, de historiek zegt het tegendeel.").format(label=label, state=state))
        elif history_blocked:
            details = block_details.get(ident, {})
            recorded = (details.get("reason"), details.get("message"), details.get("until"))
            if recorded != (customer["block_reason"], customer["block_message"], _json_value(customer["blocked_until"])):
                problems.append(_("{label}: de blokkering verschilt van de laatste blokkering in de historiek.").format(label=label))
    for ident, kind in last_kind.items():
        if ident not in customers and kind != "deleted":
            problems.append(_("Klant-id {ident}: ontbreekt, maar de historiek vermeldt geen verwijdering.").format(ident=ident))
    return problems


@data_function
def check(progress: Progress | None = None) -> dict[str, Any]:
    """Run every check; `ok` is True only when the file, the index, the history, the dossiers and the triggers are sound."""
    from klantbeheer.data import rule_check, triggers

    engine = session.engine()
    title = _("Nakijken (bestand, zoekindex, historiek, dossiers, triggers)")
    step = progress or (lambda what, done, total: None)
    step(title, 0, 5)
    integrity = engine.integrity_problems()
    step(title, 1, 5)
    index, index_skipped = None, False
    if not integrity:
        try:
            index = search_index_problem()
        except IndexCheckBusy:  # a writer holds the lock the index's own check needs: not checked, not damaged
            index_skipped = True
    step(title, 2, 5)
    history = [] if integrity else history_problems()
    step(title, 3, 5)
    dossiers = [] if integrity else rule_check.dossier_problems()
    step(title, 4, 5)
    rule_triggers = [] if integrity else triggers.problems(engine.name, engine.triggers())
    step(title, 5, 5)
    return {
        "ok": not integrity and index is None and not index_skipped and not history and not dossiers and not rule_triggers,
        "integrity": integrity,
        "search_index": index,
        "search_index_skipped": index_skipped,
        "history": history,
        "dossiers": dossiers,
        "triggers": rule_triggers,
    }


def _check_lines(part: str, problem: str | None, details: list[str], skipped: str | None = None) -> list[str]:
    """One part of the check: 'niet nagekeken', the problem with its first 20 details, or 'in orde'."""
    if skipped is not None:
        return [f"{part}: {skipped}"]
    if problem is not None:
        return [f"{part}: {problem}", *(f"  {line}" for line in details[:20])]
    return [_("{part}: in orde").format(part=part)]


def check_text(result: dict[str, Any]) -> str:
    """The check result as plain Dutch lines."""
    integrity, index, history = result["integrity"], result["search_index"], result["history"]
    dossiers, rule_triggers = result.get("dossiers", []), result.get("triggers", [])
    lines = [
        *_check_lines(_("Databasebestand"), _("BESCHADIGD") if integrity else None, integrity),
        *_check_lines(_("Zoekindex"), _("NIET IN ORDE ({index})").format(index=index) if index else None, [],
                      _("niet nagekeken (eerst het bestand herstellen)") if integrity else
                      _("niet nagekeken (een ander proces schrijft nu, bijvoorbeeld een import; probeer het later opnieuw)")
                      if result.get("search_index_skipped") else None),
        *_check_lines(_("Historiek"), _("{count} VERSCHIL(LEN) met de klantgegevens").format(count=len(history)) if history else None,
                      history, _("niet nagekeken") if integrity else None),
        *_check_lines(_("Dossiers"), _("{count} DOSSIER(S) TEGEN DE BLOKKERINGSREGEL").format(count=len(dossiers)) if dossiers else None,
                      dossiers, _("niet nagekeken") if integrity else None),
        *_check_lines(_("Triggers"), _("{count} PROBLEEM/PROBLEMEN").format(count=len(rule_triggers)) if rule_triggers else None,
                      rule_triggers, _("niet nagekeken") if integrity else None),
    ]
    return "\n".join(lines)
