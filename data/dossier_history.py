"""Dossier history (dossier_event, append-only): the one writer of its rows, and their reader for the history shown."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from klantbeheer.data import clock, staff
from klantbeheer.data.i18n import N_, _, moment_text
from klantbeheer.data.labels import DOSSIER, DOSSIER_STATUS
from klantbeheer.data.models import Dossier, DossierEvent, now
from klantbeheer.data.visible import visible, visible_tree

KINDS = {"created": N_("aangemaakt"), "updated": N_("gewijzigd"), "closed": N_("gesloten"), "reopened": N_("heropend")}


def record(dossier: Dossier, kind: str, changes: dict[str, Any], operator: str, at: dt.datetime | None = None) -> None:
    """Append one event to the dossier's history (at now() unless `at` is given)."""
    DossierEvent.create(dossier=dossier.id, kind=kind, changes=json.dumps(changes, default=str, ensure_ascii=False),
                        operator=operator, at=at if at is not None else now())


def for_dossier(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's events, newest first, with the changes decoded."""
    query = DossierEvent.select().where(DossierEvent.dossier == dossier.id).order_by(DossierEvent.id.desc())
    return [{"kind": e.kind, "operator": visible(e.operator), "at": e.at, "changes": visible_tree(json.loads(e.changes or "{}"))}
            for e in query]


def latest(dossier: Dossier) -> DossierEvent | None:
    """The dossier's newest event (who changed it last, and when), or None."""
    return DossierEvent.select().where(DossierEvent.dossier == dossier.id).order_by(DossierEvent.id.desc()).first()


def describe(event: dict[str, Any]) -> str:
    """One history line: when, what, who, and each field's old → new value (labels in the operator's language)."""
    when = moment_text(clock.local(event["at"])) if event.get("at") else ""
    parts = []
    for field, (old, new) in (event.get("changes") or {}).items():
        if field == "status":
            old, new = _(DOSSIER_STATUS.get(old, old)), _(DOSSIER_STATUS.get(new, new))
        label = _(DOSSIER.get(field, N_("Status") if field == "status" else field))
        parts.append(f"{label}: {old or '-'} → {new or '-'}" if event["kind"] != "created" else f"{label}: {new}")
    kind = _(KINDS.get(event["kind"], event["kind"]))
    line = f"{when}  {kind}  {staff.full_name(event['operator']) if event.get('operator') else ''}"
    return line + (f"  ({'; '.join(parts)})" if parts and event["kind"] != "created" else "")
