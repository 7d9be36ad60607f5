"""The new dossier screen follows its owner's block live (issue 29, point 6).

Seen as: after another terminal blocked the picked owner, the screen kept saying "niet geblokkeerd". The block
and the unblock are done by a real `app.py` process on the same SQLite file; the tests wait for the screen's state.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from textual.widgets import Static

from klantbeheer.data import dossiers
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from klantbeheer.tui.widgets.block_banner import BlockBanner
from tests.support.new_dossier_helpers import fill, make_app, notification_texts, open_screen, pick_owner, settle
from tests.support.waiting import app_until

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = "Eerst de open facturen betalen."
NOT_BLOCKED = "Eigenaar gecontroleerd: niet geblokkeerd."
BLOCKED = "Klant Hélène Dubois (1001) is geblokkeerd; kies een andere eigenaar."


async def other_terminal(*args: str, db: str) -> None:
    """Run app.py as another process (another operator's terminal) on the same database."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "app.py", *args, "--db", db, "--operator", "admin", cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await process.communicate()
    assert process.returncode == 0, err.decode()


def status(screen: NewDossierScreen) -> str:
    """The line under the owner picker."""
    return str(screen.query_one("#owner-status", Static).render())


def banner(screen: NewDossierScreen) -> str:
    """The block banner under the status line ('' while hidden)."""
    widget = screen.query_one("#owner-block", BlockBanner)
    return str(widget.render()) if widget.display else ""


async def test_a_block_by_another_terminal_shows_at_once_and_the_save_brings_up_the_notice(demo_db: str) -> None:
    before = len(dossiers.list_dossiers(limit=10_000))
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "1001")
        await fill(pilot, "description", "Schade achterklep")
        assert status(screen) == NOT_BLOCKED and banner(screen) == ""
        await other_terminal("block", "1001", "--reason", "Wanbetaling", "--message", MESSAGE, db=demo_db)
        await app_until(pilot, lambda: status(screen) == BLOCKED, what="the status line saying the owner is blocked")
        await app_until(pilot, lambda: MESSAGE in banner(screen), what="the block banner")
        shown = banner(screen)
        assert "GEBLOKKEERD" in shown and "Wanbetaling" in shown and "door admin" in shown and "sinds " in shown
        await app_until(pilot, lambda: any("Eigenaar intussen geblokkeerd" in text and "Wanbetaling" in text
                                           for text in notification_texts(app)), what="the notification")
        assert app.screen is screen  # typing goes on where it was: no dialog pops up by itself
        assert screen.query_one("#owner").value == "Hélène Dubois (1001)"
        await pilot.press("ctrl+s")
        await app_until(pilot, lambda: isinstance(app.screen, BlockedNoticeScreen), what="the block notice")
        notice = "\n".join(str(widget.render()) for widget in app.screen.query(Static))
        assert MESSAGE in notice and "Wanbetaling" in notice and "U kunt niet doorgaan met dit dossier." in notice
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.owner_info is None
    assert dossiers.list_dossiers(1001) == []
    assert len(dossiers.list_dossiers(limit=10_000)) == before


async def test_an_unblock_by_another_terminal_shows_too_and_the_dossier_can_be_made(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "1001")
        await fill(pilot, "description", "Schade achterklep")
        await other_terminal("block", "1001", "--reason", "Wanbetaling", "--message", MESSAGE, db=demo_db)
        await app_until(pilot, lambda: status(screen) == BLOCKED, what="the owner shown as blocked")
        await other_terminal("unblock", "1001", db=demo_db)
        await app_until(pilot, lambda: status(screen) == NOT_BLOCKED, what="the owner shown as not blocked again")
        assert banner(screen) == ""
        assert not any("Eigenaar intussen geblokkeerd" in text for text in notification_texts(app))
        await pilot.press("ctrl+s")
        await app_until(pilot, lambda: dossiers.list_dossiers(1001), what="the dossier made")
        assert app.screen is screen
    assert [d["description"] for d in dossiers.list_dossiers(1001)] == ["Schade achterklep"]
