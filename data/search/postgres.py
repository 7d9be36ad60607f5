"""The PostgreSQL side of the search seam: a pg_trgm GIN index over customer.search_text, and the queries.

Same tiers and the same text as SQLite (data/search/sqlite.py): the app's own normalisation fills
search_text and name_norm, so no unaccent() or lower() runs in the database. As on SQLite the index
only narrows: a `LIKE '%word%'` would make pg_trgm read the posting list of every trigram of the
word (common ones such as `ers` hold a tenth of the customers), so a query asks the GIN index
(gin_trgm_ops) for the rarest trigram of its rarest words only (`search_text LIKE '%tri%'`, picked
with the per-trigram counts in `search_trigram`, refreshed with the planner's statistics) and
checks every word with strpos(), which the planner cannot hand to the index (see _steering).
Without those counts (a database whose index was not rebuilt since) every word of three or more
characters is a `LIKE '%word%'` condition the index answers whole. Input of only one- and
two-character words is a scan in id order that stops at the limit (common characters fill a page
at once), bounded like SQLite's; two-character words then ask the index for every trigram that
contains them. Names starting with the query use a b-tree in byte order (COLLATE "C"), so the
range condition and the order match SQLite's. Every path stops at its LIMIT.
"""
from __future__ import annotations

import time
import weakref
from typing import Any

from peewee import Database

from klantbeheer.data import blocking, clock
from klantbeheer.data.i18n import _, ngettext
from klantbeheer.data.search.common import SUMMARY_COLUMNS, bound_db, fetch_rows, pair_trigrams

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
# The typo vocabulary (data/search/typos.py), kept in step by triggers as on SQLite (data/search/sqlite.py).
_WORDS_OF = ("SELECT DISTINCT w FROM regexp_split_to_table(replace({0}, ' | ', ' '), ' ') w "
             "WHERE char_length(w) BETWEEN 4 AND 20 AND w !~ '[0-9]'")
WORDS_DDL = [
    "CREATE TABLE IF NOT EXISTS search_word (word text PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS search_word_delete (variant text NOT NULL, word text NOT NULL, PRIMARY KEY (variant, word))",
    # schema-qualified, search_path pinned with pg_temp last: a temporary table cannot stand in (issue 25)
    "CREATE OR REPLACE FUNCTION public.search_word_deletes() RETURNS trigger LANGUAGE plpgsql "
    "SET search_path = pg_catalog, public, pg_temp AS $$ BEGIN "
    "INSERT INTO public.search_word_delete (variant, word) SELECT DISTINCT f.v, NEW.word FROM ("
    "SELECT substr(NEW.word, 1, a - 1) || substr(NEW.word, a + 1) AS v FROM generate_series(1, char_length(NEW.word)) a "
    "UNION SELECT substr(NEW.word, 1, a - 1) || substr(NEW.word, a + 1, b - a - 1) || substr(NEW.word, b + 1) "
    "FROM generate_series(1, char_length(NEW.word)) a, generate_series(1, char_length(NEW.word)) b "
    "WHERE b > a AND char_length(NEW.word) >= 7) f ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS search_word_ai ON search_word",
    "CREATE TRIGGER search_word_ai AFTER INSERT ON search_word FOR EACH ROW EXECUTE FUNCTION search_word_deletes()",
    "CREATE OR REPLACE FUNCTION public.customer_words() RETURNS trigger LANGUAGE plpgsql "
    "SET search_path = pg_catalog, public, pg_temp AS $$ BEGIN "
    f"INSERT INTO public.search_word (word) {_WORDS_OF.format('NEW.search_text')} ON CONFLICT DO NOTHING; RETURN NULL; END $$",
]
# How many customers hold each trigram of [0-9a-z] (estimated from a sample; '' holds the number of
# customers). The counts only steer which trigrams a query asks the index for: stale counts cost speed,
# never results. See refresh_stats().
STATS_TABLE = "search_trigram"
STATS_DDL = [
    f"CREATE TABLE IF NOT EXISTS {STATS_TABLE} (trigram text PRIMARY KEY, docs bigint NOT NULL)",
    "DO $$ BEGIN "
    "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_medewerker') "
    "AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'klantbeheer_beheerder') THEN "
    f"EXECUTE 'GRANT SELECT ON {STATS_TABLE} TO klantbeheer_medewerker, klantbeheer_beheerder'; "
    # The vocabulary too (as migration 12 does): install() after uninstall() makes the tables anew.
    "IF to_regclass('search_word_delete') IS NOT NULL THEN "
    "EXECUTE 'GRANT SELECT, INSERT ON search_word, search_word_delete TO klantbeheer_medewerker, "
    "klantbeheer_beheerder'; END IF; END IF; "
    "EXCEPTION WHEN insufficient_privilege THEN NULL; END $$",
]
# The counts come from about this many customers (all of them in a smaller database): show_trgm() over
# a million texts takes a minute and a half on two cores, a sample of 25,000 about a second.
STATS_SAMPLE_ROWS = 25_000
WORD_TRIGGER_DDL = [
    "DROP TRIGGER IF EXISTS customer_words ON customer",
    "CREATE TRIGGER customer_words AFTER INSERT OR UPDATE OF search_text ON customer FOR EACH ROW "
    "EXECUTE FUNCTION customer_words()",
]
# Rows a scan for two-character words reads before it asks the index (a dense word fills the page).
QUICK_SCAN_ROWS = 5_000
# One-character words have no index; their scan reads at most this many rows (as on SQLite).
SINGLE_CHAR_SCAN_ROWS = 60_000


