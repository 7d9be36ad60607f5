"""Issue 30: the Dossiers tab, the dossier search (F5) and the dossier screen, driven as a person would at 80x24.

Keys arrive in bursts (as over SSH); notifications are rendered; every wait is for a state.
"""
from __future__ import annotations

from textual.widgets import Input, Static

from klantbeheer.data import customers, dossier_changes, dossiers
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.screens.dossier import DossierScreen
from klantbeheer.tui.screens.dossier_search import DossierSearchScreen
from klantbeheer.tui.widgets.dossier_table import DossierTable
from tests.support.apps import make_app
from tests.support.form_helpers import notes, open_form
from tests.support.typeahead_helpers import burst, keys_of
from tests.support.waiting import app_until

SIZE = (80, 24)


def make_dossiers() -> tuple[str, str]:
    """ABC (123) with two dossiers and Garage Zuid (500) with one; ABC's (older, newer) numbers."""
    customers.create({"name": "ABC", "number": 123}, "admin")
    customers.create({"name": "Garage Zuid", "number": 500}, "admin")
    older = dossiers.create_dossier(123, "Schade voorbumper", "REF-7", "1abc123", "admin")["number"]
    dossiers.create_dossier(500, "Ruit", "ZUID-1", "2xyz987", "admin")
    newer = dossiers.create_dossier(123, "Kras portier", "", "", "mw")["number"]
    return older, newer


def text_of(app, selector: str) -> str:
    """A Static's text on the top screen."""
    return str(app.screen.query_one(selector, Static).render())


