"""Import of customers on both engines: messy files, the form's rules, report, dry run, strict, duplicates, undo."""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from klantbeheer.data import customers, dossiers, maintenance
from klantbeheer.data.errors import BadInput, NotPermitted
from klantbeheer.data.models import Customer, CustomerEvent
from klantbeheer.data.transfer import import_undo, importer
from klantbeheer.data.transfer.import_columns import match_columns
from klantbeheer.data.transfer.import_report import usual_mode
from tests.support.engines import db_path  # noqa: F401  (both engines)
from tests.support.transfer_files import FORMULA, LONG_CELL, MESSY_HEADER, MESSY_ROWS, write_csv, write_xlsx


def report_rows(path: Path) -> list[list[str]]:
    """The error report's rows (header included), read as Excel would."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def stored(number: int) -> dict:
    """One stored customer by number."""
    return customers.get(number)


def by_name(name: str) -> Customer:
    """The one customer with this name."""
    return Customer.get(Customer.name == name)


def test_messy_windows_1252_file_goes_through_the_form_rules(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "oud systeem.csv", MESSY_HEADER, MESSY_ROWS, encoding="cp1252")
    result = importer.run_import(str(source), "admin")

    assert result["detected"] == "Gedetecteerd: CSV, scheidingsteken puntkomma (;), codering Windows-1252."
    assert result["unknown_columns"] == ["Kleur"]
    assert (result["rows"], result["empty"], result["invalid"], result["created"]) == (7, 1, 3, 4)
    assert result["stored"] and result["import_id"] == 1

    helene = by_name("Hélène Dubois-Noë")
    assert (helene.vat_number, helene.iban, helene.bic) == ("BE0867756456", "BE71096123456769", "GKCCBEBB")
    assert (helene.city, helene.province, helene.mobile, helene.email) == ("Hooglede", "West-Vlaanderen", "+32478123456", "info@dubois.be")
    assert helene.vat_rate == 6 and helene.remarks == "eerste regel\ntweede regel" and not helene.blocked
    zoe = by_name("Zoë Brouwerij")
    assert zoe.vat_number == "BE0867756456"  # the old nine-digit form
    assert (zoe.blocked, zoe.block_reason, zoe.block_message, zoe.blocked_by) == (True, "wanbetaling", "Drie facturen open", "admin")
    assert str(zoe.blocked_until) == "2099-12-31"
    lemaire = by_name("Garage Lemaire")
    assert (lemaire.block_reason, str(lemaire.blocked_until)) == ("fraude", "2099-06-30")
    assert by_name(FORMULA).external_ref == "R-4"  # the formula is the name, as text

    history = customers.history(zoe.number)
    assert [event["kind"] for event in history] == ["blocked", "created"]
    assert all(event["changes"]["import"] == 1 and event["operator"] == "admin" for event in history)
    assert customers.search("dubois noe")[0]["number"] == helene.number  # the search index knows the new rows
    assert maintenance.check()["ok"]

    rows = report_rows(Path(result["report"]))
    assert Path(result["report"]).name == "oud systeem.csv.fouten.csv"
    assert Path(result["report"]).stat().st_mode & 0o777 == usual_mode()  # not the temporary file's 0600
    assert rows[0] == ["Regel", "Fouten", *MESSY_HEADER]
    by_line = {row[0]: row for row in rows[1:]}
    assert set(by_line) == {"8", "9", "10"}
    assert by_line["8"][2:] == MESSY_ROWS[5]  # the original row, the 30,000 characters included
    assert by_line["8"][1] == "Postcode: Onbekende Belgische postcode.; Opmerkingen: Maximaal 4000 tekens."
    assert by_line["9"][1] == (
        "e-mail ADRES: Geen geldig e-mailadres.; Rekeningnummer: Geen geldig IBAN-rekeningnummer.; "
        "Btw nr: Geen geldig BTW-nummer (bv. BE0867756456).; GSM: Geen geldig telefoonnummer.; "
        "BTW-percentage: Kies 0 %, 6 %, 12 % of 21 %.; Geblokkeerd: Kies ja of nee.")
    assert by_line["10"][1] == "Geblokkeerd tot: De einddatum ligt in het verleden."
    assert len(by_line["8"][2 + MESSY_HEADER.index("Opmerkingen")]) == len(LONG_CELL)


def test_dry_run_and_strict_store_nothing_and_write_the_same_report(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "k.csv", MESSY_HEADER, MESSY_ROWS, encoding="utf-8", bom=True)
    before = (Customer.select().count(), CustomerEvent.select().count())
    dry = importer.run_import(str(source), "admin", dry_run=True)
    assert dry["detected"].endswith("codering UTF-8 met BOM.")
    assert (dry["stored"], dry["created"], dry["invalid"], dry["import_id"]) == (False, 4, 3, None)
    dry_report = Path(dry["report"]).read_bytes()
    strict = importer.run_import(str(source), "admin", strict=True)
    assert not strict["stored"] and strict["reason"].startswith("--strict: 3 ongeldige rijen")
    assert (Customer.select().count(), CustomerEvent.select().count()) == before
    real = importer.run_import(str(source), "admin")
    assert real["created"] == 4 and Path(real["report"]).read_bytes() == dry_report


def test_comma_utf8_and_xlsx_with_a_formula_and_real_dates(db_path: str, tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "c.csv", ["Name", "Number", "VAT", "Country"],
                      [["Anaïs Dupont [/]", "77", "BE 0867.756.456", "Frankrijk"]], encoding="utf-8", separator=",")
    result = importer.run_import(str(plain), "admin")
    assert result["detected"] == "Gedetecteerd: CSV, scheidingsteken komma (,), codering UTF-8."
    assert (stored(77)["name"], stored(77)["country"]) == ("Anaïs Dupont [/]", "FR")

    book = write_xlsx(tmp_path / "k.xlsx", ["Klantnummer", "Naam", "Geblokkeerd", "Reden", "Geblokkeerd tot", "Betalingstermijn"],
                      [[88.0, FORMULA, True, "Geschil", dt.datetime(2099, 3, 1), 30.0]])
    result = importer.run_import(str(book), "admin")
    assert result["detected"] == "Gedetecteerd: Excel-werkmap (.xlsx), eerste werkblad." and result["created"] == 1
    customer = stored(88)
    assert customer["name"] == FORMULA and customer["payment_term_days"] == 30
    assert (customer["block_reason"], str(customer["blocked_until"])) == ("geschil", "2099-03-01")


def test_header_matching_and_mapping_file(db_path: str, tmp_path: Path) -> None:
    columns = match_columns(["  NAAM ", "Externe ref", "btw-NR", "E-mail adres", "Gémeente", "Geblokkeerd sinds", "?"])
    assert list(columns.fields.values()) == ["name", "external_ref", "vat_number", "email", "city"]
    assert columns.unknown == ["?"] and columns.ignored == ["Geblokkeerd sinds"]
    with pytest.raises(BadInput, match="allebei 'BTW-nummer'"):
        match_columns(["Naam", "BTW", "Btw nr"])
    with pytest.raises(BadInput, match="Geen kolom voor de naam"):
        match_columns(["Firma", "Btw nr"])
    mapping = tmp_path / "map.toml"
    mapping.write_text('[kolommen]\n"Firma" = "Naam"\n"Ondernemingsnr." = "vat_number"\n', encoding="utf-8")
    source = write_csv(tmp_path / "f.csv", ["Firma", "Ondernemingsnr."], [["Mapping NV", "0867756456"]])
    assert importer.run_import(str(source), "admin", mapping=str(mapping))["created"] == 1
    assert by_name("Mapping NV").vat_number == "BE0867756456"
    mapping.write_text('[kolommen]\n"Firma" = "kleur"\n', encoding="utf-8")
    with pytest.raises(BadInput, match="onbekend veld 'kleur'"):
        importer.run_import(str(source), "admin", mapping=str(mapping))


def test_duplicates_by_number_then_ref_then_vat_under_each_policy(db_path: str, tmp_path: Path) -> None:
    customers.create({"name": "Bestaand", "number": 5, "external_ref": "EXT-5", "vat_number": "BE0867756456"}, "admin")
    customers.create({"name": "Ander", "number": 6, "external_ref": "EXT-6"}, "admin")
    header = ["Nummer", "Naam", "Externe Ref.", "BTW-nummer", "Contact"]
    rows = [["5", "Zelfde nummer", "", "", "A"], ["", "Zelfde ref", "EXT-6", "", "B"],
            ["", "Zelfde btw", "", "0867756456", "C"], ["", "Nieuw", "", "", "D"], ["5", "Twee keer", "", "", ""]]
    source = write_csv(tmp_path / "d.csv", header, rows)

    skip = importer.run_import(str(source), "admin")
    assert [(c["line"], c["number"], c["match"], c["action"]) for c in skip["duplicates"]] == [
        (2, 5, "number", "skipped"), (3, 6, "external_ref", "skipped"), (4, 5, "vat_number", "skipped")]
    assert (skip["created"], skip["skipped"], skip["invalid"]) == (1, 3, 1)
    lines = {row[0]: row[1] for row in report_rows(Path(skip["report"]))[1:]}
    assert lines["6"] == "Nummer: Klantnummer 5 staat ook op regel 2 van dit bestand."
    assert lines["3"] == "Bestaat al als klant 6 (zelfde externe ref.); overgeslagen."
    assert stored(5)["name"] == "Bestaand" and stored(7)["name"] == "Nieuw"  # the next free number

    fail = importer.run_import(str(source), "admin", on_duplicate="fail")
    assert not fail["stored"] and fail["reason"].startswith("--on-duplicate fail: 3 rijen")
    assert Customer.select().count() == 3

    update = importer.run_import(str(source), "admin", on_duplicate="update")
    assert (update["updated"], update["created"]) == (3, 1)  # lines 2 to 4 ("Nieuw" has nothing to match on)
    assert (stored(6)["contact"], stored(6)["name"]) == ("B", "Zelfde ref")
    assert (stored(5)["contact"], stored(5)["name"]) == ("C", "Zelfde btw")  # line 4 matched it by BTW after line 2


def test_undo_deletes_created_restores_updated_and_refuses_after_an_edit_or_a_dossier(db_path: str, tmp_path: Path) -> None:
    customers.create({"name": "Oud", "number": 5, "contact": "vroeger"}, "admin")
    source = write_csv(tmp_path / "u.csv", ["Nummer", "Naam", "Contact", "Geblokkeerd", "Reden"],
                       [["5", "Oud", "nu", "ja", "Fraude"], ["20", "Nieuw A", "", "", ""], ["21", "Nieuw B", "", "", ""]])
    first = importer.run_import(str(source), "admin", on_duplicate="update")
    assert (first["created"], first["updated"]) == (2, 1) and stored(5)["blocked"]

    with pytest.raises(NotPermitted):
        import_undo.undo(first["import_id"], "mw")
    customers.update(20, {"contact": "hand"}, None, "admin")
    with pytest.raises(BadInput, match="klant 20 werd sindsdien gewijzigd"):
        import_undo.undo(first["import_id"], "admin")

    second = importer.run_import(str(write_csv(tmp_path / "v.csv", ["Nummer", "Naam"], [["30", "Met dossier"]])), "admin")
    dossiers.create_dossier(30, "Schade", "", "", "admin")
    with pytest.raises(BadInput, match="klant 30 kreeg sindsdien een dossier"):
        import_undo.undo(second["import_id"], "admin")

    third = importer.run_import(str(write_csv(tmp_path / "w.csv", ["Nummer", "Naam", "Contact"],
                                              [["5", "Oud", "derde"], ["40", "Weg", ""]])), "admin", on_duplicate="update")
    done = import_undo.undo(third["import_id"], "admin")
    assert (done["deleted"], done["restored"]) == (1, 1)
    assert stored(5)["contact"] == "nu" and stored(5)["blocked"]
    with pytest.raises(Exception, match="bestaat niet"):
        stored(40)
    assert [e["kind"] for e in customers.history(5)][:2] == ["updated", "updated"]
    with pytest.raises(BadInput, match="al ongedaan gemaakt"):
        import_undo.undo(third["import_id"], "admin")
    assert maintenance.check()["ok"], maintenance.check()


def test_undo_of_a_block_put_on_an_existing_customer_lifts_it(db_path: str, tmp_path: Path) -> None:
    customers.create({"name": "Klant", "number": 5}, "admin")
    source = write_csv(tmp_path / "b.csv", ["Nummer", "Naam", "Reden"], [["5", "Klant", "Wanbetaling"]])
    made = importer.run_import(str(source), "admin", on_duplicate="update")
    assert stored(5)["blocked"]
    import_undo.undo(made["import_id"], "admin")
    after = stored(5)
    assert not after["blocked"] and after["block_reason"] == "" and after["blocked_by"] == ""
    kinds = [(e["kind"], e["changes"].get("import")) for e in customers.history(5)]
    assert kinds[:2] == [("unblocked", made["import_id"]), ("blocked", made["import_id"])]
    assert maintenance.check()["ok"]


def test_a_medewerker_may_not_import(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "m.csv", ["Naam"], [["Iemand"]])
    with pytest.raises(NotPermitted, match="klanten importeren"):
        importer.run_import(str(source), "mw")
    assert Customer.select().count() == 0


def test_unreadable_files_are_refused_in_dutch(db_path: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="Bestand niet gevonden"):
        importer.run_import(str(tmp_path / "weg.csv"), "admin")
    (tmp_path / "leeg.csv").write_bytes(b"")
    with pytest.raises(BadInput, match="leeg"):
        importer.run_import(str(tmp_path / "leeg.csv"), "admin")
    (tmp_path / "kapot.xlsx").write_bytes(b"PK\x03\x04 geen zip")
    with pytest.raises(BadInput, match="geen leesbare Excel-werkmap"):
        importer.run_import(str(tmp_path / "kapot.xlsx"), "admin")
    assert json.dumps(import_undo.imports()) == "[]"


def test_the_fast_belgian_iban_check_agrees_with_python_stdnum() -> None:
    import random

    from stdnum import iban as std_iban

    from klantbeheer.data.validation import check_iban

    rng = random.Random(18)
    samples = []
    for _ in range(3000):
        account = f"{rng.randrange(1000):03d}{rng.randrange(10**7):07d}"
        bban = account + f"{int(account) % 97 or 97:02d}"
        valid = "BE" + std_iban.calc_check_digits("BE00" + bban) + bban
        damaged = list(valid)
        damaged[rng.randrange(2, 16)] = str(rng.randrange(10))
        samples += [valid, "".join(damaged), valid[:-1], valid.lower(), "BE" + valid[2:].replace("0", "O", 1)]
    for text in samples:
        try:
            expected = std_iban.validate(text)
        except Exception:  # stdnum refuses it: so must we
            expected = None
        try:
            got = check_iban(text)
        except ValueError:
            got = None
        assert got == expected, text
    assert sum(1 for text in samples if _valid(text)) > 500  # many valid ones were compared


def _valid(text: str) -> bool:
    """True when check_iban accepts text."""
    from klantbeheer.data.validation import check_iban

    try:
        check_iban(text)
        return True
    except ValueError:
        return False


def test_the_historiek_tab_says_which_import_wrote_an_event(db_path: str, tmp_path: Path) -> None:
    from klantbeheer.tui.screens.form.history import event_lines

    customers.create({"name": "Oud", "number": 5, "contact": "vroeger"}, "admin")
    source = write_csv(tmp_path / "h.csv", ["Nummer", "Naam", "Contact", "Reden"], [["5", "Oud", "nu", "Fraude"]])
    made = importer.run_import(str(source), "admin", on_duplicate="update")
    import_undo.undo(made["import_id"], "admin")
    lines = event_lines(customers.history(5), {}, {"block_reason": {"fraude": "Fraude"}})
    heads = [line.split("  ", 2)[2] for line in lines if not line.startswith("    ")]
    assert heads[0].startswith("Blokkering opgeheven (import 1 ongedaan gemaakt) — reden: Fraude, geblokkeerd sinds ")
    assert heads[1:4] == ["Gewijzigd (import 1 ongedaan gemaakt)", "Geblokkeerd (import 1) — reden: Fraude",
                          "Gewijzigd (import 1)"]
    assert "    Contact: nu → vroeger" in lines and not any("import:" in line for line in lines)
