"""Gemeente: the town box, which offers the towns of the postcode (Down/Up cycles through them)."""
from __future__ import annotations

from textual.binding import Binding
from textual.suggester import SuggestFromList

from klantbeheer.data.i18n import N_
from klantbeheer.tui.widgets.text_field import TextField


class CityInput(TextField):
    """A town input that completes and cycles through the towns of the current Belgian postcode."""

    BINDINGS = [
        Binding("down", "cycle_town(1)", N_("Volgende gemeente"), id="city_next", show=False),
        Binding("up", "cycle_town(-1)", N_("Vorige gemeente"), id="city_previous", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.towns: tuple[str, ...] = ()
        self.stepped_to = ""  # the town Down/Up put in the box last (the Adres tab tells it from a typed one)

    def offer(self, towns: tuple[str, ...]) -> None:
        """Offer these towns (suggestions while typing, Down/Up to cycle)."""
        self.towns = towns
        self.suggester = SuggestFromList(towns, case_sensitive=False) if towns else None

    def action_cycle_town(self, step: int) -> None:
        """Put the next (or previous) town of the postcode in the box."""
        if not self.towns:
            return
        try:
            index = self.towns.index(self.value)
        except ValueError:
            index = -1 if step > 0 else 0
        self.value = self.stepped_to = self.towns[(index + step) % len(self.towns)]
        self.cursor_position = len(self.value)
