"""Pilot tests of the new dossier screen: owners, the block notice, the re-check at save, remarks."""
from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from klantbeheer.data import clock, customers, dossiers
from klantbeheer.data.models import Customer
from klantbeheer.tui.dialogs.blocked_notice import BlockedNoticeScreen
from klantbeheer.tui.dialogs.save_changes import SaveChangesDialog
from klantbeheer.tui.screens.new_dossier import NewDossierScreen
from tests.support.new_dossier_helpers import fill, make_app, notification_texts, open_screen, pick_owner, settle
from tests.support.waiting import app_until

ROOT = Path(__file__).resolve().parent.parent
STOP_SENTENCE = "U kunt niet doorgaan met dit dossier."


def notice_text(screen: BlockedNoticeScreen) -> str:
    """Everything the notice shows, one string."""
    return "\n".join(str(widget.render()) for widget in screen.query(Static))


def dossier_count() -> int:
    """How many dossiers exist in total."""
    return len(dossiers.list_dossiers(limit=10_000))


async def test_f3_opens_the_new_dossier_screen(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, NewDossierScreen)
        assert "Dossiers › Nieuw dossier" in str(app.screen.query_one("#location", Static).render())
        assert str(app.screen.query_one("#operator-name", Static).render()) == app.operator["full_name"]


