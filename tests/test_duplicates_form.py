"""Issue 16 in the customer form: saving a likely duplicate brings up the dialog; save anyway, open the other, or go back."""
from __future__ import annotations

from textual.widgets import Input

from klantbeheer.data import customers
from klantbeheer.tui.dialogs.duplicates import DuplicatesDialog
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.form_helpers import make_app, open_form, wait_form


def count() -> int:
    """How many customers exist."""
    return len(customers.search("", limit=1000))


async def fill_abc_again(pilot, form: CustomerFormScreen) -> None:
    """The issue's case: a new customer ABC, Hogestraat 53, 8830 (ABC 123 exists and is blocked)."""
    for field, value in (("name", "ABC"), ("address", "Hogestraat 53"), ("postcode", "8830")):
        form.query_one(f"#{field}", Input).value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_form(pilot)


async def test_a_new_abc_warns_and_saves_only_when_asked(demo_db: str) -> None:
    customers.block(123, "wanbetaling", "", None, "admin")
    before = count()
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        await fill_abc_again(pilot, form)
        dialog = app.screen
        assert isinstance(dialog, DuplicatesDialog)
        assert [(m["number"], m["blocked"], m["matches"]) for m in dialog.matches] == [(123, True, ["naam en postcode"])]
        assert count() == before  # nothing saved while the question is open
        await pilot.press("escape")
        await wait_form(pilot)
        assert app.screen is form and count() == before
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert isinstance(app.screen, DuplicatesDialog)
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert app.screen is form and count() == before + 1
        assert form.number is not None and customers.get(form.number)["name"] == "ABC"


async def test_enter_opens_the_existing_customer_and_keeps_the_new_one_unsaved(demo_db: str) -> None:
    before = count()
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        await fill_abc_again(pilot, form)
        assert isinstance(app.screen, DuplicatesDialog)
        await pilot.press("enter")
        await wait_form(pilot)
        opened = app.screen
        assert isinstance(opened, CustomerFormScreen) and opened.number == 123
        await pilot.press("escape")
        await wait_form(pilot)
        assert app.screen is form and form.query_one("#name", Input).value == "ABC"
    assert count() == before


async def test_saving_a_known_branch_again_does_not_warn_unless_its_identity_changes(demo_db: str) -> None:
    branch = customers.create({"name": "ABC Filiaal", "vat_number": "BE0867756456"}, "admin")
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, branch["number"])
        form.query_one("#email", Input).value = "filiaal@abc.be"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert app.screen is form and customers.get(branch["number"])["email"] == "filiaal@abc.be"
        form.query_one("#name", Input).value = "ABC Filiaal Gent"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert isinstance(app.screen, DuplicatesDialog)
