"""A Klantbeheer process that edits a customer and then waits to be killed (the crash test).

Usage: python tests/support/form_editor_process.py DB NUMBER OPERATOR
Types a contact and sets a block (not saved), waits until the draft is in the drafts table, prints READY.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from klantbeheer.data import drafts  # noqa: E402
from tests.support.form_helpers import make_app, open_form  # noqa: E402
from tests.support.waiting import app_until


async def main(db: str, number: int, operator: str) -> None:
    """Edit like a person (keys in bursts), then wait for SIGKILL."""
    app = make_app(db, operator)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        form = await open_form(pilot, number)
        form.query_one("#contact").focus()
        await pilot.press(*"Anna", "ctrl+b", "enter", "down", "enter", "ctrl+s")
        key = drafts.customer_key(number)
        await app_until(pilot, lambda: any(d.key == key and d.payload.get("block_change")
                                           and d.payload["edits"].get("contact") == "Anna" for d in drafts.kept(operator)),
                        what="the draft kept")
        print("READY", flush=True)
        await asyncio.Event().wait()  # stay open until the test kills this process


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
