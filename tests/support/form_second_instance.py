"""A second Klantbeheer process for the conflict test: open a customer, change one field, save.

Usage: python tests/support/form_second_instance.py DB NUMBER FIELD VALUE OPERATOR; prints the saved version.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textual.widgets import Input  # noqa: E402

from tests.support.form_helpers import make_app, open_form, wait_form  # noqa: E402


async def main(db: str, number: int, field: str, value: str, operator: str) -> None:
    """Drive the real app headless through the form, like a second user at another terminal."""
    app = make_app(db, operator)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_form(pilot, number)
        screen.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await wait_form(pilot)
        print(screen.version)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]))
