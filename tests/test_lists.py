"""Issue 19, data layer: the reference lists' rules on both engines (rename, deactivate in use, delete, reasons, roles, history)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from peewee import PeeweeException

from klantbeheer.data import customers, lists, lists_import, reference
from klantbeheer.data.errors import BadInput, NotFound, NotPermitted, ValidationFailed
from klantbeheer.data.models import Customer, ReferenceEvent, ReferenceItem, Repairer, database_proxy
from tests.support.engines import db_path  # noqa: F401 - both engines


def _state() -> tuple[list[tuple], list[tuple], int, list[tuple]]:
    """Every list row, every hersteller, the history length and the customers' choices: what a refusal must not change."""
    items = list(ReferenceItem.select(ReferenceItem.kind, ReferenceItem.code, ReferenceItem.label, ReferenceItem.label_fr,
                                      ReferenceItem.active, ReferenceItem.position).order_by(ReferenceItem.id).tuples())
    repairers = list(Repairer.select().order_by(Repairer.id).tuples())
    chosen = list(Customer.select(Customer.number, Customer.payment_condition, Customer.block_reason, Customer.repairer)
                  .order_by(Customer.id).tuples())
    return items, repairers, ReferenceEvent.select().count(), chosen


def _events(kind: str) -> list[dict]:
    """The history of one list (by its command-line name), newest first."""
    return lists.history(kind)


def test_a_rename_shows_everywhere_at_once_and_the_customer_keeps_the_code(db_path: str) -> None:
    customers.create({"name": "Dupont [/] NV", "number": 7, "payment_condition": "contant"}, "admin")
    renamed = lists.rename("betalingsvoorwaarde", "contant", "Contant bij levering", "admin")
    assert renamed["changed"] is True and renamed["label"] == "Contant bij levering"
    assert customers.get(7)["payment_condition"] == "contant"  # the code, never the label
    assert reference.label("payment_condition", "contant") == "Contant bij levering"
    assert ("contant", "Contant bij levering") in reference.choices("payment_condition")
    event = _events("betalingsvoorwaarde")[0]
    assert (event["kind"], event["code"], event["operator"]) == ("renamed", "contant", "admin")
    assert event["changes"] == {"label": ["Contant", "Contant bij levering"]}
    assert event["at"] is not None


def test_french_and_english_labels_fall_back_to_dutch(db_path: str) -> None:
    lists.add("prijslijst", "garage", "Garagetarief", "admin")  # the office's own entry: Dutch only
    lists.rename("prijslijst", "garage", "Tarif garage", "admin", language="fr")
    assert reference.label("price_list", "garage", "fr") == "Tarif garage"
    assert reference.label("price_list", "garage", "en") == "Garagetarief"  # none in English: the Dutch one
    assert reference.label("price_list", "garage") == "Garagetarief"
    lists.rename("prijslijst", "garage", "", "admin", language="fr")  # empty clears the translation
    assert reference.label("price_list", "garage", "fr") == "Garagetarief"
    lists.rename("prijslijst", "standaard", "", "admin", language="en")  # a built-in entry's English label too
    assert reference.label("price_list", "standaard", "en") == "Standaard"
    with pytest.raises(BadInput, match="kies nl, fr of en"):
        lists.rename("prijslijst", "standaard", "Standard", "admin", language="de")
    with pytest.raises(ValidationFailed):  # the Dutch label is required
        lists.rename("prijslijst", "standaard", "  ", "admin")


def test_a_french_speaking_operator_sees_the_french_label_and_may_type_either(db_path: str) -> None:
    from klantbeheer.data.i18n import set_language

    lists.rename("prijslijst", "standaard", "Tarif standard", "admin", language="fr")
    try:
        set_language("fr")
        assert ("standaard", "Tarif standard") in reference.choices("price_list")  # what the form offers
        assert reference.label("price_list", "standaard") == "Tarif standard"
        assert reference.label("price_list", "verzekeraar") == "Assureur"  # the built-in entry's French label
        lists.add("prijslijst", "garage", "Garagetarief", "admin")
        assert reference.label("price_list", "garage") == "Garagetarief"  # no French label: the Dutch one
        assert reference.match_code("price_list", "tarif STANDARD") == "standaard"
        assert reference.match_code("price_list", "Standaard") == "standaard"
    finally:
        set_language("nl")
    assert reference.label("price_list", "standaard") == "Standaard"


