"""The one way the tests build the app: tui.app.create_app on a real database file."""
from __future__ import annotations

from typing import Any

from klantbeheer.tui.app import AppSettings, KlantbeheerApp, create_app


def make_app(db_path: str, operator: str = "admin", **settings: Any) -> KlantbeheerApp:
    """The real app on a real database file, logged in as `operator`; settings as AppSettings takes them."""
    return create_app(db=db_path, operator=operator, settings=AppSettings(**settings))


def forget_drafts(operator: str = "admin") -> None:
    """Drop the operator's kept drafts, for a test that starts the app twice on one database on purpose.

    An app that ends with unsaved input keeps it, and the next start offers it back; a test that
    compares two runs must start the second one clean.
    """
    from klantbeheer.data import drafts

    for kept in drafts.kept(operator):
        drafts.drop(operator, kept.key)