def install(db: Database, words: set[str] | None = None) -> None:
    """Create pg_trgm (if missing) and the search indexes; needs CREATE rights on the database."""
    for statement in INDEX_DDL + WORDS_DDL + WORD_TRIGGER_DDL + STATS_DDL:
        db.execute_sql(statement)
    rebuild(db, words)


def uninstall(db: Database) -> None:
    """Drop the search indexes (the extension stays: other databases' objects may use it)."""
    for name in (TRIGRAM_INDEX, NAME_INDEX, BLOCKED_INDEX, RECENT_INDEX):
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    db.execute_sql("DROP TRIGGER IF EXISTS customer_words ON customer")
    db.execute_sql(f"DROP TABLE IF EXISTS search_word, search_word_delete, {STATS_TABLE}")
    _COUNTS.pop(db, None)


def drop_triggers(db: Database) -> None:
    """Drop the vocabulary's row trigger (bulk loading only; install() puts it back and refills the vocabulary)."""
    db.execute_sql("DROP TRIGGER IF EXISTS customer_words ON customer")


def rebuild(db: Database, words: set[str] | None = None) -> None:
    """Refill the typo vocabulary and refresh the statistics (the indexes never drift from the table)."""
    rebuild_words(db, words)
    refresh_stats(db)


def rebuild_words(db: Database, words: set[str] | None = None) -> None:
    """Refill the typo vocabulary from the customers' search texts; with `words` (a bulk loader's) add those."""
    if words is not None:
        db.cursor().executemany("INSERT INTO search_word (word) VALUES (%s) ON CONFLICT DO NOTHING", [(w,) for w in sorted(words)])
        return
    db.execute_sql("DELETE FROM search_word_delete")
    db.execute_sql("DELETE FROM search_word")
    db.execute_sql("INSERT INTO search_word (word) SELECT DISTINCT w "
                   "FROM customer c, regexp_split_to_table(replace(c.search_text, ' | ', ' '), ' ') w "
                   "WHERE char_length(w) BETWEEN 4 AND 20 AND w !~ '[0-9]' ON CONFLICT DO NOTHING")
    db.execute_sql("ANALYZE search_word_delete")


def words_problem(db: Database) -> str | None:
    """None when every word of every customer is in the typo vocabulary with its deletion forms, else Dutch."""
    missing = db.execute_sql(
        "SELECT count(*) FROM customer c, regexp_split_to_table(replace(c.search_text, ' | ', ' '), ' ') w "
        "WHERE char_length(w) BETWEEN 4 AND 20 AND w !~ '[0-9]' "
        "AND NOT EXISTS (SELECT 1 FROM search_word s WHERE s.word = w)"
    ).fetchone()[0]
    if missing:
        return ngettext("de woordenlijst voor tikfouten mist {count} woord van klanten (zoekindex herbouwen)",
                        "de woordenlijst voor tikfouten mist {count} woorden van klanten (zoekindex herbouwen)",
                        missing).format(count=missing)
    bare = db.execute_sql(
        "SELECT count(*) FROM search_word s WHERE NOT EXISTS (SELECT 1 FROM search_word_delete d "
        "WHERE d.variant = substr(s.word, 2) AND d.word = s.word)"
    ).fetchone()[0]
    if bare:
        return ngettext("de woordenlijst voor tikfouten mist de varianten van {count} woord (zoekindex herbouwen)",
                        "de woordenlijst voor tikfouten mist de varianten van {count} woorden (zoekindex herbouwen)",
                        bare).format(count=bare)
    return None


