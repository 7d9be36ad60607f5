"""Choosing the app's language from the command palette: 'Taal: Français' for oneself, 'Taal van jan: English' (beheerder).

The choice is stored for the operator (data/staff.py) and the screens are rebuilt in it at once. In kiosk mode a
choice for oneself lasts until the idle reset, which brings back the operator's own language.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from klantbeheer.data import staff
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import N_, NAMES, _
from klantbeheer.tui.app_of import app_of

OWN_HELP = N_("Klantbeheer voortaan in deze taal tonen (wordt onthouden)")
OTHER_HELP = N_("De taal van deze gebruiker instellen (beheerder)")


class LanguageCommands(Provider):
    """Palette commands to choose a language: one's own (everyone), another operator's (a beheerder)."""

    def _own(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        """(title, command, help) for each language, for the operator of the session."""
        choose = app_of(self).choose_language
        for code, name in NAMES.items():
            yield _("Taal: {language}").format(language=name), partial(choose, self.app.username, code), _(OWN_HELP)

    async def _others(self) -> list[tuple[str, Callable[[], None], str]]:
        """(title, command, help) for each other operator and language; none for a medewerker."""
        if not app_of(self).is_beheerder:
            return []
        try:
            people = await asyncio.to_thread(staff.all_staff)
        except KlantbeheerError:
            return []
        choose = app_of(self).choose_language
        return [(_("Taal van {username}: {language}").format(username=person["username"], language=name),
                 partial(choose, person["username"], code), _(OTHER_HELP))
                for person in people if person["username"] != self.app.username and person["active"]
                for code, name in NAMES.items()]

    async def discover(self) -> Hits:
        """Offer one's own language choices before anything is typed."""
        for title, command, help_text in self._own():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        """Offer the choices whose title matches (e.g. 'taal fr', 'langue', 'jan')."""
        matcher = self.matcher(query)
        for title, command, help_text in [*self._own(), *await self._others()]:
            score = max(matcher.match(title), matcher.match(f"{title} {_('Taal')} Langue Language"))
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)


def language_notice(person: dict[str, Any]) -> str:
    """What the palette's choice did, in the (new) language of the session."""
    return _("Taal van {username}: {language}.").format(username=person["username"], language=NAMES.get(person["language"], person["language"]))
