"""The Adres tab: a Belgian postcode fills in the town (its official name first) and the province."""
from __future__ import annotations

from typing import Any

from textual import on
from textual.css.query import NoMatches
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
        self.filled: dict[str, str] = {}  # what the postcode put in the town and province boxes (not what was typed)
        self.proposed = ""  # the town the postcode proposed first (Brussels: in the Taal of that moment)

    def show(self, values: dict[str, Any], choices: dict[str, list[tuple[str, str]]]) -> None:
        """Show the values, then the towns of the postcode shown (a stored town counts as typed, not filled in)."""
        super().show(values, choices)
        self.filled_postcode = self.query_one("#postcode", Input).value.strip()
        self.filled = {name: text for name, text in self.filled.items() if self.query_one(f"#{name}", Input).value == text}
        self.offer_towns()

    def _belgian(self) -> bool:
        """True when the country is België (or not chosen)."""
        country = self.query_one("#country", Select)
        return country.is_blank() or country.value == "BE"

    def taal(self) -> str | None:
        """The customer's Taal as the form shows it (it picks Brussels' name: Ixelles or Elsene); None when blank."""
        try:
            select = self.screen.query_one("#language", Select)
        except NoMatches:
            return None
        return None if select.is_blank() else str(select.value)

    def towns(self) -> tuple[str, ...]:
        """The towns of the postcode shown, when Belgian (data/postcodes.py orders them)."""
        return postcodes.towns(self.query_one("#postcode", Input).value, self.taal()) if self._belgian() else ()

    def offer_towns(self) -> None:
        """Offer the towns of a Belgian postcode in the town box, and name the others under it."""
        city = self.query_one("#city", CityInput)
        towns = self.towns()
        city.offer(towns)
        others = [town for town in towns if town != city.value]
        hint = self.query_one("#city_hint", Static)
        hint.update(_("Ook: {towns} (↓/↑ in het gemeentevak)").format(towns=', '.join(others)) if others and len(towns) > 1 else "")
        hint.set_class(bool(others) and len(towns) > 1, "shown")

    def fill(self, name: str, text: str) -> None:
        """Put the postcode's town or province in its box, and remember that the postcode put it there."""
        self.query_one(f"#{name}", Input).value = text
        self.filled[name] = text

    @on(Input.Changed, "#postcode")
    @on(Select.Changed, "#country")
    def _postcode_changed(self) -> None:
        """A new Belgian postcode fills in town and province (their changes are reported as edits too); a postcode
        that is no known one takes away the town and province an earlier postcode filled in (not typed ones)."""
        code = self.query_one("#postcode", Input).value.strip()
        if self._belgian() and code != self.filled_postcode:
            self.filled_postcode = code
            towns = self.towns()
            if towns:
                city = self.query_one("#city", CityInput)
                if city.value not in towns:
                    self.fill("city", towns[0])
                    self.proposed = towns[0]
                self.fill("province", postcodes.province(code))
                self.show_error("postcode", "")
            else:
                for name, text in self.filled.items():
                    if self.query_one(f"#{name}", Input).value == text:
                        self.query_one(f"#{name}", Input).value = ""
                self.filled = {}
                if len(code) >= 4:
                    self.show_error("postcode", _("Onbekende Belgische postcode."))
        self.offer_towns()

    def taal_changed(self) -> None:
        """Another Taal: a Brussels town the postcode proposed follows it (Elsene, Ixelles), a chosen or typed one stays."""
        towns = self.towns()
        city = self.query_one("#city", CityInput)
        if towns and city.value == self.filled.get("city") == self.proposed != towns[0]:
            self.fill("city", towns[0])
            self.proposed = towns[0]
        self.offer_towns()

    @on(Input.Changed, "#city")
    def _city_changed(self) -> None:
        """Another town: the hint names the others; Down/Up from a filled-in town to another of the list keeps it filled in."""
        city = self.query_one("#city", CityInput)
        if "city" in self.filled and city.value == city.stepped_to:
            self.filled["city"] = city.value
        self.offer_towns()
