"""A blocked customer (or its BTW/IBAN twin) gets no dossier: the one home of the rule, in Python.

The database mirrors it in SQL: m0007_block_follows_customer (SQLite triggers dossier_owner_not_blocked and
dossier_owner_move_not_blocked over _SQLITE_TODAY; PostgreSQL dossier_owner_guard() and customer_role_guard()),
m0015_postgres_guards (dossier_owner_guard, customer_role_guard and customer_block_lock replaced, office_today),
m0016_twin_release_guard (customer_twin_guard), m0017_dossier_history (dossier_owner_blocked_read_only: an existing
dossier of a blocked owner or twin is read-only; data/dossier_changes.py applies it in Python); data/triggers.py lists them
for `check`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Expression

from klantbeheer.data import clock, history, reference, session, staff
from klantbeheer.data.errors import CustomerBlocked, DatabaseProblem, KlantbeheerError, TwinBlocked, ValidationFailed
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.models import Customer, now
from klantbeheer.data.session import data_function
from klantbeheer.data.validation import check_text, format_iban, format_vat
from klantbeheer.data.visible import visible

TWIN_FIELDS = {"vat_number": N_("Het BTW-nummer"), "iban": N_("Het IBAN")}
BLOCK_MESSAGE_LIMIT = 1000


# --- the block holds today -----------------------------------------------------------------------

def block_active(customer: Customer | dict[str, Any], today: dt.date | None = None) -> bool:
    """True while a block holds: set, and its end date (if any) not passed."""
    get = customer.get if isinstance(customer, dict) else lambda key: getattr(customer, key)
    if not get("blocked"):
        return False
    until = get("blocked_until")
    if until is None:
        return True
    if not isinstance(until, dt.date):
        until = dt.date.fromisoformat(str(until)[:10])
    return until >= (today or clock.today())


def active_block_filter(today: dt.date | None = None) -> Expression:
    """Peewee condition: the customer is blocked and the block has not lapsed."""
    day = today or clock.today()
    return (Customer.blocked == True) & (Customer.blocked_until.is_null() | (Customer.blocked_until >= day))  # noqa: E712


def active_block_sql(alias: str, flag: str, mark: str, day: Any) -> tuple[str, list[Any]]:
    """The same condition as an engine's SQL (" AND ..." and its parameter): `flag` follows the blocked column."""
    prefix = f"{alias}." if alias else ""
    return (f" AND {prefix}blocked{flag} AND ({prefix}blocked_until IS NULL OR {prefix}blocked_until >= {mark})", [day])


# --- blocking and unblocking ---------------------------------------------------------------------

def _parse_until(value: Any) -> dt.date | None:
    """The optional end date of a block: a date, YYYY-MM-DD or DD-MM-YYYY; not in the past."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                value = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationFailed({"blocked_until": _("Geen geldige datum (dd-mm-jjjj).")})
    if value < clock.today():
        raise ValidationFailed({"blocked_until": _("De einddatum ligt in het verleden.")})
    return value


@data_function
def check_block(reason: Any, message: Any, until: Any, keep: str = "") -> tuple[str, str, dt.date | None]:
    """Validate the block details: a known, active reason (required; `keep`, the stored one, may be inactive), a message, an end date."""
    errors: dict[str, str] = {}
    code = reference.match_code("block_reason", str(reason or "")) if str(reason or "").strip() else None
    reasons = ", ".join(label for _code, label in reference.choices("block_reason"))
    offered = _("Kies een reden: {reasons}.").format(reasons=reasons)
    if code is None:
        errors["block_reason"] = offered
    elif code != keep and code in reference.inactive_labels("block_reason"):
        errors["block_reason"] = _("'{label}' is niet meer actief. {offered}").format(
            label=reference.label("block_reason", code), offered=offered)
    text = str(message or "").strip()
    try:  # multi-line text like the remarks: no control characters or undecodable input
        text = check_text("remarks", text, BLOCK_MESSAGE_LIMIT)
    except ValueError as problem:
        errors["block_message"] = str(problem)
    try:
        until_date = _parse_until(until)
    except ValidationFailed as problem:
        errors.update(problem.errors)
        until_date = None
    if errors:
        raise ValidationFailed(errors)
    return code or "", text, until_date


def apply_block(customer: Customer, reason: str, message: str, until: dt.date | None, operator: str,
                at: dt.datetime | None = None, mark: dict[str, Any] | None = None) -> None:
    """Set the block and record the event at `at` (default now()), `mark` added; a block already active keeps "since" and "by"."""
    if not block_active(customer):
        customer.blocked_at, customer.blocked_by = (at if at is not None else now()), operator
    customer.blocked, customer.block_reason, customer.block_message = True, reason, message
    customer.blocked_until = until
    history.record(customer, "blocked", {"reason": reason, "message": message, "until": until, **(mark or {})}, operator, at)


def apply_unblock(customer: Customer, operator: str, at: dt.datetime | None = None, mark: dict[str, Any] | None = None) -> None:
    """Clear the block fields and record the event with the reason it had (`at`, `mark` as for apply_block)."""
    details = {"reason": customer.block_reason, "message": customer.block_message, "since": customer.blocked_at, **(mark or {})}
    customer.blocked, customer.block_reason, customer.block_message = False, "", ""
    customer.blocked_until, customer.blocked_at, customer.blocked_by = None, None, ""
    history.record(customer, "unblocked", details, operator, at)


# --- no dossier: the customer itself or a twin ---------------------------------------------------

def blocked_twin(customer: Customer) -> tuple[str, Customer] | None:
    """Another customer, blocked today, with this customer's BTW-nummer or IBAN: (field, twin), or None."""
    for field in TWIN_FIELDS:
        value = getattr(customer, field)
        if not value:
            continue
        twin = (
            Customer.select()
            .where((getattr(Customer, field) == value) & (Customer.id != customer.id) & active_block_filter())
            .order_by(Customer.number).first()
        )
        if twin is not None:
            return field, twin
    return None


