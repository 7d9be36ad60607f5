"""Import customers from CSV or Excel: every row through the form's rules, the valid ones in one transaction.

Two passes. The first reads and checks every row (no lock held) and spools the valid ones to a temporary
file; the second stores them in one transaction, in batches, matching duplicates against the customers
that were there before (number, then external ref, then BTW-nummer; a private customer without those by name,
postcode and address: data/transfer/import_matches.py). A killed import stores nothing.
"""
from __future__ import annotations

import datetime as dt
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

from klantbeheer.data import blocking, customers, duplicates, history, postcodes, reference, session, staff
from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import N_, _, ngettext
from klantbeheer.data.models import Customer, CustomerEvent, CustomerImport, ImportRow, database_proxy, now
from klantbeheer.data.progress import Progress
from klantbeheer.data.search import text as search_text
from klantbeheer.data.session import data_function
from klantbeheer.data.transfer import import_matches
from klantbeheer.data.transfer.import_columns import LABELS, match_columns, read_mapping
from klantbeheer.data.transfer.import_file import STDIN, FileInfo, inspect, rows, standard_input
from klantbeheer.data.transfer.import_matches import MATCHES
from klantbeheer.data.transfer.import_report import Report
from klantbeheer.data.transfer.import_rows import Row, check_row, repairer_lookup

POLICIES = ("skip", "update", "fail")
STDIN_NAME = "stdin"  # the name an import from standard input is recorded and reported under
BATCH = 2_000

INSERT_COLUMNS = [
    "number", "name", "external_ref", "email", "language", "repairer_id", "address", "address2", "postcode", "city",
    "province", "country", "certificate_number", "vat_number", "vat_rate", "payment_term_days", "payment_condition",
    "discount_scheme", "price_list", "internal_account", "phone", "fax", "mobile", "customer_type", "legal_form",
    "salutation", "contact", "remarks", "show_remarks", "show_id_card", "iban", "bic", "blocked", "block_reason",
    "block_message", "blocked_at", "blocked_by", "blocked_until", "version", "created_at", "created_by", "updated_at",
    "updated_by", "name_norm", "search_text",
]
ACTIONS = {"updated": N_("bijgewerkt"), "unchanged": N_("ongewijzigd"), "skipped": N_("overgeslagen"),
           "refused": N_("geweigerd")}
PHASES = {"check": N_("Nakijken"), "store": N_("Opslaan")}
BLOCK_STATE = ["blocked", "block_reason", "block_message", "blocked_at", "blocked_by", "blocked_until"]


class _Discard(Exception):
    """Raised inside the transaction to roll it back (dry run, --strict, --on-duplicate fail)."""


def search_columns(values: dict[str, Any]) -> tuple[str, str]:
    """The search index's columns (name_norm, search_text) of one customer: the import's only way to index."""
    return search_text.build(values)


