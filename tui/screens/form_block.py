"""Blocking on the customer form: Ctrl+B and the switch, the reason dialog, the unblock question, the banner."""
from __future__ import annotations

from textual.widgets import Input, Static

from tui.dialogs.block_reason import BlockDetails, BlockReasonDialog
from tui.dialogs.confirm import ConfirmationModal
from tui.screens.form_host import FormHost
from tui.widgets.block_banner import BlockBanner, BlockInfo
from tui.widgets.block_switch import BlockSwitch

ONLY_BEHEERDER = "Alleen een beheerder mag een klant blokkeren of deblokkeren; u bent medewerker."


class BlockHandling(FormHost):
    """Mixin of CustomerFormScreen: a block or unblock is remembered in `block_change` until Bewaren."""

    def _refresh_block(self) -> None:
        """Switch, state text and banner after a load or a block change."""
        if self.data is None:
            return
        values = self.data.values
        switch = self.query_one("#blocked", BlockSwitch)
        state = self.query_one("#blocked_state", Static)
        change = self.block_change
        on_now = bool(change["blocked"]) if change is not None else bool(values.get("blocked"))
        with self.prevent(BlockSwitch.Changed):
            switch.value = on_now
        if change is not None:
            words = "JA — GEBLOKKEERD (nog niet bewaard)" if on_now else "NEE — blokkering wordt opgeheven (nog niet bewaard)"
        else:
            words = "JA — GEBLOKKEERD" if on_now else "Nee"
        if not self._is_beheerder:
            words += " · alleen een beheerder kan dit wijzigen"
        state.update(words)
        state.set_class(on_now, "on")
        banner = self.query_one("#block_banner", BlockBanner)
        reasons = dict(self.data.choices.get("block_reason", []))
        if change is not None and change["blocked"]:
            banner.show_block(BlockInfo(
                "pending", reasons.get(change["block_reason"], change["block_reason"]), change["block_message"],
                None, "", change["blocked_until"],
            ))
        elif change is not None:
            banner.show_block(BlockInfo("lifting"))
        elif values.get("blocked"):
            banner.show_block(BlockInfo(
                "saved" if values.get("block_active") else "lapsed", self.data.block_reason_label,
                values.get("block_message") or "", values.get("blocked_at"), self.data.blocked_by_name,
                values.get("blocked_until"),
            ))
        else:
            banner.show_block(None)

    def action_toggle_block(self) -> None:
        """Ctrl+B / Space / Enter on the switch: block (asks the reason) or unblock (asks to confirm)."""
        if self.data is None:
            return
        if not self._is_beheerder:
            self.notify(ONLY_BEHEERDER, title="Geblokkeerd", severity="warning")
            return
        if self.query_one("#blocked", BlockSwitch).value:
            self.app.push_screen(
                ConfirmationModal(
                    "Blokkering opheffen?",
                    "De klant kan dan weer nieuwe dossiers krijgen. De blokkering wordt opgeheven bij Bewaren (Ctrl+S).",
                    yes="Opheffen", no="Annuleren",
                ),
                self._unblock_answered,
            )
        else:
            name = self.query_one("#name", Input).value
            self.app.push_screen(BlockReasonDialog(self.data.choices.get("block_reason", []), name), self._block_answered)

    def _block_answered(self, details: BlockDetails | None) -> None:
        """The block dialog closed: remember the block until the form is saved."""
        if details is None:
            self._refresh_block()
            return
        self.block_change = {
            "blocked": True, "block_reason": details.reason, "block_message": details.message,
            "blocked_until": details.until,
        }
        self._after_block_change()

    def _unblock_answered(self, confirmed: bool | None) -> None:
        """The unblock question closed: remember the unblock (or drop a block not yet saved)."""
        if not confirmed:
            return
        if self.data is not None and not self.data.values.get("blocked"):
            self.block_change = None
        else:
            self.block_change = {"blocked": False}
        self._after_block_change()

    def _after_block_change(self) -> None:
        """Show the remembered change, mark the form unsaved, focus the switch again."""
        self._refresh_block()
        self._refresh_dirty()
        self.query_one("#blocked", BlockSwitch).focus()
