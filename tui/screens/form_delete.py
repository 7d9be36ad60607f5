"""Deleting from the customer form: Ctrl+D, beheerder only, never with dossiers, after confirmation."""
from __future__ import annotations

from textual import work

from data import customers
from data.errors import Conflict, HasDossiers, KlantbeheerError, NotPermitted
from tui.dialogs.confirm import ConfirmationModal
from tui.screens.form_host import FormHost


class CustomerDeleting(FormHost):
    """Mixin of CustomerFormScreen: the Ctrl+D action and its worker."""

    def action_delete(self) -> None:
        """Ctrl+D: delete the customer (beheerder only, no dossiers), after confirmation."""
        if self.data is None:
            return
        if self.number is None:
            self.notify("Deze klant is nog niet bewaard.", title="Verwijderen", severity="warning")
            return
        if not self._is_beheerder:
            self.notify("Alleen een beheerder mag een klant verwijderen; u bent medewerker.", title="Verwijderen", severity="warning")
            return
        if self.data.dossier_count:
            self.notify(
                f"Klant {self.number} heeft {self.data.dossier_count} dossier(s) en kan niet verwijderd worden.",
                title="Verwijderen geweigerd", severity="error", timeout=10,
            )
            return
        name = self.data.values.get("name", "")
        self.app.push_screen(
            ConfirmationModal(
                "Klant verwijderen?", f"Klant {self.number} ({name}) wordt verwijderd. De historiek blijft bewaard.",
                yes="Verwijderen", no="Annuleren", danger=True,
            ),
            self._delete_answered,
        )

    def _delete_answered(self, confirmed: bool | None) -> None:
        """The confirmation closed: delete when confirmed."""
        if confirmed:
            self._delete(self.number, self.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer-form-save")
    def _delete(self, number: int | None, version: int | None) -> None:
        """Delete in a worker; HasDossiers, NotPermitted and Conflict come back as messages."""
        try:
            customers.delete(number, self._operator, version)
        except Conflict as problem:
            self.app.call_from_thread(self._show_conflict, problem.message)
        except (HasDossiers, NotPermitted) as problem:
            self.app.call_from_thread(self._save_failed, problem.message)
        except KlantbeheerError as problem:
            self.app.call_from_thread(self._save_failed, problem.message)
        else:
            self.app.call_from_thread(self._deleted, number)

    def _deleted(self, number: int | None) -> None:
        """The customer is gone: say so and leave the form without asking."""
        self.notify(f"Klant {number} is verwijderd.", title="Verwijderd")
        self.dirty = False
        self._close_now()