def test_an_entry_in_use_is_deactivated_not_deleted_and_the_customer_keeps_it(db_path: str) -> None:
    customers.create({"name": "Houder", "number": 8, "discount_scheme": "vloot"}, "admin")
    before = _state()
    with pytest.raises(BadInput, match="in gebruik bij 1 klant"):
        lists.delete("kortingsschema", "vloot", "admin")
    assert _state() == before
    lists.set_active("kortingsschema", "vloot", False, "admin")
    assert "vloot" not in dict(reference.choices("discount_scheme"))
    assert reference.inactive_labels("discount_scheme") == {"vloot": "Vlootkorting"}
    # the customer keeps it, also when every value on screen is saved again (a draft's to_save)
    kept = customers.update(8, {**customers.get(8), "contact": "Mia"}, None, "mw")
    assert (kept["discount_scheme"], kept["contact"]) == ("vloot", "Mia")
    with pytest.raises(ValidationFailed) as refused:  # nobody picks it anew
        customers.create({"name": "Nieuw", "discount_scheme": "vloot"}, "admin")
    assert refused.value.errors == {"discount_scheme": "'Vlootkorting' is niet meer actief; kies een andere."}
    customers.update(8, {"discount_scheme": "geen"}, None, "admin")
    with pytest.raises(ValidationFailed):  # changed away; going back is refused
        customers.update(8, {"discount_scheme": "vloot"}, None, "admin")
    assert customers.get(8)["discount_scheme"] == "geen"
    lists.set_active("kortingsschema", "vloot", True, "admin")
    assert customers.update(8, {"discount_scheme": "vloot"}, None, "admin")["discount_scheme"] == "vloot"
    assert [e["kind"] for e in _events("kortingsschema")[:2]] == ["activated", "deactivated"]


def test_an_entry_never_used_can_be_deleted_one_used_before_cannot(db_path: str) -> None:
    added = lists.add("prijslijst", "groot", "Groothandel", "admin")
    assert added["position"] == 4 and added["active"] is True
    lists.delete("prijslijst", "groot", "admin")
    assert "groot" not in reference.all_labels("price_list")
    assert [e["kind"] for e in _events("prijslijst")[:2]] == ["deleted", "added"]
    with pytest.raises(NotFound):
        lists.delete("prijslijst", "groot", "admin")
    # used once, then changed away: no customer holds it now, the history does
    customers.create({"name": "Wisselaar", "number": 9, "price_list": "vloot"}, "admin")
    customers.update(9, {"price_list": "standaard"}, None, "admin")
    with pytest.raises(BadInput, match="werd al gebruikt"):
        lists.delete("prijslijst", "vloot", "admin")
    lists.delete("prijslijst", "verzekeraar", "admin")  # never used: allowed
    assert [code for code, _ in reference.choices("price_list")] == ["standaard", "vloot", "particulier"]


def test_block_reasons_are_a_list_with_the_five_defaults_and_a_reason_in_use_stays(db_path: str) -> None:
    assert [e["label"] for e in lists.entries("blokkeerreden")] == [
        "Wanbetaling", "Fraude", "Geschil", "Op vraag van de klant", "Andere"]
    lists.add("blokkeerreden", "faillissement", "Faillissement", "admin")
    customers.create({"name": "Failliet BV", "number": 11}, "admin")
    assert customers.block(11, "Faillissement", "", None, "admin")["block_reason"] == "faillissement"
    with pytest.raises(BadInput, match="in gebruik"):
        lists.delete("blokkeerreden", "faillissement", "admin")
    lists.set_active("blokkeerreden", "faillissement", False, "admin")
    # the blocked customer keeps its reason when its block message changes
    again = customers.block(11, "faillissement", "Curator gebeld", None, "admin", update=True)
    assert (again["block_reason"], again["block_message"]) == ("faillissement", "Curator gebeld")
    saved = customers.update(11, {**customers.get(11), "contact": "Curator"}, None, "admin")
    assert saved["block_reason"] == "faillissement" and saved["blocked"] is True
    customers.create({"name": "Ander", "number": 12}, "admin")
    with pytest.raises(ValidationFailed, match="niet meer actief"):
        customers.block(12, "faillissement", "", None, "admin")
    customers.unblock(11, "admin")
    with pytest.raises(BadInput, match="werd al gebruikt"):  # no customer holds it now; the history does
        lists.delete("blokkeerreden", "faillissement", "admin")


