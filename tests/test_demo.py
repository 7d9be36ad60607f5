"""Demo data: ABC exactly as in the glossary, blocked demo customers, synthetic customers that pass every check."""
from __future__ import annotations

from stdnum.eu import vat

from klantbeheer.data import customers, demo, maintenance
from klantbeheer.data.models import Customer, CustomerEvent


def test_abc_has_the_seed_values(demo_db: str) -> None:
    abc = customers.get(123)
    expected = {
        "name": "ABC", "number": 123, "external_ref": "5744", "email": "", "language": "nl-BE", "repairer": None,
        "address": "HOGESTRAAT 53", "address2": "", "postcode": "8830", "city": "Hooglede", "country": "BE",
        "certificate_number": "", "vat_number": "BE0867756456", "vat_rate": 21, "payment_term_days": None,
        "phone": "", "fax": "", "mobile": "", "customer_type": "bedrijf", "legal_form": "rechtspersoon",
        "salutation": "", "contact": "", "remarks": "100 % LIGHT" * 8, "show_remarks": False,
        "show_id_card": False, "blocked": False, "iban": "", "bic": "",
    }
    assert {key: abc[key] for key in expected} == expected
    assert abc["province"] == "West-Vlaanderen"


def test_demo_has_blocked_customers_with_reason_and_message(demo_db: str) -> None:
    blocked = customers.search("", limit=100, blocked_only=True)
    assert len(blocked) >= 3
    for row in blocked:
        full = customers.get(row["number"])
        assert full["block_reason"] and full["blocked_by"] == "mvanwoensel"


def test_loading_the_demo_twice_adds_nothing(demo_db: str) -> None:
    before = Customer.select().count()
    assert demo.load_demo("admin") == 0
    assert Customer.select().count() == before


def test_synthetic_customers_are_valid_deterministic_and_pass_check(db_path: str) -> None:
    demo.synthetic(500, seed=7)
    rows = list(Customer.select().order_by(Customer.number))
    assert len(rows) == 500
    companies = [row for row in rows if row.customer_type == "bedrijf"]
    assert companies and all(vat.is_valid(row.vat_number) for row in companies)
    assert CustomerEvent.select().where(CustomerEvent.kind == "created").count() == 500
    result = maintenance.check()
    assert result["ok"], result
    first = [(row.name, row.postcode) for row in rows[:20]]
    Customer.delete().execute()
    demo.synthetic(20, seed=7)
    again = [(row.name, row.postcode) for row in Customer.select().order_by(Customer.number)]
    assert again == first
