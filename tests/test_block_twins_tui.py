"""Issue 16 on screen: the BTW GEBLOKKEERD marker in the search list and the twin's notice on the dossier screen."""
from __future__ import annotations

from textual.widgets import Static

from klantbeheer.data import customers, dossiers
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.widgets.results_table import TWIN_MARKER
from tests.support.new_dossier_helpers import open_screen, pick_owner
from tests.support.search_screen_helpers import cell_text, make_app, settle, table

NOTICE = "Het BTW-nummer BE 0867.756.456 hoort ook bij geblokkeerde klant 123 ABC (Wanbetaling)"


def make_twin() -> int:
    """Block ABC (123) and add a branch with ABC's BTW-nummer; return the branch's number."""
    customers.block(123, "wanbetaling", "", None, "admin")
    return customers.create({"name": "ABC Filiaal Gent", "vat_number": "BE0867756456"}, "mw")["number"]


async def test_search_list_marks_the_twin_in_full_at_80_columns(demo_db: str) -> None:
    twin = make_twin()
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"ABC")
        await settle(pilot)
        assert cell_text(pilot, twin, "blocked") == TWIN_MARKER
        assert cell_text(pilot, 123, "blocked") == "GEBLOKKEERD"
        results = table(pilot)
        assert results.columns["blocked"].width >= len(TWIN_MARKER)
        await pilot.press("ctrl+a", "backspace", *"Hooglede")
        await settle(pilot)
        assert twin not in [int(str(results.get_row_at(i)[0]).strip()) for i in range(results.row_count)]
        assert results.columns["blocked"].width < len(TWIN_MARKER)  # narrow again without a twin on screen


async def test_dossier_screen_refuses_the_twin_and_names_the_blocked_customer(demo_db: str) -> None:
    twin = make_twin()
    app = make_app(demo_db, operator="mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_screen(pilot)
        await pick_owner(pilot, str(twin))
        notice = app.screen
        assert isinstance(notice, BlockedNoticeScreen)
        text = "\n".join(str(widget.render()) for widget in notice.query(Static))
        assert "Gedeeld met een geblokkeerde klant" in text and "Let op:" in text
        assert " ".join(text.split()).count(NOTICE) == 1
        assert "U kunt niet doorgaan met dit dossier." in text
        await pilot.press("escape")
        await settle(pilot)
    assert dossiers.list_dossiers(twin) == []


async def test_historiek_shows_the_owner_as_it_was_beside_the_current_one(demo_db: str) -> None:
    from klantbeheer.tui.screens.form.history import dossier_lines

    made = customers.create({"name": "Oud & Co"}, "admin")
    dossier = dossiers.create_dossier(made["number"], "Schade", operator="admin")
    assert "bij opening" not in dossier_lines(dossiers.list_dossiers(made["number"]))[0]
    customers.update(made["number"], {"number": 9555, "name": "Nieuw [b]& Co"}, made["version"], "admin")
    line = dossier_lines(dossiers.list_dossiers(9555))[0]
    assert line.startswith(dossier["number"]) and line.endswith(f"(bij opening: {made['number']} Oud & Co)")
