"""Places in their own language (issue 28): a postcode proposes the official name first (Namur, Eupen; Brussels by
the customer's Taal or the operator's language), provinces follow the operator's language, a stored province in
any language stays valid, search finds every language's name, and `places --fix` rewrites Dutch exonyms."""
from __future__ import annotations

from pathlib import Path

import pytest

from klantbeheer.data import customers, places, postcodes
from klantbeheer.data.errors import NotPermitted
from klantbeheer.data.i18n import set_language
from klantbeheer.data.models import Customer, database_proxy
from klantbeheer.data.transfer import importer
from klantbeheer.data.validation import check_customer
from tests.support.engines import db_path  # noqa: F401  (both engines)
from tests.support.foundation_helpers import run_cli
from tests.support.transfer_files import write_csv

GERMAN_NAMES = {"Eupen", "Kelmis", "Lontzen", "Raeren", "Amel", "Büllingen", "Burg-Reuland", "Bütgenbach", "Sankt Vith"}


@pytest.fixture(autouse=True)
def dutch_afterwards():
    """Tests here change the process's language: Dutch again for the next test."""
    yield
    set_language("nl")


@pytest.mark.parametrize(("postcode", "first", "also"), [
    ("5000", "Namur", "Namen"), ("7000", "Mons", "Bergen"), ("4000", "Liège", "Luik"), ("6700", "Arlon", "Aarlen"),
    ("1300", "Wavre", "Waver"), ("4700", "Eupen", None), ("4720", "Kelmis", "La Calamine"), ("4780", "Sankt Vith", "Saint-Vith"),
    ("8830", "Hooglede", "Gits"), ("9000", "Gent", "Gand"), ("7700", "Mouscron", "Moeskroen"), ("3790", "Voeren", "Fourons"),
])
@pytest.mark.parametrize("operator_language", ["nl", "fr", "en"])
def test_a_postcode_proposes_the_official_name_in_its_own_language_first(postcode: str, first: str, also: str | None,
                                                                        operator_language: str) -> None:
    set_language(operator_language)
    towns = postcodes.towns(postcode)
    assert towns[0] == first
    assert also is None or also in towns[1:]  # the other names stay, after it


def test_the_nine_german_speaking_municipalities_are_german_first() -> None:
    assert {postcodes.official_name(ident) for ident in postcodes.GERMAN_SPEAKING} == GERMAN_NAMES
    assert postcodes.towns("4760")[0] == "Büllingen" and postcodes.towns("4770")[0] == "Amel"


@pytest.mark.parametrize(("taal", "operator_language", "first", "second"), [
    ("fr-BE", "nl", "Ixelles", "Elsene"), ("nl-BE", "fr", "Elsene", "Ixelles"),  # the customer's Taal decides
    (None, "nl", "Elsene", "Ixelles"), (None, "fr", "Ixelles", "Elsene"),  # else the operator's language
    ("en", "nl", "Elsene", "Ixelles"), ("de-BE", "fr", "Ixelles", "Elsene"), (None, "en", "Ixelles", "Elsene"),
])
def test_brussels_proposes_the_name_of_the_customers_taal_else_the_operators(taal: str | None, operator_language: str,
                                                                             first: str, second: str) -> None:
    set_language(operator_language)
    towns = postcodes.towns("1050", taal)
    assert towns[:2] == (first, second)  # Elsene's postcode: Elsene/Ixelles before Brussel/Bruxelles
    assert {"Brussel", "Bruxelles"} <= set(towns[2:])
    assert postcodes.province("1050") == ""


@pytest.mark.parametrize(("postcode", "dutch", "french", "english"), [
    ("4000", "Luik", "Liège", "Liège"), ("4700", "Luik", "Liège", "Liège"), ("7000", "Henegouwen", "Hainaut", "Hainaut"),
    ("1300", "Waals-Brabant", "Brabant wallon", "Brabant wallon"), ("2000", "Antwerpen", "Anvers", "Antwerpen"),
    ("8830", "West-Vlaanderen", "Flandre occidentale", "West-Vlaanderen"), ("1000", "", "", ""),
])
def test_provinces_follow_the_operators_language(postcode: str, dutch: str, french: str, english: str) -> None:
    shown = []
    for language in ("nl", "fr", "en"):
        set_language(language)
        shown.append(postcodes.province(postcode))
    assert shown == [dutch, french, english]
    assert postcodes.province(postcode, "de") in ("", "Lüttich", "Hennegau", "Wallonisch-Brabant", "Antwerpen", "Westflandern")


