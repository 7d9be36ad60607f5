"""Messages of the customer form: tab widgets tell the screen about fields, workers tell it about the database."""
from __future__ import annotations

from typing import Any

from textual.message import Message

from klantbeheer.data.errors import KlantbeheerError
from klantbeheer.tui.screens.form.loading import FormData


class FieldEdited(Message):
    """A field's value changed on screen (typing, a choice, a fill-in)."""

    def __init__(self, name: str, value: Any) -> None:
        super().__init__()
        self.name = name
        self.value = value


class FieldLeft(Message):
    """The user left a field: time to check it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class Loaded(Message):
    """A worker read the customer; `dropped` are the edits the load replaces (sent or given up)."""

    def __init__(self, payload: FormData, dropped: dict[str, Any], created: bool = False, saved: bool = False) -> None:
        super().__init__()
        self.payload = payload
        self.dropped = dropped
        self.created = created
        self.saved = saved


class Refused(Message):
    """The database refused a load, save or delete with a domain error."""

    def __init__(self, error: KlantbeheerError, on_load: bool = False) -> None:
        super().__init__()
        self.error = error
        self.on_load = on_load


class ConflictFound(Message):
    """A save was refused because someone saved in between; their record, read for the merge."""

    def __init__(self, text: str, payload: FormData) -> None:
        super().__init__()
        self.text = text
        self.payload = payload


class NewerStored(Message):
    """Someone else saved (or deleted) the customer: the newer record, None when deleted, and who."""

    def __init__(self, number: int, version: int | None, newer: dict[str, Any] | None, who: str) -> None:
        super().__init__()
        self.number = number
        self.version = version
        self.newer = newer
        self.who = who


class Deleted(Message):
    """The customer was deleted from this form."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class ChoicesChanged(Message):
    """A reference list changed somewhere: the form's choices as read now, and the list history's stamp."""

    def __init__(self, choices: dict[str, list[tuple[str, str]]], stamp: int) -> None:
        super().__init__()
        self.choices = choices
        self.stamp = stamp