@dataclass
class Outcome:
    """What an import did (or would do): counts, duplicates, the report."""

    file: str
    detected: str
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    empty: int = 0
    invalid: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # rows stored as text a spreadsheet may have changed
    report: str | None = None
    import_id: int | None = None
    stored: bool = False
    dry_run: bool = False
    reason: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain values (for --json and the screen)."""
        return dict(self.__dict__)


@data_function
def preview(path: str, mapping: str | None = None, limit: int = 20, on_duplicate: str = "skip") -> dict[str, Any]:
    """The first `limit` rows as they would be stored (or their errors), what the import will do with each
    (action: new, update, duplicate or error; match: how it matched an existing customer), and what was detected."""
    info, columns = _open(path, mapping)
    shown: list[dict[str, Any]] = []
    checked: list[Row] = []
    with reference.lists_held():
        repairers = repairer_lookup()
        for line, cells, kinds in rows(path, info):
            if not any(cell.strip() for cell in cells):
                continue
            row = check_row(line, cells, columns.fields, repairers, kinds)
            raw_name = next((cells[i] for i, name in columns.fields.items() if name == "name" and i < len(cells)), "")
            shown.append({"line": line, "values": row.values, "blocked": row.block is not None, "raw_name": raw_name,
                          "errors": _reasons(row.errors, info.header, columns.fields),
                          "warnings": "" if row.errors else _reasons(row.warnings, info.header, columns.fields)})
            checked.append(row)
            if len(shown) >= limit:
                break
    found = import_matches.existing([row for row in checked if not row.errors])
    for item, row in zip(shown, checked):
        item.update(_planned(row, found, on_duplicate))
    return {"detected": info.describe(), "columns": {i: info.header[i] for i in columns.fields},
            "fields": list(columns.fields.values()), "unknown": columns.unknown, "rows": shown,
            "estimated_rows": info.estimated_rows}


def _planned(row: Row, found: import_matches.Found, on_duplicate: str) -> dict[str, Any]:
    """What the import will do with one checked row under the policy: action, match and the customer matched."""
    if row.errors:
        return {"action": "error", "match": None, "customer": None}
    matched = import_matches.match(row, found)
    if matched is None:
        return {"action": "new", "match": None, "customer": None}
    customer, how = matched
    number = row.values.get("number")
    if on_duplicate == "update" and number and number != customer.number:
        return {"action": "error", "match": how, "customer": customer.number}
    return {"action": "update" if on_duplicate == "update" else "duplicate", "match": how, "customer": customer.number}


def _open(path: str, mapping: str | None) -> tuple[FileInfo, Any]:
    """Inspect the file and match its header (with the mapping file, when given)."""
    info = inspect(path)
    return info, match_columns(info.header, read_mapping(mapping) if mapping else None)


def _reasons(errors: dict[str, str], header: list[str], columns: dict[int, str]) -> str:
    """'BTW-nummer: Geen geldig BTW-nummer.; Iban: ...' under the file's own column names."""
    shown = {name: header[index] for index, name in columns.items()}
    place = {name: index for index, name in columns.items()}
    ordered = sorted(errors.items(), key=lambda item: place.get(item[0], len(header)))  # in the file's column order
    return "; ".join(_("{column}: {problem}").format(column=shown.get(name) or _(LABELS.get(name, name)), problem=message)
                     for name, message in ordered)


