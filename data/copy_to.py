"""Copy a Klantbeheer database (normally SQLite) into an empty PostgreSQL database (moving an office to PostgreSQL).

The target is migrated first (same schema, search indexes, history guard), then every table is
copied with its own ids through COPY, the id sequences are set past the highest id, and the row
counts of source and target are compared before the copy commits. The source is read in one
read-only snapshot (SQLite: a deferred transaction in WAL mode), so the copy is one consistent
moment while other sessions keep writing; what they write after that moment is not copied.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from peewee import BooleanField, Database

from klantbeheer.data import session
from klantbeheer.data.db import migrate
from klantbeheer.data.engines import Engine, make_engine
from klantbeheer.data.errors import BadInput, DatabaseProblem
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.models import ALL_MODELS, Customer, CustomerEvent, Dossier, ReferenceItem, Repairer, SchemaInfo, Setting, Staff
from klantbeheer.data.progress import Progress
from klantbeheer.data.session import data_function

BATCH = 20_000
# Tables whose rows make a target "not empty" (reference lists are seeded by the migration itself).
USER_TABLES = [Staff, Repairer, Customer, CustomerEvent, Dossier]
LABELS = {
    "customer": N_("klanten"), "customer_event": N_("historiekregels"), "dossier": N_("dossiers"),
    "staff": N_("gebruikers"), "reference_item": N_("keuzes in referentielijsten"), "repairer": N_("herstellers"),
    "reference_event": N_("wijzigingen aan referentielijsten"), "staff_event": N_("aanmeldingen"),
    "dossier_event": N_("wijzigingen aan dossiers"),
}


def safe_url(url: str) -> str:
    """The URL without a password."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def _models() -> list:
    """The tables to copy, parents before children (the order of ALL_MODELS), without schema_info and settings."""
    return [model for model in ALL_MODELS if model not in (SchemaInfo, Setting)]


def _copy_settings(source: Database, target: Database) -> None:
    """The office settings (time zone) of the source replace the target's defaults."""
    for key, value in source.execute_sql("SELECT key, value FROM setting").fetchall():
        target.execute_sql("DELETE FROM setting WHERE key = %s", (key,))
        target.execute_sql("INSERT INTO setting (key, value) VALUES (%s, %s)", (key, value))


def _count(db: Database, table: str) -> int:
    """Rows in a table."""
    return int(db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def _check_empty(target: Database) -> None:
    """Refuse a target that holds anything but an empty, freshly migrated Klantbeheer schema."""
    tables = set(target.get_tables())
    if not tables:
        return
    if "schema_info" not in tables:
        raise BadInput(_("De doeldatabase is niet leeg (ze bevat andere tabellen); kopiëren kan alleen naar een lege database."))
    filled = {m._meta.table_name: _count(target, m._meta.table_name) for m in USER_TABLES if m._meta.table_name in tables}
    filled = {name: rows for name, rows in filled.items() if rows}
    if filled:
        what = ", ".join(f"{rows} {_(LABELS.get(name, name))}" for name, rows in filled.items())
        raise BadInput(_("De doeldatabase is niet leeg ({what}); kopiëren kan alleen naar een lege database.").format(what=what))


def _text(value: Any, boolean: bool) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if boolean:
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_table(source: Database, target: Engine, model, progress: Callable[[int], None] | None = None) -> int:
    """COPY every row of one table from source to target with its own ids; return the rows copied."""
    fields = model._meta.sorted_fields
    columns = [field.column_name for field in fields]
    booleans = [isinstance(field, BooleanField) for field in fields]
    table = model._meta.table_name
    cursor = source.execute_sql(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY id')
    copied = 0
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            break
        target.copy_rows(table, columns, ["\t".join(_text(v, b) for v, b in zip(row, booleans)) + "\n" for row in rows])
        copied += len(rows)
        if progress:
            progress(len(rows))
    if copied:
        target.reset_sequence(table)
    return copied


def copy_database(source: Engine, target: Engine, progress: Progress | None = None) -> dict[str, int]:
    """Copy every table of source (one read snapshot) into the migrated, empty target in one transaction."""
    counts: dict[str, int] = {}
    done = [0]

    def moved(rows: int) -> None:
        """Rows copied so far, for the progress bar."""
        done[0] += rows
        if progress:
            progress(_("Rijen kopiëren"), done[0], total)

    search = target.search
    with source.read_snapshot(), target.db.atomic():
        target.db.execute_sql(f'DELETE FROM "{ReferenceItem._meta.table_name}"')  # seeded: replaced by the source's
        search.uninstall(target.db)  # building the search indexes once afterwards is far faster than row by row
        total = sum(_count(source.db, model._meta.table_name) for model in _models())
        for model in _models():
            table = model._meta.table_name
            copied = _copy_table(source.db, target, model, moved)
            expected, landed = _count(source.db, table), _count(target.db, table)
            if not copied == expected == landed:
                raise DatabaseProblem(
                    _("Kopie van {table} klopt niet ({expected} in de bron, {landed} in het doel); niets is gekopieerd.").format(
                        table=table, expected=expected, landed=landed)
                )
            counts[table] = landed
        _copy_settings(source.db, target.db)
        if progress:
            progress(_("Zoekindex opbouwen"), 0, 0)
        search.install(target.db)
    target.analyze()
    return counts


@data_function
def copy_to(url: str, progress: Progress | None = None) -> dict[str, Any]:
    """Copy the bound database into the empty PostgreSQL database at url; refuse a non-empty one."""
    if not url.lower().startswith(("postgresql://", "postgres://")):
        raise BadInput(_("Geef het doel als postgresql://gebruiker@host:poort/database."))
    source = session.engine()
    target = make_engine(url)
    if target.location == source.location:
        raise BadInput(_("Bron en doel zijn dezelfde database."))
    with session.translated(target.driver_errors()):
        try:
            target.db.connect()
            target.prepare()
            _check_empty(target.db)
            migrate(target)
            counts = copy_database(source, target, progress)
        finally:
            if not target.db.is_closed():
                target.db.close()
    return {"target": safe_url(url), "counts": counts}


def describe(result: dict[str, Any]) -> str:
    """What copy_to did, in Dutch."""
    parts = ", ".join(f"{rows} {_(LABELS.get(table, table))}" for table, rows in result["counts"].items())
    return _("Gekopieerd naar {target}: {parts}. Aantallen in bron en doel gecontroleerd.").format(target=result['target'], parts=parts)
