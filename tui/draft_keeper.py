"""Keeping a screen's unsaved input in the drafts table (data/drafts.py): the helper the form and the new-dossier screen share."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.timer import Timer

from klantbeheer.data import drafts
from klantbeheer.data.errors import KlantbeheerError

KEEP_DRAFT_AFTER_S = 0.5  # unsaved input goes to the drafts table this long after the last change


class DraftKeeper:
    """One screen's draft in the drafts table: a moment after the last change (in a worker), or at once when it goes."""

    def __init__(self, screen: Screen, operator: Callable[[], str], key: Callable[[], str],
                 payload: Callable[[], dict[str, Any] | None], group: str, ready: Callable[[], bool] = lambda: True) -> None:
        self.screen = screen
        self.operator = operator  # whose drafts
        self.key = key  # the screen's key in the drafts table now
        self.payload = payload  # what to keep, or None when nothing differs from what is stored
        self.group = group  # the worker group (tui/worker_errors.py reports a failure of the group's prefix)
        self.ready = ready  # False while there is no draft yet (a form still loading): nothing is written or dropped
        self.timer: Timer | None = None

    def changed(self) -> None:
        """Something changed: keep the draft once no change came for KEEP_DRAFT_AFTER_S."""
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.screen.set_timer(KEEP_DRAFT_AFTER_S, self.keep_later, name="keep-draft")

    def keep_later(self, key: str | None = None) -> None:
        """Write the payload (or forget the draft when there is none) in a worker."""
        if self.ready():
            self._in_worker(key or self.key(), self.payload())

    def forget_later(self, key: str | None = None) -> None:
        """Forget the kept draft in a worker (after a save, or Niet bewaren)."""
        self._in_worker(key or self.key(), None)

    def keep_now(self) -> None:
        """Write (or forget) the draft in this thread, for a screen that goes now; a database problem raises."""
        if self.ready():
            self._write(self.operator(), self.key(), self.payload())

    def forget_now(self) -> None:
        """Forget the kept draft in this thread; when the database fails the copy stays and is offered next time."""
        try:
            drafts.drop(self.operator(), self.key())
        except KlantbeheerError:
            pass

    def _in_worker(self, key: str, payload: dict[str, Any] | None) -> None:
        """Run the write in a thread worker: typing never waits for the database."""
        operator = self.operator()
        self.screen.run_worker(lambda: self._quietly(operator, key, payload), thread=True, exit_on_error=False, group=self.group)

    def _quietly(self, operator: str, key: str, payload: dict[str, Any] | None) -> None:
        """A database problem costs only the crash copy; the screen still holds the input."""
        try:
            self._write(operator, key, payload)
        except KlantbeheerError:
            pass

    @staticmethod
    def _write(operator: str, key: str, payload: dict[str, Any] | None) -> None:
        """Keep the payload under key, or drop the key when there is no payload."""
        if payload is None:
            drafts.drop(operator, key)
        else:
            drafts.keep(operator, key, payload)
