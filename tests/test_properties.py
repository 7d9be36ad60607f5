"""Property tests: arbitrary text into search and every validated field through data/."""
from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from klantbeheer.data import customers, dossiers
from klantbeheer.data.errors import ValidationFailed
from klantbeheer.data.models import Customer, CustomerEvent, Dossier
from klantbeheer.data.validation import TEXT_LIMITS

# One shared database per test function is what we want here (examples only add rows).
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

NASTY = [
    "", " ", "\x00", "\udcff", "'; DROP TABLE customer; --", '"', "%", "_", "*", "NEAR(", "a OR b", '"a" AND',
    "\u202e", "\u200b", "🙂", "ß", "ǅ", "İ", "\t", "\n", "\r\n", "x" * 5000, "0", "-1", "1e9", "9" * 30,
    "BE0867756456", "BE 0867.756.456", "be0867756456 ", "+32 2 512 34 56", "BE68 5390 0754 7034",
]
ANY_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=60),  # includes lone surrogates
)
VALIDATED_FIELDS = [
    "name", "number", "external_ref", "email", "language", "address", "address2", "postcode", "city", "province",
    "country", "certificate_number", "vat_number", "vat_rate", "payment_term_days", "payment_condition",
    "discount_scheme", "price_list", "internal_account", "phone", "fax", "mobile", "customer_type", "legal_form",
    "salutation", "contact", "remarks", "show_remarks", "show_id_card", "iban", "bic", "repairer",
]


def _counts() -> tuple[int, int, int]:
    """Rows in the tables a failed write must leave alone."""
    return Customer.select().count(), CustomerEvent.select().count(), Dossier.select().count()


@SETTINGS
@given(text=ANY_TEXT, blocked_only=st.booleans())
@example(text="\udcff", blocked_only=False)
def test_search_never_raises(demo_db: str, text: str, blocked_only: bool) -> None:
    rows = customers.search(text, limit=20, blocked_only=blocked_only)
    assert isinstance(rows, list) and len(rows) <= 20
    assert customers.count(text, cap=50) >= 0


@pytest.mark.parametrize("field", VALIDATED_FIELDS)
def test_create_with_arbitrary_text_in_each_field(db_path: str, field: str) -> None:
    @settings(max_examples=25, deadline=None)
    @given(value=ANY_TEXT)
    def check(value: str) -> None:
        before = _counts()
        values = {"name": "Eigenschap NV", field: value}
        try:
            made = customers.create(values, "admin")
        except ValidationFailed as refused:
            assert refused.errors and _counts() == before  # invalid data never stored
            return
        stored = customers.get(made["number"])
        assert stored == made
        assert _counts()[0] == before[0] + 1

    check()


@pytest.mark.parametrize("field", ["name", "email", "postcode", "vat_number", "iban", "phone", "remarks", "number"])
def test_update_with_arbitrary_text_leaves_old_data_when_refused(db_path: str, field: str) -> None:
    number = customers.create({"name": "Bijwerken BV", "postcode": "9000"}, "admin")["number"]

    @settings(max_examples=25, deadline=None)
    @given(value=ANY_TEXT)
    def check(value: str) -> None:
        before, row = _counts(), customers.get(number)
        try:
            saved = customers.update(number, {field: value}, row["version"], "admin")
        except ValidationFailed:
            assert customers.get(number) == row and _counts() == before
            return
        nonlocal_number = saved["number"]
        assert customers.get(nonlocal_number) == saved
        if nonlocal_number != number:  # the customer number itself was changed: put it back
            customers.update(nonlocal_number, {"number": number}, saved["version"], "admin")

    check()


@SETTINGS
@given(description=ANY_TEXT, reference=ANY_TEXT, plate=ANY_TEXT)
@example(description="Schade \udcff", reference="", plate="")
@example(description="Schade", reference="", plate="1-abc-\udcff")
def test_new_dossier_with_arbitrary_text(demo_db: str, description: str, reference: str, plate: str) -> None:
    before = _counts()
    try:
        made = dossiers.create_dossier(123, description, reference, plate, "admin")
    except ValidationFailed:
        assert _counts() == before
        return
    assert made["description"] == description.strip()
    assert Dossier.get(Dossier.number == made["number"]).reference == made["reference"]


