"""Typing as SSH delivers it: whole bursts of keys at once, and a data layer made slow on purpose."""
from __future__ import annotations

import time
import unicodedata
from typing import Any, Callable

from textual import events
from textual.pilot import Pilot

from klantbeheer.data import customers
from tests.support.waiting import POLL_S

SLOW_SEARCH_S = 0.2

_NAMED = {" ": "space", "/": "slash", "-": "minus", "'": "apostrophe", ".": "full_stop", ",": "comma"}


def key_event(key: str) -> events.Key:
    """The Key event a terminal driver makes for `key` (a character or a key name such as 'enter')."""
    if len(key) == 1:
        name = key if key.isalnum() else _NAMED.get(key, key)
        return events.Key(name, key)
    try:
        character: str | None = unicodedata.lookup(key.upper().replace("_", " "))
    except KeyError:
        character = None
    if key in ("enter", "tab", "escape", "backspace"):
        character = {"enter": "\r", "tab": "\t", "escape": "\x1b", "backspace": "\x7f"}[key]
    return events.Key(key, character)


def keys_of(text: str) -> list[str]:
    """The keys that type `text`."""
    return list(text)


async def burst(pilot: Pilot, *keys: str, timeout: float = 15.0) -> None:
    """Deliver every key at once, as one SSH packet does (no pause between them), then wait until all are handled."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        driver.send_message(event)
    await settle_keys(pilot, timeout)


async def settle_keys(pilot: Pilot, timeout: float = 15.0) -> None:
    """Wait until the key gate is empty and every worker and message it set off is done."""
    app = pilot.app
    start = time.monotonic()
    while True:
        await pilot.pause(POLL_S)
        if any(not worker.is_finished for worker in app.workers):
            continue
        await pilot.pause()
        if app.key_gate.idle and all(worker.is_finished for worker in app.workers):
            await pilot.pause()
            if app.key_gate.idle:
                return
        if time.monotonic() - start > timeout:
            raise AssertionError(f"keys still waiting after {timeout} s: {app.key_gate.waiting}")


def slow_down(monkeypatch, module: Any, name: str, seconds: float = SLOW_SEARCH_S) -> None:
    """Make data function module.name take `seconds` longer (the real function still runs)."""
    real: Callable[..., Any] = getattr(module, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def slow_search(monkeypatch, seconds: float = SLOW_SEARCH_S) -> None:
    """Every customer search and count takes `seconds` longer, in the data layer the screens call."""
    slow_down(monkeypatch, customers, "search", seconds)
    slow_down(monkeypatch, customers, "search_page", seconds)
    slow_down(monkeypatch, customers, "count", seconds)


def delay_queries(monkeypatch, delays: dict[str, float]) -> None:
    """Make the customer search for these exact texts take longer (in the data layer, after the real search)."""
    for name in ("search", "search_page"):
        real = getattr(customers, name)

        def slow(text: str, *args: Any, real: Any = real, **kwargs: Any) -> Any:
            rows = real(text, *args, **kwargs)
            time.sleep(delays.get(text, 0.0))
            return rows

        monkeypatch.setattr(customers, name, slow)
