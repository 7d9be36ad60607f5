"""The one last-resort notice for an unexpected error in a worker: explain()ed (logged), one sentence, never markup."""
from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from klantbeheer.data.explain import explain
from klantbeheer.data.i18n import _


def failure(event: Worker.StateChanged, group_prefix: str) -> BaseException | None:
    """The error of a worker whose group starts with `group_prefix` and that just failed; None otherwise."""
    if event.state != WorkerState.ERROR or not str(event.worker.group).startswith(group_prefix):
        return None
    return event.worker.error or RuntimeError("worker failed without an exception")


def notify_failure(node: DOMNode, error: BaseException) -> None:
    """Tell the operator in one sentence (its traceback goes to the support log), with markup off."""
    node.notify(explain(error), title=_("Fout"), severity="error", timeout=10, markup=False)
