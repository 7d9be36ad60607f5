"""The customer form at 80x24, by keys: a postcode fills in the official town and the province of the operator's
language, Brussels' town follows the Taal, an unknown postcode takes away what the postcode filled in (issue 28)."""
from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from klantbeheer.data import customers
from klantbeheer.data.i18n import set_language
from klantbeheer.tui.screens.form.screen import CustomerFormScreen
from tests.support.form_helpers import make_app, open_form, wait_form
from tests.support.waiting import app_until


@pytest.fixture(autouse=True)
def dutch_afterwards():
    """A French operator's app changes the process's language: Dutch again for the next test."""
    yield
    set_language("nl")


def value(form: CustomerFormScreen, name: str) -> str:
    """What a field's box shows."""
    return form.query_one(f"#{name}", Input).value


async def type_postcode(pilot, form: CustomerFormScreen, keys: str) -> None:
    """Go to the Adres tab, empty the postcode box with Backspace and type `keys` into it."""
    await pilot.press("alt+2")
    await app_until(pilot, lambda: form.query_one("#tabs").active == "tab_adres", what="the Adres tab")
    box = form.query_one("#postcode", Input)
    box.focus()
    await app_until(pilot, lambda: box.has_focus, what="the postcode box focused")
    await pilot.press("end", *["backspace"] * len(box.value), *keys)
    await app_until(pilot, lambda: box.value == keys, what=f"postcode {keys} typed")


@pytest.mark.parametrize(("language", "postcode", "town", "province", "also"), [
    ("nl", "5000", "Namur", "Namen", "Namen"), ("nl", "4000", "Liège", "Luik", "Luik"), ("nl", "4700", "Eupen", "Luik", ""),
    ("nl", "8830", "Hooglede", "West-Vlaanderen", "Gits"), ("fr", "4000", "Liège", "Liège", "Luik"),
    ("fr", "7000", "Mons", "Hainaut", "Bergen"), ("en", "9000", "Gent", "Oost-Vlaanderen", "Gand"),
])
async def test_a_typed_postcode_fills_the_official_town_and_the_province_in_the_operators_language(
        demo_db: str, language: str, postcode: str, town: str, province: str, also: str) -> None:
    app = make_app(demo_db, "mw", language=language)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        await type_postcode(pilot, form, postcode)
        await app_until(pilot, lambda: value(form, "city") == town, what=f"{town} filled in")
        assert value(form, "province") == province
        hint = str(form.query_one("#city_hint").render())
        assert (also in hint) if also else hint == ""


async def test_brussels_town_follows_the_customers_taal_and_else_the_operator(demo_db: str) -> None:
    app = make_app(demo_db, "mw", language="fr")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        await pilot.press(*"Dubois")  # the Naam box has the focus
        taal = form.query_one("#language", Select)
        assert taal.value == "nl-BE"  # a new customer's Taal: Nederlands (BE)
        await type_postcode(pilot, form, "1050")
        await app_until(pilot, lambda: value(form, "city") == "Elsene", what="Elsene for a Dutch-speaking customer")
        assert value(form, "province") == "" and "Ixelles" in str(form.query_one("#city_hint").render())
        taal.value = "fr-BE"
        await app_until(pilot, lambda: value(form, "city") == "Ixelles", what="Ixelles once the Taal is French")
        taal.value = "en"  # no name in English: the French operator's
        await app_until(pilot, lambda: form.draft.values().get("language") == "en", what="the Taal taken")
        assert value(form, "city") == "Ixelles"
        city = form.query_one("#city", Input)
        city.focus()
        await app_until(pilot, lambda: city.has_focus, what="the town box focused")
        await pilot.press("down", "down")
        await app_until(pilot, lambda: city.value == "Bruxelles", what="Down to Bruxelles")
        taal.value = "nl-BE"  # a town chosen with Down stays
        await app_until(pilot, lambda: form.draft.values().get("language") == "nl-BE", what="the Taal taken")
        assert city.value == "Bruxelles"
        await pilot.press("ctrl+s")
        await app_until(pilot, lambda: form.number is not None, what="the customer saved")
        await wait_form(pilot)
        assert (customers.get(form.number)["name"], customers.get(form.number)["city"]) == ("Dubois", "Bruxelles")


async def test_a_dutch_operator_gets_ixelles_for_a_french_speaking_customer(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        form.query_one("#language", Select).value = "fr-BE"
        await app_until(pilot, lambda: form.draft.values().get("language") == "fr-BE", what="the Taal taken")
        await type_postcode(pilot, form, "1050")
        await app_until(pilot, lambda: value(form, "city") == "Ixelles", what="Ixelles")


async def test_an_unknown_postcode_takes_away_the_town_and_province_it_filled_in(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, None)
        await type_postcode(pilot, form, "5000")
        await app_until(pilot, lambda: value(form, "city") == "Namur", what="Namur filled in")
        await type_postcode(pilot, form, "5999")
        await app_until(pilot, lambda: value(form, "city") == "" and value(form, "province") == "", what="both taken away")
        assert str(form.query_one("#postcode_error").render()) == "Onbekende Belgische postcode."
        assert (form.draft.values()["city"], form.draft.values()["province"]) == ("", "")
        await type_postcode(pilot, form, "4000")  # a town chosen with Down goes too: the postcode put it there
        await app_until(pilot, lambda: value(form, "city") == "Liège", what="Liège filled in")
        city = form.query_one("#city", Input)
        city.focus()
        await app_until(pilot, lambda: city.has_focus, what="the town box focused")
        await pilot.press("down")
        await app_until(pilot, lambda: city.value == "Luik", what="Down to Luik")
        await type_postcode(pilot, form, "4009")
        await app_until(pilot, lambda: value(form, "city") == "" and value(form, "province") == "", what="both taken away")


async def test_an_unknown_postcode_leaves_a_typed_or_stored_town(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)  # ABC, 8830 Hooglede, as stored
        await type_postcode(pilot, form, "8839")
        await app_until(pilot, lambda: str(form.query_one("#postcode_error").render()) == "Onbekende Belgische postcode.",
                        what="the unknown postcode refused")
        assert value(form, "city") == "Hooglede"
        await type_postcode(pilot, form, "5000")
        await app_until(pilot, lambda: value(form, "city") == "Namur", what="Namur filled in")
        city = form.query_one("#city", Input)
        city.focus()
        await app_until(pilot, lambda: city.has_focus, what="the town box focused")
        await pilot.press("end", *["backspace"] * len(city.value), *"Beez")  # typed by the user: stays
        await app_until(pilot, lambda: city.value == "Beez", what="Beez typed")
        await type_postcode(pilot, form, "5999")
        await app_until(pilot, lambda: value(form, "province") == "", what="the filled-in province taken away")
        assert city.value == "Beez"
