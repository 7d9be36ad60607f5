"""The top line: where the user is (in the old menu's words) and who is working."""
from __future__ import annotations

from textual import events
from textual.widgets import Static

from klantbeheer.data.i18n import N_, _
from klantbeheer.tui.app_of import app_of

APP_NAME = "Klantbeheer"  # the product's name: not translated
ROLES = {"beheerder": N_("beheerder"), "medewerker": N_("medewerker")}


def location_line(location: str, who: str, width: int) -> str:
    """Location on the left, operator on the right; the location gives way first when space is short."""
    room = max(0, width - len(who) - 2)
    if not room:
        return who[:width]
    steps = location.split(" › ")
    candidates = [f"{APP_NAME} · {location}", location]
    candidates += [" › ".join(["…", *steps[index:]]) for index in range(1, len(steps))]
    left = next((text for text in candidates if len(text) <= room), None)
    if left is None:
        left = candidates[-1][: max(0, room - 1)] + "…"
    return f"{left:<{room}}  {who}"


class LocationBar(Static):
    """Shows 'Klantbeheer · <location>' and, always, '<operator> (<role>)' on one line."""

    DEFAULT_CSS = """
    LocationBar { height: 1; background: $primary; color: $text; padding: 0 1; }
    """

    def __init__(self, location: str) -> None:
        super().__init__(id="location", markup=False)
        self.location = location

    @property
    def who(self) -> str:
        """The operator's name and role."""
        operator = app_of(self).operator or {}
        role = operator.get("role", "")
        return f"{operator.get('full_name') or operator.get('username', '')} ({_(ROLES.get(role, role))})"

    def on_mount(self) -> None:
        """Fill in the line once the app and the width are known."""
        self._fill()

    def on_resize(self, event: events.Resize) -> None:
        """Re-fit the line to the new width."""
        self._fill()

    def _fill(self) -> None:
        """Lay out location and operator for the current width."""
        width = self.content_region.width or (self.app.size.width - 2)
        self.update(location_line(_(self.location), self.who, width))
