"""The customer form and other users: a newer version is shown or warned about, a refused save offers a reload."""
from __future__ import annotations

from textual import work
from textual.worker import get_current_worker

from data import customers, staff
from data.errors import KlantbeheerError, NotFound
from tui.dialogs.conflict import ConflictDialog
from tui.screens.form_host import FormHost


class LiveRefresh(FormHost):
    """Mixin of CustomerFormScreen: react to commits elsewhere (DataChanged) and to save conflicts."""

    def _recheck(self) -> None:
        """Someone committed somewhere: check whether it was this customer."""
        if self.data is not None and self.number is not None and not self._saving:
            self._check_fresh(self.number, self.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-check")
    def _check_fresh(self, number: int, version: int | None) -> None:
        """Read the customer's version; report a newer one (or its deletion) to the form."""
        try:
            current = customers.get(number)
            who = staff.full_name(current["updated_by"]) if current.get("updated_by") else "onbekend"
        except NotFound:
            self.app.call_from_thread(self._gone_elsewhere, number)
            return
        except KlantbeheerError:
            return
        if current["version"] != version and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._newer_elsewhere, number, version, who)

    def _newer_elsewhere(self, number: int, version: int | None, who: str) -> None:
        """Without own edits show the newer data at once; with edits warn that saving will conflict."""
        if number != self.number or version != self.version or self._saving:
            return
        self._refresh_dirty()  # from the widgets themselves, not from Changed messages still queued
        if not self.dirty:
            self.notify(f"Klant {number} werd gewijzigd door {who}; de nieuwe gegevens worden getoond.", title="Bijgewerkt")
            self._load()
        elif self.changed_elsewhere != who:
            self.changed_elsewhere = who
            self._refresh_dirty()
            self.notify(
                f"Klant {number} werd intussen gewijzigd door {who}. Bewaren geeft een conflict; u kunt dan herladen.",
                title="Intussen gewijzigd", severity="warning", timeout=10,
            )

    def _gone_elsewhere(self, number: int) -> None:
        """The customer was deleted elsewhere: say so (saving will fail with NotFound)."""
        if number == self.number and self.changed_elsewhere != "verwijderd":
            self.changed_elsewhere = "verwijderd"
            self._refresh_dirty()
            self.notify(f"Klant {number} werd intussen verwijderd.", title="Verwijderd", severity="warning", timeout=10)

    def _show_conflict(self, message: str) -> None:
        """Someone else saved in between: offer to reload or keep editing."""
        self._saving = False
        self.app.push_screen(ConflictDialog(message), self._conflict_answered)

    def _conflict_answered(self, reload: bool | None) -> None:
        """The conflict dialog closed: reload the saved data when asked (own edits are dropped)."""
        if reload:
            self._load()
            self.notify("De bewaarde gegevens zijn opnieuw geladen; uw wijzigingen zijn niet bewaard.", title="Herladen")
