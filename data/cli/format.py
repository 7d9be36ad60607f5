"""Plain-text and JSON rendering of data/ results for the command line."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from klantbeheer.data import clock, dossiers, reference
from klantbeheer.data.cli.search_table import search_table, wrapped
from klantbeheer.data.dossiers import STATUS_LABELS
from klantbeheer.data.errors import KlantbeheerError, ValidationFailed
from klantbeheer.data.i18n import _, colon, date_text, moment_text
from klantbeheer.data.labels import DOSSIER, LABELS
from klantbeheer.data.validation import format_iban, format_phone, format_vat

# The lines of `customer show`, in this order, under the glossary's labels; "Gemeente" shows postcode and town together.
SHOWN = [
    "name", "number", "external_ref", "email", "language", "repairer", "address", "address2", "postcode", "province",
    "country", "certificate_number", "vat_number", "vat_rate", "payment_term_days", "payment_condition", "discount_scheme",
    "price_list", "internal_account", "phone", "fax", "mobile", "customer_type", "legal_form", "salutation", "contact",
    "remarks", "show_remarks", "show_id_card", "blocked", "block_reason", "block_message", "blocked_at", "blocked_by",
    "blocked_until", "iban", "bic",
]
# Fields as error messages name them (dossier fields too).
FIELD_LABELS = {**LABELS, **DOSSIER}
CHOICE_KINDS = {
    "language": "language", "country": "country", "customer_type": "customer_type", "legal_form": "legal_form",
    "salutation": "salutation", "payment_condition": "payment_condition", "discount_scheme": "discount_scheme",
    "price_list": "price_list", "internal_account": "internal_account", "block_reason": "block_reason",
}


def to_json(value: Any) -> str:
    """JSON with dates as ISO text."""
    return json.dumps(value, default=_plain, ensure_ascii=False, indent=2)


def _plain(value: Any) -> Any:
    """JSON fallback: a timestamp in office time with its UTC offset, a date as YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return clock.local_aware(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def show_value(field: str, value: Any) -> str:
    """How one field's value reads for a person."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if field in CHOICE_KINDS or field in ("repairer", "vat_rate"):
        kind = CHOICE_KINDS.get(field, field)
        text = reference.label(kind, str(value))
        return _("{label} (inactief)").format(label=text) if str(value) in reference.inactive_labels(kind) else text
    if field == "vat_rate":
        return f"{value} %"
    if field == "vat_number":
        return format_vat(value)
    if field == "iban":
        return format_iban(value)
    if field in ("phone", "fax", "mobile"):
        return format_phone(value)
    if isinstance(value, dt.datetime):
        return moment_text(clock.local(value))
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def customer_text(customer: dict[str, Any]) -> str:
    """A customer as labelled lines."""
    lines = []
    for field in SHOWN:
        label = LABELS[field]
        value = show_value(field, customer.get(field))
        if field == "postcode":
            value = f"{customer.get('postcode', '')} {customer.get('city', '')}".strip()
        if field.startswith("block") and field != "blocked" and not customer.get("blocked"):
            continue
        lines.append(f"{colon(_(label)):<24} {value}")
    if customer.get("blocked") and not customer.get("block_active"):
        lines.append(_("(de blokkering is verlopen)"))
    return "\n".join(lines)


def search_lines(rows: list[dict[str, Any]], corrections: list[str] | None = None, searchable: bool = True,
                 width: int | None = None, ignored: list[str] | None = None) -> str:
    """Search results as aligned lines with a GEBLOKKEERD (or BTW GEBLOKKEERD) marker; the typo corrections and
    the words the last rows lack after.

    `width` is the terminal's (the lines fit it, see search_table.py); None keeps the full width (piped output).
    """
    if not searchable:
        return _("Geen letters of cijfers om op te zoeken (leestekens en emoji tellen niet).")
    if not rows:
        return _("Geen resultaten.")
    out = search_table(rows, width)
    if corrections:
        out += wrapped(_("Ook gevonden: {words}").format(words=", ".join(word.capitalize() for word in corrections)), width)
    if ignored:
        out += wrapped(_("Daarna zonder: {words}").format(words=", ".join(ignored)), width)
    return "\n".join(out)


def dossier_text(shown: dict[str, Any]) -> str:
    """One dossier as labelled lines, the read-only reason when its owner is blocked, then its history."""
    from klantbeheer.data.dossier_history import describe

    lines = [f"{colon(_('Dossiernummer')):<20} {shown['number']}",
             f"{colon(_(DOSSIER['customer'])):<20} {shown['customer']} {shown['customer_name']} {dossiers.owner_then(shown)}".rstrip()]
    for field in ("description", "reference", "licence_plate"):
        lines.append(f"{colon(_(DOSSIER[field])):<20} {shown.get(field) or ''}".rstrip())
    lines.append(f"{colon(_('Aangemaakt op')):<20} {show_value('created_at', shown['created_at'])}")
    lines.append(f"{colon(_('Dossierbeheerder')):<20} {shown['created_by']}")
    lines.append(f"{colon(_('Status')):<20} {_(STATUS_LABELS.get(shown['status'], shown['status']))}")
    if shown.get("read_only"):
        lines.append(shown["read_only"])
    lines.append(colon(_("Historiek")))
    lines.extend(f"  {describe(event)}" for event in shown.get("history", []))
    return "\n".join(lines)


def dossier_lines(rows: list[dict[str, Any]]) -> str:
    """Dossiers as aligned lines; the owner as it was at opening beside the current one when they differ."""
    if not rows:
        return _("Geen dossiers.")
    return "\n".join(
        f"{d['number']}  {d['customer']:>9} {d['customer_name'][:30]:<30}  {d['description'][:40]:<40}  "
        f"{_(STATUS_LABELS.get(d['status'], d['status']))}  {dossiers.owner_then(d)}".rstrip()
        for d in rows
    )


def error_text(problem: KlantbeheerError) -> str:
    """One Dutch sentence for an error; validation problems name the fields by their Dutch label."""
    if isinstance(problem, ValidationFailed):
        parts = [f"{colon(_(FIELD_LABELS.get(field, field)))} {message.rstrip('.')}" for field, message in problem.errors.items()]
        return _("Ongeldige gegevens: {problems}.").format(problems="; ".join(parts))
    return problem.message
