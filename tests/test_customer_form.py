"""Pilot tests of the customer form on real SQLite files: blocking, roles, validation, conflicts, leaving."""
from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select, Static, TabbedContent

from klantbeheer.data import clock, customers, dossiers, postcodes, staff, validation
from klantbeheer.data.models import Customer
from klantbeheer.tui.dialogs.block_reason import BlockReasonDialog
from klantbeheer.tui.dialogs.confirm import ConfirmationModal
from klantbeheer.tui.dialogs.merge import MergeDialog as ConflictDialog
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog
from klantbeheer.tui.screens.form.fields import FIELD_TAB, LABELS
from klantbeheer.tui.screens.form.screen import UNSAVED, CustomerFormScreen
from klantbeheer.tui.widgets.block_banner import BlockBanner
from klantbeheer.tui.widgets.block_switch import BlockSwitch
from tests.support.form_helpers import make_app, notes, open_form, run_second_instance, wait_form, wait_until


def text_of(screen: CustomerFormScreen, selector: str) -> str:
    """The plain text a Static shows."""
    return str(screen.query_one(selector, Static).render())


async def pick_reason_and_message(pilot, message: str) -> None:
    """In the block dialog: choose the first reason with the keyboard, type the message."""
    dialog = pilot.app.screen
    assert isinstance(dialog, BlockReasonDialog)
    assert dialog.focused is dialog.query_one("#block_reason")
    await pilot.press("enter", "down", "enter")
    await pilot.press("tab")
    assert dialog.focused is dialog.query_one("#block_message")
    await pilot.press(*[("space" if c == " " else c) for c in message])


