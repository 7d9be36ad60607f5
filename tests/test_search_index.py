"""The search index (FTS5 trigram, schema version 3): kept in step with the customers, and every result checked
against a plain LIKE reference on a few thousand synthetic customers (precision, recall, count and ranking)."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from klantbeheer.data import clock, customers, demo
from klantbeheer.data.db import migrate_to, open_database
from klantbeheer.data.models import Customer, database_proxy
from klantbeheer.data.normalize import normalize, words
from klantbeheer.data.search import sqlite as search_sqlite
from klantbeheer.data.validation import check_vat

SYNTHETIC = 3000


@pytest.fixture
def big_db(demo_db: str) -> str:
    """The demo database plus a few thousand synthetic customers (some blocked)."""
    demo.synthetic(SYNTHETIC, seed=7)
    rng = random.Random(11)
    numbers = [row[0] for row in database_proxy.execute_sql("SELECT number FROM customer WHERE created_by = 'demo'")]
    for number in rng.sample(numbers, 40):
        customers.block(number, rng.choice(["Wanbetaling", "Fraude", "Geschil"]), "", None, "admin")
    return demo_db


def reference_ids(text: str, blocked_only: bool = False) -> set[int]:
    """Every customer whose search text contains every word of the query: a plain LIKE scan."""
    query_words = words(text)
    if not query_words:
        return set()
    where = " AND ".join("search_text LIKE ?" for _ in query_words)
    params: list[object] = [f"%{word}%" for word in query_words]
    if blocked_only:
        where += " AND blocked = 1 AND (blocked_until IS NULL OR blocked_until >= ?)"
        params.append(clock.today().isoformat())
    return {row[0] for row in database_proxy.execute_sql(f"SELECT id FROM customer WHERE {where}", params)}


def exact_ids(text: str) -> set[int]:
    """Customers whose number, external ref (as typed, upper or lower case) or VAT number equals the query."""
    stripped = text.strip()
    try:
        vat = check_vat(stripped) if 8 <= len(stripped) <= 20 else ""
    except ValueError:
        vat = ""
    number = int(stripped) if stripped.isdigit() and stripped.isascii() and len(stripped) <= 9 else -1
    sql = "SELECT id FROM customer WHERE number = ? OR external_ref IN (?, ?, ?) OR (vat_number = ? AND ? != '')"
    params = [number, stripped, stripped.upper(), stripped.lower(), vat, vat]
    return {row[0] for row in database_proxy.execute_sql(sql, params)} if stripped else set()


def check_query(text: str, blocked_only: bool = False) -> list[dict]:
    """Search, and assert precision, recall (below the limit), count and tier order against the reference."""
    expected = reference_ids(text, blocked_only)
    rows = customers.search(text, limit=1000, blocked_only=blocked_only)
    ids = [row["id"] for row in rows]
    if not words(text):  # nothing searchable: an empty box lists the most recently changed, anything else nothing
        recent = [r["id"] for r in customers.search("", limit=1000, blocked_only=blocked_only)]
        assert ids == (recent if not text.replace("\x00", "").strip() else []), text
        return rows
    assert len(ids) == len(set(ids)), f"duplicates for {text!r}"
    # Literal matches come first; after them only other town names and typo corrections (tests/test_search_quality.py)
    literal = [i for i in ids if i in expected]
    assert ids[:len(literal)] == literal, f"a town or typo match ranks above a literal match of {text!r}"
    assert len(literal) == min(len(expected), 1000), f"missing results for {text!r}"
    total = customers.count(text, blocked_only=blocked_only)
    assert total >= min(len(expected), 1001), text
    if len(ids) < 1000:
        assert total == len(ids), text
    ids = literal
    if not ids:
        return rows
    marks = ", ".join("?" for _ in ids)
    names = dict(database_proxy.execute_sql(f"SELECT id, name_norm FROM customer WHERE id IN ({marks})", ids).fetchall())
    exact, full = exact_ids(text), normalize(text[:500])
    # 0: exact number / external ref / VAT; 1: name starts with the text; 2: the rest
    tiers = [0 if i in exact else 1 if full and names[i].startswith(full) else 2 for i in ids]
    assert tiers == sorted(tiers), f"rank order broken for {text!r}: {tiers[:20]}"
    if len(expected) <= 1000:
        assert tiers.count(0) == len(exact & expected), f"exact matches of {text!r} not all first"
    prefixed = [names[i] for i, t in zip(ids, tiers) if t == 1]
    assert prefixed == sorted(prefixed), f"names starting with {text!r} not in name order"
    if blocked_only:
        assert all(row["blocked"] for row in rows)
    return rows


def sample_queries(rng: random.Random) -> list[str]:
    """A mixed set of queries drawn from the data itself, plus short, odd and no-match input."""
    rows = database_proxy.execute_sql("SELECT number, name, external_ref, vat_number, postcode, city FROM customer").fetchall()
    picks = rng.sample(rows, 25)
    queries = ["j", "e", "8", "q", "de", "10", "nv", "zz", "jan", "van", "de smet", "van den", "hele", "dhondt",
               "Liège", "liege", "Luik", "Sint", "peeters jan", "jan 3", "xyzzyq", "qqq", "a b", "'", '"peeters"',
               "peeters OR dupont", "NOT maes", "maes*", "-maes", "co:maes", "%", "_", "😀 maes", "\x00maes", "x" * 600]
    for number, name, ref, vat, postcode, city in picks:
        queries += [str(number), name, name.split()[0][:4], f"{city} {postcode}", postcode, city[:3]]
        if ref:
            queries += [ref, ref.lower()]
        if vat:
            digits = vat[2:]
            queries += [vat, digits, f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}", f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"]
    return queries


def test_every_result_matches_and_nothing_is_missed(big_db: str) -> None:
    queries = sample_queries(random.Random(5))
    assert len(queries) > 150
    for text in queries:
        check_query(text)


def test_blocked_only_matches_the_reference(big_db: str) -> None:
    for text in ["", "a", "de", "jan", "peeters", "bouw nv", "wanbetaling", "8", "xyzzyq"]:
        rows = check_query(text, blocked_only=True)
        if not text:
            assert customers.count("", blocked_only=True) == 47
            assert len(rows) == 40 + 7  # the demo's seven blocked customers and the forty above


def test_exact_matches_rank_first(big_db: str) -> None:
    company = Customer.select().where((Customer.vat_number != "") & (Customer.external_ref != "")).first()
    digits = company.vat_number[2:]
    for text in (str(company.number), company.external_ref, company.external_ref.lower(), company.vat_number,
                 digits, f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}"):
        assert customers.search(text)[0]["number"] == company.number, text


def test_names_starting_with_the_text_come_before_other_matches(big_db: str) -> None:
    rows = check_query("jan")
    names = [row["name"] for row in rows]
    starting = [name for name in names if normalize(name).startswith("jan")]
    assert starting and names[: len(starting)] == starting
    assert any(not normalize(name).startswith("jan") for name in names)  # "Peeters Jan" etc. follow


def test_accents_apostrophes_and_case(big_db: str) -> None:
    helene = {row["id"] for row in customers.search("hélène", limit=1000)}
    assert helene and helene == {row["id"] for row in customers.search("HELENE", limit=1000)}
    assert "D'Hondt Bouw NV" in [row["name"] for row in customers.search("dhondt bouw")]
    assert customers.search("francoise lefevre")[0]["name"] == "Françoise Lefèvre"


def test_multi_word_in_any_order_and_across_fields(big_db: str) -> None:
    abc = [row["number"] for row in customers.search("8830 abc")]
    assert abc == [row["number"] for row in customers.search("abc 8830")] == [123]
    assert 123 in [row["number"] for row in check_query("ab 8")]  # two short words, in different fields
    assert customers.search("hooglede brussel") == []


def test_one_and_two_characters_match_inside_any_field(big_db: str) -> None:
    for text in ("j", "é", "8", "de", "12", "nv"):
        rows = check_query(text)
        assert rows, text
    assert check_query("zq") == [] or all("zq" in Customer.get_by_id(r["id"]).search_text for r in check_query("zq"))


def test_user_text_is_never_fts_syntax(big_db: str) -> None:
    for text in ['"', '""', "peeters OR dupont", "NEAR(jan peeters)", "jan*", "^jan", "search_text:jan", "(jan",
                 "jan AND", "- jan", "{jan}", "\x1b[31mjan", "jan\x00", "🇧🇪 jan", "ﬁ", "%_" * 3000, "jan " * 2500]:
        check_query(text)


def test_index_follows_inserts_updates_and_deletes(big_db: str) -> None:
    made = customers.create({"name": "Zwanenburg Quasar BV", "postcode": "9000", "external_ref": "ZQ-77"}, "admin")
    assert [row["number"] for row in customers.search("quasar")] == [made["number"]]
    assert customers.search("ZQ-77")[0]["number"] == made["number"]
    customers.update(made["number"], {"name": "Yolo Kwadraat"}, made["version"], "admin")
    assert customers.search("quasar") == [] and [row["number"] for row in customers.search("kwadraat")] == [made["number"]]
    customers.block(made["number"], "Fraude", "", None, "admin")
    assert [row["number"] for row in customers.search("kwadraat", blocked_only=True)] == [made["number"]]
    customers.unblock(made["number"], "admin")
    assert customers.search("kwadraat", blocked_only=True) == []
    customers.delete(made["number"], "admin")
    assert customers.search("kwadraat") == []
    assert search_sqlite.integrity_problem(database_proxy.obj) is None
    check_query("kwadraat")


def replace_row(source_id: int, **changes: object) -> None:
    """INSERT OR REPLACE a copy of a customer row with some columns changed (plain SQL, as a script would)."""
    db = database_proxy.obj
    cursor = db.execute_sql("SELECT * FROM customer WHERE id = ?", (source_id,))
    names = [column[0] for column in cursor.description]
    row = dict(zip(names, cursor.fetchone()), **changes)
    marks = ", ".join("?" for _ in names)
    db.execute_sql(f"INSERT OR REPLACE INTO customer ({', '.join(names)}) VALUES ({marks})", [row[n] for n in names])


def test_index_follows_insert_or_replace(big_db: str) -> None:
    victim = Customer.select().where(Customer.name_norm.startswith("maes")).first()
    # same id: the old row is replaced (recursive_triggers makes REPLACE fire the delete trigger)
    replace_row(victim.id, name="Ophelia Vervangen", name_norm="ophelia vervangen",
                search_text=f"ophelia vervangen | {victim.number}")
    # a new id with a number that clashes: the other row goes
    other = Customer.select().where(Customer.name_norm.startswith("claes")).first()
    replace_row(other.id, id=None, name="Quirinus Nummerdief", name_norm="quirinus nummerdief",
                search_text=f"quirinus nummerdief | {other.number}")
    assert search_sqlite.integrity_problem(database_proxy.obj) is None
    assert [row["name"] for row in customers.search("vervangen")] == ["Ophelia Vervangen"]
    assert [row["name"] for row in customers.search("nummerdief")] == ["Quirinus Nummerdief"]
    assert Customer.get_or_none(Customer.id == other.id) is None
    assert victim.id not in {r["id"] for r in customers.search("maes", limit=1000)}
    for text in ("maes", "claes", str(other.number), "vervangen", "nummerdief"):
        check_query(text)


def test_a_change_to_other_fields_leaves_the_index_untouched(big_db: str) -> None:
    abc = customers.get(123)
    customers.update(123, {"remarks": "andere opmerking"}, abc["version"], "admin")
    assert search_sqlite.integrity_problem(database_proxy.obj) is None
    assert customers.search("hooglede")[0]["number"] == 123


def test_bulk_load_rebuilds_indexes_and_index(db_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database_proxy.obj
    schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('customer', 'customer_fts') ORDER BY name"
    before = db.execute_sql(schema).fetchall()
    monkeypatch.setattr(demo, "BULK_REINDEX_FROM", 100)
    demo.synthetic(2500, seed=3)
    assert db.execute_sql(schema).fetchall() == before
    assert db.execute_sql("PRAGMA cache_size").fetchone()[0] == -32000
    assert search_sqlite.integrity_problem(db) is None
    row = Customer.select().order_by(Customer.id.desc()).first()
    from klantbeheer.data.search import text as search_text

    assert (row.name_norm, row.search_text) == search_text.build({f: getattr(row, f) for f in ("name", "number", "external_ref",
            "vat_number", "postcode", "city", "email", "phone", "fax", "mobile")})
    for text in ("jan", "de", "x", row.name, str(row.number), row.city):
        check_query(text)


def test_short_word_scans_give_the_same_answer_when_cut_short(big_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    patient = {text: [r["id"] for r in customers.search(text, limit=1000)] for text in ("de", "zz", "nv 9", "12")}
    monkeypatch.setattr(search_sqlite, "QUICK_SCAN_STEPS", 0)  # the scan stops at once: the index answers
    for text, ids in patient.items():
        assert [r["id"] for r in customers.search(text, limit=1000)] == ids, text
    found, complete = search_sqlite._scan_ids(["e"], 10_000, 0)
    assert not complete and all("e" in Customer.get_by_id(i).search_text for i in found)


def test_version_2_database_is_upgraded_to_the_new_index(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    migrate_to(str(path), 2)
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO customer (number, name, external_ref, email, address, address2, postcode, city, "
                    "province, certificate_number, vat_number, payment_condition, discount_scheme, price_list, "
                    "internal_account, phone, fax, mobile, salutation, contact, remarks, block_reason, "
                    "block_message, blocked_by, iban, bic, created_by, updated_by, name_norm, search_text, blocked, "
                    "language, country, vat_rate, customer_type, legal_form, show_remarks, show_id_card, version, "
                    "created_at, updated_at) VALUES (7, 'Hélène Oud', " + "'', " * 26 +
                    "'helene oud', 'helene oud | 7', 1, 'nl-BE', 'BE', 21, 'particulier', 'natuurlijk_persoon', 0, 0, 1, "
                    "'2024-01-01 00:00:00', '2024-01-01 00:00:00')")
    assert "detail=none" not in con.execute("SELECT sql FROM sqlite_master WHERE name = 'customer_fts'").fetchone()[0]
    con.close()
    db = open_database(str(path), create=True)
    try:
        sql = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'customer_fts'").fetchone()[0]
        assert "detail=none" in sql
        assert db.execute_sql("SELECT name FROM sqlite_master WHERE name = ?", (search_sqlite.BLOCKED_INDEX,)).fetchone()
        assert search_sqlite.integrity_problem(db) is None
        assert [row["number"] for row in customers.search("hele oud")] == [7]
        assert [row["number"] for row in customers.search("oud", blocked_only=True)] == [7]
    finally:
        db.close()


def test_stale_trigram_statistics_cost_speed_never_results(big_db: str) -> None:
    db = database_proxy.obj
    assert db.execute_sql("SELECT docs FROM customer_fts_stats WHERE term = ''").fetchone()[0] == SYNTHETIC + 27
    db.execute_sql("UPDATE customer_fts_stats SET docs = (abs(random()) % 5000)")  # nonsense numbers
    made = customers.create({"name": "Wxyquant Zuiderburen", "postcode": "3500"}, "admin")
    for text in ("wxyquant", "zuiderburen 3500", "peeters jan", "0867756456", "jan 8830", "bouw nv", str(made["number"])):
        check_query(text)
    db.execute_sql("DROP TABLE customer_fts_stats")  # a database without statistics: the heuristic decides
    for text in ("wxyquant", "peeters jan", "BE0867756456"):
        check_query(text)


def _counts(words_: list[str], **held: int) -> dict[str, int]:
    """Trigram counts at a million customers: 50,000 for every trigram of the words unless given."""
    counts = {word[i:i + 3]: 50_000 for word in words_ for i in range(len(word) - 2)}
    return {**counts, **held, "": 1_000_000}


def test_a_common_trigram_is_left_out_when_a_rare_one_leaves_few_candidates() -> None:
    """`van` (120,000 customers) is not walked when `ref` leaves 100 candidates; instr() checks it."""
    chosen = search_sqlite._chosen_trigrams(["sombreffe", "van"], _counts(["sombreffe", "van"], ref=100, van=120_000))
    assert chosen == ["ref"]


def test_a_common_trigram_is_walked_when_many_candidates_remain() -> None:
    """With 5,000 candidates left by `ref`, walking `van`'s list is cheaper than checking them."""
    chosen = search_sqlite._chosen_trigrams(["sombreffe", "van"], _counts(["sombreffe", "van"], ref=5_000, van=120_000))
    assert chosen == ["ref", "van"]