def test_defaults_and_the_last_active_entry_stay_active(db_path: str) -> None:
    with pytest.raises(BadInput, match="standaardwaarde"):
        lists.set_active("taal", "nl-BE", False, "admin")
    for code in ("fraude", "geschil", "op_vraag_van_de_klant", "andere"):
        lists.set_active("blokkeerreden", code, False, "admin")
    with pytest.raises(BadInput, match="laatste actieve"):
        lists.set_active("blokkeerreden", "wanbetaling", False, "admin")
    with pytest.raises(BadInput, match="laatste actieve"):
        lists.delete("blokkeerreden", "wanbetaling", "admin")


def test_reorder_moves_one_entry_and_the_others_shift(db_path: str) -> None:
    lists.move("aanspreking", "firma", 1, "admin")
    assert [code for code, _ in reference.choices("salutation")] == ["firma", "dhr", "mevr", "dhr_mevr", "fam"]
    assert _events("aanspreking")[0]["changes"] == {"position": [5, 1]}
    with pytest.raises(BadInput, match="1 tot 5"):
        lists.move("aanspreking", "firma", 9, "admin")


@pytest.mark.parametrize(("code", "label"), [("met spatie", "X"), ("", "X"), ("x" * 41, "X"), ("ok", "a\x00b"), ("ok", "x" * 121)])
def test_bad_codes_and_labels_are_refused_and_change_nothing(db_path: str, code: str, label: str) -> None:
    before = _state()
    with pytest.raises(ValidationFailed):
        lists.add("prijslijst", code, label, "admin")
    assert _state() == before


def test_codes_are_unique_and_vat_codes_are_percentages(db_path: str) -> None:
    with pytest.raises(ValidationFailed, match="bestaat al"):
        lists.add("prijslijst", "STANDAARD", "Nog eens", "admin")
    with pytest.raises(ValidationFailed, match="geheel getal"):
        lists.add("btw", "zes", "6 %", "admin")
    lists.add("btw", "9", "9 %", "admin")
    assert customers.create({"name": "Btw Negen", "vat_rate": "9"}, "admin")["vat_rate"] == 9


def test_hostile_labels_are_stored_as_typed(db_path: str) -> None:
    for code, label in (("haak", "Dupont [/] & [b]Zonen[/b]"), ("rtl", "שלום عربى"), ("emoji", "Snel 🚗 herstel")):
        lists.add("hersteller", code, label, "admin", {"city": "Gent"})
    assert [e["label"] for e in lists.entries("hersteller")] == ["Dupont [/] & [b]Zonen[/b]", "שלום عربى", "Snel 🚗 herstel"]
    assert reference.choices("repairer")[0][1] == "Dupont [/] & [b]Zonen[/b] (Gent)"


def test_a_hersteller_has_contact_fields_and_in_use_is_deactivated(db_path: str) -> None:
    made = lists.add("hersteller", "claes", "Autoschade Claes", "admin",
                     {"address": "Kerkstraat 1", "postcode": "3500", "city": "Hasselt", "phone": "011 22 33 44",
                      "email": "info@claes.be"})
    assert (made["phone"], made["email"]) == ("+3211223344", "info@claes.be")
    with pytest.raises(ValidationFailed) as refused:
        lists.set_details("claes", {"phone": "12", "email": "geen adres"}, "admin")
    assert set(refused.value.errors) == {"phone", "email"}
    assert lists.set_details("claes", {"address": "Markt 2"}, "admin")["address"] == "Markt 2"
    assert _events("hersteller")[0]["changes"] == {"address": ["Kerkstraat 1", "Markt 2"]}
    customers.create({"name": "Klant Van Claes", "number": 21, "repairer": str(made["id"])}, "admin")
    with pytest.raises(BadInput, match="in gebruik"):
        lists.delete("hersteller", "claes", "admin")
    lists.set_active("hersteller", "claes", False, "admin")
    assert reference.choices("repairer") == []
    assert customers.update(21, {**customers.get(21), "contact": "x"}, None, "admin")["repairer"] == made["id"]
    with pytest.raises(BadInput, match="alleen een naam"):
        lists.rename("hersteller", "claes", "Carrosserie Claes", "admin", language="fr")


