"""Which existing customer an import row is: the same number, external ref or BTW-nummer, or for a private
customer without any of those, the same normalised name and postcode (and address, when the row gives one).

The preview and the import both ask here, so the preview's "dubbel?" is what the import will do.
"""
from __future__ import annotations

from typing import Any

from klantbeheer.data.i18n import N_
from klantbeheer.data.models import Customer
from klantbeheer.data.normalize import normalize
from klantbeheer.data.transfer.import_rows import Row

KEYS = ("number", "external_ref", "vat_number")
NAME_ADDRESS = "name_address"
MATCHES = {"number": N_("zelfde nummer"), "external_ref": N_("zelfde externe ref."), "vat_number": N_("zelfde BTW-nummer"),
           NAME_ADDRESS: N_("zelfde naam en adres")}

Found = dict[str, dict[Any, Any]]  # kind -> value -> customer (name_address: -> customers)


def private_key(values: dict[str, Any]) -> tuple[str, str] | None:
    """(normalised name, postcode) of a row with no number, external ref or BTW-nummer; None otherwise."""
    if any(values.get(name) for name in KEYS) or not values.get("name") or not values.get("postcode"):
        return None
    return normalize(str(values["name"])), str(values["postcode"]).strip().upper()


def existing(batch: list[Row], before_id: int | None = None) -> Found:
    """The customers (with id <= before_id, when given) a batch's rows may be, by each kind of match."""
    found: Found = {name: {} for name in (*KEYS, NAME_ADDRESS)}
    conditions = []
    for name in KEYS:
        wanted = list({row.values[name] for row in batch if row.values.get(name)})
        if wanted:
            conditions.append(getattr(Customer, name).in_(wanted))
    private = {key for row in batch if (key := private_key(row.values))}
    if private:
        conditions.append(Customer.name_norm.in_(list({name for name, _ in private})))
    if not conditions:
        return found
    where = conditions[0]
    for condition in conditions[1:]:
        where = where | condition
    if before_id is not None:
        where = where & (Customer.id <= before_id)
    for customer in Customer.select().where(where).order_by(Customer.number):
        found["number"][customer.number] = customer
        for name in ("external_ref", "vat_number"):
            if getattr(customer, name):
                found[name].setdefault(getattr(customer, name), customer)
        key = (customer.name_norm, (customer.postcode or "").strip().upper())
        if key in private:
            found[NAME_ADDRESS].setdefault(key, []).append(customer)
    return found


def match(row: Row, found: Found) -> tuple[Customer, str] | None:
    """The existing customer this row is (number, external ref, BTW-nummer, then name and address) and how."""
    for name in KEYS:
        value = row.values.get(name)
        if value and value in found[name]:
            return found[name][value], name
    key = private_key(row.values)
    if key is None:
        return None
    address = normalize(str(row.values.get("address") or ""))
    for customer in found[NAME_ADDRESS].get(key, []):
        if not address or normalize(customer.address or "") == address:
            return customer, NAME_ADDRESS
    return None
