"""Issue 19, the 'Referentielijsten' screen: Pilot tests by keyboard with notifications rendered, the medewerker refusal, a snapshot."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from textual.widgets._toast import Toast

from klantbeheer.data import customers, demo, lists, reference
from klantbeheer.tui.app import KlantbeheerApp
from klantbeheer.tui.dialogs.confirm import ConfirmationModal
from klantbeheer.tui.dialogs.list_entry import ListEntryDialog
from klantbeheer.tui.dialogs.list_history import ListHistoryDialog
from klantbeheer.tui.screens.reference_lists import ReferenceListsScreen
from tests.support.form_helpers import make_app
from tests.support.waiting import workers_done


async def settle(pilot: Pilot, timeout: float = 8.0) -> None:
    """Let the screen's workers (reading, changing) finish and their messages land."""
    await workers_done(pilot, "lists-", timeout)


def toasts(app: KlantbeheerApp) -> str:
    """The notifications as rendered on screen."""
    return " ".join(str(toast.render()) for toast in app.screen.query(Toast))


async def open_lists(pilot: Pilot, list_index: int) -> ReferenceListsScreen:
    """F9, then Down to the wanted list, then Tab to its entries."""
    await pilot.press("f9")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReferenceListsScreen)
    await pilot.press(*["down"] * list_index, "tab")
    await settle(pilot)
    assert screen.focused is screen.query_one("#entries", DataTable)
    return screen


