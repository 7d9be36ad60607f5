"""What the customer form needs from data/, gathered in one call (run it in a worker thread)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from klantbeheer.data import customers, dossiers, lists, reference, session, staff
from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.screens.form.fields import FIELDS
from klantbeheer.tui.screens.form.history import dossier_lines, event_lines

CHOICE_KINDS = sorted({spec.choices for spec in FIELDS.values() if spec.choices and spec.choices != "repairer"})


INACTIVE = N_("{label} (inactief)")


@dataclass
class FormData:
    """One customer (or a new one's defaults) with its choices, history and dossiers."""

    values: dict[str, Any]
    choices: dict[str, list[tuple[str, str]]]
    history: list[str] = field(default_factory=list)
    dossiers: list[str] = field(default_factory=list)
    dossier_count: int = 0
    dossier_rows: list[dict[str, Any]] = field(default_factory=list)  # the Dossiers tab's table, newest first
    blocked_by_name: str = ""
    block_reason_label: str = ""
    lists_stamp: int = 0  # the list history's latest id when the choices were read


def load(number: int | None) -> FormData:
    """Read a customer (None: the defaults of a new one) with everything the form shows (one connection)."""
    with session.connection():
        return _load(number)


def choices_for(stored: dict[str, Any]) -> tuple[dict[str, list[tuple[str, str]]], int]:
    """The active entries of every list, plus each inactive one the stored customer holds, marked "(inactief)"; and the stamp."""
    with session.connection():
        stamp = lists.stamp()
        result: dict[str, list[tuple[str, str]]] = {}
        for kind in [*CHOICE_KINDS, "block_reason", "repairer"]:
            offered = reference.choices(kind)
            value = stored.get(kind) if kind != "block_reason" or stored.get("blocked") else None
            held = "" if value in (None, "") else str(value)
            if held and held not in dict(offered):
                inactive = reference.inactive_labels(kind)
                if held in inactive:
                    offered = [*offered, (held, _(INACTIVE).format(label=inactive[held]))]
            result[kind] = offered
        return result, stamp


def _load(number: int | None) -> FormData:
    """load() inside its connection."""
    if number is None:
        values = customers.new_values()
        choices, stamp = choices_for({})
        return FormData(values=values, choices=choices, lists_stamp=stamp)
    values = customers.get(number)
    choices, stamp = choices_for(values)
    events = customers.history(number)
    labels = {kind: reference.all_labels(kind) for kind in choices}
    operators = {event["operator"] for event in events}
    names = {username: staff.full_name(username) for username in operators}
    rows = dossiers.list_dossiers(number)
    return FormData(
        values=values,
        choices=choices,
        history=event_lines(events, names, labels),
        dossiers=dossier_lines(rows),
        dossier_count=len(rows),
        dossier_rows=rows,
        blocked_by_name=staff.full_name(values["blocked_by"]) if values.get("blocked_by") else "",
        block_reason_label=labels["block_reason"].get(values.get("block_reason") or "", values.get("block_reason") or ""),
        lists_stamp=stamp,
    )
