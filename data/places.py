"""Customers written in a Dutch exonym of a French- or German-speaking municipality (Namen, Luik), and the fix
(`klantbeheer places --fix`): their town becomes the official name (Namur, Liège) through customers.update, the
form's own save, so the history, the version and the triggers all apply."""
from __future__ import annotations

from typing import Any

from klantbeheer.data import customers, postcodes, staff
from klantbeheer.data.errors import Conflict, ValidationFailed
from klantbeheer.data.i18n import N_
from klantbeheer.data.models import Customer
from klantbeheer.data.session import data_function


@data_function
def exonyms() -> list[dict[str, Any]]:
    """Every Belgian customer whose town is the Dutch name of its postcode's French- or German-speaking municipality,
    with the official name, by number."""
    query = (Customer.select(Customer.number, Customer.name, Customer.postcode, Customer.city, Customer.version)
             .where(Customer.country == "BE").order_by(Customer.number).tuples())
    found = []
    for number, name, postcode, city, version in query.iterator():
        official = postcodes.dutch_exonym(postcode or "", city or "")
        if official:
            found.append({"number": number, "name": name, "postcode": postcode, "city": city, "official": official,
                          "version": version})
    return found


def fix_exonyms(operator: str, dry_run: bool = False) -> dict[str, Any]:
    """List those customers and (a beheerder, unless dry_run) give each its official town name; a customer changed
    since it was listed, or refused by the form's rules, is skipped and counted."""
    staff.operator(operator)
    if not dry_run:
        staff.require_beheerder(operator, N_("plaatsnamen verbeteren"))
    found = exonyms()
    fixed: list[int] = []
    skipped: list[int] = []
    for row in [] if dry_run else found:
        try:
            customers.update(row["number"], {"city": row["official"]}, row["version"], operator)
            fixed.append(row["number"])
        except (Conflict, ValidationFailed):
            skipped.append(row["number"])
    listed = [{key: value for key, value in row.items() if key != "version"} for row in found]
    return {"customers": listed, "found": len(found), "fixed": len(fixed), "skipped": skipped, "dry_run": dry_run}
