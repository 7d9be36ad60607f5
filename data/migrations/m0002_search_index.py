"""Version 2: normalised name and search text on the customer, and the search index."""
from __future__ import annotations

from peewee import CharField, Database, TextField
from playhouse.migrate import migrate, SchemaMigrator

from data import search_text


def apply(db: Database) -> None:
    """Add name_norm and search_text, fill them for existing rows, build the index."""
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("customer", "name_norm", CharField(max_length=120, default="")),
        migrator.add_column("customer", "search_text", TextField(default="")),
        migrator.add_index("customer", ("name_norm",), False),
    )
    columns = ["id", "name", "number", "external_ref", "vat_number", "postcode", "city", "email", "phone", "fax", "mobile"]
    cursor = db.execute_sql(f"SELECT {', '.join(columns)} FROM customer")
    updates = []
    for row in cursor.fetchall():
        values = dict(zip(columns, row))
        name_norm, text = search_text.build(values)
        updates.append((name_norm, text, values["id"]))
    for name_norm, text, ident in updates:
        db.execute_sql("UPDATE customer SET name_norm = {0}, search_text = {0} WHERE id = {0}".format(db.param), (name_norm, text, ident))
    from data import search_engine

    search_engine.backend(db).install(db)
