"""The SQLite side of the search seam: an FTS5 trigram index over customer.search_text."""
from __future__ import annotations

from peewee import Database

INSTALL = [
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
TRIGGERS = ["customer_fts_ai", "customer_fts_ad", "customer_fts_au"]


def install(db: Database) -> None:
    """Create the index and the triggers that keep it in step with the customer table."""
    for statement in INSTALL:
        db.execute_sql(statement)
    rebuild(db)


def drop_triggers(db: Database) -> None:
    """Remove the sync triggers (bulk loading only; call install() afterwards)."""
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(db: Database) -> None:
    """Rebuild the whole index from the customer table."""
    db.execute_sql("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")


def integrity_problem(db: Database) -> str | None:
    """Run FTS5's own integrity check; return its message, or None when the index is sound."""
    try:
        db.execute_sql("INSERT INTO customer_fts(customer_fts, rank) VALUES ('integrity-check', 1)")
    except Exception as problem:  # sqlite3.DatabaseError: the index disagrees with the table
        return str(problem)
    return None


def contains_ids(long_words: list[str], short_words: list[str], limit: int, blocked_sql: str, params: list) -> list[int]:
    """Ids of customers whose search text contains every word (long ones through the index)."""
    match = " AND ".join(f'"{word}"' for word in long_words)
    checks = "".join(" AND instr(c.search_text, ?) > 0" for _ in short_words)
    sql = (
        "SELECT c.id FROM customer_fts JOIN customer c ON c.id = customer_fts.rowid "
        f"WHERE customer_fts MATCH ?{checks}{blocked_sql} LIMIT ?"
    )
    cursor = db_execute(sql, [match, *short_words, *params, limit])
    return [row[0] for row in cursor.fetchall()]


def db_execute(sql: str, params: list):
    """Run SQL on the bound database."""
    from data.models import database_proxy

    return database_proxy.execute_sql(sql, params)
