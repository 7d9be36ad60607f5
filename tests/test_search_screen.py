"""Pilot tests of the customer search screen, on real SQLite files (and a real second process)."""
from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from klantbeheer.data import changes, customers
from klantbeheer.data.db import open_database
from klantbeheer.data.normalize import words
from klantbeheer.tui.live import DataChanged
from klantbeheer.tui.screens.customer_search import COUNT_CAP, RESULT_LIMIT, CustomerSearchScreen
from klantbeheer.tui.screens.customer_search import TEXT as SEARCH_TEXT
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from klantbeheer.tui.screens.help import HelpScreen
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from klantbeheer.tui.widgets.location_bar import LocationBar
from tests.support.search_screen_helpers import cell_text, make_app, search_screen, settle, shown_numbers, table
from tests.support.typeahead_helpers import delay_queries
from tests.support.waiting import app_until, until

REPO = Path(__file__).resolve().parent.parent
PEETERS = {1004, 1005}  # demo data: Jan Peeters, and Peeters Transport BV (blocked for wanbetaling)


def run_cli(db_path: str, *args: str) -> None:
    """Run `python app.py ...` as a separate process (another connection to the same file)."""
    done = subprocess.run([sys.executable, "app.py", "--db", db_path, "--operator", "admin", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


async def type_query(pilot, text: str) -> None:
    """Type text into the search box key by key, then wait for the searches."""
    await pilot.press(*text)
    await settle(pilot)


# ----- arrival ---------------------------------------------------------------------------------

async def test_arrival_focus_header_and_recent_customers(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        assert app.focused is screen.query_one("#search", Input)
        header = str(screen.query_one(LocationBar).render())
        assert "Beheer › Derde partijen › Klanten" in header
        assert "admin" in header and "(beheerder)" in header
        recent = [row["number"] for row in customers.search("", RESULT_LIMIT)]
        assert shown_numbers(pilot) == recent
        assert screen.status().startswith("Laatst gewijzigde klanten")
        assert str(len(recent)) in screen.status()


# ----- typing ----------------------------------------------------------------------------------

async def test_typing_shows_matching_rows(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        await type_query(pilot, "peeters")
        numbers = shown_numbers(pilot)
        assert set(numbers) == PEETERS
        for number in numbers:
            assert "peeters" in customers.get(number)["name"].lower()
        assert search_screen(pilot).status() == "2 klanten gevonden"
        await type_query(pilot, " jan")
        assert shown_numbers(pilot) == [1004]
        assert search_screen(pilot).status() == "1 klant gevonden"
        await type_query(pilot, " xq")  # a short word is never left out (tests/test_search_partial.py)
        assert shown_numbers(pilot) == []
        assert search_screen(pilot).status() == "Geen resultaten"


async def test_accents_and_case_do_not_matter_on_screen(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await type_query(pilot, "HELENE")
        numbers = shown_numbers(pilot)
        assert numbers and customers.get(numbers[0])["name"] == "Hélène Dubois"


async def test_columns_town_vat_and_external_ref(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        await type_query(pilot, "abc")
        assert shown_numbers(pilot)[0] == 123
        assert cell_text(pilot, 123, "name") == "ABC"
        assert cell_text(pilot, 123, "town") == "8830 Hooglede"
        assert cell_text(pilot, 123, "vat") == "BE 0867.756.456"
        assert cell_text(pilot, 123, "external_ref") == "5744"
        labels = [str(column.label).strip() for column in table(pilot).ordered_columns]
        assert labels == ["Nummer", "Naam", "Gemeente", "BTW-nummer", "Externe Ref.", "Geblokkeerd"]


async def test_at_80_columns_the_name_gets_the_room_of_externe_ref(demo_db: str) -> None:
    from klantbeheer.data.visible import visible

    long_name = "Carrosserie Van den Broeck-Vandenbossche"  # 40 characters: too long for 80 columns anyway
    customers.update(123, {"name": long_name}, None, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await type_query(pilot, "123")
        labels = [str(column.label).strip() for column in table(pilot).ordered_columns]
        assert labels == ["Nummer", "Naam", "Gemeente", "BTW-nummer", "Geblokkeerd"]
        name_width = table(pilot).columns["name"].width - 1  # without the gap
        assert name_width >= 24, name_width
        assert cell_text(pilot, 123, "name").startswith(visible(long_name)[:20])


async def test_more_than_the_cap_says_meer_dan(db_path: str) -> None:
    from klantbeheer.data import demo

    demo.synthetic(COUNT_CAP + 200)
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        assert "meer dan 1.000" in search_screen(pilot).status()  # numbers as Babel writes them (nl_BE)
        assert table(pilot).row_count == RESULT_LIMIT


# ----- blocked marker and filter ---------------------------------------------------------------

async def test_blocked_marker_reads_geblokkeerd(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await type_query(pilot, "peeters")
        assert cell_text(pilot, 1005, "blocked") == "GEBLOKKEERD"
        assert cell_text(pilot, 1004, "blocked") == ""
        marker = table(pilot).get_cell("1005", "blocked")
        assert marker.style and marker.style.color is not None  # the error colour where there is colour


async def test_blocked_only_filter_key_and_footer_state(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        everyone = shown_numbers(pilot)
        assert screen.active_bindings["f4"].binding.description == "Toon geblokkeerd"
        await pilot.press("f4")
        await settle(pilot)
        blocked = shown_numbers(pilot)
        assert blocked and set(blocked) < set(everyone)
        assert all(customers.get(number)["block_active"] for number in blocked)
        assert blocked == [row["number"] for row in customers.search("", RESULT_LIMIT, blocked_only=True)]
        assert "alleen geblokkeerd" in screen.status()
        assert screen.active_bindings["f4"].binding.description == "Toon alle"
        await type_query(pilot, "peeters")
        assert shown_numbers(pilot) == [1005]
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert set(shown_numbers(pilot)) == PEETERS
        assert screen.active_bindings["f4"].binding.description == "Toon geblokkeerd"


# ----- keyboard --------------------------------------------------------------------------------

async def test_navigation_down_up_slash_escape(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await type_query(pilot, "bouw")
        screen = search_screen(pilot)
        box, results = screen.query_one("#search", Input), table(pilot)
        assert results.row_count >= 2
        await pilot.press("down")
        assert app.focused is results and results.cursor_row == 0
        await pilot.press("down")
        assert results.cursor_row == 1
        await pilot.press("up", "up")
        assert app.focused is box
        await pilot.press("down", "slash")
        assert app.focused is box and box.value == "bouw"
        await pilot.press("down", "f2")
        assert app.focused is box
        await pilot.press("down", "escape")
        await settle(pilot)
        assert app.focused is box and box.value == ""
        assert screen.status().startswith("Laatst gewijzigde klanten")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_enter_in_box_opens_first_result(demo_db: str, size: tuple[int, int]) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=size) as pilot:
        await type_query(pilot, "abc")
        await pilot.press("enter")
        await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen))
        assert app.screen.number == 123


async def test_enter_on_row_opens_that_customer_and_return_refreshes(demo_db: str) -> None:
    app = make_app(demo_db)
    told: list[DataChanged] = []
    async with app.run_test(notifications=True, size=(80, 24), message_hook=lambda m: told.append(m) if isinstance(m, DataChanged) else None) as pilot:
        await type_query(pilot, "peeters")
        second = shown_numbers(pilot)[1]
        await pilot.press("down", "down", "enter")
        await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen) and app.screen.number == second)
        # While the form is open, someone renames the customer; the watcher's notice is ignored
        # (the search screen is not visible), so only the refresh on return can show it.
        before = len(told)
        customers.update(second, {"name": "Peeters Hernoemd"}, None, "admin")
        await app_until(pilot, lambda: len(told) > before)  # the watcher has told the (hidden) search screen
        await pilot.pause()
        app.pop_screen()
        await settle(pilot)
        assert isinstance(app.screen, CustomerSearchScreen)
        assert cell_text(pilot, second, "name") == "Peeters Hernoemd"
        assert table(pilot).highlighted_number() == second  # the cursor stays on the same customer


async def test_ctrl_n_opens_an_empty_form(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen) and app.screen.number is None)


async def test_f3_opens_new_dossier_for_highlighted_customer(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await type_query(pilot, "peeters")
        second = shown_numbers(pilot)[1]
        await pilot.press("down", "down", "f3")
        await app_until(pilot, lambda: isinstance(app.screen, NewDossierScreen) and app.screen.owner == second)


async def test_help_lists_every_binding_of_the_screen(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        await pilot.press("f1")
        await app_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = {entry.description for entry in app.screen.entries}
        for binding in CustomerSearchScreen.BINDINGS:
            if binding.action == "set_blocked_only(False)":
                continue  # only the filter key that applies now is listed
            assert (binding.tooltip or binding.description) in listed, binding
        keys = " ".join(entry.keys for entry in app.screen.entries)
        for key in ("F1", "F2", "F3", "F4", "Ctrl+N", "Ctrl+P", "Ctrl+Q", "Esc", "↑", "↓"):
            assert key in keys, key
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


# ----- superseded queries ----------------------------------------------------------------------

async def test_slow_older_query_never_replaces_newer_results(demo_db: str, monkeypatch, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="klantbeheer.tui.screens.customer_search")
    delay_queries(monkeypatch, {"pe": 0.8})  # the query for "pe" finishes long after the one for "pee"
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        await pilot.press("p", "e")
        await pilot.pause(0.1)  # a gap in the typing, so that the search for "pe" goes out (the gap is the subject)
        await pilot.press("e", "t", "e", "r", "s", " ", "j")
        await settle(pilot)
        # A cancelled thread worker runs on: wait until the slow query's rows have actually arrived.
        await app_until(pilot, lambda: "stale results dropped for 'pe'" in caplog.messages)
        await settle(pilot)
        pe_rows = customers.search("pe", RESULT_LIMIT)
        assert len(pe_rows) > 1  # the slow query had different, more rows to show
        assert shown_numbers(pilot) == [1004]
        assert screen.status() == "1 klant gevonden"


# ----- live --------------------------------------------------------------------------------------

async def test_block_from_another_process_appears_without_input(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await type_query(pilot, "peeters")
        await pilot.press("down", "down")
        highlighted = table(pilot).highlighted_number()
        assert cell_text(pilot, 1004, "blocked") == ""
        run_cli(demo_db, "block", "1004", "--reason", "Wanbetaling", "--message", "Test")
        took = await app_until(pilot, lambda: cell_text(pilot, 1004, "blocked") == "GEBLOKKEERD")
        assert took < 3.0  # "within about two seconds"; a little slack for a loaded test machine
        assert table(pilot).highlighted_number() == highlighted
        run_cli(demo_db, "unblock", "1004")
        await app_until(pilot, lambda: cell_text(pilot, 1004, "blocked") == "")


async def test_new_customer_from_another_connection_appears(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        script = (
            "from klantbeheer.data.db import open_database; from klantbeheer.data import customers; import sys; "
            "open_database(sys.argv[1], create=True); "
            "customers.create({'name': 'Zzyzx Nieuwkomer', 'postcode': '9000', 'city': 'Gent'}, 'admin')"
        )
        done = subprocess.run([sys.executable, "-c", script, demo_db], cwd=REPO, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        created = customers.search("zzyzx")[0]["number"]
        await app_until(pilot, lambda: created in shown_numbers(pilot))
        assert shown_numbers(pilot)[0] == created  # the empty search shows the most recently changed first


# ----- odd input ---------------------------------------------------------------------------------

ODD = ['"', "'", '"abc', "*", "a*", "AND", "OR NOT", "-", "ab-", ":", "a:b", "%", "_", "%_%", "\\", "()", "^",
       "NEAR(a b)", "\x01\x02", "\t", "🚗", "🚗 peeters", "x" * 10_000, "peeters " * 1200, "1" * 30, "BE0867756456",
       "be 0867.756.456", "  ", "\u200b", "0"]


async def test_odd_input_gives_results_or_geen_resultaten(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        box = screen.query_one("#search", Input)
        for text in ODD:
            box.value = text
            await settle(pilot)
            status = screen.status()
            assert app.screen is screen, text
            rows = table(pilot).row_count
            if text.strip() and not words(text):  # nothing a search can use: said so, no recent list instead
                assert rows == 0 and status == SEARCH_TEXT["unsearchable"], (text, status)
            elif rows == 0:
                assert status == "Geen resultaten", (text, status)
            else:
                assert "klant" in status and "mislukt" not in status, (text, status)
        box.value = "be 0867.756.456"
        await settle(pilot)
        assert shown_numbers(pilot)[0] == 123


# ----- palette -----------------------------------------------------------------------------------

async def test_palette_finds_and_opens_a_customer_from_another_screen(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")  # any other screen
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"hooglede")
        from textual.command import CommandList

        command_list = app.screen.query_one(CommandList)
        await app_until(pilot, lambda: any("ABC" in str(option.prompt) for option in command_list.options))
        await pilot.press("down", "enter")
        await pilot.pause()
        await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen) and app.screen.number == 123)


async def test_palette_switches_the_blocked_filter(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"alleen geblokkeerd")
        from textual.command import CommandList

        command_list = app.screen.query_one(CommandList)
        await app_until(pilot, lambda: command_list.option_count > 0)
        await pilot.press("down", "enter")
        await app_until(pilot, lambda: screen.blocked_only and app.screen is screen)
        await settle(pilot)
        assert shown_numbers(pilot) and all(customers.get(n)["block_active"] for n in shown_numbers(pilot))


# ----- the change watcher itself -----------------------------------------------------------------

def test_change_watcher_sees_commits_of_other_connections(tmp_path: Path) -> None:
    path = str(tmp_path / "w.db")
    open_database(path, create=True)
    watcher = changes.open_watcher()
    try:
        assert watcher.changed() is False
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("CREATE TABLE scratch (x)")
        assert watcher.changed() is True
        assert watcher.changed() is False
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO scratch VALUES (1)")
        assert watcher.changed() is False  # not committed yet
        other.execute("COMMIT")
        assert watcher.changed() is True
        other.close()
    finally:
        watcher.close()


def test_watch_loop_calls_back_and_stops(tmp_path: Path) -> None:
    path = str(tmp_path / "w.db")
    open_database(path, create=True)
    watcher = changes.open_watcher()
    seen: list[float] = []
    stop = {"now": False}
    polls = {"count": 0}
    import threading

    def should_stop() -> bool:
        polls["count"] += 1
        return stop["now"]

    thread = threading.Thread(target=changes.watch, args=(watcher, lambda: seen.append(time.monotonic()), should_stop, 0.2))
    thread.start()
    try:
        until(lambda: polls["count"] >= 3, what="a few polls without any change")
        assert seen == []
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("CREATE TABLE scratch (x)")
        other.close()
        until(lambda: seen, what="the change seen")
        assert len(seen) == 1
    finally:
        stop["now"] = True
        thread.join(2)
        watcher.close()
    assert not thread.is_alive()


async def test_unexpected_database_error_is_a_dutch_status_not_a_crash(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        broken = sqlite3.connect(demo_db, isolation_level=None)
        broken.executescript("PRAGMA foreign_keys = OFF; DROP TABLE customer;")
        broken.close()
        await type_query(pilot, "abc")
        screen = search_screen(pilot)
        assert app.screen is screen
        assert screen.status().startswith("Zoeken mislukt: ")
        assert "Traceback" not in screen.status()
