"""Dossiers: create (refused for a blocked owner by data/blocking.py, checked inside the transaction), list."""
from __future__ import annotations

from typing import Any

from peewee import Cast, fn

from klantbeheer.data import clock, session, staff
from klantbeheer.data.blocking import refuse_blocked
from klantbeheer.data.customers import by_number
from klantbeheer.data.errors import BadInput, ValidationFailed
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.models import Customer, Dossier, database_proxy, now
from klantbeheer.data.session import data_function
from klantbeheer.data.validation import check_licence_plate, check_text
from klantbeheer.data.visible import visible_values

__all__ = ["check_owner", "create_dossier", "list_dossiers"]

STATUS_LABELS = {"open": N_("open")}  # a dossier's status as shown (the stored value is the code)


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
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value, limit, required in (("description", description, 200, True), ("reference", reference_text, 60, False)):
        try:
            values[name] = check_text(name, value, limit, required=required)
        except ValueError as problem:
            errors[name] = str(problem)
    try:
        values["licence_plate"] = check_licence_plate(licence_plate)
    except ValueError as problem:
        errors["licence_plate"] = str(problem)
    if errors:
        raise ValidationFailed(errors)
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
    return as_dict(dossier, owner)


def as_dict(dossier: Dossier, owner: Customer | None = None) -> dict[str, Any]:
    """Plain values of a dossier: the owner's current number and name, and as they were at creation."""
    owner = owner or dossier.customer
    return visible_values({
        "number": dossier.number, "customer": owner.number, "customer_name": owner.name,
        "owner_number": dossier.owner_number if dossier.owner_number is not None else owner.number,
        "owner_name": dossier.owner_name if dossier.owner_name is not None else owner.name,
        "description": dossier.description, "reference": dossier.reference, "licence_plate": dossier.licence_plate,
        "created_at": dossier.created_at, "created_by": dossier.created_by, "status": dossier.status,
    })


@data_function
def list_dossiers(customer: int | str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Dossiers, newest first; only one customer's when given."""
    query = Dossier.select(Dossier, Customer).join(Customer).order_by(Dossier.id.desc()).limit(limit)
    if customer is not None:
        query = query.where(Dossier.customer == by_number(customer).id)
    return [as_dict(d, d.customer) for d in query]


def owner_then(dossier: dict[str, Any]) -> str:
    """'(bij opening: 123 ABC)' when the owner's number or name changed since the dossier was opened, else ''."""
    number, name = dossier.get("owner_number"), dossier.get("owner_name")
    if number is None or (number, name) == (dossier["customer"], dossier["customer_name"]):
        return ""
    return _("(bij opening: {number} {name})").format(number=number, name=name)
