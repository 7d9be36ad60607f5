"""The SQLite side of the search seam: an FTS5 trigram index over customer.search_text, and the queries.

The index (schema version 3) is `detail=none`: it stores which customers contain a trigram, not
where. A query asks the index for customers holding the first and the last trigram of every word
of three or more characters, and SQLite then checks each candidate's search text with instr() for
every word. So the index only narrows; the answer is always checked against the text itself, and
user text never reaches FTS5 as syntax (only trigrams of [0-9a-z ] in double quotes do).
Two-character words use the trigrams that contain them; one-character words are checked by a
scan that stops at the limit. Every path stops at its LIMIT: no ORDER BY over every match of a
broad term (only over the blocked customers, who are few, when only they are asked for).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Any, Iterator

from peewee import Database, OperationalError

from klantbeheer.data import blocking, clock
from klantbeheer.data.i18n import ngettext
from klantbeheer.data.search.common import SUMMARY_COLUMNS, IndexCheckBusy, bound_db, fetch_rows, pair_trigrams

INDEX_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5(search_text, content='customer', "
    "content_rowid='id', tokenize='trigram case_sensitive 1', detail=none, columnsize=0)"
)
TRIGGER_DDL = [
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE OF search_text, id ON customer "
    "WHEN old.search_text IS NOT new.search_text OR old.id IS NOT new.id BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
TRIGGERS = ["customer_fts_ai", "customer_fts_ad", "customer_fts_au"]
STATS_DDL = "CREATE TABLE IF NOT EXISTS customer_fts_stats (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID"
# The vocabulary of the typo look-up (data/search/typos.py), kept in step by triggers on every write:
# a customer's words (letters only, 4 to 20 characters) go into search_word, and each new word's forms
# with one character deleted (two from 7 characters) into search_word_delete. Words of deleted
# customers stay (harmless: every candidate is checked against the texts); a rebuild drops them.
_JSON_WORDS = "json_each('[\"' || replace(replace({0}, ' | ', ' '), ' ', '\",\"') || '\"]')"
_WORD_FILTER = "length({0}) BETWEEN 4 AND 20 AND {0} NOT GLOB '*[0-9]*'"
_WORDS_OF = f"SELECT DISTINCT value FROM {_JSON_WORDS} WHERE {_WORD_FILTER.format('value')}"
WORDS_DDL = [
    "CREATE TABLE IF NOT EXISTS search_word (word TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_word_delete (variant TEXT NOT NULL, word TEXT NOT NULL, "
    "PRIMARY KEY (variant, word)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS search_position (n INTEGER PRIMARY KEY)",
    "INSERT OR IGNORE INTO search_position (n) VALUES " + ", ".join(f"({n})" for n in range(1, 21)),
    "CREATE TRIGGER IF NOT EXISTS search_word_ai AFTER INSERT ON search_word BEGIN "
    "INSERT OR IGNORE INTO search_word_delete (variant, word) "
    "SELECT substr(new.word, 1, p.n - 1) || substr(new.word, p.n + 1), new.word FROM search_position p "
    "WHERE p.n <= length(new.word); "
    "INSERT OR IGNORE INTO search_word_delete (variant, word) "
    "SELECT substr(new.word, 1, a.n - 1) || substr(new.word, a.n + 1, b.n - a.n - 1) || substr(new.word, b.n + 1), "
    "new.word FROM search_position a JOIN search_position b ON b.n > a.n "
    "WHERE length(new.word) >= 7 AND b.n <= length(new.word); END",
]
WORD_TRIGGER_DDL = [
    "CREATE TRIGGER IF NOT EXISTS customer_words_ai AFTER INSERT ON customer BEGIN "
    f"INSERT OR IGNORE INTO search_word (word) {_WORDS_OF.format('new.search_text')}; END",
    "CREATE TRIGGER IF NOT EXISTS customer_words_au AFTER UPDATE OF search_text ON customer "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    f"INSERT OR IGNORE INTO search_word (word) {_WORDS_OF.format('new.search_text')}; END",
]
WORD_TRIGGERS = ["customer_words_ai", "customer_words_au"]
BLOCKED_INDEX = "customer_blocked_name"
BLOCKED_INDEX_DDL = f"CREATE INDEX IF NOT EXISTS {BLOCKED_INDEX} ON customer(name_norm) WHERE blocked = 1"
# Scans are bounded in SQLite VM steps (about four per row that fails the first check), not in time,
# so the same data and query always give the same answer. A scan for two-character words first
# tries this many steps (a dense word fills the page at once), then uses the index.
QUICK_SCAN_STEPS = 20_000
# One-character words have no index; their scan stops after this many steps (about 60,000 rows).
SINGLE_CHAR_SCAN_STEPS = 250_000
_STEP_GRAIN = 1000


def install(db: Database, words: set[str] | None = None) -> None:
    """Create the index, the vocabulary and the triggers that keep them in step with the customer table, then fill them."""
    db.execute_sql(INDEX_DDL)
    for statement in TRIGGER_DDL + WORDS_DDL + WORD_TRIGGER_DDL:
        db.execute_sql(statement)
    rebuild(db, words)


def uninstall(db: Database) -> None:
    """Drop the triggers and the index (a migration replacing the index)."""
    drop_triggers(db)
    for table in ("search_word", "search_word_delete", "search_position"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
    db.execute_sql("DROP TABLE IF EXISTS customer_fts")
    db.execute_sql("DROP TABLE IF EXISTS customer_fts_stats")


def drop_triggers(db: Database) -> None:
    """Remove the sync triggers (bulk loading only; call install() afterwards)."""
    for name in TRIGGERS + WORD_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(db: Database, words: set[str] | None = None) -> None:
    """Rebuild the whole index from the customer table, then merge it into one segment.

    'rebuild' leaves about a dozen segments at a million customers; a query then walks each term's
    doclist in every one of them. 'optimize' (about 3 s at a million) halves the cost of broad queries.
    """
    db.execute_sql("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
    db.execute_sql("INSERT INTO customer_fts(customer_fts) VALUES ('optimize')")
    refresh_stats(db)
    rebuild_words(db, words)


def rebuild_words(db: Database, words: set[str] | None = None) -> None:
    """Refill the typo vocabulary from the customers' search texts (words of deleted customers go).

    With `words` (a bulk loader's own vocabulary, about 7 s faster at a million customers) those are
    added to what is there instead; `check` verifies the result like any other.
    """
    if words is not None:
        db.cursor().executemany("INSERT OR IGNORE INTO search_word (word) VALUES (?)", [(w,) for w in sorted(words)])
        return
    db.execute_sql("DELETE FROM search_word_delete")
    db.execute_sql("DELETE FROM search_word")
    db.execute_sql(f"INSERT OR IGNORE INTO search_word (word) SELECT w.value FROM customer c, "
                   f"{_JSON_WORDS.format('c.search_text')} w WHERE {_WORD_FILTER.format('w.value')}")


def words_problem(db: Database) -> str | None:
    """None when every word of every customer is in the typo vocabulary with its deletion forms, else Dutch."""
    missing = db.execute_sql(
        f"SELECT count(*) FROM customer c, {_JSON_WORDS.format('c.search_text')} w "
        f"WHERE {_WORD_FILTER.format('w.value')} AND NOT EXISTS (SELECT 1 FROM search_word s WHERE s.word = w.value)"
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
    """Record how many customers hold each trigram (about 1.5 s at a million), to pick the rarest per word.

    The numbers only steer which trigrams a query asks the index for; stale numbers cost speed, never
    results. They are refreshed whenever the index is rebuilt (migration, demo bulk load).
    """
    db.execute_sql(STATS_DDL)
    db.execute_sql("CREATE VIRTUAL TABLE IF NOT EXISTS temp.customer_fts_vocab USING fts5vocab(main, customer_fts, row)")
    db.execute_sql("DELETE FROM customer_fts_stats")
    db.execute_sql("INSERT INTO customer_fts_stats (term, docs) SELECT term, doc FROM temp.customer_fts_vocab")
    # The empty term holds the number of customers (trigrams are never empty).
    db.execute_sql("INSERT OR REPLACE INTO customer_fts_stats (term, docs) SELECT '', count(*) FROM customer")
    db.execute_sql("DROP TABLE temp.customer_fts_vocab")


# FTS5's integrity check is an INSERT, so it needs the write lock: `check` waits this long for it, not
# the busy timeout, and says the index was not checked when a writer (an import) holds the lock.
INDEX_CHECK_WAIT_MS = 2000


def integrity_problem(db: Database) -> str | None:
    """Run FTS5's own integrity check; return its message, or None when the index is sound; IndexCheckBusy while a writer holds the lock."""
    before = int(db.execute_sql("PRAGMA busy_timeout").fetchone()[0])
    db.execute_sql(f"PRAGMA busy_timeout = {INDEX_CHECK_WAIT_MS}")
    try:
        db.execute_sql("INSERT INTO customer_fts(customer_fts, rank) VALUES ('integrity-check', 1)")
    except (sqlite3.OperationalError, OperationalError) as problem:
        if "locked" in str(problem) or "busy" in str(problem):
            raise IndexCheckBusy(str(problem)) from None
        return str(problem)
    except Exception as problem:  # sqlite3.DatabaseError: the index disagrees with the table
        return str(problem)
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {before}")
    return words_problem(db)


# --- queries -------------------------------------------------------------------------------------

def _blocked_sql(alias: str = "") -> tuple[str, list[Any]]:
    """SQL condition (and its parameter): blocked, and the block has not lapsed (data/blocking.py's rule)."""
    return blocking.active_block_sql(alias, " = 1", "?", clock.today().isoformat())


def exact_ids(number: int | None, refs: list[str], vat: str, blocked_only: bool) -> list[int]:
    """Customers whose number, external ref or VAT number equals the query, in that order."""
    extra, params = _blocked_sql() if blocked_only else ("", [])
    found: list[int] = []
    if number is not None:
        found += [row[0] for row in fetch_rows(f"SELECT id FROM customer WHERE number = ?{extra}", [number, *params])]
    if refs:
        marks = ", ".join("?" for _ in refs)
        sql = f"SELECT id FROM customer WHERE external_ref IN ({marks}){extra} LIMIT 20"
        found += [row[0] for row in fetch_rows(sql, [*refs, *params])]
    if vat:
        found += [row[0] for row in fetch_rows(f"SELECT id FROM customer WHERE vat_number = ?{extra} LIMIT 20", [vat, *params])]
    return found


def name_prefix_ids(prefix: str, limit: int, blocked_only: bool) -> list[int]:
    """Customers whose normalised name starts with prefix, in name order (b-tree range, LIMIT)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if blocked_only:
        extra, params = _blocked_sql()
        sql = (f"SELECT id FROM customer INDEXED BY {BLOCKED_INDEX} WHERE name_norm >= ? AND name_norm < ?{extra} "
               "ORDER BY name_norm LIMIT ?")
        return [row[0] for row in fetch_rows(sql, [prefix, upper, *params, limit])]
    sql = "SELECT id FROM customer WHERE name_norm >= ? AND name_norm < ? ORDER BY name_norm LIMIT ?"
    return [row[0] for row in fetch_rows(sql, [prefix, upper, limit])]


def _quote(term: str) -> str:
    """An FTS5 string literal (the term is a trigram of normalised text; quotes doubled anyway)."""
    return '"' + term.replace('"', '""') + '"'


def _word_trigrams(word: str) -> list[str]:
    """The trigrams to ask the index for one word of three or more characters (instr() checks the rest).

    Letters: the first and the last trigram (the trigrams of a name go together, so more of them only
    cost time). Digits: trigrams that do not overlap, covering the word (digits are close to independent,
    so each one divides the candidates).
    """
    if not any(ch.isdigit() for ch in word):
        return list(dict.fromkeys([word[:3], word[-3:]]))
    # A long number's first trigram is its most common one (be0..., 0xx...): skip it when others remain.
    start = 3 if len(word) >= 6 else 0
    return list(dict.fromkeys([word[i:i + 3] for i in range(start, len(word) - 2, 3)] + [word[-3:]]))


def _pair_group(pair: str) -> str:
    """FTS5 expression: any trigram containing a two-character word (text is never shorter than 3)."""
    return "(" + " OR ".join(_quote(term) for term in pair_trigrams(pair)) + ")"


def _trigram_counts(terms: list[str]) -> dict[str, int] | None:
    """How many customers held each trigram when the index was last rebuilt (None without statistics)."""
    marks = ", ".join("?" for _ in terms)
    try:
        rows = fetch_rows(f"SELECT term, docs FROM customer_fts_stats WHERE term IN ({marks})", terms)
    except (sqlite3.OperationalError, OperationalError):  # a database without the statistics table
        return None
    if not rows and not fetch_rows("SELECT 1 FROM customer_fts_stats LIMIT 1", []):
        return None
    return dict(rows)


# Checking one candidate (reading its row, instr() on its text) costs about as much as walking this many
# entries of a trigram's list in the index's AND (measured at a million customers: 0.7 to 6.5 us, as its
# page is cached or not, against about 10 ns an entry). A further trigram is asked for only while the
# candidates it would remove cost more than its list (300: the bench mix's fastest of 100, 300 and 1000).
CANDIDATE_COST = 300
# The words of one name or town go together (Bilzen-Hoeselt: `hoeselt` removes nobody `bilzen` left), so for
# that rule a trigram is taken to keep at least this share of the candidates, however rare it is.
LEAST_SHARE = 0.1


def _worth_walking(candidates: float, entries: int) -> bool:
    """Whether walking a further list of `entries` costs less than checking the `candidates` left."""
    return candidates * CANDIDATE_COST > entries


_LOOK_UP: Any = object()  # _chosen_trigrams: read the counts itself


def _chosen_trigrams(long_words: list[str], counts: dict[str, int] | None = _LOOK_UP) -> list[str]:
    """Which trigrams to ask the index for: per word the one fewest customers hold (by the statistics).

    The index's AND costs about the summed length of the lists it walks, so one rare trigram per word
    beats several common ones: the trigrams of a name go together. The digits of a number are close to
    independent, so a number adds more rare trigrams that do not overlap while many candidates remain.
    Rarest first, a further trigram is left out (with all more common ones) when checking the candidates
    it would remove costs less than walking its list (_worth_walking): `van`, `den` or a common company
    word then costs nothing when a rare word has left a few hundred candidates.
    Without statistics the heuristic of _word_trigrams decides. instr() checks the whole words.
    `counts` may hold what _trigram_counts gave for (at least) these words' trigrams and "".
    """
    positions = {word: {word[i:i + 3]: i for i in range(min(len(word) - 2, 60))} for word in long_words}
    if counts is _LOOK_UP:
        counts = _trigram_counts(["", *dict.fromkeys(t for terms in positions.values() for t in terms)])
    if counts is None or not counts.get(""):
        return list(dict.fromkeys(t for w in long_words for t in _word_trigrams(w)))
    total = counts[""]
    steps: list[tuple[int, float, str]] = []  # (customers holding it, share of candidates it keeps, trigram)
    for word, terms in positions.items():
        ranked = sorted(terms, key=lambda t: (counts.get(t, 0), terms[t]))
        picked = [ranked[0]]
        estimate = counts.get(ranked[0], 0)
        steps.append((estimate, estimate / total, ranked[0]))
        if any(ch.isdigit() for ch in word):
            # first trigrams that do not overlap the picked ones, then (short numbers) the others
            for term in sorted(ranked[1:], key=lambda t: any(abs(terms[t] - terms[o]) < 3 for o in picked)):
                if estimate <= 50 or len(picked) == 4:
                    break
                overlapping = any(abs(terms[term] - terms[other]) < 3 for other in picked)
                picked.append(term)
                share = 0.1 if overlapping else counts.get(term, 0) / total
                estimate = estimate * share
                steps.append((counts.get(term, 0), share, term))
    steps.sort(key=lambda step: step[0])  # rarest first (stable: a number's own order among equals)
    chosen, left = [steps[0][2]], float(steps[0][0])
    for held, share, term in steps[1:]:
        if not _worth_walking(left, held):
            break
        chosen.append(term)
        left *= max(share, LEAST_SHARE)
    return list(dict.fromkeys(chosen))


def match_expression(words: list[str]) -> str | None:
    """What to ask the index for these words, or None when no word has two characters or more."""
    long_words = [word for word in words if len(word) >= 3]
    if long_words:
        return " AND ".join(_quote(term) for term in _chosen_trigrams(long_words))
    pairs = [word for word in words if len(word) == 2 and word.isascii()]  # other scripts: a bounded scan
    return _pair_group(pairs[0]) if pairs else None


def _checks(words: list[str], alias: str) -> str:
    """SQL: every word occurs in the search text."""
    return "".join(f" AND instr({alias}.search_text, ?) > 0" for _ in words)


@contextmanager
def _step_limit(steps: int) -> Iterator[list[bool]]:
    """Interrupt the statement running on this thread's connection after about `steps` VM steps."""
    connection: sqlite3.Connection = bound_db().connection()
    left = [steps // _STEP_GRAIN]
    stopped = [False]

    def check() -> int:
        left[0] -= 1
        if left[0] < 0:
            stopped[0] = True
            return 1
        return 0

    connection.set_progress_handler(check, _STEP_GRAIN)
    try:
        yield stopped
    finally:
        connection.set_progress_handler(None, 0)


def _scan_ids(words: list[str], limit: int, steps: int) -> tuple[list[int], bool]:
    """Customers containing every word by a scan in id order: (ids, complete) within `steps`."""
    sql = f"SELECT c.id FROM customer c WHERE 1{_checks(words, 'c')} LIMIT ?"
    found: list[int] = []
    with _step_limit(steps) as stopped:
        try:
            for row in bound_db().execute_sql(sql, [*words, limit]):
                found.append(row[0])
        except (sqlite3.OperationalError, OperationalError):  # interrupted by _step_limit
            if not stopped[0]:
                raise
    return found, not stopped[0]


def contains_ids(words: list[str], limit: int, blocked_only: bool) -> list[int]:
    """Customers whose search text contains every word, in id order (or name order when blocked only).

    With a word of three or more characters the index finds them all. With two-character words a
    short scan serves dense words, the index the rest. With only one-character words a scan serves
    them: every character is common in a real customer base, so it stops at the limit at once; a
    character almost nobody has in a very large table may end the scan after SINGLE_CHAR_SCAN_STEPS
    with fewer results (then count() is a lower bound).
    """
    if blocked_only:
        extra, params = _blocked_sql("c")
        sql = (f"SELECT c.id FROM customer c INDEXED BY {BLOCKED_INDEX} WHERE 1{extra}{_checks(words, 'c')} "
               "ORDER BY c.name_norm LIMIT ?")
        return [row[0] for row in fetch_rows(sql, [*params, *words, limit])]
    expression = match_expression(words)
    if expression is None:
        return _scan_ids(words, limit, SINGLE_CHAR_SCAN_STEPS)[0]
    if not any(len(word) >= 3 for word in words):
        found, complete = _scan_ids(words, limit, QUICK_SCAN_STEPS)
        if complete:
            return found
    sql = ("SELECT c.id FROM customer_fts CROSS JOIN customer c ON c.id = customer_fts.rowid "
           f"WHERE customer_fts MATCH ?{_checks(words, 'c')} LIMIT ?")
    return [row[0] for row in fetch_rows(sql, [expression, *words, limit])]


def blocked_vat_numbers(vat_numbers: list[str]) -> set[str]:
    """Those of the BTW-nummers that belong to a customer blocked today (one query, as the search rows ask)."""
    if not vat_numbers:
        return set()
    extra, params = _blocked_sql()
    marks = ", ".join("?" for _ in vat_numbers)
    sql = f"SELECT DISTINCT vat_number FROM customer WHERE vat_number IN ({marks}){extra}"
    return {row[0] for row in fetch_rows(sql, [*vat_numbers, *params])}


def recent_ids(limit: int, blocked_only: bool) -> list[int]:
    """The most recently changed customers (an empty search)."""
    if blocked_only:
        extra, params = _blocked_sql()
        sql = f"SELECT id FROM customer INDEXED BY {BLOCKED_INDEX} WHERE 1{extra} ORDER BY updated_at DESC, id DESC LIMIT ?"
        return [row[0] for row in fetch_rows(sql, [*params, limit])]
    return [row[0] for row in fetch_rows("SELECT id FROM customer ORDER BY updated_at DESC, id DESC LIMIT ?", [limit])]


def summaries(ids: list[int]) -> list[tuple]:
    """Rows of SUMMARY_COLUMNS for ids (any order)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return fetch_rows(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM customer WHERE id IN ({marks})", list(ids))


def _steering(groups: list[list[str]]) -> str | None:
    """The index expression: the rarest groups whose texts all have three characters or more, while many
    candidates would remain and walking the group's lists costs less than checking them (each group an OR
    of its texts' trigrams)."""
    usable = [g for g in groups if all(len(t) >= 3 for t in g)]
    if not usable:
        return None
    counts = _trigram_counts(["", *dict.fromkeys(t[i:i + 3] for g in usable for t in g for i in range(min(len(t) - 2, 60)))])
    total = (counts or {}).get("", 0)
    planned = []
    for group in usable:
        per_text = [_chosen_trigrams([text], counts) for text in group]
        estimate = sum(min((counts or {}).get(t, 0) for t in terms) for terms in per_text) if counts else 0
        walked = sum((counts or {}).get(t, 0) for terms in per_text for t in terms)
        expression = "(" + " OR ".join("(" + " AND ".join(_quote(t) for t in terms) + ")" for terms in per_text) + ")"
        planned.append((estimate, walked, expression, set(group)))
    planned.sort(key=lambda item: item[0])
    if not total:
        return " AND ".join(expression for _, _, expression, _ in planned)
    chosen, least, taken = [], float(total), set()
    for estimate, walked, expression, texts in planned:  # rarest first, while many candidates would remain
        if texts & taken:
            # shares a text with a group already asked for (`hautem saint lievin`: each word may be
            # `sint lievens houtem`): the customers holding that text pass both, so it narrows little
            continue
        if chosen and not _worth_walking(least, walked):
            break
        taken |= texts
        chosen.append(expression)
        least = estimate if len(chosen) == 1 else least * max(estimate / total, LEAST_SHARE)
        if least <= 50 or len(chosen) == 3:
            break
    return " AND ".join(chosen)


def any_of_ids(groups: list[list[str]], limit: int, blocked_only: bool) -> list[int]:
    """Customers whose search text holds, for every group, at least one of its texts; in id order.

    The town and typo tiers ask this once for all their alternatives (other names of a town,
    corrections of a word). The rarest groups steer the index (an OR of each text's trigrams);
    every group is checked with instr() on the candidates.
    """
    groups = [list(dict.fromkeys(group)) for group in groups if group]
    if all(len(group) == 1 for group in groups):
        return contains_ids([group[0] for group in groups], limit, blocked_only)
    checks = "".join(" AND (" + " OR ".join("instr(c.search_text, ?) > 0" for _ in group) + ")" for group in groups)
    params = [text for group in groups for text in group]
    if blocked_only:
        extra, blocked = _blocked_sql("c")
        sql = (f"SELECT c.id FROM customer c INDEXED BY {BLOCKED_INDEX} WHERE 1{extra}{checks} "
               "ORDER BY c.name_norm LIMIT ?")
        return [row[0] for row in fetch_rows(sql, [*blocked, *params, limit])]
    expression = _steering(groups)
    if expression is None:
        sql = f"SELECT c.id FROM customer c WHERE 1{checks} LIMIT ?"
        found: list[int] = []
        with _step_limit(SINGLE_CHAR_SCAN_STEPS) as stopped:
            try:
                for row in bound_db().execute_sql(sql, [*params, limit]):
                    found.append(row[0])
            except (sqlite3.OperationalError, OperationalError):  # interrupted by _step_limit
                if not stopped[0]:
                    raise
        return found
    sql = ("SELECT c.id FROM customer_fts CROSS JOIN customer c ON c.id = customer_fts.rowid "
           f"WHERE customer_fts MATCH ?{checks} LIMIT ?")
    return [row[0] for row in fetch_rows(sql, [expression, *params, limit])]


def any_of_rows(groups: list[list[str]], limit: int) -> list[tuple[int, str]] | None:
    """(id, search text) of customers holding one text of every group, in id order, at most `limit`.

    As any_of_ids, with the texts (the tiers are told apart from them); None when no group can steer
    the index (a scan would stop at its bound and the answer could be incomplete).
    """
    groups = [list(dict.fromkeys(group)) for group in groups if group]
    expression = _steering(groups)
    if expression is None:
        return None
    checks = "".join(" AND (" + " OR ".join("instr(c.search_text, ?) > 0" for _ in group) + ")" for group in groups)
    sql = ("SELECT c.id, c.search_text FROM customer_fts CROSS JOIN customer c ON c.id = customer_fts.rowid "
           f"WHERE customer_fts MATCH ?{checks} LIMIT ?")
    return [(row[0], row[1]) for row in fetch_rows(sql, [expression, *[t for g in groups for t in g], limit])]
