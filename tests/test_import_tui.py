"""The Importeren screen and the Exporteren dialog, driven by keys (Pilot) with notifications rendered, and a snapshot."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, ProgressBar, Static

from klantbeheer.data import customers, demo
from klantbeheer.data.models import Customer
from klantbeheer.tui.dialogs.export import ExportDialog
from klantbeheer.tui.screens.help import HelpScreen
from klantbeheer.tui.screens.import_screen import ImportScreen, rate_line
from tests.support.form_helpers import freeze_clock
from tests.support.search_screen_helpers import make_app
from tests.support.transfer_files import MESSY_HEADER, MESSY_ROWS, many_rows, write_csv
from tests.support.waiting import app_until


def shown_toasts(app) -> str:
    """The text of every notification on screen, as rendered."""
    from textual.widgets._toast import Toast

    toasts = list(app.screen.query(Toast)) or list(app.query(Toast))
    return "\n".join(str(toast.render()) for toast in toasts)


async def until(pilot: Pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until condition() holds."""
    await app_until(pilot, condition, timeout)


async def from_palette(pilot: Pilot, command: str) -> None:
    """Ctrl+P, type the command's name, Enter (as a person does), each step once the palette shows it."""
    from textual.command import CommandList, CommandPalette

    def first_option() -> str:
        if not CommandPalette.is_open(pilot.app):
            return ""
        options = pilot.app.screen.query_one(CommandList)
        return str(options.get_option_at_index(0).prompt).strip() if options.option_count else ""

    await pilot.press("ctrl+p")
    await until(pilot, lambda: CommandPalette.is_open(pilot.app))
    await pilot.press(*command)
    await until(pilot, lambda: first_option().startswith(command))
    await pilot.press("enter")
    await until(pilot, lambda: not CommandPalette.is_open(pilot.app))


async def open_import(pilot: Pilot, path: Path) -> ImportScreen:
    """Palette 'Importeren', type the path, Enter: the preview."""
    await from_palette(pilot, "Importeren")
    await until(pilot, lambda: isinstance(pilot.app.screen, ImportScreen))
    screen = pilot.app.screen
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")
    await until(pilot, lambda: screen.query_one("#import-preview", DataTable).row_count > 0
                or "niet" in str(screen.query_one("#import-status", Static).render()))
    return screen


def status(screen: ImportScreen) -> str:
    """The status line under the preview."""
    return str(screen.query_one("#import-status", Static).render())


async def test_preview_then_import_with_progress_and_a_rendered_notification(db_path: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "oud.csv", MESSY_HEADER, MESSY_ROWS)
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_import(pilot, source)
        table = screen.query_one("#import-preview", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[0] for row in rows] == ["2", "4", "6", "7", "8", "9", "10"]
        assert rows[0][2] == "Hélène Dubois-Noë" and rows[0][3] == "nieuw" and rows[0][6] == "BE 0867.756.456"
        assert rows[1][3] == "nieuw, geblokkeerd" and rows[4][3].startswith("FOUT Postcode: Onbekende")
        assert "codering Windows-1252" in str(screen.query_one("#import-detected", Static).render())
        assert Customer.select().count() == 0  # a preview stores nothing
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.result is not None)
        await until(pilot, lambda: "Geïmporteerd" in shown_toasts(app))
        assert "4 klanten aangemaakt, 0 bijgewerkt, 0 dubbel overgeslagen, 3 ongeldig." in shown_toasts(app)
        assert screen.query_one("#import-progress", ProgressBar).percentage == 1.0
        assert "Foutenrapport:" in status(screen)
    assert Customer.select().count() == 4


async def test_a_large_import_shows_rate_and_time_left_and_the_app_stays_usable(db_path: str, tmp_path: Path) -> None:
    source = many_rows(tmp_path / "veel.csv", 6_000)
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_import(pilot, source)
        seen: list[str] = []
        shown = screen._status
        screen._status = lambda text: (seen.append(text), shown(text))  # every line the screen puts up, none missed
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.result is not None)
        moving = [line for line in seen if "rijen/s" in line]
        assert any(line.startswith("Nakijken: ") for line in moving) and any(line.startswith("Opslaan: ") for line in moving)
        assert all(" · nog " in line for line in moving)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ImportScreen))
    assert Customer.select().count() == 6_000


def test_rate_line_counts_rate_and_time_left() -> None:
    assert rate_line("Opslaan", 12_000, 100_000, 2.4) == "Opslaan: 12.000 / 100.000 rijen · 5.000 rijen/s · nog 18 s"
    assert rate_line("Nakijken", 0, 10, 0.0) == "Nakijken: 0 / 10 rijen"


async def test_a_medewerker_is_refused_and_sees_why(db_path: str) -> None:
    app = make_app(db_path, operator="mw")
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await from_palette(pilot, "Importeren")
        await until(pilot, lambda: "Alleen een beheerder mag klanten importeren." in shown_toasts(app))
        assert not isinstance(app.screen, ImportScreen)


