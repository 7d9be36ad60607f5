"""The PostgreSQL side of the search seam: a pg_trgm GIN index over customer.search_text, and the queries.

Same tiers and the same text as SQLite (data/search/sqlite.py): the app's own normalisation fills
search_text and name_norm, so no unaccent() or lower() runs in the database. Words of three or
more characters are `search_text LIKE '%word%'` conditions, which the GIN index (gin_trgm_ops)
answers; shorter words are strpos() checks on the candidates. Input of only one- and
two-character words is a scan in id order that stops at the limit (common characters fill a page
at once), bounded like SQLite's; two-character words then ask the index for every trigram that
contains them. Names starting with the query use a b-tree in byte order (COLLATE "C"), so the
range condition and the order match SQLite's. Every path stops at its LIMIT.
"""
from __future__ import annotations

from typing import Any

from peewee import Database

from data import clock
from data.i18n import _
from data.search.common import SUMMARY_COLUMNS, fetch_rows, pair_trigrams

TRIGRAM_INDEX = "customer_search_trgm"
NAME_INDEX = "customer_name_norm_c"
BLOCKED_INDEX = "customer_blocked_name_c"
RECENT_INDEX = "customer_recent"
INDEX_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customer USING gin (search_text gin_trgm_ops)",
    f'CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON customer (name_norm COLLATE "C")',
    f'CREATE INDEX IF NOT EXISTS {BLOCKED_INDEX} ON customer (name_norm COLLATE "C") WHERE blocked',
    f"CREATE INDEX IF NOT EXISTS {RECENT_INDEX} ON customer (updated_at, id)",  # SQLite's index holds the rowid
]
# Rows a scan for two-character words reads before it asks the index (a dense word fills the page).
QUICK_SCAN_ROWS = 5_000
# One-character words have no index; their scan reads at most this many rows (as on SQLite).
SINGLE_CHAR_SCAN_ROWS = 60_000


def install(db: Database) -> None:
    """Create pg_trgm (if missing) and the search indexes; needs CREATE rights on the database."""
    for statement in INDEX_DDL:
        db.execute_sql(statement)
    rebuild(db)


def uninstall(db: Database) -> None:
    """Drop the search indexes (the extension stays: other databases' objects may use it)."""
    for name in (TRIGRAM_INDEX, NAME_INDEX, BLOCKED_INDEX, RECENT_INDEX):
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")


def drop_triggers(db: Database) -> None:
    """Nothing to drop: PostgreSQL keeps its indexes in step itself."""


def rebuild(db: Database) -> None:
    """Refresh the planner's statistics (the indexes themselves never drift from the table)."""
    db.execute_sql("ANALYZE customer")


def refresh_stats(db: Database) -> None:
    """Refresh the planner's statistics."""
    rebuild(db)


def integrity_problem(db: Database) -> str | None:
    """None when the trigram index exists and is valid, else a Dutch sentence."""
    row = db.execute_sql(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace", (TRIGRAM_INDEX,)
    ).fetchone()
    if row is None:
        return _("de zoekindex {index} ontbreekt").format(index=TRIGRAM_INDEX)
    if not row[0]:
        return _("de zoekindex {index} is ongeldig (REINDEX nodig)").format(index=TRIGRAM_INDEX)
    return None


# --- queries -------------------------------------------------------------------------------------

def _blocked_sql(alias: str = "") -> tuple[str, list[Any]]:
    """SQL condition (and its parameter): blocked, and the block has not lapsed."""
    prefix = f"{alias}." if alias else ""
    return (f" AND {prefix}blocked AND ({prefix}blocked_until IS NULL OR {prefix}blocked_until >= %s)",
            [clock.today()])


def exact_ids(number: int | None, refs: list[str], vat: str, blocked_only: bool) -> list[int]:
    """Customers whose number, external ref or VAT number equals the query, in that order."""
    extra, params = _blocked_sql() if blocked_only else ("", [])
    found: list[int] = []
    if number is not None:
        found += [row[0] for row in fetch_rows(f"SELECT id FROM customer WHERE number = %s{extra}", [number, *params])]
    refs = [ref for ref in refs if "\x00" not in ref]  # PostgreSQL text never holds NUL: no such ref exists
    if refs:
        marks = ", ".join("%s" for _ in refs)
        sql = f'SELECT id FROM customer WHERE external_ref IN ({marks}){extra} ORDER BY external_ref COLLATE "C", id LIMIT 20'
        found += [row[0] for row in fetch_rows(sql, [*refs, *params])]
    if vat:
        sql = f"SELECT id FROM customer WHERE vat_number = %s{extra} ORDER BY id LIMIT 20"
        found += [row[0] for row in fetch_rows(sql, [vat, *params])]
    return found


