"""Dossiers: create (refused for a blocked owner by data/blocking.py, checked inside the transaction), list, find.

Changes to an existing dossier (edit, close, reopen) live in data/dossier_changes.py, its history in
data/dossier_history.py.
"""
from __future__ import annotations

import re
from typing import Any

from peewee import Cast, fn

from klantbeheer.data import clock, dossier_history, session, staff
from klantbeheer.data.blocking import refuse_blocked
from klantbeheer.data.customers import by_number
from klantbeheer.data.errors import BadInput, ValidationFailed
from klantbeheer.data.i18n import _
from klantbeheer.data.labels import DOSSIER_STATUS
from klantbeheer.data.models import Customer, Dossier, database_proxy, now
from klantbeheer.data.normalize import normalize
from klantbeheer.data.session import data_function
from klantbeheer.data.validation import check_licence_plate, check_text
from klantbeheer.data.visible import visible_values

__all__ = ["check_owner", "check_values", "create_dossier", "find_dossiers", "list_dossiers"]

STATUS_LABELS = DOSSIER_STATUS  # a dossier's status as shown (the stored value is the code)
LIMITS = {"description": 200, "reference": 60}


@data_function
def check_owner(number: int | str) -> dict[str, Any]:
    """The owner's summary for the dossier screen; raises CustomerBlocked (or TwinBlocked) when refused now."""
    customer = by_number(number)
    refuse_blocked(customer)
    return visible_values(
        {"number": customer.number, "name": customer.name, "show_remarks": customer.show_remarks, "remarks": customer.remarks}
    )


MAX_SEQUENCE = 999_999  # YYYY-NNNNN, six digits once a year passes 99,999 dossiers


def _next_number(year: int) -> str:
    """The next dossier number of the year: YYYY-NNNNN (the highest compared as a number, not as text)."""
    prefix = f"{year}-"
    sequence = Cast(fn.SUBSTR(Dossier.number, len(prefix) + 1), "INTEGER")
    highest = (
        Dossier.select(fn.MAX(sequence))
        .where((Dossier.number >= prefix) & (Dossier.number < f"{year}.")).scalar()
    )
    following = int(highest or 0) + 1
    if following > MAX_SEQUENCE:
        raise BadInput(_("Dossiernummers van {year} zijn op (hoogste {year}-{highest}); neem contact op met de beheerder.").format(
            year=year, highest=MAX_SEQUENCE))
    return f"{prefix}{following:05d}"


@data_function
def create_dossier(customer: int | str, description: str, reference_text: str = "", licence_plate: str = "", operator: str = "") -> dict[str, Any]:
    """Open a dossier; in one IMMEDIATE transaction re-read the owner and refuse a blocked one."""
    staff.operator(operator)
    values = check_values({"description": description, "reference": reference_text, "licence_plate": licence_plate})
    with database_proxy.atomic():
        # re-read inside the write transaction: a block committed before now is seen; on PostgreSQL the
        # owner's row stays locked (FOR UPDATE) until commit, so a block cannot commit in between
        owner = by_number(customer, lock=True)
        session.engine().serialize("dossier-number")
        refuse_blocked(owner)
        created = now()
        dossier = Dossier.create(
            number=_next_number(clock.local(created).year), customer=owner.id, created_at=created, created_by=operator,
            status="open", owner_number=owner.number, owner_name=owner.name, **values,
        )
        dossier_history.record(dossier, "created", {name: ["", value] for name, value in values.items() if value},
                               operator, created)
    return as_dict(dossier, owner)


def check_values(values: dict[str, Any]) -> dict[str, str]:
    """The checked description (required), reference and plate of the given ones; ValidationFailed lists every problem."""
    errors: dict[str, str] = {}
    checked: dict[str, str] = {}
    for name, value in values.items():
        try:
            if name == "licence_plate":
                checked[name] = check_licence_plate(value)
            else:
                checked[name] = check_text(name, value, LIMITS[name], required=name == "description")
        except ValueError as problem:
            errors[name] = str(problem)
    if errors:
        raise ValidationFailed(errors)
    return checked


def as_dict(dossier: Dossier, owner: Customer | None = None) -> dict[str, Any]:
    """Plain values of a dossier: the owner's current number and name, and as they were at creation."""
    owner = owner or dossier.customer
    return visible_values({
        "number": dossier.number, "customer": owner.number, "customer_name": owner.name,
        "owner_number": dossier.owner_number if dossier.owner_number is not None else owner.number,
        "owner_name": dossier.owner_name if dossier.owner_name is not None else owner.name,
        "description": dossier.description, "reference": dossier.reference, "licence_plate": dossier.licence_plate,
        "created_at": dossier.created_at, "created_by": dossier.created_by, "status": dossier.status,
        "version": dossier.version,
    })


@data_function
def list_dossiers(customer: int | str | None = None, limit: int = 200, only_open: bool = False) -> list[dict[str, Any]]:
    """Dossiers, newest first; only one customer's when given, only open ones when asked."""
    query = Dossier.select(Dossier, Customer).join(Customer).order_by(Dossier.id.desc()).limit(limit)
    if customer is not None:
        query = query.where(Dossier.customer == by_number(customer).id)
    if only_open:
        query = query.where(Dossier.status == "open")
    return [as_dict(d, d.customer) for d in query]


@data_function
def find_dossiers(text: str, limit: int = 200) -> list[dict[str, Any]]:
    """Dossiers whose number, plate or reference contains the text, or whose customer has it as number or in its name; newest first."""
    typed = " ".join(str(text or "").split())
    query = Dossier.select(Dossier, Customer).join(Customer).order_by(Dossier.id.desc()).limit(limit)
    if typed:
        compact = re.sub(r"[\s.\-]", "", typed).upper()
        found = Dossier.number.contains(typed) | Dossier.reference.contains(typed)
        found |= Customer.name.contains(typed)
        if normalize(typed):
            found |= Customer.name_norm.contains(normalize(typed))
        if compact:
            found |= fn.REPLACE(Dossier.licence_plate, "-", "").contains(compact)
        if typed.isdigit() and len(typed) <= 9:
            found |= Customer.number == int(typed)
        query = query.where(found)
    return [as_dict(d, d.customer) for d in query]


def owner_then(dossier: dict[str, Any]) -> str:
    """'(bij opening: 123 ABC)' when the owner's number or name changed since the dossier was opened, else ''."""
    number, name = dossier.get("owner_number"), dossier.get("owner_name")
    if number is None or (number, name) == (dossier["customer"], dossier["customer_name"]):
        return ""
    return _("(bij opening: {number} {name})").format(number=number, name=name)
