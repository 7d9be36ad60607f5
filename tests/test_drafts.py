"""The customer draft without any screen: edits, checks, values to save, reload and three-way merge."""
from __future__ import annotations

import datetime as dt

from klantbeheer.data import customers, drafts
from klantbeheer.data.drafts import BothChanged, CustomerDraft


def stored(**changes: object) -> dict[str, object]:
    """A stored customer like customers.get gives, version 1, with some fields changed."""
    base: dict[str, object] = {
        "number": 123, "name": "ABC", "contact": "", "email": "", "phone": "+3251202020", "city": "Hooglede",
        "postcode": "8830", "vat_rate": 21, "show_remarks": False, "payment_term_days": None, "repairer": None,
        "blocked": False, "block_reason": "", "block_message": "", "blocked_until": None, "version": 1,
        "language": "nl-BE", "country": "BE", "customer_type": "bedrijf", "legal_form": "rechtspersoon",
    }
    base.update(changes)
    return base


def test_a_fresh_draft_has_nothing_unsaved_and_shows_stored_values_formatted() -> None:
    draft = CustomerDraft(123, stored())
    assert not draft.changed()
    assert draft.values()["phone"] == "051 20 20 20"
    assert draft.values()["vat_rate"] == "21" and draft.values()["payment_term_days"] == ""
    assert draft.values()["show_remarks"] is False
    assert draft.pending() == {}


def test_typing_back_the_loaded_value_is_no_change() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")
    assert draft.changed() and draft.pending() == {"contact": "Anna"}
    draft.set("contact", "")
    assert not draft.changed()


def test_a_pending_block_counts_as_unsaved_and_is_saved_with_the_edits() -> None:
    draft = CustomerDraft(123, stored())
    draft.block("wanbetaling", "Eerst betalen", None)
    assert draft.changed() and draft.blocked_now()
    assert draft.pending() == {"blocked": True, "block_reason": "wanbetaling", "block_message": "Eerst betalen", "blocked_until": None}
    draft.unblock()  # a block never saved is simply dropped
    assert not draft.changed()


def test_unblocking_a_blocked_customer_is_pending_until_saved() -> None:
    draft = CustomerDraft(123, stored(blocked=True, block_reason="fraude"))
    draft.unblock()
    assert draft.changed() and not draft.blocked_now() and draft.pending() == {"blocked": False}


def test_check_and_check_field_give_dutch_messages(db_path: str) -> None:
    draft = CustomerDraft(123, stored())
    draft.set("email", "jan@")
    assert draft.check() == {"email": "Geen geldig e-mailadres."}
    assert draft.check_field("email") == {"email": "Geen geldig e-mailadres."}
    draft.set("name", "")
    assert draft.check_field("name") == {"name": ""}  # an empty required field waits for Bewaren
    assert "name" in draft.check()


def test_a_refused_field_keeps_its_error_until_it_changes() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("email", "jan@")
    draft.refused({"email": "Geen geldig e-mailadres."})
    draft.set("email", "jan@")
    assert draft.errors == {"email": "Geen geldig e-mailadres."}
    draft.set("email", "jan@example.be")
    assert draft.errors == {}


def test_reload_after_save_keeps_keys_typed_meanwhile() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")
    sent = draft.to_save()
    draft.set("email", "anna@example.be")  # typed while the save ran
    draft.reload(stored(contact="Anna", version=2), dropped=sent)
    assert draft.version == 2
    assert draft.edits == {"email": "anna@example.be"}


def test_reload_after_save_drops_a_value_the_database_formatted() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("mobile", "0478123456")
    sent = draft.to_save()
    draft.reload(stored(mobile="0478123456", version=2), dropped=sent)
    assert not draft.changed()


def test_herladen_drops_the_given_up_edits_but_keeps_later_ones() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")
    draft.block("fraude", "", None)
    given_up = draft.to_save()
    draft.set("email", "later@example.be")
    draft.reload(stored(contact="Bert", version=2), dropped=given_up)
    assert draft.edits == {"email": "later@example.be"} and draft.block_change is None
    assert draft.values()["contact"] == "Bert"