def rows(screen: ReferenceListsScreen) -> list[list[str]]:
    """The entries table as the user reads it."""
    table = screen.query_one("#entries", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def type_text(pilot: Pilot, text: str) -> None:
    """Type with key presses (a space is the 'space' key)."""
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def test_add_rename_reorder_deactivate_by_keyboard(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_lists(pilot, 2)  # Prijslijst
        assert str(screen.query_one("#list_title", Static).render()) == "Prijslijst · 4 keuzes"
        await pilot.press("insert")
        assert isinstance(app.screen, ListEntryDialog)
        await type_text(pilot, "groot")
        await pilot.press("tab")
        await type_text(pilot, "Dupont [/] groothandel")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Prijslijst: 'groot' (Dupont [/] groothandel) is toegevoegd." in toasts(app)
        assert rows(screen)[-1] == ["5", "groot", "ja", "0", "Dupont [/] groothandel"]
        # rename: Enter on the row, change the Dutch label, give a French one
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, ListEntryDialog)
        dialog.query_one("#entry_label", Input).value = "Groothandel"
        await pilot.press("down")
        await type_text(pilot, "Grossiste")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Prijslijst: 'groot' is gewijzigd." in toasts(app)
        assert reference.label("price_list", "groot") == "Groothandel"
        assert reference.label("price_list", "groot", "fr") == "Grossiste"
        assert "fr: Grossiste · en: (Nederlands)" in str(screen.query_one("#entry_details", Static).render())
        # one place higher
        await pilot.press("shift+up")
        await settle(pilot)
        assert [row[1] for row in rows(screen)] == ["standaard", "verzekeraar", "vloot", "groot", "particulier"]
        assert "staat nu op plaats 4" in toasts(app)
        # deactivate after the question; F6 then activates
        await pilot.press("f6")
        assert isinstance(app.screen, ConfirmationModal)
        assert "wordt niet meer aangeboden" in str(app.screen.query_one("#confirm_message", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(screen)[3][2] == "inactief"
        assert "groot" not in dict(reference.choices("price_list"))
        assert [e["kind"] for e in lists.history("prijslijst")] == ["deactivated", "moved", "renamed", "renamed", "added"]
        assert lists.history("prijslijst")[0]["operator"] == "admin"
        await pilot.press("f5")  # the list's history on screen: who, what, old and new
        await settle(pilot)
        assert isinstance(app.screen, ListHistoryDialog)
        lines = str(app.screen.query_one("#history_text", Static).render()).splitlines()
        assert "admin  prijslijst groot: gedeactiveerd (actief: ja → nee)" in lines[0]
        assert "prijslijst groot: hernoemd (benaming: Dupont [/] groothandel → Groothandel)" in lines[3]
        await pilot.press("escape")
        assert app.screen is screen


async def test_delete_in_use_is_refused_and_a_bad_code_reopens_the_dialog(demo_db: str) -> None:
    customers.update(123, {"price_list": "vloot"}, None, "admin")
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_lists(pilot, 2)
        await pilot.press("down", "down")  # vloot
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "'Vlootbeheer' is in gebruik bij 1 klant en kan niet verwijderd worden; deactiveer het in de plaats." in toasts(app)
        assert [row[1] for row in rows(screen)] == ["standaard", "verzekeraar", "vloot", "particulier"]
        await pilot.press("insert")
        await type_text(pilot, "met spatie")
        await pilot.press("tab")
        await type_text(pilot, "Fout")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ListEntryDialog)  # open again, with what was typed and the problem
        assert dialog.query_one("#entry_code", Input).value == "met spatie"
        assert "zonder spaties" in str(dialog.query_one("#entry_code_error", Static).render())
        assert "Niet bewaard" in toasts(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and len(rows(screen)) == 4


async def test_a_medewerker_is_refused(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert not isinstance(app.screen, ReferenceListsScreen)
        assert "Alleen een beheerder mag referentielijsten beheren; u bent medewerker." in toasts(app)
        app.action_reference_lists()  # what the palette's 'Referentielijsten' runs
        await pilot.pause()
        assert not isinstance(app.screen, ReferenceListsScreen)


@pytest.fixture
def snapshot_db(db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Demo data, one hersteller with contact fields and one inactive one; no saved theme; no live thread."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    monkeypatch.setattr("klantbeheer.tui.app.start_change_watcher", lambda app: None)
    demo.load_demo("admin", demo_database=True)
    lists.set_details("H2", {"address": "Rue de Fer 12", "postcode": "5000", "phone": "081 22 33 44",
                             "email": "info@dupont.be"}, "admin")
    lists.set_active("hersteller", "H4", False, "admin")
    return db_path


def test_reference_lists_screen_80x24(snap_compare, snapshot_db: str) -> None:
    app = make_app(snapshot_db, "admin")
    app.theme = "textual-dark"

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("tab", "down")
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_hersteller_dialog_80x24(snap_compare, snapshot_db: str) -> None:
    app = make_app(snapshot_db, "admin")
    app.theme = "textual-dark"

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("tab", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ListEntryDialog)
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


async def test_the_screen_and_its_dialogs_show_no_untranslated_text(demo_db: str, tmp_path: Path) -> None:
    from klantbeheer.data.i18n import set_language
    from tests.support.pseudo_i18n import PSEUDO, untranslated_words, words_of, write_pseudo_catalogue
    from tests.test_translations import data_words, screen_text

    set_language(PSEUDO, write_pseudo_catalogue(tmp_path / "locale"))
    try:
        allowed = data_words() | words_of([(e["code"], e["label"], e["label_fr"] or "", e["label_en"] or "")
                                         for item in lists.overview() for e in item["entries"]])
        app = make_app(demo_db, "admin")
        async with app.run_test(notifications=True, size=(120, 30)) as pilot:  # pseudo texts are longer
            await open_lists(pilot, 2)
            for keys, where in ((("f1",), "F1 help"), (("escape", "insert"), "entry dialog"), (("escape", "f6"), "deactivate question"),
                                (("escape", "f5"), "history"), (("escape", "delete"), "delete question"),
                                (("ctrl+s",), "deleted, notification")):
                await pilot.press(*keys)
                await settle(pilot)
                text = screen_text(app)
                assert untranslated_words(text, allowed) == [], f"{where}:\n{text}"
    finally:
        set_language("nl")


async def test_a_new_entry_keeps_its_french_and_english_names(demo_db: str) -> None:
    """Issue 29: Ins, code Tab Dutch Tab French Tab English, Ctrl+S kept only the Dutch name (F4 kept all three)."""
    from tests.support.foundation_helpers import run_cli

    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_lists(pilot, 10)
        assert str(screen.query_one("#list_title", Static).render()).startswith("Reden van blokkering")
        await pilot.press("insert")
        assert isinstance(app.screen, ListEntryDialog)
        await type_text(pilot, "curatele")
        await pilot.press("tab")
        await type_text(pilot, "Curatele")
        await pilot.press("tab")
        await type_text(pilot, "Curatelle")
        await pilot.press("tab")
        await type_text(pilot, "Guardianship")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "'curatele' (Curatele) is toegevoegd." in toasts(app)
        assert "fr: Curatelle · en: Guardianship" in str(screen.query_one("#entry_details", Static).render())
    assert reference.label("block_reason", "curatele", "fr") == "Curatelle"
    assert reference.label("block_reason", "curatele", "en") == "Guardianship"
    shown = run_cli("lists", "show", "blokkeerreden", db=demo_db)
    assert "curatele               Curatele  (fr: Curatelle; en: Guardianship)" in shown.out, shown
    history = lists.history("blokkeerreden")
    assert history[0]["changes"]["label_fr"] == [None, "Curatelle"] and history[0]["changes"]["label_en"] == [None, "Guardianship"]
