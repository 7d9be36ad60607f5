"""The Adres tab: a Belgian postcode fills in the town (one of its towns) and the province."""
from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Input, Select, Static

from klantbeheer.data import postcodes
from klantbeheer.data.i18n import _
from klantbeheer.tui.screens.form.fields import TABS
from klantbeheer.tui.screens.form.tab import FieldsTab
from klantbeheer.tui.widgets.postcode_field import CityInput


class AdresTab(FieldsTab):
    """Address fields; the town box offers the towns of the postcode."""

    SPEC = TABS[1]

    def __init__(self) -> None:
        super().__init__()
        self.filled_postcode: str | None = None  # the postcode whose town was filled in last

    def show(self, values: dict[str, Any], choices: dict[str, list[tuple[str, str]]]) -> None:
        """Show the values, then the towns of the postcode shown."""
        super().show(values, choices)
        self.filled_postcode = self.query_one("#postcode", Input).value.strip()
        self.offer_towns()

    def _belgian(self) -> bool:
        """True when the country is België (or not chosen)."""
        country = self.query_one("#country", Select)
        return country.is_blank() or country.value == "BE"

    def offer_towns(self) -> None:
        """Offer the towns of a Belgian postcode in the town box, and name the others under it."""
        city = self.query_one("#city", CityInput)
        towns = postcodes.towns(self.query_one("#postcode", Input).value) if self._belgian() else ()
        city.offer(towns)
        others = [town for town in towns if town != city.value]
        hint = self.query_one("#city_hint", Static)
        hint.update(_("Ook: {towns} (↓/↑ in het gemeentevak)").format(towns=', '.join(others)) if others and len(towns) > 1 else "")
        hint.set_class(bool(others) and len(towns) > 1, "shown")

    @on(Input.Changed, "#postcode")
    @on(Select.Changed, "#country")
    def _postcode_changed(self) -> None:
        """A new Belgian postcode fills in town and province (their changes are reported as edits too)."""
        code = self.query_one("#postcode", Input).value.strip()
        if self._belgian() and code != self.filled_postcode:
            self.filled_postcode = code
            towns = postcodes.towns(code)
            if towns:
                city = self.query_one("#city", CityInput)
                if city.value not in towns:
                    city.value = towns[0]
                self.query_one("#province", Input).value = postcodes.province(code)
                self.show_error("postcode", "")
            elif len(code) >= 4:
                self.show_error("postcode", _("Onbekende Belgische postcode."))
        self.offer_towns()

    @on(Input.Changed, "#city")
    def _city_changed(self) -> None:
        """Another town: the hint names the others."""
        self.offer_towns()