def test_validation_fills_the_official_town_and_the_province_of_the_operators_language(db_path: str) -> None:
    dutch = check_customer({"name": "X", "postcode": "4000"})
    assert (dutch.values["city"], dutch.values["province"]) == ("Liège", "Luik")
    set_language("fr")
    checked = check_customer({"name": "X", "postcode": "5000", "city": ""})
    assert (checked.values["city"], checked.values["province"]) == ("Namur", "Namur")
    assert check_customer({"name": "X", "postcode": "1050", "language": "nl-BE"}).values["city"] == "Elsene"
    assert check_customer({"name": "X", "postcode": "1050", "language": "fr-BE"}).values["city"] == "Ixelles"


@pytest.mark.parametrize("written", ["Luik", "Liège", "LIEGE", "Lüttich"])
def test_a_province_in_any_language_stays_valid_and_is_kept(written: str) -> None:
    set_language("fr")
    checked = check_customer({"name": "X", "postcode": "4000", "city": "Luik", "province": written})
    assert checked.errors == {}
    assert checked.values["province"] == {"LIEGE": "Liège"}.get(written, written)  # written the list's way
    assert check_customer({"name": "X", "postcode": "4000", "province": "Namen"}).values["province"] == "Liège"  # another one


def test_existing_customers_keep_their_stored_town_and_province(db_path: str) -> None:
    stored = customers.create({"name": "Garage Lemaire", "postcode": "4000", "city": "Luik"}, "admin")  # before: Dutch
    assert (stored["city"], stored["province"]) == ("Luik", "Luik")
    set_language("fr")
    changed = customers.update(stored["number"], {"address": "Rue Neuve 1"}, stored["version"], "mw")
    assert (changed["city"], changed["province"]) == ("Luik", "Luik")
    changed = customers.update(stored["number"], {"city": "Lüttich"}, changed["version"], "mw")  # only the town changes
    assert (changed["city"], changed["province"]) == ("Lüttich", "Luik")  # the province stays as stored
    assert "province" not in customers.history(stored["number"])[0]["changes"]
    moved = customers.update(stored["number"], {"postcode": "5000", "city": ""}, changed["version"], "mw")
    assert (moved["city"], moved["province"]) == ("Namur", "Namur")  # another province: in the operator's language


def test_an_empty_brussels_town_follows_the_stored_customers_taal(db_path: str) -> None:
    french = customers.create({"name": "Dubois", "language": "fr-BE", "postcode": "1050"}, "admin")
    dutch = customers.create({"name": "Peeters", "language": "nl-BE", "postcode": "1050"}, "admin")
    assert (french["city"], dutch["city"]) == ("Ixelles", "Elsene")
    again = customers.update(french["number"], {"city": ""}, french["version"], "admin")  # the Taal is not in the edit
    assert again["city"] == "Ixelles"


def test_an_update_import_keeps_a_stored_province_in_another_language(db_path: str, tmp_path: Path) -> None:
    stored = customers.create({"name": "Garage Lemaire", "postcode": "4000", "city": "Luik"}, "admin")
    set_language("fr")
    source = write_csv(tmp_path / "k.csv", ["Nummer", "Naam", "Postcode", "Gemeente"],
                       [[str(stored["number"]), "Garage Lemaire SA", "4000", "Luik"]])
    result = importer.run_import(str(source), "admin", on_duplicate="update")
    assert result["updated"] == 1
    assert (customers.get(stored["number"])["name"], customers.get(stored["number"])["province"]) == ("Garage Lemaire SA", "Luik")
    new = write_csv(tmp_path / "n.csv", ["Naam", "Postcode"], [["Boulangerie Namuroise", "5000"]])
    assert importer.run_import(str(new), "admin")["created"] == 1
    made = Customer.get(Customer.name == "Boulangerie Namuroise")
    assert (made.city, made.province) == ("Namur", "Namur")


def test_search_finds_every_languages_name_on_both_engines(db_path: str) -> None:
    liege = customers.create({"name": "Garage Lemaire", "postcode": "4000"}, "admin")["number"]  # Liège
    namur = customers.create({"name": "Françoise Lefèvre", "postcode": "5000"}, "admin")["number"]  # Namur
    old = customers.create({"name": "Oude Klant", "postcode": "4000", "city": "Luik"}, "admin")["number"]  # stored before

    def found(text: str) -> set[int]:
        return {row["number"] for row in customers.search(text)}

    assert {liege, old} <= found("luik") and {liege, old} <= found("liège") and {liege, old} <= found("lüttich")
    assert namur in found("namen") and namur in found("namur") and liege not in found("namen")


