"""Version 2: normalised name and search text on the customer, and the search index.

Frozen: the text this step writes is built by the copy of the normaliser below (as it was when
version 2 was made), never by today's data/search/text.py, so an old database upgrades the same
way next year. A later change to the search text needs its own migration.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from peewee import CharField, Database, TextField
from playhouse.migrate import SchemaMigrator, migrate

_JOINERS = re.compile(r"['’`´.]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")
COLUMNS = ["id", "name", "number", "external_ref", "vat_number", "postcode", "city", "email", "phone", "fax", "mobile"]

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
    "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
]


def _normalize(text: str) -> str:
    """Version 2's normalisation: lower case, accents removed, apostrophes and dots dropped, other punctuation a space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    return _SEPARATORS.sub(" ", _JOINERS.sub("", plain)).strip()


def _phone_forms(stored: str) -> list[str]:
    """A stored +32... number as its international and national digits (version 2)."""
    if not stored:
        return []
    import phonenumbers

    digits = stored.lstrip("+")
    try:
        national = str(phonenumbers.parse(stored, "BE").national_number)
    except phonenumbers.NumberParseException:
        return [digits]
    return [digits, "0" + national]


def _build(values: dict[str, Any]) -> tuple[str, str]:
    """(name_norm, search_text) for a customer's values, as version 2 built them."""
    vat = str(values.get("vat_number") or "")
    parts = [
        str(values.get("name") or ""), str(values.get("number") or ""), str(values.get("external_ref") or ""),
        vat, vat[2:] if vat[:2].isalpha() else "", str(values.get("postcode") or ""), str(values.get("city") or ""),
        str(values.get("email") or ""),
    ]
    for key in ("phone", "fax", "mobile"):
        parts.extend(_phone_forms(str(values.get(key) or "")))
    return _normalize(parts[0]), " | ".join(_normalize(p) for p in parts if p)


def _columns_and_text(db: Database) -> None:
    """Add name_norm and search_text and fill them for existing rows."""
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("customer", "name_norm", CharField(max_length=120, default="")),
        migrator.add_column("customer", "search_text", TextField(default="")),
        migrator.add_index("customer", ("name_norm",), False),
    )
    rows = db.execute_sql(f"SELECT {', '.join(COLUMNS)} FROM customer").fetchall()
    sql = "UPDATE customer SET name_norm = {0}, search_text = {0} WHERE id = {0}".format(db.param)
    for row in rows:
        values = dict(zip(COLUMNS, row))
        db.execute_sql(sql, (*_build(values), values["id"]))


def sqlite(db: Database) -> None:
    """SQLite: the columns, their text, and the version-2 FTS5 index."""
    _columns_and_text(db)
    for statement in SQLITE_V2_INDEX:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """PostgreSQL: the columns and their text (its search index came with version 3)."""
    _columns_and_text(db)
