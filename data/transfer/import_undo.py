"""Undoing an import: delete what it created, restore what it updated; the list of imports."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from klantbeheer.data import customers, history, session, staff
from klantbeheer.data.errors import BadInput, KlantbeheerError
from klantbeheer.data.i18n import N_, _, ngettext
from klantbeheer.data.models import Customer, CustomerEvent, CustomerImport, ImportRow, database_proxy, now
from klantbeheer.data.session import data_function
from klantbeheer.data.transfer.importer import db_value

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) hold


@data_function
def imports(limit: int = 20) -> list[dict[str, Any]]:
    """The latest imports, newest first (id, file, operator, when, counts, undone)."""
    query = CustomerImport.select().order_by(CustomerImport.id.desc()).limit(limit)
    return [{"id": r.id, "file": r.file_name, "operator": r.operator, "started_at": r.started_at, "created": r.created,
             "updated": r.updated, "undone_at": r.undone_at, "undone_by": r.undone_by} for r in query]


def _touched(import_id: int, action: str | None = None) -> Any:
    """The ids of the customers an import created or updated (a subquery)."""
    query = ImportRow.select(ImportRow.customer_id).where(ImportRow.import_id == import_id)
    return query.where(ImportRow.action == action) if action else query


@data_function
def undo(import_id: int | str, operator: str) -> dict[str, Any]:
    """Undo an import (beheerder only): delete what it created, restore what it updated; refused when any of
    those customers was edited or got a dossier since."""
    from klantbeheer.data.models import Dossier

    staff.require_beheerder(operator, N_("een import ongedaan maken"))
    text = str(import_id).strip()
    if not (text.isascii() and text.isdigit()):
        raise BadInput(_("Ongeldig importnummer: {given}.").format(given=repr(text[:20])))
    if int(text) > MAX_ID:  # more than any database integer: no such import (not a driver's overflow)
        raise BadInput(_("Import {id} bestaat niet.").format(id=text[:20] + ("..." if len(text) > 20 else "")))
    with database_proxy.atomic():
        record = CustomerImport.get_or_none(CustomerImport.id == int(text))
        if record is None:
            raise BadInput(_("Import {id} bestaat niet.").format(id=text))
        if record.undone_at is not None:
            raise BadInput(_("Import {id} werd al ongedaan gemaakt door {operator}.").format(id=text, operator=record.undone_by))
        later = (CustomerEvent.select(CustomerEvent.customer_number).where(
            CustomerEvent.customer_id.in_(_touched(record.id)) & (CustomerEvent.id > record.last_event_id))
            .distinct().limit(6))
        numbers = [str(e.customer_number) for e in later]
        if numbers:
            raise _refusal(ngettext("Import {id} kan niet ongedaan gemaakt worden: klant {numbers} werd sindsdien gewijzigd.",
                                    "Import {id} kan niet ongedaan gemaakt worden: klanten {numbers} werden sindsdien gewijzigd.",
                                    len(numbers)), text, numbers)
        with_dossier = (Customer.select(Customer.number).join(Dossier, on=(Dossier.customer == Customer.id))
                        .where(Customer.id.in_(_touched(record.id))).distinct().limit(6))
        numbers = [str(c.number) for c in with_dossier]
        if numbers:
            raise _refusal(ngettext("Import {id} kan niet ongedaan gemaakt worden: klant {numbers} kreeg sindsdien een dossier.",
                                    "Import {id} kan niet ongedaan gemaakt worden: klanten {numbers} kregen sindsdien een dossier.",
                                    len(numbers)), text, numbers)
        restored = _restore_updated(record.id, operator)
        deleted = _delete_created(record.id, operator)
        CustomerImport.update(undone_at=now(), undone_by=operator).where(CustomerImport.id == record.id).execute()
    return {"import_id": record.id, "deleted": deleted, "restored": restored}


def _refusal(sentence: str, import_id: str, numbers: list[str]) -> KlantbeheerError:
    """The refusal of an undo (a translated sentence with {id} and {numbers}), naming up to five customers."""
    shown = ", ".join(numbers[:5]) + (" ..." if len(numbers) > 5 else "")
    return BadInput(sentence.format(id=import_id, numbers=shown))


def _delete_created(import_id: int, operator: str) -> int:
    """Record 'deleted' for every customer the import created, then delete them."""
    engine = session.engine()
    db = engine.db
    stamp = db_value(now())
    pairs = f"'name', name, 'import', {int(import_id)}"
    created = f"SELECT customer_id FROM import_row WHERE import_id = {int(import_id)} AND action = 'created'"
    history.record_select(
        f"SELECT id, number, 'deleted', {engine.json_object_sql(pairs)}, {db.param}, {db.param} FROM customer "
        f"WHERE id IN ({created})", (operator, stamp))
    return db.execute_sql(f"DELETE FROM customer WHERE id IN ({created})").rowcount


def _restore_updated(import_id: int, operator: str) -> int:
    """Put back the fields and block an import's updates replaced, each with its history event."""
    restored = 0
    # newest first: a customer the import updated twice ends with the values from before the first update
    query = ImportRow.select().where((ImportRow.import_id == import_id) & (ImportRow.action == "updated"))
    for item in query.order_by(ImportRow.id.desc()):
        customer = Customer.get_by_id(item.customer_id)
        previous = json.loads(item.previous or "{}")
        changes: dict[str, list[Any]] = {}
        for name, old in (previous.get("fields") or {}).items():
            attribute = "repairer_id" if name == "repairer" else name
            changes[name] = [getattr(customer, attribute), old]
            setattr(customer, attribute, old)
        stamp = now()
        if changes:
            history.record(customer, "updated", {**changes, "import": import_id, "undo": True}, operator, stamp)
        block = previous.get("block")
        if block is not None:
            until = dt.date.fromisoformat(block["blocked_until"][:10]) if block.get("blocked_until") else None
            since = dt.datetime.fromisoformat(block["blocked_at"]) if block.get("blocked_at") else None
            if block.get("blocked"):
                details = {"reason": block["block_reason"], "message": block["block_message"], "until": until}
                kind = "blocked"
            else:
                details = {"reason": customer.block_reason, "message": customer.block_message, "since": customer.blocked_at}
                kind = "unblocked"
            history.record(customer, kind, {**details, "import": import_id, "undo": True}, operator, stamp)
            customer.blocked, customer.block_reason = bool(block.get("blocked")), block.get("block_reason") or ""
            customer.block_message, customer.blocked_until = block.get("block_message") or "", until
            customer.blocked_at, customer.blocked_by = since, block.get("blocked_by") or ""
        customers.refresh_search(customer)
        customer.version += 1
        customer.updated_at, customer.updated_by = stamp, operator
        customer.save()
        restored += 1
    return restored
