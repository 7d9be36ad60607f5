"""Keys typed ahead act on what the user sees (issue 12).

Every test sends whole bursts of keys at once, the way SSH delivers them, and most run with a
customer search made slow on purpose (SLOW_SEARCH_S, in the data layer the screens call). The
reference for "what the user sees" is the same keys typed slowly: one key, wait until everything
it started is done, the next key.
"""
from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, TabbedContent

from klantbeheer.data import customers, demo
from klantbeheer.tui.screens.customer_search import RESULT_LIMIT, CustomerSearchScreen
from klantbeheer.tui.screens.customer_search import TEXT as SEARCH_TEXT
from klantbeheer.tui.screens.form import loading as form_data
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from tests.support.apps import forget_drafts
from tests.support.search_screen_helpers import make_app
from tests.support.typeahead_helpers import burst, keys_of, settle_keys, slow_down, slow_search
from tests.support.waiting import app_until

WIDE = (100, 30)  # Enter is a screen binding from 96 columns
NARROW = (80, 24)  # below that Enter reaches the box as Input.Submitted


@pytest.fixture
def big_db(demo_db: str) -> str:
    """The demo plus 2,000 synthetic customers, so that a query's list and an older list differ."""
    demo.synthetic(2000)
    return demo_db


def opened_number(app: Any) -> int | None:
    """The customer number of the form on top (None when no form is open)."""
    screen = app.screen
    return screen.number if isinstance(screen, CustomerFormScreen) else None


def visible_state(app: Any) -> dict[str, Any]:
    """What a person sees that matters here: the screen, its customer or owner, the focus and every field."""
    screen = app.screen
    state: dict[str, Any] = {"screen": type(screen).__name__, "focused": getattr(app.focused, "id", None)}
    if isinstance(screen, CustomerFormScreen):
        state["number"] = screen.number
        state["tab"] = screen.query_one("#tabs", TabbedContent).active
    if isinstance(screen, NewDossierScreen):
        state["owner"] = (screen.owner_info or {}).get("number")
    state["fields"] = {field.id: field.value for field in screen.query(Input)}
    return state


async def run_keys(db: str, keys: list[str], typed_ahead: bool, size: tuple[int, int] = WIDE,
                   start: list[str] | None = None, new_dossier: bool = False) -> dict[str, Any]:
    """Start the app, go somewhere first (`start` keys one by one, or an empty new dossier), then send `keys`
    in one burst or one by one."""
    app = make_app(db)
    async with app.run_test(notifications=True, size=size) as pilot:
        await settle_keys(pilot)
        if new_dossier:
            await open_empty_dossier(pilot)
        for key in start or []:
            await burst(pilot, key)
        if typed_ahead:
            await burst(pilot, *keys)
        else:
            for key in keys:
                await burst(pilot, key)
        state = visible_state(app)
    forget_drafts()  # the next run on this database starts without the input this one left unsaved
    return state


async def open_empty_dossier(pilot: Any) -> None:
    """The new-dossier screen without an owner (as from the palette's "Nieuw dossier")."""
    pilot.app.action_new_dossier()
    await settle_keys(pilot)
    assert isinstance(pilot.app.screen, NewDossierScreen)


# ----- the search list ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["wide", "80x24"])
@pytest.mark.parametrize("text", ["desmet agri", "peeters", "lefevre", "3000 leuven", "1004"])
async def test_enter_right_after_a_query_opens_that_querys_first_customer(big_db: str, monkeypatch, text: str,
                                                                           size: tuple[int, int]) -> None:
    expected = customers.search(text, 100)[0]["number"]
    slow_search(monkeypatch)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=size) as pilot:
        await settle_keys(pilot)
        before = customers.search("", 100)[0]["number"]
        assert before != expected  # the list on screen before the query shows someone else first
        await burst(pilot, *keys_of(text), "enter")
        assert opened_number(app) == expected


@pytest.mark.parametrize("downs", [1, 2, 3, 5])
async def test_down_n_times_then_enter_opens_the_nth_result(big_db: str, monkeypatch, downs: int) -> None:
    rows = customers.search("peeters", 100)
    assert len(rows) > downs
    slow_search(monkeypatch)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=WIDE) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("peeters"), *["down"] * downs, "enter")
        assert opened_number(app) == rows[downs - 1]["number"]  # the first Down enters the list on row 1


async def test_escape_then_downs_walk_the_recent_list(big_db: str, monkeypatch) -> None:
    recent = customers.search("", 100)
    slow_search(monkeypatch)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=WIDE) as pilot:
        await burst(pilot, *keys_of("desmet"))
        await burst(pilot, "escape", "down", "down", "down", "enter")
        assert opened_number(app) == recent[2]["number"]


async def test_f3_right_after_a_query_opens_a_dossier_for_that_querys_first_customer(big_db: str, monkeypatch) -> None:
    expected = customers.search("lefevre", 100)[0]["number"]
    slow_search(monkeypatch)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=WIDE) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("lefevre"), "f3")
        assert isinstance(app.screen, NewDossierScreen)
        assert app.screen.owner == expected


@pytest.mark.parametrize("keys", [
    [*"peeters", "pagedown", "enter"],
    [*"de", "down", "pagedown", "down", "enter"],
    [*"pee", "down", "down", "up", "up", *"ters", "down", "enter"],
    [*"maes", "backspace", "backspace", "backspace", *"ertens", "down", "down", "enter"],
], ids=["pagedown", "down-pagedown", "up-to-box-and-on", "backspace"])
async def test_a_burst_ends_where_the_same_keys_typed_slowly_end(big_db: str, monkeypatch, keys: list[str]) -> None:
    slow_search(monkeypatch)
    slowly = await run_keys(big_db, keys, typed_ahead=False)
    at_once = await run_keys(big_db, keys, typed_ahead=True)
    assert slowly["screen"] == "CustomerFormScreen"
    assert at_once == slowly


