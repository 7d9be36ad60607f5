"""Choosing the app's language from the command palette: 'Mijn taal: Français' for oneself, 'jan (collega): taal English' (beheerder).

One's own choices always rank above a colleague's; a colleague's choice asks first. The choice is stored for the
operator (data/staff.py) and the screens are rebuilt in it at once. In kiosk mode a choice for oneself lasts until
the idle reset, which brings back the operator's own language.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from klantbeheer.data import staff
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import N_, NAMES, _
from klantbeheer.tui.app_of import app_of
from klantbeheer.tui.commands import searchable
from klantbeheer.tui.dialogs.confirm import ConfirmationModal

OWN = N_("Mijn taal: {language}")
OTHER = N_("{username} (collega): taal {language}")
OWN_HELP = N_("Klantbeheer voortaan in deze taal tonen (wordt onthouden)")
OTHER_HELP = N_("De taal van {name} instellen; vraagt eerst (beheerder)")
ASK_TITLE = N_("Taal van een collega wijzigen?")
ASK_TEXT = N_("De taal van {name} ({username}) wordt {language}. Uw eigen taal blijft zoals ze is.")
ASK_YES = N_("Taal van {username} wijzigen")


class LanguageCommands(Provider):
    """Palette commands to choose a language: one's own (everyone), another operator's (a beheerder, after asking)."""

    def _own(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        """(title, command, help) for each language, for the operator of the session."""
        choose = app_of(self).choose_language
        for code, name in NAMES.items():
            yield _(OWN).format(language=name), partial(choose, self.app.username, code), _(OWN_HELP)

    async def _others(self) -> list[tuple[str, Callable[[], None], str]]:
        """(title, command, help) for each other operator and language; none for a medewerker."""
        if not app_of(self).is_beheerder:
            return []
        try:
            people = await asyncio.to_thread(staff.all_staff)
        except KlantbeheerError:
            return []
        return [(_(OTHER).format(username=person["username"], language=name), partial(ask_then_choose, self.app, person, code),
                 _(OTHER_HELP).format(name=person["full_name"] or person["username"]))
                for person in people if person["username"] != self.app.username and person["active"]
                for code, name in NAMES.items()]

    async def discover(self) -> Hits:
        """Offer one's own language choices before anything is typed."""
        for title, command, help_text in self._own():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        """Offer the choices whose title matches (e.g. 'taal fr', 'langue : ned', 'jan'); one's own above a colleague's."""
        matcher = self.matcher(searchable(query))

        def scored(entries: Iterable[tuple[str, Callable[[], None], str]]) -> list[tuple[float, str, Callable[[], None], str]]:
            """(score, title, command, help) of the entries that match."""
            found = []
            for title, command, help_text in entries:
                plain = searchable(title)
                score = max(matcher.match(plain), matcher.match(f"{plain} {_('Taal')} Langue Language"))
                if score > 0:
                    found.append((score, title, command, help_text))
            return found

        others = scored(await self._others())
        lift = max((score for score, *_rest in others), default=0.0)  # one's own always ranks above every colleague's
        for score, title, command, help_text in [(score + lift, *rest) for score, *rest in scored(self._own())] + others:
            yield Hit(score, matcher.highlight(searchable(title)), command, text=title, help=help_text)


def ask_then_choose(app: Any, person: dict[str, Any], code: str) -> None:
    """A colleague's language changes only after 'Taal van een collega wijzigen?' is answered yes (Escape changes nothing)."""
    name = person["full_name"] or person["username"]
    question = ConfirmationModal(
        _(ASK_TITLE), _(ASK_TEXT).format(language=NAMES[code], name=name, username=person["username"]),
        yes=_(ASK_YES).format(username=person["username"]), no=_("Annuleren"), danger=True)

    def answered(yes: bool | None) -> None:
        if yes:
            app.choose_language(person["username"], code)

    app.push_screen(question, answered)


def language_notice(person: dict[str, Any]) -> str:
    """What the palette's choice did, in the (new) language of the session."""
    return _("Taal van {username}: {language}.").format(username=person["username"], language=NAMES.get(person["language"], person["language"]))
