"""Issue 19 in the customer form: only active entries offered, an inactive one kept and marked, lists live across processes."""
from __future__ import annotations

from textual.widgets import Input, Select, Static
from textual.widgets._select import SelectOverlay

from klantbeheer.data import customers, lists
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.form_helpers import make_app, notes, open_form, wait_form, wait_until
from tests.support.foundation_helpers import run_cli


def offered(form: CustomerFormScreen, name: str) -> list[str]:
    """The options a choice box shows when opened, as the user reads them."""
    overlay = form.query_one(f"#{name}", Select).query_one(SelectOverlay)
    return [str(overlay.get_option_at_index(index).prompt) for index in range(overlay.option_count)]


def shown(form: CustomerFormScreen, name: str) -> str:
    """The text a closed choice box shows."""
    return str(form.query_one(f"#{name}", Select).query_one("#label", Static).render())


async def test_an_inactive_entry_is_shown_marked_and_kept_but_not_offered_anew(demo_db: str) -> None:
    customers.update(123, {"payment_condition": "30_dagen"}, None, "admin")
    lists.set_active("betalingsvoorwaarde", "30_dagen", False, "admin")
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        assert shown(form, "payment_condition") == "30 dagen na factuurdatum (inactief)"
        assert offered(form, "payment_condition")[-1] == "30 dagen na factuurdatum (inactief)"
        assert "30 dagen na factuurdatum" not in offered(form, "payment_condition")
        form.query_one("#contact", Input).value = "Mia"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert "Klant 123 (ABC) is bewaard." in notes(app)
        saved = customers.get(123)
        assert (saved["payment_condition"], saved["contact"]) == ("30_dagen", "Mia")  # kept until someone picks another
        form.query_one("#payment_condition", Select).value = "contant"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert customers.get(123)["payment_condition"] == "contant"
        app.open_customer(None)  # a new customer: the inactive entry is not offered at all
        await pilot.pause()
        await wait_form(pilot)
        assert "30 dagen na factuurdatum (inactief)" not in offered(app.screen, "payment_condition")
        assert "30 dagen na factuurdatum" not in offered(app.screen, "payment_condition")


async def test_a_new_hersteller_and_a_rename_show_in_an_open_form_without_restart(demo_db: str) -> None:
    customers.update(123, {"price_list": "vloot"}, None, "admin")
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Onbewaard"  # unsaved input stays through the refresh
        assert "Carrosserie Peeters (Leuven)" not in offered(form, "repairer")
        # another process (the command line) adds a hersteller and renames a price list
        assert run_cli("lists", "add", "hersteller", "peeters", "Carrosserie Peeters", "--city", "Leuven", db=demo_db).code == 0
        await wait_until(pilot, lambda: "Carrosserie Peeters (Leuven)" in offered(form, "repairer"))
        assert run_cli("lists", "rename", "prijslijst", "vloot", "Vloot en leasing", db=demo_db).code == 0
        await wait_until(pilot, lambda: shown(form, "price_list") == "Vloot en leasing")
        assert form.query_one("#contact", Input).value == "Onbewaard" and form.dirty


async def test_labels_with_brackets_open_as_typed_in_the_form_and_the_block_dialog(demo_db: str) -> None:
    lists.add("hersteller", "haak", "Dupont [/] & [b]Zonen", "admin", {"city": "Gent [x]"})
    lists.add("blokkeerreden", "haak", "Schuld [/b] [red]", "admin")
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#repairer", Select).focus()
        await pilot.press("enter")  # the list opens (a label read as markup would stop the app here)
        await pilot.pause()
        assert "Dupont [/] & [b]Zonen (Gent [x])" in offered(form, "repairer")
        await pilot.press("escape")
        await pilot.press("ctrl+b")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#block_reason", Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = dialog.query_one("#block_reason", Select).query_one(SelectOverlay)
        prompts = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert prompts[-1] == "Schuld [/b] [red]"