async def test_status_line_says_results_are_still_coming(big_db: str, monkeypatch) -> None:
    slow_search(monkeypatch, 0.8)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=NARROW) as pilot:
        await settle_keys(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerSearchScreen)
        await pilot.press("p")
        await app_until(pilot, lambda: screen.status().startswith(SEARCH_TEXT["busy"]), timeout=0.7)
        await settle_keys(pilot)
        assert screen.status().startswith(f"1-{RESULT_LIMIT} van {customers.count('p', 1000)} klanten gevonden")


# ----- the owner picker and the dossier fields ---------------------------------------------------

async def test_owner_picker_burst_fills_each_field_with_its_own_text(big_db: str, monkeypatch) -> None:
    owner = customers.search("lefevre fran", 8)[0]
    assert not owner["blocked"]
    slow_search(monkeypatch)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=NARROW) as pilot:
        await open_empty_dossier(pilot)
        await burst(pilot, *keys_of("lefevre fran"), "enter", "tab", *keys_of("Motor vervangen"), "tab", *keys_of("REF-9"))
        screen = app.screen
        assert (screen.owner_info or {}).get("number") == owner["number"]
        assert screen.query_one("#owner", Input).value == f"{owner['name']} ({owner['number']})"
        assert screen.query_one("#description", Input).value == "Motor vervangen"
        assert screen.query_one("#reference", Input).value == "REF-9"


@pytest.mark.parametrize("keys", [
    [*"jan pee", "down", "enter", "tab", *"Nieuwe banden"],
    [*"peeters", "down", "down", "up", "enter", "tab", *"Onderhoud", "tab", *"R1", "shift+tab", *"x"],
], ids=["down-enter-tab", "down-up-shift-tab"])
async def test_owner_picker_burst_ends_where_slow_typing_ends(big_db: str, monkeypatch, keys: list[str]) -> None:
    slow_search(monkeypatch)
    slowly = await run_keys(big_db, keys, typed_ahead=False, size=NARROW, new_dossier=True)
    at_once = await run_keys(big_db, keys, typed_ahead=True, size=NARROW, new_dossier=True)
    assert at_once == slowly


async def test_keys_typed_while_the_dossier_screen_checks_its_owner_go_into_omschrijving(big_db: str, monkeypatch) -> None:
    from klantbeheer.data import dossiers

    owner = customers.search("lefevre", 100)[0]["number"]
    slow_down(monkeypatch, dossiers, "check_owner", 0.4)
    slow_search(monkeypatch)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=NARROW) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("lefevre"), "f3", *keys_of("Remmen"), "tab", *keys_of("R-2"))
        screen = app.screen
        assert isinstance(screen, NewDossierScreen)
        assert (screen.owner_info or {}).get("number") == owner
        assert screen.query_one("#description", Input).value == "Remmen"
        assert screen.query_one("#reference", Input).value == "R-2"


# ----- the customer form -------------------------------------------------------------------------

async def test_keys_typed_while_the_form_loads_are_kept_and_never_replace_the_name(big_db: str, monkeypatch) -> None:
    slow_down(monkeypatch, form_data, "load", 0.4)
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=NARROW) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("123"), "enter", *keys_of(" NV"))
        screen = app.screen
        assert isinstance(screen, CustomerFormScreen) and screen.number == 123
        assert screen.query_one("#name", Input).value == "ABC NV"  # appended at the end, nothing selected


@pytest.mark.parametrize("keys", [
    ["ctrl+pagedown", *"Zz"],
    ["f8", *"Zz", "f7", *"Q"],
    ["tab", "tab", *"tekst"],
    ["ctrl+pagedown", "tab", "tab", *"9000", "shift+tab", *"b"],
    ["ctrl+pagedown", "ctrl+pagedown", "ctrl+pageup", *"y", "tab", *"z"],
    ["alt+3", *"ab", "alt+1", *"c"],
], ids=["next-tab", "f8-f7", "tabs", "tab-shift-tab", "tab-switches", "alt-digits"])
async def test_form_bursts_end_where_slow_typing_ends(big_db: str, keys: list[str]) -> None:
    start = [*"123", "enter"]
    slowly = await run_keys(big_db, keys, typed_ahead=False, size=NARROW, start=start)
    at_once = await run_keys(big_db, keys, typed_ahead=True, size=NARROW, start=start)
    assert slowly["number"] == 123
    assert at_once == slowly
    typed = [key for key in keys if len(key) == 1]
    assert sum(len(value) for value in at_once["fields"].values()) > 0 and typed  # the keys did land somewhere


async def test_a_key_right_after_ctrl_pagedown_lands_in_the_new_tab(big_db: str) -> None:
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=NARROW) as pilot:
        await burst(pilot, *keys_of("123"), "enter")
        await burst(pilot, "ctrl+pagedown", *keys_of("Zz"))
        screen = app.screen
        assert screen.query_one("#tabs", TabbedContent).active == "tab_adres"
        assert screen.query_one("#address", Input).value == "HOGESTRAAT 53Zz"
        assert screen.query_one("#name", Input).value == "ABC"


async def test_focusing_a_field_never_selects_its_text(big_db: str) -> None:
    app = make_app(big_db)
    async with app.run_test(notifications=True, size=NARROW) as pilot:
        await burst(pilot, *keys_of("123"), "enter")
        await burst(pilot, "X")
        name = app.screen.query_one("#name", Input)
        assert name.value == "ABCX"
        await burst(pilot, "tab", "shift+tab", "Y")
        assert name.value == "ABCXY"
        assert name.selection.is_empty and name.cursor_position == len(name.value)
