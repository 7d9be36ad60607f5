"""The built-in reference entries in French and English (issue 20): new databases, the upgrade step, form, CLI, import."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest

from klantbeheer.data import customers, reference
from klantbeheer.data.db import migrate_to, open_database, schema_version
from klantbeheer.data.i18n import set_language
from klantbeheer.data.migrations import LATEST, MIGRATIONS, m0013_builtin_translations
from klantbeheer.data.models import ReferenceItem, database_proxy
from klantbeheer.data.transfer import importer
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from tests.support.form_helpers import make_app, open_form
from tests.support.foundation_helpers import run_cli
from tests.support.new_dossier_helpers import settle
from tests.support.pg_support import fresh_database
from tests.test_lists_form import shown
from tests.test_new_dossier import notice_text

STEP = MIGRATIONS.index(m0013_builtin_translations) + 1  # this step's schema version


@pytest.fixture(autouse=True)
def dutch_afterwards() -> Iterator[None]:
    """The app and the tests set the process's language; later tests expect Dutch again."""
    yield
    set_language("nl")


def labels(kind: str, code: str) -> tuple[str, str | None, str | None]:
    """An entry's (Dutch, French, English) labels as stored."""
    item = ReferenceItem.get((ReferenceItem.kind == kind) & (ReferenceItem.code == code))
    return item.label, item.label_fr, item.label_en


def test_a_new_database_has_every_built_in_entry_in_three_languages(db_path: str) -> None:
    untranslated = ReferenceItem.select().where(ReferenceItem.label_fr.is_null() | ReferenceItem.label_en.is_null()
                                                | (ReferenceItem.label_fr == "") | (ReferenceItem.label_en == ""))
    assert [(item.kind, item.code) for item in untranslated] == []
    assert labels("customer_type", "bedrijf") == ("Bedrijf", "Entreprise", "Company")
    assert labels("legal_form", "rechtspersoon") == ("Rechtspersoon", "Personne morale", "Legal entity")
    assert labels("language", "nl-BE") == ("Nederlands (BE)", "Néerlandais (BE)", "Dutch (BE)")
    assert labels("block_reason", "wanbetaling") == ("Wanbetaling", "Défaut de paiement", "Non-payment")
    assert labels("country", "NL") == ("Nederland", "Pays-Bas", "Netherlands")
    assert reference.choices("country", "fr")[:3] == [("BE", "Belgique"), ("AF", "Afghanistan"), ("ZA", "Afrique du Sud")]
    assert ("DE", "Allemagne") in reference.choices("country", "fr")
    assert reference.choices("country", "en")[0] == ("BE", "Belgium")
    assert reference.choices("country")[:2] == [("BE", "België"), ("AF", "Afghanistan")]  # Dutch as before


def office_edits(execute: Callable[[str], None]) -> None:
    """What an office did to its lists before the upgrade: a rename, a French label of its own, a new entry."""
    execute("UPDATE reference_item SET label = 'Onderneming' WHERE kind = 'customer_type' AND code = 'bedrijf'")
    execute("UPDATE reference_item SET label_fr = 'Impayé' WHERE kind = 'block_reason' AND code = 'wanbetaling'")
    execute("UPDATE reference_item SET label_fr = 'Hollande' WHERE kind = 'country' AND code = 'NL'")
    execute("INSERT INTO reference_item (kind, code, label, position) VALUES ('block_reason', 'faillissement', "
            "'Faillissement', 9)")


def check_upgraded(location: str) -> None:
    """Open (so upgrade) the database: built-in entries filled, the office's own texts kept."""
    db = open_database(location)
    try:
        assert schema_version(db) == LATEST
        assert labels("customer_type", "bedrijf") == ("Onderneming", None, None)  # renamed: the office's, left alone
        assert labels("customer_type", "particulier") == ("Particulier", "Particulier", "Private person")
        assert labels("block_reason", "wanbetaling") == ("Wanbetaling", "Impayé", "Non-payment")  # its label_fr kept
        assert labels("block_reason", "faillissement") == ("Faillissement", None, None)
        assert labels("country", "NL") == ("Nederland", "Hollande", "Netherlands")
        assert labels("country", "BE") == ("België", "Belgique", "Belgium")
        assert labels("language", "fr-BE") == ("Frans (BE)", "Français (BE)", "French (BE)")
    finally:
        closer = database_proxy.obj
        closer.close_all() if hasattr(closer, "close_all") else closer.close()