async def test_export_of_the_search_results_from_the_palette_and_f1_lists_both(db_path: str, tmp_path: Path) -> None:
    demo.load_demo("admin")
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_table = app.screen.query_one(DataTable)
        lines = [" ".join(str(c) for c in help_table.get_row_at(i)) for i in range(help_table.row_count)]
        assert "Ctrl+P Typ: een klant, filter, importeren, exporteren, thema, taal" in lines
        await pilot.press("escape")
        await pilot.press(*"hasselt")
        await until(pilot, lambda: app.screen.query_one("#results", DataTable).row_count == 2)
        await from_palette(pilot, "Exporteren")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        path = tmp_path / "hasselt.csv"
        dialog.query_one("#export-path", Input).value = str(path)
        await pilot.press("enter")
        await until(pilot, lambda: f"2 klanten geëxporteerd naar {path}." in shown_toasts(app))
        assert not isinstance(app.screen, ExportDialog)
    names = sorted(line.split(";")[1] for line in path.read_text(encoding="utf-8-sig").splitlines()[1:])
    assert names == ["Peeters Transport BV", "Sofie Claes"]
    assert customers.search("hasselt")[0]["postcode"] == "3500"


@pytest.fixture
def snapshot_db(db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A database, a fixed clock and theme, and the messy file at a fixed place."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    freeze_clock(monkeypatch)
    folder = Path("/tmp/klantbeheer-snapshot")
    folder.mkdir(exist_ok=True)
    return db_path, write_csv(folder / "oud systeem.csv", MESSY_HEADER, MESSY_ROWS)


def test_import_screen_preview_fits_80x24(snap_compare, snapshot_db: tuple[str, Path]) -> None:
    db, source = snapshot_db
    app = make_app(db)
    app.theme = "textual-dark"

    async def run_before(pilot: Pilot) -> None:
        screen = await open_import(pilot, source)
        screen.query_one("#import-path", Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_import_screen_tells_one_story_at_80x24(db_path: str, tmp_path: Path) -> None:
    """Preview status, dry run and result agree; the summary scrolls to the undo command; errors wrap under the table."""
    demo.load_demo("admin", demo_database=True)
    private = next(row for row in customers.search("lefevre") if row["name"] == "Françoise Lefèvre")
    long_name = "Garage " + "Heel Lange Naam " * 4
    source = write_csv(tmp_path / "verhaal.csv", ["Klantnr", "Naam", "Postcode", "BTW-nummer", "Iban"], [
        ["", "Françoise Lefèvre", "5000", "", ""], ["123", "ABC", "8830", "", ""], ["", "Nieuwe Klant", "9000", "", ""],
        ["", long_name, "9000", "BE0123", "BE00 1234"], *([["", f"Dubbel {i}", "9000", "", ""] for i in range(12)])])
    before = Customer.select().count()
    app = make_app(db_path)
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        screen = await open_import(pilot, source)
        table = screen.query_one("#import-preview", DataTable)
        statuses = [str(table.get_row_at(i)[3]) for i in range(4)]
        assert statuses[:3] == ["dubbel?", "dubbel", "nieuw"] and statuses[3].startswith("FOUT BTW-nummer")
        assert str(table.get_row_at(0)[1]) == str(private["number"])
        detail = screen.query_one("#import-detail", Static)
        await until(pilot, lambda: "Regel 2: dubbel? 5000 Namur." in str(detail.render()))  # what the columns cut
        await pilot.press("tab", "tab", "tab", "down", "down", "down")  # path, dry run, policy, into the table: row 4
        await until(pilot, lambda: "Regel 5" in str(detail.render()))
        told = str(detail.render())
        assert "BTW-nummer" in told and "Iban" in told and detail.size.height >= 2  # the whole errors, wrapped
        assert str(table.get_row_at(3)[3]).endswith("…")  # where the table's column cuts them
        screen.query_one("#import-policy").value = "update"
        await until(pilot, lambda: str(table.get_row_at(0)[3]) == "bijwerken?" if table.row_count else False)
        assert str(table.get_row_at(1)[3]) == "bijwerken"
        screen.query_one("#import-policy").value = "skip"
        await until(pilot, lambda: str(table.get_row_at(0)[3]) == "dubbel?" if table.row_count else False)
        screen.query_one("#import-dry-run").value = True
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.result is not None)
        await until(pilot, lambda: "Proefdraai" in shown_toasts(app))
        assert "13 klanten zouden aangemaakt worden, 0 bijgewerkt, 2 dubbel overgeslagen." in shown_toasts(app)
        assert "aangemaakt," not in shown_toasts(app).replace("aangemaakt worden,", "")
        assert Customer.select().count() == before
        screen.query_one("#import-dry-run").value = False
        screen.result = None
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.result is not None and screen.result["stored"])
        summary = screen.query_one("#import-summary")
        import_id = screen.result["import_id"]
        await until(pilot, lambda: summary.size.height >= 10)  # the preview's room goes to the summary
        assert app.focused is summary
        await pilot.press("end")  # the keyboard scrolls it to its last lines
        await until(pilot, lambda: summary.scroll_y == summary.max_scroll_y)
        text = status(screen)
        assert f"klantbeheer import --undo {import_id}" in text and "Foutenrapport:" in text
        assert f"bestaat al als klant {private['number']} (zelfde naam en adres): overgeslagen" in text
    assert Customer.select().count() == before + 13
