"""Town names of a Belgian postcode: sub-municipalities and German names are offered and accepted as the
Gemeente, a town of another postcode is refused in Dutch, on every write path (form rules, update, import)."""
from __future__ import annotations

from pathlib import Path

import pytest

from klantbeheer.data import customers, postcodes
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.models import Customer
from klantbeheer.data.transfer import importer
from klantbeheer.data.validation import check_customer
from tests.support.engines import db_path  # noqa: F401  (both engines)
from tests.support.transfer_files import write_csv

REFUSED_9050 = "Deze gemeente hoort niet bij postcode 9050 (Gent, Gand, Gentbrugge, Ledeberg)."


def test_a_postcode_offers_its_municipality_then_its_sub_municipalities() -> None:
    assert postcodes.towns("9050") == ("Gent", "Gand", "Gentbrugge", "Ledeberg")
    assert postcodes.towns("9000") == ("Gent", "Gand")
    assert postcodes.towns("4000")[:3] == ("Liège", "Luik", "Lüttich")  # its own language first
    assert "Heusden" in postcodes.towns("9070") and "Heusden" in postcodes.towns("3550")  # qualifier dropped


@pytest.mark.parametrize("town", ["Gentbrugge", "LEDEBERG", "Ledeberg (Gent)", "Gand", "Gent", "Gent-Centrum"])
def test_the_names_of_the_postcode_and_unlisted_text_are_accepted(town: str) -> None:
    checked = check_customer({"name": "X", "postcode": "9050", "city": town})
    assert checked.errors == {} and checked.values["city"] == town


@pytest.mark.parametrize("town", ["Brugge", "Mariakerke", "Luik"])
def test_a_town_of_another_postcode_is_refused(town: str) -> None:
    assert check_customer({"name": "X", "postcode": "9050", "city": town}).errors == {"city": REFUSED_9050}
    assert check_customer({"name": "X", "country": "NL", "postcode": "9050", "city": town}).errors == {}


def test_a_long_list_of_towns_is_cut_in_the_message() -> None:
    message = check_customer({"name": "X", "postcode": "3700", "city": "Gent"}).errors["city"]
    assert message.startswith("Deze gemeente hoort niet bij postcode 3700 (Tongeren-Borgloon, ") and message.endswith(", …).")


def test_create_and_update_keep_the_rule(db_path: str) -> None:
    saved = customers.create({"name": "Bakkerij Vos", "postcode": "9050", "city": "Gentbrugge"}, "admin")
    assert (saved["city"], saved["province"]) == ("Gentbrugge", "Oost-Vlaanderen")
    with pytest.raises(ValidationFailed) as refused:
        customers.update(saved["number"], {"city": "Brugge"}, saved["version"], "mw")  # only the town changes
    assert refused.value.errors == {"city": REFUSED_9050}
    changed = customers.update(saved["number"], {"city": "Ledeberg"}, saved["version"], "mw")
    assert (changed["postcode"], changed["city"]) == ("9050", "Ledeberg")
    with pytest.raises(ValidationFailed):
        customers.create({"name": "Y", "postcode": "9050", "city": "Oostende"}, "admin")
    assert Customer.select().count() == 1


def test_import_accepts_a_sub_municipality_and_reports_a_wrong_town(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "k.csv", ["Naam", "Postcode", "Gemeente"],
                       [["Bakkerij Vos", "9050", "Gentbrugge"], ["Slagerij Bos", "9050", "Brugge"]])
    result = importer.run_import(str(source), "admin")
    assert (result["created"], result["invalid"]) == (1, 1)
    assert Customer.get(Customer.name == "Bakkerij Vos").city == "Gentbrugge"
    report = Path(result["report"]).read_text(encoding="utf-8-sig")
    assert f"Gemeente: {REFUSED_9050}" in report and "Slagerij Bos" in report


def test_the_place_lists_are_read_in_the_background_after_start() -> None:
    """The TUI's after-start step reads the place lists in a thread, so the first postcode typed finds them ready."""
    from klantbeheer.data import postcodes
    from klantbeheer.data.search import towns
    from klantbeheer.tui.startup import warm_in_background

    postcodes._places.cache_clear()
    towns._aliases.cache_clear()
    towns._official.cache_clear()
    thread = warm_in_background()
    assert thread.daemon and thread.name == "warm-place-lists"
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert postcodes._places.cache_info().currsize == 1
    assert towns._aliases.cache_info().currsize == 1 and towns._official.cache_info().currsize == 1
    assert "Ledeberg" in postcodes.towns("9050")
