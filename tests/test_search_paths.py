"""The faster search paths give the same answers as the plain ones: PostgreSQL's steering by the rarest
trigrams (search_trigram counts) and the contains, town and typo tiers read in one query (both engines)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from klantbeheer.data import customers, demo, staff
from klantbeheer.data import search as search_module
from klantbeheer.data.db import open_database
from klantbeheer.data.models import database_proxy
from klantbeheer.data.search import postgres as search_postgres
from tests.support.pg_support import fresh_database

QUERIES = [
    "peters", "copens", "liege", "luik", "bruxelles", "jansens brugge", "vandenbroeck", "van den broeck", "desmet",
    "peeters garage", "garage luik", "carrosserie bouw", "wouters liege", "mertens 9000", "dubios", "lefevre",
    "vermeulen transport gand", "sint katelijne waver", "bergen", "mons", "jan 8830", "123", "0805.543.329",
    "peeters", "janssens bouw", "Иванов", "zq", "hele", "dakwerken bergen", "de smet keukens",
]


def answers() -> dict[str, tuple[list[int], list[str]]]:
    """Per query: the ids of the first 120 results and the corrections the first page names."""
    result = {}
    for text in QUERIES:
        page = customers.search_page(text, 0, 120)
        result[text] = ([row["id"] for row in page["rows"]], page["corrections"])
    return result


def load(location: str) -> None:
    """The demo data plus a few thousand synthetic customers, and a Cyrillic name."""
    open_database(location, create=True)
    staff.login("admin")
    demo.load_demo("admin", demo_database=True)
    demo.synthetic(4000, seed=3)
    customers.create({"name": "Иванов Пётр", "number": 99001}, "admin")


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The loaded database on each engine."""
    if request.param == "sqlite":
        load(str(tmp_path / "kb.db"))
        yield request.param
        database_proxy.obj.close()
        return
    with fresh_database() as url:
        load(url)
        yield request.param
        database_proxy.obj.close()


@pytest.fixture
def postgres() -> Iterator[str]:
    """The loaded database on PostgreSQL."""
    with fresh_database() as url:
        load(url)
        yield url
        database_proxy.obj.close()


def test_tiers_read_at_once_give_what_the_tiers_one_by_one_give(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at_once = answers()
    monkeypatch.setattr(search_module, "_tiers_at_once", lambda *args: None)
    assert answers() == at_once
    assert any(corrections for _, corrections in at_once.values())  # typo tiers were part of it


def test_rebuild_counts_the_trigrams_and_search_asks_the_index_for_the_rarest(postgres: str,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db = database_proxy.obj
    counts = dict(db.execute_sql("SELECT trigram, docs FROM search_trigram").fetchall())
    total = db.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
    assert counts[""] == total - 1  # counted at the bulk load's end, before the Cyrillic customer came
    assert counts["ers"] > counts.get("zwi", 0)
    statements: list[str] = []
    real = search_postgres.fetch_rows
    monkeypatch.setattr(search_postgres, "fetch_rows", lambda sql, params: statements.append(sql) or real(sql, params))
    found = [row["id"] for row in customers.search("peeters carrosserie", 200)]
    asked = [sql for sql in statements if "enable_seqscan = off" in sql]
    assert asked and "strpos(c.search_text, %s) > 0" in asked[0]
    assert asked[0].count("LIKE") + asked[0].count(" ~ ") <= search_postgres.MAX_STEERING
    reference = db.execute_sql("SELECT id FROM customer WHERE search_text LIKE %s AND search_text LIKE %s",
                               ("%peeters%", "%carrosserie%")).fetchall()
    assert set(found) >= {row[0] for row in reference}


def test_answers_are_the_same_without_trigram_counts(postgres: str) -> None:
    steered = answers()
    database_proxy.obj.execute_sql("DELETE FROM search_trigram")
    search_postgres._COUNTS.clear()
    assert answers() == steered


def test_a_search_inside_a_transaction_leaves_sequential_scans_on(postgres: str) -> None:
    db = database_proxy.obj
    with db.atomic():
        assert customers.search("peeters garage")
        assert db.execute_sql("SHOW enable_seqscan").fetchone()[0] == "on"
    assert db.execute_sql("SHOW enable_seqscan").fetchone()[0] == "on"


def test_counts_from_a_sample_are_scaled_to_every_customer(postgres: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = database_proxy.obj
    monkeypatch.setattr(search_postgres, "STATS_SAMPLE_ROWS", 1000)
    search_postgres.refresh_stats(db)
    counts = dict(db.execute_sql("SELECT trigram, docs FROM search_trigram").fetchall())
    total = db.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
    exact = db.execute_sql("SELECT count(*) FROM customer WHERE search_text LIKE %s", ("%ers%",)).fetchone()[0]
    assert counts[""] == total > 1000
    assert 0.6 * exact <= counts["ers"] <= 1.4 * exact