def refresh_stats(db: Database) -> None:
    """Refresh the planner's statistics and the per-trigram counts (about a second at a million customers).

    The counts are estimated from a sample of STATS_SAMPLE_ROWS customers (REPEATABLE, so the same
    table gives the same counts): a trigram no sampled customer holds counts as 0, i.e. rare.
    """
    db.execute_sql("ANALYZE customer")
    for statement in STATS_DDL:
        db.execute_sql(statement)
    total = db.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
    percent = 100.0 if total <= STATS_SAMPLE_ROWS else 100.0 * STATS_SAMPLE_ROWS / total
    db.execute_sql(f"DELETE FROM {STATS_TABLE}")
    db.execute_sql(
        f"WITH s AS MATERIALIZED (SELECT search_text FROM customer TABLESAMPLE BERNOULLI (%s) REPEATABLE (17)) "
        f"INSERT INTO {STATS_TABLE} (trigram, docs) "
        "SELECT t, ceil(count(*) * %s::float8 / greatest((SELECT count(*) FROM s), 1))::bigint "
        "FROM s, unnest(show_trgm(s.search_text)) t WHERE t ~ '^[0-9a-z]{3}$' GROUP BY t", (percent, total))
    db.execute_sql(f"INSERT INTO {STATS_TABLE} (trigram, docs) VALUES ('', %s)", (total,))
    _COUNTS.pop(db, None)


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
    return words_problem(db)


# --- queries -------------------------------------------------------------------------------------

def _blocked_sql(alias: str = "") -> tuple[str, list[Any]]:
    """SQL condition (and its parameter): blocked, and the block has not lapsed (data/blocking.py's rule)."""
    return blocking.active_block_sql(alias, "", "%s", clock.today())


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


# --- steering: which trigrams to ask the index for -------------------------------------------------

# Counts already read, per database: {trigram: customers}, read again after COUNTS_SECONDS (another
# process may have refreshed them). An absent or unreadable table is remembered as None for as long.
COUNTS_SECONDS = 300.0
_COUNTS: "weakref.WeakKeyDictionary[Database, tuple[float, dict[str, int] | None]]" = weakref.WeakKeyDictionary()
# The index narrows on the rarest steps (see _steering) until one leaves at most this many candidates,
# at most MAX_STEERING: each further step costs a posting list in the index, each candidate a heap row.
STEER_UNTIL = 300
MAX_STEERING = 4


def _candidate_trigrams(text: str) -> list[str]:
    """The trigrams of [0-9a-z] in a text (the first 60 positions), in order: what pg_trgm indexes of it."""
    found = []
    for i in range(min(len(text) - 2, 60)):
        trigram = text[i:i + 3]
        if trigram.isascii() and trigram.isalnum():
            found.append(trigram)
    return list(dict.fromkeys(found))


def _trigram_counts(terms: list[str]) -> dict[str, int] | None:
    """How many customers hold each trigram ('' = all customers), by the last refresh; None without counts."""
    db = bound_db()
    now = time.monotonic()
    read_at, known = _COUNTS.get(db, (0.0, None))
    if now - read_at > COUNTS_SECONDS:
        # absent (not rebuilt since) or not readable by this login (made before its role had the grant)
        present = fetch_rows("SELECT coalesce(has_table_privilege(to_regclass(%s), 'SELECT'), false)", [STATS_TABLE])[0][0]
        known = dict(fetch_rows(f"SELECT trigram, docs FROM {STATS_TABLE} WHERE trigram = ''", [])) if present else None
        _COUNTS[db] = (now, known)
    if known is None or not known.get(""):
        return None
    missing = [term for term in dict.fromkeys(terms) if term not in known]
    if missing:
        rows = dict(fetch_rows(f"SELECT trigram, docs FROM {STATS_TABLE} WHERE trigram = ANY(%s)", [missing]))
        known.update({term: rows.get(term, 0) for term in missing})
    return known


