"""Version 8: every script searchable, Belgian name particles written together, and the typo vocabulary.

The search text now keeps letters of every script (Cyrillic, Greek, Arabic, CJK, ...) instead of
dropping them, and adds each run of name particles joined to the next word ("van den broeck" also
as "vandenbroeck"). Every customer's name_norm and search_text are rebuilt with the copy of the
builder below. Then the typo vocabulary (search_word, search_word_delete) and the triggers that
keep it in step with the customer table are created and filled; see data/search/typos.py.

Frozen: every statement and the text builder are written out here, so next year's code does not change this step.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from peewee import Database

_JOINERS = re.compile(r"['’`´.]")
_SEPARATORS = re.compile(r"[\W_]+")
PARTICLES = frozenset({"van", "vande", "vanden", "vander", "de", "den", "der", "d", "t", "het", "ten", "ter", "te",
                       "le", "la", "les", "du", "des", "di", "da", "dal", "del", "della", "op", "in", "s"})
COLUMNS = ["id", "name", "number", "external_ref", "vat_number", "postcode", "city", "email", "phone", "fax", "mobile",
           "name_norm", "search_text"]

SQLITE_WORDS = [
    'CREATE TABLE IF NOT EXISTS search_word (word TEXT PRIMARY KEY) WITHOUT ROWID',
    'CREATE TABLE IF NOT EXISTS search_word_delete (variant TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (variant, word)) WITHOUT ROWID',
    'CREATE TABLE IF NOT EXISTS search_position (n INTEGER PRIMARY KEY)',
    'INSERT OR IGNORE INTO search_position (n) VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20)',
    'CREATE TRIGGER IF NOT EXISTS search_word_ai AFTER INSERT ON search_word BEGIN INSERT OR IGNORE INTO search_word_delete (variant, word) SELECT substr(new.word, 1, p.n - 1) || substr(new.word, p.n + 1), new.word FROM search_position p WHERE p.n <= length(new.word); INSERT OR IGNORE INTO search_word_delete (variant, word) SELECT substr(new.word, 1, a.n - 1) || substr(new.word, a.n + 1, b.n - a.n - 1) || substr(new.word, b.n + 1), new.word FROM search_position a JOIN search_position b ON b.n > a.n WHERE length(new.word) >= 7 AND b.n <= length(new.word); END',
    'CREATE TRIGGER IF NOT EXISTS customer_words_ai AFTER INSERT ON customer BEGIN INSERT OR IGNORE INTO search_word (word) SELECT DISTINCT value FROM json_each(\'["\' || replace(replace(new.search_text, \' | \', \' \'), \' \', \'","\') || \'"]\') WHERE length(value) BETWEEN 4 AND 20 AND value NOT GLOB \'*[0-9]*\'; END',
    'CREATE TRIGGER IF NOT EXISTS customer_words_au AFTER UPDATE OF search_text ON customer WHEN old.search_text IS NOT new.search_text BEGIN INSERT OR IGNORE INTO search_word (word) SELECT DISTINCT value FROM json_each(\'["\' || replace(replace(new.search_text, \' | \', \' \'), \' \', \'","\') || \'"]\') WHERE length(value) BETWEEN 4 AND 20 AND value NOT GLOB \'*[0-9]*\'; END',
    'INSERT OR IGNORE INTO search_word (word) SELECT w.value FROM customer c, json_each(\'["\' || replace(replace(c.search_text, \' | \', \' \'), \' \', \'","\') || \'"]\') w WHERE length(w.value) BETWEEN 4 AND 20 AND w.value NOT GLOB \'*[0-9]*\'',
    'DELETE FROM customer_fts_stats',
    'CREATE VIRTUAL TABLE IF NOT EXISTS temp.customer_fts_vocab USING fts5vocab(main, customer_fts, row)',
    'INSERT INTO customer_fts_stats (term, docs) SELECT term, doc FROM temp.customer_fts_vocab',
    "INSERT OR REPLACE INTO customer_fts_stats (term, docs) SELECT '', count(*) FROM customer",
    'DROP TABLE temp.customer_fts_vocab',
]
POSTGRES_WORDS = [
    'CREATE TABLE IF NOT EXISTS search_word (word text PRIMARY KEY)',
    'CREATE TABLE IF NOT EXISTS search_word_delete (variant text NOT NULL, word text NOT NULL, PRIMARY KEY (variant, word))',
    'CREATE OR REPLACE FUNCTION search_word_deletes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO search_word_delete (variant, word) SELECT DISTINCT f.v, NEW.word FROM (SELECT substr(NEW.word, 1, a - 1) || substr(NEW.word, a + 1) AS v FROM generate_series(1, char_length(NEW.word)) a UNION SELECT substr(NEW.word, 1, a - 1) || substr(NEW.word, a + 1, b - a - 1) || substr(NEW.word, b + 1) FROM generate_series(1, char_length(NEW.word)) a, generate_series(1, char_length(NEW.word)) b WHERE b > a AND char_length(NEW.word) >= 7) f ON CONFLICT DO NOTHING; RETURN NULL; END $$',
    'DROP TRIGGER IF EXISTS search_word_ai ON search_word',
    'CREATE TRIGGER search_word_ai AFTER INSERT ON search_word FOR EACH ROW EXECUTE FUNCTION search_word_deletes()',
    "CREATE OR REPLACE FUNCTION customer_words() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO search_word (word) SELECT DISTINCT w FROM regexp_split_to_table(replace(NEW.search_text, ' | ', ' '), ' ') w WHERE char_length(w) BETWEEN 4 AND 20 AND w !~ '[0-9]' ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    'DROP TRIGGER IF EXISTS customer_words ON customer',
    'CREATE TRIGGER customer_words AFTER INSERT OR UPDATE OF search_text ON customer FOR EACH ROW EXECUTE FUNCTION customer_words()',
    "INSERT INTO search_word (word) SELECT DISTINCT w FROM customer c, regexp_split_to_table(replace(c.search_text, ' | ', ' '), ' ') w WHERE char_length(w) BETWEEN 4 AND 20 AND w !~ '[0-9]' ON CONFLICT DO NOTHING",
    'ANALYZE customer',
    'ANALYZE search_word_delete',
]


def _normalize(text: str) -> str:
    """Version 8's normalisation: lower case, accents removed, apostrophes and dots dropped, every script kept."""
    if not text:
        return ""
    if text.isalnum() and text.isascii():
        return text.lower()
    if text.isascii():
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
        plain = plain.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    return _SEPARATORS.sub(" ", _JOINERS.sub("", plain)).strip()


