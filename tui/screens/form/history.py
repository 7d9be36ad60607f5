"""Plain-text lines of the Historiek tab: events newest first and the customer's dossiers."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from klantbeheer.data.dossiers import STATUS_LABELS, owner_then
from klantbeheer.data.i18n import N_, _, colon, date_text
from klantbeheer.data.validation import format_iban, format_phone, format_vat
from klantbeheer.tui.dates import format_moment
from klantbeheer.tui.screens.form.fields import LABELS

FORMATTERS = {"phone": format_phone, "fax": format_phone, "mobile": format_phone, "vat_number": format_vat, "iban": format_iban}

KIND_TEXT = {
    "created": N_("Aangemaakt"), "updated": N_("Gewijzigd"), "blocked": N_("Geblokkeerd"),
    "unblocked": N_("Blokkering opgeheven"), "deleted": N_("Verwijderd"),
    "twin_released": N_("Koppeling met geblokkeerde klant verbroken"),
}
IMPORT_KEYS = ("import", "undo")  # the import's marks in a history event, not fields
EMPTY = N_("(leeg)")


def _date(value: Any) -> str:
    """A date as dd-mm-jjjj."""
    if isinstance(value, str) and value:
        try:
            return date_text(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return format_moment(value)[:10]  # a timestamp: its day in office time
    if isinstance(value, dt.date):
        return date_text(value)
    return ""


def show_value(field: str, value: Any, choice_labels: Mapping[str, Mapping[str, str]]) -> str:
    """One stored value in words: choice labels, ja/nee, (leeg)."""
    if value is None or value == "":
        return _(EMPTY)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    labels = choice_labels.get(field)
    if labels is not None:
        return labels.get(str(value), str(value))
    if field == "vat_rate":
        return f"{value} %"
    if field in FORMATTERS:
        return FORMATTERS[field](str(value))
    text = str(value).replace("\n", " ")
    return text if len(text) <= 50 else text[:49] + "…"


def _block_details(changes: Mapping[str, Any], choice_labels: Mapping[str, Mapping[str, str]]) -> str:
    """Reason, message and end date of a block or unblock event."""
    reason = choice_labels.get("block_reason", {}).get(str(changes.get("reason") or ""), str(changes.get("reason") or ""))
    parts = [_("reden: {reason}").format(reason=reason or _('onbekend'))]
    if changes.get("until"):
        parts.append(_("tot {until}").format(until=_date(changes['until'])))
    if changes.get("since"):
        parts.append(_("geblokkeerd sinds {since}").format(since=format_moment(changes['since'])))
    if changes.get("message"):
        parts.append(_("bericht: {message}").format(message=changes['message']))
    return ", ".join(parts)


def _released_details(changes: Mapping[str, Any]) -> str:
    """Which shared BTW-nummer or IBAN was changed, and the blocked customer it linked to."""
    field = str(changes.get("field") or "")
    return _("{field} {value} gedeeld met geblokkeerde klant {blocked}").format(
        field=_(LABELS.get(field, field)), value=show_value(field, changes.get("value"), {}), blocked=changes.get("blocked"))


def event_lines(events: list[Mapping[str, Any]], names: Mapping[str, str], choice_labels: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Each event as a heading line (when, who, what) followed by indented old -> new lines."""
    lines: list[str] = []
    for event in events:
        who = names.get(event["operator"], event["operator"])
        kind = event["kind"]
        head = f"{format_moment(event['at'])}  {who}  {_(KIND_TEXT.get(kind, kind))}"
        changes = event.get("changes") or {}
        if changes.get("import"):  # written by an import (data/transfer/importer.py) or by undoing one
            marker = _("(import {id} ongedaan gemaakt)") if changes.get("undo") else _("(import {id})")
            head += " " + marker.format(id=changes["import"])
        if kind in ("blocked", "unblocked"):
            lines.append(f"{head} — {_block_details(changes, choice_labels)}")
            continue
        if kind == "twin_released":
            lines.append(f"{head} — {_released_details(changes)}")
            continue
        lines.append(head)
        if kind == "updated":
            for field, pair in changes.items():
                if field in IMPORT_KEYS:
                    continue
                old, new = pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else ("", pair)
                label = _(LABELS.get(field, field))
                lines.append(f"    {colon(label)} {show_value(field, old, choice_labels)} → {show_value(field, new, choice_labels)}")
    return lines


def dossier_lines(dossiers: list[Mapping[str, Any]]) -> list[str]:
    """Each dossier on one line: number, date, status, description, plate; the owner at opening when it differs."""
    lines = []
    for dossier in dossiers:
        plate = f" ({dossier['licence_plate']})" if dossier.get("licence_plate") else ""
        then = owner_then(dossier)
        status = _(STATUS_LABELS.get(dossier["status"], dossier["status"]))
        lines.append(f"{dossier['number']}  {_date(dossier['created_at'])}  {status:<10} "
                     f"{dossier['description']}{plate}{'  ' + then if then else ''}")
    return lines
