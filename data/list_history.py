"""How a change to a reference list reads: one line per change, for the lists screen's F5 and `lists history`."""
from __future__ import annotations

from typing import Any

from klantbeheer.data import clock
from klantbeheer.data.i18n import N_, _

ACTIONS = {
    "added": N_("toegevoegd"), "renamed": N_("hernoemd"), "moved": N_("verplaatst"), "deactivated": N_("gedeactiveerd"),
    "activated": N_("geactiveerd"), "deleted": N_("verwijderd"), "details": N_("gegevens gewijzigd"),
}
FIELD_WORDS = {
    "label": N_("benaming"), "label_fr": N_("benaming (fr)"), "label_en": N_("benaming (en)"), "active": N_("actief"),
    "position": N_("plaats"), "address": N_("adres"), "postcode": N_("postcode"), "city": N_("gemeente"),
    "phone": N_("tel"), "email": N_("e-mail"),
}

def history_text(events: list[dict[str, Any]]) -> str:
    """Each change on one line: when, who, list, code, what, old -> new."""
    if not events:
        return _("Nog geen wijzigingen aan de referentielijsten.")
    lines = []
    for event in events:
        when = clock.local(event["at"]).strftime("%d-%m-%Y %H:%M") if event["at"] else ""
        changes = "; ".join(f"{_(FIELD_WORDS.get(field, field))}: {_word(pair[0])} → {_word(pair[1])}" for field, pair in event["changes"].items()
                            if isinstance(pair, list) and len(pair) == 2)
        lines.append(f"{when}  {event['operator']}  {event['list']} {event['code']}: {_(ACTIONS.get(event['kind'], event['kind']))}"
                     + (f" ({changes})" if changes else ""))
    return "\n".join(lines)


def _word(value: Any) -> str:
    """A value in a history line."""
    if value is None or value == "":
        return _("(leeg)")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(value)
