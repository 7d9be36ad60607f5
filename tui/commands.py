"""Command palette providers: open a customer by name or number from any screen; the blocked filter."""
from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from klantbeheer.data import customers
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import N_, _
from klantbeheer.data.validation import format_vat
from klantbeheer.tui.app_of import app_of

PALETTE_LIMIT = 12
FILTER_ON = N_("Alleen geblokkeerd: aan")
FILTER_OFF = N_("Alleen geblokkeerd: uit (alle klanten)")
FILTER_HELP = N_("Filter van het zoekscherm (F4)")
BLOCKED = N_("GEBLOKKEERD")
NO_BREAK_SPACE = "\u00a0"


def searchable(text: str) -> str:
    """Text as the palette matches it: French no-break spaces (before ':') read as the space a user types."""
    return text.replace(NO_BREAK_SPACE, " ")


def customer_label(row: dict[str, Any]) -> str:
    """One line for a customer: number, name, postcode and town, VAT, and the blocked marker."""
    town = " ".join(part for part in (row.get("postcode") or "", row.get("city") or "") if part)
    parts = [f"{row['number']}  {row.get('name') or ''}"]
    if town:
        parts.append(town)
    if row.get("vat_number"):
        parts.append(format_vat(row["vat_number"]))
    label = " · ".join(parts)
    return f"{label}  {_(BLOCKED)}" if row.get("blocked") else label


class CustomerCommands(Provider):
    """'Klant openen': type a name, number, VAT number or town; Enter opens the customer form."""

    async def search(self, query: str) -> Hits:
        """Search customers in a thread (never on the UI thread) and offer each as a command."""
        if not query.strip():
            return
        try:
            rows = await asyncio.to_thread(customers.search, query, PALETTE_LIMIT, False)
        except KlantbeheerError:
            return  # the palette simply offers no customers; the search screen reports the problem
        open_customer = app_of(self).open_customer
        for rank, row in enumerate(rows):
            label = customer_label(row)
            display = Text(label)
            if row.get("blocked"):
                display.stylize("bold", len(label) - len(_(BLOCKED)))
            yield Hit(
                score=1.0 - rank / (PALETTE_LIMIT + 1),
                match_display=display,
                command=partial(open_customer, int(row["number"])),
                text=label,
                help=_("Klant openen"),
            )


class SearchFilterCommands(Provider):
    """The 'alleen geblokkeerd' filter of the search screen, switched from the palette."""

    def _label(self) -> str:
        """The command's text: what choosing it will do."""
        screen = _search_screen(self.app)
        on = bool(screen is not None and screen.blocked_only)
        return _(FILTER_OFF) if on else _(FILTER_ON)

    async def discover(self) -> Hits:
        """Offer the filter before anything is typed."""
        yield DiscoveryHit(self._label(), self._toggle, help=_(FILTER_HELP))

    async def search(self, query: str) -> Hits:
        """Offer the filter when the text matches it (e.g. 'geblok', 'filter')."""
        label = self._label()
        plain = searchable(label)
        matcher = self.matcher(searchable(query))
        score = max(matcher.match(plain), matcher.match(_("filter geblokkeerd")))
        if score > 0:
            yield Hit(score, matcher.highlight(plain), self._toggle, text=label, help=_(FILTER_HELP))

    def _toggle(self) -> None:
        """Go to the search screen and flip its filter."""
        app = self.app
        screen = _search_screen(app)
        if screen is None:
            return
        if app.screen is not screen and hasattr(app, "action_search"):
            app.action_search()
        screen.toggle_blocked_only()


def _search_screen(app: Any) -> Any:
    """The app's search screen, if it has one."""
    finder = getattr(app, "search_screen", None)
    return finder() if callable(finder) else None
