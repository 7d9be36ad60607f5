"""Every validated customer field: good values are cleaned, bad ones refused in Dutch, nothing written."""
from __future__ import annotations

from typing import Any

import pytest

from klantbeheer.data import customers, validation
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.models import Repairer
from klantbeheer.data.validation import check_customer, check_licence_plate
from tests.support.engines import db_path  # noqa: F401  (every test here runs on SQLite and PostgreSQL)
from tests.support.foundation_helpers import VALID, be_vat, counts

# (field, bad value, the Dutch message it must get)
BAD_VALUES: list[tuple[str, Any, str]] = [
    ("name", "", "Verplicht veld."),
    ("name", "   ", "Verplicht veld."),
    ("name", "x" * 121, "Maximaal 120 tekens."),
    ("name", "AB\x07C", "Bevat ongeldige tekens."),
    ("name", "AB\nC", "Bevat ongeldige tekens."),
    ("external_ref", "x" * 41, "Maximaal 40 tekens."),
    ("address", "x" * 121, "Maximaal 120 tekens."),
    ("address2", "x" * 121, "Maximaal 120 tekens."),
    ("city", "x" * 81, "Maximaal 80 tekens."),
    ("contact", "x" * 121, "Maximaal 120 tekens."),
    ("certificate_number", "x" * 41, "Maximaal 40 tekens."),
    ("remarks", "x" * 4001, "Maximaal 4000 tekens."),
    ("number", "12a", "Een klantnummer bestaat uit 1 tot 9 cijfers (niet 0)."),
    ("number", "0", "Een klantnummer bestaat uit 1 tot 9 cijfers (niet 0)."),
    ("number", "1234567890", "Een klantnummer bestaat uit 1 tot 9 cijfers (niet 0)."),
    ("vat_number", "BE0867756457", "Geen geldig BTW-nummer (bv. BE0867756456)."),
    ("vat_number", "0867.756.457", "Geen geldig BTW-nummer (bv. BE0867756456)."),
    ("vat_number", "BE12345", "Geen geldig BTW-nummer (bv. BE0867756456)."),
    ("vat_number", "hallo", "Geen geldig BTW-nummer (bv. BE0867756456)."),
    ("iban", "BE71 0961 2345 6768", "Geen geldig IBAN-rekeningnummer."),  # wrong check digits
    ("iban", "BE68 5390 0754 7034", "Geen geldig IBAN-rekeningnummer."),  # valid checksum, unknown bank code 539
    ("iban", "XX00 1234", "Geen geldig IBAN-rekeningnummer."),
    ("bic", "GEBA", "Geen geldige BIC (8 of 11 tekens)."),
    ("bic", "GEBABEBB1", "Geen geldige BIC (8 of 11 tekens)."),
    ("email", "jan@", "Geen geldig e-mailadres."),
    ("email", "jan peeters@example.be", "Geen geldig e-mailadres."),
    ("email", "geen-adres", "Geen geldig e-mailadres."),
    ("postcode", "9999", "Onbekende Belgische postcode."),
    ("postcode", "88300", "Onbekende Belgische postcode."),
    ("postcode", "abcd", "Onbekende Belgische postcode."),
    ("phone", "12", "Geen geldig telefoonnummer."),
    ("phone", "bel me", "Geen geldig telefoonnummer."),
    ("fax", "0000", "Geen geldig telefoonnummer."),
    ("mobile", "+32 1", "Geen geldig telefoonnummer."),
    ("payment_term_days", 366, "Een geheel aantal dagen van 0 tot 365."),
    ("payment_term_days", -1, "Een geheel aantal dagen van 0 tot 365."),
    ("payment_term_days", "1.5", "Een geheel aantal dagen van 0 tot 365."),
    ("payment_term_days", "dertig", "Een geheel aantal dagen van 0 tot 365."),
    ("vat_rate", 7, "Kies 0 %, 6 %, 12 % of 21 %."),
    ("country", "Atlantis", "Onbekend land."),
    ("country", "", "Verplicht veld."),
    ("language", "Klingon", "Onbekende keuze."),
    ("language", "", "Verplicht veld."),
    ("customer_type", "Vereniging", "Onbekende keuze."),
    ("legal_form", "Stichting", "Onbekende keuze."),
    ("salutation", "Prof.", "Onbekende keuze."),
    ("payment_condition", "morgen", "Onbekende keuze."),
    ("discount_scheme", "alles gratis", "Onbekende keuze."),
    ("price_list", "duur", "Onbekende keuze."),
    ("internal_account", "999999", "Onbekende keuze."),
    ("repairer", 999, "Onbekende hersteller."),
    ("repairer", "garage", "Onbekende hersteller."),
    ("show_remarks", "misschien", "Kies ja of nee."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_VALUES)])