def test_import_adds_and_renames_all_or_nothing(db_path: str, tmp_path: Path) -> None:
    good = tmp_path / "prijzen.csv"
    good.write_text("code;label\nstandaard;Standaardtarief\nexport;Export\nvloot;Vlootbeheer\n", encoding="utf-8")
    assert lists_import.import_csv("prijslijst", str(good), "admin") == {"added": 1, "renamed": 1, "unchanged": 1}
    assert reference.choices("price_list")[-1] == ("export", "Export")
    bad = tmp_path / "fout.csv"
    bad.write_text("nieuw;Nieuw\nmet spatie;Fout\nstandaard\n", encoding="utf-8")
    before = _state()
    with pytest.raises(BadInput, match="Regel 3"):
        lists_import.import_csv("prijslijst", str(bad), "admin")
    bad.write_text("nieuw;Nieuw\nmet spatie;Fout\n", encoding="utf-8")
    with pytest.raises(BadInput, match="regel 2"):
        lists_import.import_csv("prijslijst", str(bad), "admin")
    assert _state() == before
    with pytest.raises(BadInput, match="bestaat niet"):
        lists_import.import_csv("prijslijst", str(tmp_path / "weg.csv"), "admin")


CHANGES: dict[str, Callable[[str], object]] = {
    "add": lambda who: lists.add("prijslijst", "x", "X", who),
    "rename": lambda who: lists.rename("prijslijst", "vloot", "Vloot", who),
    "move": lambda who: lists.move("prijslijst", "vloot", 1, who),
    "deactivate": lambda who: lists.set_active("prijslijst", "vloot", False, who),
    "delete": lambda who: lists.delete("prijslijst", "verzekeraar", who),
    "details": lambda who: lists.set_details("H1", {"city": "Brugge"}, who),
}


def test_a_medewerker_changes_no_list_and_a_beheerder_does(db_path: str, tmp_path: Path) -> None:
    Repairer.create(name="Garage", code="H1")
    csv_file = tmp_path / "l.csv"
    csv_file.write_text("y;Y\n", encoding="utf-8")
    before = _state()
    for name, change in [*CHANGES.items(), ("import", lambda who: lists_import.import_csv("prijslijst", str(csv_file), who))]:
        with pytest.raises(NotPermitted, match="Alleen een beheerder mag referentielijsten wijzigen"):
            change("mw")
        assert _state() == before, name
    for change in CHANGES.values():
        change("admin")  # the same calls work for a beheerder
    assert ReferenceEvent.select().count() == before[2] + len(CHANGES)


def test_the_list_history_is_append_only(db_path: str) -> None:
    lists.add("prijslijst", "x", "X", "admin")
    with pytest.raises(PeeweeException, match="alleen-toevoegen"):
        with database_proxy.atomic():
            database_proxy.execute_sql("UPDATE reference_event SET operator = 'iemand'")
    with pytest.raises(PeeweeException, match="alleen-toevoegen"):
        with database_proxy.atomic():
            database_proxy.execute_sql("DELETE FROM reference_event")
    assert lists.history("prijslijst")[0]["operator"] == "admin"


def test_unknown_list_names_the_lists(db_path: str) -> None:
    with pytest.raises(BadInput, match="kies uit: hersteller, kortingsschema"):
        lists.entries("landen")


def test_changing_an_entry_is_all_or_nothing(db_path: str) -> None:
    lists.add("hersteller", "g", "Garage", "admin", {"city": "Gent"})
    before = _state()
    with pytest.raises(ValidationFailed) as refused:  # a good new name, a bad phone: neither is stored
        lists.update_entry("hersteller", "g", {"label": "Garage Nieuw", "phone": "12"}, "admin")
    assert set(refused.value.errors) == {"phone"}
    assert _state() == before
    done = lists.update_entry("prijslijst", "vloot", {"label": "Vloot", "label_fr": "Flotte", "label_en": ""}, "admin")
    assert (done["label"], done["label_fr"], done["label_en"], done["changed"]) == ("Vloot", "Flotte", None, True)
