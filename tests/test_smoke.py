"""First checks of the foundation: demo data, search, the blocked-dossier rule."""
from __future__ import annotations

import pytest

from klantbeheer.data import customers, dossiers
from klantbeheer.data.errors import CustomerBlocked


def test_abc_is_in_the_demo(demo_db: str) -> None:
    abc = customers.get(123)
    assert abc["name"] == "ABC"
    assert abc["vat_number"] == "BE0867756456"
    assert abc["blocked"] is False
    assert customers.search("abc")[0]["number"] == 123


def test_blocked_customer_gets_no_dossier(demo_db: str) -> None:
    customers.block(123, "Wanbetaling", "Eerst betalen", None, "admin")
    with pytest.raises(CustomerBlocked) as refused:
        dossiers.create_dossier(123, "Schade", operator="mw")
    assert refused.value.reason == "Wanbetaling"
    assert dossiers.list_dossiers(123) == []
