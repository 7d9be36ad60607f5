"""Quitting in the middle of a burst of keys ends cleanly (issue 26, point 8): the key gate's timers stop
before the screens go, so no ScreenStackError at shutdown."""
from __future__ import annotations

import sys

import pytest
from textual import events

from tests.support.apps import make_app
from tests.support.terminal import ROOT, Terminal
from tests.support.waiting import until_async

# Typed ahead: a search, into the results, open the customer, the new-dossier screen, back, menu.
# (No typing into a form: unsaved input would make Ctrl+Q ask first.)
BURST = [*"jan", "down", "enter", "escape", "f3", "escape", "f1", "escape", "f2", *"de", "ctrl+p", "escape", "down", "enter"]


async def _quit_during_burst(db: str, cut: int) -> None:
    """Start the app, send the first `cut` keys of the burst without a pause, then Ctrl+Q; the app must end cleanly."""
    app = make_app(db)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*BURST[:cut], "ctrl+q", *BURST[cut:cut + 3])
    assert app._exception is None, app._exception
    assert app.return_code in (0, None)


@pytest.mark.parametrize("cut", range(1, len(BURST) + 1, 4))
async def test_quit_in_the_middle_of_a_burst_ends_without_error(demo_db: str, cut: int) -> None:
    for _round in range(2):
        await _quit_during_burst(demo_db, cut)


async def test_the_gate_is_closed_and_its_timers_stopped_once_the_app_ends(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*BURST, "ctrl+q")  # no pause: keys still wait in the gate, its watchdog runs
        gate = app.key_gate
        await until_async(lambda: gate.closed, what="the app ended (the quit key waits its turn in the gate)")
    assert gate.closed and gate.idle and gate._watch is None and not gate._retries


async def test_a_gate_timer_that_fires_after_the_screens_are_gone_does_nothing(demo_db: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press(*BURST[:4])
    gate = app.key_gate
    assert not app.screen_stack
    gate._waiting.append(events.Key("a", "a"))  # a key still waiting when the last timer fires
    gate._in_flight = None
    gate._check()
    gate._settle(gate._serial)
    gate.pump()
    await gate.take(events.Key("b", "b"))  # none of these looks for a screen that is gone


def test_a_real_terminal_burst_with_ctrl_q_exits_0_without_traceback(demo_db: str) -> None:
    app = " ".join([sys.executable, str(ROOT / "app.py"), "--db", demo_db, "--operator", "admin"])
    for attempt in range(3):
        # Textual draws on stderr, so what the app prints at exit is read from the terminal after it ends.
        terminal = Terminal(["sh", "-c", f"{app}; echo EINDE-$?-EINDE; sleep 120"], width=100, height=30)
        try:
            terminal.wait_for("Zoek op naam", timeout=60)
            terminal.send("j", "a", "n", "Down", "Enter", "Escape", "F3", "Escape", "F1", "Escape", "F2", "d", "e", "C-q")
            screen = terminal.wait_for(r"EINDE-\d+-EINDE", regex=True, timeout=60)
            scrollback = terminal._tmux("capture-pane", "-t", "t", "-p", "-S", "-2000")
        finally:
            terminal.close()
        assert "EINDE-0-EINDE" in screen, scrollback
        assert "Traceback" not in scrollback and "Error" not in scrollback, scrollback