def exonym_customers() -> dict[str, int]:
    """Customers as they were stored before: Dutch exonyms of Walloon towns, and towns that are no exonym."""
    made = {}
    for name, postcode, city, taal in [("Lemaire", "4000", "Luik", "fr-BE"), ("Lefèvre", "5000", "NAMEN", "fr-BE"),
                                       ("Dubois", "7000", "Bergen", "nl-BE"), ("Renard", "1300", "Waver", "nl-BE"),
                                       ("Schmitz", "4700", "Eupen", "de-BE"), ("Peeters", "9000", "Gent", "nl-BE"),
                                       ("Janssens", "1050", "Elsene", "nl-BE"), ("Martin", "6700", "Arlon", "fr-BE")]:
        made[city] = customers.create({"name": name, "postcode": postcode, "city": city, "language": taal}, "admin")["number"]
    return made


def test_places_fix_lists_then_fixes_through_the_forms_save(db_path: str) -> None:
    made = exonym_customers()
    wanted = {made["Luik"]: "Liège", made["NAMEN"]: "Namur", made["Bergen"]: "Mons", made["Waver"]: "Wavre"}
    dry = places.fix_exonyms("mw", dry_run=True)  # anyone may look
    assert {row["number"]: row["official"] for row in dry["customers"]} == wanted
    assert (dry["found"], dry["fixed"]) == (4, 0)
    assert customers.get(made["Luik"])["city"] == "Luik" and len(customers.history(made["Luik"])) == 1
    with pytest.raises(NotPermitted):
        places.fix_exonyms("mw")
    assert customers.get(made["Luik"])["city"] == "Luik"
    before = customers.get(made["Luik"])["version"]
    done = places.fix_exonyms("admin")
    assert (done["found"], done["fixed"], done["skipped"]) == (4, 4, [])
    for number, official in wanted.items():
        customer = customers.get(number)
        assert customer["city"] == official
        latest = customers.history(number)[0]
        assert latest["kind"] == "updated" and latest["operator"] == "admin" and latest["changes"]["city"][1] == official
    assert customers.get(made["Luik"])["version"] == before + 1
    assert customers.get(made["Luik"])["province"] == "Luik"  # the province stays as stored
    assert [customers.get(made[town])["city"] for town in ("Eupen", "Gent", "Elsene", "Arlon")] == ["Eupen", "Gent", "Elsene", "Arlon"]
    assert places.fix_exonyms("admin")["found"] == 0
    assert {row["number"] for row in customers.search("luik")} >= {made["Luik"]}  # still found by its Dutch name


def test_places_command_dry_run_fix_json_and_a_medewerker_refused(tmp_path: Path) -> None:
    from klantbeheer.data import staff
    from klantbeheer.data.db import open_database

    database = str(tmp_path / "kb.db")
    open_database(database, create=True)
    staff.login("admin")
    staff.add("mw", "Mia Medewerker", "medewerker", "admin")
    made = exonym_customers()
    database_proxy.obj.close()
    listed = run_cli("places", "--fix", "--dry-run", db=database)
    assert listed.code == 0, listed.err
    assert f"{made['Luik']}  Lemaire  4000 Luik → Liège" in listed.out
    assert "4 klanten zouden de officiële naam krijgen (--dry-run: niets gewijzigd)." in listed.out
    refused = run_cli("places", "--fix", db=database, operator="mw")
    assert refused.code == 4 and "Alleen een beheerder mag plaatsnamen verbeteren" in refused.err and refused.out == ""
    french = run_cli("--language", "fr", "places", "--fix", "--json", db=database)
    assert french.code == 0, french.err
    assert (french.json()["found"], french.json()["fixed"]) == (4, 4)
    again = run_cli("places", db=database)
    assert again.out.strip() == "Geen klanten met een Nederlandse naam voor een Franstalige of Duitstalige gemeente."
    shown = run_cli("--language", "fr", "places", db=database)
    assert shown.out.strip() == "Aucun client n’a un nom néerlandais pour une commune francophone ou germanophone."
    open_database(database)
    try:
        assert Customer.get(Customer.number == made["NAMEN"]).city == "Namur"
        assert customers.history(made["NAMEN"])[0]["changes"]["city"] == ["NAMEN", "Namur"]
    finally:
        database_proxy.obj.close()