def _steps(group: list[str], counts: dict[str, int]) -> list[tuple[int, list[str]]]:
    """What the index may be asked for one group, rarest first: (customers, texts of which one must occur).

    A group of alternatives gives one step, the rarest trigram of each text (the trigrams of a word go
    together, so more of them only cost time). A number alone gives up to three steps: its digits are
    close to independent, so each further trigram divides the candidates (those that do not overlap
    the ones taken first).
    """
    if len(group) > 1 or not any(ch.isdigit() for ch in group[0]):
        estimate, patterns = 0, []
        for text in group:
            ranked = sorted(_candidate_trigrams(text), key=lambda t: counts.get(t, 0))
            if ranked:
                estimate += counts.get(ranked[0], 0)
                patterns.append(ranked[0])
            else:  # another script: pg_trgm takes the whole text
                patterns.append(text)
        return [(estimate, list(dict.fromkeys(patterns)))]
    word = group[0]
    positions = {word[i:i + 3]: i for i in reversed(range(min(len(word) - 2, 60)))}
    ranked = sorted((t for t in positions if t.isascii() and t.isalnum()), key=lambda t: (counts.get(t, 0), positions[t]))
    picked: list[str] = []
    for trigram in ranked:  # first those that do not overlap the ones picked, then the others
        if all(abs(positions[trigram] - positions[other]) >= 3 for other in picked):
            picked.append(trigram)
    picked += [trigram for trigram in ranked if trigram not in picked]
    return [(counts.get(t, 0), [t]) for t in picked[:3]] or [(0, [word])]


def _steering(groups: list[list[str]]) -> tuple[str, list[str]] | None:
    """SQL (and parameters) asking the index for the rarest steps of the groups (see _steps).

    Every step is one condition the trigram index answers (`LIKE '%tri%'`, or a regular expression
    `(tri|gra)` for alternatives, which pg_trgm also turns into trigrams): the planner puts all of them
    into one index scan, where it would weigh an OR of LIKEs as a BitmapOr and might leave it out.

    Steps are taken rarest first, at most MAX_STEERING, until one alone leaves at most STEER_UNTIL
    candidates. Words of one name or one town go together (Sint-Katelijne-Waver, Leuze-en-Hainaut), so
    the product of their shares would promise far fewer candidates than remain; a further step costs
    little in the index (it skips through the longer lists) and saves a heap visit per candidate.
    Groups holding a text shorter than three characters cannot steer. None without counts or without
    a group that can steer.
    """
    usable = [group for group in groups if all(len(text) >= 3 for text in group)]
    if not usable:
        return None
    counts = _trigram_counts([t for group in usable for text in group for t in _candidate_trigrams(text)])
    if counts is None:
        return None
    steps = sorted((step for group in usable for step in _steps(group, counts)), key=lambda step: step[0])
    sql, params = [], []
    for estimate, texts in steps[:MAX_STEERING]:
        if len(texts) == 1:
            sql.append("c.search_text LIKE %s")
            params.append(_like(texts[0]))
        else:  # one regular expression, not an OR of LIKEs the planner might leave out of the index scan
            sql.append("c.search_text ~ %s")
            params.append("(" + "|".join(_regex_literal(text) for text in texts) + ")")
        if estimate <= STEER_UNTIL:
            break
    return " AND ".join(sql), params


def _regex_literal(text: str) -> str:
    """text as a literal inside a PostgreSQL regular expression."""
    return "".join("\\" + ch if ch in "\\^$.|?*+()[]{}" else ch for ch in text)


def _checks(groups: list[list[str]]) -> tuple[str, list[str]]:
    """SQL: for every group the search text holds one of its texts (strpos(), which the index cannot answer)."""
    sql = "".join(" AND (" + " OR ".join("strpos(c.search_text, %s) > 0" for _ in group) + ")" for group in groups)
    return sql, [text for group in groups for text in group]


def _steered(groups: list[list[str]], limit: int, columns: str) -> list[tuple] | None:
    """Rows of customers holding one text of every group, found through the steering trigrams (in the
    order the bitmap scan meets them); None without counts.

    The planner cannot estimate strpos(): with a LIMIT it may think a scan of every customer stops
    early, so this statement runs with sequential scans off (SET LOCAL: this statement's implicit
    transaction only, or switched back on when the caller holds a transaction).
    """
    steering = _steering(groups)
    if steering is None:
        return None
    index_sql, index_params = steering
    checks, params = _checks(groups)
    sql = f"SET LOCAL enable_seqscan = off; SELECT {columns} FROM customer c WHERE {index_sql}{checks} LIMIT %s"
    rows = fetch_rows(sql, [*index_params, *params, limit])
    if bound_db().in_transaction():
        bound_db().execute_sql("SET LOCAL enable_seqscan = on")
    return rows


