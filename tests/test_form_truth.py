"""What the form says is true now: a run-out block reads as run out, and only the keys that apply are offered."""
from __future__ import annotations

import datetime as dt
import sqlite3

from klantbeheer.data import clock, customers
from tests.support.search_screen_helpers import make_app
from tests.support.typeahead_helpers import burst, keys_of, settle_keys


def screen_text(app) -> str:
    """The top screen as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_block_that_ran_out_reads_as_run_out(demo_db: str) -> None:
    customers.block(1001, "wanbetaling", "Oude schuld", clock.today() + dt.timedelta(days=5), "admin")
    ended = clock.today() - dt.timedelta(days=3)
    connection = sqlite3.connect(demo_db)
    with connection:
        connection.execute("UPDATE customer SET blocked_until = ? WHERE number = 1001", (ended.isoformat(),))
    connection.close()
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("1001"), "enter")
        text = screen_text(app)
        assert f"blokkering verlopen op {ended.strftime('%d-%m-%Y')}" in text
        assert f"Blokkering verlopen op {ended.strftime('%d-%m-%Y')}" in text
        assert "GEBLOKKEERD" not in text
        assert "Blokkeren" in text and "Deblokkeren" not in text  # Ctrl+B blocks again


async def test_ctrl_b_reads_deblokkeren_on_a_blocked_customer(demo_db: str) -> None:
    customers.block(1001, "wanbetaling", "", None, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("1001"), "enter")
        assert "Deblokkeren" in screen_text(app).splitlines()[-1]


async def test_a_medewerker_is_not_offered_blokkeren_or_verwijderen(demo_db: str) -> None:
    app = make_app(demo_db, "mw")
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await settle_keys(pilot)
        await burst(pilot, *keys_of("123"), "enter")
        keys_line = screen_text(app).splitlines()[-1]
        assert "Blokkeren" not in keys_line and "Verwijderen" not in keys_line and "Bewaren" in keys_line
        await burst(pilot, "ctrl+b")  # not offered, but answered: titled "Niet toegestaan", not "Geblokkeerd"
        assert app.screen.number == 123 and not app.screen.dirty
        assert [n.title for n in app._notifications] == ["Niet toegestaan"]
        assert "Niet toegestaan" in screen_text(app)


def test_example_placeholders_say_bv_and_are_valid_examples() -> None:
    from klantbeheer.data.validation import check_vat
    from klantbeheer.tui.screens.form.fields import TABS

    examples = {spec.name: spec.placeholder for tab in TABS for spec in tab.fields if spec.placeholder[:1].isupper()}
    assert examples == {}, "a placeholder that starts like a stored value must read 'bv. …'"
    vat = next(spec.placeholder for tab in TABS for spec in tab.fields if spec.name == "vat_number")
    assert vat.startswith("bv. ") and check_vat(vat.removeprefix("bv. "))
