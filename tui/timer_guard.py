"""Textual's Timer spins forever, at full CPU, on a negative interval.

That happens in Textual 8: a toast takes its notification's time left as its timer's delay, and a toast mounted
after that time ran out (a machine so loaded that the screen was not refreshed within the notification's
seconds) gets a negative one; the timer's catch-up loop then never awaits and the app hangs. Every timer
here waits at least MIN_INTERVAL_S instead (tests/test_timer_guard.py shows the hang without it).
"""
from __future__ import annotations

from typing import Any

from textual import timer

MIN_INTERVAL_S = 0.001
_textual_init = timer.Timer.__init__


def _init(self: timer.Timer, event_target: Any, interval: float, **options: Any) -> None:
    """Textual's Timer.__init__ with the interval at least MIN_INTERVAL_S."""
    _textual_init(self, event_target, max(float(interval), MIN_INTERVAL_S), **options)


def install() -> None:
    """Guard every Textual timer made from now on (once per process)."""
    timer.Timer.__init__ = _init  # type: ignore[method-assign]