def _steered_ids(groups: list[list[str]], limit: int) -> list[int] | None:
    """Ids of customers holding one text of every group, sorted; None without counts (see _steered)."""
    rows = _steered(groups, limit, "c.id")
    return None if rows is None else sorted(row[0] for row in rows)


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
        steered = _steered_ids([[word] for word in words], limit)
        if steered is not None:
            return steered
        sql = f"SELECT c.id FROM customer c WHERE true{checks} LIMIT %s"
        return sorted(row[0] for row in fetch_rows(sql, [*params, limit]))
    pairs = [word for word in words if len(word) == 2 and word.isascii()]  # other scripts: a bounded scan
    if not pairs:
        return _scan_ids(words, limit, SINGLE_CHAR_SCAN_ROWS)[0]
    found, complete = _scan_ids(words, limit, QUICK_SCAN_ROWS)
    if complete:
        return found
    pair_sql, pair_params = _pair_condition(pairs[0])
    sql = f"SELECT c.id FROM customer c WHERE {pair_sql}{checks} LIMIT %s"
    return sorted(row[0] for row in fetch_rows(sql, [*pair_params, *params, limit]))


def blocked_vat_numbers(vat_numbers: list[str]) -> set[str]:
    """Those of the BTW-nummers that belong to a customer blocked today (one query, as the search rows ask)."""
    if not vat_numbers:
        return set()
    extra, params = _blocked_sql()
    marks = ", ".join("%s" for _ in vat_numbers)
    sql = f"SELECT DISTINCT vat_number FROM customer WHERE vat_number IN ({marks}){extra}"
    return {row[0] for row in fetch_rows(sql, [*vat_numbers, *params])}


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


def any_of_ids(groups: list[list[str]], limit: int, blocked_only: bool) -> list[int]:
    """Customers whose search text holds, for every group, at least one of its texts; in id order.

    The town and typo tiers ask this once for all their alternatives. The rarest groups steer the
    index (each text's rarest trigram, see _steering); strpos() checks every group on the candidates.
    Without trigram counts every group is an OR of LIKEs, which the index answers whole (BitmapOr).
    """
    groups = [list(dict.fromkeys(group)) for group in groups if group]
    if all(len(group) == 1 for group in groups):
        return contains_ids([group[0] for group in groups], limit, blocked_only)
    sql, params = _like_groups(groups)
    if blocked_only:
        extra, blocked = _blocked_sql("c")
        query = f'SELECT c.id FROM customer c WHERE true{extra}{sql} ORDER BY c.name_norm COLLATE "C", c.id LIMIT %s'
        return [row[0] for row in fetch_rows(query, [*blocked, *params, limit])]
    steered = _steered_ids(groups, limit)
    if steered is not None:
        return steered
    return sorted(row[0] for row in fetch_rows(f"SELECT c.id FROM customer c WHERE true{sql} LIMIT %s", [*params, limit]))


def _like_groups(groups: list[list[str]]) -> tuple[str, list[str]]:
    """SQL: for every group one of its texts, an OR of LIKEs the index answers whole (texts of three or more)."""
    sql, params = "", []
    for group in groups:
        terms = []
        for text in group:
            if len(text) >= 3:
                terms.append("c.search_text LIKE %s")
                params.append(_like(text))
            else:
                terms.append("strpos(c.search_text, %s) > 0")
                params.append(text)
        sql += " AND (" + " OR ".join(terms) + ")"
    return sql, params


def any_of_rows(groups: list[list[str]], limit: int) -> list[tuple[int, str]] | None:
    """(id, search text) of customers holding one text of every group, in id order, at most `limit`
    (which ones when more match: see contains_ids). None when the index cannot answer it."""
    groups = [list(dict.fromkeys(group)) for group in groups if group]
    if not any(all(len(text) >= 3 for text in group) for group in groups):
        return None
    rows = _steered(groups, limit, "c.id, c.search_text")
    if rows is None:
        sql, params = _like_groups(groups)
        rows = fetch_rows(f"SELECT c.id, c.search_text FROM customer c WHERE true{sql} LIMIT %s", [*params, limit])
    return sorted((row[0], row[1]) for row in rows)