def name_prefix_ids(prefix: str, limit: int, blocked_only: bool) -> list[int]:
    """Customers whose normalised name starts with prefix, in byte order of the name (b-tree range, LIMIT)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    extra, params = _blocked_sql() if blocked_only else ("", [])
    sql = (f'SELECT id FROM customer WHERE name_norm COLLATE "C" >= %s AND name_norm COLLATE "C" < %s{extra} '
           'ORDER BY name_norm COLLATE "C", id LIMIT %s')
    return [row[0] for row in fetch_rows(sql, [prefix, upper, *params, limit])]


def _like(word: str) -> str:
    """A LIKE pattern: the word anywhere (LIKE's special characters escaped)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(words: list[str], alias: str = "c") -> tuple[str, list[str]]:
    """SQL: every word occurs in the search text; words of three or more characters via the index."""
    sql, params = "", []
    for word in words:
        if len(word) >= 3:
            sql += f" AND {alias}.search_text LIKE %s"
            params.append(_like(word))
        else:
            sql += f" AND strpos({alias}.search_text, %s) > 0"
            params.append(word)
    return sql, params


def _scan_ids(words: list[str], limit: int, rows: int) -> tuple[list[int], bool]:
    """Customers containing every word among the first `rows` customers by id: (ids, complete)."""
    checks, params = _conditions(words)
    sql = (f"SELECT c.id FROM (SELECT id, search_text FROM customer ORDER BY id LIMIT %s) c WHERE true{checks} "
           "ORDER BY c.id LIMIT %s")
    found = [row[0] for row in fetch_rows(sql, [rows, *params, limit])]
    if len(found) >= limit:
        return found, True
    total = fetch_rows("SELECT count(*) FROM (SELECT 1 FROM customer LIMIT %s) t", [rows + 1])[0][0]
    return found, total <= rows


def _pair_condition(pair: str) -> tuple[str, list[str]]:
    """SQL: the text holds a trigram containing the two-character word (index-served OR of LIKEs)."""
    terms = pair_trigrams(pair)
    return "(" + " OR ".join("c.search_text LIKE %s" for _ in terms) + ")", [_like(t) for t in terms]


def contains_ids(words: list[str], limit: int, blocked_only: bool) -> list[int]:
    """Customers whose search text contains every word, in id order (or name order when blocked only).

    With a word of three or more characters the index finds the candidates and the page is the first
    `limit` the bitmap scan meets (table order), sorted by id; when more customers match than the
    limit, which ones fill it may differ from SQLite's, the tiers never do.
    """
    checks, params = _conditions(words)
    if blocked_only:
        extra, blocked = _blocked_sql("c")
        sql = f'SELECT c.id FROM customer c WHERE true{extra}{checks} ORDER BY c.name_norm COLLATE "C", c.id LIMIT %s'
        return [row[0] for row in fetch_rows(sql, [*blocked, *params, limit])]
    if any(len(word) >= 3 for word in words):
        sql = f"SELECT c.id FROM customer c WHERE true{checks} LIMIT %s"
        return sorted(row[0] for row in fetch_rows(sql, [*params, limit]))
    pairs = [word for word in words if len(word) == 2]
    if not pairs:
        return _scan_ids(words, limit, SINGLE_CHAR_SCAN_ROWS)[0]
    found, complete = _scan_ids(words, limit, QUICK_SCAN_ROWS)
    if complete:
        return found
    pair_sql, pair_params = _pair_condition(pairs[0])
    sql = f"SELECT c.id FROM customer c WHERE {pair_sql}{checks} LIMIT %s"
    return sorted(row[0] for row in fetch_rows(sql, [*pair_params, *params, limit]))


def recent_ids(limit: int, blocked_only: bool) -> list[int]:
    """The most recently changed customers (an empty search)."""
    extra, params = _blocked_sql() if blocked_only else ("", [])
    sql = f"SELECT id FROM customer WHERE true{extra} ORDER BY updated_at DESC, id DESC LIMIT %s"
    return [row[0] for row in fetch_rows(sql, [*params, limit])]


def summaries(ids: list[int]) -> list[tuple]:
    """Rows of SUMMARY_COLUMNS for ids (any order)."""
    if not ids:
        return []
    return fetch_rows(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM customer WHERE id = ANY(%s)", [list(ids)])
