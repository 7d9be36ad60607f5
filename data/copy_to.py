"""Copy an SQLite Klantbeheer database into an empty PostgreSQL database (moving an office to PostgreSQL).

The target is migrated first (same schema, search indexes, history guard), then every table is
copied with its own ids through COPY, the id sequences are set past the highest id, and the row
counts of source and target are compared before the copy commits. The source is read in one
transaction, so the copy is one consistent snapshot (other sessions wait for it to finish writing).
"""
from __future__ import annotations

import io
import re
from typing import Any

from peewee import BooleanField, Database, DatabaseError, OperationalError, PostgresqlDatabase

from data import search_engine
from data.db import _migrate, explain, is_sqlite, make_database
from data.errors import BadInput, DatabaseProblem
from data.models import ALL_MODELS, Customer, CustomerEvent, Dossier, ReferenceItem, Repairer, SchemaInfo, Staff, database_proxy

BATCH = 20_000
# Tables whose rows make a target "not empty" (reference lists are seeded by the migration itself).
USER_TABLES = [Staff, Repairer, Customer, CustomerEvent, Dossier]
LABELS = {
    "customer": "klanten", "customer_event": "historiekregels", "dossier": "dossiers", "staff": "gebruikers",
    "reference_item": "keuzes in referentielijsten", "repairer": "herstellers",
}


def safe_url(url: str) -> str:
    """The URL without a password."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def _models() -> list:
    """The tables to copy, parents before children (the order of ALL_MODELS), without schema_info."""
    return [model for model in ALL_MODELS if model is not SchemaInfo]


def _count(db: Database, table: str) -> int:
    """Rows in a table."""
    return int(db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def _check_empty(target: Database) -> None:
    """Refuse a target that holds anything but an empty, freshly migrated Klantbeheer schema."""
    tables = set(target.get_tables())
    if not tables:
        return
    if "schema_info" not in tables:
        raise BadInput("De doeldatabase is niet leeg (ze bevat andere tabellen); kopiëren kan alleen naar een lege database.")
    filled = {m._meta.table_name: _count(target, m._meta.table_name) for m in USER_TABLES if m._meta.table_name in tables}
    filled = {name: rows for name, rows in filled.items() if rows}
    if filled:
        what = ", ".join(f"{rows} {LABELS.get(name, name)}" for name, rows in filled.items())
        raise BadInput(f"De doeldatabase is niet leeg ({what}); kopiëren kan alleen naar een lege database.")


def _text(value: Any, boolean: bool) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if boolean:
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_table(source: Database, target: PostgresqlDatabase, model) -> int:
    """COPY every row of one table from source to target with its own ids; return the rows copied."""
    fields = model._meta.sorted_fields
    columns = [field.column_name for field in fields]
    booleans = [isinstance(field, BooleanField) for field in fields]
    table = model._meta.table_name
    cursor = source.execute_sql(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY id')
    raw = target.cursor()
    copied = 0
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            break
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_text(v, b) for v, b in zip(row, booleans)) + "\n")
        buffer.seek(0)
        raw.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer)
        copied += len(rows)
    if copied:
        raw.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))")
    return copied


def copy_database(source: Database, target: PostgresqlDatabase) -> dict[str, int]:
    """Copy every table of source into the migrated, empty target in one transaction; return counts per table."""
    counts: dict[str, int] = {}
    backend = search_engine.backend(target)
    with source.atomic(), target.atomic():
        target.execute_sql(f'DELETE FROM "{ReferenceItem._meta.table_name}"')  # seeded: replaced by the source's
        backend.uninstall(target)  # building the search indexes once afterwards is far faster than row by row
        for model in _models():
            table = model._meta.table_name
            copied = _copy_table(source, target, model)
            expected, landed = _count(source, table), _count(target, table)
            if not copied == expected == landed:
                raise DatabaseProblem(
                    f"Kopie van {table} klopt niet ({expected} in de bron, {landed} in het doel); niets is gekopieerd."
                )
            counts[table] = landed
        backend.install(target)
    target.execute_sql("ANALYZE")
    return counts


def copy_to(url: str, source: Database | None = None) -> dict[str, Any]:
    """Copy the bound SQLite database into the empty PostgreSQL database at url; refuse a non-empty one."""
    source = source if source is not None else database_proxy.obj
    if not is_sqlite(source):
        raise BadInput("copy-to kopieert een SQLite-database; open de bron met --db <bestand>.")
    if not url.lower().startswith(("postgresql://", "postgres://")):
        raise BadInput("Geef het doel als postgresql://gebruiker@host:poort/database.")
    target = make_database(url)
    try:
        target.connect()
        _check_empty(target)
        _migrate(target)
        counts = copy_database(source, target)
    except (OperationalError, DatabaseError) as problem:
        raise DatabaseProblem(explain(problem)) from None
    finally:
        if not target.is_closed():
            target.close()
    return {"target": safe_url(url), "counts": counts}


def describe(result: dict[str, Any]) -> str:
    """What copy_to did, in Dutch."""
    parts = ", ".join(f"{rows} {LABELS.get(table, table)}" for table, rows in result["counts"].items())
    return f"Gekopieerd naar {result['target']}: {parts}. Aantallen in bron en doel gecontroleerd."
