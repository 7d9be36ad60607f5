"""Every way out of a screen with unsaved input asks first; a pending block counts as unsaved input.

Each test sets a block (not yet saved) on ABC (123) and then tries to leave another way.
"""
from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Select, Static

from klantbeheer.data import clock, customers, drafts
from klantbeheer.tui.dialogs.block_reason import BlockReasonDialog
from klantbeheer.tui.dialogs.restore_draft import RestoreDraftDialog
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog
from klantbeheer.tui.kiosk import IdleWarning
from klantbeheer.tui.screens.customer_search import CustomerSearchScreen
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from tests.support.form_helpers import make_app, notes, open_form, wait_form
from tests.support.new_dossier_helpers import fill, settle
from tests.support.waiting import app_until

HOSTILE = "Dupont [/] [b]niet vet"


async def block_pending(pilot, form: CustomerFormScreen) -> None:
    """Ctrl+B, a reason and a message with markup-like text, OK: the block waits for Bewaren."""
    await pilot.press("ctrl+b")
    dialog = pilot.app.screen
    assert isinstance(dialog, BlockReasonDialog)
    dialog.query_one("#block_reason", Select).value = "wanbetaling"
    dialog.query_one("#block_message", Input).value = HOSTILE
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert pilot.app.screen is form
    assert "nog niet bewaard" in str(form.query_one("#block_banner", Static).render())
    assert HOSTILE in str(form.query_one("#block_banner", Static).render())
    assert form.dirty and not form.draft.edits  # only the block is pending


async def test_ctrl_q_asks_and_terug_keeps_the_app_running_then_bewaren_saves_and_quits(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, SaveChangesDialog) and not app._exit
        await pilot.press("escape")  # Terug
        await pilot.pause()
        assert app.screen is form and form.dirty and not app._exit
        await pilot.press("ctrl+q", "ctrl+s")  # Bewaren
        await app_until(pilot, lambda: app._exit)
        assert "Klant 123 (ABC) is bewaard." in notes(app)
    saved = customers.get(123)
    assert saved["blocked"] is True and saved["block_message"] == HOSTILE
    assert drafts.kept("admin") == []


async def test_ctrl_q_niet_bewaren_quits_and_forgets(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        await pilot.press("ctrl+q", "n")
        await app_until(pilot, lambda: app._exit)
    assert customers.get(123)["blocked"] is False
    assert drafts.kept("admin") == []


async def test_f2_over_a_dossier_asks_for_each_screen(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        await pilot.press("f3")
        await settle(pilot)
        dossier = app.screen
        assert isinstance(dossier, NewDossierScreen)
        await fill(pilot, "description", "Schade [/] achterklep")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SaveChangesDialog) and app.screen_stack[-2] is dossier
        await pilot.press("n")  # the dossier: Niet bewaren
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesDialog) and app.screen_stack[-2] is form
        await pilot.press("escape")  # the form: Terug, the block is still pending
        await pilot.pause()
        assert app.screen is form and form.dirty
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SaveChangesDialog)
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert isinstance(app.screen, CustomerSearchScreen)
    assert customers.get(123)["blocked"] is True


async def test_escape_with_a_pending_block_asks(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaveChangesDialog)
        text = str(app.screen.query_one(".dialog-text", Static).render())
        assert "klant 123 (ABC)" in text
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CustomerSearchScreen)
    assert customers.get(123)["blocked"] is False


async def test_ctrl_p_opening_another_customer_asks_first(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"1001")
        await app_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await app_until(pilot, lambda: isinstance(app.screen, SaveChangesDialog))
        assert app.screen_stack[-2] is form
        await pilot.press("ctrl+s")
        await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen) and app.screen is not form)
        assert "Klant 123 (ABC) is bewaard." in notes(app)  # read at once: on a loaded machine the toast times out
        await wait_form(pilot)
        assert app.screen.number == 1001
        assert form not in app.screen_stack
    assert customers.get(123)["blocked"] is True


async def test_kiosk_idle_warns_any_key_cancels_then_resets_and_keeps_a_draft(demo_db: str) -> None:
    # A long idle time while the form opens (a loaded machine may take seconds), then a short one from here on.
    app = make_app(demo_db, "admin", kiosk=True, idle_seconds=600.0, warn_seconds=1.5)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        form.query_one("#contact", Input).focus()
        app.idle_watch.seconds = 5.0
        app.idle_watch.touch()
        await app_until(pilot, lambda: isinstance(app.screen, IdleWarning) and bool(app.screen.query("#idle_text")))
        assert "keert de kiosk terug" in str(app.screen.query_one("#idle_text", Static).render())
        await pilot.press("x")  # cancels the countdown, types nothing
        await app_until(pilot, lambda: app.screen is form, what="the warning gone, back on the form")
        assert form.query_one("#contact", Input).value == ""
        await app_until(pilot, lambda: isinstance(app.screen, IdleWarning))
        await app_until(pilot, lambda: isinstance(app.screen, CustomerSearchScreen))
        assert form not in app.screen_stack
    kept = drafts.kept("admin")
    assert [d.key for d in kept] == ["customer:123"]
    assert customers.get(123)["blocked"] is False

    again = make_app(demo_db, "admin")
    async with again.run_test(notifications=True, size=(80, 24)) as pilot:
        await app_until(pilot, lambda: isinstance(again.screen, RestoreDraftDialog) and again.screen.query("#restore_title"))
        title = str(again.screen.query_one("#restore_title", Static).render())
        assert title == f"Niet bewaarde wijzigingen van {clock.local(kept[0].saved_at):%H:%M} herstellen?"  # office time
        await pilot.press("ctrl+s")  # Herstellen
        await app_until(pilot, lambda: isinstance(again.screen, CustomerFormScreen))
        await wait_form(pilot)
        restored = again.screen
        assert "nog niet bewaard" in str(restored.query_one("#block_banner", Static).render())
        await pilot.press("ctrl+s")
        await wait_form(pilot)
    saved = customers.get(123)
    assert saved["blocked"] is True and saved["block_message"] == HOSTILE
    assert drafts.kept("admin") == []