@data_function
def run_import(path: str, operator: str, dry_run: bool = False, strict: bool = False, on_duplicate: str = "skip",
               mapping: str | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Import a file (beheerder only); see the module docstring. Returns Outcome.as_dict()."""
    started = time.perf_counter()
    staff.require_beheerder(operator, N_("klanten importeren"))
    if on_duplicate not in POLICIES:
        raise BadInput(_("--on-duplicate moet skip, update of fail zijn, niet {given}.").format(given=repr(on_duplicate)))
    with standard_input(path) as source:
        result = _run(source, str(path), operator, dry_run, strict, on_duplicate, mapping, progress)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _run(path: str, shown: str, operator: str, dry_run: bool, strict: bool, on_duplicate: str, mapping: str | None,
         progress: Progress | None) -> dict[str, Any]:
    """run_import on a file (standard input already copied to one); `shown` is the name the operator gave."""
    info, columns = _open(path, mapping)
    outcome = Outcome(file=STDIN_NAME if shown == STDIN else shown, detected=info.describe(),
                      unknown_columns=columns.unknown, ignored_columns=columns.ignored, dry_run=dry_run)
    report = Report(Path.cwd() / STDIN_NAME if shown == STDIN else path, info.header)
    try:
        with tempfile.TemporaryFile() as spool:
            first_free = _check_pass(path, info, columns.fields, report, spool, outcome, progress)
            if strict and outcome.invalid:
                outcome.reason = ngettext("--strict: {count} ongeldige rij; er is niets opgeslagen.",
                                          "--strict: {count} ongeldige rijen; er is niets opgeslagen.",
                                          outcome.invalid).format(count=outcome.invalid)
            else:
                _store_pass(spool, first_free, info, columns.fields, operator, on_duplicate, report, outcome, progress)
    except BaseException:
        report.discard()
        raise
    made = report.finish()
    outcome.report = str(made) if made else None
    return outcome.as_dict()


def _check_pass(path: str, info: FileInfo, columns: dict[int, str], report: Report, spool: IO[bytes],
                outcome: Outcome, progress: Progress | None) -> int:
    """Read and check every row; spool the valid ones, report the others. Returns the first number to hand out."""
    seen_numbers: dict[int, int] = {}
    highest = 0
    batch: list[Row] = []
    if progress:
        progress(_(PHASES["check"]), 0, info.estimated_rows)
    with reference.lists_held():
        repairers = repairer_lookup()
        for line, cells, kinds in rows(path, info):
            if not any(cell.strip() for cell in cells):
                outcome.empty += 1
                continue
            outcome.rows += 1
            row = check_row(line, cells, columns, repairers, kinds)
            number = row.values.get("number")
            if number and not row.errors:
                if number in seen_numbers:
                    row.errors["number"] = _("Klantnummer {number} staat ook op regel {line} van dit bestand.").format(
                        number=number, line=seen_numbers[number])
                else:
                    seen_numbers[number] = line
                    highest = max(highest, number)
            if row.errors:
                outcome.invalid += 1
                report.add(line, cells, _reasons(row.errors, info.header, columns))
            else:
                if row.warnings and len(outcome.warnings) < 1000:
                    outcome.warnings.append({"line": line, "warning": _reasons(row.warnings, info.header, columns)})
                batch.append(row)
                if len(batch) >= BATCH:
                    pickle.dump(batch, spool)
                    batch = []
            if progress and outcome.rows % 500 == 0:
                progress(_(PHASES["check"]), outcome.rows, max(info.estimated_rows, outcome.rows))
    if batch:
        pickle.dump(batch, spool)
    if progress:
        progress(_(PHASES["check"]), outcome.rows, outcome.rows)
    return highest + 1


def _spooled(spool: IO[bytes]) -> Iterator[list[Row]]:
    """The spooled batches of valid rows, in file order."""
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def _store_pass(spool: IO[bytes], first_free: int, info: FileInfo, columns: dict[int, str], operator: str,
                on_duplicate: str, report: Report, outcome: Outcome, progress: Progress | None) -> None:
    """Store the valid rows in one transaction (rolled back for a dry run or a refused duplicate)."""
    valid = outcome.rows - outcome.invalid
    engine = session.engine()
    try:
        with database_proxy.atomic():
            engine.serialize("customer-number")
            before_id = Customer.select(Customer.id).order_by(Customer.id.desc()).limit(1).scalar() or 0
            first_event = (CustomerEvent.select(CustomerEvent.id).order_by(CustomerEvent.id.desc()).limit(1).scalar() or 0) + 1
            record = CustomerImport.create(file_name=Path(info_name(outcome.file)).name[:255], operator=operator,
                                           started_at=now())
            store = _Store(record.id, operator, max(first_free, customers.next_number()), before_id, on_duplicate)
            done = 0
            if progress:
                progress(_(PHASES["store"]), 0, valid)
            for batch in _spooled(spool):
                store.batch(batch, outcome, report, info, columns)
                done += len(batch)
                if progress:
                    progress(_(PHASES["store"]), done, valid)
            if on_duplicate == "fail" and outcome.skipped:
                outcome.reason = ngettext("--on-duplicate fail: {count} rij bestaat al als klant; er is niets opgeslagen.",
                                          "--on-duplicate fail: {count} rijen bestaan al als klant; er is niets opgeslagen.",
                                          outcome.skipped).format(count=outcome.skipped)
                raise _Discard
            last_event = CustomerEvent.select(CustomerEvent.id).order_by(CustomerEvent.id.desc()).limit(1).scalar() or 0
            CustomerImport.update(created=outcome.created, updated=outcome.updated, first_event_id=first_event,
                                  last_event_id=last_event).where(CustomerImport.id == record.id).execute()
            if outcome.dry_run:
                outcome.reason = _("Proefdraai (--dry-run): er is niets opgeslagen.")
                raise _Discard
            if not outcome.created and not outcome.updated:  # nothing to undo: no import record either
                outcome.reason = _("Er is niets opgeslagen: geen nieuwe of gewijzigde klanten.")
                raise _Discard
            outcome.import_id = record.id
            outcome.stored = True
    except _Discard:
        outcome.stored = False


def info_name(path: str) -> str:
    """The file's name as recorded with the import."""
    return str(Path(path).expanduser().name)


class _Store:
    """The second pass's state: numbering, matching and writing, batch by batch, inside the transaction."""

    def __init__(self, import_id: int, operator: str, next_number: int, before_id: int, on_duplicate: str) -> None:
        self.import_id = import_id
        self.operator = operator
        self.next_number = next_number
        self.before_id = before_id
        self.on_duplicate = on_duplicate
        self.stamp = now()
        db = session.database()
        self.insert_sql = (f"INSERT INTO customer ({', '.join(INSERT_COLUMNS)}) "
                           f"VALUES ({', '.join([db.param] * len(INSERT_COLUMNS))})")
        self.row_sql = f"INSERT INTO import_row (import_id, customer_id, action, previous) VALUES ({', '.join([db.param] * 4)})"

    def batch(self, batch: list[Row], outcome: Outcome, report: Report, info: FileInfo, columns: dict[int, str]) -> None:
        """Match, then insert the new rows and update or skip the duplicates of one batch."""
        matches = import_matches.existing(batch, self.before_id)
        new: list[Row] = []
        for row in batch:
            found = import_matches.match(row, matches)
            if found is None:
                if row.values.get("number") is None:
                    row.values["number"] = self.next_number
                    self.next_number += 1
                new.append(row)
                continue
            customer, how = found
            self._duplicate(row, customer, how, outcome, report, info, columns)
        self._insert(new)
        outcome.created += len(new)

    def _duplicate(self, row: Row, customer: Customer, how: str, outcome: Outcome, report: Report, info: FileInfo,
                   columns: dict[int, str]) -> None:
        """Apply the --on-duplicate policy to one row that is an existing customer."""
        label = _(MATCHES[how])
        case = {"line": row.line, "number": customer.number, "name": customer.name, "match": how}
        number = row.values.get("number")
        if self.on_duplicate == "update" and number and number != customer.number:
            reason = _("Hoort bij klant {customer} ({match}), maar het nummer in het bestand is {number}.").format(
                customer=customer.number, match=label, number=number)
            outcome.invalid += 1
            report.add(row.line, row.cells, _reasons({"number": reason}, info.header, columns))
            return
        if self.on_duplicate == "update":
            changed = self._update(row, customer)
            case["action"] = "updated" if changed else "unchanged"
            outcome.updated += changed
            outcome.unchanged += not changed
        else:
            case["action"] = "skipped" if self.on_duplicate == "skip" else "refused"
            outcome.skipped += 1
            report.add(row.line, row.cells, _("Bestaat al als klant {customer} ({match}); {action}.").format(
                customer=customer.number, match=label, action=_(ACTIONS[case["action"]])))
        if len(outcome.duplicates) < 1000:
            outcome.duplicates.append(case)

    def _insert(self, new: list[Row]) -> None:
        """Insert new customers, then their history ('created', 'blocked') and the import's rows."""
        if not new:
            return
        db = session.database()
        stamp = db_value(self.stamp)  # as text once, not per row
        tuples = []
        for row in new:
            values = {**_EMPTY, **row.values}
            values["name_norm"], values["search_text"] = search_columns(values)
            block = row.block
            values.update(version=1, created_at=stamp, created_by=self.operator, updated_at=stamp,
                          updated_by=self.operator, repairer_id=values.get("repairer"))
            if block:
                values.update(blocked=True, block_reason=block[0], block_message=block[1],
                              blocked_until=db_value(block[2]), blocked_at=stamp, blocked_by=self.operator)
            tuples.append(tuple([values[name] for name in INSERT_COLUMNS]))
        db.cursor().executemany(self.insert_sql, tuples)
        numbers = [row.values["number"] for row in new]
        ids = dict(db.execute_sql(
            f"SELECT number, id FROM customer WHERE number IN ({', '.join([db.param] * len(numbers))})", numbers).fetchall())
        events = []
        for row in new:
            ident, number = ids[row.values["number"]], row.values["number"]
            created = {k: v for k, v in row.values.items() if v not in ("", None, False)}
            events.append((ident, number, "created", history.as_json({**created, "import": self.import_id}), self.operator, stamp))
            if row.block:
                reason, message, until = row.block
                details = {"reason": reason, "message": message, "until": until, "import": self.import_id}
                events.append((ident, number, "blocked", history.as_json(details), self.operator, stamp))
        history.record_rows(events)
        db.cursor().executemany(self.row_sql, [(self.import_id, ids[row.values["number"]], "created", "") for row in new])

    def _update(self, row: Row, customer: Customer) -> bool:
        """Write the row's fields (and block) onto an existing customer, as the form's save would; False when equal."""
        wanted = {name: value for name, value in row.values.items()
                  if name in row.given or name in ("city", "province", "bic") and value}
        wanted.pop("number", None)
        changes: dict[str, list[Any]] = {}
        for name, new in wanted.items():
            old = customer.repairer_id if name == "repairer" else getattr(customer, name)
            if name == "province" and name not in row.given and postcodes.province_named(row.values.get("postcode", ""), old):
                continue  # the stored province names the same one in another language (Luik, Liège): it stays
            if old != new:
                changes[name] = [old, new]
        block = None
        if row.block and (not blocking.block_active(customer)
                          or (customer.block_reason, customer.block_message, customer.blocked_until) != row.block):
            block = "blocked"
        elif row.unblock and customer.blocked:
            block = "unblocked"
        if not changes and not block:
            return False
        released = duplicates.guard_release(customer, changes, self.operator)
        previous = {"fields": {name: pair[0] for name, pair in changes.items()},
                    "block": {name: getattr(customer, name) for name in BLOCK_STATE} if block else None}
        stamp = self.stamp
        for name, (_old, new) in changes.items():
            setattr(customer, "repairer_id" if name == "repairer" else name, new)
        if changes:
            self._event(customer, "updated", {**changes, "import": self.import_id})
        for link in released:
            self._event(customer, "twin_released", {**duplicates.release_event(link), "import": self.import_id})
        mark = {"import": self.import_id}
        if block == "blocked" and row.block:
            blocking.apply_block(customer, *row.block, self.operator, at=stamp, mark=mark)
        elif block == "unblocked":
            blocking.apply_unblock(customer, self.operator, at=stamp, mark=mark)
        customers.refresh_search(customer)
        customer.version += 1
        customer.updated_at, customer.updated_by = stamp, self.operator
        customer.save()
        ImportRow.create(import_id=self.import_id, customer_id=customer.id, action="updated", previous=history.as_json(previous))
        return True

    def _event(self, customer: Customer, kind: str, changes: dict[str, Any]) -> None:
        """Append one history event, marked with the import."""
        history.record(customer, kind, changes, self.operator, self.stamp)


# The model's own default of every column ('' , False, None, 21, ...) for a field the file does not give.
_EMPTY: dict[str, Any] = {field.column_name: None if callable(field.default) else field.default
                          for field in Customer._meta.sorted_fields}


def db_value(value: Any) -> Any:
    """Dates and moments as the ISO text both engines accept (as the demo loader writes them)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def describe(result: dict[str, Any]) -> str:
    """What an import did, in Dutch lines."""
    lines = [result["detected"]]
    if result["unknown_columns"]:
        lines.append(_("Onbekende kolommen (niet ingelezen): {columns}.").format(columns=", ".join(result["unknown_columns"])))
    if result["ignored_columns"]:
        lines.append(_("Genegeerde kolommen (worden automatisch ingevuld): {columns}.").format(
            columns=", ".join(result["ignored_columns"])))
    lines.append(ngettext("{rows} rij gelezen ({empty} lege overgeslagen), {invalid} ongeldig.",
                           "{rows} rijen gelezen ({empty} lege overgeslagen), {invalid} ongeldig.", result["rows"]).format(**result))
    for case in result["duplicates"][:20]:
        lines.append(_("  regel {line}: bestaat al als klant {number} ({match}): {action}.").format(
            line=case["line"], number=case["number"], match=_(MATCHES[case["match"]]), action=_(ACTIONS[case["action"]])))
    if len(result["duplicates"]) > 20:
        lines.append(ngettext("  ... en nog {count} dubbele rij.", "  ... en nog {count} dubbele rijen.",
                              len(result["duplicates"]) - 20).format(count=len(result["duplicates"]) - 20))
    for case in result["warnings"][:20]:
        lines.append(_("  regel {line}: let op: {warning}").format(**case))
    if len(result["warnings"]) > 20:
        lines.append(ngettext("  ... en nog {count} waarschuwing.", "  ... en nog {count} waarschuwingen.",
                              len(result["warnings"]) - 20).format(count=len(result["warnings"]) - 20))
    if result["stored"]:
        lines.append(ngettext("Import {import_id}: {created} klant aangemaakt, {updated} bijgewerkt, {skipped} dubbel "
                              "overgeslagen. Ongedaan maken: klantbeheer import --undo {import_id}.",
                              "Import {import_id}: {created} klanten aangemaakt, {updated} bijgewerkt, {skipped} dubbel "
                              "overgeslagen. Ongedaan maken: klantbeheer import --undo {import_id}.",
                              result["created"]).format(**result))
    else:
        would = ngettext("{created} klant zou aangemaakt worden, {updated} bijgewerkt, {skipped} dubbel overgeslagen.",
                         "{created} klanten zouden aangemaakt worden, {updated} bijgewerkt, {skipped} dubbel overgeslagen.",
                         result["created"]).format(**result) if result["dry_run"] else ""
        lines.append(" ".join(part for part in (result["reason"], would) if part))
    if result["report"]:
        lines.append(_("Foutenrapport: {report} (verbeter de rijen en importeer dat bestand opnieuw).").format(**result))
    return "\n".join(lines)
