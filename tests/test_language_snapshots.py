"""Snapshots in French (fr_BE) and English at 80x24 (issue 20): the search screen, the form, the block notice.

French labels run about 20% longer: each snapshot shows that nothing is cut (buttons, the footer's F1 key).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from klantbeheer.data import customers
from klantbeheer.data.i18n import set_language
from tests.support.apps import make_app
from tests.support.new_dossier_helpers import block_with_fixed_time
from tests.support.new_dossier_helpers import settle as settle_workers
from tests.test_form_snapshots import open_tab, snapshot_db  # noqa: F401  (a fixture)
from tests.test_search_snapshots import fixed_look, type_peeters  # noqa: F401  (a fixture)

LANGUAGES = ["fr", "en"]


@pytest.fixture(autouse=True)
def dutch_afterwards() -> Iterator[None]:
    """The app sets the process's language; later tests expect Dutch again."""
    yield
    set_language("nl")


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_screen_80x24(snap_compare, demo_db: str, fixed_look: None, language: str) -> None:
    assert snap_compare(make_app(demo_db, language=language), terminal_size=(80, 24), run_before=type_peeters)


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_algemeen_80x24(snap_compare, snapshot_db: str, language: str) -> None:  # noqa: F811
    app = make_app(snapshot_db, language=language)
    app.theme = "textual-dark"
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_tab(123, 1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_blocked_notice_80x24(snap_compare, demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """Hélène Dubois speaks French: the notice says so, in the operator's language."""
    monkeypatch.setenv("KLANTBEHEER_SETTINGS", str(tmp_path / "settings.json"))
    customers.update(1001, {"language": "fr-BE"}, customers.get(1001)["version"], "admin")
    block_with_fixed_time(1001, "Wanbetaling", "Drie facturen staan open; eerst betalen.", dt.date(2099, 12, 31))

    async def run_before(pilot: Pilot) -> None:
        await settle_workers(pilot)
        pilot.app.action_new_dossier(1001)
        await settle_workers(pilot)

    app = make_app(demo_db, language=language)
    app.theme = "textual-dark"
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
