"""The Communicatie tab: phone, fax, GSM and e-mail."""
from __future__ import annotations

from klantbeheer.tui.screens.form.fields import TABS
from klantbeheer.tui.screens.form.tab import FieldsTab


class CommunicatieTab(FieldsTab):
    """Phone numbers and e-mail; their rules are checked when the user leaves a field (see data/drafts.py)."""

    SPEC = TABS[2]
