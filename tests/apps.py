"""The one way the tests build the app: tui.app.create_app on a real database file."""
from __future__ import annotations

from typing import Any

from tui.app import AppSettings, KlantbeheerApp, create_app


def make_app(db_path: str, operator: str = "admin", **settings: Any) -> KlantbeheerApp:
    """The real app on a real database file, logged in as `operator`; settings as AppSettings takes them."""
    return create_app(db=db_path, operator=operator, settings=AppSettings(**settings))