def test_bad_value_is_refused_on_create_and_nothing_is_written(db_path: str, field: str, value: Any, message: str) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        customers.create({**VALID, field: value}, "admin")
    assert refused.value.errors == {field: message}
    assert message in refused.value.message
    assert counts() == before


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES[::3])
def test_bad_value_is_refused_on_update_and_nothing_is_written(db_path: str, field: str, value: Any, message: str) -> None:
    saved = customers.create(VALID, "admin")
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        customers.update(saved["number"], {field: value}, saved["version"], "mw")
    assert refused.value.errors == {field: message}
    assert counts() == before
    assert customers.get(saved["number"]) == saved


def test_every_problem_is_reported_at_once(db_path: str) -> None:
    bad = {
        "name": "", "vat_number": "BE1", "iban": "BE00", "bic": "X", "email": "@", "postcode": "9999",
        "phone": "1", "fax": "2", "mobile": "3", "payment_term_days": 400, "language": "xx", "external_ref": "e" * 41,
    }
    with pytest.raises(ValidationFailed) as refused:
        customers.create(bad, "admin")
    assert set(refused.value.errors) == set(bad)
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("written", ["BE0867756456", "0867756456", "0867.756.456", "BE 0867.756.456", "BE 0867 756 456", "be0867-756-456", "867756456"])
def test_vat_number_accepted_with_or_without_be_dots_spaces_and_stored_compact(db_path: str, written: str) -> None:
    saved = customers.create({"name": "X", "vat_number": written}, "admin")
    assert saved["vat_number"] == "BE0867756456"


def test_other_eu_vat_numbers_are_accepted() -> None:
    assert check_customer({"vat_number": "NL004495445B01"}).values["vat_number"] == "NL004495445B01"


def test_be_vat_helper_builds_numbers_the_rule_accepts() -> None:
    for seed in (403_1707, 800_7919, 1234_5678):
        assert check_customer({"vat_number": be_vat(seed)}).errors == {}
        broken = be_vat(seed)[:-1] + str((int(be_vat(seed)[-1]) + 1) % 10)
        assert "vat_number" in check_customer({"vat_number": broken}).errors


def test_iban_is_stored_compact_and_a_belgian_iban_fills_the_bic(db_path: str) -> None:
    saved = customers.create({"name": "X", "iban": "be71 0961 2345 6769"}, "admin")
    assert saved["iban"] == "BE71096123456769"
    assert saved["bic"] == "GKCCBEBB"


def test_foreign_iban_is_accepted_and_leaves_the_bic_alone(db_path: str) -> None:
    saved = customers.create({"name": "X", "iban": "NL91 ABNA 0417 1643 00"}, "admin")
    assert saved["iban"] == "NL91ABNA0417164300"
    assert saved["bic"] == ""


def test_bic_mismatch_with_belgian_iban_is_only_a_warning(db_path: str) -> None:
    checked = check_customer({"iban": "BE71096123456769", "bic": "GEBABEBB"})
    assert checked.errors == {}
    assert checked.warnings == {"bic": "De BIC past niet bij het IBAN (verwacht GKCCBEBB)."}
    saved = customers.create({"name": "X", "iban": "BE71096123456769", "bic": "gebabebb"}, "admin")
    assert saved["bic"] == "GEBABEBB"


def test_matching_bic_gives_no_warning() -> None:
    checked = check_customer({"iban": "BE71096123456769", "bic": "GKCCBEBBXXX"})
    assert checked.errors == {} and checked.warnings == {}
    assert checked.values["bic"] == "GKCCBEBBXXX"


def test_belgian_postcode_fills_town_and_province(db_path: str) -> None:
    saved = customers.create({"name": "ABC", "postcode": "8830", "country": "BE"}, "admin")
    assert (saved["city"], saved["province"]) == ("Hooglede", "West-Vlaanderen")


def test_brussels_postcode_has_empty_province(db_path: str) -> None:
    saved = customers.create({"name": "X", "postcode": "1000", "province": "Brabant"}, "admin")
    assert saved["city"] == "Brussel"
    assert saved["province"] == ""


def test_a_given_town_is_kept(db_path: str) -> None:
    saved = customers.create({"name": "X", "postcode": "1000", "city": "Bruxelles"}, "admin")
    assert saved["city"] == "Bruxelles"


def test_foreign_postcode_and_province_are_free_text(db_path: str) -> None:
    saved = customers.create(
        {"name": "X", "country": "Nederland", "postcode": "1012 AB", "city": "Amsterdam", "province": "Noord-Holland"}, "admin"
    )
    assert (saved["country"], saved["postcode"], saved["city"], saved["province"]) == ("NL", "1012 AB", "Amsterdam", "Noord-Holland")


