"""Every yes/no field takes the same words, whatever the operator's language (data/yes_no.py; issue 28, point 2).

Before: Geblokkeerd took WAAR/ONWAAR in an import, Opmerking Tonen and Toon Identiteitskaart refused them, and VRAI/FAUX
were refused everywhere.
"""
from __future__ import annotations

import pytest

from klantbeheer.data import customers
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.transfer import importer
from tests.support.transfer_files import write_csv

WORDS = {True: ["ja", "JA", "oui", "Yes", "WAAR", "VRAI", "TRUE", "1", "x", "X"],
         False: ["nee", "non", "No", "ONWAAR", "FAUX", "FALSE", "0", ""]}


@pytest.mark.parametrize(("meant", "word"), [(meant, word) for meant, words in WORDS.items() for word in words])
def test_the_form_rule_takes_every_spelling(db_path: str, meant: bool, word: str) -> None:
    number = customers.create({"name": "Ja Nee BV", "postcode": "9000", "city": "Gent"}, "admin")["number"]
    saved = customers.update(number, {"show_remarks": word, "show_id_card": word}, None, "admin")
    assert (saved["show_remarks"], saved["show_id_card"]) == (meant, meant)


def test_a_word_that_is_neither_is_one_sentence_and_changes_nothing(db_path: str) -> None:
    number = customers.create({"name": "Ja Nee BV", "postcode": "9000", "city": "Gent"}, "admin")["number"]
    with pytest.raises(ValidationFailed) as refused:
        customers.update(number, {"show_remarks": "misschien"}, None, "admin")
    assert refused.value.errors == {"show_remarks": "Kies ja of nee."}
    assert customers.get(number)["show_remarks"] is False


def test_an_import_takes_the_words_of_a_french_and_a_dutch_sheet_in_every_yes_no_column(db_path: str, tmp_path) -> None:
    header = ["Naam", "Postcode", "Gemeente", "Opmerking Tonen", "Toon Identiteitskaart", "Geblokkeerd"]
    rows = [["Dupont SA", "5000", "Namur", "VRAI", "FAUX", "FAUX"], ["Peeters BV", "3500", "Hasselt", "WAAR", "ONWAAR", "ONWAAR"],
            ["Müller GmbH", "4700", "Eupen", "x", "", "nee"]]
    result = importer.run_import(str(write_csv(tmp_path / "ja-nee.csv", header, rows)), "admin")
    assert result["invalid"] == 0 and result["created"] == 3, importer.describe(result)
    stored = {row["name"]: customers.get(row["number"]) for row in customers.search("", 50)}
    assert [(stored[name]["show_remarks"], stored[name]["show_id_card"], stored[name]["blocked"])
            for name in ("Dupont SA", "Peeters BV", "Müller GmbH")] == [(True, False, False)] * 3
