"""The data boundary: the bound engine, a connection per unit of work, and errors translated into Dutch.

Every public data function is wrapped in `data_function`: it runs inside `connection()`, which
opens this thread's connection when none is open (and closes it again afterwards), and turns any
database driver or peewee error into a DatabaseProblem with one Dutch sentence. Screens and the
command line therefore never see a driver, a connection or a driver's error.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, ParamSpec, TypeVar

from peewee import Database, PeeweeException

from klantbeheer.data.errors import DatabaseProblem, KlantbeheerError
from klantbeheer.data.explain import explain, note_database
from klantbeheer.data.i18n import _
from klantbeheer.data.models import database_proxy

if TYPE_CHECKING:
    from klantbeheer.data.engines.base import Engine

_bound: list["Engine"] = []  # the engine the models are bound to (at most one)

P = ParamSpec("P")
R = TypeVar("R")


# Builds the domain error for a dossier the database's guard refused: (owner, blocked, field, sentence) -> error.
# data/blocking.py, home of the block and twin rule, registers it (it imports this module, so no import back).
_refusal_errors: list[Callable[[int, int, str, str], KlantbeheerError]] = []


def on_refusal(build: Callable[[int, int, str, str], KlantbeheerError]) -> None:
    """Register the builder of CustomerBlocked / TwinBlocked for the database's own refusal of a dossier."""
    _refusal_errors[:] = [build]


def bind(engine: "Engine") -> None:
    """Bind the models to this engine's database (replacing any earlier one, whose idle connections go)."""
    if _bound and _bound[0] is not engine:
        with translated():
            _bound[0].dispose()
    _bound[:] = [engine]
    note_database(engine.location)
    database_proxy.initialize(engine.db)


def opening(engine: "Engine") -> None:
    """Note the database being opened, so an error before it is bound can still be explained by its location."""
    note_database(engine.location)


def engine() -> "Engine":
    """The bound engine; DatabaseProblem when no database is open."""
    if not _bound:
        raise DatabaseProblem(_("Er is geen database geopend."))
    return _bound[0]


def database() -> Database:
    """The bound peewee database."""
    return engine().db


def driver_errors() -> tuple[type[BaseException], ...]:
    """Every low-level error class the boundary translates (peewee's and the bound engine's driver's)."""
    extra = _bound[0].driver_errors() if _bound else ()
    return (PeeweeException, *extra)


@contextmanager
def translated(extra: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Turn any driver or peewee error raised inside into a DatabaseProblem (a domain error passes through)."""
    try:
        yield
    except KlantbeheerError:
        raise
    except (*driver_errors(), *extra) as problem:
        refused = _bound[0].refusal(problem) if _bound else None
        if refused is not None and _refusal_errors:
            raise _refusal_errors[0](*refused, explain(problem)) from None
        raise DatabaseProblem(explain(problem)) from None


@contextmanager
def connection() -> Iterator[Database]:
    """This thread's connection for one unit of work: opened if needed and closed again; errors in Dutch."""
    db = database()
    with translated():
        engine().still_there()  # a file deleted or replaced since it was opened is refused, not re-created
        opened = db.is_closed()
        if opened:
            db.connect()
        try:
            yield db
        finally:
            if opened and not db.is_closed() and not db.in_transaction():
                db.close()


def data_function(function: Callable[P, R]) -> Callable[P, R]:
    """Decorator for a public data function: its own connection context, only KlantbeheerError out."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with connection():
            return function(*args, **kwargs)

    return wrapper
