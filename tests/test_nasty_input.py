"""Pilot: a corpus of nasty strings in the search box and every typed form field; the app answers with messages."""
from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea
from textual.worker import WorkerState

from klantbeheer.data import customers
from klantbeheer.data.models import Customer, CustomerEvent
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.form_helpers import make_app, notes, open_form, wait_form
from tests.support.search_screen_helpers import search_screen, settle, table

NASTY = [
    "'; DROP TABLE customer; --", '" OR 1=1 --', "%_%", "NEAR(a b)", '"unterminated', "* AND *",
    "\x00\x01\x1b[31mrood\x1b[0m", "[bold red]markup[/]", "\u202egnirts\u202c", "\u200b\u200d", "🙂👍🏽🇧🇪",
    "Ǆ ǅ ß İ ﬁ", "é" * 130, "x" * 5000, "line\nbreak\ttab", "  ", "0", "-1", "9" * 40, "BE0867756456",
    "+32 2 512 34 56", "BE68 5390 0754 7034", "a@", "@b.be", "../../etc/passwd", "${HOME} $(id) `id`",
    "\\", "\ud83d", "D'Hondt", "Van den Broeck-Dupont",
]


# The form test types into ~25 fields per string; a representative subset keeps it quick.
FORM_NASTY = [NASTY[i] for i in (0, 6, 7, 12, 14, 27)]


def _no_failed_workers(app) -> None:
    """No worker ended in an exception (the app would show a traceback for those)."""
    failed = [w for w in app.workers if w.state == WorkerState.ERROR]
    assert failed == [], [(w.name, w.error) for w in failed]
    assert app._exception is None and app.is_running


async def test_nasty_strings_in_the_search_box(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        screen = search_screen(pilot)
        box = screen.query_one("#search", Input)
        for text in NASTY:
            box.value = ""
            box.focus()
            box.post_message(events.Paste(text))  # as a terminal delivers pasted text
            await pilot.pause()
            await settle(pilot)
            _no_failed_workers(app)
            assert search_screen(pilot) is screen
            assert screen.status().strip(), text  # a Dutch status line: results, none, or a hint
        # Typed key by key as well, for the ones a keyboard can produce.
        box.value = ""
        await pilot.press(*"d'hondt")
        await settle(pilot)
        _no_failed_workers(app)
        assert any("Hondt" in str(table(pilot).get_row_at(i)) for i in range(table(pilot).row_count))


OUTCOMES = {"Bewaard", "Niet bewaard", "Niet bewaard: controleer de velden"}


def titles(app) -> list[str]:
    """The titles of the notifications shown now."""
    return [note.title for note in app._notifications]


async def test_nasty_strings_in_every_form_field(demo_db: str) -> None:
    before = customers.get(123)
    events_before = CustomerEvent.select().count()
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        fields = [w for w in form.query("Input, TextArea") if w.id and not w.disabled]
        assert len(fields) >= 15, [w.id for w in fields]
        answered = 0
        for text in FORM_NASTY:
            for widget in fields:
                if isinstance(widget, TextArea):
                    widget.text = ""
                else:
                    widget.value = ""
                widget.focus()
                widget.post_message(events.Paste(text))
            await pilot.pause()
            app.clear_notifications()
            await pilot.press("ctrl+s")
            await wait_form(pilot)
            _no_failed_workers(app)
            assert isinstance(app.screen, CustomerFormScreen), type(app.screen)
            shown = notes(app)
            assert set(titles(app)) & OUTCOMES, (text, shown)  # a definite answer: saved or refused
            assert "Traceback" not in shown and "Error" not in shown
            answered += 1
        assert answered == len(FORM_NASTY)

        # Then one field at a time (the others as stored), so values that are valid get saved and shown.
        await pilot.press("escape")  # first put every field back to what is stored
        await wait_form(pilot)
        if app.screen.is_modal:
            await pilot.click("#discard")
            await wait_form(pilot)
        form = await open_form(pilot, 123)
        fields = [w for w in form.query("Input, TextArea") if w.id and not w.disabled]
        outcomes: dict[str, str] = {}
        for index, widget in enumerate(fields):
            text = NASTY[(index * 7) % len(NASTY)]
            is_memo = isinstance(widget, TextArea)
            old = widget.text if is_memo else widget.value
            if is_memo:
                widget.text = ""
            else:
                widget.value = ""
            widget.focus()
            widget.post_message(events.Paste(text))
            await pilot.pause()
            app.clear_notifications()
            await pilot.press("ctrl+s")
            await wait_form(pilot)
            _no_failed_workers(app)
            shown = notes(app)
            answer = set(titles(app)) & OUTCOMES
            assert len(answer) == 1, (widget.id, text, shown)
            outcomes[widget.id] = "saved" if answer == {"Bewaard"} else "refused"
            if outcomes[widget.id] == "refused":  # put the stored value back before the next field
                if is_memo:
                    widget.text = old
                else:
                    widget.value = old
                await pilot.pause()
        assert "saved" in outcomes.values() and "refused" in outcomes.values(), outcomes
    # Nothing invalid got in: the customer is unchanged unless a save was accepted and recorded.
    after = customers.get(123)
    if CustomerEvent.select().count() == events_before:
        assert after == before
    assert not any("\x00" in c.name or "\x1b" in c.name for c in Customer.select(Customer.name))