async def test_unblocked_owner_gets_a_dossier_with_the_next_number(demo_db: str) -> None:
    earlier = dossiers.create_dossier(1001, "Eerder dossier", operator="admin")["number"]
    year, sequence = earlier.split("-")
    expected = f"{year}-{int(sequence) + 1:05d}"
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "ABC")
        assert screen.owner_info is not None and screen.owner_info["number"] == 123
        assert screen.query_one("#owner", Input).value == "ABC (123)"
        await fill(pilot, "description", "Schade voorbumper")
        await fill(pilot, "reference", "REF-77")
        await fill(pilot, "licence_plate", "1abc123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = str(screen.query_one("#dossier-result", Static).render())
        assert expected in result
        assert any(expected in text for text in notification_texts(app))
    made = dossiers.list_dossiers(123)
    assert [d["number"] for d in made] == [expected]
    assert made[0]["description"] == "Schade voorbumper"
    assert made[0]["reference"] == "REF-77"
    assert made[0]["licence_plate"] == "1-ABC-123"
    assert made[0]["created_by"] == "admin"


async def test_f10_also_creates_the_dossier(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_screen(pilot, 1001)
        await fill(pilot, "description", "Via F10")
        await pilot.press("f10")
        await settle(pilot)
    assert [d["description"] for d in dossiers.list_dossiers(1001)] == ["Via F10"]


@pytest.mark.parametrize("close_key", ["enter", "escape"])
async def test_blocked_owner_brings_up_the_notice_and_gets_no_dossier(demo_db: str, close_key: str) -> None:
    customers.block(1001, "Wanbetaling", "Eerst de drie open facturen betalen.", None, "admin")
    before = dossier_count()
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "1001")
        notice = app.screen
        assert isinstance(notice, BlockedNoticeScreen)
        assert notice.id == "blocked-notice"
        text = notice_text(notice)
        for expected in ("Deze klant is geblokkeerd", "Hélène Dubois", "1001", "Wanbetaling",
                         "Eerst de drie open facturen betalen.", "admin", STOP_SENTENCE):
            assert expected in text
        assert "Geblokkeerd tot" not in text  # no end date, so no 'until' line
        await pilot.press(close_key)
        await settle(pilot)
        assert app.screen is screen
        assert screen.owner_info is None
        owner = screen.query_one("#owner", Input)
        assert owner.value == "" and owner.has_focus
        await fill(pilot, "description", "Toch proberen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # no notice, no dossier: there is no owner
        assert any("Kies eerst een eigenaar" in t for t in notification_texts(app))
    assert dossiers.list_dossiers(1001) == []
    assert dossier_count() == before


async def test_notice_shows_the_end_date_when_the_block_has_one(demo_db: str) -> None:
    until = clock.today() + dt.timedelta(days=30)
    customers.block(1001, "Geschil", "", until, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_screen(pilot)
        await pick_owner(pilot, "1001")
        assert isinstance(app.screen, BlockedNoticeScreen)
        text = notice_text(app.screen)
        assert "Geschil" in text
        assert until.strftime("%d-%m-%Y") in text


async def test_blocked_start_owner_brings_up_the_notice_at_once(demo_db: str) -> None:
    customers.block(1001, "Fraude", "Niets aannemen.", None, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_new_dossier(1001)
        await settle(pilot)
        assert isinstance(app.screen, BlockedNoticeScreen)
        assert "Niets aannemen." in notice_text(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewDossierScreen)
        assert app.screen.query_one("#owner", Input).value == ""


async def test_block_by_another_process_after_picking_stops_the_save(demo_db: str) -> None:
    before = dossier_count()
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "1001")
        assert screen.owner_info is not None and not isinstance(app.screen, BlockedNoticeScreen)
        await fill(pilot, "description", "Schade achterklep")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "app.py", "block", "1001", "--reason", "Wanbetaling", "--message", "Net geblokkeerd.",
            "--db", demo_db, "--operator", "admin", cwd=str(ROOT),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        await pilot.press("ctrl+s")
        # Wait for the state, not for a number of rounds: the live follow-up (data_changed) and the save's own check
        # race on a loaded machine; either way the notice must come, and nothing may be saved.
        await app_until(pilot, lambda: isinstance(app.screen, BlockedNoticeScreen), what="the block notice after Ctrl+S")
        text = notice_text(app.screen)
        assert "Net geblokkeerd." in text and "Wanbetaling" in text and STOP_SENTENCE in text
        await pilot.press("enter")
        await app_until(pilot, lambda: not isinstance(app.screen, BlockedNoticeScreen) and screen.owner_info is None,
                        what="the notice closed and the owner let go")
        assert screen.owner_info is None
        assert screen.query_one("#owner", Input).value == ""
        assert str(screen.query_one("#dossier-result", Static).render()) == ""
    assert dossiers.list_dossiers(1001) == []
    assert dossier_count() == before


async def test_expired_block_does_not_stop_the_dossier(demo_db: str) -> None:
    customers.block(1001, "Wanbetaling", "Oud", None, "admin")
    yesterday = clock.today() - dt.timedelta(days=1)
    Customer.update(blocked_until=yesterday).where(Customer.number == 1001).execute()
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "1001")
        assert not isinstance(app.screen, BlockedNoticeScreen)
        assert screen.owner_info is not None
        await fill(pilot, "description", "Na de blokkering")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, BlockedNoticeScreen)
    assert [d["description"] for d in dossiers.list_dossiers(1001)] == ["Na de blokkering"]


def rendered(app) -> str:
    """The top screen as plain text, as a person sees it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_show_remarks_stays_in_a_panel_while_that_owner_is_picked(demo_db: str) -> None:
    version = customers.get(1001)["version"]
    customers.update(1001, {"show_remarks": True, "remarks": "Altijd eerst telefonisch bevestigen."}, version, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_screen(pilot)
        await pick_owner(pilot, "1001")
        await app_until(pilot, lambda: "Altijd eerst telefonisch bevestigen." in rendered(app), timeout=30)
        assert "Opmerking bij" in rendered(app)
        assert not any("Altijd eerst" in t for t in notification_texts(app))  # a panel, not a toast that goes
        await fill(pilot, "description", "Met opmerking")
        assert "Altijd eerst telefonisch bevestigen." in rendered(app)  # still there while typing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, BlockedNoticeScreen)
        assert "Altijd eerst telefonisch bevestigen." in rendered(app)  # same owner, next dossier
        app.screen.query_one("#owner", Input).value = ""  # typed over: no owner, no panel
        await settle(pilot)
        assert "Altijd eerst telefonisch bevestigen." not in rendered(app)
        await pick_owner(pilot, "123")  # another owner (without remarks)
        assert "Altijd eerst telefonisch bevestigen." not in rendered(app)
    assert len(dossiers.list_dossiers(1001)) == 1


async def test_remarks_not_shown_without_opmerking_tonen(demo_db: str) -> None:
    version = customers.get(1001)["version"]
    customers.update(1001, {"show_remarks": False, "remarks": "Stille opmerking."}, version, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await pick_owner(pilot, "1001")
        assert screen.owner_info is not None
        assert "Stille opmerking." not in rendered(app)
        assert not any("Stille opmerking." in t for t in notification_texts(app))


async def test_suggestions_mark_blocked_customers(demo_db: str) -> None:
    customers.block(1001, "Wanbetaling", "", None, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        screen.query_one("#owner", Input).focus()
        await pilot.press(*"dubois")
        await settle(pilot)
        options = screen.query_one("#owner-suggestions", OptionList)
        prompts = {str(options.get_option_at_index(i).prompt) for i in range(options.option_count)}
        helene = [p for p in prompts if "Hélène Dubois" in p]
        others = [p for p in prompts if "Hélène Dubois" not in p]
        assert helene and "GEBLOKKEERD" in helene[0]
        assert others and not any("GEBLOKKEERD" in p for p in others)


async def test_down_and_enter_pick_the_second_suggestion(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        screen.query_one("#owner", Input).focus()
        await pilot.press(*"peeters")
        await settle(pilot)
        options = screen.query_one("#owner-suggestions", OptionList)
        assert options.option_count >= 2
        second = int(options.get_option_at_index(1).id)
        await pilot.press("down", "enter")
        await settle(pilot)
        if isinstance(app.screen, BlockedNoticeScreen):
            assert app.screen.error.number == second
        else:
            assert screen.owner_info["number"] == second


async def test_licence_plate_is_normalised_on_leaving_the_field(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        await fill(pilot, "licence_plate", "2 xyz 987")
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.query_one("#licence_plate", Input).value == "2-XYZ-987"


async def test_description_is_required(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot, 123)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#description", Input).has_class("-invalid")
        assert "Omschrijving" in str(screen.query_one("#form-message", Static).render())
    assert dossiers.list_dossiers(123) == []


async def test_start_owner_is_shown_and_escape_leaves_without_asking(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot, 123)
        assert screen.query_one("#owner", Input).value == "ABC (123)"
        assert screen.query_one("#description", Input).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert screen not in app.screen_stack


async def test_escape_asks_first_when_something_was_typed(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot, 123)
        await fill(pilot, "description", "Half ingevuld")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesDialog)
        await pilot.press("escape")  # 'Terug': stay on the form, nothing lost
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#description", Input).value == "Half ingevuld"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesDialog)
        await pilot.press("n")  # Niet bewaren
        await settle(pilot)
        assert screen not in app.screen_stack
    assert dossiers.list_dossiers(123) == []


async def test_invalid_licence_plate_is_marked_and_not_saved(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot, 123)
        await fill(pilot, "description", "Rare plaat")
        await fill(pilot, "licence_plate", "??")
        await pilot.press("shift+tab")
        await pilot.pause()
        plate = screen.query_one("#licence_plate", Input)
        assert plate.has_class("-invalid")
        assert "Nummerplaat" in str(screen.query_one("#form-message", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.created is None
    assert dossiers.list_dossiers(123) == []


async def test_escape_first_closes_the_suggestions(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        screen.query_one("#owner", Input).focus()
        await pilot.press(*"peeters")
        await settle(pilot)
        picker = screen.query_one("#owner-picker")
        assert picker.has_class("-open")
        await pilot.press("escape")
        await pilot.pause()
        assert not picker.has_class("-open")
        assert app.screen is screen
        await pilot.press("escape")  # 'peeters' was typed: ask first
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesDialog)


async def test_names_with_markup_are_shown_literally(demo_db: str) -> None:
    name = "[b]Rood[/b] & [/] [link=x]Co"
    number = customers.create({"name": name, "postcode": "8830"}, "admin")["number"]
    customers.block(number, "Andere", "Zie [red]hier[/red].", None, "admin")
    app = make_app(demo_db)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_screen(pilot)
        screen.query_one("#owner", Input).focus()
        await pilot.press(*str(number))
        await settle(pilot)
        options = screen.query_one("#owner-suggestions", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(name in p and "GEBLOKKEERD" in p for p in prompts)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BlockedNoticeScreen)
        text = notice_text(app.screen)
        assert name in text and "Zie [red]hier[/red]." in text
