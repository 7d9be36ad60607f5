"""Typed-ahead keys, one at a time: a key goes out only when the one before it has been handled.

Textual hands every key to the widget that has the focus *when the key arrives*. Over SSH a word,
arrows and Enter often arrive in one packet, so without a gate all of them go to the widget that
was focused before the first one was handled (the search box, the tab you are leaving, a screen
still opening), and act on an older state than the user saw. The gate makes a burst behave
exactly like the same keys typed slowly:

1. A key is delivered (priority bindings, then the focused widget), and a `KeyHandled` marker is
   posted behind it to the same widget. The marker travels the same queues as the key, so it
   reaches the app after the key and everything it bubbled through.
2. Then the gate waits for the app to settle: messages the key set off (Input.Submitted after
   Enter), the app's queue (focus changes are queued there), and a screen that is still opening
   or loading (`ready_for_keys` is False). It does not wait for a repaint: that would add a
   frame to every keystroke.
3. Only then the next waiting key is delivered, to whatever has the focus now.

A watchdog lets keys flow again if a marker can never arrive (its widget was removed with the
screen it was on) or a screen never becomes ready (MAX_HOLD_S).

When the app ends, `close()` stops the gate's timers and drops the keys still waiting before the
screens go: a timer that fired after them would look for a screen that is no longer there.
"""
from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Awaitable, Callable

from textual import events
from textual.app import ScreenStackError
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

if TYPE_CHECKING:
    from textual.app import App

MAX_HOLD_S = 3.0  # never hold typed keys longer than this, whatever happens
WATCH_INTERVAL_S = 0.02
SETTLE_RETRY_S = 0.001


class KeyHandled(Message):
    """Posted behind a delivered key to the same widget; bubbles up to the app."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class KeyGate:
    """Holds keys while an earlier key is being handled or the screen is not ready for them."""

    def __init__(self, app: App, deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self._app = app
        self._deliver = deliver
        self._waiting: deque[events.Key] = deque()
        self._serial = 0
        self._in_flight: int | None = None  # serial of the key being handled
        self._target: MessagePump | None = None
        self._since = 0.0
        self._waiting_since = 0.0
        self._watch: Timer | None = None
        self._retries: set[Timer] = set()  # pending settle retries, stopped by close()
        self.closed = False
        """True once the app is ending: no key goes out any more and no timer runs."""
        self.open = False
        """False until the app has put up its first screen; keys typed before that wait."""

    @property
    def waiting(self) -> int:
        """How many typed keys are waiting for their turn."""
        return len(self._waiting)

    @property
    def idle(self) -> bool:
        """True when no key is being handled and none is waiting."""
        return self._in_flight is None and not self._waiting

    def _ready(self) -> bool:
        """True when the app is started and the top screen is mounted and ready for keys."""
        if not self.open or self.closed or not self._app.screen_stack:
            return False
        try:
            screen = self._app.screen
        except ScreenStackError:  # the screens are going (the app ends)
            return False
        return screen.is_mounted and bool(getattr(screen, "ready_for_keys", True))

    def close(self) -> None:
        """The app ends: stop every timer of the gate and drop the waiting keys, before the screens go."""
        self.closed = True
        self._waiting.clear()
        self._in_flight = None
        self._target = None
        for timer in (self._watch, *self._retries):
            if timer is not None:
                timer.stop()
        self._watch = None
        self._retries.clear()

    async def take(self, event: events.Key) -> None:
        """A key from the terminal: deliver it now, or keep it until the earlier ones are done."""
        if self.closed:
            return
        if event.key == "ctrl+j":
            # Enter typed before the app took over the terminal was turned into a newline by the tty's
            # line discipline (CR to NL); nobody types Ctrl+J on purpose, so it counts as Enter.
            event = events.Key("enter", "\r")
        if self._in_flight is not None or self._waiting or not self._ready():
            if not self._waiting:
                self._waiting_since = time.monotonic()
            self._waiting.append(event)
            self._ensure_watch()
            return
        await self._send(event)

    async def _send(self, event: events.Key) -> None:
        """Deliver one key and post the marker behind it."""
        if self.closed or not self._app.screen_stack:
            return
        self._serial += 1
        serial = self._serial
        self._in_flight = serial
        self._since = time.monotonic()
        target: MessagePump = self._app.focused or self._app.screen
        self._target = target
        await self._deliver(event)
        if not target.is_running or not target.post_message(KeyHandled(serial)):
            self._app.post_message(KeyHandled(serial))
        self._ensure_watch()

    def handled(self, serial: int) -> None:
        """The marker of key `serial` reached the app: release the next key once things settle."""
        if serial == self._in_flight and not self.closed:
            self._app.call_later(self._settle, serial)

    def _settle(self, serial: int) -> None:
        """Wait until no widget of the screen has messages left (a key's handler may post more, e.g. Submitted)."""
        if serial != self._in_flight or self.closed or not self._app.screen_stack:
            return
        screen = self._app.screen
        if any(node.message_queue_size for node in screen.walk_children(with_self=True)):
            # Look again in a moment. Not call_later: a message to itself would keep the app's task
            # from ever yielding, and the busy widgets would never get their turn.
            self._retry(serial)
            return
        self._app.call_later(self._finish, serial)  # behind focus changes queued on the app meanwhile

    def _retry(self, serial: int) -> None:
        """Settle again after SETTLE_RETRY_S (a timer close() can stop)."""
        timer: Timer | None = None

        def again() -> None:
            self._retries.discard(timer)  # type: ignore[arg-type]
            self._settle(serial)

        timer = self._app.set_timer(SETTLE_RETRY_S, again, name="key-gate-settle")
        self._retries.add(timer)

    def _finish(self, serial: int) -> None:
        """Key `serial` is fully handled: the next may go."""
        if serial == self._in_flight and not self.closed:
            self._in_flight = None
            self._target = None
            self.pump()

    def pump(self) -> None:
        """Deliver the next waiting key if nothing is in flight and the screen is ready (screens call this when ready)."""
        if self._in_flight is not None or not self._waiting or not self._ready():
            return
        event = self._waiting.popleft()
        self._waiting_since = time.monotonic()
        self._in_flight = -1  # reserved until _send runs, so newer keys queue behind this one
        self._app.call_later(self._send_reserved, event)

    async def _send_reserved(self, event: events.Key) -> None:
        """Deliver a key that pump() took from the queue."""
        if not self.closed:
            await self._send(event)

    def _ensure_watch(self) -> None:
        """Run the watchdog while keys are in flight or waiting."""
        if self._watch is None and not self.closed:
            self._watch = self._app.set_interval(WATCH_INTERVAL_S, self._check, name="key-gate")

    def _check(self) -> None:
        """Watchdog: release a key whose marker cannot arrive, start waiting keys once the screen is ready."""
        if self.closed:
            return
        if self._in_flight is None and not self._waiting:
            if self._watch is not None:
                self._watch.stop()
                self._watch = None
            return
        if self._in_flight is not None and self._in_flight != -1:
            target = self._target
            lost = target is not None and not target.is_running
            if lost or time.monotonic() - self._since > MAX_HOLD_S:
                self._in_flight = None
                self._target = None
        elif self._in_flight is None and self._waiting and not self._ready():
            if self.open and time.monotonic() - self._waiting_since > MAX_HOLD_S:
                self._deliver_anyway()
                return
        self.pump()

    def _deliver_anyway(self) -> None:
        """A screen that never said it was ready: let the keys go rather than lose them."""
        if self.closed or not self._waiting:
            return
        event = self._waiting.popleft()
        self._in_flight = -1
        self._app.call_later(self._send_reserved, event)
