"""How the customer form reacts to typing: postcode fills town and province, IBAN fills BIC, fields checked on leaving."""
from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, Select, Static

from data import postcodes, validation
from tui.screens.form_host import FormHost
from tui.widgets.postcode_field import CityInput

# Fields whose rule needs no database: checked as soon as the user leaves them.
LIVE_CHECKS = {"name", "number", "email", "phone", "fax", "mobile", "vat_number", "iban", "bic", "payment_term_days"}


class FieldReactions(FormHost):
    """Mixin of CustomerFormScreen: fill-ins, check-box words and live checks while the user types."""

    def _react_to_change(self, event: Any) -> None:
        """A field changed: fill in what follows from it, drop its stale error, update 'unsaved'."""
        widget_id = getattr(event.control, "id", None)
        if widget_id in ("postcode", "country"):
            self._postcode_changed()
        elif widget_id == "iban":
            self._iban_changed()
        elif isinstance(event.control, Checkbox):
            self._label_checkboxes()
        if widget_id in self.errors and self.collect().get(widget_id) != self._submitted.get(widget_id):
            self._show_field_error(widget_id, "")
        self._refresh_dirty()

    def _check_left_field(self, event: Input.Blurred) -> None:
        """Check a field when the user leaves it (rules without a database); a BIC that does not fit the IBAN is a warning."""
        name = event.input.id
        if self.data is None or name not in LIVE_CHECKS:
            return
        checked = validation.check_customer({name: event.value})
        # An empty required field is reported on Bewaren, not while the user is still filling in the form.
        message = checked.errors.get(name, "") if event.value.strip() else ""
        if not message and name in ("iban", "bic"):
            both = validation.check_customer({
                "iban": self.query_one("#iban", Input).value, "bic": self.query_one("#bic", Input).value,
            })
            warning = both.warnings.get("bic", "")
            self._show_field_error("bic", f"Let op: {warning}" if warning and "bic" not in both.errors else "")
            if name == "bic":
                return
        self._show_field_error(name, message)

    def _label_checkboxes(self) -> None:
        """Write 'ja' or 'nee' next to each check box, so its state reads without colour."""
        for box in self.query(Checkbox):
            box.label = "ja" if box.value else "nee"

    def _offer_towns(self) -> list[str] | tuple[str, ...]:
        """Offer the towns of a Belgian postcode in the town box; return them."""
        city = self.query_one("#city", CityInput)
        hint = self.query_one("#city_hint", Static)
        country = self.query_one("#country", Select)
        belgian = country.is_blank() or country.value == "BE"
        towns = postcodes.towns(self.query_one("#postcode", Input).value) if belgian else ()
        city.offer(towns)
        others = [town for town in towns if town != city.value]
        hint.update(f"Ook: {', '.join(others)} (↓/↑ in het gemeentevak)" if others and len(towns) > 1 else "")
        hint.set_class(bool(others) and len(towns) > 1, "shown")
        return towns

    def _postcode_changed(self) -> None:
        """A Belgian postcode fills in the town (one of its towns) and the province."""
        code = self.query_one("#postcode", Input).value.strip()
        country = self.query_one("#country", Select)
        belgian = country.is_blank() or country.value == "BE"
        if not belgian or code == self._filled_postcode:
            self._offer_towns()
            return
        self._filled_postcode = code
        towns = postcodes.towns(code)
        if towns:
            city = self.query_one("#city", CityInput)
            if city.value not in towns:
                city.value = towns[0]
            self.query_one("#province", Input).value = postcodes.province(code)
            self._show_field_error("postcode", "")
        elif len(code) >= 4:
            self._show_field_error("postcode", "Onbekende Belgische postcode.")
        self._offer_towns()

    def _iban_changed(self) -> None:
        """A valid Belgian IBAN fills in the BIC of its bank."""
        text = self.query_one("#iban", Input).value
        if text == self._filled_iban:
            return
        self._filled_iban = text
        try:
            compact = validation.check_iban(text)
        except ValueError:
            return
        bic = validation.bic_for_iban(compact)
        if bic:
            self.query_one("#bic", Input).value = bic
