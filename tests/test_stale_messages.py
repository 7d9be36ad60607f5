"""A message disappears when what it described is no longer so; toasts never cover a dialog's buttons.

Notifications are rendered (run_test(notifications=True)) and read from the screen, as a person reads them.
"""
from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input
from textual.widgets._toast import Toast

from klantbeheer.data import clock, customers
from klantbeheer.tui.dialogs.block_reason import BlockReasonDialog
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from tests.support.form_helpers import make_app, open_form, wait_form, wait_until
from tests.support.typeahead_helpers import burst, keys_of, settle_keys


def screen_text(app) -> str:
    """The top screen as plain text, toasts included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_refused_block_message_goes_once_the_block_is_accepted(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await burst(pilot, "ctrl+b")
        await wait_until(pilot, lambda: isinstance(app.screen, BlockReasonDialog))
        dialog = app.screen
        await burst(pilot, "enter", "down", "enter")  # the first reason
        past = (clock.today() - dt.timedelta(days=2)).strftime("%d-%m-%Y")
        dialog.query_one("#blocked_until", Input).value = past
        await burst(pilot, "ctrl+s")
        await pilot.pause()
        assert "De einddatum ligt in het verleden." in screen_text(app)  # the toast, on screen
        dialog.query_one("#blocked_until", Input).value = ""
        await burst(pilot, "ctrl+s")
        await wait_until(pilot, lambda: app.screen is form)
        await pilot.pause()
        shown = screen_text(app)
        assert "GEBLOKKEERD" in shown
        assert "Niet geblokkeerd" not in shown and "in het verleden" not in shown


async def test_a_failed_save_message_goes_once_the_save_succeeds(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#email", Input).value = "niet-geldig@"
        await burst(pilot, "ctrl+s")
        await wait_form(pilot)
        assert "Niet bewaard: controleer de velden" in screen_text(app)
        form.query_one("#email", Input).value = "info@abc.be"
        await burst(pilot, "ctrl+s")
        await wait_form(pilot)
        await wait_until(pilot, lambda: customers.get(123)["email"] == "info@abc.be")
        await pilot.pause()
        shown = screen_text(app)
        assert "Bewaard" in shown
        assert "Niet bewaard" not in shown


async def test_a_blocked_owner_message_goes_once_another_owner_is_picked(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle_keys(pilot)
        app.action_new_dossier()
        await wait_until(pilot, lambda: isinstance(app.screen, NewDossierScreen))
        screen = app.screen
        await burst(pilot, *keys_of("1005"), "enter")  # Peeters Transport BV, blocked in the demo
        await wait_until(pilot, lambda: isinstance(app.screen, BlockedNoticeScreen))
        await burst(pilot, "escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: "(1005) is geblokkeerd" in screen_text(app))
        await burst(pilot, *keys_of("123"), "enter")
        await wait_until(pilot, lambda: "niet geblokkeerd" in screen_text(app))
        shown = screen_text(app)
        assert "niet geblokkeerd" in shown
        assert "1005" not in shown and "is geblokkeerd" not in shown


@pytest.mark.parametrize("dialog", ["block", "save_changes"])
async def test_a_toast_over_a_dialog_leaves_its_title_and_buttons_readable(demo_db: str, dialog: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        if dialog == "block":
            await burst(pilot, "ctrl+b")
            labels = ["Klant blokkeren: ABC", "In orde (Ctrl+S)", "Annuleren (Esc)"]  # the title too
        else:
            form.query_one("#name", Input).value = "ABC Nieuw"
            await burst(pilot, "escape")
            labels = ["Wijzigingen bewaren?", "Bewaren (Ctrl+S)", "Niet bewaren (N)", "Terug (Esc)"]
        await wait_until(pilot, lambda: app.screen is not form)
        app.notify("Klant 123 werd intussen gewijzigd door Lotte Vermeulen. Bij Bewaren voegt u beide samen.",
                   title="Intussen gewijzigd", severity="warning")
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 1)
        def readable() -> bool:
            return "Intussen gewijzigd" in screen_text(app) and all(label in screen_text(app) for label in labels)

        await wait_until(pilot, readable, timeout=3)  # the toast is there, and so are the buttons


async def test_unsaved_marker_stays_in_view_with_a_long_name(demo_db: str) -> None:
    customers.update(123, {"name": "Algemene Onderneming voor Carrosserie en Schadeherstel Van den Broeck-Vandenbossche"},
                     None, "admin")
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#external_ref", Input).value = "5745"
        await wait_until(pilot, lambda: "● Niet bewaard" in screen_text(app).splitlines()[1])
