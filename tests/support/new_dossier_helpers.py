"""Helpers for the new dossier screen tests: open the screen, pick an owner, let workers finish."""
from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import Input

from klantbeheer.data import customers
from klantbeheer.data.models import Customer
from klantbeheer.tui.app import KlantbeheerApp
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from tests.support.apps import make_app  # noqa: F401  (the shared factory, re-exported for the tests)
from tests.support.waiting import app_until

FIXED_BLOCKED_AT = dt.datetime(2026, 1, 15, 8, 30)  # stored in UTC: shown as 15-01-2026 09:30 in Brussels


async def settle(pilot: Pilot, rounds: int = 4) -> None:
    """Let thread workers finish and their messages (which may start more workers) be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_screen(pilot: Pilot, owner: int | None = None) -> NewDossierScreen:
    """Open the new dossier screen the way F3 does (with an owner, as from the search or the form)."""
    await settle(pilot)
    pilot.app.action_new_dossier(owner)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewDossierScreen)
    return screen


async def pick_owner(pilot: Pilot, text: str) -> None:
    """Type into the owner picker and press Enter once the suggestions are there."""
    owner = pilot.app.screen.query_one("#owner", Input)
    owner.focus()
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewDossierScreen)
    checks_before = screen._check_id
    await pilot.press("enter")
    await app_until(pilot, lambda: screen._check_id != checks_before and screen._checking is None,
                    what=f"the owner picked for {text!r} checked")
    await settle(pilot)


async def fill(pilot: Pilot, field: str, text: str) -> None:
    """Focus one input and type text into it."""
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()




def block_with_fixed_time(number: int, reason: str, message: str, until: dt.date | None = None) -> None:
    """Block a customer through data/ and then write a fixed blocked_at (deterministic snapshots)."""
    customers.block(number, reason, message, until, "admin")
    Customer.update(blocked_at=FIXED_BLOCKED_AT).where(Customer.number == number).execute()


def notification_texts(app: KlantbeheerApp) -> list[str]:
    """The messages of the notifications currently held by the app."""
    return [f"{n.title}\n{n.message}" for n in app._notifications]