def test_the_step_on_sqlite_fills_only_untouched_entries(tmp_path: Path) -> None:
    location = str(tmp_path / "v11.db")
    migrate_to(location, STEP - 1)
    con = sqlite3.connect(location)
    with con:
        office_edits(con.execute)
    con.close()
    check_upgraded(location)


def test_the_step_on_postgresql_fills_only_untouched_entries() -> None:
    with fresh_database() as location:
        migrate_to(location, STEP - 1)
        conn = psycopg2.connect(location)
        with conn, conn.cursor() as cursor:
            office_edits(cursor.execute)
        conn.close()
        check_upgraded(location)


def test_a_version_1_database_gets_them_on_upgrade(tmp_path: Path) -> None:
    location = str(tmp_path / "v1.db")
    migrate_to(location, 1)
    check_upgraded_plain(location)


def check_upgraded_plain(location: str) -> None:
    """Open an untouched old database: its built-in entries speak French and English."""
    open_database(location)
    try:
        assert labels("salutation", "mevr") == ("Mevr.", "Mme", "Ms")
        assert labels("payment_condition", "domiciliering") == ("Domiciliëring", "Domiciliation", "Direct debit")
    finally:
        database_proxy.obj.close()


async def test_a_french_operator_sees_entreprise_and_belgique_in_the_form(demo_db: str) -> None:
    app = make_app(demo_db, "mw", language="fr")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, 123)
        assert shown(form, "country") == "Belgique"
        assert shown(form, "customer_type") == "Entreprise"
        assert shown(form, "legal_form") == "Personne morale"
        assert shown(form, "language") == "Néerlandais (BE)"


async def test_the_block_notice_names_the_customers_language_and_reason_in_french(demo_db: str) -> None:
    customers.block(123, "Wanbetaling", "Eerst betalen.", None, "admin")  # ABC speaks Dutch
    app = make_app(demo_db, "mw", language="fr")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_new_dossier(123)
        await settle(pilot)
        assert isinstance(app.screen, BlockedNoticeScreen)
        text = notice_text(app.screen)
        assert "Néerlandais (BE)" in text and "Défaut de paiement" in text
        assert "Nederlands" not in text and "Wanbetaling" not in text


def test_customer_show_in_french_and_english(demo_db: str) -> None:
    french = run_cli("--language", "fr", "show", "123", db=demo_db)
    assert french.code == 0, french.err
    nbsp = "\u00a0"  # French: a no-break space before the colon
    for line in (f"Type de client{nbsp}:         Entreprise", f"Personnalité juridique{nbsp}: Personne morale", f"Pays{nbsp}:",
                 "Belgique", "Néerlandais (BE)"):
        assert line in french.out
    assert "Bedrijf" not in french.out and "België" not in french.out
    english = run_cli("--language", "en", "show", "123", db=demo_db)
    assert "Company" in english.out and "Belgium" in english.out and "Dutch (BE)" in english.out


def test_a_typed_french_choice_is_matched_and_imported(db_path: str, tmp_path: Path) -> None:
    set_language("fr")
    assert reference.match_code("customer_type", "entreprise") == "bedrijf"
    assert reference.match_code("block_reason", "Défaut de paiement") == "wanbetaling"
    set_language("nl")
    assert reference.match_code("legal_form", "Personne physique") == "natuurlijk_persoon"  # any language's label
    source = tmp_path / "clients.csv"
    source.write_text("Naam;Type Klant;Rechtspersoonlijkheid;Land;Taal\n"
                      "Dupont SA;Entreprise;Personne morale;Belgique;Français (BE)\n"
                      "Smith;Private person;Natural person;Netherlands;English\n", encoding="utf-8")
    result = importer.run_import(str(source), "admin")
    assert result["created"] == 2, result
    found = {row["name"]: row["number"] for row in customers.search("", 10, False)}
    dupont, smith = customers.get(found["Dupont SA"]), customers.get(found["Smith"])
    assert (dupont["customer_type"], dupont["legal_form"], dupont["country"], dupont["language"]) == (
        "bedrijf", "rechtspersoon", "BE", "fr-BE")
    assert (smith["customer_type"], smith["legal_form"], smith["country"], smith["language"]) == (
        "particulier", "natuurlijk_persoon", "NL", "en")
