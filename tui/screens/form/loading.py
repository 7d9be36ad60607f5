"""What the customer form needs from data/, gathered in one call (run it in a worker thread)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from data import customers, dossiers, reference, session, staff
from tui.screens.form.fields import FIELDS
from tui.screens.form.history import dossier_lines, event_lines

CHOICE_KINDS = sorted({spec.choices for spec in FIELDS.values() if spec.choices and spec.choices != "repairer"})


@dataclass
class FormData:
    """One customer (or a new one's defaults) with its choices, history and dossiers."""

    values: dict[str, Any]
    choices: dict[str, list[tuple[str, str]]]
    history: list[str] = field(default_factory=list)
    dossiers: list[str] = field(default_factory=list)
    dossier_count: int = 0
    blocked_by_name: str = ""
    block_reason_label: str = ""


def load(number: int | None) -> FormData:
    """Read a customer (None: the defaults of a new one) with everything the form shows (one connection)."""
    with session.connection():
        return _load(number)


def _load(number: int | None) -> FormData:
    """load() inside its connection."""
    choices = {kind: reference.choices(kind) for kind in [*CHOICE_KINDS, "block_reason"]}
    choices["repairer"] = reference.repairer_choices()
    if number is None:
        return FormData(values=customers.new_values(), choices=choices)
    values = customers.get(number)
    events = customers.history(number)
    labels = {kind: dict(items) for kind, items in choices.items()}
    operators = {event["operator"] for event in events}
    names = {username: staff.full_name(username) for username in operators}
    rows = dossiers.list_dossiers(number)
    return FormData(
        values=values,
        choices=choices,
        history=event_lines(events, names, labels),
        dossiers=dossier_lines(rows),
        dossier_count=len(rows),
        blocked_by_name=staff.full_name(values["blocked_by"]) if values.get("blocked_by") else "",
        block_reason_label=labels["block_reason"].get(values.get("block_reason") or "", values.get("block_reason") or ""),
    )
