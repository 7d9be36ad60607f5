"""Every dialog of the form and dossier screens at 80x24 (snapshots), and answered by keyboard alone (Pilot).

Each dialog is reached the way a person does it: keys only (open the customer like the search
screen does, then type, Escape, Ctrl+S, Ctrl+B, Ctrl+D, F1, F3). Times are frozen and the theme is
pinned, as in test_form_snapshots.py.
"""
from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from klantbeheer.data import customers, demo, dossiers
from klantbeheer.data.errors import NotFound
from klantbeheer.tui.app import KlantbeheerApp
from klantbeheer.tui.dialogs.confirm import ConfirmationModal
from klantbeheer.tui.dialogs.merge import MergeDialog as ConflictDialog
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from klantbeheer.tui.screens.help import HelpScreen
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from klantbeheer.tui.widgets.block_switch import BlockSwitch
from tests.support.form_helpers import freeze_clock, make_app, open_form, wait_form
from tests.support.new_dossier_helpers import settle
from tests.support.snapshot_helpers import still_cursor, wait_for_screen

RunBefore = Callable[[Pilot], Awaitable[None]]
BLOCKED = 1002  # D'Hondt Bouw NV: blocked in the demo data
NO_DOSSIERS = 1001  # Hélène Dubois: not blocked, no dossiers


@pytest.fixture
def dialog_db(db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo data with ABC's dossier; every data-layer time fixed; no saved theme choice."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    freeze_clock(monkeypatch)
    demo.load_demo("admin", demo_database=True)
    dossiers.create_dossier(123, "Schade voorbumper", licence_plate="1abc123", operator="mw")
    return db_path


@pytest.fixture
def no_watcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """No live-refresh thread: its 'Intussen gewijzigd' notice would come at a random moment in a snapshot."""
    monkeypatch.setattr("klantbeheer.tui.app.start_change_watcher", lambda app: None)


def app_for(db: str, operator: str = "admin") -> KlantbeheerApp:
    """The app on the dialog database, in a fixed theme."""
    app = make_app(db, operator)
    app.theme = "textual-dark"
    return app


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text with key presses (a space is the 'space' key)."""
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def edit_name(pilot: Pilot, number: int = 123) -> CustomerFormScreen:
    """Open the customer (the cursor starts in Naam) and type behind the name."""
    form = await open_form(pilot, number)
    assert form.focused is form.query_one("#name")
    await pilot.press("end")
    await type_text(pilot, " jr")
    await pilot.pause()
    return form


# ----------------------------------------------------------------- how each dialog is reached
async def press_for(pilot: Pilot, key: str, dialog: type) -> None:
    """Press one key and check that it brought up `dialog`."""
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, dialog)


async def to_save_changes(pilot: Pilot) -> None:
    """ABC: type in a field, Escape -> 'Wijzigingen bewaren?'."""
    await edit_name(pilot)
    await press_for(pilot, "escape", SaveChangesDialog)


async def to_conflict(pilot: Pilot) -> None:
    """ABC: type in a field; Mia saves ABC meanwhile; Ctrl+S -> 'Klant intussen gewijzigd: samenvoegen'."""
    await edit_name(pilot)
    current = customers.get(123)
    customers.update(123, {"phone": "051 30 30 30"}, current["version"], "mw")
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, ConflictDialog)


async def to_unblock(pilot: Pilot) -> None:
    """A blocked customer: Ctrl+B -> 'Blokkering opheffen?'."""
    await open_form(pilot, BLOCKED)
    await press_for(pilot, "ctrl+b", ConfirmationModal)


async def to_delete(pilot: Pilot) -> None:
    """A customer without dossiers: Ctrl+D -> 'Klant verwijderen?'."""
    await open_form(pilot, NO_DOSSIERS)
    await press_for(pilot, "ctrl+d", ConfirmationModal)


async def to_new_dossier(pilot: Pilot) -> NewDossierScreen:
    """F3 on ABC's form: the new dossier screen with ABC as owner, cursor in the description."""
    await open_form(pilot, 123)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewDossierScreen)
    return screen


async def to_discard_dossier(pilot: Pilot) -> None:
    """New dossier for ABC: type a description, Escape -> 'Wijzigingen bewaren?'."""
    await to_new_dossier(pilot)
    await type_text(pilot, "Schade achterklep")
    await press_for(pilot, "escape", SaveChangesDialog)


async def to_form_help(pilot: Pilot) -> None:
    """ABC's form: F1 -> the keys of the form."""
    await open_form(pilot, 123)
    await press_for(pilot, "f1", HelpScreen)


async def to_dossier_help(pilot: Pilot) -> None:
    """The new dossier screen: F1 -> the keys of that screen."""
    await to_new_dossier(pilot)
    await press_for(pilot, "f1", HelpScreen)


def snapshot_of(reach: RunBefore) -> RunBefore:
    """run_before: reach the dialog, then still every cursor."""

    async def run_before(pilot: Pilot) -> None:
        await reach(pilot)
        await still_cursor(pilot)

    return run_before