def screen_text(app) -> str:
    """The top screen as rendered."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_dossier_screen(pilot, number: str) -> DossierScreen:
    """F5, type the number, Enter; wait until the dossier is on screen."""
    app = pilot.app
    await burst(pilot, "f5", *keys_of(number), "enter")
    await app_until(pilot, lambda: isinstance(app.screen, (DossierScreen, BlockedNoticeScreen)), what="the dossier screen")
    screen = app.screen if isinstance(app.screen, DossierScreen) else app.screen_stack[-2]
    await app_until(pilot, lambda: screen.dossier is not None, what="the dossier loaded")
    return screen


async def test_the_dossiers_tab_lists_the_customers_dossiers_newest_first_and_enter_opens_one(db_path: str) -> None:
    older, newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        form = await open_form(pilot, 123)
        await burst(pilot, "alt+7")
        table = form.query_one("#form_dossiers_table", DossierTable)
        assert form.query_one("#tabs").active == "tab_dossiers"
        assert [row["number"] for row in table.rows_shown] == [newer, older]
        shown = screen_text(app)
        assert newer in shown and "Kras portier" in shown and "mw" in shown and "open" in shown
        assert "Dossiers" in shown  # the tab's label at 80 columns
        await burst(pilot, "down", "enter")
        await app_until(pilot, lambda: isinstance(app.screen, DossierScreen) and app.screen.dossier is not None,
                        what="the older dossier open")
        assert app.screen.number == older
        assert "Schade voorbumper" == app.screen.query_one("#dossier_description", Input).value


async def test_f5_finds_dossiers_by_number_plate_reference_and_customer(db_path: str) -> None:
    older, newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await app_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerSearchScreen", what="the search screen")
        assert "F5 Dossiers" in screen_text(app)  # in the key bar at 80 columns
        await burst(pilot, "f5")
        await app_until(pilot, lambda: isinstance(app.screen, DossierSearchScreen), what="the dossier search")
        screen = app.screen
        for typed, expected in [(older, [older]), ("1-abc", [older]), ("zuid-1", ["2026"]), ("garage", ["2026"]),
                                ("123", [newer, older]), ("REF-7", [older]), ("niets", [])]:
            screen.search_box.value = ""
            await burst(pilot, *keys_of(typed))
            await app_until(pilot, lambda: screen.is_current_shown(), what=f"results for {typed}")
            numbers = [row["number"] for row in screen.results.rows_shown]
            if expected == ["2026"]:
                assert len(numbers) == 1 and numbers[0] not in (older, newer), typed
            else:
                assert numbers == expected, typed
        assert text_of(app, "#dossier_status") == "Geen dossiers gevonden"
        await burst(pilot, "escape", "escape")
        await app_until(pilot, lambda: not isinstance(app.screen, DossierSearchScreen), what="back to the search screen")


async def test_edit_saves_and_shows_in_the_history(db_path: str) -> None:
    older, _newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        screen = await open_dossier_screen(pilot, older)
        assert "Alt" not in text_of(app, "#dossier_title") and older in text_of(app, "#dossier_title")
        await burst(pilot, "end", *keys_of(" links"), "ctrl+s")
        await app_until(pilot, lambda: f"Dossier {older} bewaard." in notes(app), what="the saved notice")
        await app_until(pilot, lambda: screen.dossier["version"] == 2, what="the dossier read again")
        assert dossier_changes.get_dossier(older)["description"] == "Schade voorbumper links"
        history = text_of(app, "#dossier_history")
        assert "gewijzigd" in history and "Omschrijving: Schade voorbumper → Schade voorbumper links" in history


async def test_bad_input_is_one_sentence_and_saves_nothing(db_path: str) -> None:
    older, _newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        screen = await open_dossier_screen(pilot, older)
        screen.query_one("#dossier_licence_plate", Input).value = "???"
        await burst(pilot, "ctrl+s")
        await app_until(pilot, lambda: "Geen geldige nummerplaat." in notes(app), what="the plate's sentence")
        assert text_of(app, "#dossier_licence_plate_error") == "Geen geldige nummerplaat."
        assert dossier_changes.get_dossier(older)["version"] == 1


async def test_f6_closes_and_reopens_with_a_notice_each(db_path: str) -> None:
    older, _newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        screen = await open_dossier_screen(pilot, older)
        assert "F6 Dossier sluiten" in screen_text(app)
        await burst(pilot, "f6")
        await app_until(pilot, lambda: screen.dossier["status"] == "closed", what="closed")
        await app_until(pilot, lambda: f"Dossier {older} is gesloten." in notes(app), what="the closed notice")
        await app_until(pilot, lambda: "F6 Heropenen" in screen_text(app), what="the key bar offering Heropenen")
        assert "gesloten" in text_of(app, "#dossier_title")
        await burst(pilot, "f6")
        await app_until(pilot, lambda: screen.dossier["status"] == "open", what="reopened")
        assert f"Dossier {older} is heropend." in notes(app)
        assert [e["kind"] for e in dossier_changes.get_dossier(older)["history"]] == ["reopened", "closed", "created"]


async def test_a_change_saved_elsewhere_meanwhile_is_not_overwritten(db_path: str) -> None:
    older, _newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        screen = await open_dossier_screen(pilot, older)
        dossier_changes.update_dossier(older, {"reference": "ANDERS"}, 1, "mw")  # a second session saves first
        await burst(pilot, "end", *keys_of(" x"), "ctrl+s")
        await app_until(pilot, lambda: "werd intussen gewijzigd door Mia Medewerker" in notes(app), what="the conflict")
        stored = dossier_changes.get_dossier(older)
        assert stored["reference"] == "ANDERS" and stored["description"] == "Schade voorbumper"
        assert screen.query_one("#dossier_description", Input).value == "Schade voorbumper x"  # the input is kept


async def test_a_blocked_owners_dossier_shows_the_notice_and_is_read_only(db_path: str) -> None:
    older, _newer = make_dossiers()
    customers.block(123, "wanbetaling", "Eerst betalen", None, "admin")
    app = make_app(db_path, operator="mw")
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await open_dossier_screen(pilot, older)
        await app_until(pilot, lambda: isinstance(app.screen, BlockedNoticeScreen), what="the block notice")
        notice = screen_text(app)
        assert "Wanbetaling" in notice and "Eerst betalen" in notice and "ABC" in notice
        await burst(pilot, "enter")
        await app_until(pilot, lambda: isinstance(app.screen, DossierScreen), what="the notice closed")
        screen = app.screen
        assert text_of(app, "#dossier_read_only") == "Alleen-lezen zolang klant 123 (ABC) geblokkeerd is (Wanbetaling)."
        assert all(screen.query_one(f"#dossier_{name}", Input).disabled for name in ("description", "reference", "licence_plate"))
        bar = {active.binding.id: active.enabled for active in screen.active_bindings.values()}
        assert bar["dossier_save"] is False and bar["dossier_close"] is False  # shown dimmed: they do nothing now
        await burst(pilot, "f6", "ctrl+s")
        assert dossier_changes.get_dossier(older)["status"] == "open"
        assert dossier_changes.get_dossier(older)["version"] == 1


async def test_the_palette_offers_dossiers(db_path: str) -> None:
    make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await app_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerSearchScreen", what="the search screen")
        await burst(pilot, "ctrl+p", *keys_of("Dossiers"))
        await app_until(pilot, lambda: "Dossiers zoeken op nummer" in screen_text(app), what="the palette's Dossiers command")
        await burst(pilot, "enter")
        await app_until(pilot, lambda: isinstance(app.screen, DossierSearchScreen), what="the dossier search")


async def test_a_twin_of_a_blocked_customer_shows_the_twin_notice_and_the_dossier_is_read_only(db_path: str) -> None:
    customers.create({"name": "Wanbetaler NV", "number": 700, "vat_number": "BE0867756456"}, "admin")
    customers.create({"name": "Filiaal", "number": 701, "vat_number": "BE0867756456"}, "admin")
    number = dossiers.create_dossier(701, "Schade", "", "", "admin")["number"]
    customers.block(700, "wanbetaling", "Eerst betalen", None, "admin")
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await open_dossier_screen(pilot, number)
        await app_until(pilot, lambda: isinstance(app.screen, BlockedNoticeScreen), what="the block notice")
        assert "Gedeeld met een geblokkeerde klant" in screen_text(app)
        await burst(pilot, "escape")
        await app_until(pilot, lambda: isinstance(app.screen, DossierScreen), what="the notice closed")
        assert text_of(app, "#dossier_read_only").startswith("Alleen-lezen: Het BTW-nummer BE 0867.756.456 hoort ook bij")
        assert app.screen.query_one("#dossier_description", Input).disabled


async def test_leaving_with_unsaved_edits_asks_and_bewaren_saves_then_leaves(db_path: str) -> None:
    older, _newer = make_dossiers()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=SIZE) as pilot:
        await open_dossier_screen(pilot, older)
        await burst(pilot, "end", *keys_of(" links"), "f2")
        await app_until(pilot, lambda: "Wijzigingen bewaren?" in screen_text(app), what="the question")
        await burst(pilot, "ctrl+s")
        await app_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerSearchScreen", what="back on the search screen")
        assert dossier_changes.get_dossier(older)["description"] == "Schade voorbumper links"
