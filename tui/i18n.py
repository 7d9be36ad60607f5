"""Bindings in the current language: descriptions and tooltips are msgids (marked N_), translated when shown."""
from __future__ import annotations

import dataclasses

from textual.binding import ActiveBinding, Binding

from klantbeheer.data.i18n import _


def translated(binding: Binding) -> Binding:
    """A copy of `binding` whose description and tooltip are in the current language."""
    return dataclasses.replace(binding, description=_(binding.description), tooltip=_(binding.tooltip))


class TranslatedBindings:
    """Screen mixin: the footer (which reads `active_bindings`) shows descriptions in the current language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings with translated descriptions and tooltips."""
        found: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        return {
            key: ActiveBinding(active.node, translated(active.binding), active.enabled, _(active.tooltip))
            for key, active in found.items()
        }
