"""A notification whose toast is mounted after its time ran out (a loaded machine) must not hang the app.

Textual 8 gives that toast a timer with a negative delay, and its timer loop then spins forever at full CPU
(seen in a full test run: the kiosk test's worker at 50 % CPU for ten minutes, py-spy in Timer._run). The
scenario runs in its own process with a time limit, so that without tui/timer_guard.py the test fails rather
than hangs.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.support.form_helpers import REPO

SCENARIO = textwrap.dedent("""
    import asyncio, sys
    from textual.app import App
    from textual.widgets import Static
    if sys.argv[1] == "guarded":
        from klantbeheer.tui import timer_guard
        timer_guard.install()

    class Busy(App):
        def compose(self):
            yield Static("bezig")

    async def main():
        app = Busy()
        fired = []
        async with app.run_test(notifications=True) as pilot:
            # What a toast does when it is mounted a moment after its notification's time ran out: ToastRack
            # saw the notification as not yet expired, Toast.__init__ a fraction later took time_left < 0.
            app.set_timer(-0.000167, lambda: fired.append(True))
            for _ in range(100):
                await pilot.pause(0.01)  # real time must pass for a timer to fire: time is what is tested
                if fired:
                    break
        print("fired" if fired else "never fired", flush=True)

    asyncio.run(main())
""")


def run(mode: str, limit: float) -> subprocess.CompletedProcess[str] | None:
    """The scenario in its own process; None when it did not end within `limit` seconds (hung)."""
    try:
        return subprocess.run([sys.executable, "-c", SCENARIO, mode], cwd=REPO, capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        return None


def test_a_timer_with_a_negative_delay_fires_and_the_app_keeps_running() -> None:
    done = run("guarded", 120)
    assert done is not None, "the app hung on the late toast's timer"
    assert done.returncode == 0 and done.stdout.strip() == "fired", done.stderr[-2000:]


def test_the_guard_is_needed_textual_alone_hangs_on_a_negative_delay() -> None:
    """The outside party as it is: if a Textual release fixes its timer, this fails and the guard can go."""
    done = run("bare", 15)  # it spins at full CPU: 15 s is ample to see it never fire
    assert done is None or done.stdout.strip() == "never fired"