async def test_block_abc_with_reason_and_message_then_save(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#blocked", BlockSwitch).focus()
        await pilot.press("space")
        await pick_reason_and_message(pilot, "Eerst betalen")
        await pilot.press("ctrl+s")  # confirms the dialog
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#blocked", BlockSwitch).value is True
        assert UNSAVED in text_of(form, "#form_title")
        assert customers.get(123)["blocked"] is False  # nothing written before Bewaren
        await pilot.press("ctrl+s")  # saves the form
        await wait_form(pilot)
        saved = customers.get(123)
        assert saved["blocked"] is True
        assert saved["block_reason"] == "wanbetaling"
        assert saved["block_message"] == "Eerst betalen"
        assert saved["blocked_by"] == "admin"
        assert form.version == saved["version"] == 2
        assert UNSAVED not in text_of(form, "#form_title")
        history = text_of(form, "#history_events")
        assert "Geblokkeerd — reden: Wanbetaling, bericht: Eerst betalen" in history
        assert history.splitlines()[0].endswith("Geblokkeerd — reden: Wanbetaling, bericht: Eerst betalen")
        banner = text_of(form, "#block_banner")
        assert banner.startswith("GEBLOKKEERD · Reden: Wanbetaling")
        assert f"door {staff.full_name('admin')}" in banner and "Bericht: Eerst betalen" in banner
        assert "Klant 123 (ABC) is bewaard." in notes(app)


async def test_ctrl_b_from_a_field_and_escape_leaves_switch_off(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        assert form.focused is form.query_one("#name")
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, BlockReasonDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#blocked", BlockSwitch).value is False
        assert form.dirty is False
        assert not form.query_one("#block_banner", BlockBanner).has_class("shown")


async def test_block_dialog_needs_a_reason_and_a_valid_date(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_form(pilot, 123)
        await pilot.press("ctrl+b")
        dialog = app.screen
        assert isinstance(dialog, BlockReasonDialog)
        dialog.query_one("#blocked_until", Input).value = "31-02-2030"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "Kies een reden." in str(dialog.query_one("#block_reason_error", Static).render())
        assert "dd-mm-jjjj" in str(dialog.query_one("#blocked_until_error", Static).render())


async def test_block_with_end_date_is_saved_with_it(demo_db: str) -> None:
    until = clock.today() + dt.timedelta(days=30)
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await pilot.press("ctrl+b")
        dialog = app.screen
        dialog.query_one("#block_reason", Select).value = "geschil"
        dialog.query_one("#blocked_until", Input).value = until.strftime("%d-%m-%Y")
        await pilot.click("#ok")
        await pilot.pause()
        assert "nog niet bewaard" in text_of(form, "#block_banner")
        await pilot.press("f10")
        await wait_form(pilot)
        saved = customers.get(123)
        assert (saved["blocked"], saved["block_reason"], saved["blocked_until"]) == (True, "geschil", until)
        assert f"tot {until.strftime('%d-%m-%Y')}" in text_of(form, "#block_banner")


async def test_switching_off_asks_confirmation_then_unblocks_on_save(demo_db: str) -> None:
    customers.block(123, "Fraude", "Valse documenten", None, "admin")
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        assert form.query_one("#blocked", BlockSwitch).value is True
        form.query_one("#blocked", BlockSwitch).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.press("escape")  # no: stays blocked
        await pilot.pause()
        assert form.query_one("#blocked", BlockSwitch).value is True and form.dirty is False
        await pilot.press("enter")
        await pilot.press("enter")  # "Opheffen" has the focus
        await pilot.pause()
        assert form.query_one("#blocked", BlockSwitch).value is False
        assert customers.get(123)["blocked"] is True
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert customers.get(123)["blocked"] is False
        assert "Blokkering opgeheven — reden: Fraude" in text_of(form, "#history_events").splitlines()[0]
        assert not form.query_one("#block_banner", BlockBanner).has_class("shown")


async def test_medewerker_cannot_change_the_switch(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        switch = form.query_one("#blocked", BlockSwitch)
        assert switch.disabled and not switch.focusable
        assert "alleen een beheerder" in text_of(form, "#blocked_state")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.screen is form
        assert "Alleen een beheerder" in notes(app)
        await pilot.click("#blocked")
        await pilot.pause()
        assert app.screen is form and switch.value is False
        # A medewerker still saves master data.
        form.query_one("#contact", Input).value = "Mia"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert customers.get(123)["contact"] == "Mia"
        assert customers.get(123)["blocked"] is False


BAD_VALUES = [
    ("name", "", "Verplicht veld."),
    ("number", "12a", "Een klantnummer bestaat uit 1 tot 9 cijfers (niet 0)."),
    ("email", "jan@", "Geen geldig e-mailadres."),
    ("phone", "123", "Geen geldig telefoonnummer."),
    ("fax", "0000", "Geen geldig telefoonnummer."),
    ("mobile", "0478", "Geen geldig telefoonnummer."),
    ("vat_number", "BE0123456788", "Geen geldig BTW-nummer (bv. BE0867756456)."),
    ("iban", "BE00 0000 0000 0000", "Geen geldig IBAN-rekeningnummer."),
    ("bic", "XYZ", "Geen geldige BIC (8 of 11 tekens)."),
    ("payment_term_days", "400", "Een geheel aantal dagen van 0 tot 365."),
    ("postcode", "9999", "Onbekende Belgische postcode."),
]


@pytest.mark.parametrize(("field", "bad", "expected"), BAD_VALUES)
async def test_each_validated_field_shows_its_message_and_blocks_saving(demo_db: str, field: str, bad: str, expected: str) -> None:
    before = customers.get(123)
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one(f"#{field}", Input).value = bad
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        error = form.query_one(f"#{field}_error", Static)
        assert error.has_class("shown") and str(error.render()) == expected
        assert f"{LABELS[field]}: {expected}" in notes(app)
        assert form.query_one("#tabs", TabbedContent).active == FIELD_TAB[field]
        assert form.focused is form.query_one(f"#{field}")
        assert customers.get(123) == before
        assert UNSAVED in text_of(form, "#form_title")


async def test_focus_goes_to_the_first_invalid_field_on_another_tab(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#iban", Input).value = "BE12 3456"
        form.query_one("#email", Input).value = "geen-adres"
        assert form.query_one("#tabs", TabbedContent).active == "tab_algemeen"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert form.query_one("#tabs", TabbedContent).active == "tab_communicatie"
        assert form.focused is form.query_one("#email")
        text = notes(app)
        assert "E-mail:" in text and "IBAN:" in text
        assert form.query_one("#iban_error", Static).has_class("shown")
        assert customers.get(123)["version"] == 1


async def test_two_instances_merge_instead_of_losing_an_update(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Anna"
        other_version = run_second_instance(demo_db, 123, "contact", "Bert", "mw")
        assert other_version == "2"
        await wait_until(pilot, lambda: "intussen gewijzigd door Mia Medewerker" in text_of(form, "#form_title"))
        assert form.query_one("#contact", Input).value == "Anna"  # own edits are never replaced
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert "Mia Medewerker" in str(dialog.query_one("#conflict_message", Static).render())
        assert "Door u beiden gewijzigd" in str(dialog.query_one("#merge_summary", Static).render())
        assert customers.get(123)["contact"] == "Bert"
        await pilot.press("escape")  # merge, keeping my value for the field we both changed
        await pilot.pause()
        assert app.screen is form and form.query_one("#contact", Input).value == "Anna" and form.dirty
        assert form.version == 2
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert app.screen is form and not form.dirty
        assert customers.get(123)["contact"] == "Anna" and form.version == 3


async def test_herladen_in_the_merge_dialog_drops_own_edits(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Anna"
        customers.update(123, {"contact": "Bert"}, 1, "mw")
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.click("#reload")
        await wait_form(pilot)
        assert app.screen is form
        assert form.query_one("#contact", Input).value == "Bert"
        assert form.version == 2 and form.dirty is False
        assert customers.get(123)["contact"] == "Bert"


async def test_escape_with_changes_asks_to_save(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await pilot.press("escape")  # nothing changed: the form closes at once
        await pilot.pause()
        assert not isinstance(app.screen, CustomerFormScreen)
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Anna"
        await pilot.pause()
        assert UNSAVED in text_of(form, "#form_title")
        await pilot.press("escape")
        assert isinstance(app.screen, SaveChangesDialog)
        await pilot.press("escape")  # Annuleren: stay
        await pilot.pause()
        assert app.screen is form and form.query_one("#contact", Input).value == "Anna"
        await pilot.press("escape")
        await pilot.click("#discard")
        await pilot.pause()
        assert not isinstance(app.screen, CustomerFormScreen)
        assert customers.get(123)["contact"] == ""
        form = await open_form(pilot, 123)
        form.query_one("#contact", Input).value = "Bea"
        await pilot.press("escape")
        await pilot.click("#save")
        await wait_form(pilot)
        assert not isinstance(app.screen, CustomerFormScreen)
        assert customers.get(123)["contact"] == "Bea"


async def test_delete_is_refused_when_the_customer_has_dossiers(demo_db: str) -> None:
    dossiers.create_dossier(123, "Schade voorbumper", operator="admin")
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        assert "Schade voorbumper" in text_of(form, "#history_dossiers")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen is form
        assert "heeft 1 dossier en kan niet verwijderd worden" in notes(app)
        assert customers.get(123)["name"] == "ABC"


async def test_delete_refused_by_data_when_a_dossier_arrived_after_opening(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_form(pilot, 1001)
        dossiers.create_dossier(1001, "Nieuw", operator="mw")
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.click("#yes")
        await wait_form(pilot)
        assert "kan niet verwijderd worden" in notes(app)
        assert customers.get(1001)["number"] == 1001


async def test_delete_without_dossiers_after_confirmation(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_form(pilot, 1001)
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmationModal)
        await pilot.click("#yes")
        await wait_form(pilot)
        assert not isinstance(app.screen, CustomerFormScreen)
        assert not Customer.select().where(Customer.number == 1001).exists()


async def test_medewerker_cannot_delete(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 1001)
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen is form
        assert "Alleen een beheerder" in notes(app)
        assert Customer.select().where(Customer.number == 1001).exists()


async def test_new_customer_gets_next_number_defaults_and_postcode_fill(demo_db: str) -> None:
    expected_number = customers.next_number()
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        assert form.query_one("#number", Input).value == str(expected_number)
        assert form.query_one("#country", Select).value == "BE"
        assert form.query_one("#language", Select).value == "nl-BE"
        assert form.query_one("#vat_rate", Select).value == "21"
        assert "Nieuwe klant" in text_of(form, "#form_title")
        form.query_one("#name", Input).value = "Nieuwe Klant BV"
        await pilot.press("alt+2")
        await pilot.pause()
        assert form.query_one("#tabs", TabbedContent).active == "tab_adres"
        form.query_one("#postcode", Input).focus()
        await pilot.press(*"9000")
        await pilot.pause()
        towns = postcodes.towns("9000")
        assert form.query_one("#city", Input).value == towns[0]
        assert form.query_one("#province", Input).value == postcodes.province("9000")
        assert towns[1] in text_of(form, "#city_hint")
        form.query_one("#city", Input).focus()
        await pilot.press("down")
        assert form.query_one("#city", Input).value == towns[1]
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        saved = customers.get(expected_number)
        assert (saved["name"], saved["city"], saved["country"], saved["vat_rate"]) == ("Nieuwe Klant BV", towns[1], "BE", 21)
        assert form.number == expected_number
        assert f"Klant {expected_number}" in text_of(form, "#form_title")


async def test_postcode_9050_offers_its_sub_municipalities_and_refuses_another_town(demo_db: str) -> None:
    expected_number = customers.next_number()
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        form.query_one("#name", Input).value = "Bakkerij Vos"
        await pilot.press("alt+2")
        form.query_one("#postcode", Input).focus()
        await pilot.press(*"9050")
        await pilot.pause()
        city = form.query_one("#city", Input)
        assert city.value == "Gent"
        assert "Gand, Gentbrugge, Ledeberg" in text_of(form, "#city_hint")
        city.focus()
        await pilot.press("down", "down")
        assert city.value == "Gentbrugge"
        await pilot.press("down")
        assert city.value == "Ledeberg"
        city.value = "Brugge"
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert text_of(form, "#city_error") == "Deze gemeente hoort niet bij postcode 9050 (Gent, Gand, Gentbrugge, Ledeberg)."
        assert not Customer.select().where(Customer.number == expected_number).exists()
        await pilot.press("down")
        assert city.value == "Gent"
        await pilot.press("down", "down", "ctrl+s")
        await wait_form(pilot)
        assert (customers.get(expected_number)["postcode"], customers.get(expected_number)["city"]) == ("9050", "Gentbrugge")


async def test_belgian_iban_fills_the_bic(demo_db: str) -> None:
    iban = "BE09 7341 2345 6757"
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#iban", Input).value = iban
        await pilot.pause()
        expected = validation.bic_for_iban(validation.check_iban(iban))
        assert expected and form.query_one("#bic", Input).value == expected
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert customers.get(123)["bic"] == expected


async def test_tabs_by_keyboard(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        tabs = form.query_one("#tabs", TabbedContent)
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert tabs.active == "tab_adres" and form.focused is form.query_one("#address")
        await pilot.press("alt+6")
        await pilot.pause()
        assert tabs.active == "tab_historiek"
        await pilot.press("f7")
        await pilot.pause()
        assert tabs.active == "tab_opmerkingen"
        await pilot.press("f8", "ctrl+pageup")
        await pilot.pause()
        assert tabs.active == "tab_opmerkingen" and form.focused is form.query_one("#remarks")
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        await pilot.pause()
        assert tabs.active == "tab_dossiers"  # the seventh tab (Alt+7), issue 30
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        assert tabs.active == "tab_algemeen"


async def test_save_from_any_field_keeps_the_form_with_the_new_version(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await pilot.press(*["ctrl+pagedown"] * 4)
        await pilot.pause()
        assert form.focused is form.query_one("#remarks")
        await pilot.press("end", "!")
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert app.screen is form
        saved = customers.get(123)
        assert saved["remarks"].count("!") == 1 and saved["version"] == 2 == form.version
        assert "versie 2" in text_of(form, "#form_title")
        history = text_of(form, "#history_events")
        assert "Opmerkingen:" in history and "→" in history


async def test_an_unedited_form_shows_changes_saved_elsewhere(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        run_second_instance(demo_db, 123, "contact", "Bert", "mw")
        await wait_until(pilot, lambda: form.query_one("#contact", Input).value == "Bert")
        assert form.version == 2 and form.dirty is False
        assert "Mia Medewerker" in notes(app)


async def test_a_field_is_checked_when_the_user_leaves_it(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        await pilot.press("ctrl+pagedown", "ctrl+pagedown", "tab", "tab", "tab")
        assert form.focused is form.query_one("#email")
        await pilot.press(*"jan@", "tab")
        await pilot.pause()
        error = form.query_one("#email_error", Static)
        assert error.has_class("shown")
        assert str(error.render()) == "Geen geldig e-mailadres."
        form.query_one("#email", Input).focus()
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"jan@example.be", "tab")
        await pilot.pause()
        assert not error.has_class("shown")
        assert customers.get(123)["email"] == ""  # leaving a field never saves


async def test_a_bic_that_does_not_fit_the_iban_is_a_warning_only(demo_db: str) -> None:
    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        form.query_one("#iban", Input).value = "BE09 7341 2345 6757"
        await pilot.pause()
        form.query_one("#bic", Input).value = "GEBABEBB"
        form.query_one("#bic", Input).focus()
        await pilot.press("shift+tab")
        await pilot.pause()
        warning = str(form.query_one("#bic_error", Static).render())
        assert warning.startswith("Let op:") and validation.bic_for_iban("BE09734123456757") in warning
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        assert customers.get(123)["bic"] == "GEBABEBB"


async def test_f3_opens_a_new_dossier_for_this_customer(demo_db: str) -> None:
    from klantbeheer.tui.screens.new_dossier import NewDossierScreen

    app = make_app(demo_db, "admin")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_form(pilot, 123)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, NewDossierScreen)
        assert app.screen.owner == 123
