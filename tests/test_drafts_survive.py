"""Unsaved input survives a killed process, keys typed during a reload stay, and two processes merge."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from textual.widgets import Input, RadioButton, Static

from klantbeheer.data import customers, drafts, staff
from klantbeheer.data.models import Draft
from klantbeheer.tui.dialogs.merge import MergeDialog
from klantbeheer.tui.dialogs.restore_draft import RestoreDraftDialog
from klantbeheer.tui.screens.form import loading
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.form_helpers import REPO, make_app, open_form, run_second_instance, wait_form
from tests.support.waiting import app_until
from tests.test_ways_out import block_pending

EDITOR = REPO / "tests" / "support" / "form_editor_process.py"


def test_sigkill_while_editing_then_restore_on_the_next_start(demo_db: str) -> None:
    editor = subprocess.Popen([sys.executable, str(EDITOR), demo_db, "123", "admin"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = editor.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == "READY", editor.stderr.read()  # type: ignore[union-attr]
    finally:
        os.kill(editor.pid, signal.SIGKILL)
        editor.wait(10)
    assert editor.returncode == -signal.SIGKILL
    assert customers.get(123)["contact"] == "" and customers.get(123)["blocked"] is False
    assert [d.key for d in drafts.kept("admin")] == ["customer:123"]
    assert drafts.kept("mw") == []  # only the same operator gets it back

    import asyncio

    async def restart() -> None:
        app = make_app(demo_db, "admin")
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            await app_until(pilot, lambda: isinstance(app.screen, RestoreDraftDialog) and app.screen.query("#restore_title"))
            assert "herstellen?" in str(app.screen.query_one("#restore_title", Static).render())
            await pilot.press("ctrl+s")  # Herstellen
            await app_until(pilot, lambda: isinstance(app.screen, CustomerFormScreen))
            await wait_form(pilot)
            form = app.screen
            assert form.query_one("#contact", Input).value == "Anna"
            assert "nog niet bewaard" in str(form.query_one("#block_banner", Static).render())
            await pilot.press("ctrl+s")
            await wait_form(pilot)
            assert not form.dirty

    asyncio.run(restart())
    saved = customers.get(123)
    assert saved["contact"] == "Anna" and saved["blocked"] is True and saved["block_reason"] == "wanbetaling"
    assert drafts.kept("admin") == []


async def test_keys_typed_during_a_slow_reload_after_save_stay(demo_db: str, monkeypatch) -> None:
    real_load = loading.load
    slow = {"on": False}

    def slow_load(number):
        """The real load, made slow on purpose once the test asks for it."""
        if slow["on"]:
            time.sleep(3.0)  # slow on purpose: keys are typed while it runs
        return real_load(number)

    monkeypatch.setattr(loading, "load", slow_load)
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).focus()
        await pilot.press(*"Anna")
        slow["on"] = True
        await pilot.press("ctrl+s", "space", *"en", "space", *"Bert", *["shift+tab"] * 4, *"R9")  # typed while the save reads back
        await app_until(pilot, lambda: form.saving or form.version == 2)  # the save has started (or already read back)
        await wait_form(pilot)
        assert form.version == 2 and customers.get(123)["contact"] == "Anna"
        assert form.query_one("#contact", Input).value == "Anna en Bert"
        assert form.query_one("#external_ref", Input).value == "5744R9"  # focusing selects nothing: nothing replaced
        assert form.dirty and set(form.draft.edits) == {"contact", "external_ref"}
        slow["on"] = False
        await pilot.press("ctrl+s")
        await wait_form(pilot)
    saved = customers.get(123)
    assert (saved["contact"], saved["external_ref"], saved["version"]) == ("Anna en Bert", "5744R9", 3)


async def test_keys_typed_during_herladen_stay(demo_db: str, monkeypatch) -> None:
    real_load = loading.load
    slow = {"on": False}

    def slow_load(number):
        """The real load, made slow on purpose once the test asks for it."""
        if slow["on"]:
            time.sleep(3.0)  # slow on purpose: keys are typed while it runs
        return real_load(number)

    monkeypatch.setattr(loading, "load", slow_load)
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Anna"
        customers.update(123, {"contact": "Bert"}, 1, "mw")
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert isinstance(app.screen, MergeDialog)
        slow["on"] = True
        await pilot.press("h")
        await pilot.pause()
        form.query_one("#email", Input).focus()
        await pilot.press(*"x@example.be")  # typed while Herladen reads
        await wait_form(pilot)
        assert form.query_one("#contact", Input).value == "Bert"  # given up
        assert form.query_one("#email", Input).value == "x@example.be"  # kept
        assert form.version == 2 and set(form.draft.edits) == {"email"}


async def test_three_way_merge_through_two_real_processes(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Anna"  # both change the contact
        form.query_one("#email", Input).value = "anna@example.be"  # only I change the e-mail
        assert run_second_instance(demo_db, 123, "contact", "Bert", "mw") == "2"
        assert run_second_instance(demo_db, 123, "phone", "051 30 30 30", "mw") == "3"  # only they change the phone
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        summary = str(dialog.query_one("#merge_summary", Static).render())
        assert "Overgenomen: Tel." in summary and "Uw wijzigingen blijven: E-mail." in summary
        assert dialog.focused is dialog.query_one("#choice_contact")
        await pilot.press("right", "enter")  # take their contact
        # the radio set turns the button on through a message of its own: wait for it (a clean-clone run saw it late)
        await app_until(pilot, lambda: dialog.query_one("#theirs_contact", RadioButton).value, what="their contact chosen")
        await pilot.press("ctrl+s")  # Samenvoegen
        await app_until(pilot, lambda: app.screen is form)
        assert form.query_one("#contact", Input).value == "Bert"
        assert form.query_one("#phone", Input).value == "051 30 30 30"
        assert form.query_one("#email", Input).value == "anna@example.be"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert not form.dirty
    saved = customers.get(123)
    assert (saved["contact"], saved["phone"], saved["email"], saved["version"]) == ("Bert", "+3251303030", "anna@example.be", 4)


async def test_a_block_set_elsewhere_survives_the_merge_and_the_dialog_says_so(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)  # my own block, not yet saved: theirs wins
        form.query_one("#contact", Input).value = "Anna"
        staff.add("bea", "Bea Beheerder", "beheerder", "admin")
        customers.block(123, "Fraude", "Valse [/] documenten", None, "bea")
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        assert "De blokkering die intussen werd ingesteld" in str(dialog.query_one("#merge_summary", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "GEBLOKKEERD" in str(form.query_one("#block_banner", Static).render())
        await pilot.press("ctrl+s")
        await wait_form(pilot)
    saved = customers.get(123)
    assert saved["contact"] == "Anna" and saved["blocked"] is True
    assert (saved["block_reason"], saved["block_message"], saved["blocked_by"]) == ("fraude", "Valse [/] documenten", "bea")


async def test_closing_the_browser_tab_keeps_the_input_as_a_draft(demo_db: str) -> None:
    from textual import messages

    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await block_pending(pilot, form)
        app.post_message(messages.ExitApp())  # what textual-serve sends when the tab closes
        await app_until(pilot, lambda: app._exit or not app.is_running, timeout=5)
    kept = drafts.kept("admin")
    assert [d.key for d in kept] == ["customer:123"] and kept[0].payload["block_change"]["block_reason"] == "wanbetaling"
    assert customers.get(123)["blocked"] is False


async def test_undoing_an_edit_leaves_no_stale_draft_behind(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).focus()
        await pilot.press(*"Anna")
        await app_until(pilot, lambda: [d.key for d in drafts.kept("admin")] == ["customer:123"])
        await pilot.press(*["backspace"] * 4, "escape")  # back to what is stored: nothing to ask
        await pilot.pause()
        assert form not in app.screen_stack
        assert drafts.kept("admin") == []


async def test_later_keeps_a_kept_draft_and_weggooien_forgets_it(demo_db: str) -> None:
    from klantbeheer.data.drafts import CustomerDraft

    draft = CustomerDraft(123, customers.get(123))
    draft.set("contact", "Anna [/]")
    drafts.keep("admin", drafts.customer_key(123), draft.to_json())
    for key, left in (("escape", 1), ("w", 0)):
        app = make_app(demo_db, "admin")
        async with app.run_test(notifications=True, size=(80, 24)) as pilot:
            await app_until(pilot, lambda: isinstance(app.screen, RestoreDraftDialog))
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, (RestoreDraftDialog, CustomerFormScreen))
        assert len(drafts.kept("admin")) == left
    assert customers.get(123)["contact"] == ""


@pytest.mark.parametrize(("stored_utc", "office"), [(dt.datetime(2026, 1, 15, 22, 33), "23:33"),
                                                     (dt.datetime(2026, 7, 15, 22, 33), "00:33")])
async def test_the_restore_question_names_the_office_time_not_utc(db_path: str, stored_utc: dt.datetime, office: str) -> None:
    """Issue 29: 'wijzigingen van 22:33' when it was 23:33 in Brussels; every time shown is office time."""
    drafts.keep("admin", "customer:new", {"values": {"name": "Dupont"}, "base": {}, "number": None})
    Draft.update(saved_at=stored_utc).where(Draft.operator == "admin").execute()
    app = make_app(db_path, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await app_until(pilot, lambda: isinstance(app.screen, RestoreDraftDialog) and app.screen.query("#restore_message"))
        title = str(app.screen.query_one("#restore_title", Static).render())
        message = str(app.screen.query_one("#restore_message", Static).render())
    assert f"van {office} herstellen?" in title, title
    day = "16" if office == "00:33" else "15"
    assert f"{day}-{stored_utc:%m}-2026 {office}" in message, message