def test_merge_takes_theirs_keeps_mine_and_lists_both() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")  # only mine
    draft.set("city", "Gits")  # both, differently
    draft.set("email", "x@example.be")  # both, the same
    newer = stored(name="ABC NV", city="Roeselare", email="x@example.be", version=2)
    report = draft.merge(newer)
    assert report.theirs == ["name"]
    assert report.mine == ["contact"]
    assert report.both == [BothChanged("city", "Gits", "Roeselare")]
    assert draft.version == 2
    assert draft.values()["name"] == "ABC NV" and draft.values()["contact"] == "Anna"
    assert draft.edits == {"contact": "Anna", "city": "Gits"}  # mine until chosen
    draft.choose("city", mine=False, value="Roeselare")
    assert draft.pending() == {"contact": "Anna"}


def test_a_block_set_by_someone_else_survives_the_merge() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")
    draft.block("geschil", "mijn reden", None)
    report = draft.merge(stored(blocked=True, block_reason="fraude", version=2))
    assert report.their_block_kept
    assert draft.block_change is None and draft.blocked_now()
    assert draft.pending() == {"contact": "Anna"}


def test_a_block_by_someone_else_is_reported_even_without_own_block_change() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")
    report = draft.merge(stored(blocked=True, block_reason="fraude", version=2))
    assert report.their_block_kept and draft.blocked_now()


def test_json_round_trip_then_merge_with_the_customer_as_stored_now() -> None:
    draft = CustomerDraft(123, stored())
    draft.set("contact", "Anna")
    draft.block("geschil", "", dt.date(2099, 1, 2))
    again = CustomerDraft.from_json(draft.to_json())
    assert again.edits == {"contact": "Anna"} and again.block_change["blocked_until"] == dt.date(2099, 1, 2)
    report = again.merge(stored(name="ABC NV", version=3))
    assert report.theirs == ["name"] and again.pending()["contact"] == "Anna"


def test_update_takes_what_the_draft_produces(demo_db: str) -> None:
    draft = CustomerDraft(123, customers.get(123))
    draft.set("contact", "Anna")
    draft.set("phone", "051 20 20 20")
    saved = customers.update(123, draft.to_save(), draft.version, "admin")
    assert (saved["contact"], saved["phone"], saved["version"]) == ("Anna", "+3251202020", 2)
    draft.reload(saved, dropped=draft.to_save())
    assert not draft.changed()


def test_to_save_holds_every_value_to_todays_rules() -> None:
    draft = CustomerDraft(123, stored(name="X" * 130))  # stored long ago, before the 120-character rule
    draft.set("contact", "Anna")
    assert draft.to_save()["name"] == "X" * 130 and draft.to_save()["contact"] == "Anna"
    assert "name" in draft.check()


def test_the_drafts_table_keeps_one_draft_per_operator_and_form(db_path: str) -> None:
    drafts.keep("admin", "customer:123", {"edits": {"contact": "Anna"}})
    drafts.keep("admin", "customer:123", {"edits": {"contact": "Anna B"}})
    drafts.keep("mw", "customer:123", {"edits": {"contact": "Mia"}})
    mine = drafts.kept("admin")
    assert [(d.key, d.payload) for d in mine] == [("customer:123", {"edits": {"contact": "Anna B"}})]
    drafts.drop("admin", "customer:123")
    assert drafts.kept("admin") == [] and len(drafts.kept("mw")) == 1


def test_a_dossier_draft_counts_typed_text_not_the_given_owner() -> None:
    draft = drafts.DossierDraft(owner_text="123", given_owner_text="123")
    assert not draft.changed()
    draft.set("description", "Schade [/] voorbumper")
    assert draft.changed()
    again = drafts.DossierDraft.from_json(draft.to_json())
    assert again.values == {"description": "Schade [/] voorbumper"} and again.changed()
    draft.created("123")
    assert not draft.changed()
    draft.set("owner", "456")
    assert draft.changed()