@SETTINGS
@given(reason=st.one_of(ANY_TEXT, st.sampled_from(["Wanbetaling", "fraude", "Op vraag van de klant"])), message=ANY_TEXT, until=ANY_TEXT)
@example(reason="Wanbetaling", message="\udcff", until="")
@example(reason="Wanbetaling", message="a\x00b", until="")
@example(reason="Wanbetaling", message="", until="31-02-2099")
@example(reason="Wanbetaling", message="Eerst betalen.\nDaarna bellen.", until="")  # a line break stays a line break
def test_block_with_arbitrary_text(demo_db: str, reason: str, message: str, until: str) -> None:
    before = customers.get(123)
    try:
        blocked = customers.block(123, reason, message, until, "admin")
    except ValidationFailed:
        assert customers.get(123) == before
        return
    assert blocked["blocked"] and blocked["block_message"] == message.strip()
    customers.unblock(123, "admin")


# Valid but unusual data: accents, apostrophes, hyphens, the longest names, addresses abroad.
LETTERS = string.ascii_letters + "éèêëàâäçïîôöûüùÿñßæœøåÉÈÀÇÖÜŁłŠšŽžĆćđ"
NAME = st.builds(
    lambda words: " ".join(words)[:120].strip() or "X",
    st.lists(st.text(alphabet=LETTERS + "'-&.", min_size=1, max_size=15).filter(lambda w: w.strip("'-&.")), min_size=1, max_size=12),
)
UNUSUAL = ["D'Hondt", "Van den Broeck-Dupont", "Hélène Dubois-Lefèvre", "Ørsted & Søn", "Ł" * 120, "A" * 120, "O'Brien-Müller"]


@SETTINGS
@given(name=st.one_of(st.sampled_from(UNUSUAL), NAME), contact=st.one_of(st.just(""), NAME))
def test_unusual_valid_names_are_stored_exactly(db_path: str, name: str, contact: str) -> None:
    made = customers.create({"name": name, "contact": contact, "address": f"Rue de l'Église {len(name)}"}, "admin")
    stored = customers.get(made["number"])
    assert stored["name"] == name and stored["contact"] == contact
    assert stored["address"] == f"Rue de l'Église {len(name)}"
    assert made["number"] in [row["number"] for row in customers.search(name, limit=1000)]


ABROAD = [
    ("FR", "75008", "Paris", "Île-de-France", "8 Rue du Faubourg Saint-Honoré"),
    ("DE", "52062", "Aachen", "Nordrhein-Westfalen", "Pontstraße 12"),
    ("NL", "4811 AB", "Breda", "Noord-Brabant", "Grote Markt 1"),
    ("LU", "L-1009", "Luxembourg", "", "2 Boulevard Royal"),
    ("GB", "SW1A 1AA", "London", "", "10 Downing Street"),
]


@SETTINGS
@given(place=st.sampled_from(ABROAD), name=NAME)
def test_addresses_abroad_are_stored_as_given(db_path: str, place: tuple[str, ...], name: str) -> None:
    country, postcode, city, province, address = place
    made = customers.create({"name": name, "country": country, "postcode": postcode, "city": city, "province": province, "address": address}, "admin")
    stored = customers.get(made["number"])
    assert (stored["country"], stored["postcode"], stored["city"], stored["province"], stored["address"]) == place


def test_text_limits_are_exact(db_path: str) -> None:
    for field, limit in TEXT_LIMITS.items():
        made = customers.create({"name": "Grens", field: "é" * limit}, "admin")
        assert customers.get(made["number"])[field] == "é" * limit
        with pytest.raises(ValidationFailed) as refused:
            customers.create({"name": "Grens", field: "é" * (limit + 1)}, "admin")
        assert field in refused.value.errors