def _phone_forms(stored: str) -> list[str]:
    """A stored +32... number as its international and national digits (version 8)."""
    if not stored:
        return []
    import phonenumbers

    digits = stored.lstrip("+")
    try:
        national = str(phonenumbers.parse(stored, "BE").national_number)
    except phonenumbers.NumberParseException:
        return [digits]
    return [digits, "0" + national]


def _joined_forms(name_norm: str) -> list[str]:
    """Each run of particles written together with the word after it (version 8)."""
    forms: list[str] = []
    run: list[str] = []
    for word in name_norm.split():
        run.append(word)
        if word not in PARTICLES:
            if len(run) > 1:
                forms.append("".join(run))
            run = []
    return forms


def _build(values: dict[str, Any]) -> tuple[str, str]:
    """(name_norm, search_text) for a customer's values, as version 8 builds them."""
    vat = str(values.get("vat_number") or "")
    parts = [
        str(values.get("name") or ""), str(values.get("number") or ""), str(values.get("external_ref") or ""),
        vat, vat[2:] if vat[:2].isalpha() else "", str(values.get("postcode") or ""), str(values.get("city") or ""),
        str(values.get("email") or ""),
    ]
    for key in ("phone", "fax", "mobile"):
        parts.extend(_phone_forms(str(values.get(key) or "")))
    name_norm = _normalize(parts[0])
    texts = [_normalize(p) for p in parts if p]
    joined = _joined_forms(name_norm)
    if joined:
        texts.insert(1, " ".join(joined))
    return name_norm, " | ".join(text for text in texts if text)


def _rebuild_texts(db: Database) -> None:
    """Recompute name_norm and search_text of every customer whose text changes (the index triggers follow)."""
    sql = "UPDATE customer SET name_norm = {0}, search_text = {0} WHERE id = {0}".format(db.param)
    select = f"SELECT {', '.join(COLUMNS)} FROM customer WHERE id > {db.param} ORDER BY id LIMIT 10000"
    last = 0
    while True:  # in batches of 10,000 by id, so a large table never sits in memory at once
        rows = db.execute_sql(select, (last,)).fetchall()
        if not rows:
            break
        changed = []
        for row in rows:
            values = dict(zip(COLUMNS, row))
            built = _build(values)
            if built != (values["name_norm"], values["search_text"]):
                changed.append((*built, values["id"]))
        if changed:
            db.cursor().executemany(sql, changed)
        last = rows[-1][0]


def sqlite(db: Database) -> None:
    """SQLite: rebuild the texts, then create and fill the vocabulary and refresh the trigram statistics."""
    _rebuild_texts(db)
    for statement in SQLITE_WORDS:
        db.execute_sql(statement)


def postgresql(db: Database) -> None:
    """PostgreSQL: rebuild the texts, then create and fill the vocabulary."""
    _rebuild_texts(db)
    for statement in POSTGRES_WORDS:
        db.execute_sql(statement)