def block_details(customer: Customer) -> dict[str, Any]:
    """The keyword arguments of CustomerBlocked describing this customer's block (the notice's data)."""
    return {
        "number": customer.number, "name": visible(customer.name),
        "reason": reference.label("block_reason", customer.block_reason) or _("onbekend"),
        "message": visible(customer.block_message or "", multiline=True), "blocked_at": customer.blocked_at,
        "blocked_by": staff.full_name(customer.blocked_by) if customer.blocked_by else _("onbekend"),
        "blocked_until": customer.blocked_until, "language": reference.label("language", customer.language),
    }


def blocked_error(customer: Customer) -> CustomerBlocked:
    """The CustomerBlocked error describing this customer's own block."""
    return CustomerBlocked(**block_details(customer))


def twin_error(owner: Customer, field: str, twin: Customer) -> TwinBlocked:
    """The TwinBlocked error: "Het BTW-nummer BE 0867.756.456 hoort ook bij geblokkeerde klant 123 ABC (Wanbetaling)"."""
    details = block_details(twin)
    shown = format_vat(twin.vat_number) if field == "vat_number" else format_iban(twin.iban)
    notice = _("{field} {shown} hoort ook bij geblokkeerde klant {number} {name} ({reason})").format(
        field=_(TWIN_FIELDS[field]), shown=shown, number=twin.number, name=details["name"], reason=details["reason"])
    return TwinBlocked(notice, owner.number, **{**details, "language": reference.label("language", owner.language)})


def refuse_blocked(owner: Customer) -> None:
    """Raise CustomerBlocked when the owner is blocked today, TwinBlocked when a blocked customer shares its BTW/IBAN."""
    if block_active(owner):
        raise blocked_error(owner)
    twin = blocked_twin(owner)
    if twin is not None:
        raise twin_error(owner, *twin)


def refusal_error(owner_number: int, blocked_number: int, field: str, fallback: str) -> KlantbeheerError:
    """The CustomerBlocked / TwinBlocked the database's guard meant (read afresh), or its own sentence when unreadable."""
    try:
        owner, blocked = _customer(owner_number), _customer(blocked_number)
        if owner is None or blocked is None:
            return DatabaseProblem(fallback)
        if owner.id == blocked.id:
            return blocked_error(blocked)
        return twin_error(owner, field if field in TWIN_FIELDS else "iban", blocked)
    except KlantbeheerError:  # e.g. read inside a transaction the refusal aborted
        return DatabaseProblem(fallback)


@data_function
def _customer(number: int) -> Customer | None:
    """The customer with this number, or None."""
    return Customer.get_or_none(Customer.number == number)


session.on_refusal(refusal_error)
