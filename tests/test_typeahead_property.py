"""The stale-list rule as a property: random key bursts over the search screen, with random search delays.

After the burst, the customer that opened must be the one `customers.search(text)` ranks at the row
the user highlighted, where text and row follow from the keys alone (a small model of the screen).
A list that belongs to an older text must never be what Enter acts on.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from klantbeheer.data import customers, demo, staff
from klantbeheer.data.db import open_database
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.search_screen_helpers import make_app
from tests.support.typeahead_helpers import burst, settle_keys

LETTERS = "aeilmnprst"
KEYS = st.one_of(
    st.sampled_from(list(LETTERS)).map(lambda c: c),
    st.sampled_from(["space", "backspace", "down", "down", "up", "escape"]),
)


@pytest.fixture(scope="module")
def property_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One demo database with 2,000 synthetic customers for every example (nothing writes to it)."""
    path = str(Path(tmp_path_factory.mktemp("typeahead")) / "klantbeheer.db")
    open_database(path, create=True)
    staff.login("admin")
    demo.load_demo("admin", demo_database=True)
    demo.synthetic(2000)
    return path


def model(keys: list[str]) -> tuple[str, bool, int]:
    """(text in the box, focus in the list?, highlighted row) after `keys`, as a person would predict it."""
    text, in_list, row = "", False, 0
    for key in keys:
        rows = len(customers.search(text, 100))
        if key == "escape":
            text, in_list, row = "", False, 0
        elif key == "down":
            if in_list:
                row = min(row + 1, rows - 1)
            elif rows:
                in_list, row = True, 0
        elif key == "up":
            if in_list and row == 0:
                in_list = False
            elif in_list:
                row -= 1
        elif in_list:
            continue  # the list ignores letters, space and backspace
        elif key == "backspace":
            text = text[:-1]
        else:
            text += " " if key == "space" else key
    return text, in_list, row


async def open_after(db: str, keys: list[str], delays: list[float]) -> tuple[int | None, str]:
    """Send keys + Enter as one burst with slow searches; the opened customer number and the final box text."""
    real = customers.search_page
    cycle = itertools.cycle(delays)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(next(cycle))
        return real(*args, **kwargs)

    customers.search_page = slow  # type: ignore[assignment]
    try:
        app = make_app(db)
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            await settle_keys(pilot)
            await burst(pilot, *keys, "enter")
            screen = app.screen
            number = screen.number if isinstance(screen, CustomerFormScreen) else None
            return number, app.screen_stack[1].query_one("#search").value
    finally:
        customers.search_page = real  # type: ignore[assignment]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(keys="up down a a a a down a a escape down a a a".split(), delays=[0.0])  # Escape left the highlight on row 2
@given(keys=st.lists(KEYS, min_size=1, max_size=14), delays=st.lists(st.floats(0.0, 0.15), min_size=1, max_size=5))
def test_enter_opens_the_customer_the_current_text_ranks_at_the_highlighted_row(property_db: str, keys: list[str],
                                                                                delays: list[float]) -> None:
    open_database(property_db)
    text, in_list, row = model(keys)
    rows = customers.search(text, 100)
    number, box = asyncio.run(open_after(property_db, keys, delays))
    assert box == text
    if not rows:
        assert number is None
    else:
        assert number == rows[row if in_list else 0]["number"]
