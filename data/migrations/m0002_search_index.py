"""Version 2: normalised name and search text on the customer, and the search index."""
from __future__ import annotations

from peewee import CharField, Database, SqliteDatabase, TextField
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
    if isinstance(db, SqliteDatabase):
        for statement in SQLITE_V2_INDEX:
            db.execute_sql(statement)
        db.execute_sql("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")


# The version-2 index exactly as it was (version 3 replaces it; see m0003_search_index_v3).
SQLITE_V2_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5("
    "search_text, content='customer', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE OF search_text, id ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
