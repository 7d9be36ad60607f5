"""A query with one word that is no known word and has no correction still finds the customers matching the
others, ranked after every full match, and says which word it left out (issue 31); both engines.

Before: "wllms jan" and "van dame els" came back empty, because "wllms" and "dame" matched nothing.
A word the customers' texts do have ("gent"), a short word still being typed and a number are never left out.
"""
from __future__ import annotations

import pytest

from klantbeheer.data import customers, demo
from tests.support.engines import db_path  # noqa: F401  (both engines)
from tests.support.search_screen_helpers import make_app, search_screen, shown_numbers
from tests.support.waiting import app_until


@pytest.fixture
def demo_customers(db_path: str) -> str:  # noqa: F811
    """The demo customers and a few namesakes on the engine under test."""
    demo.load_demo("admin")
    customers.create({"name": "Willems Jan", "postcode": "9000"}, "admin")
    customers.create({"name": "Jan Wouters", "postcode": "2000"}, "admin")
    customers.create({"name": "Van den Broeck Els", "postcode": "3000"}, "admin")
    return db_path


def names(page: dict) -> list[str]:
    """The names of a page's rows, in order."""
    return [row["name"] for row in page["rows"]]


def test_an_unknown_word_without_correction_is_left_out_after_the_full_matches(demo_customers: str) -> None:
    page = customers.search_page("wllms jan", 0, 50)
    assert page["ignored"] == ["wllms"]
    assert {"Willems Jan", "Jan Wouters", "Jan Peeters"} <= set(names(page))
    assert all("jan" in name.lower() for name in names(page))
    els = customers.search_page("van dame els", 0, 50)
    assert els["ignored"] == ["dame"] and "Van den Broeck Els" in names(els)


def test_full_matches_come_first_and_known_words_short_words_and_numbers_stay_required(demo_customers: str) -> None:
    full = names(customers.search_page("jan wouters", 0, 50))
    assert full[0] == "Jan Wouters"
    mixed = customers.search_page("wouters jan xqzvw", 0, 50)
    assert mixed["ignored"] == ["xqzvw"] and names(mixed)[0] == "Jan Wouters"  # the full match of the others first
    for query in ("wouters gent", "peeters gent", "jan xq", "jan 99999"):
        page = customers.search_page(query, 0, 50)
        assert page["ignored"] == [], query
    assert customers.search_page("wouters gent", 0, 50)["rows"] == []
    assert customers.count("wllms jan") == len(customers.search_page("wllms jan", 0, 1000)["rows"])


async def test_the_search_screen_says_which_word_it_left_out(demo_customers: str) -> None:
    app = make_app(demo_customers)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.press(*"wllms jan")  # one burst, as a fast typist's keys arrive
        await app_until(pilot, lambda: "daarna zonder «wllms»" in search_screen(pilot).status(), what="the status")
        assert len(shown_numbers(pilot)) == customers.count("wllms jan") >= 3


def test_the_command_line_names_the_word_it_left_out(tmp_path) -> None:
    from klantbeheer.data import staff
    from klantbeheer.data.db import open_database
    from klantbeheer.data.models import database_proxy
    from tests.support.foundation_helpers import run_cli

    path = str(tmp_path / "cli.db")  # the command line is the same on both engines: SQLite here
    open_database(path, create=True)
    staff.login("admin")
    demo.load_demo("admin")
    customers.create({"name": "Willems Jan", "postcode": "9000"}, "admin")
    database_proxy.obj.close()
    done = run_cli("search", "wllms jan", db=path)
    assert done.code == 0, done.err
    assert "Willems Jan" in done.out and done.out.rstrip().endswith("Daarna zonder: wllms")