def test_changing_only_the_postcode_of_a_foreign_customer_is_not_checked_as_belgian(db_path: str) -> None:
    saved = customers.create({"name": "X", "country": "NL", "postcode": "1012 AB", "city": "Amsterdam"}, "admin")
    changed = customers.update(saved["number"], {"postcode": "9999 ZZ"}, saved["version"], "mw")
    assert changed["postcode"] == "9999 ZZ"
    assert changed["city"] == "Amsterdam"


def test_changing_the_country_to_belgium_checks_the_stored_postcode(db_path: str) -> None:
    saved = customers.create({"name": "X", "country": "NL", "postcode": "1012 AB"}, "admin")
    with pytest.raises(ValidationFailed) as refused:
        customers.update(saved["number"], {"country": "BE"}, saved["version"], "mw")
    assert refused.value.errors == {"postcode": "Onbekende Belgische postcode."}
    assert customers.get(saved["number"])["country"] == "NL"


@pytest.mark.parametrize(
    ("written", "stored"),
    [("0478 12 34 56", "+32478123456"), ("02 512 34 56", "+3225123456"), ("+32 51 20 20 20", "+3251202020"),
     ("0032 478/12.34.56", "+32478123456"), ("+33 1 42 68 53 00", "+33142685300")],
)
def test_phone_numbers_are_normalised(db_path: str, written: str, stored: str) -> None:
    saved = customers.create({"name": "X", "phone": written, "fax": written, "mobile": written}, "admin")
    assert (saved["phone"], saved["fax"], saved["mobile"]) == (stored, stored, stored)


@pytest.mark.parametrize(("written", "stored"), [(0, 0), ("365", 365), (" 30 ", 30), ("", None), (None, None)])
def test_payment_term_bounds(db_path: str, written: Any, stored: int | None) -> None:
    assert customers.create({"name": "X", "payment_term_days": written}, "admin")["payment_term_days"] == stored


def test_email_is_checked_by_syntax_only(db_path: str) -> None:
    saved = customers.create({"name": "X", "email": "Jan.Peeters@Example-Nonexistent-Domain.be"}, "admin")
    assert saved["email"] == "Jan.Peeters@example-nonexistent-domain.be"


def test_texts_at_their_limit_are_accepted(db_path: str) -> None:
    saved = customers.create({"name": "N" * 120, "external_ref": "E" * 40, "remarks": "regel 1\nregel 2\t" + "r" * 3980}, "admin")
    assert len(saved["name"]) == 120 and len(saved["external_ref"]) == 40
    assert saved["remarks"].startswith("regel 1\nregel 2")


def test_choices_accept_code_or_label_case_insensitively(db_path: str) -> None:
    saved = customers.create(
        {"name": "X", "language": "frans (be)", "salutation": "Mevr.", "customer_type": "PARTICULIER",
         "legal_form": "natuurlijk_persoon", "vat_rate": "6 %", "payment_condition": "Contant", "show_remarks": "ja"},
        "admin",
    )
    assert (saved["language"], saved["salutation"], saved["customer_type"]) == ("fr-BE", "mevr", "particulier")
    assert (saved["legal_form"], saved["vat_rate"], saved["payment_condition"], saved["show_remarks"]) == (
        "natuurlijk_persoon", 6, "contant", True)


def test_glossary_defaults_for_a_new_customer(db_path: str) -> None:
    saved = customers.create({"name": "X"}, "admin")
    assert (saved["language"], saved["country"], saved["vat_rate"], saved["customer_type"], saved["legal_form"]) == (
        "nl-BE", "BE", 21, "bedrijf", "rechtspersoon")
    assert saved["blocked"] is False and saved["version"] == 1


def test_existing_repairer_is_accepted(db_path: str) -> None:
    repairer = Repairer.create(name="Garage Dupont", city="Namur", code="dupont")
    assert customers.create({"name": "X", "repairer": repairer.id}, "admin")["repairer"] == repairer.id


@pytest.mark.parametrize(("written", "stored"), [("1abc123", "1-ABC-123"), ("1-abc-123", "1-ABC-123"), ("1 ABC 123", "1-ABC-123"),
                                                 ("abc123", "ABC-123"), ("d-12345", "D12345")])
def test_licence_plate_normalised(written: str, stored: str) -> None:
    assert check_licence_plate(written) == stored


def test_licence_plate_nonsense_refused() -> None:
    with pytest.raises(ValueError, match="Geen geldige nummerplaat."):
        check_licence_plate("!!!")


@pytest.mark.parametrize("junk", ["", "BE", "BE71", "BE7109612345676X", "NL91ABNA0417164300", "BE00000000000000"])
def test_bic_for_iban_returns_empty_for_anything_but_a_valid_belgian_iban(junk: str) -> None:
    assert validation.bic_for_iban(junk) == ""


def test_bic_for_iban_finds_the_bank_of_a_valid_belgian_iban() -> None:
    assert validation.bic_for_iban("BE71096123456769") == "GKCCBEBB"
