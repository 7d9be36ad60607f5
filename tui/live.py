"""Live updates: a daemon thread polls data.changes and tells every screen when data changed.

A plain daemon thread rather than a Textual worker: it runs for the app's whole life, and a
never-ending worker would make `app.workers.wait_for_complete()` (used by tests) wait forever.
It stops by itself once the app stops running.
"""
from __future__ import annotations

import threading

from textual.app import App
from textual.message import Message

from klantbeheer.data import changes
from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.data.i18n import _


class DataChanged(Message):
    """Another connection (or process) committed: screens showing data may refresh."""


def broadcast(app: App) -> None:
    """Post DataChanged to every screen on the stack (post_message is thread-safe and does not block)."""
    for screen in list(app.screen_stack):
        screen.post_message(DataChanged())


def start_change_watcher(app: App, interval: float = changes.POLL_INTERVAL_S) -> threading.Thread | None:
    """Start the background poll (call from on_mount); None when the database cannot be watched.

    A watcher that had to fall back (PostgreSQL without LISTEN) says so in a quiet notice.
    """
    try:
        watcher = changes.open_watcher()
    except KlantbeheerError:
        return None  # no live refresh; the screens still refresh on return and on every keystroke
    if watcher.notice:
        app.notify(_(watcher.notice), title=_("Live verversen"), severity="information", timeout=6, markup=False)

    def notify() -> None:
        """Hand the change to the screens (ignored while the app is shutting down)."""
        try:
            broadcast(app)
        except RuntimeError:  # the event loop has closed
            pass

    def run() -> None:
        """Thread body: poll until the app stops running, then close the watcher's connection."""
        try:
            changes.watch(watcher, on_change=notify, should_stop=lambda: not app.is_running, interval=interval)
        finally:
            watcher.close()

    thread = threading.Thread(target=run, name="klantbeheer-change-watcher", daemon=True)
    thread.start()
    return thread
