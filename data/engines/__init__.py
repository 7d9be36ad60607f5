"""The database engines: one Engine per kind of database holds everything that differs between them."""
from __future__ import annotations

from klantbeheer.data.engines.base import ChangeWatcher, Engine
from klantbeheer.data.errors import BadInput, DatabaseProblem
from klantbeheer.data.i18n import _


def make_engine(location: str, cache_kib: int | None = None) -> Engine:
    """The engine for a path or a sqlite:// or postgresql:// URL (built, not connected)."""
    if not location or not location.strip():
        raise BadInput(_("Geef een database op (--db mag niet leeg zijn)."))
    if "://" not in location:
        from klantbeheer.data.engines.sqlite import SqliteEngine

        return SqliteEngine.build(location, cache_kib)
    scheme = location.split("://", 1)[0].lower()
    if scheme == "sqlite":
        from klantbeheer.data.engines.sqlite import SqliteEngine

        path = location[len("sqlite:///"):] if location.startswith("sqlite:///") else ""
        return SqliteEngine.build(path, cache_kib)
    if scheme in ("postgres", "postgresql"):
        from klantbeheer.data.engines.postgres import PostgresEngine

        return PostgresEngine.build(location)
    raise DatabaseProblem(_("Onbekend soort database-adres: {scheme}://").format(scheme=scheme))


__all__ = ["ChangeWatcher", "Engine", "make_engine"]
