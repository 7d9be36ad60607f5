"""The customer form as its mixins see it: the screen's state and the methods they call on it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.screens.form_data import FormData

    class FormHost(Screen[None]):
        """Typing stand-in for CustomerFormScreen, as seen from its mixins (plain `object` at run time)."""

        number: int | None
        data: FormData | None
        version: int | None
        block_change: dict[str, Any] | None
        dirty: bool
        errors: dict[str, str]
        changed_elsewhere: str
        _loaded_values: dict[str, Any]
        _filled_postcode: str | None
        _filled_iban: str | None
        _saving: bool
        _submitted: dict[str, Any]

        @property
        def _is_beheerder(self) -> bool: ...

        @property
        def _operator(self) -> str: ...

        def collect(self) -> dict[str, Any]:
            """The values on screen under their code names."""

        def focus_field(self, name: str) -> None:
            """Switch to the field's tab and put the focus on it."""

        def _load(self) -> Any: ...

        def _refresh_dirty(self) -> None: ...

        def _refresh_block(self) -> None: ...

        def _show_field_error(self, name: str, message: str) -> None: ...

        def _save_failed(self, message: str) -> None: ...

        def _show_conflict(self, message: str) -> None: ...

        def _close_now(self) -> None: ...
else:
    FormHost = object