# ----------------------------------------------------------------- snapshots at 80x24
@pytest.mark.parametrize(
    "reach",
    [to_save_changes, to_unblock, to_delete, to_discard_dossier, to_form_help, to_dossier_help],
    ids=["save_changes", "confirm_unblock", "confirm_delete", "discard_dossier", "form_help", "dossier_help"],
)
def test_dialog_fits_80x24(snap_compare, dialog_db: str, reach: RunBefore) -> None:
    assert snap_compare(app_for(dialog_db), terminal_size=(80, 24), run_before=snapshot_of(reach))


def test_conflict_dialog_fits_80x24(snap_compare, dialog_db: str, no_watcher: None) -> None:
    assert snap_compare(app_for(dialog_db), terminal_size=(80, 24), run_before=snapshot_of(to_conflict))


# ----------------------------------------------------------------- keyboard alone
def button_labels(app: KlantbeheerApp) -> list[str]:
    """The labels of the buttons of the dialog on top."""
    return [str(button.label) for button in app.screen.query(Button)]


async def test_save_changes_ctrl_s_saves_and_leaves(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_save_changes(pilot)
        assert "Bewaren (Ctrl+S)" in button_labels(app)
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert not isinstance(app.screen, (SaveChangesDialog, CustomerFormScreen))
        assert customers.get(123)["name"].endswith(" jr")


async def test_save_changes_escape_stays_in_the_form(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await edit_name(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "Terug (Esc)" in button_labels(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        assert form.dirty is True
        assert form.query_one("#name", Input).value.endswith(" jr")
        assert not customers.get(123)["name"].endswith(" jr")


async def test_save_changes_niet_bewaren_by_keys(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_save_changes(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, (SaveChangesDialog, CustomerFormScreen))
        assert not customers.get(123)["name"].endswith(" jr")


async def test_conflict_escape_merges_and_h_reloads(dialog_db: str, no_watcher: None) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_conflict(pilot)
        form = app.screen_stack[-2]
        assert isinstance(form, CustomerFormScreen)
        assert "Samenvoegen (Ctrl+S)" in button_labels(app)
        await pilot.press("escape")  # merge: Mia's phone and my name
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#name", Input).value.endswith(" jr")
        assert form.query_one("#phone", Input).value == "051 30 30 30"
        customers.update(123, {"contact": "Bert"}, customers.get(123)["version"], "mw")
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("h")
        await wait_form(pilot)
        assert app.screen is form
        assert not form.query_one("#name", Input).value.endswith(" jr")
        assert form.query_one("#contact", Input).value == "Bert"
        assert form.version == customers.get(123)["version"] and not form.dirty


@pytest.mark.parametrize("key", ["enter", "ctrl+s"])
async def test_unblock_confirmed_by_keys(dialog_db: str, key: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_unblock(pilot)
        form = app.screen_stack[-2]
        assert isinstance(form, CustomerFormScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#blocked", BlockSwitch).value is False
        assert form.draft.block_change == {"blocked": False}
        assert customers.get(BLOCKED)["blocked"] is True  # only after Bewaren


async def test_unblock_escape_keeps_the_block(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_unblock(pilot)
        assert "Annuleren (Esc)" in button_labels(app)
        form = app.screen_stack[-2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#blocked", BlockSwitch).value is True
        assert form.draft.block_change is None


async def test_delete_escape_and_enter_keep_the_customer(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_delete(pilot)
        form = app.screen_stack[-2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("enter")  # the focus starts on Annuleren: Enter by accident deletes nothing
        await wait_form(pilot)
        assert app.screen is form
        assert customers.get(NO_DOSSIERS)["name"] == "Hélène Dubois"


async def test_delete_confirmed_by_ctrl_s(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_delete(pilot)
        assert "Verwijderen (Ctrl+S)" in button_labels(app)
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert not isinstance(app.screen, (ConfirmationModal, CustomerFormScreen))
        with pytest.raises(NotFound):
            customers.get(NO_DOSSIERS)


async def test_unsaved_dossier_escape_stays(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_discard_dossier(pilot)
        screen = app.screen_stack[-2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#description", Input).value == "Schade achterklep"


async def test_unsaved_dossier_n_leaves_without_creating(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_discard_dossier(pilot)
        assert "Niet bewaren (N)" in button_labels(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CustomerFormScreen)
        assert [d["description"] for d in dossiers.list_dossiers(123)] == ["Schade voorbumper"]


async def test_unsaved_dossier_ctrl_s_creates_it_then_leaves(dialog_db: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await to_discard_dossier(pilot)
        await pilot.press("ctrl+s")
        # the dossier is created in a worker, then the screen closes
        await wait_for_screen(pilot, CustomerFormScreen)
        assert sorted(d["description"] for d in dossiers.list_dossiers(123)) == ["Schade achterklep", "Schade voorbumper"]


@pytest.mark.parametrize("reach", [to_form_help, to_dossier_help], ids=["form", "dossier"])
@pytest.mark.parametrize("key", ["escape", "f1"])
async def test_help_closes_by_keys(dialog_db: str, reach: RunBefore, key: str) -> None:
    app = app_for(dialog_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await reach(pilot)
        under = app.screen_stack[-2]
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is under
